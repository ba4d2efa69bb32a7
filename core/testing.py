"""Test helpers for civic and its plugins: an office, a small registry, a logged-in app, a CLI.

A plugin's tests load them as a pytest plugin, in their conftest.py:

    pytest_plugins = ["civic.testing"]

and then take the fixtures: `civic_pm` (the plugin manager: every installed plugin, and
those `civic_plugins` names; override that fixture for a plugin not installed),
`civic_office` (a migrated office with an operator of each role, acting as `op`),
`civic_registry` (the same with three units, three positions and five people),
`civic_cli` (runs `civic ...` in-process, logged in as `op`) and `civic_app` (builds the app
and logs in under `App.run_test()`). The functions behind them are usable alone.
Everything is in English unless a test asks otherwise; times come from `FIXED_NOW`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from civic.office import Office, Operator

if TYPE_CHECKING:
    import pluggy
    from click.testing import Result
    from textual.pilot import Pilot

    from civic.tui.app import CivicApp

PASSWORD = "secret-pass"
FIXED_NOW = dt.datetime(2008, 7, 1, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# One operator of each role; `op` is who a test acts as unless it says otherwise.
OPERATORS = (("admin", "admin"), ("op", "operator"), ("sup", "supervisor"), ("view", "viewer"))
ENVIRONMENT = ("CIVIC_DB", "CIVIC_USER", "CIVIC_PASSWORD", "CIVIC_SUPERVISOR",
               "CIVIC_SUPERVISOR_PASSWORD", "CIVIC_NEW_PASSWORD", "CIVIC_LOAD_PLUGINS",
               "CIVIC_HOLIDAYS", "CIVIC_TEMPLATES")

UNITS = """code,name,parent,kind
KM,昆明市,,city
KM-GOV,昆明市人民政府,KM,department
KM-XS,西山区,KM,district
"""

POSITIONS = """编号,职位名称,单位,职级,职数,最低职级,任职年限,最高年龄,最低学历,党员要求,备注
P-MSZ,市政府秘书长,KM-GOV,正处,1,副处,2,50,本科,是,熟悉政府运行
P-XSSJ,西山区委书记,KM-XS,正处,1,副处,2,50,本科,是,
P-XSFQ,西山区副区长,KM-XS,副处,2,正科,3,45,大专,否,
"""

PEOPLE = """编号,姓名,性别,出生日期,民族,籍贯,身份证号,政治面貌,学历,职级,任现职级时间,单位,职位,状态
C0001,张建华,男,1962-03-15,汉族,云南昆明,11010519491231002X,中共党员,硕士,正处,2003-05,KM-GOV,P-MSZ,在职
C0002,李明,男,1966-08-01,汉族,云南曲靖,,中共党员,本科,副处,2004-01,KM-XS,,在职
C0003,王丽,女,1970-11-02,彝族,云南楚雄,,群众,本科,副处,2007-03,KM-XS,P-XSFQ,在职
C0004,赵强,男,1950-01-20,汉族,四川成都,,中共党员,本科,正处,1998-10,KM-XS,,在职
C0005,陈静,女,1975-05-05,白族,云南大理,,中共党员,大专,正科,2006-05,KM-XS,,后备
"""


def make_office(db_path: str | Path, pm: pluggy.PluginManager,
                clock: Callable[[], dt.datetime] = lambda: FIXED_NOW,
                actor: str = "op") -> Office:
    """A migrated office at `db_path` with `OPERATORS` (password `PASSWORD`), acting as
    `actor`. The caller closes `office.db`."""
    from civic.auth import add_operator
    from civic.db import migrate, open_db

    db = open_db(db_path)
    migrate(db, pm)
    office = Office(db, pm, clock=clock)
    for name, role in OPERATORS:
        # A fixed salt per name: the audit log vouches for each operator row by its digest,
        # and the chain head this gives is printed in snapshots, so it must not vary by run.
        add_operator(office, name, role, PASSWORD, salt=f"test-salt-{name}".encode()[:16])
    return office.as_actor(Operator(actor, dict(OPERATORS)[actor]))


def load_sample_registry(office: Office, folder: str | Path) -> Office:
    """Import `UNITS`, `POSITIONS` and `PEOPLE` (written as CSV files into `folder`)."""
    from civic.importers import import_file

    for kind, text in (("units", UNITS), ("positions", POSITIONS), ("people", PEOPLE)):
        path = Path(folder) / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(office, kind, path)
    return office


def cli_runner(pm: pluggy.PluginManager, db_path: str | Path, *, user: str = "op",
               lang: str = "en") -> Callable[..., Result]:
    """`run("people", "show", "C0001", env=..., input=...)`: the CLI in-process on the
    office file, `user` logged in (password `PASSWORD`, the supervisor's too); returns
    click's Result and lets exceptions through, so a traceback fails the test."""
    from click.testing import CliRunner

    from civic.cli.main import build_cli

    base = {"CIVIC_DB": str(db_path), "CIVIC_USER": user, "CIVIC_PASSWORD": PASSWORD,
            "CIVIC_SUPERVISOR_PASSWORD": PASSWORD, "CIVIC_LANG": lang}

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        return CliRunner().invoke(build_cli(pm), list(args), env={**base, **(env or {})},
                                  input=input, catch_exceptions=False)

    return run


class AppDriver:
    """Builds the app on a test database and drives it: log in, wait for workers, read text.

        async with driver.app().run_test(size=(140, 44)) as pilot:
            await driver.login(pilot)
    """

    def __init__(self, pm: pluggy.PluginManager, db_path: str | Path,
                 clock: Callable[[], dt.datetime] = lambda: FIXED_NOW) -> None:
        self.pm = pm
        self.db_path = db_path
        self.clock = clock

    def app(self, pm: pluggy.PluginManager | None = None, lang: str = "en") -> CivicApp:
        from civic.tui.app import CivicApp

        return CivicApp(pm or self.pm, self.db_path, clock=self.clock, lang=lang)

    @staticmethod
    async def settle(pilot: Pilot) -> None:
        """Let the screen process its messages and every worker finish (and post back)."""
        for _i in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def login(self, pilot: Pilot, name: str = "op", password: str = PASSWORD) -> None:
        from textual.widgets import Input

        await self.settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#login-name", Input).value = name
        screen.query_one("#login-password", Input).value = password
        screen.query_one("#login-password", Input).focus()
        await pilot.press("enter")
        await self.settle(pilot)

    @staticmethod
    def text(widget: Any) -> str:
        """What a Static or Label shows, as plain text (Rich tables included)."""
        from rich.console import Console

        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(widget.content)
        return console.export_text()


# --- pytest fixtures (pytest_plugins = ["civic.testing"]) -------------------------------------

@pytest.fixture
def civic_english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No civic variable from the developer's shell, English messages."""
    from civic.i18n import set_language

    for var in ENVIRONMENT:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CIVIC_LANG", "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="module")
