"""The election mode (F9): the elections; Enter opens one with its count (a bar per candidate
and the threshold line), certification, runoff and re-vote, the results notice and its terms;
n creates one from a pack (差额 checked on submit); b opens the batches, each a dashboard of its
schools' outcomes with a filter by outcome."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, ProgressBar, Static

from civic.errors import CivicError
from civic.i18n import N_, _, ngettext
from civic.office import Operator
from civic.plugins.election import actions, rules, store
from civic.plugins.election.keying import (
    BallotDraft,
    BallotKeyingScreen,
    TallyKeyingScreen,
    file_draft,
)
from civic.plugins.election.rules import TERM_STATUS
from civic.tally import REVOTE, RUNOFF
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import Field, FieldError, iso_date
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.text import ItemsParagraph
from civic.tui.widgets.wide_table import WideTable
from civic.tui.workers import progress_poster, run_db_worker


def pad(text: str, cells: int) -> str:
    from civic.textwidth import pad as padded
    from civic.textwidth import width

    while width(text) > cells:
        text = text[:-1]
    return padded(text, cells)

BAR = 24  # cells of a full bar (a share of 1)
STATUS = {"open": N_("open"), "not_held": N_("not held"), "certified": N_("certified")}



def bar(share: Fraction, threshold: Fraction, width: int = BAR) -> Text:
    """A candidate's share as a bar, the threshold marked where it falls (┃)."""
    filled = min(width, int(share * width))
    mark = min(width - 1, int(threshold * width))
    cells = ["█" if i < filled else "·" for i in range(width)]
    cells[mark] = "┃"
    text = Text()
    for i, cell in enumerate(cells):
        text.append(cell, style="bold red" if i == mark else ("green" if i < filled else "dim"))
    return text


def share_of(row: dict[str, Any], contest: dict[str, Any]) -> Fraction:
    if row["weighted_share"] is not None:
        return Fraction(row["weighted_share"])
    base = contest["threshold"]["of"]
    return Fraction(row["for"], base) if base else Fraction(0)


def count_text(data: dict[str, Any], threshold: Fraction,
               pack: rules.Pack | None = None) -> Text:
    """The count as the screen shows it: quorum and ballots, then per contest a bar for each
    candidate against the threshold, ties, shortfall and runoff slate. Contests and
    constituencies in the pack's words, candidates by name."""
    def contest_word(code: str) -> str:
        return pack.contest_label(code) if pack else code

    def ward_word(code: str) -> str:
        return pack.constituency_label(code) if pack else code

    out = Text()
    outcome = rules.outcome(data)
    out.append(_("Round {round}: {outcome}").format(round=data["round"],
                                                    outcome=_(rules.OUTCOMES[outcome])),
               style="bold")
    q = data["quorum"]
    out.append("\n" + _("Due {due}, present {present}; ballots issued {issued}, returned "
                        "{returned}").format(due=q["due"], present=q["present"],
                                             **data["ballots"]))
    for w in data["constituencies"]:
        out.append("\n  " + _("{code}: weight {weight}, due {due}, present {present}, "
                              "returned {returned}").format(**{**w, "code": ward_word(w["code"])}))
    for contest in data["contests"]:
        out.append("\n\n" + _("{contest}: {seats} seats; threshold {fraction} of {base} "
                              "({of}); valid {valid}, invalid {invalid}").format(
            contest=contest_word(contest["contest"]), seats=contest["seats"], fraction=threshold,
            base=_(rules.BASE_LABELS.get(contest["threshold"]["base"],
                                         contest["threshold"]["base"])),
            of=contest["threshold"]["of"],
            **contest["ballots"]), style="bold")
        out.append("\n" + _("Rank, name, share against the threshold (┃), for/against/abstain"),
                   style="dim")
        for row in contest["results"]:
            share = share_of(row, contest)
            out.append(f"\n{row['rank']:>2} {pad(row['name'], 8)} ")
            out.append(bar(share, threshold))
            out.append(f" {float(share):6.1%} {row['for']}/{row['against']}/{row['abstain']}")
            if row["elected"]:
                out.append(" " + _("elected"), style="bold green")
        named = {row["candidate"]: row["name"] for row in contest["results"]}
        if contest["tie_for_seat"]:
            out.append("\n" + _("Tied for a seat: re-vote among {codes} (v)").format(
                codes=", ".join(named.get(c, c) for c in contest["tie_for_seat"])),
                style="yellow")
        if contest["shortfall"]:
            out.append("\n" + _("Shortfall {n}: runoff among {codes} (r, after certifying)")
                       .format(n=contest["shortfall"], codes=", ".join(
                           named.get(c, c) for c in contest["runoff_slate"])), style="yellow")
    return out


