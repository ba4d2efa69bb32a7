"""`civic init`, `civic user ...`, `civic plugins`."""

from __future__ import annotations

import os
import sys

import click

from civic.actions import performs
from civic.cli.context import (
    State,
    emit,
    json_option,
    pass_state,
    secret,
    supervisor_option,
    table,
)
from civic.errors import CivicError
from civic.i18n import _
from civic.vocabulary import label


def new_secret(env: str, prompt: str) -> str:
    """A new password: from `env`, else typed twice at a terminal (its person types it)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CivicError(_("No password given: set {env} or run at a terminal.").format(env=env))
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


@performs("office.create")
@click.command(help=_("Create a database, its first admin and its first supervisor."))
@click.option("--admin", "admin", required=True, help=_("Name of the first admin."))
@click.option("--supervisor", "supervisor", required=True,
              help=_("Name of the first supervisor (discipline commission), who types their "
                     "own password here (or CIVIC_SUPERVISOR_PASSWORD)."))
@pass_state
def init(state: State, admin: str, supervisor: str) -> None:
    from civic import __version__
    from civic.auth import add_operator
    from civic.events import DatabaseCreated

    if os.path.exists(state.db_path) and os.path.getsize(state.db_path) > 0:
        raise CivicError(_("{path} exists already; civic init will not overwrite it.")
                         .format(path=state.db_path))
    if admin.strip() == supervisor.strip():
        raise CivicError(_("The first admin and the first supervisor must be two people."))
    password = new_secret("CIVIC_PASSWORD", _("Password for {name}").format(name=admin))
    signer = new_secret("CIVIC_SUPERVISOR_PASSWORD",
                        _("Supervisor {name}, type your own password").format(name=supervisor))
    office = state.office(create=True)
    with office.change() as change:
        change.record(DatabaseCreated(admin=admin, version=__version__))
        add_operator(office, admin, "admin", password)
        add_operator(office, supervisor, "supervisor", signer)
    click.echo(_("Created {path} with admin {name} and supervisor {supervisor}.").format(
        path=state.db_path, name=admin, supervisor=supervisor))


@click.group(help=_("Operators and their roles."))
def user() -> None:
    pass


def _cosigner(state: State, office, supervisor: str | None, name: str, action: str,
              role: str | None = None):
    """The supervisor's co-signature when the change touches a supervisor, else None."""
    from civic.auth import cosign_needed

    if not cosign_needed(office.db, name, role):
        return None
    return state.cosigner(office, supervisor, action)


def _account_step(state: State, action: str, supervisor: str | None, name: str,
                  role: str | None = None):
    """An admin logged in for an account step, and the supervisor's co-signature when the
    step touches a supervisor's account (else None)."""
    office = state.office_for(action)
    return office, _cosigner(state, office, supervisor, name, action, role)


def _show_code(name: str, code: str, expires: str) -> None:
    click.echo(_("Setup code for {name}: {code}").format(name=name, code=code))
    click.echo(_("Give it to {name} in person; it is shown only now and expires at {expires}. "
                 "{name} runs `civic user activate {name}` (or logs in at the terminal app) "
                 "and chooses their own password.").format(name=name, expires=expires))


@performs("user.add")
@user.command("add", help=_("Add an operator (admin only); prints a one-time setup code. "
                            "Adding a supervisor is co-signed by a supervisor."))
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "operator", "supervisor", "viewer"]),
              required=True)
@supervisor_option
@pass_state
def user_add(state: State, name: str, role: str, supervisor: str | None) -> None:
    from civic.auth import invite_operator

    office, signer = _account_step(state, "user.add", supervisor, name, role)
    _operator, code, expires = invite_operator(office, name, role, cosigner=signer)
    click.echo(_("Added {name} as {role}.").format(name=name, role=label(role)))
    _show_code(name, code, expires)


@performs("user.reset")
@user.command("reset", help=_("Issue a new one-time setup code for an operator who forgot "
                              "their password or whose code expired (admin only)."))
@click.argument("name")
@supervisor_option
@pass_state
def user_reset(state: State, name: str, supervisor: str | None) -> None:
    from civic.auth import reissue_setup_code

    office, signer = _account_step(state, "user.reset", supervisor, name)
    code, expires = reissue_setup_code(office, name, cosigner=signer)
    _show_code(name, code, expires)


@performs("user.activate")
@user.command("activate", help=_("Choose your own password with the setup code an admin "
                                 "gave you (code from CIVIC_SETUP_CODE or a prompt)."))
@click.argument("name")
@pass_state
def user_activate(state: State, name: str) -> None:
    from civic.auth import activate

    code = secret("CIVIC_SETUP_CODE", _("Setup code for {name}").format(name=name))
    office = state.office()
    password = new_secret("CIVIC_NEW_PASSWORD", _("New password for {name}").format(name=name))
    activate(office, name, code, password)
    click.echo(_("{name} can now log in with their own password.").format(name=name))


@performs("user.passwd")
@user.command("passwd", help=_("Change your own password (the old one from CIVIC_PASSWORD, "
                               "the new one from CIVIC_NEW_PASSWORD or prompts)."))
@pass_state
def user_passwd(state: State) -> None:
    from civic.auth import change_password

    name = state.operator_name()
    old = secret("CIVIC_PASSWORD", _("Current password for {name}").format(name=name))
    new = new_secret("CIVIC_NEW_PASSWORD", _("New password for {name}").format(name=name))
    change_password(state.office(), name, old, new)
    click.echo(_("Password changed for {name}.").format(name=name))


@performs("user.deactivate")
@user.command("deactivate", help=_("Deactivate an operator (admin only): no more log-in, "
                                   "changes or co-signatures. A supervisor's is co-signed."))
@click.argument("name")
@supervisor_option
@pass_state
def user_deactivate(state: State, name: str, supervisor: str | None) -> None:
    from civic.auth import deactivate

    office, signer = _account_step(state, "user.deactivate", supervisor, name)
    deactivate(office, name, cosigner=signer)
    click.echo(_("{name} is deactivated.").format(name=name))


@performs("user.reactivate")
@user.command("reactivate", help=_("Reactivate a deactivated operator (admin only)."))
@click.argument("name")
@supervisor_option
@pass_state
def user_reactivate(state: State, name: str, supervisor: str | None) -> None:
    from civic.auth import reactivate

    office, signer = _account_step(state, "user.reactivate", supervisor, name)
    reactivate(office, name, cosigner=signer)
    click.echo(_("{name} is active again.").format(name=name))


@performs("user.role")
@user.command("role", help=_("Change an operator's role (admin only); making or unmaking a "
                             "supervisor is co-signed by another supervisor."))
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "operator", "supervisor", "viewer"]),
              required=True)
@supervisor_option
@pass_state
def user_role(state: State, name: str, role: str, supervisor: str | None) -> None:
    from civic.auth import change_role

    office, signer = _account_step(state, "user.role", supervisor, name, role)
    change_role(office, name, role, cosigner=signer)
    click.echo(_("{name} is now a {role}.").format(name=name, role=label(role)))


@performs("user.read")
@user.command("list", help=_("List operators."))
@json_option
@pass_state
def user_list(state: State, as_json: bool) -> None:
    from civic.auth import list_operators

    rows = list_operators(state.db())
    emit(rows, as_json, lambda rs: table(
        [{**r, "role": label(r["role"]), "state": label(r["state"])} for r in rs],
        [("name", _("Name")), ("role", _("Role")), ("state", _("State")),
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
