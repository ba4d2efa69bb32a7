"""The training mode: programmes (n creates one; Enter opens its sessions, where s adds a
session, i imports a sign-in sheet, l records leave), and compliance (c): who is short, with
drill-down to a person's hours by category against the requirement."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.training import actions, rules, store
from civic.tui.dialogs.form import Field, FieldError, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable

CSS = """
#programme-summary, #person-hours-text { height: auto; padding: 0 1; }
#sessions-table, #compliance-table { height: 1fr; }
"""


def _hours(text: str) -> str | None:
    try:
        return None if Fraction(text) >= 0 else _("A number of hours.")
    except (ValueError, ZeroDivisionError):
        return _("A number of hours.")


def _category(code: str) -> str:
    return _(rules.CATEGORIES.get(code, code))


class TrainingScreen(RecordListScreen):
    """The mode's screen: every programme with its sessions and person-times."""

    SCREEN_TITLE = N_("Training")
    HELP = N_("Cadre training (干部教育培训): each programme with its sessions and person-times. "
              "Enter opens a programme; n creates one; c shows who is short of the requirement "
              "for their rank.")
    BINDINGS = [Binding("n", "new", N_("New programme")),
                Binding("c", "compliance", N_("Compliance"))]
    TABLE_ID = "training-programmes"
    TABLE_TITLE = N_("Training programmes")
    COLUMNS = (N_("No."), N_("Title"), N_("Category"), N_("From"), N_("To"), N_("Sessions"),
               N_("Person-times"))
    EMPTY = N_("no programmes yet: n creates one")
    NEW_ACTION = "training.plan"
    NEW_TITLE = N_("New training programme")

    def load_rows(self) -> list[dict[str, Any]]:
        return store.programmes(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["id"], Text(r["title"]), _category(r["category"]), r["starts"], r["ends"],
                r["sessions"], r["person_times"])

    def record_screen(self, record_id: int) -> ProgrammeScreen:
        return ProgrammeScreen(record_id)

    def new_fields(self) -> list[Field]:
        return [Field("title", _("Title")),
                Field("category", _("Category"), "full_time",
                      choices=[(_(label), code) for code, label in rules.CATEGORIES.items()]),
                Field("starts", _("First day"), check=iso_date),
                Field("ends", _("Last day"), check=iso_date),
                Field("organiser", _("Organiser"), required=False)]

    def create(self, values: dict[str, str]) -> int:
        return actions.create_programme(
            self.civic.office, values["title"], values["category"],
            dt.date.fromisoformat(values["starts"]), dt.date.fromisoformat(values["ends"]),
            values["organiser"])

    def action_compliance(self) -> None:
        self.app.push_screen(ComplianceScreen())