class ElectionsScreen(RecordListScreen):
    SCREEN_TITLE = N_("Elections")
    HELP = N_("Direct elections with their pack, day and status. Enter opens one: its count "
              "with a bar per candidate and the threshold line, certification, runoff, "
              "re-vote and notice. n creates one from a rule pack (差额 checked); b opens the "
              "batches of schools; t the terms, their targets and recalls.")
    BINDINGS = [Binding("n", "new", N_("New election")),
                Binding("b", "batches", N_("Batches")),
                Binding("t", "terms", N_("Terms"))]
    TABLE_ID = "election-list"
    TABLE_TITLE = N_("Elections")
    COLUMNS = (N_("No."), N_("Title"), N_("Pack"), N_("Day"), N_("Status"), N_("Rounds"))
    EMPTY = N_("no elections yet: n creates one")
    NEW_ACTION = "election.create"
    NEW_TITLE = N_("New election")

    def load_rows(self) -> list[dict[str, Any]]:
        return [e for e in store.elections(self.civic.db) if e["batch"] is None]

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["id"], Text(r["title"]), Text(r["pack_name"]), r["held_on"],
                _(STATUS[r["status"]]),
                r["rounds"])

    def record_screen(self, record_id: int) -> ElectionScreen:
        return ElectionScreen(record_id)

    def action_batches(self) -> None:
        self.app.push_screen(BatchesScreen())

    def action_terms(self) -> None:
        self.app.push_screen(TermsScreen())

    def new_fields(self) -> list[Field]:
        return [
            Field("title", _("Title")),
            Field("pack", _("Rule pack"), "party-base-2020",
                  choices=[(p.name() if p.edition in p.name() else f"{p.name()} ({p.edition})", p.key)
                           for p in rules.packs().values()]),
            Field("held_on", _("Day of the election"), self.civic.office.today().isoformat(),
                  check=iso_date),
            Field("seats", _("Seats")),
            Field("candidates", _("Candidates (codes, comma-separated; * the incumbent)")),
            Field("office_title", _("Office the elected hold")),
        ]

    def create(self, values: dict[str, str]) -> int:
        pack = rules.pack(values["pack"])
        seats_text = values["seats"].strip()
        if not seats_text.isdigit() or int(seats_text) < 1:
            raise FieldError("seats", _("a whole number of seats, 1 or more"))
        listed = []
        for item in filter(None, (c.strip() for c in values["candidates"].split(","))):
            code = item.rstrip("*")
            row = self.civic.db.execute("SELECT name FROM people WHERE code = ?",
                                        (code,)).fetchone()
            if row is None:
                raise FieldError("candidates", _("{code} is not in the registry").format(
                    code=code))
            listed.append(actions.Candidate(code, row[0], item.endswith("*")))
        problem = rules.slate_problem(pack, int(seats_text), len(listed))
        if problem:
            raise FieldError("candidates", problem)
        spec = actions.ContestSpec("committee", int(seats_text), tuple(listed))
        return actions.create(self.civic.office, title=values["title"].strip() or _("Election"),
                              pack=pack, held_on=dt.date.fromisoformat(values["held_on"]),
                              contests_=[spec], office_title=values["office_title"].strip())


