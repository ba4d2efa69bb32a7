"""Choosing a password: with a one-time setup code (first log-in) or with the current one.

The dialog does the change itself through `act(first, new)` (as the co-signature dialog
checks the signer itself): a refusal is shown and audited, and the dialog stays open to try
again; it dismisses with what `act` returned, or None if cancelled.

    def done(operator: Operator | None) -> None: ...
    app.push_screen(PasswordDialog(_("Change your password"), _("Current password"),
                                   lambda old, new: change_password(office, name, old, new)),
                    done)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from civic.errors import CivicError
from civic.i18n import _
from civic.tui.dialogs.base import Dialog


class PasswordDialog(Dialog[Any]):
    # Compact, so that three fields and the buttons fit a 24-line terminal.
    DEFAULT_CSS = """
    PasswordDialog Input { margin-bottom: 0; }
    PasswordDialog .dialog-title { margin-bottom: 0; }
    """

    def __init__(self, title: str, first_label: str, act: Callable[[str, str], Any], *,
                 first_secret: bool = True, submit: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.first_label = first_label
        self.first_secret = first_secret
        self.act = act
        self.submit_label = submit or _("Save")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(self.first_label)
            yield Input(id="first", password=self.first_secret)
            yield Label(_("New password"))
            yield Input(id="new", password=True)
            yield Label(_("New password again"))
            yield Input(id="again", password=True)
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, id="submit", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "again":
            self.submit()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.submit()
        else:
            self.dismiss(None)

    def _fail(self, message: str, focus: str) -> None:
        self.query_one("#error", Static).update(Text(message))
        for field in ("new", "again") if focus != "first" else ("first", "new", "again"):
            self.query_one(f"#{field}", Input).value = ""
        self.query_one(f"#{focus}", Input).focus()

    def submit(self) -> None:
        first = self.query_one("#first", Input).value.strip() if not self.first_secret else \
            self.query_one("#first", Input).value
        new = self.query_one("#new", Input).value
        if new != self.query_one("#again", Input).value:
            self._fail(_("The two new passwords differ; type them again."), "new")
            return
        try:
            result = self.act(first, new)
        except CivicError as error:
            self._fail(str(error), "first")
            return
        self.dismiss(result)
