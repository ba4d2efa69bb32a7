"""civic.ballots: rounds, rolls, entry of ballots, counting in SQL, locking, secrecy.

The SQL count is checked against the pure count (civic.voting.count_round) on the same ballots,
by hypothesis: every mark in exactly one bucket, every ballot blank or marked per post, and the
result independent of the order ballots were entered (issue 4 "Done when").
"""

from __future__ import annotations

import csv
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import audit, ballots
from civic.db import migrate, open_db, table_checksums
from civic.errors import CivicError, InputError
from civic.office import Office, Operator
from civic.pm import make_plugin_manager
from civic.voting import Ballot, CountRules, Invalid, RoundFigures, Unresolved, count_round

POSTS = ("X", "Y", "Z")
# What each text means: two texts for person A (a dup across texts), a write-in waiting,
# an unknown name, an ineligible person.
MEANING = {"A": "A", "a": "A", "B": "B", "C": "C", "u": Unresolved("u"),
           "x": Invalid("unknown_name", "x"), "e": Invalid("not_eligible", "E"),
           "王 '伟\"\\": Unresolved("quotes")}


SUPERVISOR = Operator("sup", "supervisor")


def meaning(_post: str, text: str):
    return MEANING[text]


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])


def fresh(pm, closed: bool = True) -> tuple[Office, ballots.VotingRound]:
    """A round on POSTS; `closed`: with a roll of two, both present, attendance closed (so
    ballots can be entered)."""
    db = open_db(":memory:")
    migrate(db, pm)
    office = Office(db, pm)
    with office.change() as change:
        vround = ballots.create_round(change, "test:1:1", "test", POSTS)
    if closed:
        with tempfile.TemporaryDirectory() as folder, office.change() as change:
            roll = write(Path(folder) / "roll.csv", [["E1", "甲", "是"], ["E2", "乙", "是"]],
                         header=("code", "name", "present"))
            ballots.load_roll(change, vround, roll)
            ballots.close_attendance(change, vround)
    return office, vround


def enter(office, vround, stack, resolve=meaning):
    with office.change() as change:
        return ballots.enter_ballots(change, vround, stack, resolve)


def pure(stack, rules, resolve=meaning):
    return count_round(
        [Ballot(n, {p: [resolve(p, t) for t in texts] for p, texts in sections.items()})
         for n, sections in stack], POSTS, rules)


# --- marks as stored ---------------------------------------------------------------------------
@pytest.mark.parametrize("mark", ["P001", "=odd", Unresolved("王伟"),
                                  Invalid("unknown_name", "无:名"), Invalid("not_on_slate", "")])
def test_encode_decode(mark):
    assert ballots.decode(ballots.encode(mark)) == mark


@pytest.mark.parametrize("written,norm", [("王 伟", "王伟"), ("王　伟", "王伟"), ("Ｐ０１", "P01"),
                                          ("阿•木", "阿·木"), ("阿・木", "阿·木"), (" 李红 ", "李红")])
def test_normalise(written, norm):
    assert ballots.normalise(written) == norm


# --- the SQL count agrees with the pure count --------------------------------------------------
texts = st.sampled_from(sorted(MEANING))
stacks = st.lists(st.dictionaries(st.sampled_from(POSTS), st.lists(texts, max_size=3)),
                  max_size=25)
rules_st = st.builds(CountRules, places=st.integers(1, 3), marks_allowed=st.integers(1, 3),
                     tie_policy=st.sampled_from(["revote", "include"]))
QUICK = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@QUICK
@given(stacks, rules_st, st.data())
def test_sql_count_equals_pure_count_in_any_order(core_pm, sections, rules, data):
    stack = list(enumerate(sections, 1))
    office, vround = fresh(core_pm)
    enter(office, vround, data.draw(st.permutations(stack)))
    counted = ballots.count(office.db, vround, rules)
    assert counted == pure(stack, rules)
    for post, pc in counted.items():
        marks = sum(len(s.get(post, ())) for s in sections)
        assert pc.counted + pc.invalid + pc.unresolved + pc.duplicate == marks
        assert pc.blank + pc.marked == len(sections)
        assert pc.marked == sum(1 for s in sections if s.get(post))


