"""One position: its qualification conditions, its holders, and who is eligible for it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.record_fields import position_fields
from civic.registry import eligibility_report, get_position, holders
from civic.tui.screens.base import SubScreen
from civic.tui.text import rank_label
from civic.tui.widgets.record import record_table
from civic.tui.widgets.wide_table import WideTable
from civic.tui.workers import run_db_worker

SHOWN = 200  # rows per eligibility list: enough to read, few enough to lay out at once


def _reasons(entry: dict[str, Any], key: str) -> str:
    return "; ".join(x["message"] for x in entry.get(key, ()))


class PositionScreen(SubScreen):
    SCREEN_TITLE = N_("Position")
    HELP = N_("A position's qualification conditions and holders, and everyone serving or in "
              "reserve checked against it (r re-checks). Enter on a name opens the record "
              "with the failing conditions.")
    BINDINGS = [Binding("r", "check", N_("Re-check eligibility"))]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.report: dict[str, Any] | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="position"):
            with Horizontal(id="position-top"):
                conditions = Static(id="position-record", classes="panel")
                conditions.border_title = _("Position and conditions")
                yield conditions
                held = WideTable(id="position-holders", classes="panel", cursor_type="row")
                held.border_title = _("Holders")
                yield held
            eligible = WideTable(id="position-eligible", classes="panel", cursor_type="row")
            eligible.border_title = _("Eligible")
            yield eligible
            refused = WideTable(id="position-ineligible", classes="panel", cursor_type="row")
            refused.border_title = _("Not eligible")
            yield refused

    def on_mount(self) -> None:
        self.query_one("#position-holders", DataTable).add_columns(
            _("Code"), _("Name"), _("Rank"), _("Since"))
        self.query_one("#position-eligible", DataTable).add_columns(_("Code"), _("Name"))
        self.query_one("#position-ineligible", DataTable).add_columns(
            _("Code"), _("Name"), _("Why not"))

    def refresh_data(self) -> None:
        db = self.civic.db
        try:
            pos = get_position(db, self.code)
        except CivicError as error:
            self.civic.show_error(error)
            self.app.pop_screen()
            return
        self.title = _("Position: {title}").format(title=pos["title"])
        self.query_one("#position-record", Static).update(record_table(position_fields(pos)))
        held = self.query_one("#position-holders", DataTable)
        held.clear()
        held.add_rows([(h["code"], h["name"], rank_label(h["rank"]), h["rank_since"] or "")
                       for h in holders(db, self.code)])
        self.action_check()

    def action_check(self) -> None:
        """Everyone serving or in reserve against this post: a worker, as it reads them all."""
        app = self.civic
        today = app.office.today()
        for name in ("#position-eligible", "#position-ineligible"):
            self.query_one(name, DataTable).loading = True
        run_db_worker(self, lambda db: eligibility_report(db, app.pm, self.code, today),
                      self._show, group="eligibility")

    def _show(self, report: dict[str, Any]) -> None:
        self.report = report
        eligible = self.query_one("#position-eligible", DataTable)
        refused = self.query_one("#position-ineligible", DataTable)
        eligible.clear()
        refused.clear()
        if len(eligible.columns) == 2 and any(p.get("warnings") for p in report["eligible"]):
            eligible.add_column(_("Warning"))  # only once someone is warned: no empty column
        warned = len(eligible.columns) == 3
        eligible.add_rows([(p["code"], p["name"], *([_reasons(p, "warnings")] if warned else []))
                           for p in report["eligible"][:SHOWN]])
        refused.add_rows([(p["code"], p["name"], _reasons(p, "problems"))
                          for p in report["ineligible"][:SHOWN]])
        for table, rows in ((eligible, report["eligible"]), (refused, report["ineligible"])):
            table.loading = False
            table.border_subtitle = _("{shown} of {total} on {date}").format(
                shown=min(len(rows), SHOWN), total=len(rows), date=report["on"])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.report is None or event.data_table.id not in (
                "position-eligible", "position-ineligible"):
            return
        rows = self.report["eligible" if event.data_table.id == "position-eligible"
                           else "ineligible"]
        from civic.tui.screens.person import PersonScreen

        self.app.push_screen(PersonScreen(rows[event.cursor_row]["code"], position=self.code))
