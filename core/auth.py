"""Operators, roles, passwords (scrypt) and co-signatures.

Roles: admin (everything, and users), operator (changes data), supervisor (the discipline
commission: witnesses and co-signs, changes nothing alone), viewer (reads only).

A password is its person's own. An admin who adds an account (any role: an operator's password
is theirs as much as a supervisor's) gets a one-time setup code, shown once, stored only as a
scrypt hash and expiring after SETUP_VALID; the person chooses their password with it
(`activate`). Only building a new office (`civic init`, `civic demo`, tests) seeds accounts
with a password (`add_operator`, no actor). Adding, re-keying, promoting, deactivating or
reactivating a supervisor is co-signed by another active supervisor; the last active admin and
the last active supervisor cannot be deactivated or demoted. Every change to an operator's row
is audited with the digest of the row as written, which `civic audit verify` checks.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import unicodedata

from civic.audit import ACTOR_MAX, operator_state
from civic.db import Database
from civic.errors import CivicError, PermissionDenied
from civic.events import (
    UNKNOWN_NAME,
    AccessRefused,
    OperatorActivated,
    OperatorAdded,
    OperatorDeactivated,
    OperatorReactivated,
    PasswordChanged,
    RoleChanged,
    SetupCodeIssued,
)
from civic.i18n import _
from civic.office import Office, Operator
from civic.vocabulary import label

ROLES = ("admin", "operator", "supervisor", "viewer")
CHANGE_ROLES = frozenset({"admin", "operator"})
ADMIN_ROLES = frozenset({"admin"})
ANY_ROLE = frozenset(ROLES)
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 6
SETUP_VALID = dt.timedelta(days=3)
# No 0/O, 1/I/L: a code read aloud or copied from paper is typed right the first time.
SETUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SETUP_GROUPS, SETUP_GROUP_LEN = 3, 4  # 12 characters, ~59 bits


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    enc = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${enc(salt).decode()}${enc(key).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                         p=int(p))
    return hmac.compare_digest(got, base64.b64decode(key))


def get_operator(db: Database, name: str) -> Operator | None:
    row = db.execute("SELECT name, role FROM operators WHERE name = ? AND active = 1",
                     (name,)).fetchone()
    return Operator(*row) if row else None


def list_operators(db: Database) -> list[dict]:
    """Every account with its state: active, deactivated, or waiting for its setup code."""
    rows = list(db.query(
        "SELECT name, role, created_at, active, setup_expires FROM operators ORDER BY name"))
    for row in rows:
        row["state"] = ("deactivated" if not row["active"] else
                        "pending" if row["setup_expires"] else "active")
    return rows


def pending_setup(db: Database, name: str) -> bool:
    """True if `name` is an active account waiting for its person to use the setup code."""
    row = db.execute("SELECT 1 FROM operators WHERE name = ? AND active = 1 AND"
                     " setup_expires IS NOT NULL", (name,)).fetchone()
    return row is not None


def _count_active(db: Database, role: str, but: str | None = None) -> int:
    return db.execute("SELECT count(*) FROM operators WHERE role = ? AND active = 1"
                      " AND name IS NOT ?", (role, but)).fetchone()[0]


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise CivicError(_("An operator needs a name."))
    if len(name) > ACTOR_MAX or any(unicodedata.category(c)[0] in "CZ" for c in name):
        raise CivicError(_("An operator's name is at most {n} characters, without spaces or "
                           "control characters.").format(n=ACTOR_MAX))
    return name


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise CivicError(_("Unknown role {role}; choose one of {roles}.").format(
            role=role, roles=", ".join(ROLES)))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise CivicError(_("A password needs at least {n} characters.").format(n=MIN_PASSWORD))


def _row(db: Database, name: str) -> tuple[str, int, str | None] | None:
    """(role, active, setup_expires) of any account, active or not."""
    return db.execute("SELECT role, active, setup_expires FROM operators WHERE name = ?",
                      (name,)).fetchone()


def add_operator(office: Office, name: str, role: str, password: str, *,
                 salt: bytes | None = None) -> Operator:
    """Seed an account with a known password while a new office is built (`civic init`,
    `civic demo`, test fixtures): no one is logged in. A person acting (an admin) must use
    `invite_operator`: the password is then its person's own. `salt` is for the demo only,
    whose password is public anyway (the audited row digest then repeats build to build)."""
    if office.actor is not None:
        raise PermissionDenied(_("An operator's password is their own: add the account with a "
                                 "setup code (civic user add)."))
    _check_role(role)
    name = _check_name(name)
    _check_password(password)
    if _row(office.db, name) is not None:
        raise CivicError(_("Operator {name} exists already.").format(name=name))
    with office.change() as change:
        office.db["operators"].insert({
            "name": name, "role": role, "password_hash": hash_password(password, salt),
            "created_at": office.now().isoformat(), "active": 1,
        })
        change.record(OperatorAdded(name=name, role=role,
                                    state=operator_state(office.db, name) or ""))
    return Operator(name, role)


def new_setup_code() -> str:
    import secrets  # here: it imports random (some 5 ms), which a login never needs

    chars = [secrets.choice(SETUP_ALPHABET) for _i in range(SETUP_GROUPS * SETUP_GROUP_LEN)]
    return "-".join("".join(chars[i:i + SETUP_GROUP_LEN])
                    for i in range(0, len(chars), SETUP_GROUP_LEN))


def _normal_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _require_admin(office: Office, action: str) -> Operator:
    actor = office.actor
    if actor is None:
        raise PermissionDenied(_("Log in as an admin to {action}.").format(action=action))
    require_role(office, actor, action, ADMIN_ROLES)
    return actor


def _require_supervisor_cosign(office: Office, cosigner: Operator | None, action: str,
                               target: str) -> None:
    """A supervisor's step needs another active supervisor: not the actor, not the target."""
    actor = office.actor
    if cosigner is None:
        raise refuse(office, actor.name if actor else UNKNOWN_NAME, action,
                     _("A supervisor's co-signature is needed to {action}.").format(
                         action=action))
    signer = get_operator(office.db, cosigner.name)
    if pending_setup(office.db, cosigner.name):  # no password of their own yet: no signature
        signer = None
    if signer is None or signer.role != "supervisor":
        raise refuse(office, cosigner.name, action,
                     _("{name} is not a supervisor and cannot co-sign.").format(
                         name=cosigner.name))
    if actor is not None and signer.name == actor.name:
        raise refuse(office, signer.name, action,
                     _("The co-signer must be someone other than the operator."))
    if signer.name == target:
        raise refuse(office, signer.name, action,
                     _("A supervisor cannot co-sign a change to their own account."))


