"""Issue 15 "Reports": the training charts at the terminal show the records' numbers (read from
the charts' plain lines): a person's credited hours by category against the required hours,
and the monthly training-day rule by unit and by one unit's leaders."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest
from textual.widgets import DataTable

from civic.plugins.training import actions, store
from civic.plugins.training.screens import PersonHoursScreen
from civic.plugins.training.tui.charts import (
    MonthComplianceScreen,
    category_days,
    hours_chart,
)
from civic.tui.widgets.chart import BarChart

D = dt.date


def _records(office) -> None:
    """7 hours of full-time study for 张建华 and 李明 (March 2008); the training days of
    Saturday 8 March 2008 (a rest day: two half-days) attended by 张建华 and 赵强, and of
    Saturday 15 March by 赵强 only: he alone has the month's four half-days (Kunming 2008)."""
    prog = actions.create_programme(office, "县处级干部进修班", "full_time", D(2008, 3, 3),
                                    D(2008, 3, 14), "市委党校")
    study = actions.add_session(office, prog, D(2008, 3, 3), 2, F(7))
    actions.record_attendance(office, study, ["C0001", "C0002"])
    day = actions.create_programme(office, "三月领导干部培训日", "training_day", D(2008, 3, 8),
                                   D(2008, 3, 15), "市委组织部")
    session = actions.add_session(office, day, D(2008, 3, 8), 2, F(6))
    actions.record_attendance(office, session, ["C0001", "C0004"])
    session = actions.add_session(office, day, D(2008, 3, 15), 2, F(6))
    actions.record_attendance(office, session, ["C0004"])


def test_the_hours_chart_is_the_persons_record(civic_registry):
    _records(civic_registry)
    d = store.person_hours(civic_registry.db, "C0001", D(2008, 7, 1))
    # 正处's five-year requirement is in days (90, the 2006 rules' three months): the chart
    # is drawn in days then, a day session being two half-days.
    assert d["required_hours"] is None and d["required_days"] == "90"
    chart = hours_chart(d, category_days(civic_registry.db, d))
    assert chart is not None
    lines = dict(line.split(": ") for line in chart_lines(chart)[1:])
    assert lines["full-time / centralised"] == "1 days"
    assert lines["training day"] == "1 days"
    assert lines["Total credited"] == "2 days"
    assert lines["Required"] == "90 days"
    # Without the days, the same record in hours: 7 full-time, 6 on the training day.
    hours = dict(line.split(": ") for line in chart_lines(hours_chart(d))[1:])
    assert (hours["full-time / centralised"], hours["training day"],
            hours["Total credited"]) == ("7 hours", "6 hours", "13 hours")
    assert "Required" not in hours


def chart_lines(chart) -> list[str]:
    from civic.tui.widgets.chart import plain_lines

    return plain_lines(chart)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_person_hours_screen_draws_the_chart(size, civic_registry, civic_app):
    _records(civic_registry)
    app = civic_app.app()
    async with app.run_test(size=size) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f12")
        await civic_app.settle(pilot)
        await pilot.press("c")
        await civic_app.settle(pilot)
        table = app.screen.query_one(DataTable)
        codes = [table.get_row_at(i)[1] for i in range(table.row_count)]
        table.move_cursor(row=codes.index("C0001"))
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, PersonHoursScreen)
        chart = app.screen.query_one("#person-hours-chart", BarChart)
        assert chart.display and "Total credited: 2 days" in chart.plain_text()
        assert chart.region.right <= size[0]


async def test_m_charts_the_monthly_training_day_rule(civic_registry, civic_app):
    from tests.accountability.test_accountability_tui import _submit

    _records(civic_registry)
    app = civic_app.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f12")
        await civic_app.settle(pilot)
        await pilot.press("c")
        await civic_app.settle(pilot)
        await pilot.press("m")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, MonthComplianceScreen)
        # The test clock's today is in July 2008: the latest month with a training day
        # before it, March, is shown first.
        lines = app.screen.query_one("#month-chart", BarChart).plain_text().splitlines()
        expected = {r["unit"] for r in store.month_compliance(civic_registry.db, "2008-03")}
        assert len(lines) == 1 + len(expected)
        # 西山区: 赵强 met (four half-days on two Saturdays), 李明 and 王丽 did not.
        assert "西山区: met 1, short 2, total 3" in lines
        await pilot.press("m")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, month="2008-03", unit="KM-XS")
        lines = app.screen.query_one("#month-chart", BarChart).plain_text().splitlines()
        assert lines[0] == "Training-day half-days of 西山区, 2008-03"
        assert {"赵强: 4", "李明: 0", "王丽: 0"} <= set(lines)
        assert lines[-1] == "Required: 4"


async def test_the_month_chart_is_core_s_chart_report_and_x_exports_its_table(
        civic_registry, civic_app, civic_cli, tmp_path):
    """The month chart has the layout every chart report has (civic.tui.widgets.chart_report:
    the summary line, the charts in a scroll, x to export) and x writes the same table as
    `civic training compliance --month --out`."""
    from openpyxl import load_workbook

    from civic.tui.widgets.chart_report import ChartReport
    from tests.accountability.test_accountability_tui import _submit

    _records(civic_registry)
    out = tmp_path / "month.xlsx"
    app = civic_app.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await civic_app.login(pilot)
        for key in ("f12", "c", "m"):
            await pilot.press(key)
            await civic_app.settle(pilot)
        assert isinstance(app.screen, MonthComplianceScreen)
        assert app.screen.query_one(ChartReport).query_one("#month-chart", BarChart)
        summary = civic_app.text(app.screen.query_one("#report-summary"))
        assert "1 of 4 leaders met the training-day rule in 2008-03." in summary
        await pilot.press("x")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, path=str(out))
    by_cli = tmp_path / "cli.xlsx"
    result = civic_cli("training", "compliance", "--month", "2008-03", "--out", str(by_cli))
    assert result.exit_code == 0, result.output
    written = list(load_workbook(out).active.iter_rows(values_only=True))
    assert written[0] == ("Code", "Name", "Unit", "Half-days", "Required", "Met")
    assert len(written) == 5  # the header and the month's four leaders
    assert written == list(load_workbook(by_cli).active.iter_rows(values_only=True))
