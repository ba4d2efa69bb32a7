"""Operators, roles, passwords (scrypt) and co-signatures.

Roles: admin (everything, and users), operator (changes data), supervisor (the discipline
commission: witnesses and co-signs, changes nothing alone), viewer (reads only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from civic.db import Database
from civic.errors import CivicError, PermissionDenied
from civic.events import AccessRefused, OperatorAdded
from civic.i18n import _
from civic.office import Office, Operator
from civic.vocabulary import label

ROLES = ("admin", "operator", "supervisor", "viewer")
CHANGE_ROLES = frozenset({"admin", "operator"})
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = os.urandom(16)
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
    return list(db.query("SELECT name, role, created_at, active FROM operators ORDER BY name"))


def add_operator(office: Office, name: str, role: str, password: str) -> Operator:
    """Create an operator. The first one (the database's admin) needs no actor."""
    if role not in ROLES:
        raise CivicError(_("Unknown role {role}; choose one of {roles}.").format(
            role=role, roles=", ".join(ROLES)))
    if not name.strip():
        raise CivicError(_("An operator needs a name."))
    if len(password) < 6:
        raise CivicError(_("A password needs at least 6 characters."))
    if get_operator(office.db, name) is not None:
        raise CivicError(_("Operator {name} exists already.").format(name=name))
    with office.change() as change:
        office.db["operators"].insert({
            "name": name, "role": role, "password_hash": hash_password(password),
            "created_at": office.now().isoformat(), "active": 1,
        })
        change.record(OperatorAdded(name=name, role=role))
    return Operator(name, role)


def refuse(office: Office, name: str, action: str, reason: str) -> PermissionDenied:
    """Audit a refusal in its own transaction and return the error to raise."""
    with office.change() as change:
        change.record(AccessRefused(name=name, action=action, reason=reason))
    return PermissionDenied(reason)


def authenticate(office: Office, name: str, password: str, action: str) -> Operator:
    """Check name and password; a failure is audited and refused."""
    stored = office.db.execute(
        "SELECT role, password_hash FROM operators WHERE name = ? AND active = 1",
        (name,)).fetchone()
    if stored is None or not check_password(password, stored[1]):
        raise refuse(office.as_actor(Operator(name or "?", "unknown")), name, action,
                     _("Wrong operator name or password for {name}.").format(name=name))
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
