"""The footer and the command palette show only what the operator's role may do: they read the
declared actions (civic.actions), and an office's own permissions."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from civic.actions import set_roles
from civic.office import Operator
from civic.tui.commands import palette_entries


def footer(app) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


async def keys_in(driver, name: str, mode_key: str) -> tuple[set[str], set[str]]:
    app = driver.app()
    async with app.run_test(size=(160, 40)) as pilot:
        await driver.login(pilot, name)
        await pilot.press(mode_key)
        await driver.settle(pilot)
        return footer(app), {title for title, _help, _cb in palette_entries(app)}


@pytest.mark.parametrize("mode_key,changes", [
    ("f3", {"Import people"}),
    ("f4", {"Import positions"}),
    ("f6", {"Publish", "Objection", "Resolve", "Confirm"}),
    ("f7", {"New batch"}),
    ("f8", {"New nomination"}),
])
async def test_a_viewer_sees_no_change_keys(registry, driver, mode_key, changes):
    op_keys, op_palette = await keys_in(driver, "op", mode_key)
    view_keys, view_palette = await keys_in(driver, "view", mode_key)
    assert changes <= op_keys
    assert not changes & view_keys
    # What is left is the same reading keys (search, language, ...).
    assert view_keys == op_keys - changes
    imports = {"Import units…", "Import positions…", "Import people…"}
    assert imports <= op_palette and not imports & view_palette
    assert "Verify the audit chain" in view_palette and "Go to Notices" in view_palette


async def test_the_palette_follows_the_offices_permissions(registry, driver):
    admin = registry.as_actor(Operator("admin", "admin"))
    set_roles(admin, "registry.import", ["admin"], Operator("sup", "supervisor"))
    set_roles(admin, "notice.read", ["admin", "operator"], Operator("sup", "supervisor"))
    op_keys, op_palette = await keys_in(driver, "op", "f3")
    assert "Import people" not in op_keys and "Import people…" not in op_palette
    _keys, view_palette = await keys_in(driver, "view", "f2")
    assert "Go to Notices" not in view_palette and "Go to People" in view_palette
    assert "Go to Notices" in op_palette


async def test_the_mode_bar_offers_what_the_role_may_read_and_opens_it(registry, driver):
    from civic.tui.widgets.mode_bar import ModeTab

    admin = registry.as_actor(Operator("admin", "admin"))
    set_roles(admin, "notice.read", ["admin", "operator"], Operator("sup", "supervisor"))
    app = driver.app()
    async with app.run_test(size=(160, 40)) as pilot:
        await driver.login(pilot, "view")
        tabs = {tab.mode_name: tab for tab in app.screen.query(ModeTab)}
        assert "notices" not in tabs and "people" in tabs
        await pilot.click(tabs["positions"])
        await driver.settle(pilot)
        assert app.current_mode == "positions"
        await pilot.press("f6")  # the key of a mode kept from the role does nothing
        await driver.settle(pilot)
        assert app.current_mode == "positions"


async def test_a_key_pressed_all_the_same_is_refused_and_audited(registry, driver):
    from civic import audit

    app = driver.app()
    async with app.run_test(size=(160, 40)) as pilot:
        await driver.login(pilot, "view")
        await pilot.press("f3")
        await driver.settle(pilot)
        assert "Import people" not in footer(app)
        await pilot.press("i")
        await driver.settle(pilot)
        assert len(app.screen_stack) == 1  # no import dialog
    last = audit.entries(registry.db, limit=1)[0]
    assert (last.type, last.actor, last.data()["action"]) == (
        "core.access_refused", "view", "import records into the registry")


@pytest.mark.parametrize("name,shown", [("op", True), ("view", False)])
async def test_help_lists_only_the_keys_the_role_may_use(registry, driver, name, shown):
    app = driver.app()
    async with app.run_test(size=(160, 50)) as pilot:
        await driver.login(pilot, name)
        await pilot.press("f6")
        await driver.settle(pilot)
        await pilot.press("f1")
        await driver.settle(pilot)
        text = driver.text(app.screen.query_one("#help-text"))
        assert "Language" in text  # a reading key, for everyone
        assert ("Publish" in text) is shown and ("Objection" in text) is shown
