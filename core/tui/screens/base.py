"""What every civic screen shares: header, mode bar, footer, help text, data refresh."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from civic.i18n import N_, _
from civic.tui.text import translate_bindings
from civic.tui.widgets.footer import CivicFooter
from civic.tui.widgets.mode_bar import ModeBar

if TYPE_CHECKING:
    from civic.tui.app import CivicApp
    from civic.tui.dialogs.form import Field


class StyledScreen(Screen):
    """A screen restyled once each time it is shown.

    Textual restyles a screen's every node when it resumes (pseudo-classes may have changed
    while it was hidden), and a mode's new screen is resumed twice in a row: once as its mode
    is set up, once as it becomes current, with nothing between (no suspension, no CSS
    change). The second full restyle was a tenth of the dashboard's Enter; here it is
    skipped. A screen shown again after being hidden, or after the CSS changed (a theme), is
    restyled as Textual does. (A handler of its own class: Textual calls one of `_on_x` and
    `on_x` per class, and subclasses use `on_screen_resume`.)
    """

    _styled_for: int | None = None  # the app's CSS update count at the last restyle

    def _on_screen_suspend(self) -> None:
        self._styled_for = None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        count = getattr(self.app, "_css_update_count", None)  # Textual's own, private
        if not event.refresh_styles or count is None:
            return
        if self._styled_for == count:
            event.refresh_styles = False  # Screen's handler, run next, keeps the styles
        else:
            self._styled_for = count


class CivicScreen(StyledScreen):
    """A mode's screen, or one pushed on it. Subclasses yield their body in `compose_body`.

    `SCREEN_TITLE` (a msgid) heads the screen; `HELP` (a msgid) says what the screen is
    for, and the help screen shows it with the keys.
    `refresh_data()` reloads what the screen shows; it runs once when the screen mounts,
    then when the screen is shown again after data changed elsewhere (or every time it is
    shown again, with `REFRESH_ON_SHOW`).
    `PERFORMS` names the declared action (civic.actions) each binding's action performs,
    `{"publish": "notice.publish"}`: the footer shows a key only to the roles that may take
    it (a key pressed all the same is refused and the refusal audited, by the handler's
    `require_change`).
    """

    # Every screen's inner tabs (a nomination's Overview / Roll / ... / Notice) switch by
    # keys, and any long cell opens whole: shared here so plugin screens get them unedited.
    # Digits 1-9 open the nth tab: one row in the help ("1…9"), the other digits unworded.
    # An Input with focus takes its digits first (it stops a printable key), so typing a
    # number never switches tabs; on a screen without tabs the digits are not bound at all.
    BINDINGS = [
        Binding("left_square_bracket", "tab(-1)", N_("Previous tab"), show=False),
        Binding("right_square_bracket", "tab(1)", N_("Next tab"), show=False),
        *(Binding(str(n), f"tab_at({n})", N_("The tab of this number") if n == 1 else "",
                  show=False, key_display="1…9" if n == 1 else None) for n in range(1, 10)),
        Binding("ctrl+t", "full_text", N_("Full text"), show=False),
    ]
    HELP: ClassVar[str] = ""
    SCREEN_TITLE: ClassVar[str] = ""
    REFRESH_ON_SHOW: ClassVar[bool] = False  # reload every time, not only after a change
    PERFORMS: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
        self._seen_version = -1
        self._hidden = False
        self._tabbed: bool | None = None  # _has_tabs, once mounted
        if self.SCREEN_TITLE:
            self.title = _(self.SCREEN_TITLE)

    @property
    def civic(self) -> CivicApp:
        return self.app  # type: ignore[return-value]

    def performs(self, binding_action: str) -> str | None:
        """The declared action a binding's action performs (PERFORMS, subclasses first)."""
        for cls in type(self).__mro__:
            found = cls.__dict__.get("PERFORMS", {}).get(binding_action)
            if found is not None:
                return found
        return None

    def offers(self, binding_action: str) -> bool:
        """Whether the footer shows the binding: it names no action, or the role may."""
        name = self.performs(binding_action)
        return name is None or self.civic.may(name)

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeBar()
        yield from self.compose_body()
        yield CivicFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Start loading as soon as the widgets exist. The first ScreenResume arrives only
        # after the screen's first layout and paint, which on the dashboard held the query
        # back by ~150 ms. (A subclass's own on_mount runs first: Textual calls the handler
        # of each class, most derived first.)
        self.reload_if_stale()

    def on_screen_suspend(self) -> None:
        self._hidden = True

    def on_screen_resume(self) -> None:
        # Only a screen shown *again* is reloaded for REFRESH_ON_SHOW: its first showing loaded
        # at mount, and Textual resumes a mode's new screen twice.
        if self.REFRESH_ON_SHOW and self._hidden:
            self._seen_version = -1
        self._hidden = False
        self.reload_if_stale()

    def reload_if_stale(self) -> None:
        version = self.civic.data_version
        if self._seen_version != version:
            self._seen_version = version
            self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the screen's data (in a worker when it may be slow)."""

    def push_form(self, title: str, fields: Sequence[Field],
                  apply: Callable[[dict[str, str]], Any],
                  done: Callable[[Any], object] | None = None, *,
                  submit: str | None = None) -> None:
        """A form whose `apply` changes data. A refusal keeps the form open with what was
        typed (`FormDialog`); once applied, the screens reload and `done` gets the result."""
        from civic.tui.dialogs.form import FormDialog

        def applied(result: Any) -> None:
            if result is None:
                return
            self.civic.data_changed()
            if done is not None:
                done(result)

        self.app.push_screen(FormDialog(title, fields, submit=submit, apply=apply), applied)

    # -- shared keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The tab keys are bound only on a screen with tabs (the help lists them there, and
        elsewhere a digit goes on to whatever else takes it). A subclass that overrides this
        returns `super().check_action(...)` for the actions it does not decide."""
        if action in ("tab", "tab_at"):
            return self._has_tabs()
        return True

    def _has_tabs(self) -> bool:
        """Whether the screen has a tabbed panel: asked for each tab key whenever the footer
        or the help lists the keys, so looked up once the screen is mounted and kept."""
        if self._tabbed is None:
            if not self.is_mounted:
                # Asked some fifty times while the screen composes (each a walk of its
                # nodes): no key reaches it before it is mounted, and the tab keys are
                # not in the footer, so "no tabs" until then changes nothing shown.
                return False
            from textual.widgets import TabbedContent

            self._tabbed = bool(self.query(TabbedContent))
        return self._tabbed

    def _tabs(self) -> tuple[Any, list[str]] | None:
        """The screen's tabbed panel and its enabled panes' ids, or None without one."""
        from textual.widgets import TabbedContent

        found = self.query(TabbedContent)
        if not found:
            return None
        tabs = found.first()
        panes = [p.id for p in tabs.query("TabPane") if p.id and not p.disabled]
        return (tabs, panes) if panes else None

    def action_tab(self, step: int) -> None:
        """`[` and `]`: the previous or next tab of the screen's tabbed panel, if it has one."""
        found = self._tabs()
        if found is None:
            return
        tabs, panes = found
        current = tabs.active if tabs.active in panes else panes[0]
        self._show_tab(tabs, panes[(panes.index(current) + step) % len(panes)])

    def action_tab_at(self, number: int) -> None:
        """`1`-`9`: the tab of that number (counting the enabled ones), if there is one."""
        found = self._tabs()
        if found is not None and 0 < number <= len(found[1]):
            self._show_tab(found[0], found[1][number - 1])

    def _show_tab(self, tabs: Any, pane: str) -> None:
        """Show `pane` and move the focus into it. Left in the pane just hidden, the focus
        went back to a widget there, and Textual's tabbed panel shows the pane that holds
        the focused widget: the tab switched back at once (the placement batch's Posts)."""
        tabs.active = pane

        def focus_in_pane() -> None:
            if tabs.active != pane:
                return
            found = next((w for w in tabs.get_pane(pane).query("*") if w.focusable), None)
            if found is None:  # a pane with nothing to focus: the row of tabs above it
                from textual.widgets import Tabs

                found = tabs.query_one(Tabs)
            found.focus()

        self.call_after_refresh(focus_in_pane)

    def action_full_text(self) -> None:
        """The focused table's highlighted row in full (an objection's whole text, a long
        title), in a viewer that scrolls."""
        from textual.widgets import DataTable

        from civic.tui.dialogs.viewer import TextViewer

        table = self.focused
        if not isinstance(table, DataTable) or table.row_count == 0:
            return
        row = table.get_row_at(table.cursor_row)
        labels = [str(c.label) for c in table.columns.values()]
        lines = [f"{label}: {'' if value is None else value}"
                 for label, value in zip(labels, row, strict=False)]
        self.app.push_screen(TextViewer(table.border_title or self.title or "", "\n".join(lines)))

    def export_file(self, title: str, default: str, write: Callable[[str], Any]) -> None:
        """Ask where to write an export (DOCX, XLSX), write it, and say where it went."""
        from civic.tui.dialogs.form import Field, FormDialog

        def wrote(path: Any) -> None:
            if path:
                self.notify(_("Wrote {path}.").format(path=path), markup=False)

        def apply(values: dict[str, str]) -> str:
            path = str(Path(values["path"]).expanduser())
            write(path)
            return path

        self.app.push_screen(FormDialog(title, [Field("path", _("File"), default)],
                                        submit=_("Export"), apply=apply), wrote)

    # -- typed work not yet saved (the app asks before it is lost) --------------------------

    def unsaved_work(self) -> str | None:
        """What was typed here and not saved yet, in words (None: nothing). Before the
        screen is left by logging out, quitting or switching mode, the app asks."""
        return None

    def save_work(self) -> bool:
        """Save the unsaved work; False (with the error shown) if it could not be."""
        return True

    def discard_work(self) -> None:
        """Drop the unsaved work (the operator chose to)."""


class SubScreen(CivicScreen):
    """A screen pushed on a mode's screen (a record, a detail); Escape goes back."""

    BINDINGS = [Binding("escape", "back", N_("Back"))]

    def action_back(self) -> None:
        self.app.pop_screen()
