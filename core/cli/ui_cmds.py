"""`civic tui` and `civic demo`: Textual is imported only when these run."""

from __future__ import annotations

import click

from civic.cli.context import State, pass_state
from civic.i18n import _


def register(cli: click.Group) -> None:
    cli.add_command(tui)


@click.command(help=_("Open the terminal app on the database."))
@pass_state
def tui(state: State) -> None:
    from civic.tui.app import run_app

    run_app(state.pm, state.db_path)
