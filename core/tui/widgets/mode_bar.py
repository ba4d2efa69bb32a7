"""The row of modes under the header: each mode's key and title, the current one marked.

Eleven modes do not fit 80 columns: the bar shows as many as fit, in order, always the
current one, and ends with a mark that there are more (the mode menu, ctrl+g, lists all).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from civic.i18n import _

MARGIN = 1  # ModeTab's margin-right


class ModeTab(Static):
    """One mode: `F3 People`. A click does what the key does."""

    def __init__(self, name: str, key: str, title: str, current: bool) -> None:
        text = Text.assemble((f" {key} ", "bold"), f"{title} ") if key else Text(f" {title} ")
        super().__init__(text, classes="-current" if current else "")
        self.mode_name = name

    async def on_click(self) -> None:
        # run_action is a coroutine: not awaited, the click did nothing (found by mypy).
        await self.app.run_action(f"open_mode('{self.mode_name}')")


class MoreModes(Static):
    """The mark that modes are left out for want of room; a click opens the mode menu."""

    async def on_click(self) -> None:
        await self.app.run_action("mode_menu")


def tab_width(key: str, title: str) -> int:
    return (cell_len(f" {key} ") if key else 1) + cell_len(f"{title} ") + MARGIN


def fitting(tabs: list[tuple[str, str, str, bool]], width: int,
            more_width: int) -> tuple[list[tuple[str, str, str, bool]], bool]:
    """The tabs (name, key, title, current) that fit `width` columns, in order, the current
    one always among them; and whether any were left out (then `more_width` is kept free)."""
    widths = [tab_width(key, title) for _n, key, title, _c in tabs]
    if sum(widths) <= width:
        return tabs, False
    budget = width - more_width - sum(w for w, t in zip(widths, tabs, strict=True) if t[3])
    shown = []
    for w, tab in zip(widths, tabs, strict=True):
        if tab[3]:
            shown.append(tab)
        elif w <= budget:
            shown.append(tab)
            budget -= w
        else:
            budget = -1  # keep the order: nothing after a tab left out, but the current one
    return shown, True


class ModeBar(Horizontal):
    DEFAULT_CSS = """
    ModeBar { height: 1; background: $panel; }
    ModeBar ModeTab { width: auto; margin-right: 1; color: $text-muted; }
    ModeBar ModeTab.-current { background: $accent; color: $text; text-style: bold; }
    ModeBar MoreModes { width: auto; color: $text-muted; }
    """

    def _layout(self, width: int) -> tuple[list[tuple[str, str, str, bool]], bool, str]:
        """The tabs shown at `width` columns, whether some are left out, and the mark."""
        app = self.app
        current = app.current_mode
        may = getattr(app, "may", None)
        tabs = [(mode.name, (mode.key or "").upper(), _(mode.title), mode.name == current)
                for mode in getattr(app, "modes", [])
                # a mode the office keeps from this role is not shown
                if mode.action is None or may is None or may(mode.action)]
        more = " " + _("… ^g more") + " "
        shown, cut = fitting(tabs, width, cell_len(more))
        return shown, cut, more

    def compose(self) -> ComposeResult:
        shown, cut, more = self._layout(self._width())
        self._laid_out = (shown, cut)
        for name, key, title, is_current in shown:
            yield ModeTab(name, key, title, is_current)
        if cut:
            yield MoreModes(more)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def on_resize(self, event: events.Resize) -> None:
        # Composed before its first layout, the bar guessed the app's width. Its first Resize
        # used to recompose it always, for the same tabs: a second build and paint of the
        # dashboard's first frame. Now only when the tabs that fit (or the current one,
        # should the bar have been composed as the mode was still switching) differ.
        shown, cut, _more = self._layout(event.size.width)
        if (shown, cut) != getattr(self, "_laid_out", None):
            self.refresh(recompose=True)
