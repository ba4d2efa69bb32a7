"""Operator accounts and co-signatures, as the "Trust holes" issue found them open.

Each case is one hole: an admin who sets a supervisor's password and then co-signs alone; no
way to change a password or deactivate anyone; a login that keeps a mistyped password in the
append-only log. Operators: admin, op, sup (supervisor) and view, password `secret-pass`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic import audit
from civic.audit import ACTOR_MAX, clean_actor
from civic.auth import (
    activate,
    add_operator,
    authenticate,
    change_password,
    cosign,
    deactivate,
    invite_operator,
    reactivate,
)
from civic.errors import CivicError, PermissionDenied
from civic.office import Operator

PASSWORD = "secret-pass"


def _admin(office):
    return office.as_actor(Operator("admin", "admin"))


def _signer(office, name: str = "sup"):
    return cosign(office, Operator("admin", "admin"), name, PASSWORD, "test")


def _last(office) -> audit.AuditEntry:
    return audit.entries(office.db, limit=1)[0]


# --- a supervisor's secret is the supervisor's ------------------------------------------------

def test_cli_add_gives_a_setup_code_not_a_password(run_cli):
    """Before: `user add --role supervisor` took CIVIC_NEW_PASSWORD from the admin, who could
    then co-sign as the new supervisor. Now the admin gets a code, and a supervisor's account
    needs an existing supervisor's co-signature."""
    admin = {"CIVIC_USER": "admin", "CIVIC_NEW_PASSWORD": "admin-chosen"}
    alone = run_cli("user", "add", "sup2", "--role", "supervisor", env=admin)
    assert alone.exit_code == 1 and "co-signature" in alone.output
    signed = run_cli("user", "add", "sup2", "--role", "supervisor", "--supervisor", "sup",
                     env={**admin, "CIVIC_SUPERVISOR_PASSWORD": PASSWORD})
    assert signed.exit_code == 0, signed.output
    assert "Setup code for sup2" in signed.output
    # The password the admin tried to set does not open the account.
    cosigned = run_cli("notice", "settings", "set", "notice.period_days", "6",
                       "--supervisor", "sup2",
                       env={"CIVIC_SUPERVISOR_PASSWORD": "admin-chosen"})
    assert cosigned.exit_code == 1 and "not chosen a password" in cosigned.output


def test_the_person_sets_their_password_with_the_code(office):
    user, code, expires = invite_operator(_admin(office), "clerk", "operator")
    assert user == Operator("clerk", "operator")
    assert dt.datetime.fromisoformat(expires) > office.now()
    stored = office.db.execute("SELECT password_hash, setup_hash FROM operators"
                               " WHERE name = 'clerk'").fetchone()
    assert stored[0] == "" and stored[1].startswith("scrypt$")  # only the code's hash
    with pytest.raises(PermissionDenied, match="not chosen a password"):
        authenticate(office, "clerk", "", "log in")
    with pytest.raises(PermissionDenied, match="Wrong setup code"):
        activate(office, "clerk", "AAAA-BBBB-CCCC", "own-password")
    assert activate(office, "clerk", code.lower(), "own-password") == user  # case is forgiven
    assert authenticate(office, "clerk", "own-password", "log in") == user
    assert _last(office).type == "core.operator_activated" and _last(office).actor == "clerk"
    with pytest.raises(PermissionDenied, match="No setup is waiting"):  # the code is spent
        activate(office, "clerk", code, "another-one")


def test_an_expired_code_is_refused(office):
    _user, code, expires = invite_operator(_admin(office), "late", "viewer")
    later = office.as_actor(None)
    later.clock = lambda: dt.datetime.fromisoformat(expires) + dt.timedelta(seconds=1)
    with pytest.raises(PermissionDenied, match="expired"):
        activate(later, "late", code, "own-password")


def test_an_admin_cannot_seed_a_password(office):
    with pytest.raises(PermissionDenied, match="their own"):
        add_operator(_admin(office), "mallory", "supervisor", "admin-knows-it")
    assert office.db.execute("SELECT 1 FROM operators WHERE name = 'mallory'").fetchone() is None


