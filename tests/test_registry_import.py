"""Registry imports: the whole file is validated first; problems name file:row:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic import audit
from civic.db import table_checksums
from civic.errors import InputError
from civic.importers import PEOPLE, import_file, rows_digest
from civic.registry import get_person, positions, units
from civic.tabular import load_table

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def loaded(office):
    for kind in ("units", "positions", "people"):
        import_file(office, kind, EXAMPLES / f"{kind}.csv")
    return office


def test_examples_import_in_order(loaded):
    db = loaded.db
    assert [u["code"] for u in units(db)][0] == "KM"
    person = get_person(db, "C0002")
    assert (person["name"], person["rank"], person["birth_date"]) == (
        "李明", "deputy_division", "1966-08-01")
    assert person["education"] == "bachelor"
    msz = next(p for p in positions(db) if p["code"] == "P-MSZ")
    assert (msz["holders"], msz["vacancies"], msz["party_required"]) == (1, 0, 1)
    assert audit.verify(db).ok


def test_one_import_is_one_audit_entry_with_a_digest(loaded):
    last = audit.entries(loaded.db, limit=1)[0]
    assert last.type == "core.records_imported"
    data = last.data()
    assert data["table"] == "people" and (data["rows"], data["added"]) == (7, 7)
    assert len(data["file_sha256"]) == 64
    # The digest is of the file's rows as parsed, in file order, after its columns: an
    # auditor holding the file recomputes it (no list of codes rides in the entry).
    rows = load_table(EXAMPLES / "people.csv", PEOPLE)
    header = (EXAMPLES / "people.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    present = [c.name for c in PEOPLE.columns if any(PEOPLE.match(h) is c for h in header)]
    assert data["rows_digest"] == rows_digest(
        present, (tuple(r.values[c] for c in present) for r in rows))


def test_reimport_updates_and_records_changed_fields(loaded, tmp_path):
    changed = tmp_path / "people.csv"
    text = (EXAMPLES / "people.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace("C0005,陈静,女,1975-05-05,白族,云南大理,群众",
                                    "C0005,陈静,女,1975-05-05,白族,云南大理,中共党员"),
                       encoding="utf-8")
    result = import_file(loaded, "people", changed)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 6)
    assert result.fields == {"party": 1}
    assert get_person(loaded.db, "C0005")["party"] == "中共党员"


def test_gbk_file_with_chinese_headers(office, tmp_path):
    path = tmp_path / "units-gbk.csv"
    path.write_bytes("编号,名称,上级\nKM,昆明市,\nKM-XS,西山区,KM\n".encode("gbk"))
    import_file(office, "units", path)
    assert [u["name"] for u in units(office.db)] == ["昆明市", "西山区"]


def test_parent_may_come_later_in_the_file(office, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("code,name,parent\nKM-XS,西山区,KM\nKM,昆明市,\n", encoding="utf-8")
    import_file(office, "units", path)
    assert {u["code"]: u["parent"] for u in units(office.db)} == {"KM": None, "KM-XS": "KM"}


# Each case: file text, then the expected problems as (row, column as written, reason part).
BAD_FILES = [
    ("people", "编号,姓名,出生日期\nC1,甲,1960-01-01\nC2,乙,1960-13-01\nC3,丙,1960-02-02\n",
     [(3, "出生日期", "")]),
    ("people", "code,name,unit\nC1,甲,NOPE\n", [(2, "unit", "unknown")]),
    ("people", "code,name\nC1,甲\nC1,乙\n", [(3, "code", "already on row 2")]),
    ("people", "code,name,rank\nC1,甲,将军\n", [(2, "rank", "unknown rank")]),
    ("people", "code,name,id_number\nC1,甲,110101199003070000\n",
     [(2, "id_number", "resident ID")]),
    ("people", "code,name\nC1,\n", [(2, "name", "")]),
    ("units", "code,name,parent\nA,甲,B\nB,乙,A\n", [(2, "parent", "loops"),
                                                   (3, "parent", "loops")]),
    ("positions", "code,title,headcount\nP1,局长,two\n", [(2, "headcount", "whole number")]),
]


@pytest.mark.parametrize(("kind", "text", "expected"), BAD_FILES)
def test_a_bad_file_writes_nothing_and_names_each_problem(office, tmp_path, kind, text,
                                                          expected):
    path = tmp_path / f"bad-{kind}.csv"
    path.write_text(text, encoding="utf-8")
    before = table_checksums(office.db)
    with pytest.raises(InputError) as error:
        import_file(office, kind, path)
    got = [(p.row, p.column, p.reason) for p in error.value.problems]
    assert [(r, c) for r, c, _reason in got] == [(r, c) for r, c, _part in expected]
    for (_r, _c, reason), (_er, _ec, part) in zip(got, expected, strict=True):
        assert part in reason
    assert all(p.file == path.name for p in error.value.problems)
    assert table_checksums(office.db) == before


def test_one_bad_row_among_many_names_that_row(office, tmp_path):
    rows = [f"C{i:04d},人{i},1970-01-01" for i in range(500)]
    rows[321] = "C0321,人321,1970-02-30"
    path = tmp_path / "many.csv"
    path.write_text("code,name,birth_date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_file(office, "people", path)
    assert [(p.row, p.column) for p in error.value.problems] == [(323, "birth_date")]
    assert office.db.execute("SELECT count(*) FROM people").fetchone()[0] == 0


def test_xlsx_import(office, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "名称"])
    ws.append(["KM", "昆明市"])
    path = tmp_path / "units.xlsx"
    wb.save(path)
    import_file(office, "units", path)
    assert units(office.db)[0]["name"] == "昆明市"


def test_examples_are_shipped():
    for name in ("units.csv", "people.csv", "positions.csv"):
        assert (EXAMPLES / name).exists()
