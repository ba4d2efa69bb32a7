"""The login screen: operator name and password; the demo's passwords only on the demo."""

from __future__ import annotations

import gc
import json
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Header, Input, Label, Static

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import N_, _
from civic.tui.screens.base import StyledScreen
from civic.tui.text import translate_bindings
from civic.tui.widgets.footer import CivicFooter
from civic.tui.workers import run_db_worker

DEMO_EVENT = "core.demo_built"


def demo_hint(db: Database) -> str | None:
    """The demo's operators and public password, from the `core.demo_built` audit entry that
    `civic demo` writes; a real office has none, so its login screen shows no password."""
    row = db.execute("SELECT payload FROM audit_log WHERE type = ? ORDER BY id DESC LIMIT 1",
                     (DEMO_EVENT,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    return _("Demo office: operators {operators}; the password is {password} for each.").format(
        operators=", ".join(data.get("operators") or ()), password=data.get("password", ""))


class NameInput(Input):
    """The operator name, which hands over to the password itself on Tab or Enter.

    A fast typist's name, Tab and password reach this field before Textual has moved the
    focus for the Tab: the keys queued behind it would land after the name. Once it has
    handed over, the keys it still receives go where the operator meant them: characters
    and Backspace to the password, Enter to log in.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed_over = False

    def _on_focus(self, event: events.Focus) -> None:
        self.handed_over = False  # back in the name (shift+tab, a refusal): type here again

    async def _on_key(self, event: events.Key) -> None:
        password = self.screen.query_one("#login-password", Input)
        if self.handed_over:
            if event.key == "enter":
                self.screen.log_in()  # type: ignore[attr-defined]
            elif event.key == "backspace":
                password.action_delete_left()
            elif event.is_printable and event.character:
                password.insert_text_at_cursor(event.character)
            else:
                return  # anything else (shift+tab, arrows) as usual
        elif event.key in ("tab", "enter"):
            self.handed_over = True
            password.focus()
        else:
            return
        event.stop()
        event.prevent_default()


def _import_what_the_dashboard_draws() -> None:
    """What drawing the dashboard imports otherwise, inside the Enter wait (~15 ms here): the
    tables' scroll bars, the tabbed panel its keys ask about (`_has_tabs`), and rich's emoji
    table, loaded by the first markup with a colon in it."""
    import textual.scrollbar  # noqa: F401
    from rich.emoji import Emoji
    from textual.widgets import TabbedContent  # noqa: F401

    Emoji.replace(":")


class LoginScreen(StyledScreen):
    HELP = N_("Log in with your operator name and password. Every attempt is kept in the "
              "audit log; a viewer may read, and only an admin or operator may change data. "
              "A new account asks for the setup code its admin gave you, and you choose "
              "your own password.")
    SCREEN_TITLE = N_("Log in")

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.title = _(self.SCREEN_TITLE)
        self._warmed = False  # the warm-up runs once, from the first key typed

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="login-box"):
            yield Label(_("civic · organization department"), id="login-title")
            yield Label(_("Office database: {name}").format(name=self.app.db_path.name),
                        id="login-db")
            yield Label(_("Operator"))
            yield NameInput(id="login-name", placeholder=_("operator name"))
            yield Label(_("Password"))
            yield Input(id="login-password", password=True)
            yield Static("", id="login-error")
            yield Button(_("Log in"), id="login-button", variant="primary")
            hint = demo_hint(self.app.db)  # type: ignore[attr-defined]
            if hint:
                yield Static(Text(hint), id="login-hint")
        yield CivicFooter()

    def on_mount(self) -> None:
        self.query_one("#login-name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        # The operator has begun to type: the screen is drawn and waits for them. Started at
        # mount instead, the warm-up's thread took the interpreter from the first frame.
        if event.value and not self._warmed:
            self._warmed = True
            self._warm_up()

    def _warm_up(self) -> None:
        """While the operator types, read once what the dashboard will read.

        The first dashboard load imports the notices' and the plugins' modules (Jinja2, the
        work calendar, each plugin's workflow code: ~100 ms) and reads cold pages of the
        file. Done here, in a worker, that happens while the operator types; the dashboard
        then opens on warm imports and warm pages. The data is kept for the dashboard
        (`app.prefetched`), which shows it only if the office has not changed since (its
        last audit entry is the same) and it is the same day; nothing is shown before the
        password is checked.
        """
        app = self.app
        today = app.office.today()  # type: ignore[attr-defined]
        pm = app.pm  # type: ignore[attr-defined]

        def work(db: Database) -> Any:
            try:
                # The password check's module (its event classes take ~10 ms to build) and
                # the footer's permission checks are not needed to draw this screen, only
                # at Enter.
                import civic.actions  # noqa: F401
                import civic.auth  # noqa: F401
                from civic.tui.screens.home import load_dashboard, office_state

                _import_what_the_dashboard_draws()
                state = office_state(db)  # before the reads: a change meanwhile moves it
                found = load_dashboard(db, pm, today)
                app.event_title("")  # the audit panel's words: every plugin's event types
                # The imports above leave the collector owing a full pass over everything
                # made since the start was frozen (~20 ms here), which it would otherwise
                # make inside the Enter wait, building the dashboard. Made now, it costs the
                # operator nothing: they are typing.
                gc.collect()
                return state, today, found
            except Exception:  # noqa: BLE001 - a warm-up only; the real load reports errors
                return None

        def kept(result: Any) -> None:
            app.prefetched = result  # type: ignore[attr-defined]

        run_db_worker(self, work, kept, group="login-warm-up", failed=lambda _error: None)

    def on_screen_resume(self) -> None:
        # After a log-out the previous operator's name and password must not linger.
        self.query_one("#login-name", Input).value = ""
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-error", Static).update("")
        self.query_one("#login-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "login-name":
            self.query_one("#login-password", Input).focus()
        else:
            self.log_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.log_in()

    def log_in(self) -> None:
        app = self.app
        name = self.query_one("#login-name", Input).value.strip()
        password = self.query_one("#login-password", Input)
        if not name:
            self.query_one("#login-error", Static).update(_("Enter your operator name."))
            self.query_one("#login-name", Input).focus()
            return
        from civic.auth import authenticate, pending_setup  # imported while they typed

        if pending_setup(app.db, name):  # type: ignore[attr-defined]
            self.choose_password(name)
            return
        try:
            operator = authenticate(app.office, name, password.value,  # type: ignore
                                    _("log in to the terminal app"))
        except CivicError as error:
            self.query_one("#login-error", Static).update(Text(str(error)))
            password.value = ""
            password.focus()
            return
        password.value = ""
        app.logged_in(operator)  # type: ignore[attr-defined]

    def choose_password(self, name: str) -> None:
        """A new account (or one given a new setup code): its person types the code an admin
        gave them and chooses their own password, then is logged in."""
        from civic.auth import activate
        from civic.tui.dialogs.password import PasswordDialog

        app = self.app
        self.query_one("#login-password", Input).value = ""

        def done(operator) -> None:
            if operator is not None:
                app.logged_in(operator)  # type: ignore[attr-defined]

        app.push_screen(PasswordDialog(
            _("{name}: choose your own password").format(name=name), _("Setup code"),
            lambda code, new: activate(app.office, name, code, new),  # type: ignore
            first_secret=False, submit=_("Set password and log in")), done)
