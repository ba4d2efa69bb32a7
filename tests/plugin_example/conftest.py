"""The example plugin is not installed (no entry point): civic.testing loads it by fixture."""

from __future__ import annotations

import pytest

from . import plugin


@pytest.fixture(scope="module")
def civic_plugins():
    return (plugin,)
