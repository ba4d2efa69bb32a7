"""Shared fixtures: an office on a fresh database, operators of every role, a CLI runner."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from click.testing import CliRunner

from civic.db import migrate, open_db
from civic.i18n import set_language
from civic.office import Office, Operator
from civic.pm import make_plugin_manager

PASSWORD = "secret-pass"
FIXED_NOW = dt.datetime(2008, 7, 1, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """Tests read messages in English unless they choose otherwise."""
    for var in ("CIVIC_DB", "CIVIC_USER", "CIVIC_PASSWORD", "CIVIC_SUPERVISOR",
                "CIVIC_SUPERVISOR_PASSWORD", "CIVIC_NEW_PASSWORD", "CIVIC_LOAD_PLUGINS",
                "CIVIC_HOLIDAYS", "CIVIC_TEMPLATES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CIVIC_LANG", "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "office.db"


@pytest.fixture
def office(db_path, pm):
    """An office with operators admin, op, sup (supervisor) and view (viewer)."""
    from civic.auth import add_operator

    db = open_db(db_path)
    migrate(db, pm)
    office = Office(db, pm, clock=lambda: FIXED_NOW)
    for name, role in (("admin", "admin"), ("op", "operator"), ("sup", "supervisor"),
                       ("view", "viewer")):
        # A fixed salt per name: the audit log vouches for each operator row by its digest,
        # and the chain head this gives is printed in snapshots, so it must not vary by run.
        add_operator(office, name, role, PASSWORD, salt=f"test-salt-{name}".encode()[:16])
    yield office.as_actor(Operator("op", "operator"))
    db.close()


@pytest.fixture
def cli_env(db_path, office):
    """Environment for CliRunner: the office's database, operator `op` logged in."""
    return {"CIVIC_DB": str(db_path), "CIVIC_USER": "op", "CIVIC_PASSWORD": PASSWORD,
            "CIVIC_LANG": "en"}


@pytest.fixture
def run_cli(pm, cli_env):
    """Invoke the civic CLI in-process; returns click's Result."""
    from civic.cli.main import build_cli

    def run(*args: str, env: dict | None = None, input: str | None = None):
        cli = build_cli(pm)
        merged = {**cli_env, **(env or {})}
        return CliRunner().invoke(cli, list(args), env=merged, input=input,
                                  catch_exceptions=False)

    return run


def pytest_collection_modifyitems(config, items):
    # Wheel runs (CI) must not see the source tree: fail loudly if they would.
    if os.environ.get("CIVIC_TESTING_WHEEL"):
        import civic

        assert "site-packages" in civic.__file__, civic.__file__


def pytest_addoption(parser):
    # Declared here, not in tests/faults/conftest.py: pytest reads options from the root only.
    parser.addoption("--long-faults", action="store_true", default=False,
                     help="Fault tests: 200 crash seeds and more hypothesis examples.")
