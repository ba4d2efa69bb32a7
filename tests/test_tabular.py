"""Reading office CSV/XLSX files: encodings, headers, row numbers and the exact problems reported.

Every fixture is written into tmp_path by the test that uses it, so the bytes under test are
visible right here.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import tabular
from civic.dates import parse_date
from civic.errors import InputError, InputProblem
from civic.i18n import current_language, set_language
from civic.tabular import (
    Column,
    Complaint,
    Row,
    Schema,
    header_key,
    load_table,
    read_rows,
    safe_cell,
    validate,
    write_table,
)

PEOPLE = Schema(
    [
        Column("name", ("姓名",), required=True),
        Column("gender", ("性别",)),
        Column("birth_date", ("出生日期", "出生年月"), parse=parse_date),
        Column("unit_code", ("单位代码",)),
    ]
)

CHINESE = "姓名,性别,出生日期,单位代码\n张三,男,1975.03,U01\n李四,女,1980年2月5日,U02\n"
CHINESE_VALUES = [
    {"name": "张三", "gender": "男", "birth_date": date(1975, 3, 1), "unit_code": "U01"},
    {"name": "李四", "gender": "女", "birth_date": date(1980, 2, 5), "unit_code": "U02"},
]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")  # reasons are asserted as their English msgids
    yield
    set_language(before)


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def problems_of(path: Path, schema: Schema = PEOPLE, check=None) -> list[InputProblem]:
    with pytest.raises(InputError) as info:
        load_table(path, schema, check)
    return info.value.problems


def problem(file: str, row: int | None, column: str | None, reason: str) -> InputProblem:
    return InputProblem(file, row, column, reason)


# --- encodings and layouts ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_reads_chinese_csv_in_each_office_encoding(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "people.csv", CHINESE, encoding)
    rows = load_table(path, PEOPLE)
    assert [r.values for r in rows] == CHINESE_VALUES
    assert [r.number for r in rows] == [2, 3]


def test_short_gbk_file_is_not_misguessed(tmp_path: Path) -> None:
    # charset-normalizer reads these few GBK bytes as something else; strict GB18030 does not.
    path = write(tmp_path, "short.csv", "姓名\n张三\n", "gbk")
    assert [r["name"] for r in load_table(path, PEOPLE)] == ["张三"]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        "刘䶮".encode("gbk")  # the fixture really needs GB18030
    path = write(tmp_path, "people.csv", "姓名\n刘䶮\n", "gb18030")
    assert [r["name"] for r in load_table(path, PEOPLE)] == ["刘䶮"]


def test_english_headers_any_case_spacing_and_stars(tmp_path: Path) -> None:
    text = "\ufeff  *Name , GENDER,Birth Date,unit-code\r\nZhang San,M,1975-03-05,U01\r\n"
    path = write(tmp_path, "people.csv", text)
    rows = load_table(path, PEOPLE)
    assert rows[0].values == {
        "name": "Zhang San",
        "gender": "M",
        "birth_date": date(1975, 3, 5),
        "unit_code": "U01",
    }


def test_header_key_normalisation() -> None:
    assert header_key("\ufeff Birth_Date ") == header_key("birth date") == "birthdate"
    assert header_key("*出生日期") == header_key("出生 日期") == "出生日期"
    assert header_key("ＮＡＭＥ") == "name"  # full-width letters


def test_crlf_and_quoted_newlines_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    text = '姓名,单位代码\r\n"张\r\n三",U01\r\n李四,"U\n02"\r\n\r\n王五,U03\r\n'
    path = write(tmp_path, "people.csv", text)
    rows = load_table(path, PEOPLE)
    # Row numbers count records, as Excel/WPS show them, not physical lines.
    assert [(r.number, r["name"], r["unit_code"]) for r in rows] == [
        (2, "张\r\n三", "U01"),
        (3, "李四", "U\n02"),
        (5, "王五", "U03"),
    ]


def test_blank_lines_before_header_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", "\n,,\n姓名,性别\n张三,男\n,\n , \n李四,女\n")
    rows = load_table(path, PEOPLE)
    assert [(r.number, r["name"]) for r in rows] == [(4, "张三"), (7, "李四")]


def test_blank_rows_are_skipped_without_required_columns_too(tmp_path: Path) -> None:
    schema = Schema([Column("gender", ("性别",)), Column("note", ("备注",))])
    path = write(tmp_path, "p.csv", "性别,备注\n男,\n \t, \u3000\n\n,女\n")
    rows = load_table(path, schema)
    assert [(r.number, r.values) for r in rows] == [
        (2, {"gender": "男", "note": None}),
        (5, {"gender": None, "note": "女"}),
    ]


def test_values_in_schema_order_with_absent_optional_columns_none(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", "单位代码,姓名\nU01,张三\n")
    (row,) = load_table(path, PEOPLE)
    assert list(row.values.items()) == [
        ("name", "张三"),
        ("gender", None),
        ("birth_date", None),
        ("unit_code", "U01"),
    ]


def test_cells_are_stripped_and_empty_cells_are_none(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", "姓名,性别,出生日期\n 张三\u3000, ,\n")
    (row,) = load_table(path, PEOPLE)
    assert (row["name"], row["gender"], row["birth_date"]) == ("张三", None, None)


def test_short_rows_and_trailing_empty_cells_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", "姓名,性别,单位代码\n张三\n李四,女,U02,,\n")
    rows = load_table(path, PEOPLE)
    assert [r.values["unit_code"] for r in rows] == [None, "U02"]


def test_tab_separated_utf16_excel_unicode_text(tmp_path: Path) -> None:
    path = write(tmp_path, "people.txt", "姓名\t性别\r\n张三\t男\r\n", "utf-16")
    assert [r.values["gender"] for r in load_table(path, PEOPLE)] == ["男"]


def test_quoted_field_up_to_the_csv_limit_is_read(tmp_path: Path) -> None:
    long = "长" * 100_000
    path = write(tmp_path, "people.csv", f'姓名,单位代码\n张三,"{long}"\n')
    assert load_table(path, PEOPLE)[0]["unit_code"] == long


# --- XLSX ----------------------------------------------------------------------------------


def make_xlsx(path: Path, rows: Iterable[Iterable[object]], second_sheet: bool = False) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if second_sheet:
        book.create_sheet("other").append(["ignored"])
    book.save(path)
    return path


def test_reads_xlsx_first_sheet_with_types_normalised(tmp_path: Path) -> None:
    schema = Schema(
        [
            Column("name", ("姓名",), required=True),
            Column("birth_date", ("出生日期",), parse=parse_date),
            Column("score", ("成绩",)),
            Column("count", ("人数",), parse=int),
            Column("note", ("备注",)),
        ]
    )
    path = make_xlsx(
        tmp_path / "people.xlsx",
        [
            ["姓名", "出生日期", "成绩", "人数", "备注"],
            ["张三", datetime(1975, 3, 5), 88.5, 3.0, None],
            ["李四", "1980.02", 90, 4, None],
        ],
        second_sheet=True,
    )
    rows = load_table(path, schema)
    assert [r.values for r in rows] == [
        # (A formula with no cached value is refused: tests/faults/test_cells.py.)
        {"name": "张三", "birth_date": date(1975, 3, 5), "score": "88.5", "count": 3, "note": None},
        {"name": "李四", "birth_date": date(1980, 2, 1), "score": "90", "count": 4, "note": None},
    ]


def test_xlsx_row_numbers_count_gaps(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生日期"])
    sheet["A2"] = "张三"
    sheet["A5"] = "李四"
    sheet["B5"] = "2023-02-30"
    sheet["A7"] = "王五"
    book.save(tmp_path / "people.xlsx")
    with pytest.raises(InputError) as info:
        load_table(tmp_path / "people.xlsx", PEOPLE)
    assert str(info.value) == "people.xlsx:5:出生日期: day 30 is out of range for 2023-02"


def test_xlsx_is_recognised_by_content_not_suffix(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "upload.dat", [["姓名"], ["张三"]])
    assert [r["name"] for r in load_table(path, PEOPLE)] == ["张三"]


def test_empty_xlsx_is_empty(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "empty.xlsx", [])
    assert problems_of(path) == [problem("empty.xlsx", None, None, "the file is empty")]


# --- the problems reported -------------------------------------------------------------


def test_bad_date_in_row_5_names_file_row_and_header(tmp_path: Path) -> None:
    text = "姓名,出生日期\n甲,1970.01\n乙,1971.02\n丙,1972.03\n丁,2023-02-30\n戊,1974.05\n"
    path = write(tmp_path, "people.csv", text, "gbk")
    with pytest.raises(InputError) as info:
        load_table(path, PEOPLE)
    assert info.value.problems == [
        problem("people.csv", 5, "出生日期", "day 30 is out of range for 2023-02")
    ]
    assert str(info.value) == "people.csv:5:出生日期: day 30 is out of range for 2023-02"


def test_every_row_problem_is_reported_together(tmp_path: Path) -> None:
    text = "姓名,出生年月\n,1970.01\n乙,junk\n丙,1972.13\n丁,1973.04\n"
    assert problems_of(write(tmp_path, "p.csv", text)) == [
        problem("p.csv", 2, "姓名", "a value is required"),
        problem("p.csv", 3, "出生年月", "not a date: junk"),
        problem("p.csv", 4, "出生年月", "month 13 is out of range"),
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "性别,出生日期\n男,1970.01\n")
    assert problems_of(path) == [problem("p.csv", 1, None, "missing required column name / 姓名")]


def test_duplicate_header_even_through_an_alias(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,出生日期,出生年月,Name\n张三,1970.01,1970.01,张三\n")
    assert problems_of(path) == [
        problem("p.csv", 1, "出生年月", "duplicate column: 出生日期 is the same column"),
        problem("p.csv", 1, "Name", "duplicate column: 姓名 is the same column"),
    ]


def test_unknown_header_is_a_problem_unless_extras_are_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,民族\n张三,汉族\n")
    assert problems_of(path) == [problem("p.csv", 1, "民族", "unknown column 民族")]
    lenient = Schema(PEOPLE.columns, allow_extra=True)
    assert [r.values["name"] for r in load_table(path, lenient)] == ["张三"]


def test_header_problems_still_report_row_problems_and_yield_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,民族,出生日期\n张三,汉族,1970.01\n李四,汉族,x\n")
    reader = read_rows(path, PEOPLE)
    with pytest.raises(InputError):
        assert list(reader) == []  # no row escapes when the header is wrong
    assert reader.problems == [
        problem("p.csv", 1, "民族", "unknown column 民族"),
        problem("p.csv", 3, "出生日期", "not a date: x"),
    ]


def test_row_with_more_cells_than_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,性别\n张三,男\n李四,女,多余,\n")
    assert problems_of(path) == [
        problem("p.csv", 3, None, "the row has 3 cells but the header has 2")
    ]


def test_value_under_a_blank_header(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,,性别\n张三,,男\n李四,x,女\n")
    assert problems_of(path) == [problem("p.csv", 3, None, "column 2 has a value but no header")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf", "the file is empty"),
        (b"\r\n\r\n  \n", "the file is empty"),
        (b",,,\n,,\n", "the file is empty"),
        (bytes(range(256)) * 64, "not a CSV or XLSX file"),
        (bytes(range(1, 256)) * 64, "not a CSV or XLSX file"),  # no NUL: reaches the guesser
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a CSV or XLSX file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "old .xls files are not supported; save it as .xlsx or CSV",
        ),
    ],
)
def test_file_level_problems(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "in.csv", content)
    assert problems_of(path) == [problem("in.csv", None, None, reason)]


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    (found,) = problems_of(path)
    assert (found.file, found.row, found.column) == ("report.xlsx", None, None)
    assert found.reason.startswith("not a readable XLSX file (")


def test_file_not_found_and_directory(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope.csv") == [problem("nope.csv", None, None, "file not found")]
    (tmp_path / "folder").mkdir()
    assert problems_of(tmp_path / "folder") == [problem("folder", None, None, "not a file")]


def test_undecodable_bytes_name_each_row_and_reading_goes_on(tmp_path: Path) -> None:
    # More than the 64 KiB sample of valid UTF-8 first, so UTF-8 is chosen and the bad bytes
    # are met mid-stream, where the row has to be named.
    good = "".join(f"人员{i},1970.01\n" for i in range(2, 5002))
    tail = b"\xff\xfe,1970.01\n\xe5\xbc\xa0\xe4\xb8\x89,1970.01\n\xbd\xa8,2023-02-30\nok,\xff\n"
    path = write(tmp_path, "big.csv", ("姓名,出生日期\n" + good).encode() + tail)
    assert len(good.encode()) > 64 * 1024
    assert problems_of(path) == [
        problem("big.csv", 5002, "姓名", "bytes that are not valid UTF-8 text"),
        problem("big.csv", 5004, "姓名", "bytes that are not valid UTF-8 text"),
        problem("big.csv", 5005, "出生日期", "bytes that are not valid UTF-8 text"),
    ]


def test_undecodable_bytes_in_a_small_file(tmp_path: Path) -> None:
    # Invalid as UTF-8 and as GB18030, so the guesser picks something; the file is refused.
    path = write(tmp_path, "p.csv", b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d\n\xff\xfe\xff\n")
    assert problems_of(path) == [problem("p.csv", 2, "姓名", "bytes that are not valid UTF-8 text")]


def test_huge_field_from_an_open_quote_stops_with_a_clear_problem(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    text = '姓名,单位代码\n张三,U01\n李四,"' + "x" * (limit + 10) + "\n王五,U03\n"
    path = write(tmp_path, "p.csv", text)
    reason = f"a cell is longer than {limit} characters; is a quote left open?"
    assert problems_of(path) == [problem("p.csv", 3, None, reason)]


def test_problem_list_is_capped(tmp_path: Path) -> None:
    text = "姓名,出生日期\n" + "张三,x\n" * 1500
    path = write(tmp_path, "p.csv", text)
    with pytest.raises(InputError) as info:
        load_table(path, PEOPLE)
    found = info.value.problems
    assert len(found) == 1001
    assert found[999] == problem("p.csv", 1001, "出生日期", "not a date: x")
    assert found[1000] == problem("p.csv", None, None, "500 more problems not listed")


# --- importer hooks and streaming ---------------------------------------------------------


def unit_checker(known: set[str]):
    """What an importer writes: its own per-row checks, stateful for duplicates."""
    seen: dict[str, int] = {}

    def check(row: Row) -> list[Complaint]:
        complaints: list[Complaint] = []
        if row["unit_code"] and row["unit_code"] not in known:
            complaints.append(("unit_code", f"unknown unit {row['unit_code']}"))
        first = seen.setdefault(row["name"], row.number)
        if first != row.number:
            complaints.append((None, f"same person as row {first}"))
        return complaints

    return check


def test_importer_checks_join_parse_problems_in_one_error(tmp_path: Path) -> None:
    text = (
        "姓名,出生日期,单位代码\n张三,1970.01,U01\n李四,x,U01\n王五,1972.01,U99\n张三,1970.01,U01\n"
    )
    path = write(tmp_path, "p.csv", text)
    assert problems_of(path, check=unit_checker({"U01"})) == [
        problem("p.csv", 3, "出生日期", "not a date: x"),
        problem("p.csv", 4, "单位代码", "unknown unit U99"),
        problem("p.csv", 5, None, "same person as row 2"),
    ]
    good = write(tmp_path, "good.csv", "姓名,单位代码\n张三,U01\n")
    assert validate(good, PEOPLE, unit_checker({"U01"})) == 1


def test_streaming_import_rolls_back_when_the_stream_ends_with_problems(tmp_path: Path) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE people (name TEXT NOT NULL, gender, birth_date, unit_code)")
    insert = "INSERT INTO people VALUES (?, ?, ?, ?)"

    bad = write(tmp_path, "bad.csv", "姓名,出生日期\n张三,1970.01\n,1971.01\n李四,1972.01\n")
    with pytest.raises(InputError) as info, db:
        db.executemany(insert, (tuple(r.values.values()) for r in read_rows(bad, PEOPLE)))
    assert [str(p) for p in info.value.problems] == ["bad.csv:3:姓名: a value is required"]
    assert db.execute("SELECT count(*) FROM people").fetchone() == (0,)

    good = write(tmp_path, "good.csv", CHINESE)
    with db:
        db.executemany(insert, (tuple(r.values.values()) for r in read_rows(good, PEOPLE)))
    assert db.execute("SELECT name, birth_date FROM people").fetchall() == [
        ("张三", "1975-03-01"),
        ("李四", "1980-02-05"),
    ]


def test_consumer_can_report_problems_while_streaming(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,单位代码\n张三,U01\n李四,U02\n")
    reader = read_rows(path, PEOPLE)
    names = []
    with pytest.raises(InputError) as info:
        for row in reader:
            names.append(row["name"])
            if row["unit_code"] == "U02":
                reader.report(row, "unit_code", "unit U02 is closed")
    assert names == ["张三", "李四"]
    assert info.value.problems == [problem("p.csv", 3, "单位代码", "unit U02 is closed")]
    assert reader.headers == {"name": "姓名", "unit_code": "单位代码"}


def test_closing_early_raises_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "姓名,出生日期\n张三,1970.01\n李四,bad\n")
    reader = read_rows(path, PEOPLE)
    first = next(iter(reader))
    reader.close()
    assert first["name"] == "张三"
    assert list(reader) == []


def test_parse_errors_of_custom_parsers_are_problems(tmp_path: Path) -> None:
    schema = Schema([Column("votes", ("票数",), required=True, parse=int)])
    path = write(tmp_path, "v.csv", "票数\n12\n十二\n")
    (found,) = problems_of(path, schema)
    assert (found.row, found.column) == (3, "票数")
    assert "invalid literal for int()" in found.reason


def test_schema_refuses_a_header_naming_two_columns() -> None:
    with pytest.raises(ValueError, match="names both"):
        Schema([Column("name", ("姓名",)), Column("full_name", ("姓 名",))])


# --- rows as tuples (the fast path for long files) ---------------------------------------------

MARKS = Schema(
    [
        Column("ballot", ("票号",), required=True),
        Column("position", ("职位",), required=True),
        Column("choice", ("人选",)),
    ]
)
CELLS = st.sampled_from(
    ["", " ", "\t", "\u3000", "1", " 2 ", "X", "x y", "a,b", 'q"t', "two\nlines", "票"]
)
HEADERS = st.sampled_from(
    [
        ["ballot", "position", "choice"],
        ["人选", "票号", "职位"],
        ["ballot", "position"],  # an absent optional column
        ["ballot", "", "position", "choice"],  # a blank header
        ["ballot", "position", "choice", "extra"],  # an unknown column: no row is clean
        [" 票号 ", "position", "choice", ""],
    ]
)
TUPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def both_ways(path: Path, schema: Schema, check_factory=None):
    """(rows, problems) read as tuples and as `Row`s, the latter as (number, values) tuples."""

    def read(tuples: bool):
        reader = read_rows(path, schema, check_factory() if check_factory else None)
        out: list = []
        try:
            if tuples:
                out.extend(reader.tuples())
            else:
                out.extend((row.number, tuple(row.values.values())) for row in reader)
        except InputError as exc:
            return out, exc.problems
        return out, None

    return read(True), read(False)


@TUPLES
@given(HEADERS, st.lists(st.lists(CELLS, max_size=5), max_size=12))
def test_tuples_are_the_rows_and_problems_of_the_general_path(
    tmp_path: Path, header: list[str], rows: list[list[str]]
) -> None:
    path = write(tmp_path, "marks.csv", csv_text(header, rows))
    as_tuples, as_rows = both_ways(path, MARKS)
    assert as_tuples == as_rows


@TUPLES
@given(st.lists(st.lists(st.sampled_from(["", " 张三 ", "李四", "1975.03", "x", " "]),
                         max_size=4), max_size=10))
def test_tuples_with_parse_and_check_are_the_rows_of_the_general_path(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    path = write(tmp_path, "p.csv", csv_text(["姓名", "出生日期", "单位代码"], rows))
    for check in (None, lambda: unit_checker({"李四"})):
        as_tuples, as_rows = both_ways(path, PEOPLE, check)
        assert as_tuples == as_rows


# Cells for the registry's own people schema: good and bad values of each kind, so the fast
# path (one converter made for the file) meets every way a cell can fail. The ID numbers are
# GB 11643-1999's worked example, a wrong check character, an unknown region and an
# impossible birth date; "=1" starts like a formula, "a\nb" is a quote left open.
REGISTRY_CELLS = st.sampled_from([
    "", " ", "C1", " C2 ", "=1", "a\nb", "王伟", "男", "F", "x", "1980-02-30", "1975.03",
    "1975-03-01", "2999-01-01", "11010519491231002X", "110105194912310021",
    "99010519491231002X", "110105194913310025", "本科", "博士后", "正科", "serving", "退休",
    "选调生;援藏干部", "KM"])
REGISTRY_HEADERS = st.sampled_from([
    ["编号", "姓名", "性别", "出生日期", "身份证号", "学历", "职级", "状态", "标签"],
    ["姓名", "编号", "身份证号"],  # absent optional columns
    ["编号", "姓名", "性别", "", "出生日期"],  # a blank header
    ["编号", "出生日期"],  # a required column missing
])


@TUPLES
@given(REGISTRY_HEADERS, st.lists(st.lists(REGISTRY_CELLS, max_size=11), max_size=10))
def test_fast_path_is_the_general_path_on_registry_rows(
    tmp_path: Path, header: list[str], rows: list[list[str]]
) -> None:
    """The converter made once per file gives the values and problems (file:row:column,
    reason) that the cell-by-cell rules give, whatever the cells, on the people schema
    `civic people import` reads."""
    from civic.importers import PEOPLE as REGISTRY_PEOPLE

    path = write(tmp_path, "people.csv", csv_text(header, rows))
    as_tuples, as_rows = both_ways(path, REGISTRY_PEOPLE)
    assert as_tuples == as_rows


def test_the_fast_path_names_each_bad_cell(tmp_path: Path) -> None:
    from civic.importers import PEOPLE as REGISTRY_PEOPLE

    path = write(tmp_path, "p.csv", "编号,姓名,身份证号,出生日期\n"
                 "C1,王伟,11010519491231002X,1949-12-31\n"
                 "C2,李娜,110105194912310021,1950-13-01\n"
                 ",张三,,\n")
    reader = read_rows(path, REGISTRY_PEOPLE)
    with pytest.raises(InputError) as caught:
        list(reader.tuples())
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("p.csv", 3, "出生日期"), ("p.csv", 3, "身份证号"), ("p.csv", 4, "编号")]


def test_tuples_take_the_fast_path_for_clean_rows(tmp_path: Path, monkeypatch) -> None:
    made: list[int] = []

    class CountingRow(Row):
        __slots__ = ()

        def __init__(self, number: int, values: dict) -> None:
            made.append(number)
            super().__init__(number, values)

    monkeypatch.setattr(tabular, "Row", CountingRow)
    path = write(tmp_path, "m.csv", "票号,职位,人选\n1, X ,a\n1,Y,\n2,X,b\n, , \n3,Z,c,,\n")
    assert list(read_rows(path, MARKS).tuples()) == [
        (2, ("1", "X", "a")),
        (3, ("1", "Y", None)),
        (4, ("2", "X", "b")),
        (6, ("3", "Z", "c")),
    ]
    # An empty optional cell stays on the fast path; a row longer than the header (here
    # by empty cells, which are fine) goes the general way, which looks at its shape.
    assert made == [6]


@pytest.mark.parametrize("columns", range(1, 7))
def test_tuples_for_any_number_of_columns(tmp_path: Path, columns: int) -> None:
    schema = Schema([Column(f"c{i}", required=i == 0) for i in range(columns)])
    names = [f"c{i}" for i in range(columns)][::-1]  # the file's order is not the schema's
    rows = [[f" v{r}{i} " for i in range(columns)] for r in range(3)] + [["", *["x"] * 6]]
    path = write(tmp_path, "w.csv", csv_text(names, rows))
    as_tuples, as_rows = both_ways(path, schema)
    assert as_tuples == as_rows
    assert as_tuples[0][0] == (2, tuple(f"v0{i}" for i in range(columns))[::-1])


def test_tuples_name_undecodable_rows_and_go_on(tmp_path: Path) -> None:
    good = "".join(f"{i},X,人员{i}\n" for i in range(2, 5002))
    tail = b"5002,\xff\xfe,a\n5003,X,b\n"
    path = write(tmp_path, "big.csv", ("票号,职位,人选\n" + good).encode() + tail)
    as_tuples, as_rows = both_ways(path, MARKS)
    assert as_tuples == as_rows
    rows, problems = as_tuples
    assert rows[-1] == (5003, ("5003", "X", "b")) and len(rows) == 5001
    assert problems == [problem("big.csv", 5002, "职位", "bytes that are not valid UTF-8 text")]


def test_tuples_stop_at_a_cell_left_open(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    path = write(tmp_path, "m.csv", '票号,职位\n1,X\n2,"' + "x" * (limit + 10) + "\n3,X\n")
    as_tuples, as_rows = both_ways(path, MARKS)
    assert as_tuples == as_rows == ([(2, ("1", "X", None))], as_rows[1])
    assert [(p.row, p.column) for p in as_rows[1]] == [(3, None)]


def test_a_reader_is_read_one_way(tmp_path: Path) -> None:
    path = write(tmp_path, "m.csv", "票号,职位\n1,X\n2,Y\n")
    reader = read_rows(path, MARKS)
    next(iter(reader))
    with pytest.raises(RuntimeError, match="not both"):
        reader.tuples()
    reader.close()
    assert list(reader.tuples()) == []  # closed: nothing more either way
    unread = read_rows(path, MARKS)
    unread.close()
    assert list(unread) == []



# --- exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800000000", "'+8613800000000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (None, None),
        (date(2008, 7, 1), date(2008, 7, 1)),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


EXPORT_ROWS = [
    ['=HYPERLINK("http://x")', date(1975, 3, 5), 3, None],
    ["李四", datetime(1980, 2, 5, 9, 30), 2.5, "-1"],
]


def test_write_csv_with_bom_safe_cells_and_read_it_back(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    count = write_table(path, ["姓名", "出生日期", "票数", "备注"], EXPORT_ROWS)
    assert count == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "姓名,出生日期,票数,备注",
        '"\'=HYPERLINK(""http://x"")",1975-03-05,3,',
        "李四,1980-02-05T09:30:00,2.5,'-1",
    ]
    assert not list(tmp_path.glob(".*part"))


def test_write_xlsx_with_safe_cells(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    assert write_table(path, ["姓名", "出生日期", "票数", "备注"], EXPORT_ROWS) == 2
    sheet = openpyxl.load_workbook(path).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [
        ["姓名", "出生日期", "票数", "备注"],
        ['\'=HYPERLINK("http://x")', datetime(1975, 3, 5), 3, None],
        ["李四", datetime(1980, 2, 5, 9, 30), 2.5, "'-1"],
    ]
    assert sheet["A2"].data_type == "s"  # text, never a formula


def test_export_round_trips_through_the_reader(tmp_path: Path) -> None:
    rows = [["张三", "男", date(1975, 3, 5), "U01"], ["李四\u0001", None, None, None]]
    for name in ("out.csv", "out.xlsx"):
        write_table(tmp_path / name, ["姓名", "性别", "出生日期", "单位代码"], rows)
        if name.endswith(".csv"):
            # The CSV keeps the control character, and reading it back refuses it by name.
            with pytest.raises(InputError, match="U\\+0001"):
                load_table(tmp_path / name, PEOPLE)
            write_table(tmp_path / name, ["姓名", "性别", "出生日期", "单位代码"], rows[:1])
        back = load_table(tmp_path / name, PEOPLE)
        assert [r.values for r in back][0] == {
            "name": "张三",
            "gender": "男",
            "birth_date": date(1975, 3, 5),
            "unit_code": "U01",
        }
        if name.endswith(".xlsx"):
            # XLSX cannot hold control characters, so the export drops them.
            assert back[1]["name"] == "李四"


def test_write_table_failure_leaves_no_file(tmp_path: Path) -> None:
    def rows() -> Iterator[list[object]]:
        yield ["张三"]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "out.csv", ["姓名"], rows())
    assert list(tmp_path.iterdir()) == []


@TUPLES
@given(st.lists(st.lists(st.sampled_from(
    ["", " ", "1", "leaders", " L1 ", "=1", "-2", "+", "@x", "a\nb", "a\rb", "\t=x", "优秀",
     "'=1"]), max_size=6), max_size=10))
def test_one_line_written_into_the_converter_is_one_line(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    """The converter writes one_line's test out (rating forms: 500,000 rows, four such cells
    each): whatever the cells, the values and problems of one_line called cell by cell."""
    from civic.contests import VALUE_BALLOT_SCHEMA

    path = write(tmp_path, "forms.csv", csv_text(
        ["表号", "测评类别", "测评项目", "被测评人", "等次", "另选他人"], rows))
    as_tuples, as_rows = both_ways(path, VALUE_BALLOT_SCHEMA)
    assert as_tuples == as_rows
