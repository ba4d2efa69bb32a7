"""`CivicApp`: the login, the modes (core's and plugins'), the audit chain's state.

Dependencies are injected (plugin manager, database path, clock); the app holds one
connection for quick reads on its own thread, and every slow job opens its own.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pluggy
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from civic import audit
from civic.db import migrate, open_db
from civic.errors import CivicError, PermissionDenied
from civic.i18n import N_, _, set_language
from civic.office import Office, Operator, system_clock
from civic.tui.commands import CivicCommands, translated_system_commands
from civic.tui.modes import MODE_MENU_KEY, Mode, collect_modes, collect_palette_commands
from civic.tui.text import role_label, translate_bindings
from civic.tui.workers import progress_poster, run_db_worker

LOGIN_MODE = "login"

# Whether this process has frozen its start-up objects for the collector (see _freeze_start).
_start_frozen = False


def _freeze_start() -> None:
    """Move what the start built (Textual's and civic's modules, the plugin manager, the
    office) out of the cyclic collector's reach, once per process, before the login is built.

    Those objects live as long as the process; left in, the login's own objects tipped the
    collector into a full pass over all of them in the middle of the login's first frame (one
    pass, ~20 ms of the main thread here; a bare app with the login's widgets has too few
    objects to reach one). `civic tui` through the CLI freezes its start the same way
    (civic.cli.main); the app does it itself so that every way of starting it gets it.
    Once per process: a test process builds many apps, and the garbage of earlier ones
    must stay collectable.
    """
    global _start_frozen
    if not _start_frozen:
        _start_frozen = True
        gc.freeze()


class CivicApp(App[None]):
    CSS_PATH = "civic.tcss"
    TITLE = "civic"
    COMMANDS = App.COMMANDS | {CivicCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help")),
        Binding("question_mark", "help", N_("Help"), show=False),
        Binding("ctrl+l", "logout", N_("Log out"), show=False),
        Binding("ctrl+o", "operators", N_("Operators"), show=False),
        # Textual's own palette binding, declared here so that its footer label is translated.
        Binding("ctrl+p", "command_palette", N_("palette"), show=False, priority=True,
                tooltip=N_("Open the command palette")),
    ]

    chain: reactive[audit.VerifyResult | None] = reactive(None)
    chain_running: reactive[bool] = reactive(False)
    chain_progress: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, pm: pluggy.PluginManager, db_path: str | Path,
                 clock: Callable[[], dt.datetime] = system_clock,
                 lang: str | None = None) -> None:
        _freeze_start()
        if lang:
            set_language(lang)
        super().__init__()
        translate_bindings(self)
        self.pm = pm
        self.db_path = Path(db_path)
        self.clock = clock
        self.db = open_db(self.db_path, create=False)
        migrate(self.db, pm)
        self.office = Office(self.db, pm, clock=clock)
        self.operator: Operator | None = None
        self.data_version = 0
        self.modes: list[Mode] = collect_modes(pm)
        self.palette_commands = collect_palette_commands(pm)
        self._event_types: audit.EventTypes | None = None  # built on first use
        self.prefetched: Any = None  # the login's read of the dashboard (screens.home)
        self._grants: tuple[tuple[int, int], dict[str, frozenset[str]]] | None = None
        from civic.tui.screens.login import LoginScreen

        self.add_mode(LOGIN_MODE, lambda: self._styled(LoginScreen()))
        for mode in self.modes:
            self.add_mode(mode.name, self._factory(mode))
            if mode.key:  # a mode without a key is in the mode menu and the palette
                self.bind(mode.key, f"open_mode('{mode.name}')", description=_(mode.title),
                          show=False)
        self.bind(MODE_MENU_KEY, "mode_menu", description=_("Modes…"), show=False)

    def _factory(self, mode: Mode) -> Callable[[], Screen]:
        return lambda: self._styled(mode.make_screen(self))

    def _styled(self, screen: Screen) -> Screen:
        """Mark a mode's new screen as styled by the current stylesheet.

        Textual treats a mode's screen that has never seen a CSS refresh as stale and
        refreshes all CSS when it is first shown: every source re-parsed, twice (once as the
        mode is set up, once as it becomes current), the parse cache dropped (so the next
        widget type re-parses everything once more), and every node of every screen
        restyled. A new screen is styled as it is registered and its widgets as they mount,
        and a theme change refreshes the CSS by itself (tests/tui/test_start_speed.py), so
        that work is waste: ~100 ms each for the dashboard and the people mode here.
        The counter is Textual's private attribute, hence the guard: without it Textual only
        does the redundant work again.
        """
        if isinstance(getattr(self, "_css_update_count", None), int) and isinstance(
                getattr(screen, "_css_update_count", None), int):
            screen._css_update_count = self._css_update_count
        return screen

    def on_mount(self) -> None:
        self.title = "civic"
        self.sub_title = self.db_path.name
        self.switch_mode(LOGIN_MODE)

    def on_unmount(self) -> None:
        self.db.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_mode", "logout", "operators", "mode_menu"):
            if self.operator is None:
                return False
            mode = next((m for m in self.modes if (m.name,) == parameters), None)
            if mode is not None and mode.action is not None and not self.may(mode.action):
                return False  # a mode the office keeps from this role
            if isinstance(self.screen, ModalScreen):
                if (action == "open_mode" and parameters == (self.current_mode,)
                        and not getattr(self.screen, "busy", False)):
                    return True  # its own mode's key closes the dialog (asking if typed in)
                return None  # listed but disabled: the dialog would stay behind, open
        return True

    # -- session ----------------------------------------------------------------------------

    def logged_in(self, operator: Operator) -> None:
        self.operator = operator
        self.office = self.office.as_actor(operator)
        self.sub_title = _("{name} ({role}) · {db}").format(
            name=operator.name, role=role_label(operator.role), db=self.db_path.name)
        self.switch_mode("home")  # the dashboard checks the chain once it is drawn

    def action_logout(self) -> None:
        if self.operator is not None:
            self.guard_leaving(lambda: self.call_next(self._logout))

    async def action_quit(self) -> None:
        from civic.tui.dialogs.unsaved import UnsavedDialog

        if not isinstance(self.screen, UnsavedDialog):  # asking already
            self.guard_leaving(self.exit)

    async def _logout(self) -> None:
        if self.operator is None:
            return
        self.operator = None
        self.office = self.office.as_actor(None)
        self.chain = None
        self.prefetched = None
        self.clear_notifications()
        self.sub_title = self.db_path.name
        await self.switch_mode(LOGIN_MODE)
        # Fresh screens for the next operator: nothing of this session stays on view.
        for mode in self.modes:
            await self.remove_mode(mode.name)
            self.add_mode(mode.name, self._factory(mode))

    def action_open_mode(self, name: str) -> None:
        """Go to mode `name`, always to its main screen (a record opened there earlier is
        stale); its own key, pressed inside it, goes back to its main screen too. Either way,
        a screen or form about to close with typed work asks first."""
        if self.operator is None:
            return
        # Inside its own mode the main screen stays: only the screens above it are asked.
        leaving = self.screen_stack[1:] if self.current_mode == name else None
        self.guard_leaving(lambda: self._open_mode(name), leaving)

    def _open_mode(self, name: str) -> None:
        if self.current_mode != name:
            self.switch_mode(name)
        # Back to the mode's own screen. What sat above it in another mode holds no typed
        # work: leaving that mode asked (guard_leaving), so it closes without asking.
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_operators(self) -> None:
        """The operators screen: the list for everyone, accounts for an admin, your password."""
        from civic.tui.screens.operators import OperatorsScreen

        if self.operator is not None and not isinstance(self.screen, OperatorsScreen):
            self.push_screen(OperatorsScreen())

    def action_mode_menu(self) -> None:
        """Every mode, keyed or not, in a list to pick from (ctrl+g)."""
        from civic.tui.dialogs.picker import PickerDialog
        from civic.tui.modes import mode_menu_choices

        if self.operator is None or isinstance(self.screen, ModalScreen):
            return

        def chosen(name: str | None) -> None:
            if name:
                self.action_open_mode(name)

        self.push_screen(PickerDialog(_("Go to which mode?"), mode_menu_choices(
            [m for m in self.modes if m.action is None or self.may(m.action)])),
                         chosen)

    def guard_leaving(self, then: Callable[[], Any],
                      screens: Iterable[Screen] | None = None) -> None:
        """Run `then` (which takes `screens`, by default the mode's stack, off view) once no
        screen among them holds unsaved work: for each that does, ask save / discard / stay.

        Leaving a mode asks, so unsaved work only ever sits in the current mode's stack."""
        from civic.tui.dialogs.base import Dialog
        from civic.tui.dialogs.unsaved import DISCARD, SAVE, UnsavedDialog
        from civic.tui.screens.base import CivicScreen

        chosen = list(self.screen_stack if screens is None else screens)
        pending = [(s, what) for s in chosen
                   if isinstance(s, CivicScreen | Dialog) and (what := s.unsaved_work())]
        if not pending:
            then()
            return
        screen, what = pending[-1]

        def answered(choice: str | None) -> None:
            if choice == DISCARD:
                screen.discard_work()
            elif choice != SAVE or not screen.save_work():
                return  # stay; or the save was refused (its error is shown): stay too
            self.guard_leaving(then, chosen)  # the next screen's work, if any

        self.push_screen(UnsavedDialog(what), answered)

    def action_command_palette(self) -> None:
        """Textual's palette, with its placeholder and its own entries in the app's language."""
        from textual.command import CommandPalette

        # Textual types is_open(App[object]); an App is invariant in its return type.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return translated_system_commands(super().get_system_commands(screen))

    def action_help(self) -> None:
        from civic.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def mechanism_title(self, plugin: str, mode: str | None = None) -> str:
        """A plugin's name as the operator reads it: the title of the mode it opens (its own
        mode, by the plugin's name, when the work names none), in the app's language."""
        from civic.vocabulary import label

        found = next((m for m in self.modes if m.name in (mode, plugin)), None)
        return _(found.title) if found is not None else label(plugin)

    @property
    def event_types(self) -> audit.EventTypes:
        """Core's and every plugin's audit event types, gathered once."""
        if self._event_types is None:
            from civic.events import event_types

            self._event_types = event_types(self.pm)
        return self._event_types

    def event_title(self, name: str) -> str:
        """What an audit entry of type `name` records, in the app's language."""
        return self.event_types.title(name)

    # -- changes ----------------------------------------------------------------------------

    def may(self, action: str) -> bool:
        """Whether the operator's role may take the declared action `action` here (for what
        the footer and the palette show; nothing is audited).

        Textual asks for every binding each time it works out the keys (some 70 times between
        Enter and the dashboard drawn): the office's grants are read once per state of the
        file, not once per question. `data_version` moves with this app's changes, SQLite's
        PRAGMA data_version with any other connection's commit (a worker, the CLI)."""
        if self.operator is None:
            return False
        from civic.actions import declared, granted

        found = declared(self.pm).get(action)
        if found is None:
            return False  # an action nobody declared is refused, as civic.actions.may does
        state = (self.data_version,
                 self.db.conn.execute("PRAGMA data_version").fetchone()[0])
        if self._grants is None or self._grants[0] != state:
            self._grants = (state, granted(self.db))
        roles = self._grants[1].get(action)
        return self.operator.role in (found.default_roles() if roles is None else roles)

    def title_of(self, action: str) -> str:
        """A declared action's title in the app's language (a co-signature dialog's heading);
        a worded action from before declarations as it is."""
        from civic.actions import declared

        found = declared(self.pm).get(action)
        return action if found is None else found.label()

    def require_change(self, action: str) -> bool:
        """True if the operator may take `action`, a declared action's name; otherwise the
        refusal is audited and shown. (A worded action from before declarations is held to
        the old rule: admins and operators.)"""
        if self.operator is None:
            return False
        from civic.actions import declared, roles_for
        from civic.auth import CHANGE_ROLES, require_role

        found = declared(self.pm).get(action)
        title, roles = ((action, CHANGE_ROLES) if found is None
                        else (found.label(), roles_for(self.db, found)))
        try:
            require_role(self.office, self.operator, title, roles)
        except PermissionDenied as error:
            self.show_error(error)
            return False
        return True

    def data_changed(self) -> None:
        """Data was written: the screen on view reloads now, the others when next shown."""
        self.data_version += 1
        from civic.tui.screens.base import CivicScreen

        if isinstance(self.screen, CivicScreen):
            self.screen.reload_if_stale()

    def show_error(self, error: CivicError | str) -> None:
        self.notify(str(error), title=_("Refused") if isinstance(error, PermissionDenied)
                    else _("Error"), severity="error", timeout=10, markup=False)

    def import_registry(self, kind: str) -> None:
        """Import units, positions or people from a file (a dialog; the work in a worker)."""
        from civic.importers import import_file
        from civic.tui.dialogs.importer import ImportDialog

        titles = {"units": _("Import units"), "positions": _("Import positions"),
                  "people": _("Import people")}
        if not self.require_change("registry.import"):
            return

        def imported(result: Any) -> None:
            if result is None:
                return
            self.notify(_("{added} added, {updated} updated, {unchanged} unchanged (audit "
                          "entry {id}).").format(added=result.added,
                                                 updated=result.updated,
                                                 unchanged=result.unchanged, id=result.audit_id),
                        title=titles[kind], markup=False)
            self.data_changed()

        self.push_screen(ImportDialog(titles[kind],
                                      lambda office, path: import_file(office, kind, path)),
                         imported)

    # -- the audit chain --------------------------------------------------------------------

    def verify_chain(self) -> None:
        """Recompute the chain in a worker; `chain` and `chain_progress` follow it."""
        if self.chain_running:
            return
        self.chain_running = True
        self.chain_progress = (0, 0)
        post = progress_poster(self, self._chain_progress)

        def done(result: audit.VerifyResult) -> None:
            self.chain_running = False
            self.chain = result
            if not result.ok:
                self.notify(str(result.reason), title=_("Audit chain broken"),
                            severity="error", timeout=15, markup=False)

        def failed(error: CivicError) -> None:
            self.chain_running = False
            self.show_error(error)

        run_db_worker(self, lambda db: audit.verify(db, progress=post), done, group="verify",
                      failed=failed)

    def _chain_progress(self, done: int, total: int) -> None:
        self.chain_progress = (done, total)


def run_app(pm: pluggy.PluginManager, db_path: str | Path,
            clock: Callable[[], dt.datetime] = system_clock) -> None:
    """`civic tui`: the app on `db_path` (a demo may pass the clock it was built for)."""
    CivicApp(pm, db_path, clock=clock).run()
