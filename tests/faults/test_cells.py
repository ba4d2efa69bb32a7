"""Cells that lose data or drive the terminal: each is a problem naming file, row and column.

XLSX: an error cell (#DIV/0!), a formula saved without its cached value (a program that
writes formulas but does not calculate them), merged cells (only the first keeps the value).
Any file: an invisible or control character (ESC, a bidi override, a zero-width space) in a
cell, named by code point and never echoed raw.
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.errors import InputError
from civic.importers import PEOPLE
from civic.tabular import _INVISIBLE, Column, Schema, code_points, load_table, visible

HEAD = ["编号", "姓名", "性别", "出生日期", "单位"]
ROWS = [[f"T{i:03d}", f"测试{i}", "男", "1965-03-01", "KM"] for i in range(4)]


def _xlsx(path: Path, edit) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEAD, *ROWS]:
        sheet.append(row)
    edit(sheet)
    book.save(path)
    return path


def _problems(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        load_table(path, PEOPLE)
    return [(p.row, p.column, p.reason) for p in caught.value.problems]


# (what the sheet holds, how it is made, row, column as written, phrase)
XLSX_CASES = {
    "error-cell": (lambda s: s.__setitem__("D3", "#DIV/0!"), 3, "出生日期", "#DIV/0!"),
    "error-na": (lambda s: s.__setitem__("B4", "#N/A"), 4, "姓名", "#N/A"),
    # openpyxl writes a formula with no cached value, as such programs do.
    "formula-no-value": (lambda s: s.__setitem__("B3", "=A3&\"x\""), 3, "姓名",
                         "formula saved without its value"),
    "merged-rows": (lambda s: s.merge_cells("E2:E3"), 2, "单位", "merged cells E2:E3"),
    "merged-columns": (lambda s: s.merge_cells("B4:C4"), 4, "姓名", "merged cells B4:C4"),
}


@pytest.mark.parametrize("case", XLSX_CASES, ids=XLSX_CASES)
def test_xlsx_cells_that_lose_data_are_named(case, tmp_path):
    edit, row, column, phrase = XLSX_CASES[case]
    problems = _problems(_xlsx(tmp_path / "people.xlsx", edit))
    assert any(r == row and c == column and phrase in reason
               for r, c, reason in problems), problems


def test_a_formula_with_its_cached_value_reads_the_value(tmp_path):
    """Excel saves each formula's last value: that value is what the office sees."""
    import zipfile

    path = _xlsx(tmp_path / "people.xlsx", lambda s: s.__setitem__("B3", "=\"测试\"&\"甲\""))
    # Put in the cached value Excel would have saved: <f>...</f><v>测试甲</v>, a string.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    start = xml.index('<c r="B3"')
    end = xml.index("</c>", start)
    cell = xml[start:end].replace('<c r="B3"', '<c r="B3" t="str"', 1)
    # openpyxl writes the empty value as <v /> with the standard library's XML writer and as
    # <v></v> with lxml's (which python-docx installs).
    cell = cell.replace("<v />", "<v>测试甲</v>").replace("<v></v>", "<v>测试甲</v>")
    parts[sheet] = (xml[:start] + cell + xml[end:]).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    rows = load_table(path, PEOPLE)
    assert rows[1]["name"] == "测试甲"


# --- invisible and control characters ----------------------------------------------------------

# (character, what it is)
INVISIBLE = [
    ("\x1b[2J", "ESC: clears the screen"),
    ("\x07", "BEL"),
    ("\x9b31m", "C1 CSI"),
    ("\x7f", "DEL"),
    ("\u200b", "zero-width space"),
    ("\u202e", "right-to-left override"),
    ("\u2066", "left-to-right isolate"),
    ("\u200f", "right-to-left mark"),
    ("\ufeff", "BOM inside a cell"),
    ("\u00ad", "soft hyphen"),
    ("\u2028", "line separator"),
]


def _people_csv(path: Path, name: str) -> Path:
    rows = [HEAD, *ROWS]
    rows = [list(r) for r in rows]
    rows[2][1] = name
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize(("char", "what"), INVISIBLE, ids=[w for _c, w in INVISIBLE])
def test_an_invisible_character_in_a_name_is_refused_by_code_point(char, what, tmp_path):
    name = f"张{char}三"
    problems = _problems(_people_csv(tmp_path / "people.csv", name))
    (row, column, reason), = problems
    assert (row, column) == (3, "姓名")
    assert f"U+{ord(char[0]):04X}" in reason
    assert not _INVISIBLE.search(reason)


