"""The placement screens with Pilot: batches, a batch's officers and notice, the live room
(choose, refused pick, undo, pass, close), certification with the co-signature dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Static, TextArea
from textual.widgets._footer import FooterKey

from civic import audit
from civic.plugins.placement import actions, store
from civic.plugins.placement.screens import BatchScreen, PlacementScreen
from civic.plugins.placement.screens.room import POLL_SECONDS, RoomScreen
from civic.testing import PASSWORD, AppDriver
from civic.tui.app import CivicApp
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import FormDialog

NOW = dt.datetime(2008, 9, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
# civic.testing's driver: the same login and settling a third-party plugin's tests use.
settle = AppDriver.settle


async def login(pilot, name: str = "op") -> None:
    await AppDriver(pilot.app.pm, pilot.app.db_path).login(pilot, name)


def text(widget: Static) -> str:
    return str(widget.render())


def app_for(pm, db_path) -> CivicApp:
    return CivicApp(pm, db_path, clock=lambda: NOW, lang="en")


async def open_batch(pilot) -> BatchScreen:
    await login(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PlacementScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BatchScreen)
    return pilot.app.screen


@pytest.fixture
def live(registry, helpers):
    return helpers.make_batch(registry, mode="live")


async def test_the_room_end_to_end(live, registry, pm, db_path):
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_batch(pilot)
        await pilot.press("r")  # opens the room (fixes the order) and shows it
        await settle(pilot)
        room = app.screen
        assert isinstance(room, RoomScreen)
        assert "Now choosing: No. 1" in text(room.query_one("#room-who-text")) and "J004" in text(
            room.query_one("#room-who-text"))
        posts = room.query_one("#room-posts", DataTable)
        assert posts.row_count == 6
        assert "No. 2 王建军 (J001)" in text(room.query_one("#room-who-text"))  # who is next
        assert "Enter: No. 1 杨海涛 (J004) takes JZ-01" in text(room.query_one("#room-status"))
        # J004 takes JZ-01 (first row): read back, then confirmed.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "No. 1 杨海涛 (J004) takes JZ-01 市政府办公室副主任?" in text(
            app.screen.query_one("#question"))
        await pilot.press("n")  # not recorded
        await settle(pilot)
        assert actions.room(registry, live).session.history == []
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        ranking = room.query_one("#room-ranking", DataTable)
        assert ranking.get_row_at(0)[4].plain == "JZ-01 市政府办公室副主任"
        assert ranking.cursor_row == 1  # the highlight follows the officer choosing
        # J001 is 财务: may take JZ-02; then undo it with a reason.
        posts.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "No. 2 王建军 (J001): JZ-02" in app.screen.title_text
        app.screen.query_one(TextArea).text = "misspoke"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "No. 2" in text(room.query_one("#room-who-text"))
        # Then everyone passes but the last two; closing before the end is refused.
        await pilot.press("f")
        await settle(pilot)
        assert store.get_batch(registry.db, live)["status"] == "live"
        while actions.room(registry, live).session.current() is not None:
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await settle(pilot)
        assert "Everyone has chosen" in text(room.query_one("#room-who-text"))
        # A pass is not "not placed": the city's transfer office re-assigns him (issue 18).
        assert ranking.get_row_at(1)[4].plain == (
            "passed; re-assigned by the city's transfer office")
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, BatchScreen)
        assert store.get_batch(registry.db, live)["status"] == "ran"
    types = [e.type for e in audit.entries(registry.db, type_prefix="placement.")]
    assert "placement.pick_undone" in types and types[0] == "placement.run"


async def test_an_ineligible_pick_is_refused_with_the_reason(live, registry, pm, db_path):
    actions.open_room(registry, live)
    actions.choose(registry, live, "JZ-01")  # J004
    actions.choose(registry, live, "JZ-04")  # J001
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_batch(pilot)
        await pilot.press("r")
        await settle(pilot)
        room = app.screen
        posts = room.query_one("#room-posts", DataTable)
        codes = [posts.get_row_at(i)[0].plain for i in range(posts.row_count)]
        assert "JZ-01" not in codes  # full
        row = codes.index("JZ-02")
        assert posts.get_row_at(row)[3].plain.startswith("✗ post condition")
        posts.move_cursor(row=row)
        await settle(pilot)
        assert "may not take JZ-02: post condition" in text(room.query_one("#room-status"))
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)  # refused at once, with the reason
        assert actions.room(registry, live).session.current() == "J002"  # nothing recorded


async def test_the_room_follows_picks_made_elsewhere(live, registry, pm, db_path):
    """A pick recorded at another terminal (the CLI) shows on the wall without a key press."""
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_batch(pilot)
        await pilot.press("r")
        await settle(pilot)
        room = app.screen
        assert "No. 1" in text(room.query_one("#room-who-text"))
        actions.choose(registry, live, "JZ-01")  # another connection, as the CLI's would be
        await pilot.pause(POLL_SECONDS + 0.5)
        await settle(pilot)
        assert "Now choosing: No. 2" in text(room.query_one("#room-who-text"))
        assert room.query_one("#room-ranking", DataTable).get_row_at(0)[4].plain.startswith(
            "JZ-01")
        # The room's own pick, confirmed for the officer it showed: had the turn moved on
        # meanwhile, it would be refused rather than recorded for the next officer.
        room.poller.pause()  # so the screen surely still shows J001 below
        actions.pass_turn(registry, live)  # J001 passes elsewhere
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert actions.room(registry, live).session.history == [("J004", "JZ-01"),
                                                                ("J001", None)]


async def test_sealed_batch_officers_breakdown_certify_and_notice(batch, registry, pm,
                                                                  db_path):
    actions.run_batch(registry, batch)
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_batch(pilot)
        officers = screen.query_one("#officers-table", DataTable)
        assert officers.row_count == 8 and officers.get_row_at(0)[1] == "J004"
        officers.move_cursor(row=3)  # J003
        await settle(pilot)
        assert "not eligible: education below Bachelor" in text(
            screen.query_one("#officer-text"))
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-effective", Input).value = "2008-10-08"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CosignDialog)
        app.screen.query_one("#supervisor", Input).value = "sup"
        app.screen.query_one("#password", Input).value = PASSWORD
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert store.get_batch(registry.db, batch)["status"] == "certified"
        await pilot.press("d")
        await settle(pilot)
        assert "ranking and placements" in text(screen.query_one("#notice-text"))
        screen.action_language()
        await settle(pilot)
        assert "考核排序和选岗结果的公示" in text(screen.query_one("#notice-text"))
    entry = audit.entries(registry.db, type_prefix="placement.certified")[0]
    assert (entry.actor, entry.cosigner) == ("op", "sup")
    assert registry.db.execute("SELECT count(*) FROM notices").fetchone()[0] == 1


def footer(app) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


@pytest.mark.parametrize(("mode", "offered", "not_offered"), [
    ("sealed", {"Run"}, {"Room"}),  # a sealed batch has no room
    ("live", {"Room"}, {"Run"}),  # a live one runs once its room has opened
])
async def test_the_footer_offers_the_keys_of_the_batch_s_mode(registry, helpers, pm, db_path,
                                                              mode, offered, not_offered):
    helpers.make_batch(registry, mode=mode)
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_batch(pilot)
        shown = footer(app)
    assert offered <= shown and not not_offered & shown


async def test_a_viewer_sees_but_cannot_run(batch, registry, pm, db_path):
    app = app_for(pm, db_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await login(pilot, "view")
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    assert store.get_batch(registry.db, batch)["status"] == "setup"
    assert audit.entries(registry.db, type_prefix="core.access_refused")


async def test_the_public_draw_at_the_terminal(batch, registry, pm, db_path):
    """t lists the tie the scoring leaves (J007, J008), takes the numbers drawn on site and
    the supervisor's co-signature; the draw then orders the tie."""
    app = app_for(pm, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_batch(pilot)
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-J007", Input).value = "2"
        form.query_one("#field-J008", Input).value = "x"
        await pilot.press("ctrl+s")  # not a number: the form says so and stays
        await settle(pilot)
        assert app.screen is form
        form.query_one("#field-J008", Input).value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CosignDialog)
        app.screen.query_one("#supervisor", Input).value = "sup"
        app.screen.query_one("#password", Input).value = PASSWORD
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert store.draws(registry.db, batch) == {"J007": 2, "J008": 1}
        [entry] = audit.entries(registry.db, type_prefix="placement.draw_recorded")
        assert entry.cosigner == "sup"


async def test_the_result_exports_from_the_batch_screen(batch, registry, pm, db_path, tmp_path):
    """x on a batch that has run asks where, and writes the result as `show --out` does;
    before the run it says there is nothing to export."""
    from openpyxl import load_workbook

    app = app_for(pm, db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_batch(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, FormDialog)  # not run yet: nothing to write
        actions.run_batch(registry, batch)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        target = tmp_path / "batch.xlsx"
        app.screen.query_one("#field-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Order", "Code") and rows[1][1] == "J004" and len(rows) == 9


async def test_the_tab_keys_show_a_batch_s_posts_and_notice_and_stay_there(batch, registry,
                                                                          pm, db_path):
    # The focus was left in the officers' pane as it was hidden, and Textual's tabbed panel
    # shows the pane holding the focus: Posts flashed and the Officers tab came back.
    from textual.widgets import TabbedContent

    actions.run_batch(registry, batch)
    app = app_for(pm, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_batch(pilot)
        tabs = screen.query_one(TabbedContent)
        for key, pane in (("2", "tab-posts"), ("3", "tab-notice"),
                          ("left_square_bracket", "tab-posts"), ("1", "tab-officers")):
            await pilot.press(key)
            await settle(pilot)
            assert tabs.active == pane, key
