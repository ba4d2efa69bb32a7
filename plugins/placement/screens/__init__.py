"""The placement mode: the batches, one batch's officers (with score breakdowns), posts and
notice, and the steps an operator takes: import, pre-assign, run, certify, draft the notice.
The live choosing room is `room.RoomScreen`.

Batches hold tens of officers and posts, so the screens read them directly; the imports run
in the import dialog's worker like core's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from civic.errors import CivicError
from civic.i18n import N_, _, current_language, ngettext
from civic.office import Operator
from civic.plugins.placement import actions, store, views
from civic.plugins.placement import notice as placement_notice
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import Field, FormDialog, iso_date
from civic.tui.dialogs.importer import ImportDialog
from civic.tui.dialogs.picker import PickerDialog
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable

CSS = """
#batch-summary { height: auto; padding: 0 1; }
#batch-tabs { height: 1fr; }
#officers-table { width: 1fr; }
#officer-detail { width: 1fr; max-width: 56; padding: 0 1; }  /* half of 80 columns */
#posts-table { height: 1fr; }
#notice-preview { padding: 0 1; }
"""


def _whole(text: str) -> str | None:
    return None if not text or text.strip().lstrip("-").isdigit() else _("A whole number.")


class PlacementScreen(RecordListScreen):
    """The mode's screen: every batch, its state; Enter opens one, n creates one."""

    SCREEN_TITLE = N_("Placement")
    HELP = N_("Military-transfer placement (军转干部安置): each batch with its officers, posts, "
              "seats and state. Enter opens a batch; n creates one.")
    BINDINGS = [Binding("n", "new", N_("New batch"))]
    TABLE_ID = "placement-batches"
    TABLE_TITLE = N_("Placement batches")
    COLUMNS = (N_("No."), N_("Title"), N_("Mode"), N_("Status"), N_("Officers"), N_("Posts"),
               N_("Seats"), N_("Placed"))
    EMPTY = N_("no batches yet: n creates one")

    def load_rows(self) -> list[dict[str, Any]]:
        return store.list_batches(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["id"], Text(r["title"]), views.word(r["mode"]), views.word(r["status"]),
                r["officers"], r["posts"], r["seats"], r["placed"])

    def record_screen(self, record_id: int) -> BatchScreen:
        return BatchScreen(record_id)

    # -- creating one (n) -----------------------------------------------------------------

    NEW_ACTION = "placement.create"
    NEW_TITLE = N_("New placement batch")

    def new_fields(self) -> list[Field]:
        return [
            Field("title", _("Title")),
            Field("cutoff", _("Cut-off date (service years, eligibility)"), check=iso_date),
            Field("mode", _("Mode"), "live", choices=[(_("live: the choosing room"), "live"),
                                                      (_("sealed: preference lists"),
                                                       "sealed")]),
            Field("seed", _("Seed of the random order that settles ties (a fallback, not a public draw; may be "
              "given later)"), required=False,
                  check=_whole),
        ]

    def create(self, values: dict[str, str]) -> int:
        return actions.new_batch(self.civic.office, values["title"],
                               dt.date.fromisoformat(values["cutoff"]), values["mode"],
                               int(values["seed"]) if values["seed"] else None)


