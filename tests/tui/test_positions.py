"""The positions mode: vacancies, vacant only, a position's conditions, holders and who is
eligible."""

from __future__ import annotations

from textual.widgets import DataTable

from civic.tui.screens.position import PositionScreen
from civic.tui.widgets.paged_table import PagedTable


async def test_positions_with_vacancies_and_vacant_only(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f4")
        await driver.settle(pilot)
        table = app.screen.query_one("#positions-table", PagedTable)
        rows = {r["code"]: (r["holders"], r["vacancies"]) for r in table.rows_data}
        assert rows == {"P-MSZ": (1, 0), "P-XSFQ": (1, 1), "P-XSSJ": (0, 1)}
        await pilot.press("v")
        await driver.settle(pilot)
        assert [r["code"] for r in table.rows_data] == ["P-XSFQ", "P-XSSJ"]
        await pilot.press("slash", *"书记", "enter")
        await driver.settle(pilot)
        assert [r["code"] for r in table.rows_data] == ["P-XSSJ"]


async def test_a_position_its_holders_and_who_is_eligible(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f4")
        await driver.settle(pilot)
        await pilot.press("enter")  # P-MSZ 市政府秘书长
        await driver.settle(pilot)
        screen = app.screen
        assert isinstance(screen, PositionScreen)
        record = driver.text(screen.query_one("#position-record"))
        assert "市政府秘书长" in record and "Deputy division / deputy county" in record
        holders = screen.query_one("#position-holders", DataTable)
        assert holders.get_row_at(0)[:2] == ["C0001", "张建华"]
        eligible = screen.query_one("#position-eligible", DataTable)
        refused = screen.query_one("#position-ineligible", DataTable)
        assert [eligible.get_row_at(i)[0] for i in range(eligible.row_count)] == [
            "C0001", "C0002"]
        why = {refused.get_row_at(i)[0]: refused.get_row_at(i)[2]
               for i in range(refused.row_count)}
        assert "aged 58, limit 50" in why["C0004"]
        assert "not a full party member" in why["C0003"]
        refused.focus()
        refused.move_cursor(row=[*why].index("C0003"))
        await pilot.press("enter")  # the record, with the failing conditions for this post
        await driver.settle(pilot)
        assert app.screen.code == "C0003" and app.screen.position == "P-MSZ"
        assert "NOT eligible" in driver.text(app.screen.query_one("#eligibility-verdict"))
