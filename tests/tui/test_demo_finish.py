"""Issue 17 "The demo finishes what it starts": from the stages the demo holds on its day
(20 October 2008), the operator finishes a nomination to the reserve and a placement batch to
its appointments in the TUI, keys only, with the supervisor co-signing; and carries the
others a step on (round 2 opened, round 2 certified and its notice posted, a batch run,
certified and its notice posted). What the keys did is then read back from the database."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from textual.widgets import DataTable

from civic import audit, notices
from civic.db import open_db
from civic.demo import DEMO_PASSWORD, DEMO_TODAY, build_demo
from civic.plugins.nomination import store as nominations
from civic.plugins.nomination.screens import NominationScreen
from civic.plugins.placement import store as placements
from civic.plugins.placement.screens import BatchScreen
from civic.pm import make_plugin_manager
from civic.testing import AppDriver
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import FormDialog
from civic.tui.screens.notices import NoticesScreen

CST = dt.timezone(dt.timedelta(hours=8))
# The demo's day, mid-morning: a fixed clock, so the test does not depend on how long it runs.
NOW = dt.datetime.combine(DEMO_TODAY, dt.time(10), tzinfo=CST)


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager(only=["nomination", "placement"])


@pytest.fixture(scope="module")
def built(tmp_path_factory, pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, pm)
    return path


@pytest.fixture
def demo(built, tmp_path):
    """A copy of the demo for each test: the walk changes it."""
    path = tmp_path / "demo.db"
    shutil.copy(built, path)
    return path


def held(db, title_part: str) -> int:
    return next(r["id"] for r in nominations.list_all(db) if title_part in r["title"])


async def down_to(driver: AppDriver, pilot, table_id: str, row: int) -> None:
    """Move a table's cursor to `row` with the arrow keys, as the operator would."""
    table = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    table.focus()
    await pilot.press("ctrl+home")  # the first row
    await pilot.press(*["down"] * row)
    await driver.settle(pilot)
    assert table.cursor_row == row


async def cosign(driver: AppDriver, pilot) -> None:
    """The supervisor types his name and password at the operator's terminal."""
    assert isinstance(pilot.app.screen, CosignDialog)
    await pilot.press(*"supervisor")
    await pilot.press("tab", *DEMO_PASSWORD, "enter")
    await driver.settle(pilot)
    assert not isinstance(pilot.app.screen, CosignDialog), "the co-signature was refused"


async def confirm_notice(driver: AppDriver, pilot, notice_id: int) -> None:
    await pilot.press("f6")
    await driver.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoticesScreen)
    await down_to(driver, pilot, "notices-table",
                  [n.id for n in screen.items].index(notice_id))
    await pilot.press("c")
    await driver.settle(pilot)
    await cosign(driver, pilot)


async def open_record(driver: AppDriver, pilot, mode_key: str, table_id: str, row: int):
    # A mode keeps the screen it was left on; its key pressed again inside it goes back to
    # its list.
    await pilot.press(mode_key)
    await driver.settle(pilot)
    await pilot.press(mode_key)
    await driver.settle(pilot)
    await down_to(driver, pilot, table_id, row)
    await pilot.press("enter")
    await driver.settle(pilot)
    return pilot.app.screen