class BatchScreen(SubScreen):
    """One batch: officers and their scores, posts and who took them, the notice."""

    SCREEN_TITLE = N_("Placement batch")
    HELP = N_("One batch. Officers: the ranking with each score's breakdown (after the run), "
              "and for the highlighted officer the score and why they did not get each post "
              "they listed above the one they got. Posts: seats, conditions, who took them. "
              "i imports the scheme or a file, o pre-assigns an officer (before the run), r "
              "opens the live room, u runs a sealed batch, c certifies with a supervisor's "
              "co-signature, d drafts the notice (published and confirmed in the notices "
              "mode, F6), a records the appointments once the notice is confirmed (notice "
              "first), l switches the notice's language.")
    DEFAULT_CSS = CSS
    PERFORMS = {"import": "placement.import", "override": "placement.override",
                "room": "placement.room", "run": "placement.run",
                "certify": "placement.certify", "draft_notice": "placement.draft_notice",
                "appoint": "placement.appoint", "draw": "placement.draw"}
    BINDINGS = [
        Binding("i", "import", N_("Import")),
        Binding("o", "override", N_("Pre-assign")),
        Binding("t", "draw", N_("Public draw")),
        Binding("r", "room", N_("Room")),
        Binding("u", "run", N_("Run")),
        Binding("c", "certify", N_("Certify")),
        Binding("d", "draft_notice", N_("Draft notice")),
        Binding("a", "appoint", N_("Appoint")),
        # Off the footer: 120 columns hold the steps, not this; F1 lists it.
        Binding("l", "language", N_("Language"), show=False),
        Binding("x", "export", N_("Export the result (XLSX)"), show=False),
    ]

    # The steps a batch's footer offers by its status: at 80 columns the footer holds only
    # a few, so a batch that has run shows its certification, a certified one its notice and
    # appointments, not the setup keys (they still answer, saying why not). F1 lists them all.
    STEPS = {"ran": {"run", "certify"}, "certified": {"run", "draft_notice", "appoint"}}
    AFTER_CERTIFYING = {"appoint"}

    def __init__(self, batch_id: int) -> None:
        super().__init__()
        self.batch_id = batch_id
        self.preview_lang = current_language()

    def offers(self, binding_action: str) -> bool:
        if not super().offers(binding_action):
            return False
        batch = getattr(self, "batch_row", {})
        live, status = batch.get("mode") == "live", batch.get("status")
        # A sealed batch has no room; a live one runs only once its room has opened.
        if (binding_action == "room" and batch and not live) or (
                binding_action == "run" and live and status == "setup"):
            return False
        steps = self.STEPS.get(str(status))
        if steps is None:
            return binding_action not in self.AFTER_CERTIFYING
        return binding_action in steps or binding_action not in self.PERFORMS

    def compose_body(self) -> ComposeResult:
        yield Static(id="batch-summary")
        with TabbedContent(id="batch-tabs"):
            with TabPane(_("Officers"), id="tab-officers"), Horizontal():
                yield WideTable(id="officers-table", classes="panel", cursor_type="row")
                with VerticalScroll(id="officer-detail", classes="panel"):
                    yield Static(id="officer-text")
            with TabPane(_("Posts"), id="tab-posts"):
                yield WideTable(id="posts-table", classes="panel", cursor_type="row")
            with TabPane(_("Notice"), id="tab-notice"), VerticalScroll(id="notice-preview"):
                yield Static(id="notice-text")

    def on_mount(self) -> None:
        self.officer_codes: list[str] = []
        self.query_one("#officers-table", DataTable).focus()

    # -- showing ----------------------------------------------------------------------------

    def refresh_data(self) -> None:
        db = self.civic.db
        self.batch_row = store.get_batch(db, self.batch_id)
        b = self.batch_row
        self.query_one("#batch-summary", Static).update(Text(
            _("{title} · {mode} · {status} · cut-off {cutoff} · seed {seed} · scheme {scheme}")
            .format(title=b["title"], mode=views.word(b["mode"]),
                    status=views.word(b["status"]), cutoff=b["cutoff"],
                    seed=b["seed"] if b["seed"] is not None else "-",
                    scheme=b["scheme_name"] or "-")))
        self._fill_officers()
        self._fill_posts()
        self._fill_notice()
        self.refresh_bindings()  # the footer follows the batch's status (offers)

    def _fill_officers(self) -> None:
        db = self.civic.db
        table = self.query_one("#officers-table", DataTable)
        table.clear(columns=True)
        scheme = store.scheme_of(self.batch_row)
        components = [c for c in scheme.components] if scheme else []
        results = store.results(db, self.batch_id)
        if results:
            table.add_columns(_("Order"), _("Code"), _("Name"), *[c.label for c in components],
                              _("Score"), _("Draw"), _("Post"), _("Choice"))
            for r in results:
                table.add_row(r["rank"], r["officer"], Text(r["name"]),
                              *[r["breakdown"][c.name] for c in components], r["score"],
                              "*" if r["draw_group"] else "",
                              Text(r["position_title"] or views.status_text(r["status"])),
                              r["choice"] or "")
            self.officer_codes = [r["officer"] for r in results]
        else:
            prefs = store.preferences(db, self.batch_id)
            table.add_columns(_("Code"), _("Name"), _("Listed posts"))
            records = store.officers(db, self.batch_id)
            for code, rec in records.items():
                table.add_row(code, Text(rec.get("name", "")), len(prefs.get(code, ())))
            self.officer_codes = list(records)
        table.border_title = _("Officers ({n})").format(n=len(self.officer_codes))
        self.show_officer()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "officers-table":
            self.show_officer()

    def show_officer(self) -> None:
        text = self.query_one("#officer-text", Static)
        row = self.query_one("#officers-table", DataTable).cursor_row
        if not self.officer_codes or not 0 <= row < len(self.officer_codes):
            text.update(_("No officer selected."))
            return
        try:
            data = views.officer_view(self.civic.office, self.batch_id, self.officer_codes[row])
        except CivicError as error:
            text.update(Text(str(error)))
            return
        text.update(Text(views.officer_text(data)))

    def _fill_posts(self) -> None:
        db = self.civic.db
        table = self.query_one("#posts-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("Code"), _("Title"), _("Unit"), _("Seats"), _("Conditions"),
                          _("Taken by"))
        taken: dict[str, list[str]] = {}
        for r in store.results(db, self.batch_id):
            if r["position"]:
                taken.setdefault(r["position"], []).append(f"{r['rank']}. {r['name']}")
        pre = store.overrides(db, self.batch_id)
        for p in store.posts(db, self.batch_id):
            table.add_row(p["position"], Text(p["title"]), Text(p["unit_name"] or ""),
                          p["capacity"], Text(p["eligibility"]),
                          Text("、".join(taken.get(p["position"], [])) or "、".join(
                              _("{code} (pre-assigned)").format(code=o)
                              for o, q in pre.items() if q == p["position"])))

    def _fill_notice(self) -> None:
        text = self.query_one("#notice-text", Static)
        if self.batch_row["status"] not in ("ran", "certified"):
            text.update(_("The notice can be previewed once the batch has run."))
            return
        try:
            text.update(Text(placement_notice.preview(self.civic.office, self.batch_id,
                                                      self.preview_lang, "txt")))
        except CivicError as error:
            text.update(Text(str(error)))

    # -- steps ------------------------------------------------------------------------------

    def _do(self, step: Any, *args: Any) -> Any:
        try:
            result = step(self.civic.office, self.batch_id, *args)
        except CivicError as error:
            self.civic.show_error(error)
            return None
        self.civic.data_changed()
        return result

    def action_language(self) -> None:
        self.preview_lang = "en" if self.preview_lang == "zh_CN" else "zh_CN"
        self._fill_notice()

    def action_export(self) -> None:
        """The batch's result as a spreadsheet (as `civic placement show --out`)."""
        from civic.tabular import write_table

        rows = store.results(self.civic.db, self.batch_id)
        if not rows:
            self.notify(_("Batch {id} has not run yet.").format(id=self.batch_id))
            return
        self.export_file(_("Export the result"), f"placement-{self.batch_id}.xlsx",
                         lambda path: write_table(path, *views.results_rows(rows)))

    def action_import(self) -> None:
        kinds = {
            "scheme": (_("Scoring scheme (TOML)"), actions.set_scheme),
            "officers": (_("Officers"), actions.import_officers),
            "posts": (_("Posts"), actions.import_posts),
            "preferences": (_("Preference lists"), actions.import_preferences),
        }
        if not self.civic.require_change("placement.import"):
            return
        batch_id = self.batch_id

        def picked(kind: str | None) -> None:
            if kind is None:
                return
            title, step = kinds[kind]

            def imported(result: Any) -> None:
                if result is not None:
                    self.app.notify(_("Imported into batch {id}.").format(id=batch_id),
                                    title=title)
                    self.civic.data_changed()

            self.app.push_screen(ImportDialog(title, lambda office, path: step(
                office, batch_id, path)), imported)

        self.app.push_screen(PickerDialog(_("Import what?"), [
            (title, kind) for kind, (title, _step) in kinds.items()]), picked)

    def action_override(self) -> None:
        if not self.civic.require_change("placement.override"):
            return
        fields = [Field("officer", _("Officer (code)")),
                  Field("position", _("Post (code; empty withdraws the pre-assignment)"),
                        required=False),
                  Field("reason", _("Reason (logged)"), multiline=True)]

        self.push_form(_("Pre-assign an officer"), fields, lambda values: actions.set_override(
            self.civic.office, self.batch_id, values["officer"].strip(),
            values["position"].strip() or None, values["reason"]))

    def action_draw(self) -> None:
        """The public draw held on site (公开抽签): the supervisor enters the number each
        tied officer drew and co-signs; the seeded order stays the fallback."""
        action = "placement.draw"
        if not self.civic.require_change(action):
            return
        try:
            found = actions.draw_groups_of(self.civic.office, self.batch_id)
        except CivicError as error:
            self.civic.show_error(error)
            return
        if not found["groups"]:
            self.app.notify(_("No tie is left after the scoring: there is nothing to draw."))
            return
        fields = [Field(member["officer"],
                        _("Group {group}: {code} {name}, number drawn").format(
                            group=n, code=member["officer"], name=member["name"] or ""),
                        str(member["number"] or ""), check=_draw_number)
                  for n, group in enumerate(found["groups"], 1) for member in group]

        def entered(values: dict[str, str] | None) -> None:
            if values is None:
                return
            numbers = {code: int(text) for code, text in values.items()}

            def signed(signer: Operator | None) -> None:
                if signer is not None and self._do(actions.record_draw, numbers,
                                                   signer) is not None:
                    self.app.notify(_("Public draw recorded: it orders the ties."))

            self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

        self.app.push_screen(FormDialog(_("Public draw for batch {id}").format(
            id=self.batch_id), fields), entered)

    def action_room(self) -> None:
        from civic.plugins.placement.screens.room import RoomScreen

        if self.batch_row["mode"] != "live":
            self.civic.show_error(_("This batch is sealed: it is decided by its lists (u)."))
            return
        if self.batch_row["status"] == "setup":
            if not self.civic.require_change("placement.room"):
                return
            if self._do(actions.open_room) is None:
                return
        self.app.push_screen(RoomScreen(self.batch_id))

    def action_run(self) -> None:
        if self.batch_row["status"] in ("ran", "certified"):
            try:
                actions.verify(self.civic.office, self.batch_id)
            except CivicError as error:
                self.civic.show_error(error)
                return
            self.app.notify(_("Re-run: the result matches the stored one."))
            return
        if self.civic.require_change("placement.run") and self._do(
                actions.run_batch) is not None:
            self.app.notify(_("Batch {id} decided.").format(id=self.batch_id))

    def action_certify(self) -> None:
        action = "placement.certify"
        if not self.civic.require_change(action):
            return
        fields = [Field("effective", _("Appointments take effect on"),
                        self.civic.office.today().isoformat(), check=iso_date)]

        def dated(values: dict[str, str] | None) -> None:
            if values is None:
                return
            effective = dt.date.fromisoformat(values["effective"])

            def signed(signer: Operator | None) -> None:
                done = None if signer is None else self._do(actions.certify, signer, effective)
                if done is None:
                    return
                # Notice first (the default): the appointments wait for the confirmed notice.
                self.app.notify(_(
                    "Batch {id} certified: d drafts its notice; once the notice is confirmed, "
                    "a records the appointments.") if done["notice_first"] else ngettext(
                    "Batch {id} certified; {n} appointment recorded.",
                    "Batch {id} certified; {n} appointments recorded.", done["appointments"]
                ).format(id=self.batch_id, n=done["appointments"]))

            self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)

        self.app.push_screen(FormDialog(_("Certify batch {id}").format(id=self.batch_id),
                                        fields), dated)

    def action_appoint(self) -> None:
        """Notice first (任前公示): the appointments follow the confirmed notice; said before
        anything is written when they cannot be recorded yet."""
        if not self.civic.require_change("placement.appoint"):
            return
        done = self._do(actions.appoint_after_notice)
        if done is not None:
            self.app.notify(ngettext("{n} appointment recorded, effective {date}.",
                                     "{n} appointments recorded, effective {date}.",
                                     done["appointments"]).format(
                n=done["appointments"], date=done["effective"]))

    def action_draft_notice(self) -> None:
        if not self.civic.require_change("placement.draft_notice"):
            return
        drafted = self._do(placement_notice.draft)
        if drafted is not None:
            self.app.notify(_("Notice {id} drafted: publish it in the notices mode (F6).")
                            .format(id=drafted.id))


def _draw_number(text: str) -> str | None:
    """A Field's check: the number an officer drew, a whole number from 1."""
    return None if text.strip().isdigit() and int(text) >= 1 else _(
        "Write the number drawn, a whole number from 1.")
