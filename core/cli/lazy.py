"""Commands that load when used, so that `civic --help` imports none of them.

Every command module and the click objects it builds cost the start of each `civic` run a few
milliseconds; with every group imported, `civic --help` took 2.6 times as long as a process that
only imports click. A `LazyCommand` stands in for a command in the `civic` group with just its
name and help: the help listing reads those, and the module that defines the real command is
imported only when the command is run or looked up (click's documented lazy-loading pattern,
applied per top-level command rather than per group).

A plugin registers its group the same way from `register_commands`:

    cli.add_command(LazyCommand("nomination", "civic.plugins.nomination.cli:nomination",
                                help=_("Two-round nomination (...)")))

The help given here must be the real command's help; a test compares them for every command.
"""

from __future__ import annotations

import importlib
from collections.abc import ItemsView, ValuesView
from typing import Any

import click

from civic.errors import CivicError
from civic.i18n import _


class LazyCommand(click.Command):
    """A placeholder for the command at `target` ("package.module:attribute").

    The attribute is a click command, or a function that builds one (a plugin that makes a
    fresh group per CLI). Anything that needs more than the name and help loads the real one.
    """

    def __init__(self, name: str, target: str, *, help: str) -> None:  # noqa: A002 - click's name
        super().__init__(name, help=help)
        self.target = target
        self._loaded: click.Command | None = None

    def load(self) -> click.Command:
        if self._loaded is None:
            module_name, _sep, attribute = self.target.partition(":")
            try:
                found: Any = importlib.import_module(module_name)
                for part in attribute.split(".") if attribute else ():
                    found = getattr(found, part)
                if not isinstance(found, click.Command) and callable(found):
                    found = found()
            except Exception as exc:  # a plugin's broken module must not end in a traceback
                raise CivicError(_("The command {name} could not be loaded ({target}): {error}")
                                 .format(name=self.name, target=self.target,
                                         error=f"{type(exc).__name__}: {exc}")) from exc
            if not isinstance(found, click.Command):
                raise CivicError(_("The command {name} could not be loaded: {target} is not a "
                                   "click command.").format(name=self.name, target=self.target))
            self._loaded = found
        return self._loaded

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        # Reached only when the placeholder sits in a plain click.Group (a CommandTable swaps
        # it for the real command first): parse and run with the real one all the same.
        return self.load().make_context(info_name, args, parent=parent, **extra)


class CommandTable(dict[str, click.Command]):
    """A group's `commands` mapping that swaps a LazyCommand for the real one when read.

    Code that reads `group.commands` (click itself, the role tests that walk the tree, a
    plugin) sees real commands; only `peek` and iterating the names leave placeholders be.
    """

    def _real(self, name: str, command: click.Command) -> click.Command:
        if isinstance(command, LazyCommand):
            command = command.load()
            super().__setitem__(name, command)
        return command

    def __getitem__(self, name: str) -> click.Command:
        return self._real(name, super().__getitem__(name))

    def get(self, name: str, default: Any = None) -> Any:
        command = super().get(name)
        return default if command is None else self._real(name, command)

    def peek(self, name: str) -> click.Command | None:
        """The command or its placeholder, without loading anything."""
        return super().get(name)

    def _load_all(self) -> None:
        for name, command in list(super().items()):
            self._real(name, command)

    # dict types its views as private concrete classes; these return the same objects.
    def values(self) -> ValuesView[click.Command]:  # type: ignore[override]
        self._load_all()
        return super().values()

    def items(self) -> ItemsView[str, click.Command]:  # type: ignore[override]
        self._load_all()
        return super().items()

    def __repr__(self) -> str:
        return f"CommandTable({dict(super().items())!r})"
