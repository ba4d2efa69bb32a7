"""The desk's screens at the two sizes offices use (80x24, 120x40), in both languages: the
login (its button shows), the people search (its box keeps room), the notices with their
objections panel."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from civic.pm import make_plugin_manager

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh_CN"]


def core_app(driver, lang):
    # Core alone: the layout must not change whenever a plugin adds a mode to the mode bar.
    return driver.app(pm=make_plugin_manager(only=[]), lang=lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_login_fits(registry, driver, snap_compare, size, lang):
    async def settle(pilot):
        await driver.settle(pilot)
        # A still cursor in the focused name box: the picture must not depend on the blink.
        for box in pilot.app.screen.query(Input):
            box.cursor_blink = False
        pilot.app.screen.query_one("#login-name", Input).focus()
        await driver.settle(pilot)

    assert snap_compare(core_app(driver, lang), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_people_search_by_pinyin(registry, driver, snap_compare, size, lang):
    async def search(pilot):
        await driver.login(pilot, "op")
        await pilot.press("f3")
        await driver.settle(pilot)
        await pilot.press("slash", "l", "m")  # 李明's initials
        await driver.settle(pilot)

    assert snap_compare(core_app(driver, lang), terminal_size=size, run_before=search)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_notices_with_objections(drafted, driver, snap_compare, size, lang):
    async def notices_mode(pilot):
        await driver.login(pilot, "op")
        await pilot.press("f6")
        await driver.settle(pilot)

    assert snap_compare(core_app(driver, lang), terminal_size=size, run_before=notices_mode)
