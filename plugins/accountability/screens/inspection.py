"""Inspection (巡察) in the accountability mode: the rounds with their rectification progress
(i from the case register), and one round: its target units, work done, findings with their
rectification items, and proposals. Each key is one audited change; a proposal takes effect
only when decided with a supervisor's co-signature (a core reserve entry or appointment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from civic.i18n import N_, _
from civic.plugins.accountability import actions, rules, store
from civic.plugins.accountability.screens import cosigned_form, day_field
from civic.tui.dialogs.form import Field, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable

KIND_WORDS = {"daily": N_("daily"), "special": N_("special")}
PROPOSAL_WORDS = {"reserve": N_("reserve cadre"), "transfer": N_("transfer"),
                  "demote": N_("demotion"), "remove": N_("removal")}
STATUS_WORDS = {"open": N_("open"), "closed": N_("closed"), "proposed": N_("proposed"),
                "decided": N_("decided")}


def _whole(text: str) -> str | None:
    return None if text.strip().isdigit() else _("A whole number.")


def _word(words: dict[str, str], code: str | None) -> str:
    return _(words[code]) if code in words else (code or "")


class InspectionsScreen(RecordListScreen):
    SCREEN_TITLE = N_("Inspection rounds")
    HELP = N_("Inspection rounds (巡察), daily or special, with their target units, window "
              "and rectification progress. Enter opens a round; n opens a new one; Escape "
              "goes back to the case register.")
    BINDINGS = [Binding("n", "new", N_("New round")), Binding("escape", "back", N_("Back"))]
    TABLE_ID = "accountability-inspections"
    TABLE_TITLE = N_("Inspection rounds")
    COLUMNS = (N_("Round"), N_("Kind"), N_("Title"), N_("Units"), N_("From"), N_("To"),
               N_("Status"), N_("Rectified"))
    EMPTY = N_("no inspection rounds yet: n opens one")
    NEW_ACTION = "accountability.inspect"
    NEW_TITLE = N_("New inspection round")

    def action_back(self) -> None:
        self.app.pop_screen()

    def load_rows(self) -> list[dict[str, Any]]:
        return store.list_inspections(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        names = "、".join(store.unit_name(self.civic.db, u) or u for u in r["units"])
        progress = r["progress"]
        return (r["id"], _word(KIND_WORDS, r["kind"]), Text(r["title"]), Text(names),
                r["starts_on"], r["ends_on"], _word(STATUS_WORDS, r["status"]),
                f"{progress['done']}/{progress['items']}")

    def record_screen(self, record_id: int) -> InspectionScreen:
        return InspectionScreen(record_id)

    def new_fields(self) -> list[Field]:
        today = self.civic.office.today().isoformat()
        return [
            Field("kind", _("Kind"), "daily",
                  choices=[(_(word), code) for code, word in KIND_WORDS.items()]),
            Field("title", _("Title")),
            Field("team", _("Inspection team")),
            Field("units", _("Target units (codes, separated by commas)")),
            Field("starts_on", _("First day"), today, check=iso_date),
            Field("ends_on", _("Last day"), today, check=iso_date),
        ]

    def create(self, values: dict[str, str]) -> int:
        units = [u.strip() for u in values["units"].replace("，", ",").replace("、", ",")
                 .split(",") if u.strip()]
        return actions.new_inspection(
            self.civic.office, kind=values["kind"], title=values["title"],
            team=values["team"], units=units,
            starts_on=dt.date.fromisoformat(values["starts_on"]),
            ends_on=dt.date.fromisoformat(values["ends_on"]))


class InspectionScreen(SubScreen):
    SCREEN_TITLE = N_("Inspection round")
    HELP = N_("One inspection round: w adds work done, f a finding on a target unit, r a "
              "rectification item on the highlighted finding, x marks the highlighted item "
              "done, p proposes an outcome for a person, d decides the highlighted proposal "
              "(co-signed by a supervisor: a reserve entry or an appointment change), c "
              "closes the round once every item is done.")
    BINDINGS = [
        Binding("w", "work", N_("Work done")),
        Binding("f", "finding", N_("Finding")),
        Binding("r", "rectification", N_("Rectification item")),
        Binding("x", "rectified", N_("Item done")),
        Binding("p", "propose", N_("Propose")),
        Binding("d", "decide", N_("Decide proposal")),
        Binding("c", "close_round", N_("Close the round")),
    ]
    PERFORMS = {"work": "accountability.inspect", "finding": "accountability.inspect",
                "rectification": "accountability.inspect",
                "rectified": "accountability.inspect", "propose": "accountability.inspect",
                "close_round": "accountability.inspect",
                "decide": "accountability.propose_decide"}

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.items: list[dict[str, Any]] = []
        self.proposals: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="inspection-summary", classes="panel")
        items = WideTable(id="inspection-items", classes="panel", cursor_type="row")
        items.border_title = _("Findings and rectification items")
        yield items
        proposals = WideTable(id="inspection-proposals", classes="panel", cursor_type="row")
        proposals.border_title = _("Proposals")
        yield proposals

    def on_mount(self) -> None:
        self.query_one("#inspection-items", DataTable).add_columns(
            _("No."), _("Unit"), _("Finding"), _("Item"), _("Rectification"), _("Due"),
            _("Done"))
        self.query_one("#inspection-proposals", DataTable).add_columns(
            _("No."), _("Person"), _("Kind"), _("Position"), _("Reason"), _("Status"),
            _("Decided"))

    def refresh_data(self) -> None:
        db = self.civic.db
        view = store.inspection_view(db, self.number)
        units = "、".join(store.unit_name(db, u) or u for u in view["units"])
        progress = view["progress"]
        self.query_one("#inspection-summary", Static).update(Text("\n".join([
            _("Round {number} ({kind}): {title}").format(
                number=view["id"], kind=_word(KIND_WORDS, view["kind"]), title=view["title"]),
            _("Team: {team}; units: {units}; {start} to {end}; {status}").format(
                team=view["team"], units=units, start=view["starts_on"], end=view["ends_on"],
                status=_word(STATUS_WORDS, view["status"])),
            _("Work: {talks} talks, {questionnaires} questionnaires, {documents} documents, "
              "{spot_checks} spot checks; rectified {done} of {items}").format(
                **{k: view.get(k) or 0 for k in rules.WORK_COUNTS}, **progress)])))
        self.items = [{"finding": f, "item": r} for f in view["findings"]
                      for r in (f["rectifications"] or [None])]
        table = self.query_one("#inspection-items", DataTable)
        table.clear()
        for row in self.items:
            f, r = row["finding"], row["item"] or {}
            table.add_row(f["id"], Text(store.unit_name(db, f["unit"]) or f["unit"]),
                          Text(f["text"]), r.get("id", ""), Text(r.get("text", "")),
                          r.get("due", ""), r.get("done_on") or "")
        self.proposals = view["proposals"]
        table = self.query_one("#inspection-proposals", DataTable)
        table.clear()
        for p in self.proposals:
            table.add_row(p["id"], p["person"], _word(PROPOSAL_WORDS, p["kind"]),
                          p["position"] or "", Text(p["reason"] or ""),
                          _word(STATUS_WORDS, p["status"]), p["decided_on"] or "")

    # -- helpers ------------------------------------------------------------------------------

    def _highlighted(self, table_id: str, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        table = self.query_one(f"#{table_id}", DataTable)
        row = table.cursor_row
        return rows[row] if rows and 0 <= row < len(rows) else None

    def _form(self, title: str, fields: list[Field], apply: Any) -> None:
        if self.civic.require_change("accountability.inspect"):
            self.push_form(title, fields, lambda values: apply(values) or True)

    # -- the keys -------------------------------------------------------------------------------

    def action_work(self) -> None:
        self._form(_("Work done in round {number}").format(number=self.number), [
            Field("talks", _("Individual talks"), "0", check=_whole),
            Field("questionnaires", _("Questionnaires"), "0", check=_whole),
            Field("documents", _("Documents reviewed"), "0", check=_whole),
            Field("spot_checks", _("Spot checks"), "0", check=_whole),
        ], lambda v: actions.record_work(self.civic.office, self.number,
                                         {k: int(v[k]) for k in rules.WORK_COUNTS}))

    def action_finding(self) -> None:
        db = self.civic.db
        units = store.inspection_view(db, self.number)["units"]
        self._form(_("Finding in round {number}").format(number=self.number), [
            Field("unit", _("Unit"), units[0] if units else "",
                  choices=[(store.unit_name(db, u) or u, u) for u in units]),
            Field("text", _("What was found"), multiline=True),
            day_field(self),
        ], lambda v: actions.add_finding(self.civic.office, self.number, v["unit"], v["text"],
                                         dt.date.fromisoformat(v["on"])))

    def action_rectification(self) -> None:
        row = self._highlighted("inspection-items", self.items)
        if row is None:
            self.civic.show_error(_("Record a finding first (f)."))
            return
        finding = row["finding"]["id"]
        self._form(_("Rectification item on finding {number}").format(number=finding), [
            Field("text", _("What is to be put right"), multiline=True),
            Field("due", _("Due date"), check=iso_date),
        ], lambda v: actions.add_rectification(self.civic.office, finding, v["text"],
                                               dt.date.fromisoformat(v["due"])))

    def action_rectified(self) -> None:
        row = self._highlighted("inspection-items", self.items)
        if row is None or row["item"] is None:
            self.civic.show_error(_("Highlight a rectification item first."))
            return
        item = row["item"]["id"]
        self._form(_("Rectification item {number} done").format(number=item), [day_field(self)],
                   lambda v: actions.rectified(self.civic.office, item,
                                               dt.date.fromisoformat(v["on"])))

    def action_propose(self) -> None:
        self._form(_("Proposal of round {number}").format(number=self.number), [
            Field("person", _("Person (code)")),
            Field("kind", _("Kind"), "reserve",
                  choices=[(_(word), code) for code, word in PROPOSAL_WORDS.items()]),
            Field("position", _("Post (code; for a reserve entry, a transfer, a demotion)"),
                  required=False),
            Field("reason", _("Reason"), multiline=True),
        ], lambda v: actions.propose(self.civic.office, self.number, v["person"], v["kind"],
                                     v["position"] or None, v["reason"]))

    def action_close_round(self) -> None:
        self._form(_("Close round {number}").format(number=self.number), [day_field(self)],
                   lambda v: actions.close_inspection(self.civic.office, self.number,
                                                      dt.date.fromisoformat(v["on"])))

    def action_decide(self) -> None:
        action = "accountability.propose_decide"
        if not self.civic.require_change(action):
            return
        proposal = self._highlighted("inspection-proposals", self.proposals)
        if proposal is None or proposal["status"] != "proposed":
            self.civic.show_error(_("Highlight a proposal not yet decided."))
            return

        cosigned_form(self, action, _("Decide proposal {number}").format(
            number=proposal["id"]), [day_field(self)],
            lambda values: dt.date.fromisoformat(values["on"]),
            lambda on, signer: actions.decide_proposal(self.civic.office, proposal["id"], on,
                                                       signer))
