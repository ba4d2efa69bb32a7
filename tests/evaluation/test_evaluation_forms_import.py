"""Importing rating forms fast (issue 13: 500,000 marks) gives what the plain reading gave:
the same result, the same rows and audit entry, the same problems named by file:row:column,
and nothing written on a bad file. `plain_import_forms` is the import as it read the file
before, row by row through `Row`s, kept here as the reference."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import ballots
from civic.db import open_db
from civic.errors import CivicError, InputError
from civic.office import Office, Operator
from civic.plugins.evaluation import actions, events, store
from civic.testing import FIXED_NOW

from .test_evaluation_store import DATA, FRAMEWORK, write


def plain_import_forms(office, number, path):
    """The import as it was: each row a `Row`, each check in turn (the reference)."""
    from civic import ballots, contests
    from civic.i18n import _
    from civic.tabular import TableReader, file_sha256

    db = office.db
    pack, vround, declared = actions._rating(db, number)
    categories = {c for c, _n, _w in pack.categories}
    reader = TableReader(path, contests.VALUE_BALLOT_SCHEMA)
    forms = {}
    for row in reader:
        try:
            form = ballots.ballot_number(row["ballot"])
        except ValueError as exc:
            reader.report(row, "ballot", str(exc))
            continue
        where, dimension, ratee, grade = (row["constituency"] or "", row["contest"],
                                          row["candidate"], row["value"])
        contest = declared.get(dimension)
        if where not in categories:
            reader.report(row, "constituency", _("no rater category {code}").format(
                code=where or "-"))
        elif contest is None:
            reader.report(row, "contest", _("no dimension {code} on the form").format(
                code=dimension))
        elif ratee not in contest.candidates:
            reader.report(row, "candidate", _("{code} is not rated on the form").format(
                code=ratee or "-"))
        elif grade and grade not in contest.scale:
            reader.report(row, "value", _("{grade} is not a grade of the form").format(
                grade=grade))
        elif row["write_in"]:
            reader.report(row, "write_in", _("a rating form takes no written names"))
        elif form in forms and forms[form][0] != where:
            reader.report(row, "constituency", _("form {number} is from one rater category "
                                                 "only").format(number=form))
        else:
            forms.setdefault(form, (where, {}))[1].setdefault(dimension, []).append(
                (ratee, grade or ""))
    stack, invalid = actions._stack(forms, declared, pack)
    actions._check_returned(db, vround, pack, stack)
    name = Path(path).name
    with office.change() as change:
        contests.enter_value_ballots(change, vround, stack, actions._no_write_ins, source=name)
        change.record(events.FormsImported(evaluation=number, file=name,
                                           sha256=file_sha256(path), forms=len(stack),
                                           invalid=len(invalid)))
    return {"ballots": len(stack), "invalid": len(invalid), "invalid_forms": invalid}


@pytest.fixture
def prepared(civic_registry, tmp_path):
    """An office with three leaders rated on the rating-2008 pack (one dimension, overall),
    forms 1 and 2 of the leaders entered already; a copy of it per import."""
    office = civic_registry
    actions.import_framework(office, str(write(tmp_path, "leaders.toml", FRAMEWORK)))
    number = actions.create(office, "leaders", 2008, "2008年度考核", edition="2020")
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 30, "cadres": 30, "public": 30})
    for category in ("leaders", "cadres", "public"):
        actions.rating_figures(office, number, category, 30, 30, 12)
    for form in (1, 2):
        actions.enter_form(office, number, form, "leaders", {"overall": {"L1": "称职"}})
    return office, number


def _copy(office, path: Path) -> Office:
    target = sqlite3.connect(path)
    office.db.conn.backup(target)
    target.close()
    return Office(open_db(path), office.pm, clock=lambda: FIXED_NOW).as_actor(
        Operator("op", "operator"))


def _outcome(importer, office, number, path):
    """What an import did: its result or its problems, and every row it could have written."""
    try:
        result = importer(office, number, path)
    except CivicError as exc:  # InputError is one: its text names each file:row:column
        result = (type(exc).__name__, str(exc))
    rows = {table: office.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
            for table in ("voting_ballots", "voting_written", "voting_marks", "audit_log")}
    office.db.close()
    return result, rows


# A right row: a form (its number as written) with its rater category, a ratee, a grade
# or a blank. A wrong one takes any cell from a wider choice, each wrong in its own way.
FORMS = [("3", "leaders"), ("4", "cadres"), ("5", "public"), ("6", "public"), ("007", "cadres")]
RIGHT = st.tuples(st.sampled_from(FORMS), st.just("overall"),
                  st.sampled_from(["L1", "L2", "L3"]),
                  st.sampled_from(["优秀", "称职", "基本称职", "不称职", "称职", "称职", ""]),
                  st.just("")).map(lambda r: (*r[0], *r[1:]))
# A wrong row: a right one with one cell (or two) replaced, so that each check is met alone.
OTHER = (["1", "x", "0", " 8 ", "1000000000", "3", "4"], ["leaders", "cadres", "", "nobody"],
         ["", "de"], ["", "L9"], ["好", "优 秀"], ["张三"])


@st.composite
def wrong(draw):
    row = list(draw(RIGHT))
    for column in draw(st.lists(st.integers(0, 5), min_size=1, max_size=2)):
        row[column] = draw(st.sampled_from(OTHER[column]))
    return tuple(row)


WRONG = wrong()
rows = st.one_of(st.lists(RIGHT, max_size=40),
                 st.lists(st.one_of(RIGHT, RIGHT, RIGHT, WRONG), max_size=30))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, rest=st.booleans())
def test_the_fast_import_is_the_plain_one(prepared, tmp_path, rows, rest):
    """Random forms, right and wrong: the import and the plain reading agree on everything,
    errors included (a wrong file writes nothing in either)."""
    office, number = prepared
    header = "表号,测评类别,测评项目,被测评人,等次" + (",另选他人" if rest else "")
    lines = [",".join(row if rest else row[:5]) for row in rows]
    path = write(tmp_path, "forms.csv", "\n".join([header, *lines]) + "\n")
    plain = _outcome(plain_import_forms, _copy(office, tmp_path / "plain.db"), number, path)
    entered = _copy(office, tmp_path / "fast.db")
    fast = _outcome(actions.import_forms, entered, number, path)
    assert fast == plain
    if isinstance(fast[0], dict):  # imported: the rows hold the file's grades, as digested
        db = open_db(tmp_path / "fast.db")
        vround = ballots.get_round(db, store.require_rating(db, number))
        batch = json.loads(db.execute("SELECT payload FROM audit_log WHERE type ="
                                      " 'core.ballots_entered' ORDER BY id DESC").fetchone()[0])
        first = batch["first_ballot"] or 1 << 62  # no ballots: none after the first two
        assert ballots.ballots_digest(db, vround, first, batch["last_ballot"] or first
                                      ) == batch["rows_digest"]
        stored = sorted(db.execute(
            "SELECT b.number, b.constituency, w.position, w.text, w.grade FROM voting_marks m"
            " JOIN voting_ballots b ON b.id = m.ballot JOIN voting_written w"
            " ON w.id = m.written WHERE b.id >= ?", (first,)))
        db.close()
        assert stored == sorted((int(b), c, d, r, g) for b, c, d, r, g, *_w in rows if g)


def test_a_bad_form_file_names_each_cell_and_writes_nothing(prepared, tmp_path):
    office, number = prepared
    path = write(tmp_path, "forms.csv", "表号,测评类别,测评项目,被测评人,等次,另选他人\n"
                 "3,leaders,overall,L1,优秀,\n"
                 "x,leaders,overall,L1,优秀,\n"      # not a number
                 "3,cadres,overall,L2,称职,\n"       # form 3 is the leaders'
                 "4,nobody,overall,L1,称职,\n"       # no such category
                 "4,public,de,L1,称职,\n"            # no such dimension
                 "4,public,overall,L9,称职,\n"       # not rated
                 "4,public,overall,L2,好,\n"         # a team's grade
                 "4,public,overall,L3,称职,张三\n")   # a written name
    before = office.db.execute("SELECT count(*) FROM voting_marks").fetchone()[0]
    with pytest.raises(InputError) as err:
        actions.import_forms(office, number, path)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (3, "表号"), (4, "测评类别"), (5, "测评类别"), (6, "测评项目"), (7, "被测评人"),
        (8, "等次"), (9, "另选他人")]
    assert "forms.csv:4:测评类别: form 3 is from one rater category only" in str(err.value)
    assert office.db.execute("SELECT count(*) FROM voting_marks").fetchone()[0] == before
