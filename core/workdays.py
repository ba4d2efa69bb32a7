"""The official Chinese working-day calendar, for public-notice periods (公示期).

A notice period is counted in working days from the day after publication
(党政领导干部选拔任用工作条例 2014, art. 41: at least 5 working days). Holidays are skipped and
make-up working days (调休, a weekend day declared a working day) count.

The `chinese-calendar` package knows only the years the State Council has announced. For any
other year the office loads its own holiday file (format in docs/holidays.md, path in
`$CIVIC_HOLIDAYS`); without one we refuse rather than guess from weekdays alone.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants as _cc_constants

from civic.errors import CivicError, InputError, InputProblem
from civic.i18n import _

ENV_VAR = "CIVIC_HOLIDAYS"

_DATE_HEADERS = frozenset({"date", "日期"})
_KIND_HEADERS = frozenset({"kind", "类型"})
# value -> is it a working day?
_KINDS = {
    "holiday": False,
    "休": False,
    "假日": False,
    "workday": True,
    "班": True,
    "工作日": True,
}
# Spreadsheets rewrite 2027-01-01 as 2027/1/1; offices also type 2027年1月1日.
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def official_years() -> range:
    """Years the installed chinese-calendar package has State Council data for."""
    # Same bounds the package itself checks before raising NotImplementedError.
    keys = _cc_constants.holidays.keys()
    return range(min(keys).year, max(keys).year + 1)


class WorkCalendar:
    """Working days: the office's overrides first, then the official calendar."""

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self._overrides: dict[date, bool] = dict(overrides or {})
        # A year the file mentions at all is taken as fully described by it (plus weekdays).
        self._file_years = frozenset(d.year for d in self._overrides)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> WorkCalendar:
        return cls(load_holiday_file(path))

    @property
    def overrides(self) -> Mapping[date, bool]:
        return dict(self._overrides)

    def covered_years(self) -> tuple[int, ...]:
        return tuple(sorted(set(official_years()) | self._file_years))

    def is_workday(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = d.date()
        if d in self._overrides:
            return self._overrides[d]
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            if d.year in self._file_years:
                return d.weekday() < 5
            raise CivicError(self._no_data_message(d.year)) from None

    def add_workdays(self, start: date, n: int) -> date:
        """The day a period of `n` working days ends, counting from the day after `start`."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d = start
        while n:
            d += timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; 0 when b is not after a."""
        count = 0
        d = a + timedelta(days=1)
        while d <= b:
            count += self.is_workday(d)
            d += timedelta(days=1)
        return count

    def workdays_left(self, end: date, today: date) -> int:
        """Working days after `today` up to and including `end`; 0 once `end` has passed."""
        return self.workdays_between(today, end)

    def _no_data_message(self, year: int) -> str:
        years = official_years()
        return _(
            "No holiday data for {year}: the official calendar covers {first}-{last}. "
            "Load the office's holiday file for {year} by setting {env} to its path "
            "(format: docs/holidays.md)."
        ).format(year=year, first=years[0], last=years[-1], env=ENV_VAR)


def default_calendar() -> WorkCalendar:
    """The calendar with the office's file from `$CIVIC_HOLIDAYS`, when set."""
    path = os.environ.get(ENV_VAR)
    return WorkCalendar.from_file(path) if path else WorkCalendar()


def load_holiday_file(path: str | os.PathLike[str]) -> dict[date, bool]:
    """Read the office's CSV (`date,kind`); reject the whole file listing every bad row."""
    name = str(path)
    text = _read_text(Path(path), name)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        reason = _("Not a CSV file: {error}").format(error=exc)
        raise InputError([InputProblem(name, None, None, reason)]) from None
    if not rows:
        raise InputError([InputProblem(name, None, None, _("The file is empty"))])
    header = [cell.strip().lower() for cell in rows[0]]
    date_col = _find_column(header, _DATE_HEADERS)
    kind_col = _find_column(header, _KIND_HEADERS)
    if date_col is None or kind_col is None:
        reason = _("Missing column {column} (or {chinese})")
        wanted = (("date", "日期", date_col), ("kind", "类型", kind_col))
        raise InputError(
            [
                InputProblem(name, 1, col, reason.format(column=col, chinese=zh))
                for col, zh, idx in wanted
                if idx is None
            ]
        )
    date_name, kind_name = rows[0][date_col].strip(), rows[0][kind_col].strip()

    result: dict[date, bool] = {}
    seen_at: dict[date, int] = {}
    problems: list[InputProblem] = []
    # Row numbers are records as a spreadsheet shows them: header is row 1, blank rows count.
    for rownum, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        day = _parse_date(_cell(row, date_col), name, rownum, date_name, problems)
        working = _parse_kind(_cell(row, kind_col), name, rownum, kind_name, problems)
        if day is None or working is None:
            continue
        if day in seen_at:
            reason = _("Date already given in row {row}").format(row=seen_at[day])
            problems.append(InputProblem(name, rownum, date_name, reason))
            continue
        seen_at[day] = rownum
        result[day] = working
    if problems:
        raise InputError(problems)
    if not result:
        raise InputError([InputProblem(name, None, None, _("The file lists no dates"))])
    return result


def _read_text(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = _("Cannot read the file: {error}").format(error=exc.strerror or exc)
        raise InputError([InputProblem(name, None, None, reason)]) from None
    # Excel on Chinese Windows saves CSV as GBK; gb18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    reason = _("The file is neither UTF-8 nor GBK text")
    raise InputError([InputProblem(name, None, None, reason)])


def _find_column(header: list[str], names: frozenset[str]) -> int | None:
    return next((i for i, cell in enumerate(header) if cell in names), None)


def _cell(row: list[str], idx: int) -> str:
    return row[idx].strip() if idx < len(row) else ""


def _parse_date(
    value: str, name: str, rownum: int, column: str, problems: list[InputProblem]
) -> date | None:
    match = _DATE_RE.match(value)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    reason = _("Not a date (expected YYYY-MM-DD): {value!r}").format(value=value)
    problems.append(InputProblem(name, rownum, column, reason))
    return None


def _parse_kind(
    value: str, name: str, rownum: int, column: str, problems: list[InputProblem]
) -> bool | None:
    working = _KINDS.get(value.lower())
    if working is None:
        reason = _("Unknown kind {value!r}: use holiday or workday (休/班, 假日/工作日)")
        problems.append(InputProblem(name, rownum, column, reason.format(value=value)))
    return working