class ProgrammeScreen(SubScreen):
    """One programme: its sessions, who came, withdrawals."""

    SCREEN_TITLE = N_("Training programme")
    HELP = N_("One programme: its sessions with those present, the attendance rate and who "
              "was withdrawn for leave over the limit. s adds a session, i imports a sign-in "
              "sheet (CSV or XLSX) for the highlighted session, l records leave.")
    DEFAULT_CSS = CSS
    PERFORMS = {"session": "training.plan", "sheet": "training.attend",
                "leave": "training.leave"}
    BINDINGS = [Binding("s", "session", N_("Add session")),
                Binding("i", "sheet", N_("Import sheet")),
                Binding("l", "leave", N_("Leave"))]

    def __init__(self, programme: int) -> None:
        super().__init__()
        self.programme = programme
        self.session_ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="programme-summary")
        table = WideTable(id="sessions-table", classes="panel", cursor_type="row")
        table.border_title = _("Sessions")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("No."), _("Day"), _("Half-days"), _("Hours"), _("Present"))
        table.focus()

    def refresh_data(self) -> None:
        d = store.programme_report(self.civic.db, self.programme)
        summary = _("{title} ({starts} to {ends}): {hours} hours, {enrolled} enrolled, "
                    "{times} person-times, attendance rate {rate}").format(
            title=d["title"], starts=d["starts"], ends=d["ends"], hours=d["hours"],
            enrolled=d["enrolled"], times=d["person_times"], rate=d["attendance_rate"] or "-")
        if d["withdrawn"]:
            summary += "\n" + _("Withdrawn (leave over the limit): {people}").format(
                people=", ".join(d["withdrawn"]))
        self.query_one("#programme-summary", Static).update(Text(summary))
        table = self.query_one(DataTable)
        table.clear()
        self.session_ids = [s["id"] for s in d["sessions"]]
        for s in d["sessions"]:
            table.add_row(s["id"], s["day"], s["half_days"], s["hours"], s["present"])

    def action_session(self) -> None:
        if not self.civic.require_change("training.plan"):
            return
        fields = [Field("day", _("Day of the session."), check=iso_date),
                  Field("half_days", _("Length in half-days (2: a day)."), "1"),
                  Field("hours", _("Hours credited."), "4", check=_hours),
                  Field("title", _("What is studied."), required=False)]

        def apply(v: dict[str, str]) -> int:
            if not v["half_days"].isdigit() or int(v["half_days"]) < 1:
                raise FieldError("half_days", _("A session lasts at least a half-day and its "
                                                "hours are not negative."))
            return actions.add_session(self.civic.office, self.programme,
                                       dt.date.fromisoformat(v["day"]), int(v["half_days"]),
                                       Fraction(v["hours"]), v["title"])

        self.push_form(_("Add a session: a half-day, a day or a block of days."), fields, apply)

    def action_sheet(self) -> None:
        if not self.civic.require_change("training.attend"):
            return
        row = self.query_one(DataTable).cursor_row
        if not self.session_ids or not 0 <= row < len(self.session_ids):
            self.notify(_("Sessions of a programme."), severity="warning")
            return
        session = self.session_ids[row]
        self.push_form(
            _("Import a sign-in sheet (CSV or XLSX) for a session; a sheet with any bad row is "
              "refused whole."), [Field("path", _("File"))],
            lambda v: actions.import_attendance(self.civic.office, v["path"], session),
            lambda count: self.notify(_("{count} signed in.").format(count=count)))

    def action_leave(self) -> None:
        if not self.civic.require_change("training.leave"):
            return
        fields = [Field("person", _("Code")), Field("hours", _("Hours of leave."),
                                                    check=_hours),
                  Field("reason", _("Why, as the leave slip says."))]

        def apply(v: dict[str, str]) -> bool:
            return actions.record_leave(self.civic.office, self.programme, v["person"],
                                        Fraction(v["hours"]), v["reason"])

        self.push_form(_("Record leave from a programme (over 1/7 of its hours withdraws the "
                         "person)."), fields, apply,
                       lambda out: self.notify(_("Leave recorded.")))


