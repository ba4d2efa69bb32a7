"""The nomination mode: the list, creating one, and one nomination's round with its roll and
attendance, ballot entry, adjudication queue, live count (a table and bars per post), re-votes,
certification with the supervisor's co-signature, notice preview and publishing, round 2, and
the reserve candidates. Every step calls `store` (the CLI calls the same functions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from civic import ballots, notices
from civic.errors import CivicError
from civic.i18n import N_, _, current_language
from civic.office import Operator
from civic.plugins.nomination import actions, notice, store, workflows
from civic.plugins.nomination.rules import MEETING, OPEN, Settings, parse_fraction
from civic.subjects import describe
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import Field, FieldError, FormDialog, iso_date
from civic.tui.dialogs.importer import ImportDialog
from civic.tui.dialogs.picker import PickerDialog
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable
from civic.tui.workers import run_db_worker
from civic.vocabulary import label
from civic.voting import INVALID_REASONS

BAR = 30  # cells for the longest bar
MARK_STATES = ("unresolved", *INVALID_REASONS)


def _whole(text: str) -> str | None:
    return None if text.strip().isdigit() else _("A whole number.")


class NominationsScreen(RecordListScreen):
    """The mode's screen: every nomination and where it stands."""

    SCREEN_TITLE = N_("Nomination")
    HELP = N_("Two-round nominations (两轮推荐提名): each with its posts and stage. Enter opens "
              "one; n creates one (round 1 opens with it).")
    BINDINGS = [Binding("n", "new", N_("New nomination"))]
    TABLE_ID = "nominations"
    TABLE_TITLE = N_("Nominations")
    COLUMNS = (N_("No."), N_("Title"), N_("Reference date"), N_("Posts"), N_("Stage"))
    EMPTY = N_("none yet: n creates one")

    def load_rows(self) -> list[dict[str, Any]]:
        return store.list_all(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["id"], Text(r["title"]), r["reference_date"], r["positions"],
                workflows.stage_text(r["stage"]))

    def record_screen(self, record_id: int) -> NominationScreen:
        return NominationScreen(record_id)

    # -- creating one (n) -----------------------------------------------------------------

    NEW_ACTION = "nomination.create"
    NEW_TITLE = N_("New nomination")

    def new_fields(self) -> list[Field]:
        d = Settings()
        return [
            Field("title", _("Title")),
            Field("positions", _("Vacant posts (codes, separated by commas)")),
            Field("reference", _("Reference date for the conditions"),
                  self.civic.office.today().isoformat(), check=iso_date),
            Field("advance1", _("Go on from round 1, per post"), str(d.advance[0]),
                  check=_whole),
            Field("advance2", _("Reserve candidates from round 2, per post"), str(d.advance[1]),
                  check=_whole),
            Field("marks1", _("Names allowed per post, round 1"), str(d.marks[0]), check=_whole),
            Field("marks2", _("Names allowed per post, round 2"), str(d.marks[1]), check=_whole),
            Field("tie", _("A tie at the cut-off"), d.tie_policy, choices=[
                (_("re-vote among the tied"), "revote"), (_("all the tied go on"), "include"),
                (label("meeting"), "meeting")]),
            Field("quorum", _("Quorum (present / registered, at least)"), "2/3"),
            Field("counts", _("Vote counts on the notice"), "no",
                  choices=[(_("no"), "no"), (_("yes"), "yes")]),
        ]

    def create(self, values: dict[str, str]) -> int:
        from civic.registry import get_position

        posts = values["positions"].replace("，", ",").split(",")
        for post in (p.strip() for p in posts):
            if post:
                try:
                    get_position(self.civic.db, post)
                except CivicError as error:  # said under the field, the form stays open
                    raise FieldError("positions", str(error)) from None
        try:
            quorum = parse_fraction(values["quorum"])
        except CivicError as error:
            raise FieldError("quorum", str(error)) from None
        settings = Settings(
            advance=(int(values["advance1"]), int(values["advance2"])),
            marks=(int(values["marks1"]), int(values["marks2"])),
            tie_policy=values["tie"], quorum=quorum,
            show_counts=values["counts"] == "yes")
        return actions.create(self.civic.office, title=values["title"], positions=posts,
                            reference_date=dt.date.fromisoformat(values["reference"]),
                            settings=settings).id


