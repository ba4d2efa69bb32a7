"""A person's record: details (ID number masked), appointment history, reserve entries, the
person's facts (grades, restrictions, training, terms), each plugin's section, and eligibility
for a chosen position with every failing condition."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from civic.eligibility import fact_source, problems, split
from civic.errors import CivicError
from civic.facts import fact_label, facts_of
from civic.i18n import N_, _
from civic.record_fields import person_fields
from civic.registry import (
    appointments_of,
    get_person,
    get_position,
    person_sections,
    positions,
    reserve_of,
)
from civic.tui.dialogs.picker import PickerDialog
from civic.tui.eligibility_view import problem_row
from civic.tui.screens.base import SubScreen
from civic.tui.text import (
    APPOINTMENT_LABELS,
    RESERVE_LABELS,
    label,
)
from civic.tui.widgets.record import record_table
from civic.tui.widgets.wide_table import WideTable


class PersonScreen(SubScreen):
    SCREEN_TITLE = N_("Person")
    HELP = N_("One person's record, appointment history and reserve entries. Press e to "
              "check eligibility for a position: every condition the person fails is listed.")
    BINDINGS = [Binding("e", "eligibility", N_("Eligible for…"))]

    def __init__(self, code: str, position: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.position = position

    def compose_body(self) -> ComposeResult:
        # One scroll for the whole record: at 80x24 the sections below the top (each plugin's,
        # the eligibility check) lie under the fold. The scroll takes focus (arrows and page
        # keys move it), Tab reaches each table and scrolls it into view, and a check
        # scrolls to its verdict.
        with VerticalScroll(id="person-body"):
            yield from self._sections()

    def _sections(self) -> ComposeResult:
        with Horizontal(id="person-top"):
            record = Static(id="person-record", classes="panel")
            record.border_title = _("Personal record")
            yield record
            with Vertical(id="person-side"):
                history = WideTable(id="person-appointments", classes="panel",
                                    cursor_type="row")
                history.border_title = _("Appointment history")
                yield history
                reserve = WideTable(id="person-reserve", classes="panel", cursor_type="row")
                reserve.border_title = _("Reserve entries")
                yield reserve
                facts = WideTable(id="person-facts", classes="panel", cursor_type="row")
                facts.border_title = _("Facts")
                yield facts
        sections = Static(id="person-sections", classes="panel")
        sections.border_title = _("Mechanisms")
        yield sections
        with Vertical(id="person-eligibility", classes="panel") as elig:
            elig.border_title = _("Eligibility")
            yield Label(_("Press e to choose a position."), id="eligibility-verdict")
            yield WideTable(id="eligibility-problems", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#person-appointments", DataTable).add_columns(
            _("Effective"), _("Action"), _("Position"), _("Basis"), _("Audit entry"))
        self.query_one("#person-reserve", DataTable).add_columns(
            _("Added on"), _("Position"), _("Basis"), _("Status"))
        self.query_one("#person-facts", DataTable).add_columns(
            _("From"), _("Until"), _("Fact"), _("Source"), _("Ended"))
        self.query_one("#eligibility-problems", DataTable).add_columns(
            _("Condition"), _("Required"), _("Has"), _("Why"))
        self.query_one("#eligibility-problems").display = False

    def refresh_data(self) -> None:
        db = self.civic.db
        try:
            person = get_person(db, self.code)
        except CivicError as error:
            self.civic.show_error(error)
            self.app.pop_screen()
            return
        self.person = person
        self.title = _("Person: {name}").format(name=person["name"])
        self.query_one("#person-record", Static).update(record_table(
            person_fields(db, person, self.civic.office.today())))
        history = self.query_one("#person-appointments", DataTable)
        history.clear()
        history.add_rows([(a["effective"], label(APPOINTMENT_LABELS, a["action"]),
                           a["position_title"] or "", f"{a['basis_kind']} {a['basis_ref']}",
                           a["audit_id"]) for a in appointments_of(db, self.code)])
        history.border_subtitle = "" if history.row_count else _("none")
        reserve = self.query_one("#person-reserve", DataTable)
        reserve.clear()
        reserve.add_rows([(r["added_on"], r["position_title"] or "",
                           f"{r['basis_kind']} {r['basis_ref']}",
                           label(RESERVE_LABELS, r["status"])) for r in reserve_of(db, self.code)])
        reserve.border_subtitle = "" if reserve.row_count else _("none")
        self._show_facts(person)
        if self.position:
            self.check(self.position)

    def _show_facts(self, person: dict) -> None:
        """Core's facts table, then every plugin's section (hidden when no plugin adds one)."""
        db = self.civic.db
        facts = self.query_one("#person-facts", DataTable)
        facts.clear()
        facts.add_rows([(f.valid_from.isoformat(), f.until.isoformat() if f.until else "",
                         fact_label(f), fact_source(self.civic.pm, f),
                         f"{f.ended_on.isoformat()} {f.end_reason}" if f.ended_on else "")
                        for f in facts_of(db, self.code)])
        facts.border_subtitle = "" if facts.row_count else _("none")
        found = person_sections(self.civic.pm, db, person)
        panel = self.query_one("#person-sections", Static)
        rows: list[tuple[Any, str]] = []
        for section in found:
            rows.append((Text(section.title, style="bold underline"), ""))
            rows += [(str(k), "" if v is None else str(v)) for k, v in section.rows]
        panel.update(record_table(rows))
        panel.display = bool(found)

    def action_eligibility(self) -> None:
        choices = [(f"{p['title']} · {p['unit_name'] or ''} ({p['code']})", p["code"])
                   for p in positions(self.civic.db)]

        def chosen(code: str | None) -> None:
            if code:
                self.check(code)

        self.app.push_screen(PickerDialog(_("Eligibility for which position?"), choices),
                             chosen)

    def check(self, code: str) -> None:
        app = self.civic
        self.position = code
        try:
            position = get_position(app.db, code)
        except CivicError as error:
            app.show_error(error)
            return
        today = app.office.today()
        found = problems(app.pm, app.db, get_person(app.db, self.code), position, today)
        verdict = self.query_one("#eligibility-verdict", Label)
        table = self.query_one("#eligibility-problems", DataTable)
        table.clear()
        names = {"name": self.person["name"], "position": position["title"],
                 "date": today.isoformat()}
        barred, warned = split(found)
        if barred:
            verdict.update(Text(_("{name} is NOT eligible for {position} on {date}:")
                                .format(**names), style="bold red"))
        elif warned:
            verdict.update(Text(_("{name} is eligible for {position} on {date}, with a "
                                  "warning:").format(**names), style="bold yellow"))
        if found:
            table.add_rows([problem_row(p) for p in barred + warned])
        else:
            verdict.update(Text(_("{name} meets every condition of {position} on {date}.")
                                .format(**names), style="bold green"))
        table.display = bool(found)
        self.call_after_refresh(self.query_one("#person-eligibility").scroll_visible)
