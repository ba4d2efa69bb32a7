"""What every civic dialog shares: a framed box in the middle, Escape to cancel."""

from __future__ import annotations

from typing import Any, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

from civic.i18n import N_
from civic.tui.text import translate_bindings

R = TypeVar("R")


class Dialog(ModalScreen[R]):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > .dialog {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: thick $primary; background: $panel; padding: 1 2;
        overflow-y: auto;  /* a tall form scrolls at 80x24 instead of hiding its buttons */
    }
    Dialog .dialog-title { text-style: bold; width: 100%; margin-bottom: 1; }
    Dialog .dialog-error { color: $error; height: auto; }
    Dialog .dialog-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    Dialog .dialog-buttons Button { margin-left: 1; }
    Dialog Input { margin-bottom: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)
