"""The accountability mode (F11): the register, tasks by urgency, a case opened from the form,
and a case's content shown (and its read audited) only to the roles the office allows."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

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


STEPS = {"Investigated", "Decide", "Served", "Appealed", "Review", "Close the case"}


def _footer(app) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


def _reads(office) -> int:
    return office.db.execute("SELECT count(*) FROM audit_log"
                             " WHERE type = 'accountability.case_read'").fetchone()[0]


@pytest.mark.parametrize("user,content", [("admin", True), ("sup", True), ("op", False),
                                          ("view", False)])
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
        # Every stored code in words: the status, the restriction.
        assert "Case 1: decided" in text and "李明" in text
        assert "restriction no promotion from 2008-05-12 until 2009-05-12" in text
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


async def _case_screen(pilot, civic_app) -> None:
    """Logged in as admin (who reads a case's content), the first case of the register."""
    await civic_app.login(pilot, "admin", PASSWORD)
    await pilot.press("f11")
    await civic_app.settle(pilot)
    await pilot.press("enter")
    await civic_app.settle(pilot)


async def _submit(pilot, civic_app, **values) -> None:
    """Fill the open form's fields and submit it."""
    from textual.widgets import Input, Select, TextArea

    for name, value in values.items():
        widget = pilot.app.screen.query_one(f"#field-{name}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.press("ctrl+s")
    await civic_app.settle(pilot)


async def test_a_case_moves_through_its_steps_from_its_screen(civic_registry, civic_app):
    from textual.widgets import Input

    from civic.tui.dialogs.cosign import CosignDialog

    case = actions.open_case(civic_registry, person="C0002", trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    app = civic_app.app()
    async with app.run_test(size=(140, 50)) as pilot:
        await _case_screen(pilot, civic_app)
        # The footer offers the steps the case can take now, and only those.
        assert _footer(app) & STEPS == {"Investigated"}
        await pilot.press("s")  # an opened case cannot be served: no form
        await civic_app.settle(pilot)
        assert not app.screen.query("#field-on")
        await pilot.press("i")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, on="2008-05-08")
        await pilot.press("d")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, on="2008-05-12", forms="记过、no_merit",
                      mitigating="主动挽回损失")
        assert isinstance(app.screen, CosignDialog)
        app.screen.query_one("#supervisor", Input).value = "sup"
        app.screen.query_one("#password", Input).value = PASSWORD
        app.screen.query_one("#password", Input).focus()
        await pilot.press("enter")
        await civic_app.settle(pilot)
        for key, day in (("s", "2008-05-16"), ("a", "2008-05-30")):
            await pilot.press(key)
            await civic_app.settle(pilot)
            await _submit(pilot, civic_app, on=day)
        await pilot.press("r")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, on="2008-06-20", outcome="revoked")
        await pilot.press("c")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, on="2008-06-21")
        text = civic_app.text(app.screen.query_one("#accountability-case", Static))
        assert _footer(app) & STEPS == set()  # closed: no step is left to take
    row = civic_registry.db.execute(
        "SELECT status, investigated_on, decided_on, served_on, appealed_on, reviewed_on,"
        " outcome, closed_on FROM accountability_cases WHERE id = ?", (case,)).fetchone()
    assert row == ("closed", "2008-05-08", "2008-05-12", "2008-05-16", "2008-05-30",
                   "2008-06-20", "revoked", "2008-06-21")
    forms = [r[0] for r in civic_registry.db.execute(
        "SELECT form FROM accountability_case_forms WHERE case_id = ?", (case,))]
    assert forms == ["gov_demerit", "no_merit"]
    [cosigner] = civic_registry.db.execute(
        "SELECT cosigner FROM audit_log WHERE type = 'accountability.case_decided'").fetchone()
    assert cosigner == "sup"
    # Revoked on review: the restriction ended that day, and the screen says so.
    assert "until 2008-06-20" in text