async def accept_form(driver: AppDriver, pilot) -> None:
    """A form's proposed values as they stand: Enter to the button, Enter on it."""
    assert isinstance(pilot.app.screen, FormDialog)
    await pilot.press("enter", "enter")
    await driver.settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_operator_finishes_what_the_demo_started(demo, pm, lang):
    db = open_db(demo)
    reserve_id, round2_id, counted_id = (held(db, "统计"), held(db, "交通"), held(db, "环保"))
    nom_rows = [r["id"] for r in nominations.list_all(db)]
    batch_rows = [b["id"] for b in placements.list_batches(db)]
    second, third = batch_rows[1], batch_rows[2]

    def notice_of(nid: int, round_no: int) -> int:
        nom = nominations.get(db, nid)
        return nominations.get_round(db, nom, round_no).notice

    inspection, round1 = notice_of(reserve_id, 2), notice_of(round2_id, 1)
    batch_notice = notices.list_notices(db, subject=placements.subject(second))[-1].id
    driver = AppDriver(pm, demo, clock=lambda: NOW)
    app = driver.app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "operator", DEMO_PASSWORD)

        # A nomination to the reserve: the candidates for inspection's notice is over.
        await confirm_notice(driver, pilot, inspection)
        screen = await open_record(driver, pilot, "f8", "nominations",
                                   nom_rows.index(reserve_id))
        assert isinstance(screen, NominationScreen) and screen.rnd.round_no == 2
        await pilot.press("R")
        await driver.settle(pilot)

        # Round 1's notice is over: confirmed, round 2 opened.
        await confirm_notice(driver, pilot, round1)
        screen = await open_record(driver, pilot, "f8", "nominations",
                                   nom_rows.index(round2_id))
        await pilot.press("o")
        await driver.settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await driver.settle(pilot)

        # Round 2 counted: certified with the co-signature, its notice drafted and posted.
        screen = await open_record(driver, pilot, "f8", "nominations",
                                   nom_rows.index(counted_id))
        assert screen.rnd.round_no == 2
        await pilot.press("c")
        await driver.settle(pilot)
        await cosign(driver, pilot)
        await pilot.press("d")
        await driver.settle(pilot)
        await pilot.press("p")
        await driver.settle(pilot)
        await accept_form(driver, pilot)  # posted today
        await cosign(driver, pilot)

        # A placement to its appointments: the notice is over, confirmed, then `a`.
        await confirm_notice(driver, pilot, batch_notice)
        screen = await open_record(driver, pilot, "f7", "placement-batches", batch_rows.index(second))
        assert isinstance(screen, BatchScreen)
        # A certified batch's footer offers its last steps, not the setup keys (80 columns).
        assert screen.offers("appoint") and not screen.offers("import")
        await pilot.press("a")
        await driver.settle(pilot)

        # The batch not yet run: run, certified (effective date as proposed), notice drafted.
        screen = await open_record(driver, pilot, "f7", "placement-batches", batch_rows.index(third))
        assert screen.offers("run") and not screen.offers("appoint")  # not before certifying
        await pilot.press("u")
        await driver.settle(pilot)
        await pilot.press("c")
        await driver.settle(pilot)
        await accept_form(driver, pilot)
        await cosign(driver, pilot)
        await pilot.press("d")
        await driver.settle(pilot)

    db = open_db(demo)
    finished = nominations.get(db, reserve_id)
    assert len(nominations.reserve(db, finished)) == 6  # 2 for each of its 3 posts
    assert [r.status for r in nominations.rounds(db, round2_id)] == ["certified", "open"]
    counted = nominations.get(db, counted_id)
    assert nominations.get_round(db, counted, 2).status == "certified"
    posted = notices.get(db, notice_of(counted_id, 2))
    assert (posted.status, posted.published_on) == ("published", DEMO_TODAY.isoformat())
    appointed = db.execute("SELECT count(*) FROM appointments WHERE basis_kind = 'placement'"
                           " AND basis_ref = ?", (str(second),)).fetchone()[0]
    assert appointed == 8 and placements.get_batch(db, second)["appointed_on"]
    assert placements.get_batch(db, third)["status"] == "certified"
    assert notices.list_notices(db, subject=placements.subject(third))[-1].status == "draft"
    # Every step the keys took is in the log, by the operator, co-signed where it must be.
    assert audit.verify(db).ok
    steps = [e for e in audit.entries(db, newest_first=False) if e.actor == "operator"]
    assert {e.cosigner for e in steps if e.type.endswith(("_confirmed", "certified",
                                                          "_published"))} == {"supervisor"}
