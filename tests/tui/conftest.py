"""A small office for the app's tests: three units, three positions, five people, and helpers
to log in and to wait for the app's workers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from civic.importers import import_file
from civic.tui.app import CivicApp

PASSWORD = "secret-pass"  # the root conftest's operators' password
FIXED_NOW = dt.datetime(2008, 7, 1, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

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


@pytest.fixture
def registry(office, tmp_path):
    """The `office` fixture (operators admin, op, sup, view) with a small registry."""
    for kind, text in (("units", UNITS), ("positions", POSITIONS), ("people", PEOPLE)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(office, kind, path)
    return office


class Driver:
    """Builds the app on the test database and drives it: log in, wait for workers."""

    def __init__(self, pm, db_path) -> None:
        self.pm = pm
        self.db_path = db_path

    def app(self, pm=None) -> CivicApp:
        return CivicApp(pm or self.pm, self.db_path, clock=lambda: FIXED_NOW, lang="en")

    @staticmethod
    async def settle(pilot: Pilot) -> None:
        """Let the screen process its messages and every worker finish (and post back)."""
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def login(self, pilot: Pilot, name: str = "op", password: str = PASSWORD) -> None:
        await self.settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#login-name", Input).value = name
        screen.query_one("#login-password", Input).value = password
        screen.query_one("#login-password", Input).focus()
        await pilot.press("enter")
        await self.settle(pilot)

    @staticmethod
    def text(widget: Static | Label) -> str:
        """What a Static shows, as plain text (Rich tables included)."""
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(widget.content)
        return console.export_text()


@pytest.fixture
def driver(pm, db_path) -> Driver:
    return Driver(pm, db_path)
