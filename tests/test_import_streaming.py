"""The streamed registry import (two passes through a temporary table, checks across rows in
SQL) against a plain reference that holds every row in memory, the way imports worked before:
on random files, both find the same problems and make the same changes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import audit
from civic.errors import InputError
from civic.importers import PEOPLE, STAGE, UNITS, import_file
from civic.registry import check_id_number
from civic.tabular import read_rows, write_table

PEOPLE_HEADER = ["code", "name", "id_number", "unit", "party"]


def _id(serial: int) -> str:
    """A valid resident ID number (GB 11643-1999) for a small serial number."""
    body = f"53010219700101{serial:03d}"
    checksum = (1 - 2 * int(body, 13)) % 11
    return body + ("X" if checksum == 10 else str(checksum))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    write_table(path, header, rows)
    return path


def _plain_people_problems(db, rows: list[list[str]]) -> set[tuple[int, str, str]]:
    """The cross-row checks of a file's rows (code, name, ID number, unit, party)."""
    return _cross_row_problems(db, ((number, code, id_number, unit) for number,
                                    (code, _name, id_number, unit, _party) in enumerate(rows, 2)))


def _cross_row_problems(db, rows) -> set[tuple[int, str, str]]:
    """The cross-row checks as they were written before the import streamed: a dict of codes
    seen, a dict of ID numbers in the file and in the office, sets of known codes. `rows`:
    (row number, code, ID number, unit)."""
    units = {r[0] for r in db.execute("SELECT code FROM units")}
    held = dict(db.execute("SELECT id_number, code FROM people WHERE id_number != ''"))
    seen: dict[str, int] = {}
    numbers: dict[str, tuple[str, int]] = {}
    out = set()
    for number, code, id_number, unit in rows:
        if code in seen:
            out.add((number, "code", f"code {code} already on row {seen[code]}"))
        seen.setdefault(code, number)
        if id_number:
            first = numbers.setdefault(id_number, (code, number))
            if first[0] != code:
                out.add((number, "id_number",
                         f"ID number already given on row {first[1]} for {first[0]}"))
            elif held.get(id_number, code) != code:
                out.add((number, "id_number",
                         f"ID number already held by {held[id_number]} in the office"))
        if unit and unit not in units:
            out.add((number, "unit", f"unknown units code {unit}"))
    return out


def _random_people(rng: random.Random) -> list[list[str]]:
    """Rows drawn from small pools, so codes, ID numbers and units repeat and collide."""
    return [[f"R{rng.randint(0, 40):02d}", rng.choice("甲乙丙丁"),
             rng.choice(["", _id(rng.randint(0, 30))]), rng.choice(["", "KM", "KM", "NOPE"]),
             rng.choice(["", "中共党员", "群众"])] for _ in range(rng.randint(1, 25))]


def _table(db) -> dict[str, tuple]:
    return {r[0]: tuple(r[1:]) for r in db.execute(
        "SELECT code, name, id_number, unit, party, status FROM people")}


def test_streamed_checks_and_writes_agree_with_the_plain_reference(office, tmp_path):
    db = office.db
    db.execute("INSERT INTO units (code, name) VALUES ('KM', '昆明市')")
    db.conn.commit()
    rng = random.Random(16)  # seeded: a failure names its case and replays
    outcomes = {"rejected": 0, "written": 0}
    for case in range(120):
        rows = _random_people(rng)
        path = _write(tmp_path / f"case-{case}.csv", PEOPLE_HEADER, rows)
        expected = _plain_people_problems(db, rows)
        before = _table(db)
        entries = audit.head(db)[0]
        try:
            result = import_file(office, "people", path)
        except InputError as error:
            found = {(p.row, p.column, p.reason) for p in error.problems}
            assert found == expected, f"case {case}"
            assert _table(db) == before and audit.head(db)[0] == entries, f"case {case}"
            outcomes["rejected"] += 1
            continue
        assert not expected, f"case {case}"
        outcomes["written"] += 1
        # The plain write: each row's present values over what was there; empty cells clear
        # a value (status, NOT NULL, takes its default).
        after = dict(before)
        for code, name, id_number, unit, party in rows:
            after[code] = (name, id_number or None, unit or None, party or None,
                           before.get(code, (None,) * 5)[4] or "serving")
        assert _table(db) == after, f"case {case}"
        changed = {c for c in after if c in before and after[c] != before[c]}
        assert (result.rows, result.added, result.updated) == (
            len(rows), len(set(after) - set(before)), len(changed)), f"case {case}"
        assert result.unchanged == len(rows) - result.added - result.updated
        fields = {}
        for code in changed:
            for column, old, new in zip(PEOPLE_HEADER[1:], before[code], after[code],
                                        strict=False):
                fields[column] = fields.get(column, 0) + (old != new)
        assert result.fields == {c: n for c, n in fields.items() if n}, f"case {case}"
    assert outcomes["rejected"] > 20 and outcomes["written"] > 5  # both paths were taken
    assert audit.verify(db).ok


