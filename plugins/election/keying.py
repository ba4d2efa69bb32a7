"""Paper ballots and tally sheets keyed at the terminal, at a clerk's speed.

A ballot is a form: its number, and per contest a row per candidate in the order the ballot
prints them (surname stroke order) with 1 for, 2 against, 3 abstain (0 or space clears: a
blank is an abstention), and the spaces for another person (另选他人), each name resolved
against the eligible persons as it is written (an unknown name shows as an invalid mark). Each
contest says as it is keyed whether it is valid on this ballot: more for-votes than seats voids
that contest (core's over-vote wording). Ctrl+S files the ballot (`actions.key_ballot`: the
import's rules, one audited change) and leaves the next blank form with the number moved on.

Nothing typed is lost: the form being keyed is a `BallotDraft` the election's screen holds, so
leaving with Escape keeps it and k brings it back; a log-out, a quit or a mode switch asks save
/ discard / stay as for every screen with unsaved work.

Why not evaluation's keying grid moved into core: its grid is ratees x dimensions, one grade
per cell and a form's validity per column; a ballot is a list of rows with one of three marks
each, free-text rows for written names in the middle, and validity per contest by seats. The
two share only "a DataTable and digit keys", which a widget in core would hide, not share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Label, Static

from civic import contests
from civic.ballots import Resolver
from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.election import actions, store
from civic.tally import ABSTAIN, AGAINST, FOR, Contest
from civic.textwidth import pad
from civic.tui.dialogs.form import Field, FieldError, FormDialog
from civic.tui.screens.base import SubScreen
from civic.tui.widgets.wide_table import WideTable
from civic.vocabulary import label
from civic.voting import Invalid

VALUES = {"1": FOR, "2": AGAINST, "3": ABSTAIN}
FIGURES = {"present": N_("present"), "issued": N_("issued"), "returned": N_("returned")}


def _round_of(db: Any, election_id: int) -> tuple[Any, Any, Any, Any, list[str]]:
    """What both keying screens read of an election: itself, its open round, the round's
    contests, the candidates' names and the constituencies' codes."""
    election = store.get_election(db, election_id)
    rnd = store.get_round(db, election_id)
    return (election, rnd, contests.contests(db, rnd.vround), store.names(db, election_id),
            [w.code for w in contests.constituencies(db, rnd.vround, need_figures=False)])


@dataclass
class BallotDraft:
    """The ballot being keyed: kept by the election's screen while the keying screen is left."""

    round_key: str = ""  # the round it is a ballot of
    number: int | None = None
    ward: int = 0  # index into the round's constituencies
    marks: dict[tuple[str, str], str] = field(default_factory=dict)  # (contest, code) -> value
    write_ins: dict[str, list[str]] = field(default_factory=dict)  # contest -> names written

    def keyed(self) -> bool:
        return bool(self.marks or any(self.write_ins.values()))

    def clear(self) -> None:
        self.marks.clear()
        self.write_ins.clear()

    def stack(self) -> list[contests.KeyedMark]:
        """The ballot's marks as a ballot file's rows hold them; a blank is an abstention."""
        out: list[contests.KeyedMark] = [(c, code, value, None)
                                         for (c, code), value in self.marks.items()]
        out += [(c, None, None, name) for c, names in self.write_ins.items() for name in names]
        return out


def for_votes(contest: Contest, draft: BallotDraft, resolve: Resolver) -> int:
    """The for-votes the ballot gives in the contest as the count reads them: for-marks, and
    the distinct persons (or invalid marks) the written names resolve to."""
    fors = sum(1 for (c, _code), v in draft.marks.items() if c == contest.code and v == FOR)
    return fors + len({resolve(contest.code, t) for t in draft.write_ins.get(contest.code, ())})


def contest_problem(contest: Contest, draft: BallotDraft, resolve: Resolver) -> str | None:
    """Why the contest counts for nobody on this ballot (more for-votes, written names
    included, than seats), or None. The count's rule (civic.tally.tally_values)."""
    fors = for_votes(contest, draft, resolve)
    if fors > contest.seats:
        return _("void: {reason} ({n} for-votes, {seats} seats)").format(
            reason=label("over_vote"), n=fors, seats=contest.seats)
    return None


