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


@pytest.fixture
def drafted(registry):
    """`registry` with one draft notice in both languages."""
    from civic import notices

    notices.draft(registry, kind="general", subject="appointment:C0002",
                  title={"zh_CN": "干部任前公示", "en": "Notice before appointment"},
                  body={"zh_CN": "拟任命李明同志为西山区委书记。",
                        "en": "Li Ming is proposed as Party Secretary of Xishan District."})
    return registry


Driver = AppDriver  # the name this suite's tests know it by


@pytest.fixture
def driver(pm, db_path) -> Driver:
    return Driver(pm, db_path)