def test_the_stage_is_gone_after_an_import_good_or_bad(office, tmp_path):
    db = office.db
    good = _write(tmp_path / "good.csv", ["code", "name"], [["A1", "甲"]])
    bad = _write(tmp_path / "bad.csv", ["code", "name"], [["A2", "乙"], ["A2", "丙"]])
    import_file(office, "people", good)
    with pytest.raises(InputError):
        import_file(office, "people", bad)
    tables = {r[0] for r in db.execute("SELECT name FROM temp.sqlite_master")}
    assert not {t for t in tables if t.startswith(STAGE)}
    assert not db.conn.in_transaction


def test_an_import_inside_an_outer_transaction_is_undone_with_it(office, tmp_path):
    """A preview runs the import in a transaction it then rolls back: the staging must not
    commit that transaction halfway."""
    db = office.db
    path = _write(tmp_path / "people.csv", ["code", "name"], [["A1", "甲"], ["A2", "乙"]])
    db.execute("BEGIN IMMEDIATE")
    result = import_file(office, "people", path)
    assert (result.added, db.execute("SELECT count(*) FROM people").fetchone()[0]) == (2, 2)
    db.conn.rollback()
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0


def test_units_may_name_parents_further_down_and_loops_are_found(office, tmp_path):
    path = _write(tmp_path / "units.csv", ["code", "name", "parent"],
                  [["C", "丙", "B"], ["B", "乙", "A"], ["A", "甲", ""]])
    result = import_file(office, "units", path)
    assert result.added == 3
    parents = dict(office.db.execute("SELECT code, parent FROM units").fetchall())
    assert parents == {"A": None, "B": "A", "C": "B"}
    loop = _write(tmp_path / "loop.csv", ["code", "parent"], [["A", "C"]])
    with pytest.raises(InputError) as error:
        import_file(office, "units", _write(loop, ["code", "name", "parent"], [["A", "甲", "C"]]))
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "parent")]
    assert "loops back" in error.value.problems[0].reason


def test_a_stored_number_not_yet_normalised_still_counts_as_held(office, tmp_path):
    """Numbers stored before import normalised them (full-width digits) are compared in
    their normal form."""
    number = _id(7)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    office.db.execute("INSERT INTO people (code, name, id_number) VALUES ('OLD', '旧', ?)",
                      (wide,))
    office.db.conn.commit()
    assert check_id_number(wide) == number
    path = _write(tmp_path / "people.csv", ["code", "name", "id_number"], [["NEW", "新", number]])
    with pytest.raises(InputError, match="already held by OLD"):
        import_file(office, "people", path)


def test_problems_past_the_limit_are_counted_not_listed(office, tmp_path, monkeypatch):
    import civic.importers

    monkeypatch.setattr(civic.importers, "MAX_PROBLEMS", 3)
    path = _write(tmp_path / "people.csv", ["code", "name", "unit"],
                  [[f"A{i}", "甲", "NOPE"] for i in range(10)])
    with pytest.raises(InputError) as error:
        import_file(office, "people", path)
    problems = error.value.problems
    assert [p.row for p in problems[:3]] == [2, 3, 4]
    assert problems[-1].row is None and "7 more problems" in problems[-1].reason


def test_schemas_name_only_columns_their_tables_have(office):
    """The stage copies each registry table's column types by name."""
    for schema, table in ((PEOPLE, "people"), (UNITS, "units")):
        columns = {r[1] for r in office.db.execute(f"PRAGMA table_info({table})")}
        assert {c.name for c in schema.columns} <= columns


