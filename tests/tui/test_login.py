"""Logging in: the right password opens the dashboard, a wrong one is refused and audited,
a viewer reads but changes nothing, and the demo's password shows only on the demo."""

from __future__ import annotations

from textual.widgets import Input, Static

from civic import audit
from civic.events import DemoBuilt
from civic.tui.screens.home import HomeScreen
from civic.tui.screens.login import LoginScreen


async def test_login_opens_the_dashboard(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "op")
        assert app.operator is not None and app.operator.name == "op"
        assert app.current_mode == "home"
        assert isinstance(app.screen, HomeScreen)
        assert "op" in app.sub_title


async def test_wrong_password_is_refused_and_audited(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "op", "not-the-password")
        assert isinstance(app.screen, LoginScreen)
        assert app.operator is None
        message = driver.text(app.screen.query_one("#login-error", Static))
        assert "Wrong operator name or password" in message
        assert app.screen.query_one("#login-password", Input).value == ""
    last = audit.entries(registry.db, limit=1)[0]
    assert (last.type, last.subject) == ("core.access_refused", "operator:op")


async def test_mode_keys_do_nothing_before_login(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.settle(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        assert app.current_mode == "login"


async def test_a_viewer_reads_but_may_not_change(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "view")
        assert app.current_mode == "home"
        await pilot.press("f3")
        await driver.settle(pilot)
        assert app.screen.query_one("#people-table").row_count == 5
        await pilot.press("i")  # import people: a change
        await driver.settle(pilot)
        assert len(app.screen_stack) == 1  # no import dialog opened
        notes = [n.message for n in app._notifications]
        assert any("view is a viewer and may not" in m for m in notes)
    last = audit.entries(registry.db, limit=1)[0]
    assert (last.type, last.actor) == ("core.access_refused", "view")


async def test_log_out_returns_to_a_clean_login(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "op")
        await pilot.press("f3")
        await driver.settle(pilot)
        await pilot.press("ctrl+l")
        await driver.settle(pilot)
        assert app.operator is None and app.current_mode == "login"
        assert app.screen.query_one("#login-password", Input).value == ""
        assert app.screen.query_one("#login-name", Input).value == ""
        await driver.login(pilot, "sup")
        assert app.operator.role == "supervisor" and app.current_mode == "home"


async def test_demo_password_shows_only_on_the_demo(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.settle(pilot)
        assert not app.screen.query("#login-hint")
    registry.record(DemoBuilt(seed=1, operators=["admin", "operator"], password="demo1234",
                              plugins=[], counts={}))
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.settle(pilot)
        hint = driver.text(app.screen.query_one("#login-hint", Static))
        assert "demo1234" in hint and "admin, operator" in hint


async def test_name_tab_password_enter_typed_in_one_burst(registry, driver):
    # A fast typist's keys arrive before Textual has moved the focus for the Tab: every
    # key is queued at once here (no pause between them, as a terminal delivers a burst), and
    # the password must still land in the password field, not after the name.
    from textual import events

    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.settle(pilot)
        keys = [*"op", "tab", *"secret-pass", "enter"]
        for key in keys:
            char = key if len(key) == 1 else ("\t" if key == "tab" else "\r")
            app.post_message(events.Key(key if len(key) > 1 or key.isalnum()
                                        else {"-": "minus"}.get(key, key), char))
        await driver.settle(pilot)
        assert app.operator is not None and app.operator.name == "op"
        assert isinstance(app.screen, HomeScreen)