@QUICK
@given(stacks, rules_st)
def test_adjudication_recount_equals_pure_count(core_pm, sections, rules):
    """Resolving a write-in later (to a person already on some sections) re-shapes only those
    sections; the recount equals a pure count with the new meaning."""
    stack = list(enumerate(sections, 1))
    office, vround = fresh(core_pm)
    enter(office, vround, stack)

    def decided(post: str, text: str):
        return {"u": "A", "x": "B"}.get(text) or MEANING[text]

    with office.change():
        ballots.re_resolve(office.db, vround, decided)
    assert ballots.count(office.db, vround, rules) == pure(stack, rules, decided)
    with office.change():  # and back again
        ballots.re_resolve(office.db, vround, meaning, texts=["u", "x"])
    assert ballots.count(office.db, vround, rules) == pure(stack, rules)


def test_ballot_and_digest(core_pm):
    office, vround = fresh(core_pm)
    result = enter(office, vround, [(7, {"X": ["A", "u"], "Z": ["B"]}), (3, {}),
                                    (4, {"Y": ["王 '伟\"\\"]})])
    assert ballots.ballot(office.db, vround, 7) == {"X": ["A", "u"], "Y": [], "Z": ["B"]}
    assert ballots.ballot(office.db, vround, 3) == {"X": [], "Y": [], "Z": []}
    assert ballots.ballot(office.db, vround, 5) is None
    assert result["rows_digest"] == audit.digest_rows(
        [(7, (("X", "A"), ("X", "u"), ("Z", "B"))), (3, ()), (4, (("Y", "王 '伟\"\\"),))])
    assert result["rows_digest"] == ballots.ballots_digest(
        office.db, vround, result["first_ballot"], result["last_ballot"])
    last = audit.entries(office.db, limit=1)[0]
    assert last.type == "core.ballots_entered" and last.data()["marks"] == 4


def test_a_ballot_number_once_per_round(core_pm):
    office, vround = fresh(core_pm)
    enter(office, vround, [(1, {"X": ["A"]})])
    with pytest.raises(CivicError, match="Ballot 1 is entered already"):
        enter(office, vround, [(2, {}), (1, {})])
    assert office.db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0] == 1


def test_delete_ballot(core_pm):
    office, vround = fresh(core_pm)
    enter(office, vround, [(1, {"X": ["A", "B"]}), (2, {"X": ["A"]})])
    with office.change() as change:
        assert ballots.delete_ballot(change, vround, 1, reason="keyed twice",
                                     cosigner=SUPERVISOR) == 2
    rules = CountRules(places=1, marks_allowed=2)
    assert ballots.count(office.db, vround, rules) == pure([(2, {"X": ["A"]})], rules)