class OneLineDialog(FormDialog):
    """A form of one line (a written name, a ballot's number): Enter files it, at a clerk's
    speed, rather than moving on to the buttons."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()


class _KeyingScreen(SubScreen):
    """What both keying screens share: `wards`, the round's constituencies, and the key
    that changes among them (action `ward`), left out of the footer when there is one."""

    wards: list[str]

    def offers(self, binding_action: str) -> bool:
        if binding_action == "ward" and len(getattr(self, "wards", ())) < 2:
            return False
        return super().offers(binding_action)


class BallotKeyingScreen(_KeyingScreen):
    SCREEN_TITLE = N_("Key ballots")
    HELP = N_("Key each paper ballot as it reads: the highlighted candidate takes 1 for, 2 "
              "against, 3 abstain; 0 or space clears (a blank is an abstention); the cursor "
              "moves down by itself. w writes a name in the highlighted contest's space for "
              "another person (另选他人): a name that is no eligible person is an invalid mark; "
              "d takes a written name out. Under the ballot each contest says whether it is "
              "valid: more for-votes than seats voids that contest on this ballot. c changes "
              "the constituency, n the ballot's number, g records its figures (present, "
              "ballots issued and returned: no more ballots are keyed than returned). Ctrl+S files the ballot (one audited "
              "change) and the next blank form is ready. Escape keeps the ballot being keyed: "
              "k brings it back.")
    DEFAULT_CSS = """
    BallotKeyingScreen #election-keying-head { height: auto; padding: 0 1; }
    BallotKeyingScreen #election-keying { height: 1fr; }
    BallotKeyingScreen #election-keying-validity { height: auto; max-height: 6; padding: 0 1; }
    """
    PERFORMS = {"file": "election.ballots", "write_in": "election.ballots",
                "figures": "election.roll"}
    BINDINGS = [*(Binding(k, f"mark('{k}')", N_("Mark"), show=False) for k in "0123"),
                Binding("space", "mark('0')", N_("Mark"), show=False),
                Binding("ctrl+s", "file", N_("File the ballot")),
                Binding("w", "write_in", N_("Write in")),
                Binding("d", "drop", N_("Take out"), show=False),
                Binding("c", "ward", N_("Constituency")),
                Binding("n", "number", N_("Ballot number")),
                Binding("g", "figures", N_("Figures"))]

    def __init__(self, election_id: int, draft: BallotDraft) -> None:
        super().__init__()
        self.election_id = election_id
        self.draft = draft
        self.rows: list[tuple[str, str | None, int]] = []  # (contest, candidate, write-in no.)
        self.filed = 0

    def compose_body(self) -> ComposeResult:
        yield Static(id="election-keying-head")
        table = WideTable(id="election-keying", classes="panel", cursor_type="row")
        yield table
        yield Static(id="election-keying-validity")

    def on_mount(self) -> None:
        db = self.civic.db
        (self.election, self.rnd, self.contests, self.names,
         self.wards) = _round_of(db, self.election_id)
        self.resolve = actions.resolver(db, self.election.held_on)
        if self.draft.number is None:
            self.draft.number = self._next_number()
        table = self.query_one(DataTable)
        table.add_columns(_("Contest"), _("Name"), _("Mark"))
        self._fill()
        table.focus()

    def refresh_data(self) -> None:
        """The ballot being keyed is the draft's: data changed elsewhere does not reset it."""

    def _next_number(self) -> int:
        return int(self.civic.db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM voting_ballots WHERE round = ?",
            (self.rnd.vround.id,)).fetchone()[0])

    def _ward(self) -> str | None:
        return self.wards[self.draft.ward % len(self.wards)] or None

    def _written(self, contest: str, text: str) -> Text:
        mark = self.resolve(contest, text)
        if isinstance(mark, Invalid):
            return Text(_("{name}: invalid mark ({reason})").format(
                name=text, reason=label(mark.reason)), style="red")
        if not isinstance(mark, str):  # the election's resolver decides every name it reads
            return Text(text)
        return Text(f"{label('for')} · {self.names.get(mark) or self._person(mark)}")

    def _person(self, code: str) -> str:
        row = self.civic.db.execute("SELECT name FROM people WHERE code = ?", (code,)).fetchone()
        return row[0] if row else code

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        self.rows = []
        for contest in self.contests:
            word = self.election.pack.contest_label(contest.code)
            first = True
            for code in contest.candidates:
                value = self.draft.marks.get((contest.code, code))
                table.add_row(Text(word if first else ""), Text(self.names.get(code, code)),
                              label(value) if value else "·")
                self.rows.append((contest.code, code, -1))
                first = False
            for i, name in enumerate(self.draft.write_ins.get(contest.code, ())):
                table.add_row("", Text(label("write_in")), self._written(contest.code, name))
                self.rows.append((contest.code, None, i))
        if self.rows:
            table.move_cursor(row=min(max(at, 0), len(self.rows) - 1))
        self.show()

    def show(self) -> None:
        found = store.keying_figures(self.civic.db, self.rnd.vround, self._ward())
        figures = (_("returned {returned} of {issued} issued").format(
            returned=found.returned, issued=found.issued)
            if found.issued is not None and found.returned is not None
            else _("figures not recorded yet"))
        head = Text(_("Round {round} · ballot No. {number}").format(
            round=self.rnd.round_no, number=self.draft.number), style="bold")
        if self._ward():
            head.append(" · " + _("constituency: {name}").format(
                name=self.election.pack.constituency_label(self._ward() or "")))
        head.append("\n" + _("{keyed} keyed, {filed} filed here; {figures}").format(
            keyed=found.keyed, filed=self.filed, figures=figures))
        self.query_one("#election-keying-head", Static).update(head)
        lines = Text()
        for contest in self.contests:
            word = self.election.pack.contest_label(contest.code)
            problem = contest_problem(contest, self.draft, self.resolve)
            fors = for_votes(contest, self.draft, self.resolve)
            if lines:
                lines.append("\n")
            state = problem or _("valid, {n} for of {seats} seats").format(n=fors,
                                                                           seats=contest.seats)
            lines.append(_("{contest}: {state}").format(contest=word, state=state),
                         style="bold red" if problem else "")
        self.query_one("#election-keying-validity", Static).update(lines)

    def _here(self) -> tuple[str, str | None, int] | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def action_mark(self, key: str) -> None:
        here = self._here()
        if here is None or (code := here[1]) is None:
            return
        contest = here[0]
        value = VALUES.get(key)
        if value is None:
            self.draft.marks.pop((contest, code), None)
        else:
            self.draft.marks[(contest, code)] = value
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.update_cell_at(Coordinate(row, 2), label(value) if value else "·",
                             update_width=True)
        if value and row + 1 < table.row_count:  # down the ballot as the paper reads
            table.move_cursor(row=row + 1)
        self.show()

    def action_write_in(self) -> None:
        here = self._here()
        if here is None or not self.civic.require_change("election.ballots"):
            return
        contest = here[0]

        def apply(values: dict[str, str]) -> str:
            text = values["name"].strip()
            if not text:
                raise FieldError("name", _("Write the name as the ballot has it."))
            return text

        def done(text: str | None) -> None:
            if text:
                written = self.draft.write_ins.setdefault(contest, [])
                written.append(text)
                self._fill()
                # on the name just written: d takes it out again
                self.query_one(DataTable).move_cursor(
                    row=self.rows.index((contest, None, len(written) - 1)))

        self.app.push_screen(OneLineDialog(
            _("Another person (另选他人): {contest}").format(
                contest=self.election.pack.contest_label(contest)),
            [Field("name", _("The name written on the ballot (or a person's code)."))],
            apply=apply), done)

    def action_drop(self) -> None:
        here = self._here()
        if here is None or here[1] is not None:
            return
        contest, _code, i = here
        del self.draft.write_ins[contest][i]
        self._fill()

    def action_ward(self) -> None:
        self.draft.ward = (self.draft.ward + 1) % len(self.wards)
        self.show()

    def action_number(self) -> None:
        def apply(values: dict[str, str]) -> int:
            text = values["number"].strip()
            if not (text.isdigit() and int(text) >= 1):
                raise FieldError("number", _("A ballot number is a whole number, 1 or more."))
            return int(text)

        def done(number: int | None) -> None:
            if number:
                self.draft.number = number
                self.show()

        self.app.push_screen(OneLineDialog(_("Ballot number"), [
            Field("number", _("The number printed on the paper ballot."),
                  str(self.draft.number))], apply=apply), done)

    def action_figures(self) -> None:
        if not self.civic.require_change("election.roll"):
            return
        found = store.keying_figures(self.civic.db, self.rnd.vround, self._ward())
        ward = self._ward()

        def apply(values: dict[str, str]) -> bool:
            counts = {}
            for name, text in values.items():
                if not text.strip().isdigit():
                    raise FieldError(name, _("a count is a whole number, 0 or more"))
                counts[name] = int(text)
            actions.record_figures(self.civic.office, self.election_id, issued=counts["issued"],
                                   returned=counts["returned"], constituency=ward,
                                   present=counts.get("present"))
            return True

        def shown(n: int | None) -> str:
            return "" if n is None else str(n)

        fields = [Field("present", _("Present"))] if ward else []  # a constituency's own
        fields += [Field("issued", _("Ballots issued"), shown(found.issued)),
                   Field("returned", _("Ballots returned"), shown(found.returned))]
        self.push_form(_("Ballot figures"), fields, apply, lambda _r: self.show())

    def action_file(self) -> None:
        if file_draft(self, self.election_id, self.draft):
            self.filed += 1
            self.draft.number = self._next_number()
            self._fill()
            self.query_one(DataTable).move_cursor(row=0)


