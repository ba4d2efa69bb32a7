"""Keying ballots at the speed of a clerk with a stack of paper.

One field per post; Enter moves to the next post, and on the last post adds the ballot to the
stack and starts the next one with the number advanced by itself. Names complete as they are
typed (by name or code: the slate in round 2, the registry in round 1); several names in one
field are separated by 、 or a comma. The stack is saved as one audited batch (never one audit
entry per ballot) with ctrl+s, every STACK ballots, and on leaving the screen with Escape.
Nothing typed is lost without asking: Escape with a ballot half typed, and a log-out, a quit or
a mode switch with anything unsaved, ask save / discard / stay (`CivicApp.guard_leaving`).
"""

from __future__ import annotations

import bisect
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import DataTable, Input, Label, Static

from civic.errors import CivicError
from civic.i18n import N_, _, ngettext
from civic.plugins.nomination import actions, store
from civic.plugins.nomination.rules import CONFERENCE
from civic.subjects import describe
from civic.tui.screens.base import SubScreen
from civic.tui.widgets.wide_table import WideTable

STACK = 50  # ballots kept unsaved at most: a stack of paper
_SEPARATORS = re.compile(r"[、,，;；/]+")


def split_names(text: str) -> list[str]:
    """What one field says: names separated by 、 or commas; empty is a blank."""
    return [t.strip() for t in _SEPARATORS.split(text) if t.strip()]


