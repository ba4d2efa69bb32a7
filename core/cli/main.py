"""The `civic` command group: core commands, then every plugin's through `register_commands`."""

from __future__ import annotations

import gc
import gettext
import sys
from typing import Any

import click
import pluggy

from civic.cli.context import State, fail
from civic.cli.lazy import CommandTable, LazyCommand
from civic.errors import CivicError
from civic.i18n import N_, _, set_language

# Core commands by name: where each is defined and its help, exactly as the command's own. The
# `civic` group holds LazyCommand placeholders built from this table, so `civic --help` lists
# them without importing a command module, and `civic people list` imports registry_cmds only.
# (A test compares each help with the real command's, so the two cannot drift apart.)
CORE_COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("civic.cli.audit_cmds:audit", N_("The tamper-evident audit log.")),
    "backup": ("civic.cli.backup_cmds:backup", N_(
        "Copy the database to DEST through SQLite's backup API, safely while others write, "
        "and check the copy.")),
    "demo": ("civic.cli.ui_cmds:demo", N_(
        "Build the demo office (Kunming, 2008) and open the app on it.")),
    "eligible": ("civic.cli.registry_cmds:eligible", N_(
        "Who meets a position's conditions on a date, and why others do not.")),
    "export": ("civic.cli.registry_cmds:export", N_(
        "Export people or positions to CSV or XLSX (formula-safe).")),
    "init": ("civic.cli.admin_cmds:init", N_(
        "Create a database, its first admin and its first supervisor.")),
    "notice": ("civic.cli.notice_cmds:notice", N_(
        "Public notices (公示): draft, publish, objections, confirm.")),
    "people": ("civic.cli.registry_cmds:people", N_("People (cadres) in the registry.")),
    "permission": ("civic.cli.permission_cmds:permission", N_(
        "Who may do what: the declared actions and the roles the office gives them.")),
    "plugins": ("civic.cli.admin_cmds:plugins", N_(
        "List the loaded plugins and the hooks they implement.")),
    "positions": ("civic.cli.registry_cmds:positions", N_(
        "Positions and their qualification conditions.")),
    "status": ("civic.cli.status_cmds:status", N_(
        "Open work in every mechanism, the soonest due first.")),
    "tui": ("civic.cli.ui_cmds:tui", N_("Open the terminal app on the database.")),
    "units": ("civic.cli.registry_cmds:units", N_(
        "Org units: the city, its counties and districts, departments.")),
    "user": ("civic.cli.admin_cmds:user", N_("Operators and their roles.")),
}


class CivicGroup(click.Group):
    """Turns a CivicError anywhere below into a clear message and a non-zero exit; holds
    commands in a CommandTable so that placeholders load only when a command is used."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = CommandTable(self.commands)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CivicError as error:
            fail(error)
            ctx.exit(1)
        except KeyboardInterrupt:
            ctx.exit(130)
        except Exception as exc:
            # SQLite's own errors (a damaged page, a file gone bad under us) reach here from
            # any command: one worded message, no traceback. sqlite3 is looked up, not
            # imported: `civic --help` never loads it.
            sqlite3 = sys.modules.get("sqlite3")
            if sqlite3 is None or not isinstance(exc, sqlite3.Error):
                raise
            from civic.db import database_error_message, resolve_db_path

            state = ctx.obj if isinstance(ctx.obj, State) else None
            path = state.db_path if state is not None else resolve_db_path()
            fail(CivicError(database_error_message(exc, path)))
            ctx.exit(1)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        found = super().resolve_command(ctx, args)
        _resume_gc()  # the command is loaded: its own work runs with the collector on
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, read from the placeholders: `--help` loads no command module."""
        rows = []
        table = self.commands
        for name in self.list_commands(ctx):
            command = table.peek(name) if isinstance(table, CommandTable) else table.get(name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in rows)
            # click's own heading, like its "Options" heading above (_click_texts_through_civic).
            with formatter.section(_click_text("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


def _click_text(message: str) -> str:
    """A text in click's own words, through whatever click.core translates with."""
    return vars(click.core)["_"](message)


def build_cli(pm: pluggy.PluginManager | None = None) -> click.Group:
    """A fresh command tree: core commands, then each loaded plugin's."""
    from civic.pm import make_plugin_manager

    pm = pm if pm is not None else make_plugin_manager()

    @click.group(cls=CivicGroup, context_settings={"help_option_names": ["-h", "--help"]},
                 help=_("civic: nominate, place, elect, evaluate and hold officials to "
                        "account, with a tamper-evident audit log and public notices."))
    @click.option("--db", "db", envvar="CIVIC_DB",
                  help=_("Database file (else $CIVIC_DB, else ./civic.db)."))
    @click.option("--user", "user", help=_("Operator name for changes (else $CIVIC_USER)."))
    @click.option("--lang", "lang", help=_("zh_CN or en (else $CIVIC_LANG, else the locale)."))
    @click.version_option(package_name="civic-personnel", prog_name="civic",
                          help=_("Show the version and exit."))
    @click.pass_context
    def cli(ctx: click.Context, db: str | None, user: str | None, lang: str | None) -> None:
        set_language(lang)
        ctx.obj = State(pm, db, user)

    for name, (target, help_text) in CORE_COMMANDS.items():
        cli.add_command(LazyCommand(name, target, help=_(help_text)))
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


def _click_texts_through_civic() -> None:
    """Click's own texts (its help option, "Usage:", its errors) through civic's catalog.

    Click asks the standard gettext for each text in the default domain, and the standard
    gettext searches the disk for a catalog on every call: it imports `locale` (80 KB of
    source, compiled on a first start) to expand the language and then stats a file per
    candidate, about ten times for every `civic` start, to find none (click ships none, and
    the default domain is no system package's). Civic's catalog answers instead: a text it
    does not hold stays English, as before. civic.cli.click_texts names click's texts for the
    catalog (and puts the words click fills in, like a number type's name, through it)."""
    from civic import i18n
    from civic.cli.click_texts import CivicHelpFormatter, argument_metavar, click_gettext

    click.Context.formatter_class = CivicHelpFormatter
    # (click has no setting for its arguments' placeholders: its method is replaced)
    click.Argument.make_metavar = argument_metavar  # type: ignore[method-assign]

    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            found = module.__dict__
            if found.get("_") is gettext.gettext:
                found["_"] = click_gettext
            if found.get("ngettext") is gettext.ngettext:
                found["ngettext"] = i18n.ngettext


# Whether main() paused the cyclic garbage collector for the start (see main).
_gc_paused = False


def _resume_gc() -> None:
    """Turn the collector back on once the start is over, with what the start built (modules,
    the command tree, the plugin manager) frozen: it lives as long as the process, and the
    command's own collections need not walk it again."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


def main() -> None:
    # The start (plugins registered, the command tree, the command's module imported) makes
    # tens of thousands of objects and no garbage: the collector's passes over them were
    # about 2% of a read's start. It is paused until the command is resolved.
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True
    _click_texts_through_civic()
    set_language(_lang_from_argv(sys.argv[1:]))
    cli = build_cli()
    try:
        cli.main(prog_name="civic")
    except CivicError as error:  # raised outside a command (e.g. while building)
        fail(error)
        sys.exit(1)