def _issue_code(office: Office, name: str) -> tuple[str, str]:
    """Store a new setup code's hash and expiry for `name` (inside the caller's change)."""
    code = new_setup_code()
    expires = (office.now() + SETUP_VALID).isoformat()
    office.db.execute("UPDATE operators SET password_hash = '', setup_hash = ?,"
                      " setup_expires = ? WHERE name = ?",
                      (hash_password(_normal_code(code)), expires, name))
    return code, expires


def invite_operator(office: Office, name: str, role: str, *,
                    cosigner: Operator | None = None) -> tuple[Operator, str, str]:
    """An admin adds an account; returns (operator, setup code, expiry). The code is shown
    once to the admin, who hands it to the person; only its hash is kept. A supervisor's
    account is co-signed by an active supervisor (unless the office has never had one)."""
    action = _("add an operator")
    _require_admin(office, action)
    _check_role(role)
    name = _check_name(name)
    if _row(office.db, name) is not None:
        raise CivicError(_("Operator {name} exists already.").format(name=name))
    cosigned = None
    if role == "supervisor" and _has_had_supervisor(office.db):
        _require_supervisor_cosign(office, cosigner, _("add a supervisor"), name)
        cosigned = cosigner
    with office.change() as change:
        office.db["operators"].insert({
            "name": name, "role": role, "password_hash": "",
            "created_at": office.now().isoformat(), "active": 1,
        })
        code, expires = _issue_code(office, name)
        change.record(OperatorAdded(name=name, role=role,
                                    state=operator_state(office.db, name) or "",
                                    setup_expires=expires), cosigned)
    return Operator(name, role), code, expires


def cosign_needed(db: Database, name: str, role: str | None = None) -> bool:
    """Whether a change to account `name` (to `role`, if given) needs a supervisor's
    co-signature: it touches a supervisor, and the office has had one to sign."""
    row = _row(db, name)
    roles = {role, row[0] if row else None}
    return "supervisor" in roles and _has_had_supervisor(db)


def _has_had_supervisor(db: Database) -> bool:
    return db.execute("SELECT 1 FROM operators WHERE role = 'supervisor'").fetchone() is not None


