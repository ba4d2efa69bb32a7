"""Screens fit 80x24 (issue 17, "Fit and keys"): every panel keeps room to show rows, the filter
row stays on screen, a notice's preview is laid out for the width it has, and codes the
registry stores are worded in the operator's language."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from civic.tui.screens.notices import PAGE, fit_page

# A notice's plain text as templates/format/txt.j2 lays it out on its 72-cell page.
MARK = "** 草稿（未发布，不得张贴） **"
TITLE = "干部任前公示"
BODY = "拟任命李明同志为西山区委书记。"
SIGNATURE = "中共昆明市委组织部"
PAGE_TEXT = "\n".join([
    " " * ((PAGE - cell_len(MARK)) // 2) + MARK,
    " " * ((PAGE - cell_len(TITLE)) // 2) + TITLE,
    BODY,
    " " * (PAGE - cell_len(SIGNATURE)) + SIGNATURE,
])


@pytest.mark.parametrize("width", [30, 49, 60])
def test_a_narrow_preview_centres_and_aligns_for_its_own_width(width):
    lines = fit_page(PAGE_TEXT, width).split("\n")
    # Centred lines stay centred and whole (no line wider than the preview, so none wraps).
    assert lines[0].strip() == MARK and cell_len(lines[0]) <= width
    assert len(lines[0]) - len(lines[0].lstrip()) == (width - cell_len(MARK)) // 2
    assert lines[1].strip() == TITLE and cell_len(lines[1]) <= width
    assert lines[2] == BODY  # a paragraph is left to wrap
    assert lines[3].strip() == SIGNATURE and cell_len(lines[3]) == width  # still flush right


def test_a_preview_as_wide_as_the_page_is_left_as_printed():
    assert fit_page(PAGE_TEXT, PAGE) == PAGE_TEXT
    assert fit_page(PAGE_TEXT, 100) == PAGE_TEXT
    assert fit_page(PAGE_TEXT, 0) == PAGE_TEXT  # not laid out yet


@pytest.mark.parametrize(("keys", "table_id"), [
    (["f2"], "#dash-audit"),
    (["f2"], "#dash-notices"),
    (["f5"], "#audit-table"),
])
async def test_each_table_keeps_rows_on_screen_at_80x24(registry, driver, keys, table_id):
    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await pilot.press(*keys)
        await driver.settle(pilot)
        table = app.screen.query_one(table_id, DataTable)
        region = table.region
        # Wholly on screen (above the footer), with the header and at least two rows inside.
        assert region.bottom <= 23
        assert table.scrollable_content_region.height >= 3


async def test_the_people_filters_stay_on_screen_at_80_columns(registry, driver):
    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        for id_ in ("#people-search", "#people-unit", "#people-rank", "#people-status"):
            assert app.screen.query_one(id_).region.right <= 80, id_


@pytest.mark.parametrize(("lang", "word"), [("en", "male"), ("zh_CN", "男")])
async def test_gender_is_worded_in_the_operators_language(registry, driver, lang, word):
    app = driver.app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        table = app.screen.query_one("#people-table", DataTable)
        genders = {str(table.get_cell_at((r, 2))) for r in range(table.row_count)}
        assert word in genders
        if lang == "en":
            assert not genders & {"男", "女"}