def file_draft(screen: Any, election_id: int, draft: BallotDraft) -> bool:
    """File the keyed ballot (a blank one too: a ballot marking nobody is still cast); False,
    the error shown and the draft kept, when it is refused."""
    civic = screen.civic
    if not civic.require_change("election.ballots"):
        return False
    db = civic.db
    rnd = store.get_round(db, election_id)
    wards = [w.code for w in contests.constituencies(db, rnd.vround, need_figures=False)]
    ward = wards[draft.ward % len(wards)] or None
    assert draft.number is not None
    try:
        if draft.round_key and draft.round_key != rnd.vround.key:
            raise CivicError(_("Ballot {number} was keyed for round {key}, which takes no more "
                               "ballots.").format(number=draft.number, key=draft.round_key))
        actions.key_ballot(civic.office, election_id, draft.number, ward, draft.stack())
    except CivicError as error:
        civic.show_error(error)
        return False
    screen.app.notify(_("Ballot {number} filed.").format(number=draft.number))
    civic.data_changed()
    draft.clear()
    draft.number = None
    return True


class TallyKeyingScreen(_KeyingScreen):
    """A constituency's paper tally sheet (a school's count): its figures and each candidate's
    for / against / abstain, checked as a tally file is, filed as one audited change."""

    SCREEN_TITLE = N_("Key a tally sheet")
    HELP = N_("Key a constituency's tally sheet as the school reported it: electors present, "
              "ballots issued and returned, then per contest its invalid ballots and each "
              "candidate's for, against and abstain. Enter or Tab moves to the next box; "
              "ctrl+n changes the constituency. Ctrl+S files the sheet, checked as a tally "
              "file is: for + against + abstain equal the valid ballots, no more ballots issued "
              "than electors present, no more present than registered, no negative numbers; a "
              "refused sheet keeps what was typed and goes to the box at fault. More ballots "
              "returned than issued voids the round (it is held again): key the figures alone.")
    DEFAULT_CSS = """
    TallyKeyingScreen #election-tally-head { height: auto; padding: 0 1; }
    TallyKeyingScreen #election-tally-form { height: 1fr; padding: 0 1; }
    TallyKeyingScreen .tally-row { height: 1; margin-bottom: 1; }
    TallyKeyingScreen .tally-label { width: 22; }
    TallyKeyingScreen .tally-row Input { height: 1; width: 10; border: none; padding: 0 1;
                                         margin-right: 1; background: $boost; }
    TallyKeyingScreen .tally-row Input:focus { background: $accent 30%; }
    TallyKeyingScreen .tally-cols { height: 1; color: $text-muted; }
    """
    PERFORMS = {"file": "election.ballots"}
    # ctrl+n, not a letter: the boxes take what is typed
    BINDINGS = [Binding("ctrl+s", "file", N_("File the sheet")),
                Binding("ctrl+n", "ward", N_("Constituency"))]

    def __init__(self, election_id: int) -> None:
        super().__init__()
        self.election_id = election_id
        self.ward = 0

    def compose_body(self) -> ComposeResult:
        db = self.civic.db
        self.election, self.rnd, self.contests, self.names, wards = _round_of(
            db, self.election_id)
        self.wards = [code for code in wards if code]
        yield Static(id="election-tally-head")
        digits = r"\d*"
        with VerticalScroll(id="election-tally-form", classes="panel"):
            with Horizontal(classes="tally-cols"):
                yield Label("", classes="tally-label")
                yield Label(Text(" " + "".join(pad(_(w), 11) for w in FIGURES.values())))
            with Horizontal(classes="tally-row"):
                yield Label(_("Figures"), classes="tally-label")
                for name in FIGURES:
                    yield Input(id=f"tally-{name}", restrict=digits)
            for ci, contest in enumerate(self.contests):
                with Horizontal(classes="tally-row"):
                    yield Label(Text(self.election.pack.contest_label(contest.code)),
                                classes="tally-label")
                    yield Input(id=f"tally-{ci}-invalid", restrict=digits,
                                placeholder=_("invalid"))
                with Horizontal(classes="tally-cols"):
                    yield Label("", classes="tally-label")
                    yield Label(Text(" " + "".join(pad(label(v), 11)
                                             for v in (FOR, AGAINST, ABSTAIN))))
                for pi, code in enumerate(contest.candidates):
                    with Horizontal(classes="tally-row"):
                        yield Label(Text(self.names.get(code, code)), classes="tally-label")
                        for v in (FOR, AGAINST, ABSTAIN):
                            yield Input(id=f"tally-{ci}-{pi}-{v}", restrict=digits)

    def on_mount(self) -> None:
        self.query_one("#tally-present", Input).focus()
        self.show()

    def show(self) -> None:
        text = Text(_("Round {round}").format(round=self.rnd.round_no), style="bold")
        if self.wards:
            text.append(" · " + _("constituency: {name}").format(
                name=self.election.pack.constituency_label(self.wards[self.ward])))
        else:
            text.append("\n" + _("This round declares no constituencies: key its ballots (k)"
                                 " instead."))
        self.query_one("#election-tally-head", Static).update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_ward(self) -> None:
        if self.wards:
            self.ward = (self.ward + 1) % len(self.wards)
            self.show()

    def _value(self, ident: str) -> int:
        box = self.query_one(f"#{ident}", Input)
        if not box.value.strip():
            box.focus()
            raise CivicError(_("Fill every box (0 where the sheet says none)."))
        return int(box.value)

    def unsaved_work(self) -> str | None:
        if any(box.value.strip() for box in self.query(Input)):
            return _("a tally sheet, keyed")
        return None

    def save_work(self) -> bool:
        return self.action_file()

    def discard_work(self) -> None:
        for box in self.query(Input):
            box.value = ""

    def action_back(self) -> None:
        self.civic.guard_leaving(self.app.pop_screen, [self])

    def _box(self, field: actions.SheetField) -> str:
        """The id of a sheet's box (`actions.SheetField`)."""
        contest, code, name = field
        if contest is None:
            return f"tally-{name}"
        ci = next(i for i, c in enumerate(self.contests) if c.code == contest)
        if code is None:
            return f"tally-{ci}-invalid"
        return f"tally-{ci}-{self.contests[ci].candidates.index(code)}-{name}"

    def action_file(self) -> bool:
        if not self.wards or not self.civic.require_change("election.ballots"):
            return False
        try:
            present, issued, returned = (self._value(f"tally-{name}") for name in FIGURES)
            totals = [box for box in self.query(Input) if not box.id or
                      box.id not in {f"tally-{name}" for name in FIGURES}]
            sheet: actions.TallySheet = {}
            # more returned than issued voids the round: its sheet may stop at the figures
            if not (returned > issued and not any(box.value.strip() for box in totals)):
                for ci, contest in enumerate(self.contests):
                    sheet[contest.code] = (self._value(f"tally-{ci}-invalid"), {
                        code: (self._value(f"tally-{ci}-{pi}-{FOR}"),
                               self._value(f"tally-{ci}-{pi}-{AGAINST}"),
                               self._value(f"tally-{ci}-{pi}-{ABSTAIN}"))
                        for pi, code in enumerate(contest.candidates)})
            actions.enter_tally(self.civic.office, self.election_id, self.wards[self.ward],
                                present=present, issued=issued, returned=returned,
                                sheet=sheet)
        except CivicError as error:
            if isinstance(error, actions.SheetError) and error.fields:
                self.query_one(f"#{self._box(error.fields[0])}", Input).focus()
            self.civic.show_error(error)
            return False
        name = self.election.pack.constituency_label(self.wards[self.ward])
        if returned > issued:
            self.app.notify(_("Tally sheet of {name} filed. More ballots returned than"
                              " issued: the round is void and is held again (重选).").format(
                                  name=name), severity="warning")
        else:
            self.app.notify(_("Tally sheet of {name} filed.").format(name=name))
        self.civic.data_changed()
        self.discard_work()
        self.ward = (self.ward + 1) % len(self.wards)  # the next school's sheet, as a rule
        self.show()
        self.query_one("#tally-present", Input).focus()
        return True