def _existing(office: Office, name: str) -> tuple[str, int, str | None]:
    row = _row(office.db, name)
    if row is None:
        raise CivicError(_("No operator {name}.").format(name=name))
    return row


def reissue_setup_code(office: Office, name: str, *,
                       cosigner: Operator | None = None) -> tuple[str, str]:
    """A new setup code for an account whose code expired or whose person forgot the
    password; the old password stops working. For a supervisor, co-signed."""
    action = _("issue a setup code")
    _require_admin(office, action)
    role, active, _expires = _existing(office, name)
    if not active:
        raise CivicError(_("{name} is deactivated; reactivate the account first.").format(
            name=name))
    if role == "supervisor":
        _require_supervisor_cosign(office, cosigner, action, name)
    with office.change() as change:
        code, expires = _issue_code(office, name)
        change.record(SetupCodeIssued(name=name, role=role, expires=expires,
                                      state=operator_state(office.db, name) or ""),
                      cosigner if role == "supervisor" else None)
    return code, expires


def activate(office: Office, name: str, code: str, password: str) -> Operator:
    """The person behind a new (or re-keyed) account chooses their password with the code."""
    action = _("set a password with a setup code")
    row = office.db.execute(
        "SELECT role, setup_hash, setup_expires FROM operators WHERE name = ? AND active = 1",
        (name,)).fetchone()
    me = office.as_actor(Operator(name, row[0]) if row else None)
    if row is None or row[1] is None:
        who = name if row else UNKNOWN_NAME
        raise refuse(office.as_actor(Operator(who, "unknown")), who, action,
                     _("No setup is waiting for this operator name."))
    if not check_password(_normal_code(code), row[1]):
        raise refuse(me, name, action, _("Wrong setup code for {name}.").format(name=name))
    if office.now() >= dt.datetime.fromisoformat(row[2]):
        raise refuse(me, name, action, _("The setup code for {name} has expired; ask an admin "
                                         "for a new one.").format(name=name))
    _check_password(password)
    with me.change() as change:
        me.db.execute("UPDATE operators SET password_hash = ?, setup_hash = NULL,"
                      " setup_expires = NULL WHERE name = ?", (hash_password(password), name))
        change.record(OperatorActivated(name=name, state=operator_state(me.db, name) or ""))
    return Operator(name, row[0])


def change_password(office: Office, name: str, old: str, new: str) -> Operator:
    """Any operator changes their own password: the old one first."""
    operator = authenticate(office, name, old, _("change a password"))
    _check_password(new)
    me = office.as_actor(operator)
    with me.change() as change:
        me.db.execute("UPDATE operators SET password_hash = ? WHERE name = ?",
                      (hash_password(new), name))
        change.record(PasswordChanged(name=name, state=operator_state(me.db, name) or ""))
    return operator


def _keep_last(office: Office, name: str, role: str, action: str) -> None:
    """Never leave the office without an active admin or an active supervisor."""
    if role in ("admin", "supervisor") and _count_active(office.db, role, but=name) == 0:
        raise CivicError(_("{name} is the last active {role}; add another before you "
                           "{action}.").format(name=name, role=label(role), action=action))


def deactivate(office: Office, name: str, *, cosigner: Operator | None = None) -> None:
    """An admin deactivates an account: it can no longer log in, act or co-sign."""
    action = _("deactivate an operator")
    _require_admin(office, action)
    role, active, _expires = _existing(office, name)
    if not active:
        raise CivicError(_("{name} is deactivated already.").format(name=name))
    _keep_last(office, name, role, action)
    if role == "supervisor":
        _require_supervisor_cosign(office, cosigner, action, name)
    with office.change() as change:
        office.db.execute("UPDATE operators SET active = 0 WHERE name = ?", (name,))
        change.record(OperatorDeactivated(name=name, role=role,
                                          state=operator_state(office.db, name) or ""),
                      cosigner if role == "supervisor" else None)


def reactivate(office: Office, name: str, *, cosigner: Operator | None = None) -> None:
    """An admin reactivates a deactivated account (a supervisor's: co-signed)."""
    action = _("reactivate an operator")
    _require_admin(office, action)
    role, active, _expires = _existing(office, name)
    if active:
        raise CivicError(_("{name} is active already.").format(name=name))
    if role == "supervisor":
        _require_supervisor_cosign(office, cosigner, action, name)
    with office.change() as change:
        office.db.execute("UPDATE operators SET active = 1 WHERE name = ?", (name,))
        change.record(OperatorReactivated(name=name, role=role,
                                          state=operator_state(office.db, name) or ""),
                      cosigner if role == "supervisor" else None)


