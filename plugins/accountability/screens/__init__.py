"""The accountability mode: the case register and the tasks by urgency; Enter opens a case
(its content only for the roles the office allows, and that read audited); n opens a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.accountability import actions, rules, store
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import Field, FieldError, FormDialog, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable


class AccountabilityScreen(RecordListScreen):
    SCREEN_TITLE = N_("Accountability")
    HELP = N_("Accountability cases (问责) with their status and dates, and supervised tasks "
              "by days overdue. Enter opens a case; n opens a new one; i shows the inspection "
              "rounds; r the reports with their charts. What a case is about is shown only "
              "to the roles the office allows, and each such read is audited.")
    BINDINGS = [Binding("n", "new", N_("New case")),
                Binding("i", "inspections", N_("Inspection rounds")),
                Binding("r", "reports", N_("Reports"))]
    TABLE_ID = "accountability-cases"
    TABLE_TITLE = N_("Case register")
    COLUMNS = (N_("Case"), N_("Person"), N_("Name"), N_("Unit"), N_("Status"), N_("Opened"),
               N_("Decided"))
    EMPTY = N_("no cases yet: n opens one")
    NEW_ACTION = "accountability.open"
    NEW_TITLE = N_("New accountability case")

    def compose_body(self) -> ComposeResult:
        yield from super().compose_body()
        tasks = WideTable(id="accountability-tasks", classes="panel", cursor_type="row")
        tasks.border_title = _("Supervised tasks by urgency")
        yield tasks

    def on_mount(self) -> None:
        # No super().on_mount(): Textual calls RecordListScreen's handler too, and calling it
        # again added the register's columns twice.
        self.query_one("#accountability-tasks", DataTable).add_columns(
            _("Task"), _("Title"), _("Unit"), _("Deadline"), _("Days overdue"), _("Level"))

    def refresh_data(self) -> None:
        super().refresh_data()
        table = self.query_one("#accountability-tasks", DataTable)
        table.clear()
        for task in store.list_tasks(self.civic.db, self.civic.office.today(), open_only=True):
            table.add_row(task["id"], Text(task["title"]), Text(task["unit_name"] or task["unit"]), task["deadline"],
                          task["days_overdue"], rules.level_text(task["level"]))

    def action_inspections(self) -> None:
        from civic.plugins.accountability.screens.inspection import InspectionsScreen

        self.app.push_screen(InspectionsScreen())

    def action_reports(self) -> None:
        from civic.plugins.accountability.screens.reports import ReportScreen

        self.app.push_screen(ReportScreen())

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
                  choices=[(rules.label(rules.SOURCE_LABELS, s), s) for s in rules.SOURCES]),
            Field("summary", _("Summary"), multiline=True),
            Field("opened_on", _("Opened on"), self.civic.office.today().isoformat(),
                  check=iso_date),
        ]

    def create(self, values: dict[str, str]) -> int:
        return actions.open_case(self.civic.office, person=values["person"],
                                 trigger=values["trigger"], source=values["source"],
                                 summary=values["summary"],
                                 opened_on=dt.date.fromisoformat(values["opened_on"]))


def day_field(screen: Any) -> Field:
    """The day of a step, today by default."""
    return Field("on", _("On (date)"), screen.civic.office.today().isoformat(), check=iso_date)


def cosigned_form(screen: Any, action: str, title: str, fields: list[Field],
                  check: Any, apply: Any) -> None:
    """A form checked first (`check(values)` returns what `apply` needs, or raises to keep the
    form open), then a supervisor's co-signature, then `apply(checked, signer)`: nobody is
    called over to co-sign what cannot be recorded."""
    def checked(values: Any) -> None:
        if values is None:
            return

        def signed(signer: Any) -> None:
            if signer is None:
                return
            try:
                apply(values, signer)
            except CivicError as error:
                screen.civic.show_error(error)
                return
            screen.civic.data_changed()

        screen.app.push_screen(CosignDialog(screen.civic.title_of(action)), signed)

    screen.app.push_screen(FormDialog(title, fields, submit=_("Decide"), apply=check), checked)


class CaseScreen(SubScreen):
    SCREEN_TITLE = N_("Accountability case")
    HELP = N_("One case: its steps, deadlines and the restrictions it put on the person's "
              "record; what it is about only for the roles the office allows. The keys move "
              "the case on: investigated, decided (co-signed by a supervisor), served, "
              "appealed, reviewed, closed; each step is dated and audited.")
    BINDINGS = [
        Binding("i", "step('investigated')", N_("Investigated")),
        Binding("d", "decide", N_("Decide")),
        Binding("s", "step('served')", N_("Served")),
        Binding("a", "step('appealed')", N_("Appealed")),
        Binding("r", "review", N_("Review")),
        Binding("c", "step('closed')", N_("Close the case")),
        Binding("p", "document", N_("Decision document")),
    ]
    PERFORMS = {"step": "accountability.step", "review": "accountability.step",
                "decide": "accountability.decide", "document": "accountability.document"}

    # The step each key takes, so that the footer offers only the steps the case can take now.
    STEP_OF = {"decide": "decided", "review": "reviewed"}

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id
        self.status: str | None = None  # the case's, as last read

    def compose_body(self) -> ComposeResult:
        yield Static(id="accountability-case", classes="panel")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        step = parameters[0] if action == "step" and parameters else self.STEP_OF.get(action)
        if step is not None and self.status is not None:
            return step in rules.NEXT.get(self.status, ())
        return super().check_action(action, parameters)

    def refresh_data(self) -> None:
        from civic.actions import declared, roles_for

        app = self.civic
        roles = roles_for(app.db, declared(app.pm)[rules.CONTENT_ACTION])
        role = app.operator.role if app.operator else None
        view = actions.read_case(app.office, self.case_id, role, roles)
        self.query_one("#accountability-case", Static).update(Text(store.case_text(view)))
        if view["status"] != self.status:
            self.status = view["status"]
            self.refresh_bindings()

    def action_document(self) -> None:
        """The decision document (问责决定书) as DOCX, drafted as a core notice once."""
        from civic.actions import declared, roles_for
        from civic.docx import write_notice
        from civic.plugins.accountability import notice

        app = self.civic
        if not app.require_change("accountability.document"):
            return
        roles = roles_for(app.db, declared(app.pm)[rules.CONTENT_ACTION])
        try:
            drafted = notice.draft_decision(app.office, self.case_id, app.operator.role
                                            if app.operator else None, roles)
        except CivicError as error:
            app.show_error(error)
            return
        app.data_changed()
        self.export_file(_("Decision document of case {number}").format(number=self.case_id),
                         f"decision-{self.case_id}.docx",
                         lambda path: write_notice(app.office, drafted.id, path))

    # -- the steps ----------------------------------------------------------------------------

    def _day_field(self) -> Field:
        return day_field(self)

    def _check_next(self, step: str) -> bool:
        """Refused before a form opens when the case cannot take the step now."""
        try:
            rules.check_step(store.get_case(self.civic.db, self.case_id)["status"], step)
        except CivicError as error:
            self.civic.show_error(error)
            return False
        return True

    def action_step(self, step: str) -> None:
        if not self.civic.require_change("accountability.step") or not self._check_next(step):
            return
        self.push_form(_("Case {number}: {step}").format(number=self.case_id,
                                                         step=_(rules.STEP_LABELS[step])),
                       [self._day_field()], lambda values: self._step(step, values))

    def action_review(self) -> None:
        if not self.civic.require_change("accountability.step") \
                or not self._check_next("reviewed"):
            return
        self.push_form(_("Case {number}: review of the appeal").format(number=self.case_id), [
            self._day_field(),
            Field("outcome", _("Outcome"), "upheld",
                  choices=[(_(rules.OUTCOME_LABELS[o]), o) for o in rules.OUTCOMES]),
        ], lambda values: self._step("reviewed", values, values["outcome"]))

    def _step(self, step: str, values: dict[str, str], outcome: str | None = None) -> bool:
        """The step taken from its form (True: the form closes and the screens reload)."""
        actions.step(self.civic.office, self.case_id, step,
                     dt.date.fromisoformat(values["on"]), outcome=outcome)
        return True

    def action_decide(self) -> None:
        """The decision's forms and factors are checked in the form; a supervisor co-signs
        only what can be recorded."""
        action = "accountability.decide"
        if not self.civic.require_change(action) or not self._check_next("decided"):
            return
        pack = store.office_pack(self.civic.db, store.get_case(self.civic.db,
                                                                self.case_id)["pack"])

        def check(values: dict[str, str]) -> dict[str, Any]:
            try:
                forms = rules.parse_forms(pack, values["forms"])
            except CivicError as error:
                raise FieldError("forms", str(error)) from None
            factors = [(kind, line.strip()) for kind in rules.FACTOR_KINDS
                       for line in values.get(kind, "").splitlines() if line.strip()]
            return {"on": dt.date.fromisoformat(values["on"]), "forms": forms,
                    "factors": factors}

        def decided(decision: dict[str, Any], signer: Any) -> None:
            actions.decide(self.civic.office, self.case_id, decision["on"],
                           decision["forms"], decision["factors"], signer)
            self.notify(_("Case {number} decided, co-signed by {name}.").format(
                number=self.case_id, name=signer.name), markup=False)

        cosigned_form(self, action, _("Decide case {number}").format(number=self.case_id), [
            self._day_field(),
            Field("forms", _("Forms (names or codes, separated by commas): {forms}").format(
                forms="、".join(f.name for f in pack.forms.values()))),
            Field("aggravating", _("Aggravating factors, one a line"), required=False,
                  multiline=True),
            Field("mitigating", _("Mitigating factors, one a line"), required=False,
                  multiline=True),
            Field("exempting", _("Exempting factors, one a line"), required=False,
                  multiline=True),
        ], check, decided)
