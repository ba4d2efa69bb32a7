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


def test_a_table_row_stays_whole_and_a_paragraph_wraps_at_the_preview():
    row = "1     沈德明  正团  " + "60.00  " * 12 + "市建设局调研员"  # wider than the page
    para = "对昆明市2008年计划安置军队转业干部中的47名团职军队转业干部进行了考核。"
    english = "Objections should be factual, specific and clear; a person writing in"
    assert cell_len(row) > PAGE and cell_len(para) <= PAGE and cell_len(english) <= PAGE
    lines = fit_page("\n".join([row, para, english]), 40).split("\n")
    assert lines[0] == row  # the preview scrolls sideways to it
    rest = lines[1:]
    assert all(cell_len(line) <= 40 for line in rest)
    assert "".join(rest[:-2]) == para  # Chinese is cut between characters, nothing lost
    assert " ".join(rest[-2:]) == english  # English at a space
    assert rest[-2] == "Objections should be factual, specific"


def test_a_number_is_not_cut_in_two():
    line = "对昆明市2008年计划安置军队转业干部中的47名团职军队转业干部"
    # 39 cells end between the 4 and the 7 of 47: the number moves to the next line whole.
    assert fit_page(line, 39).split("\n") == ["对昆明市2008年计划安置军队转业干部中的", "47名团职军队转业干部"]


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


async def test_the_case_register_has_each_column_once(registry, driver):
    # The register's screen once called its base's on_mount itself, as Textual does too.
    from civic.plugins.accountability.screens import AccountabilityScreen

    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f11")
        await driver.settle(pilot)
        table = app.screen.query_one("#accountability-cases", DataTable)
        assert len(table.columns) == len(AccountabilityScreen.COLUMNS)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_tall_form_opens_at_its_title(registry, driver, size):
    # New nomination is taller than 24 rows: it scrolls, and opens with its title on screen.
    from textual.widgets import Label

    from civic.pm import make_plugin_manager

    app = driver.app(pm=make_plugin_manager(only=["nomination"]))
    async with app.run_test(size=size) as pilot:
        await driver.login(pilot)
        await pilot.press("f8", "n")
        await driver.settle(pilot)
        box = app.screen.query_one(".dialog")
        title = app.screen.query_one(".dialog-title", Label)
        assert box.scroll_y == 0
        assert title.region.height == 1 and box.region.contains_region(title.region)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_footer_keys_stop_short_of_the_palette_key(registry, driver, lang):
    # The audit log has more keys than 80 columns hold: those left over are hidden whole
    # (the palette lists them) instead of running under "^p palette" and overprinting it.
    app = driver.app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        keys = list(app.screen.query("FooterKey"))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette and k.display]
        assert shown and len(shown) < len(keys) - 1  # some were left out at 80 columns
        assert all(k.region.right <= palette.region.x for k in shown)
        await pilot.resize_terminal(160, 40)
        await driver.settle(pilot)
        assert all(k.display for k in app.screen.query("FooterKey"))  # room again: all back