@pytest.mark.parametrize(("signer", "phrase"), [
    (None, "co-signature"), ("admin", "not a supervisor"), ("op", "not a supervisor"),
])
def test_adding_a_supervisor_is_cosigned_by_a_supervisor(office, signer, phrase):
    signed = Operator(signer, "admin" if signer == "admin" else "operator") if signer else None
    with pytest.raises(PermissionDenied, match=phrase):
        invite_operator(_admin(office), "sup2", "supervisor", cosigner=signed)
    invite_operator(_admin(office), "sup2", "supervisor", cosigner=_signer(office))
    assert _last(office).cosigner == "sup"


def test_init_creates_the_first_supervisor_who_types_their_password(tmp_path, pm):
    from click.testing import CliRunner

    from civic.cli.main import build_cli

    env = {"CIVIC_DB": str(tmp_path / "new.db"), "CIVIC_PASSWORD": "chief-pass",
           "CIVIC_SUPERVISOR_PASSWORD": "witness-pass", "CIVIC_LANG": "en"}
    missing = CliRunner().invoke(build_cli(pm), ["init", "--admin", "chief"], env=env)
    assert missing.exit_code != 0 and "--supervisor" in missing.output
    same = CliRunner().invoke(build_cli(pm), ["init", "--admin", "a", "--supervisor", "a"],
                              env=env)
    assert same.exit_code == 1 and "two people" in same.output
    made = CliRunner().invoke(build_cli(pm), ["init", "--admin", "chief", "--supervisor",
                                              "witness"], env=env)
    assert made.exit_code == 0, made.output
    verify = CliRunner().invoke(build_cli(pm), ["audit", "verify"], env=env)
    assert verify.exit_code == 0, verify.output


# --- passwords change, accounts end ----------------------------------------------------------

def test_passwd_changes_your_own_password(run_cli, office):
    wrong = run_cli("user", "passwd", env={"CIVIC_USER": "view", "CIVIC_PASSWORD": "nope",
                                           "CIVIC_NEW_PASSWORD": "new-pass"})
    assert wrong.exit_code == 1 and "Wrong operator name or password" in wrong.output
    short = run_cli("user", "passwd", env={"CIVIC_USER": "view", "CIVIC_NEW_PASSWORD": "x"})
    assert short.exit_code == 1 and "at least 6" in short.output
    ok = run_cli("user", "passwd", env={"CIVIC_USER": "view", "CIVIC_NEW_PASSWORD": "new-pass"})
    assert ok.exit_code == 0, ok.output
    assert _last(office).type == "core.password_changed" and _last(office).actor == "view"
    assert authenticate(office, "view", "new-pass", "x").name == "view"
    with pytest.raises(PermissionDenied):
        authenticate(office, "view", PASSWORD, "x")


def _second_supervisor(office) -> Operator:
    """sup2, added with sup's co-signature and activated by its person: their co-signature."""
    _user, code, _expires = invite_operator(_admin(office), "sup2", "supervisor",
                                            cosigner=_signer(office))
    activate(office, "sup2", code, "sup2-pass")
    return cosign(office, Operator("admin", "admin"), "sup2", "sup2-pass", "test")


def test_a_deactivated_operator_can_neither_log_in_act_nor_cosign(office):
    sup2 = _second_supervisor(office)
    session = office.as_actor(Operator("op", "operator"))  # logged in before deactivation
    deactivate(_admin(office), "op")
    with pytest.raises(PermissionDenied, match="deactivated"):
        authenticate(office, "op", PASSWORD, "log in")
    with pytest.raises(PermissionDenied, match="deactivated"):
        with session.change() as change:
            change.record(audit_event())
    deactivate(_admin(office), "sup", cosigner=sup2)
    assert _last(office).cosigner == "sup2"
    with pytest.raises(PermissionDenied, match="deactivated"):
        cosign(office, Operator("admin", "admin"), "sup", PASSWORD, "certify")
    reactivate(_admin(office), "op")
    assert authenticate(office, "op", PASSWORD, "log in").name == "op"


