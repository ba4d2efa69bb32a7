"""Modes: F-keys reserved by name for the built-in mechanisms, a mode menu for every mode."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from civic import hookimpl
from civic.pm import make_plugin_manager
from civic.tui.modes import RESERVED_KEYS, Mode, collect_modes
from civic.tui.screens.base import CivicScreen


class ThingScreen(CivicScreen):
    SCREEN_TITLE = "Things"

    def compose_body(self):
        yield Static("things", id="things")


def _plugin(name: str, key: str | None):
    class Plugin:
        @hookimpl
        def register_modes(self, register):
            register(Mode(name, name.title(), key, lambda app: ThingScreen(), order=200))

    return Plugin()


# (mode name, key it asks for, key it gets): core has F2-F6, the built-in mechanisms F7-F12.
CASES = [
    ("commendations", "f9", None),      # reserved for election: refused
    ("commendations", "f3", None),      # core's People
    ("commendations", "ctrl+k", "ctrl+k"),  # free and unreserved: granted
    ("commendations", None, None),      # asked for none
    ("election", None, "f9"),           # a built-in mechanism gets its own by name
    ("training", "f12", "f12"),
    ("evaluation", "f11", None),        # F11 is accountability's, even for a built-in
]


@pytest.mark.parametrize(("name", "asked", "given"), CASES)
def test_keys_are_reserved_for_the_built_in_mechanisms(name, asked, given, capsys):
    pm = make_plugin_manager(only=[], extra=[_plugin(name, asked)])
    mode = next(m for m in collect_modes(pm) if m.name == name)
    assert mode.key == given
    if asked and given is None:
        assert "has no key" in capsys.readouterr().err


def test_built_ins_have_their_reserved_keys(pm):
    keys = {m.name: m.key for m in collect_modes(pm)}
    assert keys["nomination"] == RESERVED_KEYS["nomination"] == "f8"
    assert keys["placement"] == RESERVED_KEYS["placement"] == "f7"


async def test_a_mode_without_a_key_opens_from_the_mode_menu(registry, driver):
    pm = make_plugin_manager(only=[], extra=[_plugin("commendations", "f10")])
    app = driver.app(pm)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f10")  # evaluation's, not the third party's
        await driver.settle(pilot)
        assert app.current_mode == "home"
        await pilot.press("ctrl+g")
        await driver.settle(pilot)
        options = app.screen.query_one("#choices", OptionList)
        labels = [str(options.get_option_at_index(i).prompt)
                  for i in range(options.option_count)]
        assert "People  (F3)" in labels and "Commendations" in labels
        await pilot.press(*"commend", "enter")
        await driver.settle(pilot)
        assert app.current_mode == "commendations"
        assert app.screen.query_one("#things", Static)


async def filled_form(driver, pilot, leave: str):
    """The audit log's key form (F5, k): opened and left untouched with `leave`, which closes
    it without asking; opened again and filled in. Returns the form."""
    from textual.widgets import Input

    from civic.tui.dialogs.form import FormDialog
    from civic.tui.screens.audit import AuditScreen

    app = pilot.app
    await driver.login(pilot)
    await pilot.press("f5", "k")
    await driver.settle(pilot)
    assert isinstance(app.screen, FormDialog)
    await pilot.press(leave)  # nothing typed: closes without asking
    await driver.settle(pilot)
    assert isinstance(app.screen, AuditScreen) and len(app.screen_stack) == 1
    await pilot.press("k")
    await driver.settle(pilot)
    form = app.screen
    form.query_one("#field-passphrase", Input).focus()
    await pilot.press(*"passphrase")
    return form


@pytest.mark.parametrize("leave", ["f5", "escape", "cancel"])
async def test_leaving_a_filled_form_asks_and_an_untouched_one_closes(registry, driver, leave):
    # Nothing typed is lost unasked. The mode's own key inside its mode (back to its main
    # screen), Escape and the form's Cancel button each ask save / discard / stay before a
    # form filled in is closed: stay keeps it as typed, discard closes it. An untouched one
    # just closes.
    from textual.widgets import Button, Input

    from civic.tui.dialogs.unsaved import UnsavedDialog
    from civic.tui.screens.audit import AuditScreen

    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await filled_form(driver, pilot, "escape" if leave == "cancel" else leave)
        for answer in ("escape", "#discard"):  # stay, then discard
            if leave == "cancel":  # the button as the operator presses it (below the fold)
                form.query_one("#cancel", Button).press()
            else:
                await pilot.press(leave)
            await driver.settle(pilot)
            assert isinstance(app.screen, UnsavedDialog)
            assert "filled in" in driver.text(app.screen.query_one("#question"))
            if answer == "escape":
                await pilot.press("escape")
                await driver.settle(pilot)
                assert app.screen is form
                assert form.query_one("#field-passphrase", Input).value == "passphrase"
            else:
                await pilot.click(answer)
                await driver.settle(pilot)
        assert isinstance(app.screen, AuditScreen) and len(app.screen_stack) == 1
        assert app.current_mode == "audit"


async def test_a_mode_key_from_another_mode_opens_its_main_screen(registry, driver):
    """F3 after a person was opened in the people mode and the operator went home: the
    people list, not the person left behind (issue 17: no stale sub-screen)."""
    from civic.tui.screens.people import PeopleScreen
    from civic.tui.screens.person import PersonScreen

    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        await pilot.press("enter")
        await driver.settle(pilot)
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("f2")
        await driver.settle(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        assert isinstance(app.screen, PeopleScreen) and len(app.screen_stack) == 1


TABS = [("home", "F2", "Home", False), ("people", "F3", "People", False),
        ("audit", "F5", "Audit log", True), ("election", "F9", "Elections", False)]


@pytest.mark.parametrize("width, shown, cut", [
    # Every tab fits: " F2 " + "Home " + 1 margin = 10; 10 + 12 + 15 + 15 = 52.
    (52, ["home", "people", "audit", "election"], False),
    # One column short: the current one stays, in order, and the more mark takes its room.
    (51, ["home", "people", "audit"], True),
    # Room for the current one only (15) beside the mark (10).
    (25, ["audit"], True),
])
def test_the_mode_bar_keeps_the_current_mode_when_it_cannot_show_all(width, shown, cut):
    from civic.tui.widgets.mode_bar import fitting

    tabs, left_out = fitting(TABS, width, more_width=10)
    assert ([t[0] for t in tabs], left_out) == (shown, cut)


def test_modes_are_listed_in_the_order_of_their_keys():
    # Issue 17: the menu listed 问责 (F11) before 考核评价 (F10). The key order, F2 ... F12,
    # is the order everywhere (mode bar, menu, help, palette all read app.modes); a mode
    # without an F-key comes after, by its `order`, even one that asks for order 0.
    extra = [_plugin("commendations", None), _plugin("awards", "ctrl+k")]
    pm = make_plugin_manager(extra=extra)
    modes = collect_modes(pm)
    keyed = [m.key for m in modes if m.key and m.key.startswith("f")]
    assert keyed == [f"f{n}" for n in range(2, 13)]
    assert [m.name for m in modes][-2:] == ["awards", "commendations"]
    assert [m.name for m in modes].index("evaluation") < [m.name for m in modes].index(
        "accountability")
