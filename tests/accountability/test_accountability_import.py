"""The case import (`actions.import_cases`): every way a file is refused, named by
file:row:column with nothing written; and the fast path (rows straight into the table, its
keys and CHECK testing them) always answering as the checked path (`import_cases_plain`)
does: the same cases, audit rows and person facts, or the same problems. Issue 16: "checks
eligibility and facts in bulk"; issue 14: files refused whole with file:row:column."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.errors import InputError
from civic.plugins.accountability import actions

IMPORTERS = (actions.import_cases, actions.import_cases_plain)
HEADER = "人员编号,班子,单位,问责情形,来源,事由,立案日期\n"


def state(office) -> tuple[list, list, list]:
    """What an import may write: the cases, the audit rows (hashes and all: the testing
    clock is fixed) and the person facts."""
    db = office.db
    return (db.execute("SELECT * FROM accountability_cases ORDER BY id").fetchall(),
            db.execute("SELECT * FROM audit_log ORDER BY id").fetchall(),
            db.execute("SELECT * FROM person_facts ORDER BY id").fetchall())


def answer(importer, office, path) -> tuple[object, tuple]:
    """The importer's answer (a count, or the problems as text) and what it wrote, then
    undone: each importer starts from the same office (the import is a savepoint inside
    this transaction, as inside any outer change)."""
    office.db.conn.execute("BEGIN")
    try:
        try:
            result: object = importer(office, path)
        except InputError as err:
            result = [str(p) for p in err.problems]
        return result, state(office)
    finally:
        office.db.conn.rollback()


# (what the file says, its rows after HEADER, the problems as "row:column: reason").
# Units and people: civic.testing's sample registry (KM, KM-GOV, KM-XS; C0001-C0005).
REFUSED = [
    ("unknown person", "C0002,,,abuse,complaint,推诿扯皮,2008-03-03\n"
     "C0009,,,abuse,complaint,推诿扯皮,2008-03-03\n",
     ["3:人员编号: no person C0009 in the registry"]),
    ("unknown unit", "C0002,,KM-NONE,abuse,complaint,推诿扯皮,2008-03-03\n",
     ["2:单位: no unit KM-NONE in the registry"]),
    ("unknown trigger", "C0002,,,nonsense,complaint,推诿扯皮,2008-03-03\n",
     ["2:问责情形: unknown trigger 'nonsense'; the pack has {triggers}"]),
    ("unknown source", "C0002,,,abuse,rumour,推诿扯皮,2008-03-03\n",
     ["2:来源: unknown source 'rumour'; one of inspection, task, complaint, audit, media"]),
    ("neither a person nor a team", ",,KM,abuse,complaint,推诿扯皮,2008-03-03\n",
     ["2:人员编号: a case names a person or a team"]),
    ("a date that is none", "C0002,,,abuse,complaint,推诿扯皮,2008-13-01\n",
     ["2:立案日期: month 13 is out of range"]),
    ("an empty required cell", "C0002,,,abuse,complaint,,2008-03-03\n",
     ["2:事由: a value is required"]),
    ("an invisible character", "C0002\u200b,,,abuse,complaint,推诿扯皮,2008-03-03\n",
     ["2:人员编号: contains the invisible or control character U+200B; retype the cell"
      " without it"]),
    ("every problem of the file, in row order",
     "C0009,,KM-NONE,abuse,complaint,推诿扯皮,2008-03-03\n"
     "C0002,,,abuse,complaint,推诿扯皮,2008-03-03\n"
     "C0003,,,nonsense,rumour,推诿扯皮,2008-02-30\n",
     ["2:人员编号: no person C0009 in the registry", "2:单位: no unit KM-NONE in the registry",
      "4:立案日期: day 30 is out of range for 2008-02"]),
]


@pytest.mark.parametrize("rows, problems", [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])
def test_a_bad_file_is_refused_whole_by_both_paths(civic_registry, tmp_path, rows, problems):
    from civic.plugins.accountability.rules import load_pack

    office = civic_registry
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    before = state(office)
    triggers = ", ".join(load_pack().triggers)
    for importer in IMPORTERS:
        with pytest.raises(InputError) as err:
            importer(office, path)
        assert [str(p) for p in err.value.problems] == [
            "cases.csv:" + p.format(triggers=triggers) for p in problems], importer
        assert state(office) == before


def test_a_good_file_is_written_with_one_audit_entry(civic_registry, tmp_path):
    office = civic_registry
    path = tmp_path / "cases.csv"
    # Spaces around cells, a blank line, a team's case, a person's case filed under their
    # own unit (C0001 is in KM-GOV), full-width and Chinese dates.
    path.write_text(HEADER + " C0001 ,,,abuse,complaint,推诿扯皮,２００８－０３－０４\n\n"
                    ",市政府办公厅领导班子,KM-GOV,decision,media,决策失误,2008年3月5日\n"
                    "C0002,,KM,other,audit,=不作为,2008.03\n", encoding="utf-8")
    assert actions.import_cases(office, path) == 3
    assert office.db.execute("SELECT person, team, unit, trigger, summary, opened_on FROM"
                             " accountability_cases ORDER BY id").fetchall() == [
        ("C0001", None, "KM-GOV", "abuse", "推诿扯皮", "2008-03-04"),
        (None, "市政府办公厅领导班子", "KM-GOV", "decision", "决策失误", "2008-03-05"),
        ("C0002", None, "KM", "other", "=不作为", "2008-03-01")]
    [(last, payload)] = office.db.execute("SELECT type, payload FROM audit_log"
                                          " ORDER BY id DESC LIMIT 1").fetchall()
    # One entry for the file: its name, count and digest, not its rows.
    assert last == "accountability.cases_imported" and '"cases":3' in payload
    assert "推诿扯皮" not in payload and '"digest":' in payload
    assert state(office)[2] == []  # opening a case restricts no one: a decision does


def test_a_good_file_takes_the_fast_path(civic_registry, tmp_path, monkeypatch):
    """A clean file (CSV or XLSX) is written by the fast path alone; the checked path reads
    only a file the fast one refused."""
    import openpyxl

    office = civic_registry

    def checked(*args):
        raise AssertionError("the checked path read a clean file")

    monkeypatch.setattr(actions, "import_cases_plain", checked)
    book = openpyxl.Workbook()
    for line in (HEADER + "C0003,,,abuse,inspection,推诿扯皮,2008-03-03\n").splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "cases.xlsx")
    assert actions.import_cases(office, tmp_path / "cases.xlsx") == 1
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + "C0002,,,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    assert actions.import_cases(office, path) == 1
    path.write_text(HEADER + "C0009,,,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="checked path"):
        actions.import_cases(office, path)


def test_an_import_inside_a_change_undoes_only_itself(civic_registry, tmp_path):
    """A refused file inside an outer change (a savepoint) leaves the outer change's own
    writes and lets it go on."""
    import datetime as dt

    office = civic_registry
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "C0009,,,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "C0004,,,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    with office.change():
        actions.open_case(office, person="C0005", trigger="other", source="media",
                          summary="x", opened_on=dt.date(2008, 3, 1))
        with pytest.raises(InputError):
            actions.import_cases(office, bad)
        assert actions.import_cases(office, good) == 1
    assert [r[0] for r in office.db.execute(
        "SELECT person FROM accountability_cases ORDER BY id")] == ["C0005", "C0004"]


# Columns a file may have (its header from each column's names), their good cells and their
# bad ones (a bad one is drawn about once a file, so that files both pass and fail).
COLUMNS = {
    "person": (("人员编号", "person"), ["C0001", "C0002", " C0005 "],
               ["C0009", "C0001\u200b", ""]),
    "team": (("班子",), ["", "", "市政府办公厅领导班子"], []),
    "unit": (("单位",), ["", "KM", "KM-XS", " KM-GOV"], ["KM-NONE"]),
    "trigger": (("问责情形",), ["abuse", "decision", "other"], ["nonsense", ""]),
    "source": (("来源",), ["complaint", "media", "task"], ["rumour", ""]),
    "summary": (("事由",), ["推诿扯皮", "第1号：办事拖拉，推诿扯皮", "=不作为"], [""]),
    "opened_on": (("立案日期",), ["2008-03-03", "2008年3月5日", "2008.03", "２００８－０３－０４"],
                  ["2008-13-01", "2008-02-30", ""]),
}


@st.composite
def case_files(draw) -> str:
    # Most files name people (a file without a person or team column is refused whole).
    optional = [c for c, odds in (("person", 8), ("team", 3), ("unit", 2))
                if draw(st.integers(0, odds)) != 0]
    columns = draw(st.permutations([*optional, "trigger", "source", "summary", "opened_on"]))
    header = [draw(st.sampled_from(COLUMNS[c][0])) for c in columns]
    lines = [",".join(header)]
    for _n in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["row"] * 12 + ["blank", "short"]))
        if kind == "blank":
            lines.append("")
            continue
        cells = []
        for column in columns:
            _names, good, bad = COLUMNS[column]
            pool = bad if bad and draw(st.integers(0, 30)) == 0 else good
            cells.append(draw(st.sampled_from(pool)))
        lines.append(",".join(cells[:-1] if kind == "short" else cells))
    return "\n".join(lines) + "\n"


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=case_files())
def test_the_fast_path_answers_as_the_checked_path(civic_registry, tmp_path, text):
    """On random files, good and bad, the two paths give the same count or the same
    problems, and write the same cases, audit rows and facts (none when refused)."""
    path = tmp_path / "random.csv"
    path.write_text(text, encoding="utf-8")
    fast, plain = (answer(importer, civic_registry, path) for importer in IMPORTERS)
    assert fast == plain