def change_role(office: Office, name: str, role: str, *,
                cosigner: Operator | None = None) -> None:
    """An admin changes an account's role; making or unmaking a supervisor is co-signed."""
    action = _("change an operator's role")
    _require_admin(office, action)
    _check_role(role)
    old, active, _expires = _existing(office, name)
    if old == role:
        raise CivicError(_("{name} is a {role} already.").format(name=name, role=label(role)))
    if active:
        _keep_last(office, name, old, action)
    signed = "supervisor" in (old, role)
    if signed:
        _require_supervisor_cosign(office, cosigner, action, name)
    with office.change() as change:
        office.db.execute("UPDATE operators SET role = ? WHERE name = ?", (role, name))
        change.record(RoleChanged(name=name, role=role, old=old,
                                  state=operator_state(office.db, name) or ""),
                      cosigner if signed else None)


def refuse(office: Office, name: str, action: str, reason: str) -> PermissionDenied:
    """Audit a refusal in its own transaction and return the error to raise."""
    with office.change(refusal=True) as change:
        change.record(AccessRefused(name=name, action=action, reason=reason))
    return PermissionDenied(reason)


def authenticate(office: Office, name: str, password: str, action: str) -> Operator:
    """Check name and password; a failure is audited and refused.

    A name that matches no account is recorded as UNKNOWN_NAME, never as typed: what was
    typed may be a password (a Tab lost between the two fields)."""
    stored = office.db.execute(
        "SELECT role, password_hash, active, setup_expires FROM operators WHERE name = ?",
        (name,)).fetchone()
    if stored is None:
        raise refuse(office.as_actor(Operator(UNKNOWN_NAME, "unknown")), UNKNOWN_NAME, action,
                     _("Wrong operator name or password."))
    me = office.as_actor(Operator(name, stored[0]))
    if not stored[2]:
        raise refuse(me, name, action, _("{name}'s account is deactivated.").format(name=name))
    if stored[3] is not None:
        raise refuse(me, name, action, _(
            "{name} has not chosen a password yet: use the setup code "
            "(civic user activate, or the login screen).").format(name=name))
    if not check_password(password, stored[1]):
        raise refuse(me, name, action, _("Wrong operator name or password."))
    return Operator(name, stored[0])


def require_role(office: Office, operator: Operator, action: str,
                 roles: frozenset[str] = CHANGE_ROLES) -> None:
    if operator.role not in roles:
        raise refuse(office.as_actor(operator), operator.name, action,
                     _("{name} is a {role} and may not {action}.").format(
                         name=operator.name, role=label(operator.role), action=action))


def login(office: Office, name: str, password: str, action: str,
          roles: frozenset[str] = CHANGE_ROLES) -> Operator:
    """Authenticate and check the role in one step; returns the operator."""
    operator = authenticate(office, name, password, action)
    require_role(office, operator, action, roles)
    return operator


def cosign(office: Office, actor: Operator, supervisor: str, password: str,
           action: str) -> Operator:
    """A supervisor's co-signature: a different person, with the supervisor role."""
    if not supervisor:
        raise refuse(office.as_actor(actor), actor.name, action,
                     _("A supervisor's co-signature is needed to {action}.").format(action=action))
    signer = authenticate(office, supervisor, password, action)
    if signer.role != "supervisor":
        raise refuse(office.as_actor(actor), signer.name, action,
                     _("{name} is not a supervisor and cannot co-sign.").format(name=signer.name))
    if signer.name == actor.name:
        raise refuse(office.as_actor(actor), signer.name, action,
                     _("The co-signer must be someone other than the operator."))
    return signer


def require_cosigner(office: Office, cosigner: Operator | None, action: str) -> None:
    """A step's co-signer must be a supervisor other than the operator (the signer was
    authenticated by `cosign`; this checks what a caller of the domain function passed)."""
    if cosigner is None or not isinstance(cosigner, Operator):
        raise PermissionDenied(_("A supervisor's co-signature is needed to {action}.")
                               .format(action=action))
    if cosigner.role != "supervisor":
        raise PermissionDenied(_("{name} is not a supervisor and cannot co-sign.")
                               .format(name=cosigner.name))
    if office.actor is not None and office.actor.name == cosigner.name:
        raise PermissionDenied(_("The co-signer must be someone other than the operator."))
