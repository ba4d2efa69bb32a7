"""A DataTable that says when columns are off-screen.

A table wider than its space shows only the columns that fit; at 80 columns the operator would
not know the rest exist. WideTable marks the header's right edge with how many columns lie to
the right ("▸ 3 more") and, once scrolled, its left edge with how many lie to the left. The mark
is drawn with the header line, so it follows every horizontal scroll and resize.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import DataTable

from civic.i18n import ngettext


class WideTable(DataTable):
    """Every table of the app: a DataTable with off-screen column marks in its header."""

    COMPONENT_CLASSES = DataTable.COMPONENT_CLASSES | {"wide-table--more"}

    DEFAULT_CSS = """
    WideTable > .wide-table--more { background: $accent; color: $text; text-style: bold; }
    """

    def columns_off_screen(self) -> tuple[int, int]:
        """How many columns lie wholly or partly left and right of what is shown."""
        view_left = self.scroll_x
        view_right = view_left + self.scrollable_content_region.width
        if view_right <= view_left:
            return 0, 0
        left = right = 0
        x = 0
        # Fixed columns stay on screen; DataTable lays the scrolling ones from x = 0 anyway.
        for index, column in enumerate(self.ordered_columns):
            width = column.get_render_width(self)
            if index >= self.fixed_columns:
                if x < view_left:
                    left += 1
                elif x + width > view_right:
                    right += 1
            x += width
        return left, right

    def off_screen_marks(self) -> tuple[str, str]:
        """The header's left and right marks ("" when nothing is off-screen that side)."""
        left, right = self.columns_off_screen()
        return (
            ngettext("◂ {n} more", "◂ {n} more", left).format(n=left) if left else "",
            ngettext("▸ {n} more", "▸ {n} more", right).format(n=right) if right else "",
        )

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if not self.show_header or y != 0 or not self.ordered_columns:
            return strip
        left, right = self.columns_off_screen()
        if not (left or right):
            return strip
        marks = self.off_screen_marks()
        # The line runs under the vertical scrollbar: the right mark ends where the view does.
        width = min(strip.cell_length, self.scrollable_content_region.width)
        style = self.get_component_rich_style("wide-table--more")
        fixed = sum(c.get_render_width(self) for c in self.ordered_columns[:self.fixed_columns])
        free_left, free_right = self._free_cells(fixed, width)
        if left:
            mark = self._fitting(f" {marks[0]} ", f" ◂{left} ", free_left)
            start = min(fixed, max(0, width - cell_len(mark)))
            strip = self._overlay(strip, start, mark, style)
        if right:
            mark = self._fitting(f" {marks[1]} ", f" ▸{right} ", free_right)
            strip = self._overlay(strip, max(0, width - cell_len(mark)), mark, style)
        return strip

    @staticmethod
    def _fitting(words: str, short: str, free: int) -> str:
        """The mark in words where they fit in `free` cells, else its short form (a count),
        which hides less of a header the operator needs."""
        return words if cell_len(words) <= free else short

    def _free_cells(self, fixed: int, width: int) -> tuple[int, int]:
        """Header cells either side that a mark may cover without hiding any of the label of
        a column shown whole: to the first whole column's label on the left (after the fixed
        columns), from the end of the last whole column's label (and a blank) on the right."""
        view_left = int(self.scroll_x)
        first, last = width, fixed
        x = 0
        for index, column in enumerate(self.ordered_columns):
            size = column.get_render_width(self)
            start = x if index < self.fixed_columns else x - view_left
            if index >= self.fixed_columns and start >= fixed and start + size <= width:
                first = min(first, start)
                last = max(last, start + self.cell_padding + cell_len(column.label.plain) + 1)
            x += size
        return first - fixed, width - last

    @staticmethod
    def _overlay(strip: Strip, start: int, text: str, style) -> Strip:
        """`strip` with `text` written over it from cell `start`, cut to the strip's width."""
        width = strip.cell_length
        mark = Strip([Segment(text, style)]).crop(0, max(0, width - start))
        end = start + mark.cell_length
        # Cropping through a wide (Chinese) character leaves a blank cell, so widths hold.
        return Strip.join([strip.crop(0, start), mark, strip.crop(end, width)])
