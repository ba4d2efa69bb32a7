"""`civic tui` and `civic demo`: Textual is imported only when these run."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from civic.actions import performs
from civic.cli.context import State, pass_state
from civic.errors import CivicError
from civic.i18n import _

# Not $CIVIC_DB: that names the office's working file, and the demo replaces what it builds on.
DEMO_PATH = "civic-demo.db"


@performs("app.open")
@click.command(help=_("Open the terminal app on the database."))
@click.option("--db", "db_option", type=click.Path(dir_okay=False),
              help=_("The office's database file (as `civic --db FILE tui`)."))
@pass_state
def tui(state: State, db_option: str | None) -> None:
    from civic.demo import demo_state

    if db_option:
        state.use_db(db_option)
    from civic.demo.clock import session_clock
    from civic.tui.app import run_app

    if demo_state(state.db_path) == "demo":
        run_app(state.pm, state.db_path, clock=session_clock(state.db_path))
    else:
        run_app(state.pm, state.db_path)


@performs("office.demo")
@click.command(help=_("Build the demo office (Kunming, 2008) and open the app on it."))
@click.option("--db", "db_option", type=click.Path(dir_okay=False, path_type=Path),
              help=_("Where to build it (else the global --db, else ./civic-demo.db)."))
@click.option("--seed", type=int, default=None,
              help=_("Seed for the demo's data; the same seed builds the same office."))
@click.option("--yes", "-y", is_flag=True, help=_("Replace an existing demo without asking."))
@click.option("--no-tui", is_flag=True, help=_("Only build the demo and print a summary."))
@click.pass_context
def demo(ctx: click.Context, db_option: Path | None, seed: int | None, yes: bool,
         no_tui: bool) -> None:
    from civic.demo import DEFAULT_SEED, build_demo, demo_state

    state = ctx.find_object(State)
    assert state is not None  # the civic group made it before any command runs
    path = db_option or _global_db(ctx) or Path(DEMO_PATH)
    if not _may_build(path, demo_state(path), yes):
        if no_tui:
            click.echo(_("Kept {path} as it was.").format(path=path))
            return
    else:
        summary = build_demo(path, state.pm, seed=DEFAULT_SEED if seed is None else seed)
        click.echo(_summary(summary))
    if not no_tui:
        from civic.demo.clock import session_clock
        from civic.tui.app import run_app

        run_app(state.pm, path, clock=session_clock(path))


def _global_db(ctx: click.Context) -> Path | None:
    """`civic --db X demo` counts, `CIVIC_DB` in the environment does not."""
    parent = ctx.parent
    if parent is None or parent.get_parameter_source("db") != ParameterSource.COMMANDLINE:
        return None
    return Path(parent.params["db"])


def _may_build(path: Path, found: str, yes: bool) -> bool:
    """Build on nothing; replace a demo if allowed; never replace anything else."""
    if found in ("absent", "empty"):
        return True
    if found == "other":
        raise CivicError(_("{path} exists and is not a demo database; civic demo replaces only "
                           "demos it built. Choose another file with --db.").format(path=path))
    if yes:
        return True
    if not sys.stdin.isatty():
        raise CivicError(_("{path} holds a demo already. Pass --yes to replace it (there is no "
                           "terminal to ask).").format(path=path))
    return click.confirm(_("{path} holds a demo already. Replace it with a fresh one?")
                         .format(path=path), default=False)


def _summary(s) -> str:
    from civic.demo import DEMO_OPERATORS, DEMO_PASSWORD

    c = s.counts
    lines = [
        _("Built the demo office in {path} in {seconds:.2f} s (seed {seed}).").format(
            path=s.path, seconds=s.seconds, seed=s.seed),
        _("  {units} units, {positions} positions ({vacancies} places vacant), {people} people "
          "({serving} serving)").format(**c),
        _("  {appointments} appointments on record, {reserve} in the reserve pool, "
          "{audit_log} audit entries").format(**c),
        _("  Vacant county-level posts and above: {codes}").format(
            codes=", ".join(s.vacant_posts) or _("none")),
        _("  Plugins that added their part: {names}").format(
            names=", ".join(s.plugins) or _("none")),
        _("Operators {names}; the password is {password} for each.").format(
            names=", ".join(n for n, _r in DEMO_OPERATORS), password=DEMO_PASSWORD),
        _("Open it again with: civic --db {path} tui").format(path=s.path),
    ]
    return "\n".join(lines)
