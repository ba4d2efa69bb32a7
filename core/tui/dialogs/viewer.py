"""A long text in full (an objection, a cell cut to fit its column), scrolling; Escape closes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from civic.i18n import N_
from civic.tui.dialogs.base import Dialog


class TextViewer(Dialog[None]):
    DEFAULT_CSS = """
    TextViewer > .dialog { width: 90; }
    TextViewer VerticalScroll { height: auto; max-height: 18; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Close")), Binding("enter", "cancel", N_("Close"))]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading), classes="dialog-title")
            with VerticalScroll():
                yield Static(Text(self.text), id="viewer-text")
