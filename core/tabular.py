"""Reading the CSV and XLSX files offices hand us, and writing exports they can open safely.

Every import goes through `read_rows` (streaming) or `load_table` (a list). Both check the
header against a `Schema`, parse each cell, run the importer's own per-row `check`, and collect
every problem instead of stopping at the first; once the file has been read they raise one
`InputError` naming each problem as ``file:row:column as written: reason``. Only clean rows are
yielded, so an importer that writes rows as they stream, inside one transaction, sees the error
at the end of the stream and rolls back::

    SCHEMA = Schema([
        Column("name", ("姓名",), required=True),
        Column("birth_date", ("出生日期",), parse=parse_date),
    ])
    with db.conn:  # one transaction: the InputError raised at the end undoes the inserts
        db.conn.executemany(
            "INSERT INTO people (name, birth_date) VALUES (?, ?)",
            (tuple(row.values.values()) for row in read_rows(path, SCHEMA, check=...)),
        )
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import re
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from civic.errors import CivicError, InputError, InputProblem
from civic.i18n import _, ngettext

SAMPLE_SIZE = 64 * 1024
MAX_PROBLEMS = 1000
# Parse functions signal a bad value with ValueError (int, parse_date), TypeError, or
# ArithmeticError (decimal.InvalidOperation); anything else is a bug and should surface.
PARSE_ERRORS = (ValueError, TypeError, ArithmeticError)

Complaint = tuple[str | None, str]
"""(canonical column name or None for the whole row, translated reason)."""
Check = Callable[["Row"], Iterable[Complaint] | None]

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SURROGATE = re.compile("[\udc80-\udcff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HEADER_DROP = str.maketrans("", "", "\ufeff_-*")
# What may not stand in a cell: Unicode's control (Cc, but tab and line breaks) and format
# (Cf: zero-width, bidi overrides, soft hyphen, BOM...) characters, and the line and paragraph
# separators. They reach a terminal raw (ESC starts an escape sequence, U+202E reverses the
# text after it) or hide in a name. A Chinese name needs none of them: its middle dots
# (U+00B7, U+30FB) are punctuation and the variation selectors of rare characters are marks.
# tests/faults/test_cells.py checks this class against unicodedata's categories.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_FORMULA_START = frozenset("=+-@\t\r")
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}


def header_key(text: str) -> str:
    """How headers are compared: NFKC, case-folded, without spaces, _ - * or a BOM.

    "Birth Date", "birth_date" and "*出生日期" (templates star required columns) all match.
    """
    return "".join(unicodedata.normalize("NFKC", text).casefold().split()).translate(_HEADER_DROP)


# For the pre-scan of a CSV file as UTF-8 bytes: bytes.translate deletes at C speed, so what
# is left of a block says at once whether the slow, exact search is needed at all.
_NOT_C0 = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))
_LEAD_BYTES = b"\xc2\xd8\xdb\xdc\xe0\xe1\xe2\xef\xf0\xf3"  # lead every other _INVISIBLE char
_NOT_LEAD = bytes(b for b in range(0x100) if b not in _LEAD_BYTES)
_BREAKS = dict.fromkeys(map(ord, "\t\n\r"))  # what a block may hold that is not printable


def _may_hold_invisible(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a character of _INVISIBLE: a C0 control or DEL shows as a
    byte left by one translate; any other such character has one of a few lead bytes, and
    only a block holding one (Chinese punctuation starts with \xef or \xe2) is searched."""
    if data.translate(None, _NOT_C0):
        return True
    if not data.translate(None, _NOT_LEAD):
        return False
    text = data.decode("utf-8", "replace")
    # No character of _INVISIBLE is printable (tests/faults/test_cells.py checks every code
    # point), so a printable block needs no search: full-width punctuation (：，) sends most
    # Chinese blocks here, and isprintable() is several times cheaper than the pattern.
    if text.translate(_BREAKS).isprintable():
        return False
    return _INVISIBLE.search(text) is not None


def code_points(text: str) -> str:
    """The invisible or control characters in `text`, named by code point (U+202E, ...)."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text))
    return ", ".join(found)


def visible(text: str) -> str:
    """`text` safe to print: each invisible or control character (line breaks and tabs
    excepted) shown as <U+XXXX>, never raw (an escape sequence would drive the terminal)."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def invisible_reason(text: str) -> str | None:
    """Why a cell's text is refused for its invisible or control characters, or None."""
    if not _INVISIBLE.search(text):
        return None
    return _("contains the invisible or control character {chars}; retype the cell without "
             "it").format(chars=code_points(text))


