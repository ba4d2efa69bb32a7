"""`civic init`, `civic user ...`, `civic plugins`."""

from __future__ import annotations

import os
import sys

import click

from civic.actions import performs
from civic.cli.context import State, emit, json_option, pass_state, secret, table
from civic.errors import CivicError
from civic.i18n import _
from civic.vocabulary import label


@performs("office.create")
@click.command(help=_("Create a database and its first admin."))
@click.option("--admin", "admin", required=True, help=_("Name of the first admin."))
@pass_state
def init(state: State, admin: str) -> None:
    from civic import __version__
    from civic.auth import add_operator
    from civic.events import DatabaseCreated

    if os.path.exists(state.db_path) and os.path.getsize(state.db_path) > 0:
        raise CivicError(_("{path} exists already; civic init will not overwrite it.")
                         .format(path=state.db_path))
    password = os.environ.get("CIVIC_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise CivicError(_("No password given: set CIVIC_PASSWORD or run at a terminal."))
        password = click.prompt(_("Password for {name}").format(name=admin), hide_input=True,
                                confirmation_prompt=True)
    office = state.office(create=True)
    with office.change() as change:
        change.record(DatabaseCreated(admin=admin, version=__version__))
        add_operator(office, admin, "admin", password)
    click.echo(_("Created {path} with admin {name}.").format(path=state.db_path, name=admin))


@click.group(help=_("Operators and their roles."))
def user() -> None:
    pass


@performs("user.add")
@user.command("add", help=_("Add an operator (admin only)."))
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "operator", "supervisor", "viewer"]),
              required=True)
@pass_state
def user_add(state: State, name: str, role: str) -> None:
    from civic.auth import add_operator

    office = state.office_for("user.add")
    password = secret("CIVIC_NEW_PASSWORD", _("Password for {name}").format(name=name))
    add_operator(office, name, role, password)
    click.echo(_("Added {name} as {role}.").format(name=name, role=label(role)))


@performs("user.read")
@user.command("list", help=_("List operators."))
@json_option
@pass_state
def user_list(state: State, as_json: bool) -> None:
    from civic.auth import list_operators

    rows = list_operators(state.db())
    emit(rows, as_json, lambda rs: table(rs, [("name", _("Name")), ("role", _("Role")),
                                              ("created_at", _("Created"))]))


@performs("plugins.read")
@click.command(help=_("List the loaded plugins and the hooks they implement."))
@click.option("--all", "show_all", is_flag=True, help=_("Also show skipped and failed plugins."))
@json_option
@pass_state
def plugins(state: State, show_all: bool, as_json: bool) -> None:
    from civic.pm import plugin_info

    info = plugin_info(state.pm)
    report = getattr(state.pm, "civic_report", None)
    data = {"plugins": info}
    if show_all and report is not None:
        data["skipped"] = report.skipped
        data["failed"] = report.failed

    def text(d: dict) -> str:
        lines = [f"{p['name']} ({p['distribution'] or '-'} {p['version'] or ''}): "
                 f"{', '.join(p['hooks'])}" for p in d["plugins"]]
        if not lines:
            lines.append(_("No plugins loaded."))
        for name in d.get("skipped", []):
            lines.append(_("{name}: skipped").format(name=name))
        for name, why in d.get("failed", {}).items():
            lines.append(_("{name}: failed ({why})").format(name=name, why=why))
        return "\n".join(lines)

    emit(data, as_json, text)
