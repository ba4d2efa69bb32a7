"""100,000 people: the people mode holds one window of rows, and paging moves the window."""

from __future__ import annotations

from civic.tui.widgets.paged_table import PagedTable

N = 100_000


def insert_people(db, n: int = N) -> None:
    """Rows written directly: the test is about the screen, not the importer."""
    rows = ((f"P{i:06d}", f"测试{i}", "男" if i % 2 else "女", "1970-01-01", "section",
             "serving") for i in range(n))
    with db.conn:
        db.conn.executemany("INSERT INTO people (code, name, gender, birth_date, rank, status)"
                            " VALUES (?, ?, ?, ?, ?, ?)", rows)


async def test_people_mode_shows_a_window_of_100000(office, driver):
    insert_people(office.db)
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        table = app.screen.query_one("#people-table", PagedTable)
        page = table.page_size
        assert table.row_count == page == 100
        assert (table.start, table.total) == (0, N)
        assert table.window_text() == "rows 1–100 of 100000"
        assert table.current["code"] == "P000000"

        # PageDown walks through the window, then loads the next one.
        for _ in range(10):
            await pilot.press("pagedown")
            await driver.settle(pilot)
            if table.start:
                break
        assert table.start == page and table.row_count == page
        assert table.rows_data[0]["code"] == "P000100"
        assert table.cursor_row == 0

        # Up from the first row of a window goes back into the previous one.
        await pilot.press("up")
        await driver.settle(pilot)
        assert table.start == 0 and table.current["code"] == "P000099"

        # Down from the window's last row moves on.
        await pilot.press("down")
        await driver.settle(pilot)
        assert table.start == page and table.current["code"] == "P000100"

        await pilot.press("ctrl+end")
        await driver.settle(pilot)
        assert table.start == N - page and table.current["code"] == f"P{N - 1:06d}"
        assert table.window_text() == f"rows {N - page + 1}–{N} of {N}"
        assert table.row_count == page

        await pilot.press("ctrl+home")
        await driver.settle(pilot)
        assert table.start == 0 and table.row_count == page


async def test_search_among_100000_counts_the_matches(office, driver):
    insert_people(office.db)
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        await pilot.press("slash", *"测试9999", "enter")
        await driver.settle(pilot)
        table = app.screen.query_one("#people-table", PagedTable)
        # 测试9999 and 测试99990..测试99999
        assert table.total == 11 and table.row_count == 11
