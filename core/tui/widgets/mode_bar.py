"""The row of modes under the header: each mode's key and title, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from civic.i18n import _


class ModeTab(Static):
    """One mode: `F3 People`. A click does what the key does."""

    def __init__(self, name: str, key: str, title: str, current: bool) -> None:
        text = Text.assemble((f" {key} ", "bold"), f"{title} ") if key else Text(f" {title} ")
        super().__init__(text, classes="-current" if current else "")
        self.mode_name = name

    async def on_click(self) -> None:
        # run_action is a coroutine: not awaited, the click did nothing (found by mypy).
        await self.app.run_action(f"open_mode('{self.mode_name}')")


class ModeBar(Horizontal):
    DEFAULT_CSS = """
    ModeBar { height: 1; background: $panel; }
    ModeBar ModeTab { width: auto; margin-right: 1; color: $text-muted; }
    ModeBar ModeTab.-current { background: $accent; color: $text; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        current = app.current_mode
        may = getattr(app, "may", None)
        for mode in getattr(app, "modes", []):
            if mode.action is not None and may is not None and not may(mode.action):
                continue  # a mode the office keeps from this role
            yield ModeTab(mode.name, (mode.key or "").upper(), _(mode.title),
                          mode.name == current)
