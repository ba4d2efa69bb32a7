"""The operators screen and the first log-in with a setup code, at 80x24 in both languages."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Input, Select

from civic import audit
from civic.auth import authenticate, invite_operator
from civic.office import Operator
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.password import PasswordDialog
from civic.tui.screens.operators import OperatorsScreen, SetupCodeDialog

PASSWORD = "secret-pass"
SMALL = (80, 24)  # the smallest terminal an office has


def _fits(app) -> None:
    """Every button of the dialog on top is inside the 80x24 screen."""
    for button in app.screen.query(Button):
        region = button.region
        assert region.height > 0 and region.bottom <= SMALL[1] and region.right <= SMALL[0], (
            button.id, region)


async def _type(pilot, driver, **fields: str) -> None:
    for field, text in fields.items():
        pilot.app.screen.query_one(f"#{field}", Input).value = text
    await driver.settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_a_new_account_chooses_its_password_at_login(registry, driver, pm, lang):
    _user, code, _expires = invite_operator(registry.as_actor(Operator("admin", "admin")),
                                            "clerk", "operator")
    app = driver.app()
    from civic.i18n import set_language

    set_language(lang)
    async with app.run_test(size=SMALL) as pilot:
        await driver.login(pilot, "clerk", "")
        assert isinstance(app.screen, PasswordDialog)
        _fits(app)
        await _type(pilot, driver, first=code, new="own-password", again="other")
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert isinstance(app.screen, PasswordDialog) and app.operator is None  # differ
        await _type(pilot, driver, first="WRONG-CODE-0000", new="own-password",
                    again="own-password")
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert isinstance(app.screen, PasswordDialog) and app.operator is None
        await _type(pilot, driver, first=code, new="own-password", again="own-password")
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert app.operator == Operator("clerk", "operator")
    set_language("en")
    assert authenticate(registry, "clerk", "own-password", "x").name == "clerk"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_an_admin_adds_an_operator_and_sees_the_code_once(registry, driver, lang):
    from civic.i18n import set_language

    app = driver.app()
    set_language(lang)
    async with app.run_test(size=SMALL) as pilot:
        await driver.login(pilot, "admin")
        await pilot.press("ctrl+o")
        await driver.settle(pilot)
        assert isinstance(app.screen, OperatorsScreen)
        assert app.screen.query_one("#operators-table", DataTable).row_count == 4
        await pilot.press("a")
        await driver.settle(pilot)
        _fits(app)
        app.screen.query_one("#field-name", Input).value = "clerk"
        app.screen.query_one("#field-role", Select).value = "viewer"
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert isinstance(app.screen, SetupCodeDialog)
        _fits(app)
        code = app.screen.code
        await pilot.click("#done")
        await driver.settle(pilot)
        assert app.screen.query_one("#operators-table", DataTable).row_count == 5
    set_language("en")
    from civic.auth import activate

    assert activate(registry, "clerk", code, "own-password").role == "viewer"


async def test_adding_a_supervisor_asks_for_a_cosignature(registry, driver):
    app = driver.app()
    async with app.run_test(size=SMALL) as pilot:
        await driver.login(pilot, "admin")
        await pilot.press("ctrl+o")
        await driver.settle(pilot)
        await pilot.press("a")
        await driver.settle(pilot)
        app.screen.query_one("#field-name", Input).value = "sup2"
        app.screen.query_one("#field-role", Select).value = "supervisor"
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert isinstance(app.screen, CosignDialog)
        _fits(app)
        await _type(pilot, driver, supervisor="sup", password=PASSWORD)
        await pilot.click("#sign")
        await driver.settle(pilot)
        assert isinstance(app.screen, SetupCodeDialog)
    added = audit.entries(registry.db, type_prefix="core.operator_added", limit=1)[0]
    assert (added.data()["name"], added.actor, added.cosigner) == ("sup2", "admin", "sup")


async def test_an_admin_deactivates_an_operator(registry, driver):
    app = driver.app()
    async with app.run_test(size=SMALL) as pilot:
        await driver.login(pilot, "admin")
        await pilot.press("ctrl+o")
        await driver.settle(pilot)
        table = app.screen.query_one("#operators-table", DataTable)
        table.move_cursor(row=table.get_row_index("op"))
        await pilot.press("d")
        await driver.settle(pilot)
        _fits(app)
        await pilot.press("y")
        await driver.settle(pilot)
        assert "deactivated" in str(table.get_row("op"))
    last = audit.entries(registry.db, limit=1)[0]
    assert (last.type, last.data()["name"]) == ("core.operator_deactivated", "op")


async def test_an_operator_changes_only_their_own_password(registry, driver):
    app = driver.app()
    async with app.run_test(size=SMALL) as pilot:
        await driver.login(pilot, "view")
        await pilot.press("ctrl+o")
        await driver.settle(pilot)
        await pilot.press("a")  # an admin's step: refused and audited
        await driver.settle(pilot)
        assert isinstance(app.screen, OperatorsScreen)
        assert any("may not" in n.message for n in app._notifications)
        await pilot.press("p")
        await driver.settle(pilot)
        assert isinstance(app.screen, PasswordDialog)
        _fits(app)
        await _type(pilot, driver, first=PASSWORD, new="new-password", again="new-password")
        await pilot.click("#submit")
        await driver.settle(pilot)
        assert isinstance(app.screen, OperatorsScreen)
    assert authenticate(registry, "view", "new-password", "x").name == "view"