class NominationScreen(SubScreen):
    """One nomination, one round at a time (g switches between its rounds)."""

    SCREEN_TITLE = N_("Nomination")
    HELP = N_("One nomination. Overview: posts, rounds, notice, reserve candidates. Roll: "
              "electors; a marks the highlighted one present or absent, A everyone present, r "
              "loads a roll file, C closes attendance (the number present is then final; "
              "ballots are entered only after it), f records ballots issued and returned. "
              "Ballots: e keys them in, i imports a file, x deletes a wrongly entered one "
              "(with a reason, co-signed). Adjudication: Enter decides the highlighted name. "
              "Count: "
              "the live count with bars; v records a re-vote for a tie at the cut-off, c "
              "certifies with a supervisor's co-signature. Notice: d drafts the round's notice "
              "(round 1's nominees; after round 2 the candidates for inspection), p publishes "
              "it (co-signed), l switches language. o opens round 2 (or holds a void round "
              "again). R names the reserve candidates once the notice of the candidates for "
              "inspection is confirmed. g switches between rounds.")
    DEFAULT_CSS = """
    #nom-summary { height: auto; padding: 0 1; }
    #nom-tabs { height: 1fr; }
    #roll-table, #queue-table { height: 1fr; }
    #count-view, #notice-view, #overview-view { padding: 0 1; }
    """
    # Thirteen keys do not fit a 120-column footer (English is the wider language there), so
    # it shows the steps of every round; most others are named where they are needed (the
    # roll's keys under the roll, v in the count, d in the notice tab, p once drafted),
    # and F1 lists them all, hidden ones included.
    PERFORMS = {"toggle_present": "nomination.attend", "all_present": "nomination.attend",
                "load_roll": "nomination.roll", "figures": "nomination.ballots_record",
                "enter_ballots": "nomination.ballots_enter",
                "import_ballots": "nomination.ballots_import", "revote": "nomination.revote",
                "certify": "nomination.certify", "draft_notice": "nomination.draft_notice",
                "publish_notice": "nomination.publish_notice",
                "open_round": "nomination.open_round", "reserve": "nomination.reserve"}
    BINDINGS = [
        Binding("g", "switch_round", N_("Round")),
        Binding("a", "toggle_present", N_("Present/absent")),
        Binding("A", "all_present", N_("All present"), show=False),
        Binding("r", "load_roll", N_("Roll file"), show=False),
        Binding("C", "close_attendance", N_("Close attendance"), show=False),
        Binding("f", "figures", N_("Issued/returned"), show=False),
        Binding("e", "enter_ballots", N_("Key ballots")),
        Binding("i", "import_ballots", N_("Import ballots"), show=False),
        Binding("x", "delete_ballot", N_("Delete a ballot"), show=False),
        Binding("v", "revote", N_("Re-vote"), show=False),
        Binding("c", "certify", N_("Certify")),
        Binding("d", "draft_notice", N_("Draft notice"), show=False),
        Binding("p", "publish_notice", N_("Publish notice"), show=False),
        Binding("l", "language", N_("Language"), show=False),
        Binding("X", "export_count", N_("Export the count (XLSX)"), show=False),
        Binding("o", "open_round", N_("Open round")),
        Binding("R", "reserve", N_("Name reserve"), show=False),
    ]

    def round_words(self) -> str:
        """The round as the operator knows it ("<nomination's title>, round 1"), never its
        stored key: dialog titles and messages name it so."""
        return describe(self.civic.db, self.civic.pm, self.rnd.key)

    def __init__(self, nid: int) -> None:
        super().__init__()
        self.nid = nid
        self.round_no: int | None = None  # None: the latest
        self.preview_lang = current_language()
        self.report: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="nom-summary")
        with TabbedContent(id="nom-tabs"):
            with TabPane(_("Overview"), id="tab-overview"), VerticalScroll():
                yield Static(id="overview-view")
            with TabPane(_("Roll"), id="tab-roll"):
                yield WideTable(id="roll-table", classes="panel", cursor_type="row")
            with TabPane(_("Adjudication"), id="tab-queue"):
                yield WideTable(id="queue-table", classes="panel", cursor_type="row")
            with TabPane(_("Count"), id="tab-count"), VerticalScroll():
                yield Static(id="count-view")
            with TabPane(_("Notice"), id="tab-notice"), VerticalScroll():
                yield Static(id="notice-view")

    def on_mount(self) -> None:
        self.electors: list[dict[str, Any]] = []
        self.queue: list[dict[str, Any]] = []
        self.query_one("#roll-table", DataTable).add_columns(
            _("Code"), _("Name"), _("Category"), _("Present"))
        self.query_one("#queue-table", DataTable).add_columns(
            _("Post"), _("Written"), _("Marks"), _("State"), _("Decision"), _("Could be"))

    # -- showing ----------------------------------------------------------------------------

    def refresh_data(self) -> None:
        db = self.civic.db
        self.nom = store.get(db, self.nid)
        self.rnd = store.get_round(db, self.nom, self.round_no)
        entered = db.execute("SELECT count(*) FROM voting_ballots WHERE round = ?",
                             (self.rnd.vround.id,)).fetchone()[0]
        v = self.rnd.vround
        self.query_one("#nom-summary", Static).update(Text(_(
            "{title} · round {round} · {status} · ballots issued {issued}, returned "
            "{returned}, entered {entered}").format(
                title=self.nom.title, round=self.rnd.round_no,
                status=label(self.rnd.status), issued="-" if v.issued is None else v.issued,
                returned="-" if v.returned is None else v.returned, entered=entered)))
        self.query_one("#overview-view", Static).update(Text(workflows.overview_text(
            workflows.overview(db, self.nid))))
        self._fill_roll()
        self._fill_queue()
        self._fill_count()
        self._fill_notice()

    def _fill_roll(self) -> None:
        table = self.query_one("#roll-table", DataTable)
        row = table.cursor_row
        self.electors = ballots.electors(self.civic.db, self.rnd.vround)
        table.clear()
        for e in self.electors:
            table.add_row(e["code"], Text(e["name"]), Text(e["category"]),
                          "✓" if e["present"] else "")
        present = sum(e["present"] for e in self.electors)
        self.attendance_closed = ballots.attendance_closed(self.civic.db, self.rnd.vround)
        # The round by its number: its key (nomination:1:2) is for the CLI, not the screen.
        table.border_title = (_("Roll of round {round}: {present} present of {registered}, "
                                "attendance closed") if self.attendance_closed else
                              _("Roll of round {round}: {present} present of {registered}")
                              ).format(round=self.rnd.round_no, present=present,
                                       registered=len(self.electors))
        # The roll's keys are hidden from the footer (see BINDINGS): said here while they work.
        table.border_subtitle = "" if self.rnd.status != "open" else _(
            "f ballots issued and returned · x delete a ballot") if self.attendance_closed \
            else _("a present/absent · A all present · r roll file · C close attendance · f "
                   "ballots issued and returned")
        if self.electors:
            table.move_cursor(row=min(row, len(self.electors) - 1))

    def _fill_queue(self) -> None:
        db = self.civic.db
        table = self.query_one("#queue-table", DataTable)
        self.queue = store.queue(db, self.rnd, everything=True)
        table.clear()
        for q in self.queue:
            could = ", ".join(c["code"] for c in store.candidates_for(db, q["written"]))
            # A state or decision is a code (unresolved, a reason, invalid) or a person's code.
            table.add_row(q["position"], Text(q["text"]), q["marks"],
                          label(q["state"]) if q["state"] in MARK_STATES else q["state"],
                          label(q["decision"]) if q["decision"] == "invalid"
                          else q["decision"] or "", could)
        waiting = sum(q["marks"] for q in self.queue if q["state"] == "unresolved")
        table.border_title = _("Written names: {n} marks wait for a decision").format(n=waiting)

    def _fill_count(self) -> None:
        view = self.query_one("#count-view", Static)
        nom, rnd = self.nom, self.rnd

        def done(report: dict[str, Any]) -> None:
            self.report = report
            view.update(count_view(report))

        def failed(error: CivicError) -> None:
            self.report = None
            view.update(Text(str(error)))

        pm = self.civic.pm
        run_db_worker(self, lambda db: store.report(db, nom, rnd, pm), done, group="nom-count",
                      failed=failed)

    def _fill_notice(self) -> None:
        view = self.query_one("#notice-view", Static)
        if self.rnd.notice is None:
            view.update(_("Round 1's notice is drafted (d) once round 1 is certified.")
                        if self.rnd.round_no == OPEN else
                        _("The notice of the candidates for inspection (考察对象公示) is drafted "
                          "(d) once round 2 is certified; R names the reserve candidates once "
                          "it is confirmed."))
            return
        found = notices.get(self.civic.db, self.rnd.notice)
        view.update(Text(notices.render(self.civic.office, found, lang=self.preview_lang,
                                        fmt="txt")))

    # -- steps ------------------------------------------------------------------------------

    def _do(self, action: str, step: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.civic.require_change(action):
            return None
        try:
            result = step(self.civic.office, *args, **kwargs)
        except CivicError as error:
            self.civic.show_error(error)
            return None
        self.civic.data_changed()
        return result if result is not None else True

    def action_switch_round(self) -> None:
        found = store.rounds(self.civic.db, self.nid)
        keys = [(r.round_no, r.attempt) for r in found]
        at = keys.index((self.rnd.round_no, self.rnd.attempt))
        nxt = found[(at + 1) % len(found)]
        self.round_no = nxt.round_no if nxt is not found[-1] else None
        self.refresh_data()

    def action_toggle_present(self) -> None:
        row = self.query_one("#roll-table", DataTable).cursor_row
        if not self.electors or not 0 <= row < len(self.electors):
            return
        elector = self.electors[row]
        self._do("nomination.attend", actions.attend, self.rnd, [elector["code"]],
                 not elector["present"])

    def action_all_present(self) -> None:
        self._do("nomination.attend", actions.attend, self.rnd, None, True)

    def action_load_roll(self) -> None:
        if not self.civic.require_change("nomination.roll"):
            return
        rnd = self.rnd

        def loaded(result: Any) -> None:
            if result is not None:
                self.app.notify(_("{added} added, {updated} updated, {unchanged} unchanged.")
                                .format(**result), title=_("Roll"))
                self.civic.data_changed()

        self.app.push_screen(ImportDialog(
            _("Load the roll of {key}").format(key=self.round_words()),
            lambda office, path: actions.load_roll(office, rnd, path)), loaded)

    def action_close_attendance(self) -> None:
        action = "nomination.attend"
        if not self.civic.require_change(action):
            return
        present = sum(e["present"] for e in self.electors)

        def answered(yes: bool | None) -> None:
            if yes and self._do(action, actions.close_attendance, self.rnd):
                self.app.notify(_("Attendance closed: {present} present. Ballots can now be "
                                  "entered.").format(present=present))

        self.app.push_screen(ConfirmDialog(_(
            "Close attendance of {key} with {present} of {registered} electors present? The "
            "number present is then final: no attendance change is taken after it, and "
            "ballots are entered only after it.").format(
                key=self.round_words(), present=present, registered=len(self.electors))), answered)

    def action_figures(self) -> None:
        action = "nomination.ballots_record"
        if not self.civic.require_change(action):
            return
        v, rnd = self.rnd.vround, self.rnd
        fields = [Field("issued", _("Ballots issued"), "" if v.issued is None else str(v.issued),
                        check=_whole),
                  Field("returned", _("Ballots returned"),
                        "" if v.returned is None else str(v.returned), check=_whole)]
        self.push_form(_("Ballots of {key}").format(key=self.round_words()), fields, lambda values:
                       actions.record_figures(self.civic.office, rnd, int(values["issued"]),
                                            int(values["returned"])))

    def action_delete_ballot(self) -> None:
        action = "nomination.ballot_delete"
        if not self.civic.require_change(action):
            return
        rnd = self.rnd

        def check(values: dict[str, str]) -> dict[str, str]:
            # Refused here, before a supervisor is called over: the form stays open.
            rnd.require_open()
            if ballots.ballot(self.civic.db, rnd.vround, int(values["number"])) is None:
                raise FieldError("number", _("No ballot {number} in round {key}.").format(
                    number=values["number"], key=self.round_words()))
            return values

        def checked(values: dict[str, str]) -> None:
            def signed(signer: Operator | None) -> None:
                if signer is not None and self._do(
                        action, actions.delete_ballot, rnd, int(values["number"]),
                        reason=values["reason"], cosigner=signer):
                    self.app.notify(_("Ballot {number} deleted, co-signed by {name}.").format(
                        number=values["number"], name=signer.name))

            self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

        self.app.push_screen(FormDialog(_("Delete a ballot of {key}").format(
            key=self.round_words()), [
            Field("number", _("Ballot number"), check=_whole),
            Field("reason", _("Why it is deleted (kept in the audit log)"), multiline=True),
        ], submit=_("Delete"), apply=check), lambda values: None if values is None
            else checked(values))

    def action_enter_ballots(self) -> None:
        from civic.plugins.nomination.screens.entry import BallotEntryScreen

        if self.rnd.status != "open":
            self.civic.show_error(_("Round {round} is {status}: it takes no more ballots.")
                                  .format(round=self.rnd.round_no, status=label(self.rnd.status)))
            return
        if not self._attendance_closed():
            return
        self.app.push_screen(BallotEntryScreen(self.nid, self.rnd.round_no))

    def _attendance_closed(self) -> bool:
        """Ballots wait for attendance to close: said before anything is typed."""
        try:
            ballots.require_attendance_closed(self.civic.db, self.rnd.vround)
        except CivicError as error:
            self.civic.show_error(_("{error} (C in the roll tab)").format(error=error))
            return False
        return True

    def action_import_ballots(self) -> None:
        if not self.civic.require_change("nomination.ballots_import") or not self._attendance_closed():
            return
        nom, rnd = self.nom, self.rnd

        def imported(result: Any) -> None:
            if result is not None:
                self.app.notify(_("{ballots} ballots with {marks} marks imported.").format(
                    **result), title=_("Ballots"))
                self.civic.data_changed()

        self.app.push_screen(ImportDialog(
            _("Import ballots into {key}").format(key=self.round_words()),
            lambda office, path: actions.import_ballots(office, nom, rnd, path)), imported)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "queue-table":
            self.adjudicate(event.cursor_row)

    def adjudicate(self, row: int) -> None:
        if not self.queue or not 0 <= row < len(self.queue):
            return
        item = self.queue[row]
        db = self.civic.db
        people = store.candidates_for(db, item["written"])
        if self.rnd.round_no != OPEN:
            slate = store.slates(db, self.nom).get(item["position"], {})
            people = [{"code": c, "name": n, "unit": "", "birth_date": ""}
                      for c, n in slate.items()]
        elif not people:
            people = list(db.query("SELECT code, name, birth_date, unit FROM people WHERE"
                                   " status IN ('serving', 'reserve') ORDER BY code"))
        choices = [(f"{p['code']}  {p['name']}  {p.get('birth_date') or ''}  "
                    f"{p.get('unit') or ''}", p["code"]) for p in people]
        choices.append((_("— the intent is not clear: the mark is void"), "\x00invalid"))
        if item["decision"]:
            choices.append((_("— reverse the decision in force"), "\x00reverse"))

        def chosen(value: str | None) -> None:
            if value is None:
                return
            self._do("nomination.adjudicate", actions.adjudicate, self.nom, self.rnd,
                     position=item["position"], written=item["text"],
                     person=None if value.startswith("\x00") else value,
                     invalid=value == "\x00invalid", reverse=value == "\x00reverse")

        self.app.push_screen(PickerDialog(_("{position}: who is “{text}”?").format(
            position=item["position"], text=item["text"]), choices), chosen)

    def action_revote(self) -> None:
        tied = [p for p in (self.report or {}).get("positions", []) if p["tie_at_cutoff"]]
        if not tied:
            self.civic.show_error(_("No tie at the cut-off to settle."))
            return
        post = tied[0]
        names = {r["person"]: r["name"] for r in post["results"]}
        if self.nom.settings.tie_policy == MEETING:
            self._decide_tie(post, names)
            return
        fields = [Field(code, f"{names.get(code, '')} ({code})", "0", check=_whole)
                  for code in post["tie_at_cutoff"]]
        if not self.civic.require_change("nomination.revote"):
            return
        nom, rnd = self.nom, self.rnd
        self.push_form(_("Re-vote for {position}").format(position=post["position"]), fields,
                       lambda values: actions.record_revote(
                           self.civic.office, nom, rnd, post["position"],
                           {c: int(n) for c, n in values.items()}))

    def _decide_tie(self, post: dict[str, Any], names: dict[str, str]) -> None:
        """Tie policy `meeting`: the department meeting's decision, co-signed."""
        action = "nomination.decide_tie"
        if not self.civic.require_change(action):
            return
        nom, rnd, code = self.nom, self.rnd, post["position"]
        tied = ", ".join(f"{c} {names.get(c, '')}" for c in post["tie_at_cutoff"])
        fields = [Field("codes", _("Who goes on (codes, separated by commas); tied: {tied}")
                        .format(tied=tied)),
                  Field("meeting", _("The meeting that decided (e.g. 2008年7月5日部务会)")),
                  Field("on", _("Day it decided"), self.civic.office.today().isoformat(),
                        check=iso_date)]

        def checked(values: dict[str, str] | None) -> None:
            if values is None:
                return
            codes = [c.strip() for c in values["codes"].replace("，", ",").split(",")
                     if c.strip()]

            def signed(signer: Operator | None) -> None:
                if signer is not None and self._do(
                        action, actions.decide_tie, nom, rnd, code, codes,
                        meeting=values["meeting"], cosigner=signer,
                        decided_on=dt.date.fromisoformat(values["on"])):
                    self.app.notify(_("The meeting's decision on {position} is recorded.")
                                    .format(position=code))

            self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

        self.app.push_screen(FormDialog(_("The department meeting's decision on {position}")
                                        .format(position=code), fields), checked)

    def action_certify(self) -> None:
        action = "nomination.certify"
        if not self.civic.require_change(action):
            return
        try:
            problems = store.certify_problems(self.civic.db, self.nom, self.rnd)
        except CivicError as error:
            self.civic.show_error(error)
            return
        if problems or self.rnd.status != "open":
            self.civic.show_error("\n".join(problems) or _("Round {round} is {status}.").format(
                round=self.rnd.round_no, status=label(self.rnd.status)))
            return

        def signed(signer: Operator | None) -> None:
            if signer is not None and self._do(action, actions.certify, self.nom, self.rnd,
                                               signer):
                self.app.notify(_("Round {round} certified; it is locked.").format(
                    round=self.rnd.round_no))

        # What the supervisor should see before signing: a post short of the places asked.
        warnings = store.certify_warnings(self.civic.db, self.nom, self.rnd)
        title = self.civic.title_of(action)
        explanation = "\n".join([_("A supervisor (discipline commission) must co-sign: "
                                   "{action}.").format(action=title), *warnings])
        self.app.push_screen(CosignDialog(title, explanation=explanation), signed)

    def action_draft_notice(self) -> None:
        drafted = self._do("nomination.draft_notice", notice.draft, self.nom, self.rnd.round_no)
        if drafted:
            self.app.notify(_("Notice {id} drafted; p publishes it.").format(id=drafted.id))

    def action_publish_notice(self) -> None:
        action = "nomination.publish_notice"
        if not self.civic.require_change(action):
            return

        if self.rnd.notice is None:
            self.civic.show_error(_("Draft round {round}'s notice first.").format(
                round=self.rnd.round_no))
            return
        today = self.civic.office.today()
        nom, round_no = self.nom, self.rnd.round_no

        def posted_on(values: dict[str, str]) -> dt.date:
            # The day it went up on the board: often earlier than the day it is recorded.
            day = dt.date.fromisoformat(values["posted_on"])
            if day > today:
                raise FieldError("posted_on", _(
                    "A notice cannot be recorded as published on {date}, after today.").format(
                        date=day.isoformat()))
            return day

        def cosign(day: dt.date) -> None:
            def signed(signer: Operator | None) -> None:
                done = None if signer is None else self._do(
                    action, notice.publish, nom, signer, day, round_no)
                if done is not None:
                    self.app.notify(_("Notice {id} published; its period ends on {end}. "
                                      "Objections are recorded and the notice confirmed in "
                                      "the notices mode (F6).").format(id=done.id,
                                                                       end=done.ends_on))

            self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

        self.app.push_screen(FormDialog(
            _("Publish notice {id}").format(id=self.rnd.notice),
            [Field("posted_on", _("Posted on"), today.isoformat(), check=iso_date)],
            submit=_("Next"), apply=posted_on), lambda day: None if day is None else cosign(day))

    def action_reserve(self) -> None:
        named = self._do("nomination.reserve", actions.name_reserve, self.nom)
        if named:
            self.app.notify(_("{n} reserve candidates named.").format(
                n=sum(len(c) for c in named.values())))

    def action_language(self) -> None:
        self.preview_lang = "en" if self.preview_lang == "zh_CN" else "zh_CN"
        self._fill_notice()

    def action_export_count(self) -> None:
        """The round's count as a spreadsheet (as `civic nomination count --out`)."""
        from civic.plugins.nomination.workflows import count_rows
        from civic.tabular import write_table

        report = self.report
        if report is None:
            self.notify(_("Round {round} has no count yet.").format(round=self.rnd.round_no))
            return
        db = self.civic.db
        self.export_file(_("Export the count"),
                         f"nomination-{self.nid}-round-{self.rnd.round_no}.xlsx",
                         lambda path: write_table(path, *count_rows(db, report)))

    def action_open_round(self) -> None:
        rerun = bool(self.report and self.report.get("void"))
        question = (_("Round {round} is void: hold it again with the same roll?").format(
            round=self.rnd.round_no) if rerun else
            _("Open round 2 (the conference round) among those going on?"))

        def answered(yes: bool | None) -> None:
            if yes and self._do("nomination.open_round", actions.open_round, self.nom, rerun=rerun):
                self.round_no = None
                self.refresh_data()

        self.app.push_screen(ConfirmDialog(question), answered)


def count_view(report: dict[str, Any]) -> Group:
    """The live count: a line of figures and a table with bars per post."""
    e, b = report["electors"], report["ballots"]
    parts: list[Any] = [Text(_(
        "{present} of {registered} electors present; ballots issued {issued}, returned "
        "{returned}, entered {entered}.").format(
            present=e["present"], registered=e["registered"], issued=b["issued"],
            returned=b["returned"], entered=b.get("entered", "-")))]
    if report["void"]:
        parts.append(Text(_("VOID: more ballots returned than issued. o holds the round "
                            "again."), style="bold red"))
    top = max((r["votes"] for p in report["positions"] for r in p["results"]), default=0) or 1
    for post in report["positions"]:
        m = post["marks"]
        table = Table(title=Text(_(
            "{position}: {counted} counted, {blank} blank, {invalid} invalid, {unresolved} "
            "waiting").format(position=post["position"], **m)), title_justify="left",
            expand=False, show_edge=False)
        for heading in (_("#"), _("Code"), _("Name"), _("Votes"), "", _("Goes on")):
            table.add_column(heading)
        for r in post["results"]:
            style = "bold" if r["advances"] else ("yellow" if r["person"] in
                                                  post["tie_at_cutoff"] else "")
            table.add_row(str(r["rank"]), r["person"], r["name"], str(r["votes"]),
                          "█" * max(1 if r["votes"] else 0, round(BAR * r["votes"] / top)),
                          "✓" if r["advances"] else "", style=style)
        parts.append(table)
        parts += [Text(workflows.warning_line(r), style="yellow") for r in post["results"]
                  if r.get("warnings")]
        if post["tie_at_cutoff"]:
            parts.append(Text(_("Tie at the cut-off: {codes}; v records a re-vote.").format(
                codes=", ".join(post["tie_at_cutoff"])), style="yellow"))
    return Group(*parts)
