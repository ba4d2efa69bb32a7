"""The positions mode: every position with its holders and vacancies; vacant ones only."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Input

from civic.db import Database
from civic.i18n import N_, _
from civic.registry import positions
from civic.tui.screens.searched import SearchedScreen
from civic.tui.text import rank_label
from civic.tui.widgets.paged_table import Column, PagedTable


@dataclass(frozen=True)
class PositionsSource:
    """Positions are counted in hundreds or thousands, not 100,000s: filter them in Python,
    but still show a window, since a DataTable lays out every row it holds."""

    text: str = ""
    vacant_only: bool = False

    def _rows(self, db: Database) -> list[dict]:
        rows = positions(db, vacant_only=self.vacant_only)
        needle = self.text.casefold()
        if needle:
            rows = [r for r in rows if needle in r["code"].casefold()
                    or needle in r["title"].casefold()
                    or needle in (r["unit_name"] or "").casefold()]
        return rows

    def count(self, db: Database) -> int:
        return len(self._rows(db))

    def fetch(self, db: Database, offset: int, limit: int) -> list[dict]:
        return self._rows(db)[offset:offset + limit]


class PositionsScreen(SearchedScreen):
    SCREEN_TITLE = N_("Positions")
    TABLE_ID = "positions-table"
    HELP = N_("Every position with its headcount, holders and vacancies. Press v to show "
              "vacant positions only, and Enter to see a position's qualification conditions, "
              "its holders and who is eligible.")
    PERFORMS = {"import": "registry.import"}
    BINDINGS = [
        Binding("slash", "search", N_("Search")),
        Binding("v", "vacant", N_("Vacant only")),
        Binding("i", "import", N_("Import positions")),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Input(id="positions-search", placeholder=_("title, code or unit"))
            yield Checkbox(_("Vacant only"), id="positions-vacant")
        yield PagedTable([
            Column("code", N_("Code")),
            Column("title", N_("Position")),
            Column("unit_name", N_("Unit")),
            Column("rank_level", N_("Rank"), rank_label),
            Column("headcount", N_("Headcount")),
            Column("holders", N_("Holders")),
            Column("vacancies", N_("Vacancies")),
        ], id="positions-table")

    def refresh_data(self) -> None:
        source = PositionsSource(self.query_one("#positions-search", Input).value.strip(),
                                 self.query_one("#positions-vacant", Checkbox).value)
        self.query_one("#positions-table", PagedTable).reload(source)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one("#positions-table", PagedTable).current
        if row is not None:
            from civic.tui.screens.position import PositionScreen

            self.app.push_screen(PositionScreen(row["code"]))

    def action_search(self) -> None:
        self.query_one("#positions-search", Input).focus()

    def action_vacant(self) -> None:
        box = self.query_one("#positions-vacant", Checkbox)
        box.value = not box.value

    def action_import(self) -> None:
        self.civic.import_registry("positions")
