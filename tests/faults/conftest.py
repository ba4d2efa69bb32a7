"""Fault tests: crashes, storage failures, tampering, bad input, roles, secrecy, templates.

`pytest --long-faults` runs the long mode: 200 crash seeds instead of 20 and more
hypothesis examples. The normal mode keeps the whole folder well under two minutes.
(The option itself is declared in tests/conftest.py: pytest reads options from the root.)
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from civic.db import migrate, open_db
from civic.office import Office, Operator

PASSWORD = "secret-pass"
FIXED_NOW = dt.datetime(2008, 7, 1, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def pytest_generate_tests(metafunc):
    if "crash_seed" in metafunc.fixturenames:
        long = metafunc.config.getoption("--long-faults")
        metafunc.parametrize("crash_seed", range(200 if long else 20))


@pytest.fixture(scope="session")
def long_faults(request) -> bool:
    return bool(request.config.getoption("--long-faults"))


def build_office(path: Path, pm) -> Office:
    """A database with the four operators and the example units and positions."""
    from civic.auth import add_operator
    from civic.importers import import_file

    db = open_db(path)
    migrate(db, pm)
    office = Office(db, pm, clock=lambda: FIXED_NOW)
    for name, role in (("admin", "admin"), ("op", "operator"), ("sup", "supervisor"),
                       ("view", "viewer")):
        add_operator(office, name, role, PASSWORD)
    office = office.as_actor(Operator("op", "operator"))
    import_file(office, "units", EXAMPLES / "units.csv")
    import_file(office, "positions", EXAMPLES / "positions.csv")
    import_file(office, "people", EXAMPLES / "people.csv")
    return office


def write_people(path: Path, count: int, start: int = 0) -> Path:
    """A clean people file of `count` new people."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "姓名", "性别", "出生日期", "职级", "任现职级时间", "单位", "状态"])
        for i in range(start, start + count):
            w.writerow([f"X{i:06d}", f"测试{i}", "男女"[i % 2], f"{1960 + i % 30}-0{1 + i % 9}-1{i % 9}",
                        "正科", "2005-03", "KM", "在职"])
    return path


@pytest.fixture(scope="session")
def office_template(tmp_path_factory, pm) -> Path:
    """A closed, checkpointed office file that tests copy instead of rebuilding."""
    path = tmp_path_factory.mktemp("template") / "office.db"
    office = build_office(path, pm)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    office.db.close()
    return path


@pytest.fixture
def fault_office(office_template, tmp_path, pm):
    """A fresh copy of the template office, operator `op` logged in, fixed clock."""
    path = tmp_path / "office.db"
    shutil.copy(office_template, path)
    db = open_db(path)
    migrate(db, pm)
    office = Office(db, pm, actor=Operator("op", "operator"), clock=lambda: FIXED_NOW)
    yield office
    db.close()


@pytest.fixture(scope="session")
def make_people():
    return write_people


@pytest.fixture
def copy_office(office_template, tmp_path):
    """Copy the template office to a new path (for child processes that open it)."""
    counter = iter(range(10**6))

    def copy(name: str | None = None) -> Path:
        path = tmp_path / (name or f"office-{next(counter)}.db")
        shutil.copy(office_template, path)
        return path

    return copy


@pytest.fixture(scope="session")
def office_builder():
    """`build_office(path, pm)`: tests cannot import this conftest (importlib mode)."""
    return build_office


@pytest.fixture(scope="session")
def fixed_now() -> dt.datetime:
    return FIXED_NOW