class ElectionScreen(SubScreen):
    SCREEN_TITLE = N_("Election")
    HELP = N_("One election: its pack and sources, the count of the latest round (a bar per "
              "candidate, the threshold line), its terms. c certifies (a supervisor "
              "co-signs), r opens the runoff for a shortfall, v a re-vote (a tie, or a void "
              "round again), p drafts the results notice. k keys the paper ballots of the open "
              "round, one by one (a ballot left half keyed is kept: k again brings it back); s "
              "keys a constituency's tally sheet.")
    BINDINGS = [Binding("c", "certify", N_("Certify")), Binding("r", "runoff", N_("Runoff")),
                Binding("v", "revote", N_("Re-vote")), Binding("p", "notice", N_("Notice")),
                Binding("k", "key_ballots", N_("Key ballots")),
                Binding("s", "key_tally", N_("Key a tally sheet"))]
    PERFORMS = {"certify": "election.certify", "runoff": "election.round",
                "revote": "election.round", "notice": "election.notice",
                "key_ballots": "election.ballots", "key_tally": "election.ballots"}

    def __init__(self, election_id: int) -> None:
        super().__init__()
        self.election_id = election_id
        # The ballot being keyed, per round: kept here while the keying screen is left, so k
        # brings it back, and asked about (save / discard / stay) before this screen goes.
        self.drafts: dict[str, BallotDraft] = {}

    DEFAULT_CSS = """
    ElectionScreen #election-count-box { height: 1fr; }
    ElectionScreen #election-terms { height: auto; max-height: 8; }
    """

    def compose_body(self) -> ComposeResult:
        yield Static(id="election-head", classes="panel")
        with VerticalScroll(id="election-count-box", classes="panel"):
            yield Static(id="election-count")
        terms = WideTable(id="election-terms", classes="panel", cursor_type="row")
        terms.border_title = _("Terms and targets")
        yield terms

    def on_mount(self) -> None:
        self.query_one("#election-terms", DataTable).add_columns(
            _("No."), _("Name"), _("From"), _("Until"), _("Status"), _("Targets"))
        # The count is what the screen is for: at 80x24 its candidates run below the box, and
        # the arrows and page keys scroll it at once (Tab reaches the terms).
        self.query_one("#election-count-box").focus()

    def refresh_data(self) -> None:
        db = self.civic.db
        election = store.get_election(db, self.election_id)
        head = Text(f"{election.id}  {election.title}\n", style="bold")
        head.append(f"{election.pack.name()} · {election.pack.source('threshold')} · "
                    f"{election.held_on.isoformat()} · {_(STATUS[election.status])}")
        self.query_one("#election-head", Static).update(head)
        panel = self.query_one("#election-count", Static)
        try:
            data = store.election_count(db, election)
            rnd = store.get_round(db, election.id) if election.status != "not_held" else None
            threshold = (store.rules_for(election, rnd).threshold.fraction if rnd
                         else election.pack.threshold.fraction)
            panel.update(count_text(data, threshold, election.pack))
        except CivicError as error:
            panel.update(Text(str(error)))
        table = self.query_one("#election-terms", DataTable)
        table.clear()
        for term in store.terms(db, election=election.id):
            targets = store.targets(db, term["id"])
            met = sum(t["status"] == "met" for t in targets)
            table.add_row(term["id"], Text(term["name"]), term["starts"], term["ends"],
                          _(TERM_STATUS[term["status"]]), f"{met}/{len(targets)}")

    def _do(self, action: str, fn: Any, *args: Any) -> Any:
        if not self.civic.require_change(action):
            return None
        try:
            result = fn(self.civic.office, *args)
        except CivicError as error:
            self.civic.show_error(error)
            return None
        self.refresh_data()
        return result

    def action_certify(self) -> None:
        action = "election.certify"
        if not self.civic.require_change(action):
            return
        if self._kept():  # the count would leave out a ballot the clerk has keyed
            self.civic.show_error(_("File or discard the ballot being keyed first (k)."))
            return

        def signed(signer: Operator | None) -> None:
            if signer is not None and self._do(action, actions.certify, self.election_id,
                                               signer) is not None:
                self.app.notify(_("Election certified; the terms are recorded."))

        self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

    def _keyable(self) -> store.Round | None:
        if not self.civic.require_change("election.ballots"):
            return None
        try:
            actions.open_round(self.civic.office, self.election_id)
            return store.get_round(self.civic.db, self.election_id)
        except CivicError as error:
            self.civic.show_error(error)
            return None

    def action_key_ballots(self) -> None:
        rnd = self._keyable()
        if rnd is not None:
            draft = self.drafts.setdefault(rnd.vround.key, BallotDraft(rnd.vround.key))
            self.app.push_screen(BallotKeyingScreen(self.election_id, draft))

    def action_key_tally(self) -> None:
        if self._keyable() is not None:
            self.app.push_screen(TallyKeyingScreen(self.election_id))

    def _kept(self) -> list[tuple[str, BallotDraft]]:
        return [(key, d) for key, d in self.drafts.items() if d.keyed()]

    def unsaved_work(self) -> str | None:
        kept = self._kept()
        if not kept:
            return None
        return _("ballot No. {number}, keyed").format(number=kept[0][1].number)

    def save_work(self) -> bool:
        return all(file_draft(self, self.election_id, d) for _key, d in self._kept())

    def discard_work(self) -> None:
        for draft in self.drafts.values():
            draft.clear()

    def action_back(self) -> None:
        self.civic.guard_leaving(self.app.pop_screen, [self])

    def action_runoff(self) -> None:
        if self._do("election.round", actions.open_follow_on, self.election_id, RUNOFF):
            self.app.notify(_("Runoff opened."))

    def action_revote(self) -> None:
        if self._do("election.round", actions.open_follow_on, self.election_id, REVOTE):
            self.app.notify(_("Re-vote opened."))

    def action_notice(self) -> None:
        from civic.plugins.election import notice

        drafted = self._do("election.notice", notice.draft, self.election_id)
        if drafted:
            self.app.notify(_("Notice {id} drafted; publish it in the notices mode.").format(
                id=drafted.id))