class ComplianceScreen(SubScreen):
    """Those short of the requirement today, by unit; Enter opens a person's hours."""

    SCREEN_TITLE = N_("Training compliance")
    HELP = N_("Who is short of the training their rank requires, on today's date, by unit: "
              "hours and days in the window, the day the shortfall must be made up, and "
              "whether they are inside the catch-up year after a promotion. Enter shows a "
              "person's hours by category; m charts the monthly training-day rule.")
    DEFAULT_CSS = CSS
    BINDINGS = [Binding("enter", "open", N_("Open")),
                Binding("m", "month", N_("Monthly chart"))]

    def compose_body(self) -> ComposeResult:
        table = WideTable(id="compliance-table", classes="panel", cursor_type="row")
        table.border_title = _("Only those short.")
        yield table

    def on_mount(self) -> None:
        self.codes: list[str] = []
        table = self.query_one(DataTable)
        table.add_columns(_("Unit"), _("Code"), _("Name"), _("Hours"), _("Days"), _("Due"),
                          _("Catch-up"))
        table.focus()

    def refresh_data(self) -> None:
        rows = [r for r in store.compliance(self.civic.db, self.civic.office.today())
                if r["status"] == "short"]
        rows.sort(key=lambda r: (r["unit"] or "", r["person"]))
        table = self.query_one(DataTable)
        table.clear()
        self.codes = [r["person"] for r in rows]
        for r in rows:
            table.add_row(r["unit"] or "", r["person"], Text(r["name"]), r["hours"], r["days"],
                          r["due"] or "", "✓" if r["catch_up"] else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_month(self) -> None:
        from civic.plugins.training.tui.charts import MonthComplianceScreen

        self.app.push_screen(MonthComplianceScreen())

    def action_open(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if self.codes and 0 <= row < len(self.codes):
            self.app.push_screen(PersonHoursScreen(self.codes[row]))


class PersonHoursScreen(SubScreen):
    """A person's hours by category against the requirement (the 学时 record)."""

    SCREEN_TITLE = N_("Training hours")
    HELP = N_("A person's hours by category against the requirement; p writes their "
              "certificate of hours (培训学时证明) as DOCX.")
    DEFAULT_CSS = CSS
    BINDINGS = [Binding("p", "certificate", N_("Certificate of hours"))]
    PERFORMS = {"certificate": "training.certify"}

    def __init__(self, person: str) -> None:
        super().__init__()
        self.person = person

    def compose_body(self) -> ComposeResult:
        from civic.tui.widgets.chart import BarChart

        yield Static(id="person-hours-text")
        yield BarChart(id="person-hours-chart")
        table = WideTable(id="person-hours-table", classes="panel", cursor_type="row")
        yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("Category"), _("Hours"), _("Credited"),
                                              _("Cap"))

    def refresh_data(self) -> None:
        try:
            d = store.person_hours(self.civic.db, self.person, self.civic.office.today())
        except CivicError as exc:
            self.query_one(Static).update(Text(str(exc)))
            return
        if d["status"] is None:
            text = _("{name}: no requirement for this rank.").format(name=d["name"])
        else:
            text = _("{name} ({person}), {window0} to {window1}: {hours} hours, {days} days; "
                     "required {rh} hours or {rd} days ({source}): {status}").format(
                name=d["name"], person=d["person"], window0=d["window"][0],
                window1=d["window"][1], hours=d["hours"], days=d["days"],
                rh=d["required_hours"] or "-", rd=d["required_days"] or "-",
                source=d["source"], status=_(rules.STATUS_WORDS[d["status"]]))
            if d["due"]:
                text += "\n" + _("Short by {hours} hours / {days} days; due {due}.").format(
                    hours=d["short_hours"] or "-", days=d["short_days"] or "-", due=d["due"])
        self.query_one(Static).update(Text(text))
        self._chart(d)
        table = self.query_one(DataTable)
        table.clear()
        for c in d.get("categories", ()):
            table.add_row(_category(c["category"]), c["hours"], c["credited"], c["cap"] or "")

    def _chart(self, d: dict[str, Any]) -> None:
        """The hours against the requirement line (hidden for a rank without one)."""
        from civic.plugins.training.tui.charts import category_days, hours_chart
        from civic.tui.widgets.chart import BarChart

        chart = self.query_one("#person-hours-chart", BarChart)
        needs_days = d.get("status") is not None and not d["required_hours"]
        data = hours_chart(d, category_days(self.civic.db, d) if needs_days else None)
        chart.display = data is not None
        if data is not None:
            chart.show(data)

    def action_certificate(self) -> None:
        """The certificate as DOCX, drafted as a core notice (a new draft only when the
        figures changed)."""
        from civic.docx import write_notice
        from civic.plugins.training import notice

        app = self.civic
        if not app.require_change("training.certify"):
            return
        try:
            drafted = notice.draft_certificate(app.office, self.person, app.office.today())
        except CivicError as error:
            app.show_error(error)
            return
        app.data_changed()
        self.export_file(_("Certificate of hours of {person}").format(person=self.person),
                         f"hours-{self.person}.docx",
                         lambda path: write_notice(app.office, drafted.id, path))
