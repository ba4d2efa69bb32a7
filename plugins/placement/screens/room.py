"""The live choosing room (按排序先后选岗): a screen for the room's wall.

Who is choosing now (their order number in large digits, name, score and its parts, and who
comes next), the posts still open with their seats left (and whether the officer choosing may
take each), and the ranking so far with what each officer took. Enter takes the highlighted
post once the operator confirms it aloud, p passes (the officer stays unplaced), u undoes the
last pick with a reason, f closes the room once everyone has chosen: the picks are re-run
sealed and the result stored for certification.

What the screen shows is `views.room_view`, the same data `civic placement room ID --json`
prints. Picks may also be recorded from the CLI (`civic placement pick`), so the screen looks
for new picks every few seconds and redraws: it can stay up on the wall while another
terminal records.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Static

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.plugins.placement import actions, views
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.form import Field
from civic.tui.screens.base import SubScreen
from civic.tui.widgets.wide_table import WideTable

POLL_SECONDS = 2.0


class RoomScreen(SubScreen):
    SCREEN_TITLE = N_("Choosing room")
    HELP = N_("The live choosing room. The officer named at the top chooses among the open "
              "posts: highlight the post they name and press Enter, then y once they confirm "
              "it. p records a pass (no acceptable post: the city's transfer office re-assigns the "
              "officer, 由市军转办另行调剂安置), u undoes "
              "the last pick (a slip; the reason is logged), f closes the room once everyone "
              "has chosen. Picks recorded at another terminal (civic placement pick) show "
              "here within seconds.")
    DEFAULT_CSS = """
    #room-now { height: auto; padding: 0 2; border: thick $accent; }
    #room-no { width: auto; min-width: 8; padding: 0 3 0 0; color: $accent; }
    #room-who { width: 1fr; height: auto; }
    #room-who-text { height: auto; }
    #room-body { height: 1fr; }
    #room-posts { width: 1fr; }
    #room-ranking { width: 1fr; }
    #room-status { height: auto; padding: 0 1; text-style: bold; }
    """
    PERFORMS = {"choose": "placement.pick", "pass_turn": "placement.pick",
                "undo": "placement.pick", "finish": "placement.run"}
    BINDINGS = [
        # priority: the posts table would otherwise take Enter (and hide it from the footer,
        # where the room's operator looks for the key that records a pick).
        Binding("enter", "choose", N_("Choose"), priority=True),
        Binding("p", "pass_turn", N_("Pass")),
        Binding("u", "undo", N_("Undo")),
        Binding("f", "finish", N_("Close room")),
    ]

    def __init__(self, batch_id: int) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.view: dict[str, Any] | None = None
        self.open_codes: list[str] = []
        self._seen: tuple[Any, ...] | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="room-now"):
            yield Digits("", id="room-no")
            with Vertical(id="room-who"):
                yield Static(id="room-who-text")
        with Horizontal(id="room-body"):
            posts = WideTable(id="room-posts", classes="panel", cursor_type="row")
            posts.border_title = _("Open posts")
            yield posts
            ranking = WideTable(id="room-ranking", classes="panel", cursor_type="row")
            ranking.border_title = _("Ranking so far")
            # The ranking's highlighted row is the officer choosing: it follows the room, so
            # it never takes the operator's focus (or Enter) from the posts.
            ranking.can_focus = False
            yield ranking
        yield Static(id="room-status")

    def on_mount(self) -> None:
        self.query_one("#room-posts", DataTable).add_columns(
            _("Code"), _("Post"), _("Seats left"), _("May take"), _("Unit"))
        self.query_one("#room-ranking", DataTable).add_columns(
            _("Order"), _("Code"), _("Name"), _("Score"), _("Post"))
        self.query_one("#room-posts", DataTable).focus()
        self.poller = self.set_interval(POLL_SECONDS, self._poll)

    # -- showing ----------------------------------------------------------------------------

    def _stamp(self) -> tuple[Any, ...]:
        """What changes whenever a pick is recorded or the room closes, wherever it was done."""
        db = self.civic.db
        picks = db.execute("SELECT count(*), coalesce(max(id), 0) FROM placement_picks"
                           " WHERE batch = ?", [self.batch_id]).fetchone()
        status = db.execute("SELECT status FROM placement_batches WHERE id = ?",
                            [self.batch_id]).fetchone()
        return (*picks, status[0] if status else None)

    def _poll(self) -> None:
        if self.app.screen is self and self._stamp() != self._seen:
            self.refresh_data()

    def refresh_data(self) -> None:
        self._seen = self._stamp()
        try:
            view = views.room_view(self.civic.office, self.batch_id)
        except CivicError as error:
            self.view = None
            self.query_one("#room-who-text", Static).update(Text(str(error)))
            return
        self.view = view
        self._show_now(view)
        self._show_posts(view)
        self._show_ranking(view)
        self._show_status()

    def _show_now(self, view: dict[str, Any]) -> None:
        now, places = view["now"], view["places"]
        digits = self.query_one("#room-no", Digits)
        who = self.query_one("#room-who-text", Static)
        digits.display = now is not None
        if now is None:
            closed = view["status"] != "live"
            who.update(Text("\n" + (views.room_state_text(view) if closed else _(
                "Everyone has chosen. Press f to close the room.")) + "\n", style="bold"))
            return
        digits.update(str(now["rank"]))
        text = Text()
        text.append(_("Now choosing: No. {rank}").format(rank=now["rank"]) + "\n")
        text.append(f" {now['name'] or ''} ", style="bold reverse")
        text.append(f"  {now['officer']}", style="bold")
        text.append("   " + _("score {score}").format(score=views.points(now["score"], places)),
                    style="bold")
        text.append("\n" + views.breakdown_text(now, view["labels"], places), style="dim")
        if view["next"]:
            text.append("\n" + _("Next: {who}").format(who=views.who_text(view["next"])))
        who.update(text)

    def _show_posts(self, view: dict[str, Any]) -> None:
        table = self.query_one("#room-posts", DataTable)
        keep = table.cursor_row
        table.clear()
        self.open_codes = [p["position"] for p in view["open"]]
        for p in view["open"]:
            # A post the officer choosing may not take stays in its place (the room finds a
            # post by where it was) but dimmed, so the eye goes to what they can take.
            style = "dim" if p["may_take"] is False else ""
            mark = "" if p["may_take"] is None else ("✓" if p["may_take"] else "✗ " + "; ".join(
                p["why_not"]))
            table.add_row(Text(p["position"], style=style), Text(p["title"], style=style),
                          Text(str(p["seats_left"]), style=style or "bold"),
                          Text(mark, style="bold green" if p["may_take"] else "red"),
                          Text(p["unit"] or "", style=style))
        table.border_subtitle = _("{posts} posts, {seats} seats left").format(
            posts=len(view["open"]), seats=view["seats_left"])
        if self.open_codes:
            table.move_cursor(row=min(max(keep, 0), len(self.open_codes) - 1))

    def _show_ranking(self, view: dict[str, Any]) -> None:
        table = self.query_one("#room-ranking", DataTable)
        table.clear()
        current = None
        for i, r in enumerate(view["ranking"]):
            style = {"choosing": "bold", "waiting": "", "passed": "italic"}.get(r["state"], "")
            if r["state"] == "choosing":
                current = i
            table.add_row(Text(str(r["rank"]), style=style), Text(r["officer"], style=style),
                          Text(r["name"] or "", style=style),
                          Text(views.points(r["score"], view["places"]), style=style),
                          Text(views.ranking_note(r), style=style))
        table.border_subtitle = views.room_state_text(view)
        # The highlight marks the officer choosing and scrolls to them in a long ranking.
        table.show_cursor = current is not None
        if current is not None:
            table.move_cursor(row=current, scroll=True)

    def _show_status(self) -> None:
        """The operator's line: what Enter would do with the highlighted post, or why not."""
        status = self.query_one("#room-status", Static)
        view, post = self.view, self._highlighted()
        if view is None or view["now"] is None or post is None:
            status.update("")
            return
        who = views.who_text(view["now"])
        if post["may_take"]:
            status.update(Text(_("Enter: {who} takes {post}").format(
                who=who, post=views.post_text(post["position"], post["title"]))))
        else:
            status.update(Text(_("{who} may not take {code}: {reasons}").format(
                who=who, code=post["position"], reasons="; ".join(post["why_not"])),
                style="red"))

    def _highlighted(self) -> dict[str, Any] | None:
        if self.view is None:
            return None
        row = self.query_one("#room-posts", DataTable).cursor_row
        if 0 <= row < len(self.view["open"]):
            return self.view["open"][row]
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "room-posts":
            self._show_status()

    # -- steps ------------------------------------------------------------------------------

    def _step(self, step, *args) -> None:
        if not self.civic.require_change("placement.pick"):
            return
        try:
            step(self.civic.office, self.batch_id, *args)
        except CivicError as error:
            self.civic.show_error(error)
            return
        self.civic.data_changed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "room-posts":  # a mouse click on a post
            self.action_choose()

    def action_choose(self) -> None:
        view, post = self.view, self._highlighted()
        if view is None or view["now"] is None or post is None:
            return
        code, now = post["position"], view["now"]
        if not post["may_take"]:
            # Said before any dialog: nothing is recorded, and the room hears why at once.
            self.civic.show_error(_("{who} may not take {code}: {reasons}").format(
                who=views.who_text(now), code=code, reasons="; ".join(post["why_not"])))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # The turn must still be theirs: another terminal may have recorded one.
                self._step(actions.choose, code, now["officer"])

        # Read back before recording: the officer hears and sees the post in full, and a
        # wrong row is caught here rather than undone (with a logged reason) afterwards.
        self.app.push_screen(ConfirmDialog(
            _("{who} takes {post}?").format(who=views.who_text(now),
                                            post=views.post_text(code, post["title"])),
            title=_("Confirm the pick")), answered)

    def action_pass_turn(self) -> None:
        now = self.view["now"] if self.view else None
        if now is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._step(actions.pass_turn, now["officer"])

        self.app.push_screen(ConfirmDialog(
            _("{who} takes none of the open posts (the city's transfer office re-assigns him)?"
              ).format(
                who=views.who_text(now))), answered)

    def action_undo(self) -> None:
        if self.view is not None and self.view["status"] != "live":
            self.civic.show_error(views.room_state_text(self.view))
            return
        view = self.view
        picks = view["picks"] if view else []
        if view is None or not picks:
            self.civic.show_error(_("Nothing to undo."))
            return
        last = picks[-1]
        taken = next(r for r in view["ranking"] if r["officer"] == last["officer"])

        if not self.civic.require_change("placement.pick"):
            return
        self.push_form(_("Undo the pick of {who}: {post}").format(
            who=views.who_text(taken),
            post=views.post_text(last["position"], last["position_title"]) or _("passed")),
            [Field("reason", _("Why (logged)"), multiline=True)],
            lambda values: actions.undo(self.civic.office, self.batch_id, values["reason"],
                                       last["officer"]))

    def action_finish(self) -> None:
        if self.view is not None and self.view["status"] != "live":
            self.app.notify(views.room_state_text(self.view))
            return
        if not self.civic.require_change("placement.run"):
            return
        try:
            actions.run_batch(self.civic.office, self.batch_id)
        except CivicError as error:
            self.civic.show_error(error)
            return
        self.civic.data_changed()
        self.app.notify(_("Room closed: the result is stored for certification."))
        self.app.pop_screen()
