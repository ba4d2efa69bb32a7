"""The accountability reports (r from the case register): cases by heading per month, by form,
overdue tasks by unit and rectification progress per inspection round, as charts
(civic.tui.widgets.chart) over a period the operator picks; x writes the same report to XLSX
as `civic accountability report --out` does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from civic.i18n import N_, _
from civic.plugins.accountability import store
from civic.tui.dialogs.form import Field, FieldError, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.widgets.chart import BarChart, ChartData, Series


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


class ReportScreen(SubScreen):
    SCREEN_TITLE = N_("Accountability reports")
    HELP = N_("Cases opened in the period by heading per month and by form, overdue supervised "
              "tasks by unit, and rectification progress per inspection round, counted from "
              "the register. p sets the period; x writes the report to an XLSX file.")
    BINDINGS = [Binding("p", "period", N_("Period")),
                Binding("x", "export", N_("Export XLSX"))]

    def __init__(self) -> None:
        super().__init__()
        self.period: tuple[dt.date, dt.date] | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="accountability-report"):
            yield Static(id="report-total")
            for chart_id in ("report-by-month", "report-by-form", "report-overdue",
                             "report-rectification"):
                yield BarChart(id=chart_id)

    def refresh_data(self) -> None:
        db = self.civic.db
        today = self.civic.office.today()
        if self.period is None:
            self.period = store.report_period(db) or (dt.date(today.year, 1, 1), today)
        start, end = self.period
        data = store.report(db, start, end, today)
        self.query_one("#report-total", Static).update(
            _("Cases opened {start} to {end}: {total}").format(
                start=start.isoformat(), end=end.isoformat(), total=data["total"]))
        for chart_id, chart in charts(db, data).items():
            self.query_one(f"#{chart_id}", BarChart).show(chart)

    def action_period(self) -> None:
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

    def action_export(self) -> None:
        from civic.tabular import write_table

        if self.period is None:
            return
        start, end = self.period
        data = store.report(self.civic.db, start, end, self.civic.office.today())

        def write(path: str) -> None:
            # write_table words a file it cannot write as a CivicError, which the form shows.
            write_table(path, [_("Table"), _("Key"), _("Name"), _("Count")],
                        store.report_rows(data))

        self.export_file(_("Accountability report"),
                         f"accountability-{start.isoformat()}-{end.isoformat()}.xlsx", write)
