"""Yes or no, before a step that cannot be undone."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from civic.i18n import N_, _
from civic.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """Dismisses with True (yes) or False (no, or Escape)."""

    BINDINGS = [Binding("y", "answer(True)", N_("Yes")), Binding("n", "answer(False)", N_("No"))]

    def __init__(self, question: str, *, title: str | None = None, yes: str | None = None,
                 no: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.title_text = title or _("Please confirm")
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, id="question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="primary")
                yield Button(self.no_label, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(False)
