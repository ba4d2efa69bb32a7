"""A DataTable that shows one window of a large result and loads the next as the cursor moves.

DataTable lays out every row it holds (about 225 us a row), so a table of 100,000 people is
never loaded whole: the table holds `page_size` rows; moving past either end, or PageDown on
the last screenful, loads the next window in a worker on its own connection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from textual.binding import Binding
from textual.message import Message

from civic.db import Database
from civic.i18n import N_, _
from civic.tui.text import cell, translate_bindings
from civic.tui.widgets.wide_table import WideTable
from civic.tui.workers import run_db_worker


@dataclass(frozen=True)
class Column:
    """A column: the row dict's key, its heading (msgid) and how to show a value."""

    key: str
    label: str
    show: Callable[[Any], Any] = cell
    width: int | None = None


class PageSource(Protocol):
    """What a PagedTable reads: a total and one window. Called in a worker thread."""

    def count(self, db: Database) -> int: ...

    def fetch(self, db: Database, offset: int, limit: int) -> list[dict]: ...


class PagedTable(WideTable):
    """Rows `start`..`start + page_size` of a `PageSource`; the rest stay in the database."""

    BINDINGS = [
        Binding("pagedown", "page_down", N_("Next rows")),
        Binding("pageup", "page_up", N_("Previous rows")),
        Binding("ctrl+home", "first_page", N_("First rows"), show=False),
        Binding("ctrl+end", "last_page", N_("Last rows"), show=False),
    ]

    class Loaded(Message):
        """A window arrived: `start`, rows shown, and the total."""

        def __init__(self, table: PagedTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, columns: Sequence[Column], source: PageSource | None = None, *,
                 page_size: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        super().__init__(**kwargs)
        translate_bindings(self)
        self.spec = list(columns)
        self.source = source
        self.page_size = page_size
        self.start = 0
        self.total = 0
        self.rows_data: list[dict] = []
        self._generation = 0

    def on_mount(self) -> None:
        for column in self.spec:
            self.add_column(_(column.label), key=column.key, width=column.width)
        if self.source is not None:
            self.reload()

    # -- loading ----------------------------------------------------------------------------

    def reload(self, source: PageSource | None = None) -> None:
        """Start again from the first row (a new query, or data that changed)."""
        if source is not None:
            self.source = source
        self._generation += 1
        self._load(0, 0, count=True)

    def _load(self, offset: int, cursor: int, *, count: bool = False) -> None:
        source, generation, limit = self.source, self._generation, self.page_size
        if source is None:
            return
        known_total = self.total

        def work(db: Database) -> tuple[int, list[dict], int]:
            total = source.count(db) if count else known_total
            start = max(0, min(offset, max(0, total - 1)))
            return start, source.fetch(db, start, limit), total

        def done(result: tuple[int, list[dict], int]) -> None:
            if generation != self._generation:
                return  # a newer query was started while this one ran
            self._show(*result, cursor)

        run_db_worker(self, work, done, group=f"page-{id(self)}")

    def _show(self, offset: int, rows: list[dict], total: int, cursor: int) -> None:
        self.start, self.total, self.rows_data = offset, total, rows
        self.clear()
        # No row keys: the cursor's index is the index into rows_data.
        self.add_rows([c.show(row.get(c.key)) for c in self.spec] for row in rows)
        if rows:
            self.move_cursor(row=max(0, min(cursor, len(rows) - 1)), animate=False)
        self.border_subtitle = self.window_text()
        self.post_message(self.Loaded(self))

    def window_text(self) -> str:
        if not self.total:
            return _("no rows")
        return _("rows {first}–{last} of {total}").format(
            first=self.start + 1, last=self.start + len(self.rows_data), total=self.total)

    @property
    def current(self) -> dict | None:
        """The row dict under the cursor."""
        if not self.rows_data or not 0 <= self.cursor_row < len(self.rows_data):
            return None
        return self.rows_data[self.cursor_row]

    # -- moving past the window's ends ----------------------------------------------------------

    def _more_below(self) -> bool:
        return self.start + len(self.rows_data) < self.total

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        if self.rows_data and self.cursor_row >= len(self.rows_data) - 1 and self._more_below():
            self._load(self.start + self.page_size, 0)
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0 and self.start > 0:
            start = max(0, self.start - self.page_size)
            self._load(start, self.start - 1 - start)
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        last_screenful = len(self.rows_data) - self.cursor_row <= self._visible_rows()
        if last_screenful and self._more_below():
            self._load(self.start + self.page_size, 0)
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row < self._visible_rows() and self.start > 0:
            start = max(0, self.start - self.page_size)
            self._load(start, self.page_size - 1)
        else:
            super().action_page_up()

    def action_first_page(self) -> None:
        self._load(0, 0)

    def action_last_page(self) -> None:
        start = max(0, (self.total - 1) // self.page_size * self.page_size)
        self._load(start, self.page_size - 1)