# --- files: streaming import, problems collected, all or nothing -------------------------------
def write(path, rows, header=("ballot", "position", "choice"), encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def test_import_file_with_chinese_headers_in_gbk(core_pm, tmp_path):
    office, vround = fresh(core_pm)
    path = write(tmp_path / "b.csv", [[1, "X", "A"], [1, "Y", ""], [2, "X", "a"], [2, "X", "A"]],
                 header=("票号", "职位", "推荐人选"), encoding="gbk")
    with office.change() as change:
        result = ballots.import_ballots(change, vround, path, meaning)
    assert (result["ballots"], result["marks"]) == (2, 3)
    x = ballots.count(office.db, vround, CountRules(places=1, marks_allowed=1))["X"]
    assert (x.counted, x.duplicate, x.blank) == (2, 1, 0)  # "a" and "A" are one person
    entry = audit.entries(office.db, limit=1)[0].data()
    assert entry["source"] == "b.csv" and len(entry["file_sha256"]) == 64


def test_import_xlsx(core_pm, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["票号", "职位", "推荐人选"], [1, "X", "A"], [2, "Z", "B"]):
        sheet.append(row)
    book.save(tmp_path / "b.xlsx")
    office, vround = fresh(core_pm)
    with office.change() as change:
        assert ballots.import_ballots(change, vround, tmp_path / "b.xlsx", meaning)["marks"] == 2


def test_import_problems_are_collected_and_nothing_is_written(core_pm, tmp_path):
    office, vround = fresh(core_pm)
    enter(office, vround, [(9, {"X": ["A"]})])
    before = table_checksums(office.db)
    path = write(tmp_path / "bad.csv", [
        [1, "X", "A"], [1, "W", "B"],  # row 3: not a post of this round
        [2, "X", "B"], [1, "Y", "C"],  # row 5: ballot 1 again after ballot 2
        ["二", "X", "A"],  # row 6: not a number
        [0, "X", "A"],  # row 7
        [9, "Y", "B"],  # row 8: entered already
        [3, "", "A"],  # row 9: position required
        [2 ** 63, "X", "A"],  # row 10: beyond SQLite's integers (was an OverflowError)
        ["1" + "0" * 5000, "X", "A"],  # row 11: beyond what int() reads from text
        ["²", "X", "A"],  # row 12: a digit to str.isdigit, not to int()
    ])
    with pytest.raises(InputError) as err, office.change() as change:
        ballots.import_ballots(change, vround, path, meaning)
    found = [(p.row, p.column) for p in err.value.problems]
    assert found == [(3, "position"), (5, "ballot"), (6, "ballot"), (7, "ballot"),
                     (8, "ballot"), (9, "position"), (10, "ballot"), (11, "ballot"),
                     (12, "ballot")]
    assert "a ballot number is a whole number from 1 to 999,999,999" in str(err.value)
    assert "keep each ballot's rows together" in str(err.value)
    assert table_checksums(office.db) == before


def stored(db, vround):
    """Every mark of the round as (ballot number, seq, post, text, mark key, shape)."""
    return db.execute(
        "SELECT b.number, m.seq, w.position, w.text, w.mark_key, m.shape FROM voting_marks m"
        " JOIN voting_ballots b ON b.id = m.ballot JOIN voting_written w ON w.id = m.written"
        " WHERE m.round = ? ORDER BY b.number, m.seq", (vround.id,)).fetchall()


def expected_marks(stack):
    """What `stored` must hold, worked out here mark by mark from the module docstring."""
    out = []
    for number, sections in sorted(stack):
        seq = 0
        for post in POSTS:
            texts = sections.get(post, [])
            keys = [ballots.encode(meaning(post, t)) for t in texts]
            seen: set[str] = set()
            for i, (text, key) in enumerate(zip(texts, keys, strict=True)):
                out.append((number, seq, post, text, key,
                            ballots.shape_of(len(set(keys)), key in seen, i == 0)))
                seen.add(key)
                seq += 1
    return out


@QUICK
@given(stacks, st.booleans(), st.booleans())
def test_file_and_keyed_entry_store_each_mark_as_specified(core_pm, tmp_path, monkeypatch,
                                                           sections, from_file, bulk):
    """Both ways in, with and without SQLite's JSON (the bulk insert and its fallback)."""
    monkeypatch.setattr(ballots, "_json_each_works", lambda conn: bulk)
    stack = list(enumerate(sections, 1))
    office, vround = fresh(core_pm)
    if from_file:
        rows = []
        for n, s in stack:
            rows += [[n, post, text] for post in POSTS for text in s.get(post, ())]
            rows.append([n, "Z", " "])  # a blank: every ballot has a row, even an empty one
        with office.change() as change:
            result = ballots.import_ballots(change, vround, write(tmp_path / "b.csv", rows),
                                            meaning)
    else:
        result = enter(office, vround, stack)
    assert stored(office.db, vround) == expected_marks(stack)
    assert result["ballots"] == len(stack)
    assert result["marks"] == sum(len(t) for _n, s in stack for t in s.values())
    assert result["rows_digest"] == audit.digest_rows(
        [(n, tuple((p, t) for p in POSTS for t in s.get(p, ()))) for n, s in stack])
    if stack:
        assert result["rows_digest"] == ballots.ballots_digest(
            office.db, vround, result["first_ballot"], result["last_ballot"])
    rules = CountRules(places=2, marks_allowed=2)
    assert ballots.count(office.db, vround, rules) == pure(stack, rules)


def test_batches_take_fresh_ids_even_after_a_deletion(core_pm, tmp_path):
    office, vround = fresh(core_pm)
    first = enter(office, vround, [(1, {"X": ["A"]}), (2, {"Y": ["B"]}), (3, {"X": ["C"]})])
    with office.change() as change:
        ballots.delete_ballot(change, vround, 3, reason="keyed twice", cosigner=SUPERVISOR)
    path = write(tmp_path / "b.csv", [[4, "X", "A"], [4, "Y", "a"], [5, "Z", "B"]])
    with office.change() as change:
        second = ballots.import_ballots(change, vround, path, meaning)
    assert (first["first_ballot"], first["last_ballot"]) == (1, 3)
    assert (second["first_ballot"], second["last_ballot"]) == (4, 5)  # id 3 is not given again
    assert second["rows_digest"] == ballots.ballots_digest(office.db, vround, 4, 5)
    assert ballots.ballot(office.db, vround, 4) == {"X": ["A"], "Y": ["a"], "Z": []}


# --- rolls, attendance, figures ----------------------------------------------------------------
def test_roll_and_attendance(core_pm, tmp_path):
    office, vround = fresh(core_pm, closed=False)
    path = write(tmp_path / "roll.csv", [["E1", "甲", "代表", "是"], ["E2", "乙", "", ""],
                                         ["E3", "丙", "群众代表", "否"]],
                 header=("编号", "姓名", "类别", "出席"))
    with office.change() as change:
        assert ballots.load_roll(change, vround, path) == {"added": 3, "updated": 0,
                                                           "unchanged": 0}
        ballots.set_attendance(change, vround, ["E2"])
    with pytest.raises(CivicError, match="Not on the roll of round test:1:1: E9"):
        with office.change() as change:
            ballots.set_attendance(change, vround, ["E9"])
    with pytest.raises(CivicError, match="close attendance first"):
        ballots.figures(office.db, vround)  # the number present is not final yet
    with office.change() as change:
        ballots.close_attendance(change, vround)
        ballots.record_figures(change, vround, 2, 2)
    assert ballots.figures(office.db, vround) == RoundFigures(3, 2, 2, 2)


def test_roll_problems(core_pm, tmp_path):
    office, vround = fresh(core_pm, closed=False)
    path = write(tmp_path / "roll.csv", [["E1", "甲", "", "maybe"], ["E1", "乙", "", ""]],
                 header=("code", "name", "category", "present"))
    with pytest.raises(InputError) as err, office.change() as change:
        ballots.load_roll(change, vround, path)
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "present"), (3, "code")]


