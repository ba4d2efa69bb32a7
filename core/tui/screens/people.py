"""The people mode: search by name or code, filter by unit, rank and status, page lazily."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input

from civic.db import Database
from civic.i18n import N_, _
from civic.ladders import RANKS
from civic.registry import PeopleQuery, count_people, people_page, units
from civic.tui.screens.searched import SearchedScreen
from civic.tui.text import STATUS_LABELS, gender_label, rank_label, status_label
from civic.tui.widgets.filter_picker import FilterPicker
from civic.tui.widgets.paged_table import Column, PagedTable


def _rank_choices() -> list[tuple[str, str]]:
    return [(rank_label(r.code), r.code) for r in RANKS]


def _status_choices() -> list[tuple[str, str]]:
    return [(_(label), code) for code, label in STATUS_LABELS.items()]


@dataclass(frozen=True)
class PeopleSource:
    query: PeopleQuery

    def count(self, db: Database) -> int:
        return count_people(db, self.query)

    def fetch(self, db: Database, offset: int, limit: int) -> list[dict]:
        return people_page(db, self.query, offset=offset, limit=limit)


class PeopleScreen(SearchedScreen):
    SCREEN_TITLE = N_("People")
    TABLE_ID = "people-table"
    HELP = N_("Find a person by name or code (type in the search box), narrow the list by "
              "unit, rank or status, and press Enter on a row to open the record. Only one "
              "window of rows is loaded at a time; moving past its ends loads the next.")
    PERFORMS = {"import": "registry.import", "export": "registry.export"}
    BINDINGS = [
        Binding("slash", "search", N_("Search")),
        Binding("ctrl+r", "clear", N_("Clear filters")),
        Binding("i", "import", N_("Import people")),
        Binding("x", "export", N_("Export XLSX")),
    ]

    def compose_body(self) -> ComposeResult:
        db = self.civic.db
        self.unit_names = dict(db.execute("SELECT code, name FROM units"))
        self.post_titles = dict(db.execute("SELECT code, title FROM positions"))
        with Horizontal(classes="filters"):
            yield Input(id="people-search", placeholder=_("name or code"))
            # Filters are picked in a dialog (which narrows the list as one types: there are
            # hundreds of units) and their choices listed only when it opens. A Select
            # builds its whole drop-down at mount: three of them were a third of this
            # mode's first frame.
            yield FilterPicker(_("All units"), _("Filter by unit"), self._unit_choices,
                               id="people-unit")
            yield FilterPicker(_("All ranks"), _("Filter by rank"), _rank_choices,
                               id="people-rank")
            yield FilterPicker(_("Any status"), _("Filter by status"), _status_choices,
                               id="people-status")
        yield PagedTable([
            Column("code", N_("Code")),
            Column("name", N_("Name")),
            Column("gender", N_("Gender"), gender_label),
            Column("birth_date", N_("Born")),
            Column("rank", N_("Rank"), rank_label),
            Column("unit", N_("Unit"), lambda c: self.unit_names.get(c, c or "")),
            Column("position", N_("Position"), lambda c: self.post_titles.get(c, c or "")),
            Column("status", N_("Status"), status_label),
        ], id="people-table")

    def _unit_choices(self) -> list[tuple[str, str]]:
        return [("  " * u["depth"] + u["name"], u["code"]) for u in units(self.civic.db)]

    def query_now(self) -> PeopleQuery:
        def pick(id_: str) -> str | None:
            return self.query_one(id_, FilterPicker).value

        return PeopleQuery(text=self.query_one("#people-search", Input).value.strip(),
                           unit=pick("#people-unit"), rank=pick("#people-rank"),
                           status=pick("#people-status"))

    def refresh_data(self) -> None:
        self.query_one("#people-table", PagedTable).reload(PeopleSource(self.query_now()))

    def on_filter_picker_changed(self, event: FilterPicker.Changed) -> None:
        self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.query_one("#people-table", PagedTable).current
        if row is not None:
            from civic.tui.screens.person import PersonScreen

            self.app.push_screen(PersonScreen(row["code"]))

    def action_search(self) -> None:
        self.query_one("#people-search", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#people-search", Input).value = ""
        for picker in self.query(FilterPicker):
            picker.clear()
        self.refresh_data()

    def action_import(self) -> None:
        self.civic.import_registry("people")

    def action_export(self) -> None:
        """The people the search shows, to XLSX (or CSV by the file's suffix)."""
        from civic.exports import export_list

        if not self.civic.require_change("registry.export"):
            return
        query = self.query_now()
        self.export_file(_("Export people"), "people.xlsx",
                         lambda path: export_list(self.civic.db, "people", path, people=query))