async def test_a_decision_naming_an_unknown_form_keeps_the_form_open(civic_registry,
                                                                     civic_app):
    case = actions.open_case(civic_registry, person="C0002", trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    actions.step(civic_registry, case, "investigated", dt.date(2008, 5, 8))
    app = civic_app.app()
    async with app.run_test(size=(140, 50)) as pilot:
        await _case_screen(pilot, civic_app)
        await pilot.press("d")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, forms="罚款")
        assert app.screen.query("#field-forms")  # still the form, no supervisor called
    assert civic_registry.db.execute("SELECT status FROM accountability_cases").fetchone() == (
        "investigated",)


async def test_p_writes_the_decision_document(civic_registry, civic_app, tmp_path):
    from docx import Document
    from textual.widgets import Input

    _case(civic_registry)
    app = civic_app.app()
    out = tmp_path / "decision.docx"
    async with app.run_test(size=(140, 50)) as pilot:
        await _case_screen(pilot, civic_app)
        await pilot.press("p")
        await civic_app.settle(pilot)
        app.screen.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
    assert any("问责的决定" in p.text for p in Document(str(out)).paragraphs)


async def test_r_shows_the_reports_as_charts_of_the_register(civic_registry, civic_app,
                                                             tmp_path):
    """Issue 14 "Reports": the charts carry the register's numbers (read from their plain
    lines, not pixels): cases by heading per month, by form, overdue tasks by unit and
    rectification per round."""
    from openpyxl import load_workbook
    from textual.widgets import Input

    from civic.tui.widgets.chart import BarChart

    _case(civic_registry)  # abuse (办事拖拉) in May 2008, 记过; a task overdue at 西山区
    actions.open_case(civic_registry, person="C0003", trigger="decision", source="media",
                      summary="决策失误", opened_on=dt.date(2008, 3, 3))
    round_ = actions.new_inspection(civic_registry, kind="daily", title="日常巡察",
                                    team="第一巡察组", units=["KM-XS"],
                                    starts_on=dt.date(2008, 3, 24), ends_on=dt.date(2008, 4, 30))
    finding = actions.add_finding(civic_registry, round_, "KM-XS", "台账不全",
                                  dt.date(2008, 4, 2))
    done = actions.add_rectification(civic_registry, finding, "补齐台账", dt.date(2008, 5, 1))
    actions.add_rectification(civic_registry, finding, "建立制度", dt.date(2008, 6, 1))
    actions.rectified(civic_registry, done, dt.date(2008, 4, 20))
    app = civic_app.app()
    out = tmp_path / "report.xlsx"
    async with app.run_test(size=(80, 24)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f11")
        await civic_app.settle(pilot)
        await pilot.press("r")
        await civic_app.settle(pilot)
        total = civic_app.text(app.screen.query_one("#report-summary", Static))
        # The period: 1 January of the latest case's year to the end of its month.
        assert "Cases opened 2008-01-01 to 2008-05-31: 2" in total

        def chart(name: str) -> list[str]:
            return app.screen.query_one(f"#{name}", BarChart).plain_text().splitlines()

        month = chart("report-by-month")
        assert month[0] == "Cases by heading per month"
        assert [line.split(": ")[0] for line in month[1:]] == [
            "2008-01", "2008-02", "2008-03", "2008-04", "2008-05"]
        assert month[3].startswith("2008-03: 责任意识淡漠，造成严重失误 1, ")
        assert month[3].endswith("total 1") and month[5].endswith("total 1")
        assert "办事拖拉，推诿扯皮 1" in month[5]
        assert chart("report-by-form")[1:] == ["记过: 1"]
        assert chart("report-overdue")[1:] == ["西山区: 1"]
        assert chart("report-rectification")[1:] == ["日常巡察: done 1, not done 1, total 2"]
        # p narrows the period to March: one case, the months March only.
        await pilot.press("p")
        await civic_app.settle(pilot)
        await _submit(pilot, civic_app, start="2008-03-01", end="2008-03-31")
        assert [line.split(": ")[0] for line in chart("report-by-month")[1:]] == ["2008-03"]
        await pilot.press("x")
        await civic_app.settle(pilot)
        app.screen.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1] == ("total", None, None, 1)
