"""The people mode: search, filters, a person's record, and why they are not eligible."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from civic.tui.screens.person import PersonScreen
from civic.tui.widgets.filter_picker import FilterPicker
from civic.tui.widgets.paged_table import PagedTable


async def open_people(driver, pilot):
    await driver.login(pilot)
    await pilot.press("f3")
    await driver.settle(pilot)
    return pilot.app.screen.query_one("#people-table", PagedTable)


async def test_search_by_name_then_open_the_record(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        assert table.row_count == 5 and table.window_text() == "rows 1–5 of 5"
        await pilot.press("slash")
        await pilot.press(*"王丽", "enter")
        await driver.settle(pilot)
        assert table.row_count == 1 and table.current["code"] == "C0003"
        assert table.has_focus
        await pilot.press("enter")
        await driver.settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        record = driver.text(app.screen.query_one("#person-record"))
        assert "王丽" in record and "彝族" in record and "aged 37" in record
        await pilot.press("escape")
        await driver.settle(pilot)
        assert app.screen.query_one("#people-table") is table


async def test_search_by_code_prefix(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        app.screen.query_one("#people-search", Input).value = "C000"
        await pilot.pause(0.4)  # the search waits for a pause in typing
        await driver.settle(pilot)
        assert table.total == 5
        app.screen.query_one("#people-search", Input).value = "C0005"
        await pilot.pause(0.4)
        await driver.settle(pilot)
        assert [r["name"] for r in table.rows_data] == ["陈静"]


async def test_filters_by_unit_rank_and_status(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        app.screen.query_one("#people-unit", FilterPicker).value = "KM-XS"
        await driver.settle(pilot)
        assert table.total == 4
        app.screen.query_one("#people-rank", FilterPicker).value = "deputy_division"
        await driver.settle(pilot)
        assert [r["code"] for r in table.rows_data] == ["C0002", "C0003"]
        app.screen.query_one("#people-rank", FilterPicker).clear()
        app.screen.query_one("#people-status", FilterPicker).value = "reserve"
        await driver.settle(pilot)
        assert [r["code"] for r in table.rows_data] == ["C0005"]
        await pilot.press("ctrl+r")
        await driver.settle(pilot)
        assert table.total == 5


async def test_id_number_is_masked(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_people(driver, pilot)
        await pilot.press("enter")  # C0001, the first row
        await driver.settle(pilot)
        record = driver.text(app.screen.query_one("#person-record"))
        assert "110105********002X" in record
        assert "11010519491231002X" not in record


async def test_why_not_eligible_for_a_post(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        table.move_cursor(row=2)  # C0003 王丽: not a party member
        await pilot.press("enter")
        await driver.settle(pilot)
        await pilot.press("e")
        await driver.settle(pilot)
        await pilot.press(*"西山区委", "enter")  # narrow the list to one post, take it
        await driver.settle(pilot)
        person = app.screen
        assert isinstance(person, PersonScreen) and person.position == "P-XSSJ"
        verdict = driver.text(person.query_one("#eligibility-verdict"))
        assert "王丽 is NOT eligible for 西山区委书记 on 2008-07-01" in verdict
        problems = person.query_one("#eligibility-problems", DataTable)
        rows = [problems.get_row_at(i) for i in range(problems.row_count)]
        assert ("party membership", "yes", "群众", "not a full party member") in map(tuple, rows)
        assert any(r[0] == "years at rank" for r in rows)  # 1 full year of the 2 needed


async def test_eligible_person_is_told_so(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        table.move_cursor(row=1)  # C0002 李明, 副处 since 2004, party member, born 1966
        await pilot.press("enter")
        await driver.settle(pilot)
        app.screen.check("P-XSSJ")
        await driver.settle(pilot)
        verdict = driver.text(app.screen.query_one("#eligibility-verdict"))
        assert "meets every condition" in verdict


async def test_chinese_names_take_two_cells_a_character(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        # 张建华 is three characters and six cells; the column is as wide as that.
        assert table.columns[ColumnKey("name")].content_width == 6
        unit = table.columns[ColumnKey("unit")]
        assert unit.content_width == len("昆明市人民政府") * 2


async def test_unit_picker_counts_units_and_enter_takes_the_first_match(registry, driver):
    """The picker lists "All units" first whatever is typed, counts only the units, and
    after typing, Enter takes the first unit that matches (not "All units")."""
    from textual.widgets import Label, OptionList

    from civic.tui.dialogs.picker import PickerDialog

    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_people(driver, pilot)
        app.screen.query_one("#people-unit", FilterPicker).action_pick()
        await driver.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PickerDialog)
        assert str(dialog.query_one("#shown", Label).content) == "3 of 3 shown"
        options = dialog.query_one("#choices", OptionList)
        assert options.option_count == 4 and options.highlighted == 0  # All units, 3 units
        await pilot.press(*"西山", "enter")
        await driver.settle(pilot)
        assert app.screen.query_one("#people-unit", FilterPicker).value == "KM-XS"
        assert table.total == 4


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_every_section_of_a_person_is_reachable_at_80x24(registry, driver, lang):
    # Issue 17: at 80x24 the eligibility panel lay under the fold with no way to reach it.
    # The record scrolls as one: a check scrolls to its verdict, and the page keys on the
    # focused scroll reach the top and the bottom.
    app = driver.app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_people(driver, pilot)
        table.move_cursor(row=2)  # C0003 王丽
        await pilot.press("enter")
        await driver.settle(pilot)
        person = app.screen
        body = person.query_one("#person-body")

        def shown(selector: str) -> bool:
            region = person.query_one(selector).region
            return bool(region) and body.region.intersection(region) == region

        assert shown("#person-record")
        person.check("P-XSSJ")
        await driver.settle(pilot)
        assert body.max_scroll_y > 0  # the record is taller than the screen
        assert shown("#eligibility-verdict") and shown("#eligibility-problems")
        body.focus()
        await pilot.press("home")
        await driver.settle(pilot)
        assert shown("#person-record") and not shown("#eligibility-problems")
        await pilot.press("end")
        await driver.settle(pilot)
        assert shown("#eligibility-problems")
