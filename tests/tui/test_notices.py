"""The notices mode: preview, publish with a supervisor's co-signature, record and resolve an
objection, and the refusals (period running, viewer, wrong co-signer)."""

from __future__ import annotations

from textual.widgets import DataTable, Input, TextArea

from civic import audit, notices
from civic.office import Operator
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import FormDialog
from civic.tui.screens.notices import NoticesScreen

PASSWORD = "secret-pass"


async def open_notices(driver, pilot, name="op"):
    await driver.login(pilot, name)
    await pilot.press("f6")
    await driver.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NoticesScreen)
    return screen


async def cosign(driver, pilot, name: str, password: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, CosignDialog)
    dialog.query_one("#supervisor", Input).value = name
    dialog.query_one("#password", Input).value = password
    dialog.query_one("#password", Input).focus()
    await pilot.press("enter")
    await driver.settle(pilot)


async def test_preview_in_both_languages(drafted, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_notices(driver, pilot)
        table = screen.query_one("#notices-table", DataTable)
        assert table.row_count == 1 and table.get_row_at(0)[1] == "draft"
        text = driver.text(screen.query_one("#notice-text"))
        assert "Li Ming is proposed" in text  # the operator's language first (en)
        preview = screen.query_one("#notice-preview")
        assert preview.border_subtitle == "English"  # by name, not its code
        await pilot.press("l")
        await driver.settle(pilot)
        assert "拟任命李明同志" in driver.text(screen.query_one("#notice-text"))
        assert preview.border_subtitle == "中文"
        await pilot.press("l")  # and back
        await driver.settle(pilot)
        assert "Li Ming is proposed" in driver.text(screen.query_one("#notice-text"))


async def posted_on(driver, pilot, day: str | None = None) -> None:
    """Publishing asks first for the day the notice was posted (today by default)."""
    form = pilot.app.screen
    assert isinstance(form, FormDialog)
    if day is not None:
        form.query_one("#field-posted_on", Input).value = day
    await pilot.press("ctrl+s")
    await driver.settle(pilot)


async def test_publish_with_a_supervisors_cosignature(drafted, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_notices(driver, pilot)
        await pilot.press("p")
        await driver.settle(pilot)
        await posted_on(driver, pilot)
        await cosign(driver, pilot, "op", PASSWORD)  # the operator may not co-sign
        assert isinstance(app.screen, CosignDialog)
        assert "not a supervisor" in driver.text(app.screen.query_one("#error"))
        await cosign(driver, pilot, "sup", "wrong")  # a wrong password: refused, audited
        assert "Wrong operator name or password" in driver.text(app.screen.query_one("#error"))
        await cosign(driver, pilot, "sup", PASSWORD)
        assert app.screen is screen
        notice = notices.get(drafted.db, 1)
        assert (notice.status, notice.published_on, notice.ends_on) == (
            "published", "2008-07-01", "2008-07-08")
        row = screen.query_one("#notices-table", DataTable).get_row_at(0)
        assert row[1] == "published" and row[6] == "2008-07-08" and row[7] == "5"
        last = audit.entries(drafted.db, limit=1)[0]
        assert (last.type, last.actor, last.cosigner) == ("core.notice_published", "op", "sup")
        refused = audit.entries(drafted.db, type_prefix="core.access_refused")
        assert len(refused) == 2


async def test_cancelled_cosignature_publishes_nothing(drafted, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_notices(driver, pilot)
        await pilot.press("p")
        await driver.settle(pilot)
        await posted_on(driver, pilot)
        await pilot.press("escape")
        await driver.settle(pilot)
        assert notices.get(drafted.db, 1).status == "draft"


async def test_publish_on_an_earlier_posted_day_and_see_the_archive_copy(drafted, driver):
    # Issue 17: the publish asks for the posted-on date; the chain head is on the archive copy.
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_notices(driver, pilot)
        await pilot.press("p")
        await driver.settle(pilot)
        await posted_on(driver, pilot, "2099-01-01")  # after today: refused, the form stays
        assert isinstance(app.screen, FormDialog)
        assert "after today" in driver.text(app.screen.query_one("#error"))
        await posted_on(driver, pilot, "2008-06-27")
        await cosign(driver, pilot, "sup", PASSWORD)
        notice = notices.get(drafted.db, 1)
        assert (notice.status, notice.published_on) == ("published", "2008-06-27")
        assert notice.chain_head not in driver.text(screen.query_one("#notice-text"))
        await pilot.press("a")
        await driver.settle(pilot)
        assert notice.chain_head in driver.text(screen.query_one("#notice-text"))


async def test_record_and_resolve_an_objection(drafted, driver):
    notices.publish(drafted, 1, cosigner=Operator("sup", "supervisor"))
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_notices(driver, pilot)
        await pilot.press("o")
        await driver.settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-content", TextArea).text = "反映李明同志工作作风问题"
        today = form.query_one("#field-received_on", Input).value
        form.query_one("#field-received_on", Input).value = "2008-05-01"
        await pilot.press("ctrl+s")  # refused by the domain: the form stays, as typed
        await driver.settle(pilot)
        assert app.screen is form
        assert "is received between" in driver.text(form.query_one("#error"))
        assert form.query_one("#field-content", TextArea).text == "反映李明同志工作作风问题"
        form.query_one("#field-received_on", Input).value = today
        await pilot.press("ctrl+s")
        await driver.settle(pilot)
        objections = screen.query_one("#objections-table", DataTable)
        assert objections.row_count == 1
        assert objections.get_row_at(0)[1] == "open"
        assert screen.query_one("#notices-table", DataTable).get_row_at(0)[8] == 1

        await pilot.press("c")  # confirm: refused while the period runs and one is open
        await driver.settle(pilot)
        notes = " ".join(n.message for n in app._notifications)
        assert "period runs until 2008-07-08" in notes and "not resolved" in notes

        objections.focus()
        await pilot.press("s")
        await driver.settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await pilot.press("ctrl+s")  # empty handling: the form says what is missing
        await driver.settle(pilot)
        assert "is required" in driver.text(form.query_one("#error-handling"))  # its field
        form.query_one("#field-handling", TextArea).text = "经核查，反映问题不属实。"
        await pilot.press("ctrl+s")
        await driver.settle(pilot)
        assert objections.get_row_at(0)[1] == "resolved"
        assert objections.get_row_at(0)[6] == "op"
        last = audit.entries(drafted.db, limit=1)[0]
        assert last.type == "core.objection_resolved"

        await pilot.press("f2")  # the dashboard: the notice runs, nothing pending
        await driver.settle(pilot)
        row = app.screen.query_one("#dash-notices", DataTable).get_row_at(0)
        assert row[0] == 1 and row[2] == "2008-07-08" and row[4] == 0


async def test_a_viewer_may_not_publish(drafted, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_notices(driver, pilot, "view")
        await pilot.press("p")
        await driver.settle(pilot)
        assert isinstance(app.screen, NoticesScreen)  # no co-signature dialog
        assert any("may not publish a notice" in n.message for n in app._notifications)
    assert notices.get(drafted.db, 1).status == "draft"


async def test_a_supervisor_records_an_objection_at_the_terminal(drafted, driver):
    """The discipline commission receives objections too: its supervisor records one."""
    notices.publish(drafted, 1, cosigner=Operator("sup", "supervisor"))
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_notices(driver, pilot, name="sup")
        await pilot.press("o")
        await driver.settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-content", TextArea).text = "来信反映李明同志问题"
        await pilot.press("ctrl+s")
        await driver.settle(pilot)
        objections = screen.query_one("#objections-table", DataTable)
        assert objections.row_count == 1
        last = audit.entries(drafted.db, limit=1)[0]
        assert (last.type, last.actor, last.cosigner) == ("core.objection_recorded", "sup", None)
