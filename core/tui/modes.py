"""The public API plugins use to add to the app: modes and command-palette entries.

A plugin implements the hooks and calls `register` with these dataclasses:

    @hookimpl
    def register_modes(register):
        register(Mode("placement", N_("Placement"), "f7", lambda app: PlacementScreen(),
                      order=110))

Core's own modes are registered the same way (`register_core_modes`), so core knows no plugin.

Keys: core has F2-F6; F7-F12 are reserved by name for the built-in mechanisms
(`RESERVED_KEYS`), so their keys never depend on which plugins load first. Any other mode gets
the key it asks for only when no mode has it and no mechanism reserves it; otherwise it has no
key. Every mode, keyed or not, is in the mode menu (ctrl+g) and in the command palette.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    `key` may be None: the mode is then reached from the mode menu and the palette only.
    `action` is the declared action (civic.actions) that reading the mode is: its palette
    entry is shown only to the roles that may take it.
    Modes are listed (mode bar, mode menu, help, palette) in the order of their F-keys, so the
    operator reads F10 before F11; `order` places a mode without an F-key after them.
    """

    name: str
    title: str
    key: str | None
    make_screen: Callable[[CivicApp], Screen]
    order: int = 100
    action: str | None = None


# F-keys by mode name: core's, then the built-in mechanisms', present and coming.
CORE_KEYS = {"home": "f2", "people": "f3", "positions": "f4", "audit": "f5", "notices": "f6"}
RESERVED_KEYS = {"placement": "f7", "nomination": "f8", "election": "f9", "evaluation": "f10",
                 "accountability": "f11", "training": "f12"}
MODE_MENU_KEY = "ctrl+g"


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
    """Core's modes, then each plugin's. A clash of name is reported and the later mode
    skipped; a key reserved for another mechanism or taken already is dropped (the mode stays,
    without a key); a reserved mechanism that asks for no key gets its own."""
    found: list[Mode] = []
    reserved = {**CORE_KEYS, **RESERVED_KEYS}

    def register(mode: Mode) -> None:
        clash = next((m for m in found if m.name == mode.name), None)
        if clash is not None:
            # One plugin's mistake must not stop the app: say so and keep the first.
            print(f"civic: mode {mode.name!r} registered twice; the first is kept",
                  file=sys.stderr)
            return
        key = mode.key.lower() if mode.key else reserved.get(mode.name)
        owner = next((n for n, k in reserved.items() if k == key), None)
        if key and ((owner is not None and owner != mode.name)
                    or any(m.key == key for m in found)):
            print(f"civic: mode {mode.name!r} cannot have {key}, which is "
                  f"{'reserved for ' + repr(owner) if owner else 'taken'}; it has no key",
                  file=sys.stderr)
            key = None
        found.append(replace(mode, key=key))

    register_core_modes(register)
    pm.hook.register_modes(register=register)
    return sorted(found, key=listed_at)


def listed_at(mode: Mode) -> tuple[int, int, str]:
    """Where a mode is listed: F-keys by number (F2 ... F12), then every other mode (another
    key, or none) by its `order` and name."""
    key = mode.key or ""
    if key.startswith("f") and key[1:].isdigit():
        return (0, int(key[1:]), "")
    return (1, mode.order, mode.name)


def mode_menu_choices(modes: list[Mode]) -> list[tuple[str, str]]:
    """(label, mode name) for the mode menu: each mode's title, and its key when it has one."""
    from civic.i18n import _

    return [(f"{_(m.title)}  ({m.key.upper()})" if m.key else _(m.title), m.name)
            for m in modes]


def collect_palette_commands(pm: Any) -> list[PaletteCommand]:
    found: list[PaletteCommand] = []
    pm.hook.register_palette_commands(register=found.append)
    return found
