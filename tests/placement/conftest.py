"""A registry with the example units and positions, and a sealed batch set up from
examples/placement/ (8 officers, 6 posts, 7 seats, lists for everyone)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from civic.importers import import_file
from civic.plugins.placement import actions

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples"
PLACEMENT = EXAMPLES / "placement"
SCHEME = EXAMPLES / "placement-scheme.toml"
CUTOFF = dt.date(2008, 6, 30)
SEED = 2008


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


@pytest.fixture
def registry(civic_office):  # civic.testing's office: operators admin, op, sup, view
    office = civic_office
    import_file(office, "units", EXAMPLES / "units.csv")
    import_file(office, "positions", EXAMPLES / "positions.csv")
    import_file(office, "positions", PLACEMENT / "positions.csv")
    return office


def make_batch(office, mode: str = "sealed", seed: int | None = SEED, *,
               officers: Path = PLACEMENT / "officers.csv", posts: Path = PLACEMENT / "posts.csv",
               preferences: Path | None = PLACEMENT / "preferences.csv") -> int:
    batch = actions.new_batch(office, "2008年军转干部安置（测试）", CUTOFF, mode, seed)
    actions.set_scheme(office, batch, SCHEME)
    actions.import_officers(office, batch, officers)
    actions.import_posts(office, batch, posts)
    if preferences is not None and mode == "sealed":
        actions.import_preferences(office, batch, preferences)
    return batch


@pytest.fixture
def batch(registry):
    return make_batch(registry)


@pytest.fixture(scope="session")
def helpers():
    """The module's helpers, for tests (conftest modules are not importable by name)."""
    import sys

    return sys.modules[__name__]
