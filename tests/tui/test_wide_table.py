"""Tables say when columns are off-screen: a mark at the header's edge counts the columns to the
right (and, once scrolled, to the left), and follows scrolling and resizing (issue 17, "Tables
show that columns are off-screen")."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from civic.i18n import set_language
from civic.tui.widgets.wide_table import WideTable

# Eight columns of 10 cells each (8 of text, 1 of padding either side): 80 cells in all.
COLUMNS = [f"col{i}" for i in range(8)]


class OneTable(App):
    def __init__(self, rows: int = 3) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield WideTable(id="t", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(WideTable)
        for name in COLUMNS:
            table.add_column(name, width=8)
        table.add_rows([[f"{c}-r{r}" for c in COLUMNS] for r in range(self.rows)])


def header(table: WideTable) -> str:
    return table.render_line(0).text


@pytest.mark.parametrize(("width", "left", "right", "mark"), [
    # 45 cells show columns 0-3 whole and column 4 in part: 4 columns are (at least partly)
    # off. Past col3's label 9 cells are free: too few for the words, so the count alone.
    (45, 0, 4, " ▸4 "),
    (60, 0, 2, " ▸2 "),  # columns 0-5 whole: 6 and 7 off; 4 cells free after col5's label
    (79, 0, 1, " ▸ 1 more "),  # the last column loses one cell: it counts; 13 cells free
    (80, 0, 0, ""),
    (120, 0, 0, ""),
])
async def test_the_mark_counts_the_columns_off_screen(width, left, right, mark):
    app = OneTable()
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(WideTable)
        assert table.columns_off_screen() == (left, right)
        line = header(table)
        assert len(line) == width  # the mark overwrites, it never widens the header
        if right:
            assert line.endswith(mark)
            # No label of a column shown whole is covered.
            assert all(f"col{i}" in line for i in range(len(COLUMNS) - right))
        else:
            assert "more" not in line and "▸" not in line
            assert line.startswith(" col0")


async def test_scrolling_right_moves_the_count_to_the_left():
    app = OneTable()
    async with app.run_test(size=(45, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(WideTable)
        table.focus()
        # A row cursor scrolls the table sideways a cell a key, as the operator does.
        for _ in range(40):
            await pilot.press("right")
            await pilot.wait_for_scheduled_animations()
        assert table.scroll_x == table.max_scroll_x > 0
        left, right = table.columns_off_screen()
        assert (left, right) == (4, 0)
        line = header(table)
        # col4 starts 5 cells in: room for the count, not the words.
        assert line.startswith(" ◂4 ") and "▸" not in line
        # Half way back both sides have columns off-screen.
        table.scroll_to(x=20, animate=False)
        await pilot.pause()
        # Cells 20-64 show: columns 0 and 1 lie left, 6 (in part) and 7 right.
        assert table.columns_off_screen() == (2, 2)
        assert header(table).startswith(" ◂2 ")
        assert header(table).endswith(" ▸2 ")
        # Scrolled so that col6 shows in its larger part, the words fit on the right.
        table.scroll_to(x=24, animate=False)
        await pilot.pause()
        assert header(table).endswith(" ▸ 2 more ")


async def test_the_mark_stays_clear_of_the_vertical_scrollbar():
    app = OneTable(rows=50)  # more rows than 10 lines hold: a scrollbar takes the right edge
    async with app.run_test(size=(45, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(WideTable)
        view = table.scrollable_content_region.width
        assert view < 45
        assert header(table)[:view].endswith(" ▸4 ")


async def test_a_resize_updates_the_mark():
    app = OneTable()
    async with app.run_test(size=(45, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(WideTable)
        assert table.columns_off_screen() == (0, 4)
        await pilot.resize_terminal(100, 10)
        await pilot.pause()
        assert table.columns_off_screen() == (0, 0)
        assert "more" not in header(table)


async def test_the_mark_speaks_chinese():
    set_language("zh_CN")
    try:
        app = OneTable()
        async with app.run_test(size=(45, 10)) as pilot:
            await pilot.pause()
            assert header(app.query_one(WideTable)).endswith(" ▸4 ")
            await pilot.resize_terminal(79, 10)
            await pilot.pause()
            assert header(app.query_one(WideTable)).endswith("▸ 还有1列 ")
    finally:
        set_language("en")


async def test_the_people_table_marks_its_hidden_columns_at_80_columns(registry, driver):
    # The people list has more columns than 80 cells hold: the operator is told.
    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        table = app.screen.query_one("#people-table", WideTable)
        left, right = table.columns_off_screen()
        assert left == 0 and right > 0
        assert header(table).rstrip().endswith(f"▸ {right} more")
    async with driver.app().run_test(size=(200, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        table = pilot.app.screen.query_one("#people-table", WideTable)
        assert table.columns_off_screen() == (0, 0)