class BatchesScreen(SubScreen):
    SCREEN_TITLE = N_("Election batches")
    HELP = N_("Batches of elections (hundreds of schools at once). Enter opens a batch's "
              "dashboard: every school's outcome, filtered by outcome with f.")
    BINDINGS = [Binding("enter", "open", N_("Open"))]

    def compose_body(self) -> ComposeResult:
        table = WideTable(id="election-batches", classes="panel", cursor_type="row")
        table.border_title = _("Batches")
        yield table

    def on_mount(self) -> None:
        self.rows: list[dict[str, Any]] = []
        table = self.query_one(DataTable)
        table.add_columns(_("No."), _("Title"), _("Elections"), _("Day"))
        table.focus()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.rows = store.batches(self.civic.db)
        for b in self.rows:
            table.add_row(b["id"], Text(b["title"]), b["elections"], b["created_on"])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if self.rows and 0 <= row < len(self.rows):
            self.app.push_screen(BatchScreen(self.rows[row]["id"]))


# An election's outcome in a cell of the batch's table: a word, so that at 80 columns the title,
# the elected and the share stay in view (the summary above gives each reason in full).
OUTCOME_CELLS = {
    rules.ELECTED: N_("elected"),
    rules.PENDING: N_("not counted"),
    rules.NOT_HELD: N_("not held"),
    rules.NO_QUORUM: N_("no quorum"),
    rules.NOBODY: N_("none elected"),
    rules.TIE: N_("tie: re-vote"),
    rules.VOID: N_("void"),
}
TITLE_MIN = 14  # cells of an election's title however narrow: "昆明市第10中小…"


def batch_row(e: dict[str, Any]) -> tuple[Text, ...]:
    """One election of a batch as the dashboard's cells: title, outcome, the elected (the
    first and how many more: a county's 换届 elects dozens), the first's weighted share,
    ballots returned of electors due, the group."""
    won = [r for c in e["contests"] for r in c["results"] if r["elected"]]
    who = ""
    if won:
        who = won[0]["name"] if len(won) == 1 else ngettext(
            "{name} and {n} more", "{name} and {n} more", len(won) - 1).format(
                name=won[0]["name"], n=len(won) - 1)
    share = won[0]["weighted_share"] if won and won[0]["weighted_share"] else ""
    due = e["quorum"]["due"]
    return (Text(e["title"], no_wrap=True, overflow="ellipsis"),
            Text(_(OUTCOME_CELLS[e["outcome"]])), Text(who, no_wrap=True, overflow="ellipsis"),
            Text(share), Text(f"{e['ballots']['returned']}/{due}" if due else "",
                              justify="right"), Text(e["group"] or ""))


