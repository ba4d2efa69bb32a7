"""The live choosing room (按排序先后选岗): a screen for the room's wall.

Who is choosing now (with their score), the posts still open with their seats left (and, for
the officer choosing, whether they may take each), and the ranking so far with what each
officer took. Enter takes the highlighted post, p passes (the officer stays unplaced), u
undoes the last pick with a reason, f closes the room once everyone has chosen: the picks are
re-run sealed and the result stored for certification.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.placement import decide, store, views
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.form import Field, FormDialog
from civic.tui.screens.base import SubScreen


class RoomScreen(SubScreen):
    SCREEN_TITLE = N_("Choosing room")
    HELP = N_("The live choosing room. The officer named at the top chooses among the open "
              "posts: highlight one and press Enter. p records a pass (no acceptable post: "
              "the officer stays unplaced), u undoes the last pick (a slip; the reason is "
              "logged), f closes the room once everyone has chosen.")
    DEFAULT_CSS = """
    #room-now { height: auto; padding: 1 2; border: thick $accent; text-style: bold; }
    #room-body { height: 1fr; }
    #room-posts { width: 1fr; }
    #room-ranking { width: 1fr; }
    #room-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "choose", N_("Choose")),
        Binding("p", "pass_turn", N_("Pass")),
        Binding("u", "undo", N_("Undo")),
        Binding("f", "finish", N_("Close room")),
    ]

    def __init__(self, batch_id: int) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.open_codes: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="room-now")
        with Horizontal(id="room-body"):
            posts = DataTable(id="room-posts", classes="panel", cursor_type="row")
            posts.border_title = _("Open posts")
            yield posts
            ranking = DataTable(id="room-ranking", classes="panel", cursor_type="row")
            ranking.border_title = _("Ranking so far")
            yield ranking
        yield Static(id="room-status")

    def on_mount(self) -> None:
        self.query_one("#room-posts", DataTable).add_columns(
            _("Code"), _("Post"), _("Unit"), _("Seats left"), _("May take"))
        self.query_one("#room-ranking", DataTable).add_columns(
            _("Rank"), _("Code"), _("Name"), _("Score"), _("Post"))
        self.query_one("#room-posts", DataTable).focus()

    def refresh_data(self) -> None:
        office = self.civic.office
        try:
            self.room = decide.room(office, self.batch_id)
        except CivicError as error:
            self.query_one("#room-now", Static).update(Text(str(error)))
            return
        room = self.room
        session = room.session
        names = {c: r.get("name", "") for c, r in room.inputs.officers.items()}
        posts = {p["position"]: p for p in store.posts(office.db, self.batch_id)}
        now = session.current()
        ranked = {r.key: r for r in room.ranking}
        banner = self.query_one("#room-now", Static)
        if now is None:
            banner.update(Text(_("Everyone has chosen. Press f to close the room.")))
        else:
            r = ranked[now]
            labels = {c.name: c.label for c in room.inputs.scheme.components}
            parts = "  ".join(f"{labels.get(k, k)} {v}" for k, v in r.breakdown.display().items())
            banner.update(Text(_("Now choosing: No. {rank} {name} ({code}), score {score}")
                               .format(rank=r.rank, name=names[now], code=now,
                                       score=r.breakdown.total) + "\n" + parts))
        remaining = session.remaining()
        table = self.query_one("#room-posts", DataTable)
        keep = table.cursor_row
        table.clear()
        self.open_codes = [p for p, left in remaining.items() if left > 0]
        for code in self.open_codes:
            why = room.inputs.ineligible.get((now, code)) if now else None
            table.add_row(code, Text(posts[code]["title"]), Text(posts[code]["unit_name"] or ""),
                          remaining[code], Text("✓" if not why else "✗ " + "; ".join(why)))
        if self.open_codes:
            table.move_cursor(row=min(keep, len(self.open_codes) - 1))
        took = dict(session.history)
        pre = room.inputs.preassigned
        ranking = self.query_one("#room-ranking", DataTable)
        ranking.clear()
        for r in room.ranking:
            if r.key in pre:
                what = _("{post} (pre-assigned)").format(post=posts[pre[r.key]]["title"])
            elif r.key in took:
                what = posts[took[r.key]]["title"] if took[r.key] else _("passed")
            elif r.key == now:
                what = _("► choosing now")
            else:
                what = ""
            ranking.add_row(r.rank, r.key, Text(names[r.key]), str(r.breakdown.total),
                            Text(what))
        chosen = len(session.history)
        self.query_one("#room-status", Static).update(
            _("{done} of {total} have chosen · {seats} seats left · {state}").format(
                done=chosen, total=len(room.ranking) - len(pre),
                seats=sum(remaining.values()), state=views.word(room.batch["status"])))

    def _step(self, step, *args) -> None:
        if not self.civic.require_change(_("record a pick")):
            return
        try:
            step(self.civic.office, self.batch_id, *args)
        except CivicError as error:
            self.civic.show_error(error)
            return
        self.civic.data_changed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "room-posts":
            self.action_choose()

    def action_choose(self) -> None:
        row = self.query_one("#room-posts", DataTable).cursor_row
        if self.open_codes and 0 <= row < len(self.open_codes):
            self._step(decide.choose, self.open_codes[row])

    def action_pass_turn(self) -> None:
        now = self.room.session.current() if hasattr(self, "room") else None
        if now is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._step(decide.pass_turn)

        self.app.push_screen(ConfirmDialog(
            _("{code} takes none of the open posts and stays unplaced?").format(code=now)),
            answered)

    def action_undo(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values is not None:
                self._step(decide.undo, values["reason"])

        self.app.push_screen(FormDialog(_("Undo the last pick"), [
            Field("reason", _("Why (logged)"), multiline=True)]), done)

    def action_finish(self) -> None:
        if not self.civic.require_change(_("run a placement batch")):
            return
        try:
            decide.run_batch(self.civic.office, self.batch_id)
        except CivicError as error:
            self.civic.show_error(error)
            return
        self.civic.data_changed()
        self.app.notify(_("Room closed: the result is stored for certification."))
        self.app.pop_screen()
