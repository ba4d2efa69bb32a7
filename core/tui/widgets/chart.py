"""A bar chart of labelled values, drawn the same way by every screen and plugin.

Bars run across (labels on the left, read by cell width, so Chinese labels line up), one row a
label; several series side by side (one row each, grouped under their label) or `stacked` in
one row; an optional reference line (a requirement) marked in every row. Each series has its
own fill character as well as its colour, so the chart reads on a monochrome terminal too, and
`plain_text()` gives the same numbers as lines a test or a screen reader can read.

Why not textual-plotext: plotext counts a Chinese character as one column, so the operator's
labels (责任意识淡漠, 西山区委) pushed their rows out of line and the axis off the frame.

    chart = BarChart(id="cases-by-form")
    chart.show(ChartData(_("Cases by form"), labels=("诫勉", "通报"),
                         series=(Series(_("Cases"), (12, 7)),)))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from civic.i18n import _

# A fill character and a colour per series, in order (a fifth series starts again).
FILLS = (("█", "dodger_blue2"), ("▓", "dark_orange"), ("▒", "green3"), ("░", "magenta"))
LINE_MARK = "┃"
LINE_STYLE = "bold red"
NARROW = 30  # below this many columns the bars say nothing: the plain lines are shown


@dataclass(frozen=True)
class Series:
    """One series: its name (shown in the legend) and a value per label, in label order."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartData:
    """What a chart shows. `line` is a reference value (a requirement) marked across every
    bar, named `line_name` in the legend; `unit` follows each value (学时, h)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = False
    line: float | None = None
    line_name: str = ""
    unit: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for one in self.series:
            if len(one.values) != len(self.labels):
                raise ValueError(f"series {one.name!r} has {len(one.values)} values for "
                                 f"{len(self.labels)} labels")

    def total(self, index: int) -> float:
        return sum(s.values[index] for s in self.series)

    def top(self) -> float:
        """The largest value the scale must hold: a bar (or stacked total), or the line."""
        tops = [self.total(i) if self.stacked else max((s.values[i] for s in self.series),
                                                       default=0)
                for i in range(len(self.labels))]
        return max([0.0, *tops, *([self.line] if self.line is not None else [])])


def number(value: float) -> str:
    """A count as a whole number, hours with at most one decimal."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells (a trailing … when cut), padded to exactly `width`."""
    if cell_len(text) > width:
        out = ""
        for char in text:
            if cell_len(out + char) > width - 1:
                break
            out += char
        text = out + "…"
    return text + " " * (width - cell_len(text))


def plain_lines(data: ChartData) -> list[str]:
    """The chart's numbers as lines: `label: value` (or each series `name value`, and the
    total when stacked), then the reference line."""
    lines = [data.title]
    if not data.labels:
        lines.append(_("no data"))
        return lines
    unit = f" {data.unit}" if data.unit else ""
    for i, label in enumerate(data.labels):
        if len(data.series) == 1:
            lines.append(f"{label}: {number(data.series[0].values[i])}{unit}")
            continue
        parts = [f"{s.name} {number(s.values[i])}" for s in data.series]
        if data.stacked:
            parts.append(_("total {count}").format(count=number(data.total(i))))
        lines.append(f"{label}: " + ", ".join(parts) + unit)
    if data.line is not None:
        lines.append(f"{data.line_name}: {number(data.line)}{unit}")
    lines.extend(data.notes)
    return lines


def render_chart(data: ChartData, width: int) -> Text:
    """The chart drawn in `width` cells (without its title: the widget's border shows it)."""
    if not data.labels:
        return Text(_("no data"), style="dim")
    if width < NARROW:
        return Text("\n".join(plain_lines(data)[1:]))
    grouped = len(data.series) > 1 and not data.stacked
    label_w = min(max(cell_len(label) for label in data.labels), width // 3)
    values = [number(data.total(i)) if data.stacked else number(s.values[i])
              for i in range(len(data.labels)) for s in data.series]
    value_w = max(cell_len(v) for v in values) + (cell_len(data.unit) + 1 if data.unit else 0)
    bar_w = max(1, width - label_w - value_w - 3)
    top = data.top() or 1.0
    line_at = (min(bar_w - 1, round(data.line / top * bar_w))
               if data.line is not None else None)

    def cells(value: float) -> int:
        # A value above nothing gets one cell at least, so a small count is not read as none.
        return 0 if value <= 0 else max(1, round(value / top * bar_w))

    out = Text(no_wrap=True, overflow="crop")
    rows = len(data.series) if grouped else 1
    for i, label in enumerate(data.labels):
        for row in range(rows):
            if out:
                out.append("\n")
            out.append(fit(label if row == 0 else "", label_w) + " ", style="bold")
            if grouped:
                segments = [(data.series[row].values[i], FILLS[row % len(FILLS)])]
                shown = data.series[row].values[i]
            elif data.stacked:
                segments = [(s.values[i], FILLS[n % len(FILLS)])
                            for n, s in enumerate(data.series)]
                shown = data.total(i)
            else:
                segments = [(data.series[0].values[i], FILLS[0])]
                shown = data.series[0].values[i]
            bar: list[tuple[str, str]] = []
            running = 0.0
            for value, (char, style) in segments:
                # Stacked segments end where their running total ends, so rounding never
                # makes a row longer than its total.
                end = cells(running + value) if data.stacked else cells(value)
                start = cells(running) if data.stacked else 0
                bar += [(char, style)] * max(0, end - start)
                running += value
            bar += [(" ", "")] * (bar_w - len(bar))
            if line_at is not None:
                bar[line_at] = (LINE_MARK, LINE_STYLE)
            for char, style in bar:
                out.append(char, style=style)
            unit = f" {data.unit}" if data.unit else ""
            out.append(" " + number(shown) + unit)
    entries: list[Text] = []
    if len(data.series) > 1:
        for n, s in enumerate(data.series):
            char, style = FILLS[n % len(FILLS)]
            entries.append(Text.assemble((char, style), " " + s.name))
    if data.line is not None:
        entries.append(Text.assemble((LINE_MARK, LINE_STYLE), f" {data.line_name} "
                                     f"{number(data.line)}" + (f" {data.unit}" if data.unit
                                                               else "")))
    line = Text()
    for entry in entries:
        # The legend wraps between entries: four long headings do not fit one row of 80.
        if line and line.cell_len + 2 + entry.cell_len > width:
            out.append("\n")
            out.append_text(line)
            line = Text()
        if line:
            line.append("  ")
        line.append_text(entry)
    if line:
        out.append("\n")
        out.append_text(line)
    for note in data.notes:
        out.append("\n" + note, style="dim")
    return out


class BarChart(Widget):
    """A chart panel: `show(data)` draws it; its border carries the title. Height follows the
    rows; width is the container's. `plain_text()` is the chart's numbers, line by line."""

    DEFAULT_CSS = """
    BarChart { height: auto; min-height: 3; }
    """

    def __init__(self, data: ChartData | None = None, *, id: str | None = None,
                 classes: str = "panel") -> None:
        super().__init__(id=id, classes=classes)
        self.data = data
        if data is not None:
            self.border_title = data.title

    def show(self, data: ChartData) -> None:
        self.data = data
        self.border_title = data.title
        self.refresh(layout=True)

    def plain_text(self) -> str:
        return "\n".join(plain_lines(self.data)) if self.data else ""

    def render(self) -> Text:
        if self.data is None:
            return Text("")
        return render_chart(self.data, self.content_size.width or 80)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.data is None:
            return 1
        return len(render_chart(self.data, width).plain.split("\n"))
