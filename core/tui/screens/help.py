"""The help screen (F1 or ?): what the screen is for, its keys, the modes, the global keys."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Label, Static

from civic.i18n import _
from civic.tui.dialogs.base import Dialog
from civic.tui.modes import MODE_MENU_KEY


def keys_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, text in rows:
        table.add_row(key, text)
    return table


def civic_keys(node: DOMNode) -> set[str]:
    """Keys bound by civic's own classes in the node's ancestry (hidden ones included)."""
    keys: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("civic"):
            for b in cls.__dict__.get("BINDINGS", []):
                key = b.key if isinstance(b, Binding) else b[0]
                keys.update(k.strip() for k in key.split(","))
    return keys


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen > .dialog { width: 96; height: 90%; }
    """

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        app = self.app
        screen_keys: list[tuple[str, str]] = []
        global_keys: list[tuple[str, str]] = []
        # Written out below with their full wording, so not listed again from the bindings.
        seen: set[str] = {"ctrl+p", "ctrl+q"}
        offers = getattr(self.about, "offers", None)  # keys of actions the role may take
        may = getattr(app, "may", None)
        for key, active in self.about.active_bindings.items():
            binding = active.binding
            # Textual's own hidden keys (cursor moves and the like) would drown civic's.
            if not binding.description or key in seen or not (
                    binding.show or key in civic_keys(active.node)):
                continue
            if offers is not None and not offers(binding.action):
                continue
            seen.add(key)
            row = (app.get_key_display(binding), binding.description)
            (global_keys if active.node is app else screen_keys).append(row)
        global_keys += [("^p", _("Command palette: every command by name")),
                        ("^q", _("Quit"))]
        modes = [(app.get_key_display(Binding(m.key, "")) if m.key else "", _(m.title))
                 for m in getattr(app, "modes", [])
                 if m.action is None or may is None or may(m.action)]
        modes.append((app.get_key_display(Binding(MODE_MENU_KEY, "")),
                      _("Mode menu: every mode, with or without a key")))
        about = getattr(self.about, "HELP", "")
        parts = [Text(_(about)) if about else Text(""), Text(""),
                 Text(_("Keys on this screen"), style="bold underline"),
                 keys_table(screen_keys), Text("")]
        if getattr(app, "operator", None) is not None:
            parts += [Text(_("Modes (from anywhere)"), style="bold underline"),
                      keys_table(modes), Text("")]
        parts += [Text(_("Everywhere"), style="bold underline"), keys_table(global_keys),
                  Text(""), Text(_("Arrows move in a table and Enter opens the row; Tab moves "
                                   "between fields and tables; Escape goes back or closes a "
                                   "dialog."), style="italic")]
        with VerticalScroll(classes="dialog"):
            yield Label(_("Help: {screen}").format(screen=self.about.title or "civic"),
                        classes="dialog-title")
            yield Static(Group(*parts), id="help-text")
