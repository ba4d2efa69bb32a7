"""The `civic` command group: core commands, then every plugin's through `register_commands`."""

from __future__ import annotations

import sys

import click
import pluggy

from civic.cli.context import State, fail
from civic.errors import CivicError
from civic.i18n import set_language


class CivicGroup(click.Group):
    """Turns a CivicError anywhere below into a clear message and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CivicError as error:
            fail(error)
            ctx.exit(1)
        except KeyboardInterrupt:
            ctx.exit(130)


def build_cli(pm: pluggy.PluginManager | None = None) -> click.Group:
    """A fresh command tree: core commands, then each loaded plugin's."""
    from civic.pm import make_plugin_manager

    pm = pm if pm is not None else make_plugin_manager()

    @click.group(cls=CivicGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--db", "db", envvar="CIVIC_DB", help="Database file (else $CIVIC_DB, else ./civic.db).")
    @click.option("--user", "user", help="Operator name for changes (else $CIVIC_USER).")
    @click.option("--lang", "lang", help="zh_CN or en (else $CIVIC_LANG, else the locale).")
    @click.version_option(package_name="civic-personnel", prog_name="civic")
    @click.pass_context
    def cli(ctx: click.Context, db: str | None, user: str | None, lang: str | None) -> None:
        """civic: nominate, place, elect, evaluate and hold officials to account, with a
        tamper-evident audit log and public notices."""
        set_language(lang)
        ctx.obj = State(pm, db, user)

    from civic.cli import (
        admin_cmds,
        audit_cmds,
        backup_cmds,
        notice_cmds,
        registry_cmds,
        ui_cmds,
    )

    for module in (admin_cmds, audit_cmds, backup_cmds, registry_cmds, notice_cmds, ui_cmds):
        module.register(cli)
    pm.hook.register_commands(cli=cli)
    return cli


def _lang_from_argv(argv: list[str]) -> str | None:
    """`--lang` must be known before the commands' help texts are built."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    set_language(_lang_from_argv(sys.argv[1:]))
    cli = build_cli()
    try:
        cli.main(prog_name="civic")
    except CivicError as error:  # raised outside a command (e.g. while building)
        fail(error)
        sys.exit(1)
