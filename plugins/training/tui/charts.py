"""Training charts: hours by category against the requirement line (a person's 学时), and
Kunming's monthly training-day rule, by unit for a month or by leader for one unit's month.
The figures are store.person_hours's and store.month_compliance's, drawn by the core chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.training import rules, store
from civic.tui.dialogs.form import Field, FieldError
from civic.tui.widgets.chart import ChartData, Series
from civic.tui.widgets.chart_report import ChartReportScreen, Export, Report


def _number(text: str | None) -> float:
    return float(text) if text else 0.0


def category_days(db: Any, d: dict[str, Any]) -> dict[str, float]:
    """Days credited per category in the person's window, by the rule that credits them
    (rules.credit: a capped category's days scale with its hours)."""
    start, end = (dt.date.fromisoformat(day) for day in d["window"])
    mine = store.records(db, start, end, [d["person"]]).get(d["person"], [])
    caps = rules.pack_on(end).caps
    return {cat: float(rules.credit([r for r in mine if r.category == cat], caps).days)
            for cat in rules.CATEGORIES}


def hours_chart(d: dict[str, Any], days: dict[str, float] | None = None) -> ChartData | None:
    """store.person_hours as a chart: what is credited per category and in total against
    the requirement line of the window, in hours, or in days when the rank's requirement is
    in days (`days`: category_days). None when the rank has no requirement."""
    if d.get("status") is None:
        return None
    categories = [c["category"] for c in d["categories"]]
    labels = tuple(_(rules.CATEGORIES.get(c, c)) for c in categories)
    window = {"start": d["window"][0], "end": d["window"][1]}
    if d["required_hours"] or days is None:
        values = tuple(_number(c["credited"]) for c in d["categories"])
        title, line, unit = (_("Hours credited {start} to {end}").format(**window),
                             d["required_hours"], _("hours"))
    else:
        values = tuple(days.get(c, 0.0) for c in categories)
        title, line, unit = (_("Days credited {start} to {end}").format(**window),
                             d["required_days"], _("days"))
    return ChartData(title, (*labels, _("Total credited")),
                     (Series(_("Credited"), (*values, sum(values))),),
                     line=_number(line) if line else None, line_name=_("Required"), unit=unit)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return _("{year}-{month:02d}").format(year=int(year), month=int(number))


def month_chart(db: Any, rows: list[dict[str, Any]], month: str,
                unit: str | None) -> ChartData:
    """store.month_compliance as a chart: for every unit, its leaders who met the month's
    training-day rule and those who did not; for one unit, each leader's half-days on rest
    days against the half-days required."""
    if unit:
        return ChartData(
            _("Training-day half-days of {unit}, {month}").format(
                unit=unit_name(db, unit), month=month_label(month)),
            tuple(r["name"] for r in rows),
            (Series(_("Half-days on rest days"), tuple(r["half_days"] for r in rows)),),
            line=rows[0]["required"] if rows else None, line_name=_("Required"))
    units: dict[str, list[bool]] = {}
    for r in rows:
        units.setdefault(r["unit"] or "", []).append(bool(r["met"]))
    return ChartData(
        _("Training-day compliance by unit, {month}").format(month=month_label(month)),
        tuple(unit_name(db, u) for u in units),
        (Series(_("met"), tuple(sum(m) for m in units.values())),
         Series(_("short"), tuple(len(m) - sum(m) for m in units.values()))), stacked=True)


def unit_name(db: Any, code: str) -> str:
    row = db.execute("SELECT name FROM units WHERE code = ?", (code,)).fetchone()
    return row[0] if row else (code or _("no unit"))


def last_month(db: Any, today: dt.date) -> str:
    """The month shown first: the latest month before `today`'s that had a training day
    (its training days all past), else the month before `today`'s."""
    day = today.replace(day=1) - dt.timedelta(days=1)
    held = store.training_day_sessions(db, "0001-01-01", day.isoformat())
    return held[-1][1][:7] if held else f"{day.year:04d}-{day.month:02d}"


class MonthComplianceScreen(ChartReportScreen):
    """The monthly training-day rule as a chart (m from the compliance list)."""

    SCREEN_TITLE = N_("Monthly training-day compliance")
    HELP = N_("Kunming's monthly training-day rule: for each unit, the leaders who attended "
              "the half-days the month requires on rest days and those short; for one unit, "
              "each leader's half-days against the requirement. m chooses the month and "
              "the unit; x writes the table to an XLSX file.")
    CHARTS = ("month-chart",)
    CHOOSE = ("m", N_("Month and unit"))

    def __init__(self, month: str | None = None, unit: str | None = None) -> None:
        super().__init__()
        self.month = month
        self.unit = unit

    def _rows(self) -> tuple[str, list[dict[str, Any]]]:
        db = self.civic.db
        self.month = self.month or last_month(db, self.civic.office.today())
        return self.month, store.month_compliance(db, self.month, self.unit)

    def report(self) -> Report:
        month, rows = self._rows()
        met = sum(1 for r in rows if r["met"])
        return Report(
            _("{met} of {count} leaders met the training-day rule in {month}.").format(
                met=met, count=len(rows), month=month_label(month)),
            {"month-chart": month_chart(self.civic.db, rows, month, self.unit)})

    def export(self) -> Export | None:
        """The month's rows with the columns of `civic training compliance --month --out`."""
        month, rows = self._rows()
        columns = store.month_columns()
        return Export(_("Monthly training-day compliance"),
                      f"training-days-{month}{'-' + self.unit if self.unit else ''}.xlsx",
                      [label for _key, label in columns],
                      [[r.get(key) for key, _label in columns] for r in rows])

    def choose(self) -> None:
        from civic.tui.dialogs.form import FormDialog

        def apply(values: dict[str, str]) -> tuple[str, str | None]:
            month, unit = values["month"].strip(), values["unit"].strip() or None
            try:
                store.month_compliance(self.civic.db, month, unit)
            except CivicError as error:
                raise FieldError("month", str(error)) from None
            if unit and self.civic.db.execute("SELECT 1 FROM units WHERE code = ?",
                                              (unit,)).fetchone() is None:
                raise FieldError("unit", _("No unit with code {code}.").format(code=unit))
            return month, unit

        def chosen(choice: Any) -> None:
            if choice:
                self.month, self.unit = choice
                self.refresh_data()

        self.app.push_screen(FormDialog(_("Month and unit"), [
            Field("month", _("Month (YYYY-MM)"), self.month or ""),
            Field("unit", _("Unit (code; empty: every unit)"), self.unit or "",
                  required=False),
        ], submit=_("Show"), apply=apply), chosen)