class BatchScreen(SubScreen):
    SCREEN_TITLE = N_("Batch dashboard")
    HELP = N_("A batch's summary (held, elected, why the others were not, incumbents "
              "re-elected and new) and every election's outcome; f cycles the filter by "
              "outcome.")
    BINDINGS = [Binding("f", "filter", N_("Filter"))]
    DEFAULT_CSS = """
    BatchScreen #election-batch-summary { height: auto; max-height: 9; }
    BatchScreen #election-batch { height: 1fr; }
    BatchScreen #election-batch-progress { display: none; height: 1; padding: 0 1; }
    BatchScreen.-counting #election-batch-progress { display: block; }
    """

    def __init__(self, batch: int) -> None:
        super().__init__()
        self.batch_id = batch  # not `batch`: Textual's widgets have a batch() of their own
        self.filter: str | None = None
        self.data: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="election-batch-summary", classes="panel")
        yield ProgressBar(id="election-batch-progress", show_eta=False)
        table = WideTable(id="election-batch", classes="panel", cursor_type="row")
        table.border_title = _("Elections")
        yield table

    HEADERS = (N_("Election"), N_("Result"), N_("Elected"), N_("Share"),
               N_("Returned/due"), N_("Group"))

    def refresh_data(self) -> None:
        """Count the batch in a worker (hundreds of schools take seconds on an office PC):
        the screen answers meanwhile, the bar shows the elections decided so far."""
        self.set_class(True, "-counting")
        self.query_one("#election-batch-summary", Static).update(
            _("Counting the batch's elections…"))
        post = progress_poster(self.civic, self._progress)
        run_db_worker(self, lambda db: store.batch_count(db, self.batch_id, post),
                      self._counted, group="election-batch",
                      failed=self._failed)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#election-batch-progress", ProgressBar).update(total=total,
                                                                      progress=done)

    def _failed(self, error: CivicError) -> None:
        self.set_class(False, "-counting")
        self.civic.show_error(error)

    def _counted(self, data: dict[str, Any]) -> None:
        self.set_class(False, "-counting")
        self.data = data
        self._summarise()

    def _summarise(self) -> None:
        assert self.data is not None
        s = self.data["summary"]
        text = Text(_("{n} elections, {held} held, {elected} elected ({re} incumbents "
                      "re-elected, {new} new)").format(
            n=s["elections"], held=s["held"], elected=s["elected"],
            re=s["incumbents_reelected"], new=s["new"]), style="bold")
        total = max(1, s["elections"])
        done = s["with_elected"]
        text.append("\n" + _("Elected") + f" {done}/{total} ")
        text.append(bar(Fraction(done, total), Fraction(1), BAR)[:BAR - 1])
        text.append("  " + _("Filter: {what}").format(
            what=_(rules.OUTCOMES[self.filter]) if self.filter else _("all")),
            style="bold" if self.filter else "")
        # the reasons in one paragraph, wrapped: at 24 lines the schools keep their rows
        reasons = [_("{reason}: {n}").format(reason=_(rules.OUTCOMES[reason]), n=n)
                   for reason, n in s["not_elected"].items()]
        summary: Any = text
        if reasons:
            # wrapped between the reasons: a line never begins with "；" (nor splits a count)
            summary = Group(text, ItemsParagraph(_("Not elected: {reasons}"), reasons, _("; "),
                                                 key="reasons", style=str(text.style)))
        self.query_one("#election-batch-summary", Static).update(summary)
        self._fill()

    def _fill(self) -> None:
        assert self.data is not None
        self._rows = [batch_row(e) for e in self.data["elections"]
                      if not self.filter or e["outcome"] == self.filter]
        self._lay_out()

    def _lay_out(self) -> None:
        """The columns at their widths, the title's cut to what the others leave (at least
        TITLE_MIN cells, a long one ending in "…"): at 80 columns every column reads whole;
        narrower, the last ones are marked "▸ N more" (WideTable). Laid out again on a
        resize, as the home screen lays out its work."""
        table = self.query_one("#election-batch", DataTable)
        rows = getattr(self, "_rows", [])
        headers = [_(h) for h in self.HEADERS]
        widths = [max([cell_len(h), *(r[i].cell_len for r in rows)])
                  for i, h in enumerate(headers)]
        room = table.scrollable_content_region.width
        if not table.show_vertical_scrollbar:  # room for the bar the rows may come to need
            room -= table.styles.scrollbar_size_vertical
        others = sum(widths[1:]) + len(widths) * 2 * table.cell_padding
        title = min(widths[0], max(TITLE_MIN, room - others)) if room > 0 else None
        cursor = table.cursor_row
        table.clear(columns=True)
        for header, width in zip(headers, [title, *widths[1:]], strict=True):
            table.add_column(header, width=width)  # measured here: the same on every layout
        table.add_rows(rows)
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    def on_resize(self) -> None:
        if getattr(self, "_rows", None) is not None:
            self.call_after_refresh(self._lay_out)

    def action_filter(self) -> None:
        # the outcomes the batch has: a filter that shows no school is a key press wasted
        held = {e["outcome"] for e in self.data["elections"]} if self.data else set(rules.OUTCOMES)
        order = [None, *(o for o in rules.OUTCOMES if o in held)]
        self.filter = order[(order.index(self.filter) + 1) % len(order)]
        if self.data is not None:  # filtering shows the count already made
            self._summarise()


