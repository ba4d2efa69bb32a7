"""A small office for the app's tests: three units, three positions, five people, and helpers
to log in and to wait for the app's workers."""

from __future__ import annotations

import pytest

from civic.testing import FIXED_NOW, PASSWORD, PEOPLE, POSITIONS, UNITS, AppDriver

__all__ = ["FIXED_NOW", "PASSWORD", "PEOPLE", "POSITIONS", "UNITS"]


@pytest.fixture
def registry(office, tmp_path):
    """The `office` fixture (operators admin, op, sup, view) with a small registry."""
    from civic.testing import load_sample_registry

    return load_sample_registry(office, tmp_path)


Driver = AppDriver  # the name this suite's tests know it by


@pytest.fixture
def driver(pm, db_path) -> Driver:
    return Driver(pm, db_path)