def test_figures_must_be_recorded(core_pm):
    office, vround = fresh(core_pm)
    with pytest.raises(CivicError, match="record the ballots issued and returned first"):
        ballots.figures(office.db, vround)


# --- locking and secrecy -----------------------------------------------------------------------
def test_a_locked_round_refuses_every_change(core_pm, tmp_path):
    office, vround = fresh(core_pm)
    enter(office, vround, [(1, {"X": ["A"]})])
    with office.change() as change:
        ballots.lock_round(change, vround)
    locked = ballots.get_round(office.db, vround.key)
    with pytest.raises(CivicError, match="locked"):
        enter(office, locked, [(2, {})])
    db = office.db
    rid = vround.id
    for sql in (f"INSERT INTO voting_ballots (round, number) VALUES ({rid}, 5)",
                f"UPDATE voting_marks SET shape = 9 WHERE round = {rid}",
                f"DELETE FROM voting_marks WHERE round = {rid}",
                f"UPDATE voting_written SET mark_key = '=B' WHERE round = {rid}",
                f"INSERT INTO voting_electors (round, code, name) VALUES ({rid}, 'E', 'E')",
                f"UPDATE voting_rounds SET returned = 99 WHERE id = {rid}",
                f"DELETE FROM voting_rounds WHERE id = {rid}"):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(sql)


def test_secrecy_participation_and_ballots_share_no_key(core_pm):
    office, _vround = fresh(core_pm)
    columns = {t: {c.name for c in office.db[t].columns}
               for t in ("voting_electors", "voting_ballots", "voting_marks")}
    # No elector, no time; a ballot may carry its constituency (teachers, parents...), which
    # electors do not: theirs is their `category` (m006_ballot_model).
    assert columns["voting_ballots"] == {"id", "round", "number", "constituency"}
    assert not {"code", "name", "elector", "time"} & (columns["voting_marks"]
                                                      | columns["voting_ballots"])
    # The only column in common is the round itself.
    assert columns["voting_electors"] & columns["voting_ballots"] == {"id", "round"}
    fks = {fk.other_table for t in ("voting_ballots", "voting_marks")
           for fk in office.db[t].foreign_keys}
    assert "voting_electors" not in fks


def test_lock_finds_a_mark_without_its_ballot(core_pm):
    office, vround = fresh(core_pm)
    enter(office, vround, [(1, {"X": ["A"]})])
    office.db.execute("INSERT INTO voting_marks VALUES (?, 1, 5, 999, 0)", (vround.id,))
    with pytest.raises(CivicError, match="without its ballot"), office.change() as change:
        ballots.lock_round(change, vround)