class NameSuggester(Suggester):
    """Completes the name being typed (after the last separator) from a sorted list."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = sorted(set(names))

    async def get_suggestion(self, value: str) -> str | None:
        head, token = _last_token(value)
        if not token:
            return None
        i = bisect.bisect_left(self.names, token)
        if i < len(self.names) and self.names[i].startswith(token) and self.names[i] != token:
            return head + self.names[i]
        return None


def _last_token(value: str) -> tuple[str, str]:
    parts = list(_SEPARATORS.finditer(value))
    cut = parts[-1].end() if parts else 0
    return value[:cut], value[cut:].strip()


class BallotEntryScreen(SubScreen):
    SCREEN_TITLE = N_("Ballot entry")
    HELP = N_("Key the ballots of a round, one field per post. Enter goes to the next post; on "
              "the last post it adds the ballot to the stack and the number moves on by itself. "
              "Names complete by name or code (→ accepts). Several names: separate them with 、 "
              "or a comma; an empty field is a blank. ctrl+s saves the stack as one audited "
              "batch (also every 50 ballots and on leaving with Escape); ctrl+z takes back the "
              "last ballot not yet saved. Leaving otherwise (log-out, quit, another mode) with "
              "ballots not saved asks first: save, discard or stay.")
    DEFAULT_CSS = """
    #entry-summary { height: auto; padding: 0 1; }
    #entry-form { width: 1fr; padding: 0 1; }
    #entry-form .entry-row { height: 1; margin-bottom: 1; }
    #entry-form .entry-label { width: 32; }
    #entry-form Input { height: 1; width: 1fr; border: none; padding: 0 1; background: $boost; }
    #entry-form Input:focus { background: $accent 30%; }
    #entry-stack { width: 40; }
    #stack-table { height: 1fr; }
    """
    PERFORMS = {"save": "nomination.ballots_enter"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save the stack")),
                Binding("ctrl+z", "undo", N_("Take back the last ballot"))]

    def __init__(self, nid: int, round_no: int) -> None:
        super().__init__()
        self.nid = nid
        self.round_no = round_no
        self.stack: list[tuple[int, dict[str, list[str]]]] = []

    def compose_body(self) -> ComposeResult:
        db = self.civic.db
        self.nomination = store.get(db, self.nid)
        self.rnd = store.get_round(db, self.nomination, self.round_no)
        self.titles = dict(db.execute("SELECT code, title FROM positions"))
        yield Static(id="entry-summary")
        with Horizontal():
            with VerticalScroll(id="entry-form", classes="panel"):
                with Horizontal(classes="entry-row"):
                    yield Label(_("Ballot number"), classes="entry-label")
                    yield Input(id="number", restrict=r"\d*")
                for i, post in enumerate(self.rnd.vround.positions):
                    with Horizontal(classes="entry-row"):
                        yield Label(Text(f"{post}  {self.titles.get(post, '')}"),
                                    classes="entry-label")
                        yield Input(id=f"post-{i}", suggester=NameSuggester(self._names(post)))
            with Vertical(id="entry-stack"):
                table = WideTable(id="stack-table", classes="panel", cursor_type="row")
                table.border_title = _("Stack (not yet saved)")
                yield table

    def _names(self, post: str) -> list[str]:
        db = self.civic.db
        if self.rnd.round_no == CONFERENCE:
            slate = store.slates(db, self.nomination).get(post, {})
            return [*slate, *slate.values()]
        if not hasattr(self, "_registry"):
            self._registry = [x for row in db.execute(
                "SELECT code, name FROM people WHERE status IN ('serving', 'reserve')")
                for x in row]
        return self._registry

    def on_mount(self) -> None:
        self.used = {n for (n,) in self.civic.db.execute(
            "SELECT number FROM voting_ballots WHERE round = ?", (self.rnd.vround.id,))}
        self.query_one("#stack-table", DataTable).add_columns(_("No."), _("Marks"))
        self.query_one("#number", Input).value = str(max(self.used, default=0) + 1)
        self.query_one("#post-0", Input).focus()
        self._summary()

    def _summary(self) -> None:
        self.query_one("#entry-summary", Static).update(Text(_(
            "{key}: {saved} ballots saved, {stack} in the stack.").format(
                key=describe(self.civic.db, self.civic.pm, self.rnd.key),
                saved=len(self.used) - len(self.stack),
                stack=len(self.stack))))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        ident = event.input.id or ""
        if ident == "number":
            self.query_one("#post-0", Input).focus()
            return
        i = int(ident.split("-")[1])
        if i + 1 < len(self.rnd.vround.positions):
            self.query_one(f"#post-{i + 1}", Input).focus()
        else:
            self.add_ballot()

    def add_ballot(self) -> None:
        number_input = self.query_one("#number", Input)
        try:
            number = int(number_input.value)
        except ValueError:
            number = 0
        if number < 1 or number in self.used:
            self.civic.show_error(_("Ballot {number} is entered already, or not a number from 1."
                                    ).format(number=number_input.value))
            number_input.focus()
            return
        sections = {}
        for i, post in enumerate(self.rnd.vround.positions):
            field = self.query_one(f"#post-{i}", Input)
            sections[post] = split_names(field.value)
            field.value = ""
        self.stack.append((number, sections))
        self.used.add(number)
        marks = sum(len(v) for v in sections.values())
        self.query_one("#stack-table", DataTable).add_row(number, marks)
        number_input.value = str(number + 1)
        self.query_one("#post-0", Input).focus()
        if len(self.stack) >= STACK:
            self.action_save()
        self._summary()

    def action_undo(self) -> None:
        if not self.stack:
            return
        number, _sections = self.stack.pop()
        self.used.discard(number)
        table = self.query_one("#stack-table", DataTable)
        table.remove_row(list(table.rows)[-1])
        self.query_one("#number", Input).value = str(number)
        self._summary()

    def action_save(self) -> bool:
        if not self.stack:
            return True
        if not self.civic.require_change("nomination.ballots_enter"):
            return False
        try:
            result = actions.enter_ballots(self.civic.office, self.nomination, self.rnd,
                                         self.stack)
        except CivicError as error:
            self.civic.show_error(error)
            return False
        self.stack.clear()
        self.query_one("#stack-table", DataTable).clear()
        self.app.notify(_("{ballots} ballots with {marks} marks saved.").format(**result))
        self.civic.data_changed()
        self._summary()
        return True

    def action_back(self) -> None:
        """Escape saves the stack and leaves; a ballot half typed is asked about first."""
        if self._typing():
            self.civic.guard_leaving(self.app.pop_screen, [self])
        elif self.action_save():
            self.app.pop_screen()

    def _fields(self) -> list[Input]:
        return [self.query_one(f"#post-{i}", Input)
                for i in range(len(self.rnd.vround.positions))]

    def _typing(self) -> bool:
        return any(field.value.strip() for field in self._fields())

    def unsaved_work(self) -> str | None:
        parts = []
        if self.stack:
            parts.append(ngettext("{n} keyed ballot", "{n} keyed ballots",
                                  len(self.stack)).format(n=len(self.stack)))
        if self._typing():
            parts.append(_("a ballot being typed (not complete: saving leaves it out)"))
        return "; ".join(parts) or None

    def save_work(self) -> bool:
        if not self.action_save():
            return False
        for field in self._fields():  # said in the question: saving leaves it out
            field.value = ""
        return True

    def discard_work(self) -> None:
        for number, _sections in self.stack:
            self.used.discard(number)
        if self.stack:
            self.query_one("#number", Input).value = str(self.stack[0][0])
        self.stack.clear()
        self.query_one("#stack-table", DataTable).clear()
        for field in self._fields():
            field.value = ""
        self._summary()

