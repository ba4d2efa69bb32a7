"""The public API plugins use to add to the app: modes and command-palette entries.

A plugin implements the hooks and calls `register` with these dataclasses:

    @hookimpl
    def register_modes(register):
        register(Mode("placement", N_("Placement"), "f7", lambda app: PlacementScreen(),
                      order=110))

Core's own modes are registered the same way (`register_core_modes`), so core knows no plugin.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civic.i18n import N_

if TYPE_CHECKING:
    from textual.screen import Screen

    from civic.tui.app import CivicApp


@dataclass(frozen=True)
class Mode:
    """A top-level mode: its own screen stack, reached by `key` from anywhere after login.

    `title` is an English msgid, translated when shown. `make_screen(app)` builds the mode's
    base screen; it is called again after a log-out, so keep no state outside the screen.
    `action` is the declared action (civic.actions) that reading the mode is: its palette
    entry is shown only to the roles that may take it.
    """

    name: str
    title: str
    key: str
    make_screen: Callable[[CivicApp], Screen]
    order: int = 100
    action: str | None = None


@dataclass(frozen=True)
class PaletteCommand:
    """An entry in the command palette (ctrl+p). `title` and `help` are English msgids;
    `action` is the declared action (civic.actions) it performs: the palette lists the entry
    only for the roles that may take it."""

    title: str
    help: str
    callback: Callable[[CivicApp], Any]
    action: str | None = None


def register_core_modes(register: Callable[[Mode], None]) -> None:
    # Each screen module is imported when its mode is first opened, not at start: the
    # notices and audit screens pull in Jinja2, Pygments and more, and the operator sees
    # only the login screen and the dashboard before choosing a mode.
    def home(app: CivicApp) -> Screen:
        from civic.tui.screens.home import HomeScreen

        return HomeScreen()

    def people(app: CivicApp) -> Screen:
        from civic.tui.screens.people import PeopleScreen

        return PeopleScreen()

    def positions(app: CivicApp) -> Screen:
        from civic.tui.screens.positions import PositionsScreen

        return PositionsScreen()

    def audit_log(app: CivicApp) -> Screen:
        from civic.tui.screens.audit import AuditScreen

        return AuditScreen()

    def notices(app: CivicApp) -> Screen:
        from civic.tui.screens.notices import NoticesScreen

        return NoticesScreen()

    register(Mode("home", N_("Home"), "f2", home, order=0))
    register(Mode("people", N_("People"), "f3", people, order=10, action="registry.read"))
    register(Mode("positions", N_("Positions"), "f4", positions, order=20,
                  action="registry.read"))
    register(Mode("audit", N_("Audit log"), "f5", audit_log, order=30, action="audit.read"))
    register(Mode("notices", N_("Notices"), "f6", notices, order=40, action="notice.read"))


def collect_modes(pm: Any) -> list[Mode]:
    """Core's modes, then each plugin's; a clash of name or key is reported and skipped."""
    found: list[Mode] = []

    def register(mode: Mode) -> None:
        clash = next((m for m in found if m.name == mode.name or m.key == mode.key), None)
        if clash is not None:
            # One plugin's mistake must not stop the app: say so and keep the first.
            print(f"civic: mode {mode.name!r} ({mode.key}) clashes with {clash.name!r};"
                  " skipped", file=sys.stderr)
            return
        found.append(mode)

    register_core_modes(register)
    pm.hook.register_modes(register=register)
    return sorted(found, key=lambda m: (m.order, m.name))


def collect_palette_commands(pm: Any) -> list[PaletteCommand]:
    found: list[PaletteCommand] = []
    pm.hook.register_palette_commands(register=found.append)
    return found
