"""Textual's Footer, recomposed only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer


class CivicFooter(Footer):
    """The footer of every civic screen.

    Textual's Footer rebuilds all its key widgets whenever the screen's bindings *may* have
    changed: on every focus move, every change of the screen stack, every refresh of the
    bindings, and for hidden screens too. Opening the people mode rebuilt it six times, five
    of them to show the same keys (a tenth of the mode's first frame). This footer rebuilds
    only when what it would show differs from what it shows.

    Keys that do not fit leave the footer whole rather than run under the palette's key on the
    right, where a cut Chinese label overprinted it (they stay in the palette, ctrl+p).

    It shows only the keys the operator's role may use: a screen with `offers(action)` (every
    CivicScreen: its PERFORMS names the declared action of a key) leaves the others out.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _keys(self) -> tuple:
        """What `compose` would show: each shown binding, its state and how it is drawn."""
        app = self.app
        shown = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show and self._offers(binding.action))
        # Until the screen's bindings are ready the footer composes empty (Textual's flag).
        ready = getattr(self, "_bindings_ready", True)
        return (ready, shown, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def _offers(self, action: str) -> bool:
        offers = getattr(self.screen, "offers", None)
        return offers is None or offers(action)

    def compose(self) -> ComposeResult:
        hidden = 0
        for widget in super().compose():
            action = getattr(widget, "action", None)  # a FooterKey's; labels have none
            if isinstance(action, str) and not self._offers(action):
                hidden += 1
                continue
            if widget.has_class("-command-palette"):
                # Its compact look (Textual's default for this key, not bound to the footer's)
                # arrives by a watcher after mounting, up to two frames after `_fit` has
                # measured it two cells wider and cut the last key that fitted. Set now.
                widget.set_class(getattr(widget, "compact", False), "-compact")
            yield widget
        if hidden:  # Textual sized the grid for every key, the hidden ones too
            self.styles.grid_size_columns = max(1, self.styles.grid_size_columns - hidden)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
        self.call_after_refresh(self._fit)  # once the new keys have their styles

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _width(self, widget: Widget) -> int:
        """The cells `widget` takes in the footer's row, worked out before any layout."""
        styles = widget.styles
        return (widget.get_content_width(self.size, self.app.size) + styles.gutter.width
                + styles.margin.width)

    def _fit(self) -> None:
        """Show the keys, in order, as far as they fit left of the palette's key."""
        width = self.size.width
        palette = next((w for w in self.children if w.has_class("-command-palette")), None)
        if palette is None or not width:
            return
        room = width - self._width(palette)
        cut = False
        for widget in self.children:
            if widget is not palette:
                need = self._width(widget)
                # The last key shown may keep its right margin under the palette's border.
                cut = cut or need - widget.styles.margin.right > room
                room -= need
                widget.display = not cut
