"""Dates as offices write them, and whole-year arithmetic (ages, years at a rank).

Personnel forms (干部任免审批表 and their spreadsheets) mix ISO dates, dotted month-only dates
such as ``1975.03``, compact ``197503``/``19750305`` and ``1975年3月5日``. A month-only date means
the first of that month, which is how those forms are read when computing ages and seniority.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime

from civic.i18n import _

# The separator is captured and reused so that "2023-02/03" is refused, not guessed at.
_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def parse_date(value: str | date) -> date:
    """Return the date written in `value`; raise ValueError with a translated reason if none.

    Accepts YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY.MM (also YYYY-MM, YYYY/MM), YYYYMM,
    YYYYMMDD, YYYY年M月D日, YYYY年M月, and date/datetime objects (as openpyxl returns them).
    Full-width digits and punctuation are accepted, since Chinese input methods produce them.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("not a date: {text}").format(text=value))
    # NFKC folds full-width "２０２３．０３" to ASCII; cheap, and only on the date columns.
    text = unicodedata.normalize("NFKC", value).strip()
    match = _SEPARATED.fullmatch(text)
    if match:
        year, month, day = match.group(1, 3, 4)
    else:
        match = _COMPACT.fullmatch(text) or _CHINESE.fullmatch(text)
        if not match:
            raise ValueError(_("not a date: {text}").format(text=value.strip()))
        year, month, day = match.groups()
    return _make(int(year), int(month), int(day) if day else 1)


def _make(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(_("month {month} is out of range").format(month=month))
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(
            _("day {day} is out of range for {year}-{month:02d}").format(
                day=day, year=year, month=month
            )
        )
    return date(year, month, day)


def full_years(start: date, end: date) -> int:
    """Completed years from `start` to `end` (negative if `end` is earlier).

    A year is complete on the same month and day, so a 29 February start completes its years on
    1 March in common years (never early).
    """
    if end < start:
        return -full_years(end, start)
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def age_on(birth: date, on: date) -> int:
    """Age in completed years on the day `on` (周岁)."""
    return full_years(birth, on)
