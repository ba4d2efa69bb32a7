"""The shared bar chart (civic.tui.widgets.chart): the numbers it shows, by its plain lines and
by the drawn rows; Chinese labels laid out by cell width; every row inside the widget at 80
and 120 columns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from civic.tui.widgets.chart import BarChart, ChartData, Series, plain_lines, render_chart

HEADINGS = ChartData(
    "Cases by heading per month", ("2008-01", "2008-02"),
    (Series("责任意识淡漠，造成严重失误", (6, 9)), Series("不认真履职，执行力低下", (5, 8)),
     Series("办事拖拉，推诿扯皮", (4, 6)), Series("内部管理松懈，群众反映强烈", (5, 6))),
    stacked=True)
HOURS = ChartData("Hours", ("政治理论", "业务知识"), (Series("学时", (30, 12.5)),),
                  line=25, line_name="要求", unit="学时")
GROUPED = ChartData("Sessions", ("一月", "二月"), (Series("计划", (3, 4)), Series("实到", (2, 4))))


@pytest.mark.parametrize("data,lines", [
    (HEADINGS, ["Cases by heading per month",
                "2008-01: 责任意识淡漠，造成严重失误 6, 不认真履职，执行力低下 5, 办事拖拉，推诿扯皮 4, "
                "内部管理松懈，群众反映强烈 5, total 20",
                "2008-02: 责任意识淡漠，造成严重失误 9, 不认真履职，执行力低下 8, 办事拖拉，推诿扯皮 6, "
                "内部管理松懈，群众反映强烈 6, total 29"]),
    (HOURS, ["Hours", "政治理论: 30 学时", "业务知识: 12.5 学时", "要求: 25 学时"]),
    (GROUPED, ["Sessions", "一月: 计划 3, 实到 2", "二月: 计划 4, 实到 4"]),
    (ChartData("Empty", (), ()), ["Empty", "no data"]),
])
def test_plain_lines_carry_every_number(data, lines):
    assert plain_lines(data) == lines


@pytest.mark.parametrize("width", [40, 76, 116])
def test_drawn_rows_fit_and_end_in_their_values(width):
    rows = render_chart(HEADINGS, width).plain.split("\n")
    # One row a month (stacked), then the legend wrapped to the width.
    assert rows[0].startswith("2008-01") and rows[0].endswith(" 20")
    assert rows[1].startswith("2008-02") and rows[1].endswith(" 29")
    assert all(cell_len(row) <= width for row in rows)
    assert "内部管理松懈，群众反映强烈" in "".join(rows[2:])


def test_stacked_segments_are_in_proportion():
    row = render_chart(HEADINGS, 76).plain.split("\n")[1]
    # 2008-02 is the tallest bar (29), so it fills the bar's width: 76 - 7 label - 2 value - 3.
    bar = row[len("2008-02 "):-len(" 29")]
    assert len(bar) == 64
    assert (bar.count("█"), bar.count("▓"), bar.count("▒"), bar.count("░")) == (20, 18, 13, 13)


def test_the_requirement_line_is_marked_in_every_bar():
    rows = render_chart(HOURS, 60).plain.split("\n")
    # The scale tops at 30 (the largest bar), the line at 25 of 30.
    assert [row.count("┃") for row in rows] == [1, 1, 1]
    assert rows[0].index("┃") == rows[1].index("┃")
    assert rows[2] == "┃ 要求 25 学时"


def test_a_narrow_chart_falls_back_to_its_lines():
    assert render_chart(HOURS, 20).plain.split("\n") == plain_lines(HOURS)[1:]


def test_a_series_must_match_its_labels():
    with pytest.raises(ValueError, match="1 values for 2 labels"):
        ChartData("x", ("a", "b"), (Series("s", (1,)),))


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8), st.integers(30, 160))
def test_a_longer_bar_is_never_shorter(values, width):
    data = ChartData("t", tuple(f"标签{i}" for i in range(len(values))),
                     (Series("n", tuple(values)),))
    rows = render_chart(data, width).plain.split("\n")
    lengths = [row.count("█") for row in rows]
    for (a, la), (b, lb) in zip(zip(values, lengths, strict=True),
                                zip(values[1:], lengths[1:], strict=True), strict=False):
        assert (la <= lb) if a <= b else (la >= lb)
    # A value above nothing is never drawn as nothing.
    assert all((n > 0) == (v > 0) for v, n in zip(values, lengths, strict=True))


class ChartApp(App):
    def compose(self) -> ComposeResult:
        yield BarChart(HEADINGS, id="chart")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_widget_draws_inside_the_screen(size):
    app = ChartApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        chart = app.query_one("#chart", BarChart)
        assert chart.border_title == "Cases by heading per month"
        assert "2008-02: " in chart.plain_text() and "total 29" in chart.plain_text()
        assert chart.region.right <= size[0]
        drawn = render_chart(HEADINGS, chart.content_size.width).plain.split("\n")
        # The widget is as tall as its rows, so nothing is cut off.
        assert chart.content_size.height == len(drawn)
        chart.show(HOURS)
        await pilot.pause()
        assert chart.border_title == "Hours"
        assert chart.plain_text().splitlines()[-1] == "要求: 25 学时"
