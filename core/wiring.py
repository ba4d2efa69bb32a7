"""The standard hook wiring of a mechanism plugin, written once (docs/plugin_hooks.md).

Every mechanism wires the same hooks the same way: its migrations, its event types, its declared
actions, its command group (a placeholder, so `civic --help` imports nothing of it), its open
workflows, its demo data, its TUI mode and palette entry. `StandardHooks` builds those
hookimpls from the plugin's name and the layout every plugin follows (ARCHITECTURE.md "One
layout for every plugin"); each part's module is imported only when its hook runs.

    # plugins/<x>/plugin.py
    from civic.i18n import N_
    from civic.wiring import ModeSpec, StandardHooks

    StandardHooks(
        "x", "civic.plugins.x", help=N_("What `civic x` does."),
        actions=lambda: (read("x.read", N_("read x")), ...),
        mode=ModeSpec(N_("X"), "screens:XScreen", key=None, order=200, action="x.read"),
        palette=[(N_("X"), N_("What the mode shows"))],
    ).install(globals())

`install` puts the hookimpls into the module's namespace, so the entry point stays the module
(`x = "civic.plugins.x.plugin"`), `civic plugins` names the module, and the plugin's own
`locale/` beside it is found. Hooks the plugin has beyond these are written in the module as
usual. A part given as None is not wired (a plugin with no demo data, no mode).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from typing import Any, NamedTuple

from civic import hookimpl


class ModeSpec(NamedTuple):
    """A plugin's TUI mode. `screen` is "module:Class" relative to the plugin's package, built
    with no arguments; `title` an English msgid."""

    title: str
    screen: str
    key: str | None = None
    order: int = 200
    action: str | None = None


def load(package: str, target: str) -> Any:
    """The object at `target` ("module:attribute", the module relative to `package`)."""
    module, _sep, attribute = target.partition(":")
    found: Any = importlib.import_module(f"{package}.{module}")
    for part in attribute.split(".") if attribute else ():
        found = getattr(found, part)
    return found


class StandardHooks:
    """The standard hookimpls of plugin `name` whose modules live in `package`.

    The defaults follow the one layout: `migrations:migrations`, `events:EVENTS`,
    `cli:{name}` (a click group named after the plugin, or a function that builds one),
    `workflows:open_workflows`, `demo:add_demo_data`. `help` is the command group's help as an
    English msgid, the same text as the real group's (tests/test_cli_startup.py compares them). `actions` is a
    function returning the declared actions (civic.actions), called when the hook runs.
    `palette` entries are (title, help) msgids that open the mode. `demo_first` runs the
    demo before other plugins' (a mechanism whose story comes earlier in the demo year).
    """

    def __init__(self, name: str, package: str, *, help: str | None = None,  # noqa: A002
                 actions: Callable[[], Iterable[Any]] | None = None,
                 mode: ModeSpec | None = None,
                 palette: Sequence[tuple[str, str]] = (),
                 migrations: str | None = "migrations:migrations",
                 events: str | None = "events:EVENTS",
                 cli: str | None = "cli:{name}",
                 workflows: str | None = "workflows:open_workflows",
                 demo: str | None = "demo:add_demo_data",
                 demo_first: bool = False) -> None:
        self.name, self.package, self.help = name, package, help
        self.hooks: dict[str, Callable[..., Any]] = {}

        def part(target: str) -> Any:
            return load(package, target)

        if migrations:
            @hookimpl
            def register_migrations() -> Any:
                return part(migrations)

            self.hooks["register_migrations"] = register_migrations
        if events:
            @hookimpl
            def register_event_types(register: Any) -> None:
                for cls in part(events):
                    register(cls)

            self.hooks["register_event_types"] = register_event_types
        if actions is not None:
            @hookimpl
            def register_actions(register: Any) -> None:
                for action in actions():
                    register(action)

            self.hooks["register_actions"] = register_actions

        if cli:
            command = cli.format(name=name)

            @hookimpl
            def register_commands(cli: Any) -> None:
                # A placeholder with the group's help: `civic --help` lists it without
                # importing the plugin's cli module, which loads when a command of it runs.
                from civic.cli.lazy import LazyCommand
                from civic.i18n import _

                text = _(help) if help else ""
                cli.add_command(LazyCommand(name, f"{package}.{command}", help=text))

            self.hooks["register_commands"] = register_commands
        if workflows:
            # The plugin's function and whether it takes `today`, read on the first call (its
            # module loads then, not at registration) and kept: the dashboard asks often.
            known: list[tuple[Callable[..., Any], bool]] = []

            @hookimpl
            def open_workflows(db: Any, today: Any) -> list:
                if not known:
                    found = part(workflows)
                    # `today` is newer than the hook: a plugin's function that takes only
                    # the database keeps working.
                    known.append((found, "today" in inspect.signature(found).parameters))
                function, takes_today = known[0]
                return list(function(db, today=today) if takes_today else function(db))

            self.hooks["open_workflows"] = open_workflows
        if demo:
            @hookimpl(tryfirst=demo_first)
            def register_demo_data(office: Any, rng: Any) -> None:
                part(demo)(office, rng)

            self.hooks["register_demo_data"] = register_demo_data
        if mode is not None:
            @hookimpl
            def register_modes(register: Any) -> None:
                from civic.tui.modes import Mode

                register(Mode(name, mode.title, mode.key, lambda app: part(mode.screen)(),
                              order=mode.order, action=mode.action))

            self.hooks["register_modes"] = register_modes
            if palette:
                @hookimpl
                def register_palette_commands(register: Any) -> None:
                    from civic.tui.modes import PaletteCommand

                    for title, text in palette:
                        register(PaletteCommand(title, text,
                                                lambda app: app.action_open_mode(name),
                                                action=mode.action))

                self.hooks["register_palette_commands"] = register_palette_commands

    def install(self, namespace: MutableMapping[str, Any]) -> None:
        """Put the hookimpls into a plugin module's namespace (`install(globals())`)."""
        for hook, impl in self.hooks.items():
            if hook in namespace:
                raise ValueError(f"{self.name}: {hook} is both written and wired")
            namespace[hook] = impl

