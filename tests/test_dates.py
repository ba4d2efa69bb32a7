"""Dates as offices write them, and completed-year arithmetic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from civic.dates import age_on, full_years, parse_date
from civic.i18n import current_language, set_language


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")  # the reasons asserted below are the English msgids
    yield
    set_language(before)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1975-03-05", date(1975, 3, 5)),
        ("1975/03/05", date(1975, 3, 5)),
        ("1975.03.05", date(1975, 3, 5)),
        ("1975-3-5", date(1975, 3, 5)),
        ("1975.3.5", date(1975, 3, 5)),
        ("1975.03", date(1975, 3, 1)),
        ("1975.3", date(1975, 3, 1)),
        ("1975-03", date(1975, 3, 1)),
        ("197503", date(1975, 3, 1)),
        ("19750305", date(1975, 3, 5)),
        ("1975年3月5日", date(1975, 3, 5)),
        ("1975年03月05日", date(1975, 3, 5)),
        ("1975年3月", date(1975, 3, 1)),
        ("1975 年 3 月 5 日", date(1975, 3, 5)),
        ("  1975-03-05\t", date(1975, 3, 5)),
        ("１９７５．０３", date(1975, 3, 1)),  # full-width, as Chinese input methods type it
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_office_formats(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2001, 2, 3), date(2001, 2, 3)),
        (datetime(2001, 2, 3, 0, 0), date(2001, 2, 3)),
        (datetime(2001, 2, 3, 14, 30), date(2001, 2, 3)),
    ],
)
def test_parse_date_accepts_date_objects(value: date, expected: date) -> None:
    result = parse_date(value)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2023-13-01", "month 13 is out of range"),
        ("2023.00", "month 0 is out of range"),
        ("202313", "month 13 is out of range"),
        ("2023-02-30", "day 30 is out of range for 2023-02"),
        ("2023-02-29", "day 29 is out of range for 2023-02"),
        ("2023年4月31日", "day 31 is out of range for 2023-04"),
        ("20230100", "day 0 is out of range for 2023-01"),
        ("junk", "not a date: junk"),
        ("", "not a date: "),
        ("2023-02/03", "not a date: 2023-02/03"),
        ("23-02-03", "not a date: 23-02-03"),
        ("2023", "not a date: 2023"),
        ("2023-1-1-1", "not a date: 2023-1-1-1"),
        ("1975年3月5", "not a date: 1975年3月5"),
        ("2023-02-03T10:00", "not a date: 2023-02-03T10:00"),
    ],
)
def test_parse_date_rejects_with_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == reason


def test_parse_date_rejects_other_types() -> None:
    with pytest.raises(ValueError, match="not a date: 19750305"):
        parse_date(19750305)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1975, 3, 5), date(2008, 3, 4), 32),
        (date(1975, 3, 5), date(2008, 3, 5), 33),
        (date(1975, 3, 5), date(2008, 12, 31), 33),
        (date(1978, 7, 1), date(2008, 6, 30), 29),  # under 30, the open-selection limit
        (date(1978, 7, 1), date(2008, 7, 1), 30),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2008, 1, 1), date(2008, 1, 1), 0),
    ],
)
def test_age_on_counts_completed_years(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2003, 7, 1), date(2008, 7, 1), 5),
        (date(2003, 7, 2), date(2008, 7, 1), 4),
        (date(2008, 7, 1), date(2003, 7, 1), -5),
        (date(2008, 7, 1), date(2003, 7, 2), -4),
    ],
)
def test_full_years(start: date, end: date, years: int) -> None:
    assert full_years(start, end) == years