@pytest.mark.parametrize(("char", "what"), INVISIBLE[:5], ids=[w for _c, w in INVISIBLE[:5]])
def test_an_invisible_character_in_xlsx_is_refused(char, what, tmp_path):
    import openpyxl

    if openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(char):
        pytest.skip("XML cannot hold it: openpyxl refuses to write the file")
    path = _xlsx(tmp_path / "people.xlsx", lambda s: s.__setitem__("B3", f"张{char}三"))
    problems = _problems(path)
    assert any(r == 3 and c == "姓名" and f"U+{ord(char[0]):04X}" in reason
               for r, c, reason in problems), problems


def test_a_message_that_quotes_a_bad_cell_shows_no_raw_escape(tmp_path):
    """A date column echoes what it could not read: the ESC is shown as <U+001B>."""
    rows = [list(r) for r in [HEAD, *ROWS]]
    rows[2][3] = "\x1b]0;pwned\x07"
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError) as caught:
        load_table(path, PEOPLE)
    text = str(caught.value)
    assert "\x1b" not in text and "\x07" not in text
    assert "U+001B" in text


def test_the_cli_never_prints_a_raw_escape(run_cli, tmp_path):
    path = _people_csv(tmp_path / "people.csv", "张\x1b[31m三")
    result = run_cli("people", "import", str(path))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "U+001B" in result.output


def test_a_chinese_name_with_its_middle_dot_is_fine(tmp_path):
    path = _people_csv(tmp_path / "people.csv", "买买提·艾力")
    assert load_table(path, Schema([Column(h) for h in HEAD]))[1]["姓名"] == "买买提·艾力"


def _refused(char: str) -> bool:
    # Unicode's control and format characters, and the line and paragraph separators;
    # tab, LF and CR are what a cell's own line breaks are made of.
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def test_the_pattern_is_exactly_the_categories():
    """Checked over every code point against this Python's Unicode database. The pattern
    lists Unicode 15's format characters: on an older database a few are unassigned."""
    missed, extra = [], []
    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        matched = bool(_INVISIBLE.match(char))
        if _refused(char) and not matched:
            missed.append(f"U+{cp:04X}")
        elif matched and not _refused(char) and unicodedata.category(char) != "Cn":
            extra.append(f"U+{cp:04X}")
    assert (missed, extra) == ([], [])


def test_no_invisible_character_is_printable():
    """The pre-scan skips the pattern for a block whose text is printable: exact only while
    no character the pattern refuses is printable."""
    printable = [f"U+{cp:04X}" for cp in range(sys.maxunicode + 1)
                 if not 0xD800 <= cp <= 0xDFFF and _INVISIBLE.match(chr(cp))
                 and chr(cp).isprintable()]
    assert printable == []


@given(st.text())
def test_visible_leaves_nothing_invisible(text):
    shown = visible(text)
    assert not _INVISIBLE.search(shown)
    assert code_points(text) == ", ".join(dict.fromkeys(
        f"U+{ord(c):04X}" for c in text if _INVISIBLE.match(c)))


def test_a_long_clean_csv_takes_the_fast_path(tmp_path):
    """The pre-scan finds nothing in a clean file: cells are not checked one by one."""
    from civic.tabular import read_rows

    out = io.StringIO()
    csv.writer(out).writerows([["a", "b"]] + [[str(i), "x"] for i in range(1000)])
    path = tmp_path / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    reader = read_rows(path, Schema([Column("a"), Column("b")]))
    assert len(list(reader.tuples())) == 1000
    assert reader._scan_cells is False


@given(st.text())
def test_the_fast_pre_scan_agrees_with_the_pattern(text):
    from civic.tabular import _may_hold_invisible

    assert _may_hold_invisible(text.encode("utf-8")) == bool(_INVISIBLE.search(text))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("shift", [-2, -1, 0, 1, 2])
def test_the_pre_scan_finds_a_character_across_its_block_boundary(tmp_path, encoding, shift):
    """The scan reads a megabyte at a time: a character cut at the cut is still found."""
    from contextlib import ExitStack

    from civic.tabular import _CsvSource

    line = "12345,P-MSZ,张三\r\n"
    size = len(line.encode(encoding.replace("-sig", "")))
    count = (1 << 20) // size
    pad = (1 << 20) - count * size + shift  # the mark straddles the first megabyte's end
    text = line * count + "x" * max(pad, 0) + "\u202e" + "\r\n" + line * 10
    path = tmp_path / "big.csv"
    path.write_bytes(text.encode(encoding))
    assert _CsvSource(path, encoding, ",", ExitStack()).suspect()
    path.write_bytes(text.replace("\u202e", "").encode(encoding))
    assert not _CsvSource(path, encoding, ",", ExitStack()).suspect()
