"""Shared fixtures: an office on a fresh database, operators of every role, a CLI runner."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

pytest.register_assert_rewrite("civic.testing")  # before it is imported, here and below

from hypothesis import HealthCheck, settings  # noqa: E402

from civic.pm import make_plugin_manager  # noqa: E402
from civic.testing import FIXED_NOW, PASSWORD  # noqa: E402

__all__ = ["FIXED_NOW", "PASSWORD"]

# No timing in tests: hypothesis's per-example deadline and its "input generation is slow"
# check fail a correct test on a loaded machine (CI shares its cores). Tests that set their
# own settings keep them; these are the defaults they build on.
settings.register_profile("civic", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("civic")
# civic.testing's fixtures, the ones plugin authors use, for this suite too.
pytest_plugins = ["civic.testing"]


@pytest.fixture(autouse=True)
def _english(civic_english):
    """Tests read messages in English unless they choose otherwise (civic.testing)."""
    yield


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager()


@pytest.fixture
def db_path(civic_db_path):
    return civic_db_path


@pytest.fixture
def office(civic_office):
    """An office with operators admin, op, sup (supervisor) and view (viewer), acting as op:
    civic.testing's, the one plugins' tests use."""
    return civic_office


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
