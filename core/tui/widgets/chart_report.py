"""One layout for a report drawn as charts, the same in every mode: the screen's title, a line
saying what is counted over which period, the charts (civic.tui.widgets.chart) in a scroll, a
key that chooses the period and `x` that writes the report's table to XLSX (or CSV) as the
report's CLI command `--out` does.

    from civic.tui.widgets.chart_report import ChartReportScreen, Export, Report

    class CasesReport(ChartReportScreen):
        SCREEN_TITLE = N_("Case reports")
        HELP = N_("Cases by form and by unit in the period. p sets the period; x exports.")
        CHARTS = ("cases-by-form", "cases-by-unit")
        CHOOSE = ("p", N_("Period"))          # the key, and its footer label

        def report(self) -> Report:           # read on mount and after every change
            return Report(_("Cases opened {start} to {end}").format(...),
                          {"cases-by-form": ChartData(...), "cases-by-unit": ChartData(...)})

        def choose(self) -> None:             # the CHOOSE key: a form, then refresh_data()
            ...

        def export(self) -> Export | None:    # x: the table to write, or None (nothing yet)
            return Export(_("Case report"), "cases.xlsx", headers, rows)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from civic.i18n import N_
from civic.tui.screens.base import SubScreen
from civic.tui.widgets.chart import BarChart, ChartData

SUMMARY_ID = "report-summary"


@dataclass(frozen=True)
class Report:
    """What a chart report shows: `summary`, the line above the charts (what is counted, over
    which period, the total), and each chart's data by its widget id (None hides a chart that
    has nothing to say, such as a requirement line for a rank without one)."""

    summary: str
    charts: Mapping[str, ChartData | None]


@dataclass(frozen=True)
class Export:
    """A report's table for `x`: the export dialog's title, the file name it proposes, the
    column headers in the operator's language and the rows (written by civic.tabular, which
    neutralises formula-like cells)."""

    title: str
    file: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


class ChartReport(VerticalScroll):
    """The layout: the summary line, then one BarChart per id, in a scroll that takes the
    screen's height (a tall report scrolls at 80x24 rather than being cut)."""

    def __init__(self, charts: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart_ids = tuple(charts)

    def compose(self) -> ComposeResult:
        yield Static(id=SUMMARY_ID)
        for chart_id in self.chart_ids:
            yield BarChart(id=chart_id)

    def show(self, report: Report) -> None:
        self.query_one(f"#{SUMMARY_ID}", Static).update(report.summary)
        for chart_id in self.chart_ids:
            chart = self.query_one(f"#{chart_id}", BarChart)
            data = report.charts.get(chart_id)
            chart.display = data is not None
            if data is not None:
                chart.show(data)


class ChartReportScreen(SubScreen):
    """A screen that is a chart report. Subclasses set `CHARTS` (the chart ids, in order) and
    `CHOOSE` (the key that chooses what the report counts, and its label), and implement
    `report()`, `choose()` and `export()`. Each subclass gets the keys CHOOSE and `x` before
    its own BINDINGS, so every report's footer reads alike."""

    CHARTS: ClassVar[tuple[str, ...]] = ()
    CHOOSE: ClassVar[tuple[str, str]] = ("p", N_("Period"))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual merges the class's bindings (in DOMNode.__init_subclass__).
        key, label = cls.CHOOSE
        cls.BINDINGS = [Binding(key, "choose", label), Binding("x", "export", N_("Export XLSX")),
                        *cls.__dict__.get("BINDINGS", [])]
        super().__init_subclass__(**kwargs)

    def compose_body(self) -> ComposeResult:
        yield ChartReport(self.CHARTS)

    def refresh_data(self) -> None:
        self.query_one(ChartReport).show(self.report())

    def report(self) -> Report:
        """The summary and the charts' data, read now."""
        raise NotImplementedError

    def choose(self) -> None:
        """Let the operator choose what the report counts (a period, a month and a unit),
        then `refresh_data()`."""

    def export(self) -> Export | None:
        """The report's table for `x`, or None when there is nothing to write."""
        return None

    def action_choose(self) -> None:
        self.choose()

    def action_export(self) -> None:
        from civic.tabular import write_table

        found = self.export()
        if found is None:
            return

        def write(path: str) -> None:
            # write_table words a file it cannot write as a CivicError, which the form shows.
            write_table(path, list(found.headers), found.rows)

        self.export_file(found.title, found.file, write)
