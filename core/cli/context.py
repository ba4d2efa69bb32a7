"""What every command shares: the database, the plugins, the operator, output as text or JSON.

Plugin commands use these too: `@pass_state` gives a `State`; `state.office()` opens the
database read-only in spirit, `state.office_for(action)` logs an operator in for a change.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click
import pluggy

from civic.errors import CivicError, PermissionDenied
from civic.i18n import _, ngettext

if TYPE_CHECKING:
    from civic.db import Database
    from civic.office import Office


class State:
    def __init__(self, pm: pluggy.PluginManager, db: str | None, user: str | None) -> None:
        self.pm = pm
        self._db_option = db
        self._user = user
        self._db: Database | None = None
        self._office: Office | None = None

    def use_db(self, path: str) -> None:
        """A command's own --db (`civic tui --db X`), where users type it: it wins over the
        global option and $CIVIC_DB."""
        self._db_option = path
        self.__dict__.pop("db_path", None)

    @cached_property
    def db_path(self) -> str:
        from civic.db import resolve_db_path

        return resolve_db_path(self._db_option)

    def db(self, *, create: bool = False):
        """The database (migrated), for commands that only read: no office, no operator."""
        if self._db is None:
            from civic.db import migrate, open_db

            db = open_db(self.db_path, create=create)
            migrate(db, self.pm)
            for warning in db.warnings:  # a newer civic's file: reads go on, said on stderr
                click.echo(warning, err=True)
            self._db = db
        return self._db

    def office(self, *, create: bool = False):
        """The office on the database (migrated), with no operator logged in."""
        if self._office is None:
            from civic.office import Office

            self._office = Office(self.db(create=create), self.pm)
        return self._office

    def operator_name(self) -> str:
        name = self._user or os.environ.get("CIVIC_USER")
        if not name:
            if not sys.stdin.isatty():
                raise PermissionDenied(
                    _("This command changes data: name an operator with --user or CIVIC_USER."))
            name = click.prompt(_("Operator"))
        return name

    def office_for(self, action: str, roles: frozenset[str] | None = None):
        """Log an operator in (password from CIVIC_PASSWORD or a prompt) for `action`, a
        declared action's name (`notice.publish`): the operator's role must be one the office
        allows it (civic.actions), and the running command must name it (`@performs`)."""
        from civic.auth import CHANGE_ROLES, login

        office = self.office()
        if office.db.refuse_writes:  # a read-only copy or a newer civic's file
            raise CivicError(office.db.refuse_writes)
        found = self._declared(action)
        if found is None:
            # A command from before declarations (a branch merged later): the old rule, a
            # change role. tests/faults/test_roles.py fails on it until it is declared.
            title, allowed = action, roles or CHANGE_ROLES
        else:
            from civic.actions import roles_for

            title, allowed = found.label(), roles_for(office.db, found)
        name = self.operator_name()
        password = secret("CIVIC_PASSWORD", _("Password for {name}").format(name=name))
        operator = login(office, name, password, title, allowed)
        return office.as_actor(operator)

    def cosigner(self, office, supervisor: str | None, action: str):
        """A supervisor's co-signature for `action` (password from CIVIC_SUPERVISOR_PASSWORD)."""
        from civic.auth import cosign

        found = self._declared(action)
        if found is not None and not found.needs_cosign:
            # A programming slip: the declaration is what the role walk tests co-signing by.
            raise CivicError(_("{action} is not declared as needing a co-signature.").format(
                action=action))
        title = action if found is None else found.label()
        name = supervisor or os.environ.get("CIVIC_SUPERVISOR") or ""
        password = ""
        if name:
            password = secret("CIVIC_SUPERVISOR_PASSWORD",
                              _("Password for supervisor {name}").format(name=name))
        return cosign(office, office.actor, name, password, title)

    def _declared(self, action: str):
        """The declaration of `action`, checked against what the running command names."""
        from civic.actions import actions_of, declared

        # Core's own actions are declared before any plugin's and a name declared twice keeps
        # its first declaration, so core's list alone answers for them: a core change (a
        # people import) need not run every plugin's register_actions (and import its rules).
        found = declared(None).get(action) or declared(self.pm).get(action)
        ctx = click.get_current_context(silent=True)
        named = actions_of(ctx.command) if ctx is not None else ()
        if ctx is not None and named and action not in named:
            # A programming slip, caught before anyone is asked for a password.
            raise CivicError(_("{command} performs {action} but names only {named}.").format(
                command=ctx.command_path, action=action, named=", ".join(named)))
        return found


def secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise PermissionDenied(_("No password given: set {env} or run at a terminal.")
                               .format(env=env))
    return click.prompt(prompt, hide_input=True)


pass_state = click.make_pass_decorator(State)

# Functions, not options built here: a command module applies them when it loads, after the
# language is set, so their help is translated (this module loads before that).
def json_option(f: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True,
                        help=_("Print JSON for scripts."))(f)


def supervisor_option(f: Callable) -> Callable:
    return click.option("--supervisor", help=_(
        "Supervisor who co-signs (password from CIVIC_SUPERVISOR_PASSWORD)."))(f)


def emit(data: Any, as_json: bool, text: Callable[[Any], str] | str | None = None) -> None:
    """Print `data` as JSON, or as text made by `text`."""
    if as_json:
        import json

        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif callable(text):
        click.echo(text(data))
    elif text is not None:
        click.echo(text)


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    """A plain text table that lines up Chinese (wide) characters."""
    from civic.textwidth import pad

    heads = [label for _key, label in columns]
    cells = [[_cell(r.get(key)) for key, _label in columns] for r in rows]
    from civic.textwidth import width

    widths = [max([width(h)] + [width(c[i]) for c in cells]) for i, h in enumerate(heads)]
    lines = ["  ".join(pad(h, w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for c in cells:
        lines.append("  ".join(pad(v, w) for v, w in zip(c, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def fail(error: CivicError) -> None:
    message = str(error)
    if not message.replace("\n", "").isprintable():  # rare: only then load the pattern
        from civic.tabular import visible

        message = visible(message)  # an escape sequence in a quoted value: never raw
    click.echo(_("Error: {message}").format(message=message), err=True)


def dry_run_option(f: Callable) -> Callable:
    return click.option("--dry-run", "dry_run", is_flag=True, help=_(
        "Check the file and show the rows it would add and change, with every problem; "
        "write nothing."))(f)


def out_option(what: str) -> Callable[[Callable], Callable]:
    """`--out FILE`: also write a result as a table an office opens in Excel (.xlsx) or any
    spreadsheet (.csv), headers in the operator's language; `what` says what a row is."""
    return click.option("--out", type=click.Path(dir_okay=False), help=_(
        "Also write the result to this file (.xlsx or .csv): {rows}.").format(rows=what))


def write_out(path: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write `--out`'s table (formula-like cells neutralised) and say so on stderr, so a
    script reading the JSON on stdout is not disturbed."""
    from civic.tabular import write_table

    n = write_table(path, columns, rows)
    click.echo(ngettext("Wrote {n} row to {path}.", "Wrote {n} rows to {path}.", n).format(
        n=n, path=path), err=True)


def run_import(office: Office, work: Callable[[Office], Any], *, file: str, dry_run: bool,
               as_json: bool, text: Callable[[Any], str]) -> None:
    """An import command's body, for the registry and every mechanism: with `--dry-run` the
    import runs in a transaction that is rolled back (civic.preview) and what it would do is
    printed; a file it would refuse exits 1. Otherwise the import runs with a progress line
    on a terminal and `text(result)` says what it did."""
    label = os.path.basename(file)
    if dry_run:
        from civic.preview import preview

        found = preview(office, work)
        if as_json:
            emit(found.as_dict(), True)
        else:
            lines = [_("Dry run, nothing written: {label}").format(label=label)]
            if found.ok and "table" not in (found.result or {}):
                # A mechanism's import: its own sentence, said as what it would do.
                lines.append("  " + _("Would do: {what}").format(what=text(found.raw)))
            else:
                lines += ["  " + line for line in found.lines()]
            lines += ["  " + str(p) for p in found.problems]
            click.echo("\n".join(lines))
        if not found.ok:
            raise click.exceptions.Exit(1)
        return
    from civic.cli.progress import Working

    with Working(_("Importing {label}").format(label=label), as_json):
        result = work(office)
    data = result.as_dict() if hasattr(result, "as_dict") else result
    emit(data, as_json, text)


class DateParam(click.ParamType):
    """A click type for a date as offices write it (civic.dates.parse_date): 2008-07-04,
    2008年7月4日, 2008.7.4; a bad one is click's usage error naming the option."""

    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        from civic.dates import parse_date

        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()
