"""`civic permission ...`: the declared actions and the roles this office gives each."""

from __future__ import annotations

import click

from civic.actions import performs
from civic.cli.context import State, emit, json_option, pass_state, supervisor_option, table
from civic.i18n import _
from civic.vocabulary import label


@click.group(help=_("Who may do what: the declared actions and the roles the office gives "
                    "them."))
def permission() -> None:
    pass


@performs("permission.read")
@permission.command("list", help=_("List every declared action and the roles that may take "
                                   "it here."))
@json_option
@pass_state
def permission_list(state: State, as_json: bool) -> None:
    from civic.actions import ROLES, declared, granted

    db = state.db()
    own = granted(db)
    rows = []
    for action in declared(state.pm):
        roles = own.get(action.name, action.default_roles())
        rows.append({"action": action.name, "title": action.label(),
                     "changes_data": action.changes_data, "needs_cosign": action.needs_cosign,
                     "roles": [r for r in ROLES if r in roles],
                     "default": action.name not in own})
    emit(rows, as_json, lambda rs: table(
        [{**r, "roles": ", ".join(label(x) for x in r["roles"]),
          "default": "" if r["default"] else _("set here")} for r in rs],
        [("action", _("Action")), ("title", _("What it is")), ("changes_data", _("Changes")),
         ("needs_cosign", _("Co-signed")), ("roles", _("Roles")), ("default", "")]))


@performs("permission.set")
@permission.command("set", help=_("Give an action to these roles in this office (admin, "
                                  "co-signed by a supervisor, audited)."))
@click.argument("action")
@click.argument("roles", nargs=-1, required=True,
                type=click.Choice(["admin", "operator", "supervisor", "viewer"]))
@supervisor_option
@pass_state
def permission_set(state: State, action: str, roles: tuple[str, ...],
                   supervisor: str | None) -> None:
    _set(state, action, roles, supervisor)


@performs("permission.set")
@permission.command("reset", help=_("Give an action back to its default roles (admin, "
                                    "co-signed by a supervisor, audited)."))
@click.argument("action")
@supervisor_option
@pass_state
def permission_reset(state: State, action: str, supervisor: str | None) -> None:
    _set(state, action, None, supervisor)


def _set(state: State, name: str, roles: tuple[str, ...] | None,
         supervisor: str | None) -> None:
    from civic.actions import check_roles, declared, set_roles

    office = state.office_for("permission.set")
    found = declared(state.pm)[name]
    if roles is not None:
        check_roles(found, roles)  # before asking a supervisor for a password that cannot help
    signer = state.cosigner(office, supervisor, "permission.set")
    chosen = set_roles(office, name, roles, signer)
    click.echo(_("{action} ({title}): {roles}.").format(
        action=name, title=found.label(), roles=", ".join(label(r) for r in sorted(chosen))))
