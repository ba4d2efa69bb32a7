"""The accountability mode: the case register and the tasks by urgency; Enter opens a case
(its content only for the roles the office allows, and that read audited); n opens a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from civic.i18n import N_, _
from civic.plugins.accountability import actions, rules, store
from civic.tui.dialogs.form import Field, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen


class AccountabilityScreen(RecordListScreen):
    SCREEN_TITLE = N_("Accountability")
    HELP = N_("Accountability cases (问责) with their status and dates, and supervised tasks "
              "by days overdue. Enter opens a case; n opens a new one. What a case is about "
              "is shown only to the roles the office allows, and each such read is audited.")
    BINDINGS = [Binding("n", "new", N_("New case"))]
    TABLE_ID = "accountability-cases"
    TABLE_TITLE = N_("Case register")
    COLUMNS = (N_("Case"), N_("Person"), N_("Name"), N_("Unit"), N_("Status"), N_("Opened"),
               N_("Decided"))
    EMPTY = N_("no cases yet: n opens one")
    NEW_ACTION = "accountability.open"
    NEW_TITLE = N_("New accountability case")

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        tasks = DataTable(id="accountability-tasks", classes="panel", cursor_type="row")
        tasks.border_title = _("Supervised tasks by urgency")
        yield tasks

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#accountability-tasks", DataTable).add_columns(
            _("Task"), _("Title"), _("Unit"), _("Deadline"), _("Days overdue"), _("Level"))

    def refresh_data(self) -> None:
        super().refresh_data()
        table = self.query_one("#accountability-tasks", DataTable)
        table.clear()
        for task in store.list_tasks(self.civic.db, self.civic.office.today(), open_only=True):
            table.add_row(task["id"], Text(task["title"]), Text(task["unit_name"] or task["unit"]), task["deadline"],
                          task["days_overdue"], rules.level_text(task["level"]))

    def load_rows(self) -> list[dict[str, Any]]:
        return store.list_cases(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["id"], r["person"] or r["team"] or "", Text(r["name"] or ""),
                Text(r["unit_name"] or r["unit"] or ""),
                _(rules.STEP_LABELS[r["status"]]), r["opened_on"], r["decided_on"] or "")

    def record_screen(self, record_id: int) -> CaseScreen:
        return CaseScreen(record_id)

    def new_fields(self) -> list[Field]:
        pack = rules.load_pack()
        return [
            Field("person", _("Person (code)")),
            Field("trigger", _("Trigger"), "other",
                  choices=[(name, code) for code, (name, _a) in pack.triggers.items()]),
            Field("source", _("Source"), "complaint",
                  choices=[(s, s) for s in rules.SOURCES]),
            Field("summary", _("Summary"), multiline=True),
            Field("opened_on", _("Opened on"), self.civic.office.today().isoformat(),
                  check=iso_date),
        ]

    def create(self, values: dict[str, str]) -> int:
        return actions.open_case(self.civic.office, person=values["person"],
                                 trigger=values["trigger"], source=values["source"],
                                 summary=values["summary"],
                                 opened_on=dt.date.fromisoformat(values["opened_on"]))


class CaseScreen(SubScreen):
    SCREEN_TITLE = N_("Accountability case")
    HELP = N_("One case: its steps, deadlines and the restrictions it put on the person's "
              "record; what it is about only for the roles the office allows.")

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    def compose_body(self) -> ComposeResult:
        yield Static(id="accountability-case", classes="panel")

    def refresh_data(self) -> None:
        from civic.actions import declared, roles_for

        app = self.civic
        roles = roles_for(app.db, declared(app.pm)[rules.CONTENT_ACTION])
        role = app.operator.role if app.operator else None
        view = actions.read_case(app.office, self.case_id, role, roles)
        self.query_one("#accountability-case", Static).update(Text(store.case_text(view)))