def audit_event():
    from civic.events import SettingChanged

    return SettingChanged(key="x", value=None, old=None)


@pytest.mark.parametrize("name", ["admin", "sup"])
def test_the_last_active_admin_or_supervisor_stays(office, name):
    signer = _signer(office) if name == "sup" else None
    with pytest.raises(CivicError, match="last active"):
        deactivate(_admin(office), name, cosigner=signer)


def test_a_supervisor_cannot_cosign_their_own_deactivation(office):
    _second_supervisor(office)
    with pytest.raises(PermissionDenied, match="their own account"):
        deactivate(_admin(office), "sup", cosigner=_signer(office))
    with pytest.raises(PermissionDenied, match="co-signature"):
        deactivate(_admin(office), "sup")


def test_only_an_admin_manages_accounts(office):
    for actor in ("op", "sup", "view"):
        as_them = office.as_actor(Operator(actor, {"op": "operator", "sup": "supervisor",
                                                   "view": "viewer"}[actor]))
        with pytest.raises(PermissionDenied, match="may not"):
            invite_operator(as_them, "x", "viewer")
        with pytest.raises(PermissionDenied, match="may not"):
            deactivate(as_them, "view")


def test_change_password_checks_the_old_one(office):
    with pytest.raises(PermissionDenied):
        change_password(office, "op", "not-it", "new-pass")
    change_password(office, "op", PASSWORD, "new-pass")
    assert authenticate(office, "op", "new-pass", "x") == Operator("op", "operator")


# --- what a login keeps ----------------------------------------------------------------------

def test_a_password_typed_into_the_name_field_is_never_kept(office, run_cli):
    """A dropped Tab: the name field holds `op` + password. Before, the refusal stored it."""
    typed = "op\tsecret-pass"
    with pytest.raises(PermissionDenied):
        authenticate(office, typed, "", "log in")
    cli = run_cli("notice", "settings", "set", "office.phone", "1",
                  env={"CIVIC_USER": "opsecret-pass"})
    assert cli.exit_code == 1 and "Wrong operator name or password" in cli.output
    log = list(office.db.execute("SELECT actor, subject, payload FROM audit_log"))
    assert not any("secret-pass" in "".join(row) for row in log)
    refusals = [json.loads(p) for _a, _s, p in log if '"reason"' in p]
    assert len(refusals) == 2  # the attempts are kept, as attempts with an unknown name
    last = _last(office)
    assert last.type == "core.access_refused" and last.actor == "?"
    assert last.data()["name"] == "?"


@given(st.text())
def test_actor_strings_are_clean_and_bounded(text):
    cleaned = clean_actor(text)
    assert len(cleaned) <= ACTOR_MAX
    assert not any(c in cleaned for c in "\t\n\r\x00\x1b\u200b\u202e")
    assert cleaned == cleaned.strip()


def test_a_control_character_in_an_actor_never_reaches_the_log(office):
    from civic.events import SettingChanged

    hostile = office.as_actor(Operator("x\x1b[2J" + "y" * 200, "operator"))
    hostile.record(SettingChanged(key="k", value=None, old=None))
    actor = _last(office).actor
    assert "\x1b" not in actor and len(actor) == ACTOR_MAX
    assert audit.verify(office.db).broken_at is None  # the chain covers the cleaned text


def test_operator_names_are_plain(office):
    for bad in ("two words", "tab\tname", "z" * (ACTOR_MAX + 1)):
        with pytest.raises(CivicError, match="at most"):
            invite_operator(_admin(office), bad, "viewer")


def test_the_database_holds_no_setup_code(office):
    _user, code, _expires = invite_operator(_admin(office), "newbie", "viewer")
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    conn = sqlite3.connect(path)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert code not in dump and code.replace("-", "") not in dump