@dataclass(frozen=True, slots=True)
class Column:
    """A column an importer understands: its English name, the headers offices use for it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the header must be present and no cell under it may be empty
    parse: Callable[[str], Any] | None = None  # gets stripped, non-empty text


@dataclass
class Schema:
    columns: list[Column]
    allow_extra: bool = False  # ignore unknown headers instead of reporting them
    _lookup: dict[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._lookup = {}
        for column in self.columns:
            for label in (column.name, *column.aliases):
                key = header_key(label)
                other = self._lookup.setdefault(key, column)
                if other is not column:
                    raise ValueError(f"header {label!r} names both {other.name} and {column.name}")

    def match(self, header: str) -> Column | None:
        return self._lookup.get(header_key(header))


@dataclass(slots=True)
class Row:
    """One data row: `number` is the spreadsheet row (header row = 1), `values` are parsed.

    `values` has every schema column, in schema order, keyed by English name; empty -> None.
    """

    number: int
    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


class TableReader:
    """Streams the clean rows of one file; raises InputError after the last row if any problem.

    Importers may add problems found while consuming rows with `report`; they are raised with
    the others when the stream ends. `headers` maps column names to the headers as written
    once the header row has been read. Iterate it for `Row`s, or read `tuples()` instead.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        schema: Schema,
        check: Check | None = None,
        *,
        max_problems: int = MAX_PROBLEMS,
    ) -> None:
        self.path = Path(path)
        self.file = self.path.name
        self.schema = schema
        self.check = check
        self.max_problems = max_problems
        self.problems: list[InputProblem] = []
        self.headers: dict[str, str] = {}
        self._dropped = 0
        self._scan_cells = True  # look for invisible characters cell by cell (see suspect)
        self._rows: Generator[Any, None, None] | None = None  # made by the first read
        self._tuples = False

    def __iter__(self) -> Iterator[Row]:
        return self._start(tuples=False)

    def tuples(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """The clean rows as (row number, values in schema order), instead of `Row`s.

        The same rows, values and problems as iterating the reader: `(row.number,
        tuple(row.values.values()))`. Without a `check`, a row whose cells are all present and
        non-empty skips the per-row dict and `Row`: for files of a million rows (ballots).
        """
        return self._start(tuples=True)

    def _start(self, tuples: bool) -> Generator[Any, None, None]:
        if self._rows is None:
            self._rows, self._tuples = self._generate(tuples), tuples
        elif tuples != self._tuples and self._rows.gi_frame is not None:
            raise RuntimeError("a TableReader is read as rows or as tuples, not both")
        return self._rows

    def close(self) -> None:
        """Stop early and release the file (no InputError is raised)."""
        self._start(self._tuples).close()

    def report(self, row: Row | int | None, column: str | None, reason: str) -> None:
        """Record a problem; `column` is an English column name or a header as written."""
        number = row.number if isinstance(row, Row) else row
        self._add(number, self.headers.get(column, column) if column else None, reason)

    def _add(self, row: int | None, header: str | None, reason: str) -> None:
        if len(self.problems) < self.max_problems:
            # A reason may quote the cell (an unknown code, a bad date): never raw.
            self.problems.append(InputProblem(self.file, row, header and visible(header),
                                              visible(reason)))
        else:
            self._dropped += 1

    def _raise_if_problems(self) -> None:
        if self._dropped:
            more = ngettext(
                "{count} more problem not listed", "{count} more problems not listed", self._dropped
            ).format(count=self._dropped)
            self.problems.append(InputProblem(self.file, None, None, more))
        if self.problems:
            raise InputError(self.problems)

    def _generate(self, tuples: bool) -> Generator[Any, None, None]:
        with ExitStack() as stack:
            source = _open_source(self.path, self.file, stack)
            yield from self._rows_of(source, tuples)
        self._raise_if_problems()

    def _rows_of(self, source: _Source, tuples: bool) -> Generator[Any, None, None]:
        number = 0
        header: list[str] | None = None

        def written_at(i: int) -> str | None:
            # Late-bound: the decode error may strike before the header row has been read.
            return (header[i].strip() or None) if header and i < len(header) else None

        source.report = lambda row, i, reason: self._add(row, written_at(i), reason)
        self._scan_cells = source.suspect()
        records = source.records()

        while True:
            try:
                if header is None:
                    for number, cells in records:  # noqa: B007 - number is the header's row
                        if any(c.strip() for c in cells):
                            header = cells
                            break
                    else:
                        self._add(None, None, _("the file is empty"))
                        return
                    plan, width, blanks, pad_to, header_ok = self._plan(number, header)
                    row_of = self._row_parser(plan, width, blanks, pad_to, header_ok)
                    # The fast path: rows as tuples, no per-row check, a header without
                    # problems or blank headers, cells that need no scan for invisible ones.
                    fast = (tuples and self.check is None and header_ok and bool(plan)
                            and not blanks and not self._scan_cells)
                    if fast:
                        convert = _converter(plan, width)
                        required = any(r for _i, _n, _p, r, _w in plan)
                # `number` stays this function's local: the decode error handler resumes after it.
                if fast:
                    # One call a row, the cells read by a function made for this file's columns
                    # (files have 1e6 rows). A row it cannot convert as it is (too long, an
                    # empty required cell, a value its parse refuses) or that may be blank goes
                    # through `row_of`, the general rules, which name each problem.
                    for number, cells in records:
                        if len(cells) == width:
                            try:
                                values = convert(cells)
                            except (_Irregular, *PARSE_ERRORS):
                                pass
                            else:
                                if required or values.count(None) != len(values):
                                    yield number, values
                                    continue
                        elif 0 < len(cells) < width:
                            # Short rows read the missing cells as empty, as `row_of` pads them.
                            try:
                                values = convert(cells + [""] * (width - len(cells)))
                            except (_Irregular, *PARSE_ERRORS):
                                pass
                            else:
                                if required or values.count(None) != len(values):
                                    yield number, values
                                    continue
                        row = row_of(number, cells)
                        if row is not None:
                            yield number, tuple(row.values.values())
                elif tuples:
                    for number, cells in records:
                        row = row_of(number, cells)
                        if row is not None:
                            yield number, tuple(row.values.values())
                else:
                    for number, cells in records:
                        row = row_of(number, cells)
                        if row is not None:
                            yield row
                return
            except UnicodeDecodeError:
                # Rows so far were valid; re-read the rest tolerantly to name each bad row.
                records = source.lenient_records(number, self._add, written_at)
            except csv.Error as exc:
                # Structure is lost (an unclosed quote swallowing the file, say): stop here.
                self._add(number + 1, None, _csv_error_reason(exc))
                return

    def _row_parser(
        self,
        plan: list[tuple[int, str, Any, bool, str]],
        width: int,
        blanks: list[int],
        pad_to: int,
        header_ok: bool,
    ) -> Callable[[int, list[str]], Row | None]:
        """The rules for one data row: its clean `Row`, or None (a blank row, or problems)."""
        add, check, headers = self._add, self.check, self.headers
        scan = self._scan_cells
        irregular = bool(blanks) or pad_to > width
        columns = len(plan)

        def row_of(number: int, cells: list[str]) -> Row | None:
            ok = header_ok
            if len(cells) != width or irregular:
                if len(cells) > width or blanks:
                    ok = self._shape_ok(number, cells, width, blanks) and ok
                # Cut extra cells so absent columns read the padded empty cell.
                cells = cells[:width] + [""] * (pad_to - min(len(cells), width))
            values: dict[str, Any] = {}
            empty = 0
            for index, name, parse, required, written in plan:
                text = cells[index].strip()
                if not text:
                    values[name] = None
                    empty += 1
                    if required:
                        if not any(c.strip() for c in cells):
                            return None  # only spaces: a blank row after all
                        add(number, written, _("a value is required"))
                        ok = False
                elif scan and (reason := invisible_reason(text)) is not None:
                    values[name] = None
                    add(number, written, reason)
                    ok = False
                elif parse is None:
                    values[name] = text
                else:
                    try:
                        values[name] = parse(text)
                    except PARSE_ERRORS as exc:
                        values[name] = None
                        add(number, written, str(exc) or _("invalid value"))
                        ok = False
            if empty == columns:
                return None  # blank line or empty spreadsheet row
            row = Row(number, values)
            if ok and check is not None:
                for column, reason in check(row) or ():
                    add(number, headers.get(column, column) if column else None, reason)
                    ok = False
            return row if ok else None

        return row_of

    def _shape_ok(self, number: int, cells: list[str], width: int, blanks: list[int]) -> bool:
        """Report cells beyond the header or under a blank header; extra empty cells are fine."""
        ok = True
        filled = [i for i, c in enumerate(cells) if c.strip()]
        if filled and filled[-1] >= width:
            reason = _("the row has {cells} cells but the header has {headers}")
            self._add(number, None, reason.format(cells=filled[-1] + 1, headers=width))
            ok = False
        for i in blanks:
            if i in filled:
                reason = _("column {index} has a value but no header").format(index=i + 1)
                self._add(number, None, reason)
                ok = False
        return ok

    def _plan(
        self, number: int, header: list[str]
    ) -> tuple[list[tuple[int, str, Any, bool, str]], int, list[int], int, bool]:
        """Match the header row to the schema; report unknown, duplicate and missing columns."""
        before = len(self.problems)
        written = [c.strip().lstrip("\ufeff").strip() for c in header]
        width = len(written)
        while width and not written[width - 1]:
            width -= 1
        blanks = [i for i in range(width) if not written[i]]
        index: dict[str, int] = {}
        for i, text in enumerate(written[:width]):
            if not text:
                continue
            column = self.schema.match(text)
            if column is None:
                if not self.schema.allow_extra:
                    self._add(number, text, _("unknown column {name}").format(name=text))
            elif column.name in index:
                first = self.headers[column.name]
                self._add(
                    number,
                    text,
                    _("duplicate column: {first} is the same column").format(first=first),
                )
            else:
                index[column.name] = i
                self.headers[column.name] = text
        for column in self.schema.columns:
            if column.required and column.name not in index:
                names = " / ".join((column.name, *column.aliases))
                self._add(number, None, _("missing required column {name}").format(name=names))
        # Absent optional columns read an always-empty cell padded on at index `width`.
        pad_to = width + 1 if len(index) < len(self.schema.columns) else width
        # An absent required column is reported once above, not again on every row.
        plan = [
            (
                index.get(c.name, width),
                c.name,
                c.parse,
                c.required and c.name in index,
                self.headers.get(c.name, c.name),
            )
            for c in self.schema.columns
        ]
        return plan, width, blanks, pad_to, len(self.problems) == before


class _Irregular(Exception):  # noqa: N818 - a signal, not an error anyone sees
    """A required cell is empty: the row goes the general way, which reports it."""


def _empty_required() -> Any:
    raise _Irregular


def _converter(plan: list[tuple[int, str, Any, bool, str]], width: int
               ) -> Callable[[list[str]], tuple[Any, ...]]:
    """cells -> the row's values in schema order, as `row_of` makes them for a regular row:
    each cell stripped, an empty one None (or `_Irregular` if it is required), the rest
    through the column's parse (whose errors pass up); an absent column None.

    Made once per file as one function, `lambda c: (p0(t) if (t := c[3].strip()) else None,
    ...)`: the bytecode Python would run for the columns written out by hand, no per-cell
    loop, dict or call beyond the parse itself. It was half the time of `civic people
    import` read cell by cell (2.3 s of 100,000 rows). The source is built from column
    positions and fixed names only, never from the file's text.
    """
    names: dict[str, Any] = {"_empty": _empty_required}
    parts = []
    for k, (index, _name, parse, required, _written) in enumerate(plan):
        if index >= width:
            parts.append("None")  # a column the file does not have
            continue
        empty = "_empty()" if required else "None"
        if parse is None:
            parts.append(f"(c[{index}].strip() or {empty})")
        elif parse is one_line:
            # one_line's test written out (a third of a 500,000-row rating file's reading was
            # its calls): a clean cell is itself, any other goes through it, to be refused.
            names.update(_one_line=one_line, _formula=_FORMULA_START)
            parts.append(f"((t if t[:1] not in _formula and '\\n' not in t and '\\r' not in t"
                         f" else _one_line(t)) if (t := c[{index}].strip()) else {empty})")
        else:
            names[f"p{k}"] = parse
            parts.append(f"(p{k}(t) if (t := c[{index}].strip()) else {empty})")
    source = f"lambda c: ({', '.join(parts)},)"
    return eval(source, names)  # noqa: S307 - see the docstring: no text from the file


class _Source:
    """Numbered records (spreadsheet row, cells as text) from one CSV or XLSX file.

    `report(row, cell index, reason)` is set by the reader: a source names a cell it cannot
    give as text (an XLSX error or uncached formula) through it."""

    report: Callable[[int, int, str], None] = staticmethod(lambda row, i, reason: None)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError

    def suspect(self) -> bool:
        """May a cell hold an invisible or control character? (Then cells are checked one
        by one, off the fast path.)"""
        return True

    def lenient_records(
        self,
        skip: int,
        add: Callable[[int, str | None, str], None],
        column: Callable[[int], str | None],
    ) -> Iterator[tuple[int, list[str]]]:
        raise NotImplementedError


class _CsvSource(_Source):
    def __init__(self, path: Path, encoding: str, delimiter: str, stack: ExitStack) -> None:
        self.path, self.encoding, self.delimiter, self.stack = path, encoding, delimiter, stack

    def records(self, errors: str = "strict") -> Iterator[tuple[int, list[str]]]:
        # enumerate over csv.reader stays in C: no Python frame per row on the happy path.
        handle = self.stack.enter_context(
            open(self.path, encoding=self.encoding, errors=errors, newline="")
        )
        return enumerate(csv.reader(handle, delimiter=self.delimiter), 1)

    def suspect(self) -> bool:
        """One pass over the file in C instead of a check per cell: a ballot file of a
        million rows keeps its fast path unless it may hold such a character."""
        return any(_may_hold_invisible(block) for block in self._utf8_blocks())

    def _utf8_blocks(self) -> Iterator[bytes]:
        """The file as UTF-8 bytes, in blocks cut after a line break (so that no character
        is split): a UTF-8 file as it is, others decoded and encoded again."""
        if self.encoding in ("utf-8", "utf-8-sig"):
            with open(self.path, "rb") as handle:
                rest = handle.read(3).removeprefix(codecs.BOM_UTF8)
                for block in iter(lambda: handle.read(1 << 20), b""):
                    cut = block.rfind(b"\n") + 1
                    if cut:
                        yield rest + block[:cut]
                        rest = block[cut:]
                    else:
                        rest += block
                yield rest
            return
        with open(self.path, encoding=self.encoding, errors="replace", newline="") as text:
            for chunk in iter(lambda: text.read(1 << 20), ""):
                yield chunk.encode("utf-8", "surrogatepass")  # (these encodings drop the BOM)

    def lenient_records(
        self,
        skip: int,
        add: Callable[[int, str | None, str], None],
        column: Callable[[int], str | None],
    ) -> Iterator[tuple[int, list[str]]]:
        name = _ENCODING_NAMES.get(self.encoding, self.encoding.upper())
        reason = _("bytes that are not valid {encoding} text").format(encoding=name)
        for number, cells in self.records("surrogateescape"):
            if number <= skip:
                continue
            bad = [i for i, c in enumerate(cells) if _SURROGATE.search(c)]
            if not bad:
                yield number, cells
                continue
            for i in bad:
                add(number, column(i), reason)


class _XlsxSource(_Source):
    def __init__(self, path: Path, file: str, stack: ExitStack) -> None:
        import openpyxl  # slow to import; only XLSX imports pay for it

        self.file = file
        handle = stack.enter_context(open(path, "rb"))
        try:
            # A file object, not the path: openpyxl refuses names without an .xlsx suffix.
            self.book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # untrusted zip/XML: any parser error means "not readable"
            raise _unreadable_xlsx(file, exc) from exc
        stack.callback(self.book.close)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """The first sheet's rows, cell by cell as openpyxl's own read-only sheet reads them
        (its parser, on the sheet's XML), but with what that loses silently named instead:
        an error cell (#DIV/0!), a formula saved without its value (written by a program
        that does not calculate), and merged cells (only the first cell keeps the value)."""
        sheet = self.book.worksheets[0]
        try:
            # openpyxl's private parts, as ReadOnlyWorksheet._cells_by_row uses them: the
            # public API gives neither a formula's absence of value nor merges in read-only.
            with sheet._get_source() as source:
                parser = _cell_parser()(
                    source, sheet._shared_strings, data_only=True, epoch=self.book.epoch,
                    date_formats=self.book._date_formats,
                    timedelta_formats=self.book._timedelta_formats)
                expected = 1
                for number, cells in parser.parse():
                    for blank in range(expected, number):  # rows the file leaves out
                        yield blank, []
                    expected = number + 1
                    yield number, self._row(number, cells)
                merged = parser.merged_cells
        except Exception as exc:  # a corrupt sheet part fails mid-stream: not readable
            raise _unreadable_xlsx(self.file, exc) from exc
        for cells in getattr(merged, "mergeCell", None) or ():
            from openpyxl.utils.cell import range_boundaries

            min_col, min_row, max_col, max_row = range_boundaries(cells.ref)
            self.report(min_row, min_col - 1, _(
                "merged cells {ref}: only the first keeps its value; unmerge them and fill "
                "each cell").format(ref=cells.ref))

    def _row(self, number: int, cells: list[dict[str, Any]]) -> list[str]:
        row = [""] * max((c["column"] for c in cells), default=0)
        for cell in cells:
            index, value = cell["column"] - 1, cell["value"]
            if cell["data_type"] == "e":
                self.report(number, index, _("the cell holds the error {value}; enter the "
                                             "value itself").format(value=value))
            elif cell["data_type"] == _NO_CACHED_VALUE:
                self.report(number, index, _("a formula saved without its value; open the "
                                             "file in a spreadsheet, save it, or enter the "
                                             "value itself"))
            else:
                row[index] = _cell_text(value)
        return row


_NO_CACHED_VALUE = "formula without value"


def _cell_parser() -> type:
    """openpyxl's sheet parser, telling a formula saved without its value from an empty
    cell (with data_only, both read as None)."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["data_type"] = _NO_CACHED_VALUE
            return cell

    return CellParser


def _unreadable_xlsx(file: str, exc: Exception) -> InputError:
    return _problem(file, _("not a readable XLSX file ({reason})").format(reason=exc))


def _csv_error_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        limit = csv.field_size_limit()
        return _("a cell is longer than {limit} characters; is a quote left open?").format(
            limit=limit
        )
    return _("cannot read the row: {reason}").format(reason=exc)


def _cell_text(value: Any) -> str:
    """XLSX cell -> the text an office would have typed, so parse functions see one type."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _problem(file: str, reason: str) -> InputError:
    return InputError([InputProblem(file, None, None, reason)])


def _open_source(path: Path, file: str, stack: ExitStack) -> _Source:
    try:
        with open(path, "rb") as handle:
            sample = handle.read(SAMPLE_SIZE)
    except FileNotFoundError:
        raise _problem(file, _("file not found")) from None
    except IsADirectoryError:
        raise _problem(file, _("not a file")) from None
    except OSError as exc:
        raise _problem(
            file, _("cannot read the file: {reason}").format(reason=exc.strerror)
        ) from None
    if not sample.lstrip(codecs.BOM_UTF8).strip():
        raise _problem(file, _("the file is empty"))
    if sample.startswith(_XLSX_MAGIC):
        return _XlsxSource(path, file, stack)
    if sample.startswith(_XLS_MAGIC):
        raise _problem(file, _("old .xls files are not supported; save it as .xlsx or CSV"))
    encoding, text = _detect_encoding(sample, complete=len(sample) < SAMPLE_SIZE)
    if encoding is None or _looks_binary(text):
        raise _problem(file, _("not a CSV or XLSX file"))
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" export is tab-separated; everything else offices send uses commas.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return _CsvSource(path, encoding, delimiter, stack)


def _detect_encoding(sample: bytes, complete: bool) -> tuple[str | None, str]:
    """Pick the file's encoding from its first bytes: BOM, strict UTF-8, GB18030, then a guess.

    Strict decoding comes first because charset-normalizer misreads short Chinese text.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", sample[3:].decode("utf-8", "replace")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", sample.decode("utf-16", "replace")
    if b"\x00" in sample:
        return None, ""  # no text encoding offices use puts NUL bytes in a CSV
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental, so a character cut at the end of the sample is not an error.
            decoder = codecs.getincrementaldecoder(encoding)()
            return encoding, decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            pass
    # Imported only for the rare file neither UTF-8 nor GB18030 reads (~25 ms): everything
    # that imports this module (the nomination's dashboard line among them) paid it before.
    import charset_normalizer

    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return None, ""
    return best.encoding, str(best)


def _looks_binary(text: str) -> bool:
    # Text files may hold a stray form feed or ^Z; junk that happened to decode is full of them.
    controls = len(_CONTROL.findall(text))
    return controls > 4 and controls * 20 > len(text)


def read_rows(
    path: str | os.PathLike[str], schema: Schema, check: Check | None = None
) -> TableReader:
    """Stream the clean rows of a CSV or XLSX file; see the module docstring for the contract."""
    return TableReader(path, schema, check)


def load_table(
    path: str | os.PathLike[str], schema: Schema, check: Check | None = None
) -> list[Row]:
    """Read the whole file; raise InputError with every problem, else return all rows."""
    return list(read_rows(path, schema, check))


def validate(path: str | os.PathLike[str], schema: Schema, check: Check | None = None) -> int:
    """Check a file without keeping its rows (a dry run); return the number of rows."""
    return sum(1 for _row in read_rows(path, schema, check))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file as imported, for its audit entry (read in blocks)."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def free_text(value: Any) -> str:
    """A cell of text that may span lines (notes), but not begin like a formula: such text,
    kept and exported again to other offices, would run in their spreadsheet (CSV/formula
    injection), so every importer refuses it at the door. Use as a Column's `parse`."""
    text = str(value).strip()
    if text[:1] in _FORMULA_START:
        raise ValueError(_("starts with {char}, which a spreadsheet would run as a formula")
                         .format(char=text[0]))
    return text


def one_line(value: Any) -> str:
    """A cell of one line (codes, names) that does not begin like a formula: a line break
    there means a quote was left open."""
    text = str(value).strip()
    # free_text's check, written out: codes and names are most cells of an import.
    if text[:1] in _FORMULA_START:
        free_text(text)
    if "\n" in text or "\r" in text:
        raise ValueError(_("a line break inside the cell; is a quote left open?"))
    return text


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value and value[0] in _FORMULA_START:
        return "'" + value
    return value


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return safe_cell(value)


def write_table(
    path: str | os.PathLike[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    format: str | None = None,
) -> int:
    """Export rows as CSV (UTF-8 with BOM, for Excel) or XLSX; return the number of rows.

    `format` defaults to the file's suffix. The file is written beside its target and then
    renamed, so a failed export never leaves half a file where the operator expects one.
    """
    target = Path(path)
    kind = format or ("xlsx" if target.suffix.lower() == ".xlsx" else "csv")
    if kind not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {kind!r}")
    temp = target.with_name(f".{target.name}.part")
    count = 0
    try:
        if kind == "csv":
            with open(temp, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([safe_cell(c) for c in columns])
                for row in rows:
                    writer.writerow([_csv_text(v) for v in row])
                    count += 1
        else:
            count = _write_xlsx(temp, columns, rows)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CivicError(
            _("cannot write {file}: {reason}").format(file=target, reason=exc.strerror or exc)
        ) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count


def _write_xlsx(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            # openpyxl refuses control characters that XML cannot hold; drop them.
            return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        if value is None or isinstance(value, int | float | datetime | date | time):
            return value
        return safe_cell(str(value))

    book = openpyxl.Workbook(write_only=True)  # streams rows to disk, for large exports
    sheet = book.create_sheet()
    count = 0
    try:
        sheet.append([cell(c) for c in columns])
        for row in rows:
            sheet.append([cell(v) for v in row])
            count += 1
        _save_xlsx(book, path)
    except BaseException:
        # A failed write (a full disk) leaves openpyxl's row writer half-open: closed when
        # collected, it writes to a closed file and Python prints a traceback. Close it now.
        with contextlib.suppress(Exception):
            if sheet._rows is not None:
                sheet._rows.close()
        raise
    return count


def _save_xlsx(book: Any, path: Path) -> None:
    """openpyxl's save_workbook, with the archive closed even when a write fails (else
    its __del__ retries the write and prints the failure as a traceback)."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    archive = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).save()
    finally:
        with contextlib.suppress(OSError, ValueError):
            archive.close()  # the first failure is the one to report
