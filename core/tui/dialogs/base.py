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

    def on_mount(self) -> None:
        # A modal screen hides the app's keys, so the key of the mode it opened in is bound
        # here: pressed, it goes back to the mode's main screen (CivicApp.action_open_mode),
        # asking first if a form holds typed work. Other modes' keys stay off: the dialog
        # would be left open behind them.
        app = self.app
        mode = next((m for m in getattr(app, "modes", ())
                     if m.name == app.current_mode and m.key), None)
        if mode is not None:
            self._bindings.bind(mode.key, f"app.open_mode('{mode.name}')", show=False)

    def action_cancel(self) -> None:
        self.close_asking()

    def close_asking(self) -> None:
        """Close the dialog (dismissed with None), first asking save / discard / stay when it
        holds typed work: Escape and a Cancel button throw nothing typed away unasked, as a
        mode key, a log-out or a quit does not (`CivicApp.guard_leaving`)."""
        app = self.app
        guard = getattr(app, "guard_leaving", None)
        if guard is None or not self.unsaved_work():
            self.dismiss(None)
            return
        # Saved, the form dismisses itself with its result: nothing is left to close then.
        guard(lambda: self.dismiss(None) if self in app.screen_stack else None, [self])

    # What CivicScreen offers `CivicApp.guard_leaving`: a dialog holding typed work (a form
    # filled in) says so, and a mode key, a log-out or a quit asks before closing it.

    @property
    def busy(self) -> bool:
        """Work is running that must finish here (an import): no mode key closes it."""
        return False

    def unsaved_work(self) -> str | None:
        """What was typed here and not saved yet, in words (None: nothing)."""
        return None

    def save_work(self) -> bool:
        """Save the typed work; False (with the error shown) if it could not be."""
        return True

    def discard_work(self) -> None:
        """Drop the typed work (the operator chose to)."""
