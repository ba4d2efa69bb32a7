"""The accountability mode (F11): the register, tasks by urgency, a case opened from the form,
and a case's content shown (and its read audited) only to the roles the office allows."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Static

from civic.office import Operator
from civic.plugins.accountability import actions
from civic.testing import PASSWORD

SUP = Operator("sup", "supervisor")


def _case(office) -> int:
    case = actions.open_case(office, person="C0002", trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    actions.step(office, case, "investigated", dt.date(2008, 5, 8))
    actions.decide(office, case, dt.date(2008, 5, 12), ["gov_demerit"], [], SUP)
    actions.new_task(office, title="滇池治理", unit="KM-XS", owner=None, type="urgent",
                     deadline=dt.date(2008, 6, 1), created_on=dt.date(2008, 5, 1))
    return case


def _reads(office) -> int:
    return office.db.execute("SELECT count(*) FROM audit_log"
                             " WHERE type = 'accountability.case_read'").fetchone()[0]


@pytest.mark.parametrize("user,content", [("admin", True), ("op", False)])
async def test_f11_register_tasks_and_a_case(user, content, civic_registry, civic_app):
    _case(civic_registry)
    app = civic_app.app()
    async with app.run_test(size=(140, 44)) as pilot:
        await civic_app.login(pilot, user, PASSWORD)
        await pilot.press("f11")
        await civic_app.settle(pilot)
        assert app.current_mode == "accountability"
        cases = app.screen.query_one("#accountability-cases", DataTable)
        assert cases.get_row_at(0)[:2] == [1, "C0002"]
        tasks = app.screen.query_one("#accountability-tasks", DataTable)
        # The test clock is 2008-07-01: due 1 June, 30 days overdue, escalated.
        assert tasks.get_row_at(0)[4:] == [30, "escalated"]
        before = _reads(civic_registry)
        await pilot.press("enter")
        await civic_app.settle(pilot)
        text = civic_app.text(app.screen.query_one("#accountability-case", Static))
        assert "restriction no_promotion from 2008-05-12 until 2009-05-12" in text
        assert ("推诿扯皮" in text) is content
        assert _reads(civic_registry) == before + content


async def test_n_opens_a_case_from_the_form(civic_registry, civic_app):
    app = civic_app.app()
    async with app.run_test(size=(140, 44)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f11")
        await civic_app.settle(pilot)
        await pilot.press("n")
        await civic_app.settle(pilot)
        from textual.widgets import Input, TextArea

        app.screen.query_one("#field-person", Input).value = "C0003"
        app.screen.query_one("#field-summary", TextArea).text = "群众反映强烈"
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
    [row] = civic_registry.db.execute(
        "SELECT person, status, source FROM accountability_cases").fetchall()
    assert row == ("C0003", "opened", "complaint")