TARGET_STATUS = {"open": N_("open"), "met": N_("met"), "missed": N_("missed")}
RECALL_STATUS = {"filed": N_("petition filed"), "voting": N_("vote open"),
                 "passed": N_("recalled"), "failed": N_("not recalled"),
                 "invalid": N_("vote not valid")}


class TermsScreen(SubScreen):
    """Terms of elected office with their targets and recalls, as `civic election terms`,
    `target`, `extend` and `recall ...` keep them: the same actions and co-signatures."""

    SCREEN_TITLE = N_("Terms and targets")
    HELP = N_("Every term of elected office: its targets and their progress, its recalls. "
              "a adds a target, m records a target's progress, e extends the term (the "
              "level above approves); p files a recall petition, y records the reply, o "
              "opens the recall vote, g its figures, i its tally file, d decides it (a "
              "supervisor co-signs).")
    BINDINGS = [Binding("a", "add_target", N_("Target")),
                Binding("m", "progress", N_("Progress")),
                Binding("e", "extend", N_("Extend")),
                Binding("p", "petition", N_("Recall petition")),
                # a recall's later steps: named under the open petition and in the help
                Binding("y", "reply", N_("Reply"), show=False),
                Binding("o", "open_vote", N_("Recall vote"), show=False),
                Binding("g", "figures", N_("Figures"), show=False),
                Binding("i", "tallies", N_("Tally file"), show=False),
                Binding("d", "decide", N_("Decide"), show=False)]
    PERFORMS = {"add_target": "election.term", "progress": "election.term",
                "extend": "election.term", "petition": "election.recall",
                "reply": "election.recall", "open_vote": "election.recall",
                "figures": "election.recall", "tallies": "election.recall",
                "decide": "election.recall_decide"}
    DEFAULT_CSS = """
    TermsScreen #election-term-list { height: 1fr; }
    TermsScreen #election-term-detail { height: auto; max-height: 14; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        table = WideTable(id="election-term-list", classes="panel", cursor_type="row")
        table.border_title = _("Terms")
        yield table
        with VerticalScroll(id="election-term-detail", classes="panel"):
            yield Static(id="election-term-text")

    def on_mount(self) -> None:
        table = self.query_one("#election-term-list", DataTable)
        table.add_columns(_("No."), _("Name"), _("Status"), _("Targets met"), _("Until"),
                          _("Office"))
        table.focus()

    def refresh_data(self) -> None:
        db = self.civic.db
        table = self.query_one("#election-term-list", DataTable)
        row = table.cursor_row
        table.clear()
        self.rows = store.terms(db)
        for term in self.rows:
            targets = store.targets(db, term["id"])
            met = sum(t["status"] == "met" for t in targets)
            table.add_row(term["id"], Text(term["name"]), _(TERM_STATUS[term["status"]]),
                          f"{met}/{len(targets)}", term["ends"], Text(term["office_title"]))
        if self.rows:
            table.move_cursor(row=min(max(row, 0), len(self.rows) - 1))
        self._detail()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _term(self) -> dict[str, Any] | None:
        row = self.query_one("#election-term-list", DataTable).cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def _recall(self) -> dict[str, Any] | None:
        """The term's latest recall, the one the recall keys act on."""
        term = self._term()
        found = store.recalls(self.civic.db, term["id"]) if term else []
        return found[-1] if found else None

    def _detail(self) -> None:
        term = self._term()
        text = Text()
        if term is None:
            text.append(_("No terms yet: certifying an election records its terms."))
        else:
            text.append(f"{term['name']} · {term['office_title']} · {term['starts']} – "
                        f"{term['ends']}", style="bold")
            targets = store.targets(self.civic.db, term["id"])
            text.append("\n" + _("Targets"), style="bold")
            for t in targets:
                text.append(f"\n  {t['id']:>3}  {t['due']}  "
                            f"{pad(_(TARGET_STATUS[t['status']]), 6)} ")
                text.append(t["text"])
            if not targets:
                text.append("\n  " + _("none yet: a adds one"), style="dim")
            for r in store.recalls(self.civic.db, term["id"]):
                text.append("\n" + _("Recall {id}: {status}, filed {day}, {signers} of "
                                     "{registered} signed").format(
                    id=r["id"], status=_(RECALL_STATUS[r["status"]]), day=r["filed_on"],
                    signers=r["signers"], registered=r["registered"]), style="bold")
                text.append("\n  " + _("Grounds: {text}").format(text=r["grounds"]))
                if r["reply"]:
                    text.append("\n  " + _("Reply: {text}").format(text=r["reply"]))
                if r["status"] == "filed":
                    text.append("\n  " + _("y records the reply, o opens the vote"),
                                style="dim")
                elif r["status"] == "voting":
                    text.append("\n  " + _("g records the figures, i imports the tally file,"
                                           " d decides (a supervisor co-signs)"), style="dim")
                if r["barred_until"]:
                    text.append("\n  " + _("No new petition on these grounds before {day}")
                                .format(day=r["barred_until"]))
        self.query_one("#election-term-text", Static).update(text)

    def _form(self, action: str, title: str, fields: list[Field], apply: Any,
              done: str) -> None:
        term = self._term()
        if term is None or not self.civic.require_change(action):
            return

        def applied(_result: Any) -> None:
            self.app.notify(done)

        self.push_form(title, fields, lambda values: apply(term, values) or True, applied)

    def action_add_target(self) -> None:
        def apply(term: dict[str, Any], v: dict[str, str]) -> None:
            actions.set_target(self.civic.office, term["id"], v["text"],
                               dt.date.fromisoformat(v["due"]))

        self._form("election.term", _("New term target"), [
            Field("text", _("Target (任期目标)"), multiline=True),
            Field("due", _("Due"), check=iso_date)], apply, _("Target recorded."))

    def action_progress(self) -> None:
        term = self._term()
        targets = store.targets(self.civic.db, term["id"]) if term else []
        if term is not None and not targets:
            self.app.notify(_("This term has no targets yet: a adds one."))
            return

        def apply(term: dict[str, Any], v: dict[str, str]) -> None:
            actions.set_target(self.civic.office, term["id"], "", self.civic.office.today(),
                               v["status"], int(v["target"]))

        self._form("election.term", _("Target progress"), [
            Field("target", _("Target"), str(targets[0]["id"]) if targets else "",
                  choices=[(f"{t['due']}  {t['text'][:40]}", str(t["id"])) for t in targets]),
            Field("status", _("Status"), "met",
                  choices=[(_(label), code) for code, label in TARGET_STATUS.items()])],
            apply, _("Progress recorded."))

    def action_extend(self) -> None:
        def apply(term: dict[str, Any], v: dict[str, str]) -> None:
            actions.extend_term(self.civic.office, term["id"], dt.date.fromisoformat(v["ends"]),
                                v["approval"])

        term = self._term()
        self._form("election.term", _("Extend the term"), [
            Field("ends", _("New end"), term["ends"] if term else "", check=iso_date),
            Field("approval", _("Approval of the level above (reference)"))],
            apply, _("Term extended."))

    def action_petition(self) -> None:
        def apply(term: dict[str, Any], v: dict[str, str]) -> None:
            try:
                signers, registered = int(v["signers"]), int(v["registered"])
            except ValueError:
                raise FieldError("signers", _("a count is a whole number, 0 or more")) from None
            actions.file_recall(self.civic.office, term["id"], signers=signers,
                                registered=registered, grounds=v["grounds"])

        self._form("election.recall", _("Recall petition"), [
            Field("signers", _("Signers")), Field("registered", _("Registered electors")),
            Field("grounds", _("Grounds"), multiline=True)], apply,
            _("Recall petition filed."))

    def _on_recall(self, action: str, title: str, fields: list[Field], apply: Any,
                   done: str) -> None:
        recall = self._recall()
        if recall is None:
            self.app.notify(_("This term has no recall petition: p files one."))
            return
        self._form(action, title, fields, lambda _t, v: apply(recall["id"], v), done)

    def action_reply(self) -> None:
        self._on_recall("election.recall", _("The respondent's reply"),
                        [Field("reply", _("Reply"), multiline=True)],
                        lambda rid, v: actions.reply_recall(self.civic.office, rid, v["reply"]),
                        _("Reply recorded."))

    def action_open_vote(self) -> None:
        recall = self._recall()
        if recall is None:
            self.app.notify(_("This term has no recall petition: p files one."))
            return
        if not self.civic.require_change("election.recall"):
            return
        try:
            actions.open_recall_vote(self.civic.office, recall["id"])
        except CivicError as error:
            self.civic.show_error(error)
            return
        self.civic.data_changed()
        self.app.notify(_("Recall vote opened."))

    def action_figures(self) -> None:
        def apply(rid: int, v: dict[str, str]) -> None:
            try:
                present, issued, returned = (int(v[k]) for k in ("present", "issued",
                                                                 "returned"))
            except ValueError:
                raise FieldError("present", _("a count is a whole number, 0 or more")) from None
            actions.recall_figures(self.civic.office, rid, present=present, issued=issued,
                                   returned=returned)

        self._on_recall("election.recall", _("Recall vote figures"), [
            Field("present", _("Present")), Field("issued", _("Ballots issued")),
            Field("returned", _("Ballots returned"))], apply, _("Figures recorded."))

    def action_tallies(self) -> None:
        self._on_recall("election.recall", _("Recall vote tally file"),
                        [Field("path", _("File (CSV or XLSX)"))],
                        lambda rid, v: actions.recall_tallies(self.civic.office, rid,
                                                              v["path"].strip()),
                        _("Tally file imported."))

    def action_decide(self) -> None:
        recall = self._recall()
        action = "election.recall_decide"
        if recall is None:
            self.app.notify(_("This term has no recall petition: p files one."))
            return
        if not self.civic.require_change(action):
            return

        def signed(signer: Operator | None) -> None:
            if signer is None:
                return
            try:
                result = actions.decide_recall(self.civic.office, recall["id"], signer)
            except CivicError as error:
                self.civic.show_error(error)
                return
            self.civic.data_changed()
            self.app.notify(_("Recalled: the term has ended.") if result["passed"] else
                            _("Not recalled; a new petition on the same grounds waits until "
                              "{day}.").format(day=result["barred_until"] or "-"))

        self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)
