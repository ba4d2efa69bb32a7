"""Typed work not saved yet, and the operator is leaving: save it, discard it, or stay.

The app asks through `CivicApp.guard_leaving` before a log-out, a quit or a mode switch
would take a screen with unsaved work (`CivicScreen.unsaved_work`) off view.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from civic.i18n import _
from civic.tui.dialogs.base import Dialog

SAVE, DISCARD, STAY = "save", "discard", "stay"


class UnsavedDialog(Dialog[str]):
    """Dismisses with SAVE, DISCARD or STAY. Stay is focused and Escape stays: a reflexive
    Enter neither writes to the office's record nor throws work away."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Unsaved work"), classes="dialog-title")
            yield Static(_("Not saved yet: {what}. Save it before leaving, discard it, or "
                           "stay?").format(what=self.what), id="question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), id=SAVE)
                yield Button(_("Discard"), id=DISCARD, variant="error")
                yield Button(_("Stay"), id=STAY, variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#{STAY}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or STAY)

    def action_cancel(self) -> None:
        self.dismiss(STAY)
