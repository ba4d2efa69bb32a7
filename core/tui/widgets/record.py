"""A record shown as label/value lines (Rich lays out wide Chinese characters by cell)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

from civic.tui.text import cell


def record_table(pairs: Iterable[tuple[str | Text, Any]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in pairs:
        grid.add_row(label, Text(cell(value)))
    return grid
