"""Working-day calendar for notice periods (公示期).

Rule: 党政领导干部选拔任用工作条例 (2014) art. 41 -- the notice period is at least 5 working days,
counted from the day after publication. Holiday arrangements: the State Council's annual
notices (国务院办公厅关于…部分节假日安排的通知) as packaged by chinese-calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.errors import CivicError, InputError
from civic.workdays import (
    WorkCalendar,
    default_calendar,
    load_holiday_file,
    official_years,
)

CAL = WorkCalendar()
EXAMPLE = Path(__file__).parent.parent / "examples" / "holidays-2027.csv"
# The package has never covered years before 2004, so 2003 is a stable "uncovered" year.
OLD_YEAR = 2003
NEXT_YEAR = official_years()[-1] + 1

# (start, n, expected end, what it exercises); source: State Council notice for that year.
ADD_CASES = [
    # Product owner's fixed case. 2008 National Day: off Sep 29-Oct 5, make-up Sat 27 + Sun 28.
    (date(2008, 9, 26), 5, date(2008, 10, 8), "2008 National Day, Friday start"),
    # 2008 Spring Festival: off Feb 6-12, make-up Sat Feb 2 + Sun Feb 3.
    (date(2008, 2, 1), 5, date(2008, 2, 13), "2008 Spring Festival"),
    # 2015 Spring Festival: off Feb 18-24, make-up Sun Feb 15, Sat Feb 28.
    (date(2015, 2, 13), 5, date(2015, 2, 26), "2015 Spring Festival"),
    # 2015 Victory Day (抗战胜利70周年): off Sep 3-4, make-up Sun Sep 6.
    (date(2015, 9, 2), 5, date(2015, 9, 10), "2015 Sep 3 one-off holiday"),
    # 2015 National Day: off Oct 1-7, make-up Sat Oct 10.
    (date(2015, 9, 29), 5, date(2015, 10, 12), "2015 National Day"),
    # 2019 Spring Festival: off Feb 4-10, make-up Sat Feb 2 + Sun Feb 3.
    (date(2019, 1, 31), 5, date(2019, 2, 12), "2019 Spring Festival"),
    # 2019 National Day: off Oct 1-7, make-up Sun Sep 29, Sat Oct 12.
    (date(2019, 9, 27), 5, date(2019, 10, 10), "2019 National Day"),
    # 2020 Spring Festival extended to Feb 2 (国办发明电〔2020〕1号); Sat Feb 1 no longer make-up.
    (date(2020, 1, 22), 5, date(2020, 2, 6), "2020 Spring Festival, extended"),
    # 2020 National Day + Mid-autumn: off Oct 1-8, make-up Sun Sep 27, Sat Oct 10.
    (date(2020, 9, 25), 5, date(2020, 10, 9), "2020 National Day"),
    # 2023 Spring Festival: off Jan 21-27, make-up Sat Jan 28 + Sun Jan 29.
    (date(2023, 1, 19), 5, date(2023, 1, 31), "2023 Spring Festival"),
    # 2023 Mid-autumn + National Day: off Sep 29-Oct 6, make-up Sat Oct 7 + Sun Oct 8.
    (date(2023, 9, 28), 5, date(2023, 10, 11), "2023 National Day"),
    # 2024 New Year's Day (Mon Jan 1 off): a period crossing the year end.
    (date(2023, 12, 29), 5, date(2024, 1, 8), "2024 New Year, across years"),
    # 2024 Spring Festival: off Feb 10-17, make-up Sun Feb 4, Sun Feb 18.
    (date(2024, 2, 8), 5, date(2024, 2, 21), "2024 Spring Festival"),
    (date(2024, 2, 2), 5, date(2024, 2, 8), "2024 make-up Sunday Feb 4, Friday start"),
    # 2024 National Day: off Oct 1-7, make-up Sun Sep 29, Sat Oct 12.
    (date(2024, 9, 27), 5, date(2024, 10, 10), "2024 National Day, Friday start"),
    (date(2024, 10, 3), 5, date(2024, 10, 12), "start on a holiday; ends on make-up Sat"),
    # Ordinary weeks.
    (date(2024, 3, 1), 5, date(2024, 3, 8), "plain Friday start"),
    (date(2024, 3, 1), 1, date(2024, 3, 4), "Friday + 1 is Monday"),
    (date(2024, 3, 1), 0, date(2024, 3, 1), "n=0 is the start day"),
    (date(2024, 10, 3), 0, date(2024, 10, 3), "n=0 on a holiday"),
]


@pytest.mark.parametrize(
    ("start", "n", "end"), [c[:3] for c in ADD_CASES], ids=[c[3] for c in ADD_CASES]
)
def test_add_workdays(start: date, n: int, end: date) -> None:
    assert CAL.add_workdays(start, n) == end
    assert CAL.workdays_between(start, end) == n


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2008, 9, 27), True),  # Saturday, make-up day
        (date(2008, 9, 28), True),  # Sunday, make-up day
        (date(2008, 10, 1), False),  # National Day
        (date(2008, 9, 29), False),  # Monday inside the holiday
        (date(2024, 3, 2), False),  # ordinary Saturday
        (date(2024, 3, 4), True),  # ordinary Monday
    ],
)
def test_is_workday(day: date, working: bool) -> None:
    assert CAL.is_workday(day) is working


def test_add_workdays_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_workdays(date(2024, 3, 1), -1)


@pytest.mark.parametrize(
    ("end", "today", "left"),
    [
        (date(2008, 10, 8), date(2008, 9, 26), 5),  # day of publication
        (date(2008, 10, 8), date(2008, 9, 30), 3),  # today a holiday: Oct 6, 7, 8 remain
        (date(2008, 10, 8), date(2008, 10, 7), 1),
        (date(2008, 10, 8), date(2008, 10, 8), 0),  # last day, after hours
        (date(2008, 10, 8), date(2008, 10, 20), 0),  # past
    ],
)
def test_workdays_left(end: date, today: date, left: int) -> None:
    assert CAL.workdays_left(end, today) == left


def test_workdays_between_reversed_is_zero() -> None:
    assert CAL.workdays_between(date(2024, 3, 8), date(2024, 3, 1)) == 0


def test_covered_years() -> None:
    years = CAL.covered_years()
    assert {2004, 2008, 2024} <= set(years)
    assert OLD_YEAR not in years and NEXT_YEAR not in years
    assert NEXT_YEAR in WorkCalendar({date(NEXT_YEAR, 1, 1): False}).covered_years()


# --- years the package does not cover ---------------------------------------------------


@pytest.mark.parametrize("year", [OLD_YEAR, NEXT_YEAR])
def test_uncovered_year_without_file_says_so(year: int) -> None:
    with pytest.raises(CivicError) as info:
        CAL.is_workday(date(year, 3, 1))
    message = str(info.value)
    assert str(year) in message and "CIVIC_HOLIDAYS" in message
    with pytest.raises(CivicError):
        CAL.add_workdays(date(year, 3, 1), 5)


def test_period_running_into_uncovered_year_refuses() -> None:
    last = date(official_years()[-1], 12, 31)
    with pytest.raises(CivicError, match=str(NEXT_YEAR)):
        CAL.add_workdays(last - timedelta(days=3), 10)


def test_uncovered_year_with_file(tmp_path: Path) -> None:
    # Office file for 2003 National Day: off Oct 1-7, make-up Sat Sep 27 + Sun Sep 28.
    rows = [f"2003-10-0{d},holiday" for d in range(1, 8)]
    csv = tmp_path / "h.csv"
    csv.write_text("date,kind\n2003-09-27,workday\n2003-09-28,workday\n" + "\n".join(rows))
    cal = WorkCalendar.from_file(csv)
    # Sat 27, Sun 28, Mon 29, Tue 30 Sep, then Wed Oct 8.
    assert cal.add_workdays(date(2003, 9, 26), 5) == date(2003, 10, 8)
    assert cal.is_workday(date(2003, 3, 1)) is False  # plain Saturday, from the week
    assert cal.add_workdays(date(2008, 9, 26), 5) == date(2008, 10, 8)  # official still used


def test_next_year_with_file(tmp_path: Path) -> None:
    # Built relative to weekdays so it holds whatever year the package reaches next.
    monday = date(NEXT_YEAR, 3, 1)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    saturday, friday = monday - timedelta(days=2), monday - timedelta(days=3)
    csv = tmp_path / "next.csv"
    csv.write_text(f"日期,类型\n{monday},休\n{saturday},班\n", encoding="gbk")
    cal = WorkCalendar.from_file(csv)
    assert cal.add_workdays(friday, 3) == monday + timedelta(days=2)


def test_example_file_loads() -> None:
    days = load_holiday_file(EXAMPLE)
    assert days[date(2027, 10, 1)] is False and days[date(2027, 10, 9)] is True
    assert {d.year for d in days} == {2027}


def test_default_calendar_reads_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIVIC_HOLIDAYS", raising=False)
    assert default_calendar().overrides == {}
    monkeypatch.setenv("CIVIC_HOLIDAYS", "")
    assert default_calendar().overrides == {}
    monkeypatch.setenv("CIVIC_HOLIDAYS", str(EXAMPLE))
    assert default_calendar().is_workday(date(2027, 10, 9)) is True


def test_override_beats_official() -> None:
    # An office may close for a local holiday (e.g. a minority festival) on an official workday.
    cal = WorkCalendar({date(2024, 3, 4): False})
    assert cal.add_workdays(date(2024, 3, 1), 1) == date(2024, 3, 5)


# --- the holiday file --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("date,kind\n2027-10-01,holiday\n2027-10-09,workday\n", "utf-8"),
        ("date,kind\n2027-10-01,holiday\n2027-10-09,workday\n", "utf-8-sig"),
        ("日期,类型\n2027/10/1,休\n2027年10月9日,班\n", "gbk"),
        ("类型,备注,日期\n假日,国庆,2027.10.01\n工作日,调休,2027-10-09\n\n", "utf-8"),
        (" Date , KIND ,note\n2027-10-01 , Holiday ,x\n2027-10-9,WORKDAY\n", "utf-8"),
    ],
)
def test_load_formats(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(text.encode(encoding))
    assert load_holiday_file(path) == {date(2027, 10, 1): False, date(2027, 10, 9): True}


def test_bad_rows_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "日期,类型\n"
        "2027-10-01,休\n"  # row 2 ok
        "2027-13-01,休\n"  # row 3 no month 13
        "\n"  # row 4 blank, skipped but counted
        "2027-10-02,rest\n"  # row 5 unknown kind
        "2027-10-01,班\n"  # row 6 duplicate of row 2
        "2027-10-03\n"  # row 7 kind missing
        "tomorrow,banana\n",  # row 8 both wrong
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_holiday_file(path)
    got = [(p.row, p.column) for p in info.value.problems]
    assert got == [(3, "日期"), (5, "类型"), (6, "日期"), (7, "类型"), (8, "日期"), (8, "类型")]
    assert all(p.file == str(path) for p in info.value.problems)
    assert "row 2" in info.value.problems[2].reason


@pytest.mark.parametrize(
    ("content", "row", "column"),
    [
        (b"", None, None),
        (b"date,kind\n", None, None),
        (b"date,type\n2027-10-01,holiday\n", 1, "kind"),
        (b"\xff\xfe\x00d", None, None),  # UTF-16, neither UTF-8 nor GBK
        (b"date,kind\n2027-10-01\x00,holiday\n", 2, "date"),  # stray NUL byte
    ],
)
def test_unusable_files(
    tmp_path: Path, content: bytes, row: int | None, column: str | None
) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_holiday_file(path)
    [problem] = info.value.problems
    assert (problem.row, problem.column) == (row, column)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_holiday_file(tmp_path / "nope.csv")


# --- properties over the officially covered years ----------------------------------------

covered_starts = st.dates(min_value=date(2004, 1, 1), max_value=date(official_years()[-1], 9, 30))
periods = st.integers(min_value=0, max_value=40)


@given(covered_starts, periods)
def test_end_is_a_workday_and_count_matches(start: date, n: int) -> None:
    end = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, end) == n
    if n >= 1:
        assert CAL.is_workday(end)
        # The earliest such day: one day less holds one working day less.
        assert CAL.workdays_between(start, end - timedelta(days=1)) == n - 1


@given(covered_starts, periods)
def test_strictly_increasing_in_n(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n) < CAL.add_workdays(start, n + 1)
