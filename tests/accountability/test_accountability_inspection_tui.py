"""Inspection rounds (巡察) in the accountability mode: i from the case register lists the
rounds; a round is opened from a form and worked from its screen (work, a finding, its
rectification item done, a reserve-cadre proposal decided with a supervisor's co-signature,
the round closed), each step an audited change."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TextArea

from civic.testing import PASSWORD
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.unsaved import UnsavedDialog


async def _fill(pilot, civic_app, **values) -> None:
    for name, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value
    await pilot.press("ctrl+s")
    await civic_app.settle(pilot)


async def _key(pilot, civic_app, key, **values) -> None:
    await pilot.press(key)
    await civic_app.settle(pilot)
    await _fill(pilot, civic_app, **values)


async def test_a_round_from_opening_to_closing_on_its_screen(civic_registry, civic_app):
    from civic.plugins.accountability.screens.inspection import (
        InspectionScreen,
        InspectionsScreen,
    )

    app = civic_app.app()
    async with app.run_test(size=(150, 60)) as pilot:
        await civic_app.login(pilot, "admin", PASSWORD)
        await pilot.press("f11")
        await civic_app.settle(pilot)
        await pilot.press("i")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, InspectionsScreen)
        await _key(pilot, civic_app, "n", title="西山区日常巡察", team="第一巡察组",
                   units="KM-XS", starts_on="2008-04-01", ends_on="2008-06-30")
        assert isinstance(app.screen, InspectionScreen)
        await _key(pilot, civic_app, "w", talks="12", questionnaires="40")
        await _key(pilot, civic_app, "f", text="项目审批拖延", on="2008-04-10")
        await _key(pilot, civic_app, "r", text="清理积压审批事项", due="2008-05-31")
        await _key(pilot, civic_app, "c", on="2008-05-01")  # an item not done: refused
        assert app.screen.query("#field-on")
        await pilot.press("escape")  # the form holds a typed date: asked, and discarded
        await civic_app.settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.click("#discard")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, InspectionScreen)
        await _key(pilot, civic_app, "x", on="2008-05-20")
        await _key(pilot, civic_app, "p", person="C0005", reason="巡察中群众评价好")
        app.screen.query_one("#inspection-proposals", DataTable).focus()
        await _key(pilot, civic_app, "d", on="2008-06-02")
        assert isinstance(app.screen, CosignDialog)
        app.screen.query_one("#supervisor", Input).value = "sup"
        app.screen.query_one("#password", Input).value = PASSWORD
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await civic_app.settle(pilot)
        await _key(pilot, civic_app, "c", on="2008-06-21")
        summary = civic_app.text(app.screen.query_one("#inspection-summary", Static))
        await pilot.press("escape")
        await civic_app.settle(pilot)
        rounds = app.screen.query_one("#accountability-inspections", DataTable)
        assert [str(c) for c in rounds.get_row_at(0)[3:]] == [
            "西山区", "2008-04-01", "2008-06-30", "closed", "1/1"]
    assert "12 talks, 40 questionnaires" in summary and "rectified 1 of 1" in summary
    db = civic_registry.db
    assert db.execute("SELECT status, closed_on FROM accountability_inspections").fetchone() \
        == ("closed", "2008-06-21")
    assert db.execute("SELECT done_on FROM accountability_rectifications").fetchone() == (
        "2008-05-20",)
    # The proposal took effect only through core, co-signed: C0005 entered the reserve pool.
    [(basis,)] = db.execute("SELECT basis_kind FROM reserve_pool WHERE person = 'C0005'"
                            " AND basis_kind = 'inspection'").fetchall()
    assert basis == "inspection"
    assert db.execute("SELECT cosigner FROM audit_log WHERE type ="
                      " 'accountability.proposal_decided'").fetchone() == ("sup",)
