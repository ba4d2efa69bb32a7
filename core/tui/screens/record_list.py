"""A mode's list of records (nominations, placement batches, ...): a table of them, Enter (or
a click) opens the highlighted one on its own screen, n fills in a form and creates one.

A subclass says what the table is (`TABLE_ID`, `TABLE_TITLE`, `COLUMNS`, `EMPTY`), how to read
and show the rows (`load_rows`, `row_cells`), the record's screen (`record_screen`), and how a
new record is made (`NEW_ACTION`, `NEW_TITLE`, `new_fields`, `create`). Its BINDINGS add the
`n` key with its own description ("New batch"); Enter is bound here. Lists hold tens of records,
so they are read whole; a registry-sized list pages (`widgets.paged_table`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from civic.i18n import N_, _
from civic.tui.dialogs.form import Field
from civic.tui.screens.base import CivicScreen
from civic.tui.widgets.wide_table import WideTable


class RecordListScreen(CivicScreen):
    """Every record of a mode; `rows` are dicts with at least an `id`."""

    TABLE_ID: ClassVar[str] = "records"
    TABLE_TITLE: ClassVar[str] = ""  # msgid
    COLUMNS: ClassVar[Sequence[str]] = ()  # msgids of the column headings
    EMPTY: ClassVar[str] = ""  # msgid: the table's subtitle while there are no records
    NEW_ACTION: ClassVar[str] = ""  # the declared action creating one is (civic.actions)
    NEW_TITLE: ClassVar[str] = ""  # msgid: the new-record form's title

    DEFAULT_CSS = "RecordListScreen .record-list { height: 1fr; }"
    BINDINGS = [Binding("enter", "open", N_("Open"))]

    def compose_body(self) -> ComposeResult:
        table = WideTable(id=self.TABLE_ID, classes="panel record-list", cursor_type="row")
        table.border_title = _(self.TABLE_TITLE)
        yield table

    def on_mount(self) -> None:
        self.rows: list[dict[str, Any]] = []
        table = self.query_one(DataTable)
        table.add_columns(*(_(c) for c in self.COLUMNS))
        table.focus()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        self.rows = self.load_rows()
        table.clear()
        for row in self.rows:
            table.add_row(*self.row_cells(row))
        table.border_subtitle = "" if self.rows else _(self.EMPTY)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def performs(self, binding_action: str) -> str | None:
        if binding_action == "new" and self.NEW_ACTION:
            return self.NEW_ACTION
        return super().performs(binding_action)

    def action_open(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if self.rows and 0 <= row < len(self.rows):
            self.app.push_screen(self.record_screen(self.rows[row]["id"]))

    def action_new(self) -> None:
        if not self.civic.require_change(self.NEW_ACTION):
            return

        # A refused create (an unknown code, say) keeps the form open with what was typed.
        self.push_form(_(self.NEW_TITLE), self.new_fields(), self.create,
                       lambda record_id: self.app.push_screen(self.record_screen(record_id)))

    # -- what a subclass supplies -----------------------------------------------------------

    def load_rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def row_cells(self, row: dict[str, Any]) -> Sequence[Any]:
        raise NotImplementedError

    def record_screen(self, record_id: int) -> Screen:
        raise NotImplementedError

    def new_fields(self) -> list[Field]:
        raise NotImplementedError

    def create(self, values: dict[str, str]) -> int:
        """Create the record from the form's values and return its id. A CivicError refuses
        and keeps the form open (a `FieldError` shows under its field)."""
        raise NotImplementedError
