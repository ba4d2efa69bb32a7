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


# Each core screen the operator reaches by a key, at both sizes: what does not fit shows at
# 80x24 first; 120x40 is where the office works. (The login, people and notices are above.)
CORE_SCREENS = {
    "home": ["f2"],
    "positions": ["f4"],
    "audit": ["f5"],
    "operators": ["ctrl+o"],
    "person": ["f3", "enter"],
    "import-preview": ["f3", "i"],
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(CORE_SCREENS))
def test_core_screens(registry, driver, snap_compare, tmp_path, monkeypatch, screen, size,
                      lang):
    # The import dialog is shown holding a clean preview (rows to add and change), of a file
    # named relative to the working folder so the picture is the same on every run.
    monkeypatch.chdir(tmp_path)
    people = tmp_path / "more-people.csv"
    people.write_text("编号,姓名,性别\nC0002,李明,男\nC0100,周平,男\n", encoding="utf-8")

    async def open_screen(pilot):
        await driver.login(pilot, "op")
        await pilot.press(*CORE_SCREENS[screen])
        await driver.settle(pilot)
        if screen == "import-preview":
            box = pilot.app.screen.query_one("#path", Input)
            box.value = people.name
            box.cursor_blink = False
            await pilot.press("enter")
            await driver.settle(pilot)

    assert snap_compare(core_app(driver, lang), terminal_size=size, run_before=open_screen)