def test_new_people_follow_the_office_in_file_order(office, tmp_path):
    """New rows go in after the office's, in file order; a row for a known code is not
    inserted again but updates that record (the insert skips it as its key's conflict)."""
    db = office.db
    first = _write(tmp_path / "first.csv", ["code", "name"], [["B2", "乙"], ["A1", "甲"]])
    assert import_file(office, "people", first).added == 2
    mixed = _write(tmp_path / "mixed.csv", ["code", "name"],
                   [["D4", "丁"], ["A1", "甲一"], ["C3", "丙"]])
    result = import_file(office, "people", mixed)
    assert (result.added, result.updated, result.fields) == (2, 1, {"name": 1})
    new = _write(tmp_path / "new.csv", ["code", "name"], [["F6", "己"], ["E5", "戊"]])
    assert import_file(office, "people", new).added == 2
    assert [r[0] for r in db.execute("SELECT code FROM people ORDER BY rowid")] == [
        "B2", "A1", "D4", "C3", "F6", "E5"]
    assert db.execute("SELECT name FROM people WHERE code = 'A1'").fetchone()[0] == "甲一"


# Cells as offices get them wrong: a bad check character, an impossible birth date, a date
# in the future, an empty name (required), text a spreadsheet would run as a formula.
GOOD = ["王伟", "李娜", "欧阳明", "张三", "单雄信", "曾国藩"]
CELLS = {
    "code": st.sampled_from([f"P{i}" for i in range(1, 10)] + ["K1", "=P0"]),
    "name": st.sampled_from(GOOD * 3 + [""]),
    "id_number": st.sampled_from([""] * 6 + [_id(i) for i in range(1, 9)]
                                 + [_id(1)[:-1] + "0", "530102197013320017"]),
    "birth_date": st.sampled_from(["", "1970-01-01", "1970年2月3日", "1980.5.6"] * 4
                                  + ["2999-01-01", "soon"]),
    "unit": st.sampled_from(["", "KM"] * 8 + ["NOPE"]),
}
WIDE_HEADER = list(CELLS)


def _plain_outcome(db, path: Path) -> tuple[set[tuple], list[tuple[int, dict]]]:
    """Problems and clean rows as the plain reader (a `Row` at a time, every cell through the
    general rules) and a plain loop over the clean rows find them."""
    clean: list[tuple[int, dict]] = []
    problems: set[tuple] = set()
    try:
        for row in read_rows(path, PEOPLE):
            clean.append((row.number, row.values))
    except InputError as error:
        problems = {(p.row, p.column, p.reason) for p in error.problems}
    problems |= _cross_row_problems(db, ((n, v["code"], v["id_number"], v["unit"])
                                         for n, v in clean))
    return problems, clean


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(
    st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=6),
    # Codes and numbers each given once: files that pass more often.
    st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=6,
             unique_by=(lambda r: r["code"], lambda r: r["id_number"] or r["code"]))))
def test_the_import_finds_what_the_plain_reader_finds_and_writes_what_it_would(
        office, tmp_path, rows):
    """Files with bad cells and rows that collide, into an office that already holds a
    person (K1, with ID number 2): the streamed import (fast cell reader, checks in SQL,
    new rows inserted past the known codes' key conflicts) refuses exactly
    the problems a plain read finds, writing nothing, or writes exactly the plain rows."""
    db = office.db
    if not db.execute("SELECT 1 FROM units").fetchone():
        db.execute("INSERT INTO units (code, name) VALUES ('KM', '昆明市')")
        db.execute("INSERT INTO people (code, name, id_number) VALUES ('K1', '旧', ?)", (_id(2),))
        db.conn.commit()
    path = _write(tmp_path / "wide.csv", WIDE_HEADER,
                  [[r[c] for c in WIDE_HEADER] for r in rows])
    expected, clean = _plain_outcome(db, path)
    before, entries = _table(db), audit.head(db)[0]
    try:
        result = import_file(office, "people", path)
    except InputError as error:
        found = [(p.row, p.column, p.reason) for p in error.problems]
        assert set(found) == expected and len(found) == len(expected)
        assert found == sorted(found, key=lambda p: (p[0], p[1] or ""))  # in row order
        assert _table(db) == before and audit.head(db)[0] == entries
        return
    assert not expected
    after = dict(before)
    for _number, values in clean:
        old = before.get(values["code"])
        after[values["code"]] = (values["name"], values["id_number"], values["unit"],
                                 old[3] if old else None, old[4] if old else "serving")
    assert _table(db) == after
    assert (result.rows, result.added) == (len(clean), len(set(after) - set(before)))
    db.execute("DELETE FROM people WHERE code != 'K1'")  # the next file meets K1 alone
    db.conn.commit()
