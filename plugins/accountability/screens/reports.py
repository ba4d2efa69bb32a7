"""The accountability reports (r from the case register): cases by heading per month, by form,
overdue tasks by unit and rectification progress per inspection round, as charts in core's
chart-report layout (civic.tui.widgets.chart_report) over a period the operator picks; x writes
the same report to XLSX as `civic accountability report --out` does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import N_, _
from civic.plugins.accountability import store
from civic.tui.dialogs.form import Field, FieldError, iso_date
from civic.tui.widgets.chart import ChartData, Series
from civic.tui.widgets.chart_report import ChartReportScreen, Export, Report


def month_label(month: str) -> str:
    """2008-03 as the operator reads it (2008年3月)."""
    year, number = month.split("-")
    return _("{year}-{month:02d}").format(year=int(year), month=int(number))


def charts(db: Any, data: dict[str, Any]) -> dict[str, ChartData]:
    """The report (store.report) as the screen's four charts, by widget id."""
    headings = data["by_heading"]
    months = list(data["by_month_heading"])
    rounds = data["rectification_by_round"]
    overdue = data["overdue_tasks_by_unit"]
    forms = sorted(data["by_form"], key=lambda f: -f["cases"])  # the most used form first
    return {
        "report-by-month": ChartData(
            _("Cases by heading per month"), tuple(month_label(m) for m in months),
            tuple(Series(h["name"], tuple(data["by_month_heading"][m][h["heading"]]
                                          for m in months)) for h in headings),
            stacked=True),
        "report-by-form": ChartData(
            _("Cases by form"), tuple(f["name"] for f in forms),
            (Series(_("Cases"), tuple(f["cases"] for f in forms)),)),
        "report-overdue": ChartData(
            _("Overdue tasks by unit"),
            tuple(store.unit_name(db, u) or u or _("no unit") for u in overdue),
            (Series(_("Overdue tasks"), tuple(overdue.values())),)),
        "report-rectification": ChartData(
            _("Rectification progress per inspection round"),
            tuple(r["title"] for r in rounds),
            (Series(_("done"), tuple(r["done"] for r in rounds)),
             Series(_("not done"), tuple(r["open"] for r in rounds))), stacked=True),
    }


class ReportScreen(ChartReportScreen):
    SCREEN_TITLE = N_("Accountability reports")
    HELP = N_("Cases opened in the period by heading per month and by form, overdue supervised "
              "tasks by unit, and rectification progress per inspection round, counted from "
              "the register. p sets the period; x writes the report to an XLSX file.")
    CHARTS = ("report-by-month", "report-by-form", "report-overdue", "report-rectification")
    CHOOSE = ("p", N_("Period"))

    def __init__(self) -> None:
        super().__init__()
        self.period: tuple[dt.date, dt.date] | None = None

    def _data(self) -> tuple[dt.date, dt.date, dict[str, Any]]:
        """The period (first shown: the register's latest year, store.report_period) and the
        report over it."""
        db = self.civic.db
        today = self.civic.office.today()
        if self.period is None:
            self.period = store.report_period(db) or (dt.date(today.year, 1, 1), today)
        start, end = self.period
        return start, end, store.report(db, start, end, today)

    def report(self) -> Report:
        start, end, data = self._data()
        return Report(_("Cases opened {start} to {end}: {total}").format(
            start=start.isoformat(), end=end.isoformat(), total=data["total"]),
            charts(self.civic.db, data))

    def choose(self) -> None:
        start, end = self.period or (self.civic.office.today(),) * 2

        def apply(values: dict[str, str]) -> tuple[dt.date, dt.date]:
            first = dt.date.fromisoformat(values["start"])
            last = dt.date.fromisoformat(values["end"])
            if last < first:
                raise FieldError("end", _("The last day is before the first."))
            return first, last

        def chosen(period: Any) -> None:
            if period:
                self.period = period
                self.refresh_data()

        from civic.tui.dialogs.form import FormDialog

        self.app.push_screen(FormDialog(_("Report period"), [
            Field("start", _("First day"), start.isoformat(), check=iso_date),
            Field("end", _("Last day"), end.isoformat(), check=iso_date),
        ], submit=_("Show"), apply=apply), chosen)

    def export(self) -> Export | None:
        start, end, data = self._data()
        return Export(_("Accountability report"),
                      f"accountability-{start.isoformat()}-{end.isoformat()}.xlsx",
                      [_("Table"), _("Key"), _("Name"), _("Count")], store.report_rows(data))
