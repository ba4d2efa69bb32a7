"""The command palette (ctrl+p): core's commands, then every plugin's `PaletteCommand`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from civic.i18n import N_, _

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from civic.tui.app import CivicApp


def screen_entries(screen: object) -> list[tuple[str, str, Callable[[], object]]]:
    """The keys of the screen the palette was opened on (new, publish, export, back up...),
    those its footer shows to this role, as palette entries."""
    from civic.tui.screens.base import CivicScreen

    if not isinstance(screen, CivicScreen):
        return []
    entries: list[tuple[str, str, Callable[[], object]]] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if (active.node is not screen or not binding.show or not active.enabled
                or not screen.offers(binding.action)):
            continue
        entries.append((str(binding.description),
                        _("On this screen: key {key}").format(
                            key=binding.key_display or key),
                        partial(screen.run_action, binding.action)))
    return entries


def palette_entries(app: CivicApp, screen: object = None
                    ) -> list[tuple[str, str, Callable[[], object]]]:
    """(title, help, callback) for everything the operator's role may do from the palette:
    the screen's own keys first, then the app's; an entry that names a declared action is
    left out for a role that may not take it."""
    if app.operator is None:
        return []
    entries: list[tuple[str | None, str, str, Callable[[], object]]] = [
        (None, title, help_text, callback)
        for title, help_text, callback in screen_entries(screen)]
    entries += [
        (m.action, _("Go to {mode}").format(mode=_(m.title)),
         _("Switch to this mode ({key})").format(key=m.key.upper()) if m.key
         else _("Switch to this mode"),
         partial(app.action_open_mode, m.name)) for m in app.modes]
    entries.append((None, _("Modes…"), _("Choose a mode from the list of every mode (ctrl+g)"),
                    app.action_mode_menu))
    entries += [
        ("audit.read", _("Verify the audit chain"), _("Recompute every hash of the audit log"),
         app.verify_chain),
        ("registry.import", _("Import units…"), _("Read org units from a CSV or XLSX file"),
         partial(app.import_registry, "units")),
        ("registry.import", _("Import positions…"), _("Read positions from a CSV or XLSX file"),
         partial(app.import_registry, "positions")),
        ("registry.import", _("Import people…"), _("Read people from a CSV or XLSX file"),
         partial(app.import_registry, "people")),
        ("user.read", _("Operators…"), _("Accounts, roles and your own password (ctrl+o)"),
         app.action_operators),
        (None, _("Help: keys on this screen"), _("Show the help screen (F1)"), app.action_help),
        (None, _("Log out"), _("Return to the login screen"), app.action_logout),
    ]
    entries += [(c.action, _(c.title), _(c.help), partial(c.callback, app))
                for c in app.palette_commands]
    return [(title, help_text, callback) for action, title, help_text, callback in entries
            if action is None or app.may(action)]


class CivicCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, callback in palette_entries(
                self.app, self.screen):  # type: ignore[arg-type]
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in palette_entries(
                self.app, self.screen):  # type: ignore[arg-type]
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
                continue
            # Typed another way: its English name, or its pinyin (daoru, dr for 导入).
            other = max((matcher.match(text) for text in also_known_as(title)), default=0)
            if other > 0:
                yield Hit(other, title, callback, help=help_text)


def also_known_as(title: str) -> list[str]:
    """Other texts an operator may type for a palette entry titled `title` in the app's
    language: its English msgid, and the pinyin of its Chinese (full and initials)."""
    from civic.i18n import english
    from civic.pinyin import readings

    found = [text for text in (english(title),) if text and text != title]
    sounds = [readings(c)[0] for c in title if "\u4e00" <= c <= "\u9fff"]
    if sounds:
        found += ["".join(sounds), "".join(s[0] for s in sounds)]
    return found


# Textual's own palette entries, by their English text: the msgids civic's catalog translates.
# A text Textual adds or rewords later is shown as Textual wrote it.
SYSTEM_TEXTS = frozenset((
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
))


def translated_system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    for command in commands:
        yield command._replace(
            title=_(command.title) if command.title in SYSTEM_TEXTS else command.title,
            help=_(command.help) if command.help in SYSTEM_TEXTS else command.help)
