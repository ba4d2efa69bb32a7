"""The training mode at the terminal (F12): a programme's sessions, a sign-in sheet imported
through the form, and compliance with drill-down to a person's hours and their certificate of hours."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from textual.widgets import DataTable, Input, Static

from civic.plugins.training import actions
from civic.plugins.training.screens import (
    ComplianceScreen,
    PersonHoursScreen,
    ProgrammeScreen,
    TrainingScreen,
)
from civic.tui.dialogs.form import FormDialog

D = dt.date


async def test_programme_sheet_and_compliance(civic_registry, civic_app, tmp_path):
    office = civic_registry
    prog = actions.create_programme(office, "县处级干部进修班", "full_time", D(2008, 3, 3),
                                    D(2008, 3, 14), "市委党校")
    actions.add_session(office, prog, D(2008, 3, 3), 2, F(7))
    sheet = tmp_path / "signin.csv"
    sheet.write_text("人员编号,姓名\nC0001,张建华\nC0002,李明\n", encoding="utf-8")
    app = civic_app.app()
    async with app.run_test(size=(140, 44)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f12")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, TrainingScreen)
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ProgrammeScreen)
        await pilot.press("i")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-path", Input).value = str(sheet)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ProgrammeScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[-1] == 2  # present
        assert "2 enrolled, 2 person-times" in civic_app.text(
            app.screen.query_one("#programme-summary", Static))
        await pilot.press("escape")
        await civic_app.settle(pilot)
        await pilot.press("c")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ComplianceScreen)
        table = app.screen.query_one(DataTable)
        codes = [table.get_row_at(i)[1] for i in range(table.row_count)]
        assert "C0001" in codes  # 7 hours in five years: short
        table.move_cursor(row=codes.index("C0001"))
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, PersonHoursScreen)
        assert "张建华 (C0001)" in civic_app.text(app.screen.query_one("#person-hours-text",
                                                                        Static))
        await pilot.press("p")  # the certificate of hours, as DOCX
        await civic_app.settle(pilot)
        out = tmp_path / "hours.docx"
        app.screen.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
    from docx import Document

    assert any("张建华同志培训学时证明" in p.text for p in Document(str(out)).paragraphs)
