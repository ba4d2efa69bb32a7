"""Roles, passwords and co-signatures; refusals are audited."""

from __future__ import annotations

import pytest

from civic import audit
from civic.auth import authenticate, check_password, cosign, hash_password, login
from civic.errors import PermissionDenied
from civic.office import Operator
from tests.conftest import PASSWORD


def test_scrypt_hash_round_trip():
    stored = hash_password("p4ssword")
    assert stored.startswith("scrypt$")
    assert check_password("p4ssword", stored)
    assert not check_password("wrong", stored)
    assert hash_password("p4ssword") != stored  # salted


def test_passwords_are_not_stored_in_clear(office):
    stored = [r["password_hash"] for r in office.db["operators"].rows]
    assert all(PASSWORD not in s for s in stored)


@pytest.mark.parametrize(
    ("name", "password", "allowed"),
    [("op", PASSWORD, True), ("admin", PASSWORD, True), ("view", PASSWORD, False),
     ("sup", PASSWORD, False), ("op", "wrong", False), ("nobody", PASSWORD, False)],
)
def test_who_may_change_data(office, name, password, allowed):
    before = audit.head(office.db)[0]
    if allowed:
        assert login(office, name, password, "import people").name == name
        assert audit.head(office.db)[0] == before
    else:
        with pytest.raises(PermissionDenied):
            login(office, name, password, "import people")
        last = audit.entries(office.db, limit=1)[0]
        assert last.type == "core.access_refused"
        # A typed name that matches no operator is never kept (it may be a password).
        assert last.data()["name"] == (name if name != "nobody" else "?")
        assert "nobody" not in last.payload + last.actor
        assert last.data()["action"] == "import people"


@pytest.mark.parametrize(
    ("supervisor", "password", "ok"),
    [("sup", PASSWORD, True), ("sup", "bad", False), ("admin", PASSWORD, False),
     ("op", PASSWORD, False), ("", "", False)],
)
def test_cosignature_needs_a_different_supervisor(office, supervisor, password, ok):
    actor = Operator("op", "operator")
    if ok:
        assert cosign(office, actor, supervisor, password, "certify").name == "sup"
    else:
        with pytest.raises(PermissionDenied):
            cosign(office, actor, supervisor, password, "certify")


def test_authenticate_returns_role(office):
    assert authenticate(office, "sup", PASSWORD, "x") == Operator("sup", "supervisor")