def civic_plugins() -> tuple[Any, ...]:
    """Plugins to load besides the installed ones: override it in a conftest.py to test a
    plugin that is not installed (`return (my_plugin_module,)`)."""
    return ()


@pytest.fixture(scope="module")
def civic_pm(civic_plugins: tuple[Any, ...]) -> pluggy.PluginManager:
    """The installed plugins (entry points) and `civic_plugins`."""
    from civic.pm import make_plugin_manager

    return make_plugin_manager(extra=civic_plugins)


@pytest.fixture
def civic_db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def civic_office(civic_english: None, civic_db_path: Path,
                 civic_pm: pluggy.PluginManager) -> Iterator[Office]:
    """A migrated office with operators admin, op, sup (supervisor), view; acting as op."""
    office = make_office(civic_db_path, civic_pm)
    yield office
    office.db.close()


@pytest.fixture
def civic_registry(civic_office: Office, tmp_path: Path) -> Office:
    """`civic_office` with three units, three positions and five people (`PEOPLE`)."""
    return load_sample_registry(civic_office, tmp_path)


@pytest.fixture
def civic_cli(civic_office: Office, civic_pm: pluggy.PluginManager,
              civic_db_path: Path) -> Callable[..., Result]:
    return cli_runner(civic_pm, civic_db_path)


@pytest.fixture
def civic_app(civic_office: Office, civic_pm: pluggy.PluginManager,
              civic_db_path: Path) -> AppDriver:
    return AppDriver(civic_pm, civic_db_path)
