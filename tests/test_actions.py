"""Declared actions (civic.actions): core's and the built-in plugins' declarations, the checks
that read them, and an office's own permissions (`civic permission`)."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import audit
from civic.actions import (
    Action,
    Actions,
    change,
    declared,
    may,
    performs,
    read,
    roles_for,
    set_roles,
)
from civic.cli.main import build_cli
from civic.pm import make_plugin_manager

ADMIN_OPERATOR = {"admin", "operator"}
EVERYONE = {"admin", "operator", "supervisor", "viewer"}


# Who may do what by default. Sources: civic.auth (admin: everything and users; operator:
# changes data; supervisor: witnesses and co-signs, changes nothing alone; viewer: reads) and
# ARCHITECTURE.md "Audit, roles and trust" (certifying a count, publishing a notice and
# confirming a result need a supervisor's co-signature).
@pytest.mark.parametrize("name,changes,cosign,roles", [
    ("registry.read", False, False, EVERYONE),
    ("registry.import", True, False, ADMIN_OPERATOR),
    ("notice.draft", True, False, ADMIN_OPERATOR),
    ("notice.publish", True, True, ADMIN_OPERATOR),
    ("notice.confirm", True, True, ADMIN_OPERATOR),
    # A receipt: the discipline commission receives objections too.
    ("notice.object", True, False, ADMIN_OPERATOR | {"supervisor"}),
    ("audit.read", False, False, EVERYONE),
    ("user.add", True, True, {"admin"}),  # co-signed when it makes a supervisor
    ("user.passwd", True, False, EVERYONE),  # one's own password only
    ("permission.set", True, True, {"admin"}),
    ("nomination.certify", True, True, ADMIN_OPERATOR),
    ("nomination.publish_notice", True, True, ADMIN_OPERATOR),
    ("nomination.read", False, False, EVERYONE),
    ("placement.certify", True, True, ADMIN_OPERATOR),
    ("placement.pick", True, False, ADMIN_OPERATOR),
])
def test_declared_defaults(pm, name, changes, cosign, roles):
    action = declared(pm)[name]
    assert (action.changes_data, action.needs_cosign, set(action.default_roles())) == (
        changes, cosign, roles)


def test_every_declaration_is_well_formed(pm):
    actions = declared(pm)
    assert actions.problems == []
    for action in actions:
        # A change is never a supervisor's or a viewer's alone (civic.auth), but a receipt
        # (an objection received) a supervisor may enter.
        allowed = ADMIN_OPERATOR | ({"supervisor"} if action.receipt else set())
        assert (not action.changes_data or action.own_account
                or action.default_roles() <= allowed), action
        assert action.title and action.label()


@pytest.mark.parametrize("bad,why", [
    (change("x.y", "do x", roles={"viewer"}), "lets a supervisor or viewer change data"),
    (change("x.y", "do x", roles={"supervisor", "admin"}), "lets a supervisor"),
    (Action("x.y", "read x", changes_data=False, needs_cosign=True), "changes nothing"),
    (read("nodot", "read"), "is not <plugin>.<verb>"),
    (read("x.y", "read", roles={"clerk"}), "unknown role"),
    (read("x.y", ""), "has no title"),
    ("x.y", "not a civic.actions.Action"),
])
def test_a_bad_declaration_is_reported_and_skipped(bad, why):
    actions = Actions()
    actions.register(bad)
    assert "x.y" not in actions and why in actions.problems[0]


def test_an_action_declared_twice_keeps_the_first():
    actions = Actions()
    actions.register(read("x.y", "read x"))
    actions.register(change("x.y", "change x"))
    assert not actions["x.y"].changes_data and "declared twice" in actions.problems[0]


def test_zero_plugins_still_declare_core_actions():
    actions = declared(make_plugin_manager(only=[]))
    assert "notice.publish" in actions and "nomination.certify" not in actions


# --- the CLI reads the declarations -----------------------------------------------------------

@pytest.mark.parametrize("named,step,phrase", [
    # It logs in for an action other than the one it names.
    ("registry.import", "notice.draft",
     "sloppy performs notice.draft but names only registry.import"),
    # It asks a supervisor to co-sign an action declared without a co-signature.
    ("notice.draft", "cosign notice.draft",
     "notice.draft is not declared as needing a co-signature"),
])
def test_a_command_is_held_to_its_declaration(office, db_path, named, step, phrase):
    import types

    from civic import hookimpl
    from civic.cli.context import pass_state

    @hookimpl
    def register_commands(cli):
        @performs(named)
        @cli.command("sloppy")
        @pass_state
        def sloppy(state):
            if step.startswith("cosign "):
                state.cosigner(state.office_for(named), "sup", step.split()[1])
            else:
                state.office_for(step)

    sloppy_plugin = types.ModuleType("sloppy")
    sloppy_plugin.register_commands = register_commands  # type: ignore[attr-defined]
    pm = make_plugin_manager(extra=[sloppy_plugin])
    env = {"CIVIC_DB": str(db_path), "CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass",
           "CIVIC_SUPERVISOR_PASSWORD": "secret-pass"}
    result = CliRunner().invoke(build_cli(pm), ["sloppy"], env=env)
    assert result.exit_code == 1 and phrase in result.output, result.output


def test_performs_marks_either_side_of_clicks_decorator():
    from civic.actions import actions_of

    @performs("a.b", "a.c")
    @click.command()
    def above() -> None: ...

    @click.command()
    @performs("a.b")
    def below() -> None: ...

    assert actions_of(above) == ("a.b", "a.c") and actions_of(below) == ("a.b",)


# --- an office's own permissions --------------------------------------------------------------

@pytest.fixture
def permit(run_cli):
    def run(*args: str, user: str = "admin", signer: str | None = "sup"):
        extra = ["--supervisor", signer] if signer else []
        return run_cli("permission", *args, *extra, env={"CIVIC_USER": user,
                                                         "CIVIC_SUPERVISOR_PASSWORD":
                                                         "secret-pass"})
    return run


def test_an_office_keeps_drafting_notices_to_its_admins(permit, run_cli, office, tmp_path):
    body = tmp_path / "body.md"
    body.write_text("正文", encoding="utf-8")
    draft = ("notice", "draft", "--subject", "person:X", "--title", "T", "--body-file",
             str(body))
    assert run_cli(*draft).exit_code == 0

    given = permit("set", "notice.draft", "admin")
    assert given.exit_code == 0, given.output
    assert roles_for(office.db, declared(office.pm)["notice.draft"]) == {"admin"}
    entry = audit.entries(office.db, type_prefix="core.permission_changed")[0]
    assert (entry.actor, entry.cosigner, entry.data()) == (
        "admin", "sup", {"action": "notice.draft", "roles": "admin", "old": None})
    refused = run_cli(*draft)
    assert refused.exit_code == 1 and "op is a operator and may not draft a notice" in (
        refused.output)

    assert permit("reset", "notice.draft").exit_code == 0
    assert run_cli(*draft).exit_code == 0


@pytest.mark.parametrize("args,user,signer,phrase", [
    (("set", "notice.draft", "viewer"), "admin", "sup", "only admins and operators"),
    (("set", "notice.draft", "supervisor"), "admin", "sup", "only admins and operators"),
    (("set", "notice.draft", "operator"), "op", "sup", "may not change who may do what"),
    (("set", "notice.draft", "operator"), "admin", None, "co-signature"),
    (("set", "notice.draft", "operator"), "admin", "view", "is not a supervisor"),
    (("set", "no.such", "operator"), "admin", "sup", "No action no.such is declared"),
    (("reset", "notice.draft"), "op", "sup", "may not change who may do what"),
])
def test_permission_changes_are_refused(permit, office, args, user, signer, phrase):
    result = permit(*args, user=user, signer=signer)
    assert result.exit_code == 1 and phrase in result.output, result.output
    assert audit.entries(office.db, type_prefix="core.permission_changed") == []
    assert "permission.notice.draft" not in dict(office.db.execute(
        "SELECT key, value FROM settings").fetchall())


def test_permission_list_shows_defaults_and_the_offices_own(permit, run_cli):
    assert permit("set", "notice.draft", "admin").exit_code == 0
    rows = {r["action"]: r for r in json.loads(run_cli("permission", "list", "--json").output)}
    assert rows["notice.draft"]["roles"] == ["admin"] and not rows["notice.draft"]["default"]
    assert rows["notice.publish"] == {
        "action": "notice.publish", "title": "publish a notice", "changes_data": True,
        "needs_cosign": True, "roles": ["admin", "operator"], "default": True}
    refused = run_cli("notice", "draft", "--subject", "s", "--title", "t", "--body-file", "-",
                      input="text")
    assert refused.exit_code == 1 and "may not draft a notice" in refused.output


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_offices_permissions_never_let_a_witness_or_reader_change(office, data):
    """Property: whatever roles an office asks for, a supervisor or a viewer never gets a
    change, and the roles it does get are exactly the ones `may` then lets through."""
    from civic.errors import CivicError
    from civic.office import Operator

    actions = list(declared(office.pm))
    action = data.draw(st.sampled_from(actions))
    asked = data.draw(st.sets(st.sampled_from(sorted(EVERYONE))))
    admin = office.as_actor(Operator("admin", "admin"))
    try:
        set_roles(admin, action.name, asked, Operator("sup", "supervisor"))
    except CivicError:
        allowed = ADMIN_OPERATOR | ({"supervisor"} if action.receipt else set())
        assert not asked or action.own_account or (
            action.changes_data and not asked <= allowed)
        given_roles = action.default_roles()
    else:
        given_roles = frozenset(asked)
    for role in EVERYONE:
        assert may(office.db, office.pm, role, action.name) == (role in given_roles)
        if action.changes_data and not action.own_account and role in {"supervisor", "viewer"}:
            assert not may(office.db, office.pm, role, action.name) or (
                action.receipt and role == "supervisor")
    set_roles(admin, action.name, None, Operator("sup", "supervisor"))
