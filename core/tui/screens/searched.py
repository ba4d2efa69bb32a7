"""A mode's screen whose paged table follows what is typed in its search boxes."""

from __future__ import annotations

from typing import ClassVar

from textual.timer import Timer
from textual.widgets import Input

from civic.tui.screens.base import CivicScreen
from civic.tui.widgets.paged_table import PagedTable

TYPING_PAUSE = 0.25  # seconds: search once the operator stops typing, not on every key


class SearchedScreen(CivicScreen):
    """Reloads (`refresh_data`) once the operator stops typing in any of its inputs, and at
    once on Enter, which also hands the focus to the table `#TABLE_ID`."""

    TABLE_ID: ClassVar[str] = ""
    # The table has the focus from the screen's first frame. Textual first gave it to the
    # search box (the first focusable widget), then on_mount to the table: the footer was
    # built for the box's keys, then again for the table's, a second layout and paint of
    # the mode's first frame.
    AUTO_FOCUS = "PagedTable"
    _timer: Timer | None = None

    @property
    def table(self) -> PagedTable:
        return self.query_one(f"#{self.TABLE_ID}", PagedTable)

    def on_mount(self) -> None:
        self.table.focus()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._stop_timer()
        self._timer = self.set_timer(TYPING_PAUSE, self.refresh_data)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._stop_timer()  # Enter searches now: the pending search would only repeat it
        self.refresh_data()
        self.table.focus()
