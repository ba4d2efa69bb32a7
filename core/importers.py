"""Importing units, people and positions from an office's CSV or XLSX file.

The whole file is read and validated before anything is written; any problem rejects the
file, listing every problem as file:row:column. Known codes are updated and the audit entry
counts, per field, the records it changed; columns absent from the file are left as they are.
The file streams through (see `import_file`): a million people import in flat memory.
"""

from __future__ import annotations

import functools
import hashlib
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civic.audit import digest_rows
from civic.dates import parse_date
from civic.errors import InputError, InputProblem
from civic.events import RecordsImported
from civic.i18n import _, ngettext
from civic.ladders import parse_education, parse_rank
from civic.office import Office, storage_errors
from civic.registry import check_id_number
from civic.tabular import (
    MAX_PROBLEMS,
    Column,
    Schema,
    TableReader,
    file_sha256,
    free_text,
    one_line,
    read_rows,
    visible,
)
from civic.vocabulary import label

if TYPE_CHECKING:
    from civic.office import Change


def _text(value: Any) -> str:
    return str(value).strip()


# Dates a person's record may hold: no one serving was born, joined or started work before
# 1900, and none of these facts lies in the future.
EARLIEST_DATE = date(1900, 1, 1)


@functools.lru_cache(maxsize=1 << 16)  # a file of a million people has some 40,000 dates
def _iso_date(value: Any) -> str:
    # Cached by the text: a date possible today stays possible (a refusal is not cached).
    day = parse_date(value)
    if not EARLIEST_DATE <= day <= date.today():
        raise ValueError(_("{date} is outside the possible range {low} to today").format(
            date=day.isoformat(), low=EARLIEST_DATE.isoformat()))
    return day.isoformat()


def _number(value: Any, reason: str) -> float:
    """A finite number: "nan" and "inf" are floats to Python, not numbers to an office."""
    try:
        number = float(str(value).strip())
    except ValueError as exc:
        raise ValueError(reason) from exc
    if not math.isfinite(number):
        raise ValueError(reason)
    return number


def _in_range(number: float, low: float, high: float) -> None:
    if not low <= number <= high:
        raise ValueError(_("{value} is outside the range {low} to {high}").format(
            value=f"{number:g}", low=f"{low:g}", high=f"{high:g}"))


def _whole(low: int, high: int) -> Any:
    """A parse function for a whole number from `low` to `high`."""

    def parse(value: Any) -> int:
        number = _number(value, _("not a whole number"))
        if not number.is_integer() or number < 0:
            raise ValueError(_("not a whole number"))
        _in_range(number, low, high)
        return int(number)

    return parse


def _years(value: Any) -> float:
    number = _number(value, _("not a number of years"))
    if number < 0:
        raise ValueError(_("not a number of years"))
    _in_range(number, 0, MAX_YEARS_IN_RANK)
    return number


# Sane ranges for a position's numbers. max_age: the Civil Servant Law (公务员法, 2018
# revision, art. 13) sets 18 full years as the least age to serve, so a maximum below it
# excludes everyone; no post's limit lies beyond 70. headcount and years at rank have no
# regulation: bounds far beyond any post, so a typo (1e23, 10000 years) is caught.
MAX_AGE_RANGE = (18, 70)
HEADCOUNT_RANGE = (0, 9999)
MAX_YEARS_IN_RANK = 50


_YES = {"1", "y", "yes", "true", "是", "要求", "需要", "中共党员", "党员", "√", "✓"}
_NO = {"0", "n", "no", "false", "否", "不限", "不要求", "无", ""}


def _flag(value: Any) -> int:
    text = _text(value).casefold()
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    raise ValueError(_("expected yes or no"))


_GENDERS = {"男": "男", "女": "女", "m": "男", "male": "男", "f": "女", "female": "女"}


def _gender(value: Any) -> str:
    text = _text(value)
    try:
        return _GENDERS[text.casefold()]
    except KeyError as exc:
        raise ValueError(_("gender must be 男/女 or M/F")) from exc


_STATUSES = {
    "serving": "serving", "在职": "serving", "现职": "serving",
    "reserve": "reserve", "后备": "reserve",
    "transferred": "transferred", "调出": "transferred", "调离": "transferred",
    "retired": "retired", "退休": "retired",
    "removed": "removed", "免职": "removed", "撤职": "removed",
}


def _status(value: Any) -> str:
    try:
        return _STATUSES[_text(value).casefold()]
    except KeyError as exc:
        raise ValueError(_("unknown status; use serving, reserve, transferred, retired or "
                           "removed")) from exc


def _tags(value: Any) -> str:
    parts = [p.strip() for p in one_line(value).replace("；", ";").replace("、", ";")
             .replace(",", ";").replace("，", ";").split(";")]
    return ";".join(p for p in parts if p)


def _memo(parse: Any, limit: int = 4096) -> Any:
    """`parse` remembered by the cell's text, for columns whose values repeat (gender, party,
    units, dates): a million rows hold a few hundred distinct values. Only values parsed
    without error are kept, and at most `limit` of them, so a column of unique values costs
    one failed lookup a cell. A dict's own lookup (C) on a known text: no Python call."""
    return _Remembered(parse, limit).__getitem__


class _Remembered(dict):
    def __init__(self, parse: Any, limit: int) -> None:
        super().__init__()
        self.parse, self.limit = parse, limit

    def __missing__(self, text: str) -> Any:
        value = self.parse(text)  # a refusal raises here and is not kept
        if len(self) < self.limit:
            self[text] = value
        return value


# Cells that repeat down a column, parsed once per distinct text.
_ONE_LINE_REPEATED = _memo(one_line)


UNITS = Schema([
    Column("code", ("编号", "代码", "单位代码", "单位编号"), required=True, parse=one_line),
    Column("name", ("名称", "单位名称", "单位"), required=True, parse=one_line),
    Column("parent", ("上级", "上级单位", "上级单位代码"), parse=one_line),
    Column("kind", ("类型", "单位类型", "性质"), parse=one_line),
])

PEOPLE = Schema([
    Column("code", ("编号", "人员编号", "干部编号"), required=True, parse=one_line),
    Column("name", ("姓名",), required=True, parse=one_line),
    Column("gender", ("性别",), parse=_memo(_gender)),
    Column("birth_date", ("出生日期", "出生年月"), parse=_iso_date),
    Column("ethnicity", ("民族",), parse=_ONE_LINE_REPEATED),
    Column("native_place", ("籍贯",), parse=_ONE_LINE_REPEATED),
    # The reader hands a parse stripped text, as check_id_number takes it: no wrapper a cell.
    Column("id_number", ("身份证号", "公民身份号码", "身份证号码"), parse=check_id_number),
    Column("party", ("政治面貌", "党派"), parse=_ONE_LINE_REPEATED),
    Column("party_joined", ("入党时间", "入党日期"), parse=_iso_date),
    Column("education", ("学历", "最高学历"), parse=_memo(parse_education)),
    Column("work_start", ("参加工作时间", "工作时间"), parse=_iso_date),
    Column("rank", ("职级", "现职级"), parse=_memo(parse_rank)),
    Column("rank_since", ("任现职级时间", "职级时间"), parse=_iso_date),
    Column("unit", ("单位", "单位代码", "所在单位"), parse=_ONE_LINE_REPEATED),
    Column("position", ("职位", "现任职位", "职位代码"), parse=_ONE_LINE_REPEATED),
    Column("status", ("状态", "人员状态"), parse=_memo(_status)),
    Column("tags", ("标签", "备注标签"), parse=_memo(_tags)),
])

POSITIONS = Schema([
    Column("code", ("编号", "职位代码", "职位编号"), required=True, parse=one_line),
    Column("title", ("名称", "职位名称", "职务"), required=True, parse=one_line),
    Column("unit", ("单位", "单位代码"), parse=one_line),
    Column("rank_level", ("职级", "职位层级", "层级"), parse=parse_rank),
    Column("headcount", ("职数", "编制数", "人数"), parse=_whole(*HEADCOUNT_RANGE)),
    Column("min_rank", ("最低职级", "任职资格职级"), parse=parse_rank),
    Column("min_years_in_rank", ("任职年限", "最低任职年限"), parse=_years),
    Column("max_age", ("最高年龄", "年龄上限"), parse=_whole(*MAX_AGE_RANGE)),
    Column("min_education", ("最低学历", "学历要求"), parse=parse_education),
    Column("party_required", ("党员要求", "须为党员", "要求党员"), parse=_flag),
    Column("notes", ("备注", "其他条件", "资格条件"), parse=free_text),
])


@dataclass(frozen=True)
class Kind:
    """What one registry table needs to import: its schema and its references."""

    table: str
    schema: Schema
    references: dict[str, str]  # column -> table whose codes it must name
    defaults: dict[str, Any]  # what an empty cell means in a NOT NULL column


KINDS = {
    "units": Kind("units", UNITS, {"parent": "units"}, {}),
    "people": Kind("people", PEOPLE, {"unit": "units", "position": "positions"},
                   {"status": "serving", "tags": ""}),
    "positions": Kind("positions", POSITIONS, {"unit": "units"},
                      {"headcount": 1, "party_required": 0}),
}


@dataclass(frozen=True)
class ImportResult:
    """What an import did, in counts: `fields` counts, per column, the known records whose
    value in it changed; `rows_digest` is the digest its audit entry carries."""

    table: str
    rows: int
    added: int
    updated: int
    unchanged: int
    fields: dict[str, int]
    rows_digest: str
    audit_id: int

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rows": self.rows, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged, "fields": self.fields,
                "rows_digest": self.rows_digest, "audit_id": self.audit_id}


def rows_digest(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    """What an import's audit entry vouches for its rows with: `civic.audit.digest_rows` over
    the columns the file has (in schema order), then each row's values as parsed (None for an
    empty cell), in file order."""
    return digest_rows(chain([tuple(columns)], rows))


# The parsed, checked rows of the file being imported wait here between the two passes: on
# disk (SQLite's temporary database), so a file of a million rows never sits in memory.
STAGE = "civic_import"


def import_file(office: Office, kind_name: str, path: str | Path) -> ImportResult:
    """Validate the whole file, then write it in one transaction with one audit entry.

    Two passes, so memory stays flat however long the file is. The first parses and checks
    every cell and streams the clean rows into a temporary table, digesting them in file
    order. The second runs in the change's transaction: what spans rows (a code or ID number
    given twice, codes that name nothing, the unit tree) is checked in SQL against that table
    and the office, and only when no problem is found anywhere are the rows written, from the
    table, in two statements. A problem in either pass rejects the file and writes nothing.
    """
    kind = KINDS[kind_name]
    path = Path(path)
    db = office.db
    with storage_errors(), _stage(db, kind) as stage:  # a read-only file: said in words
        reader = read_rows(path, kind.schema)
        problems, count, digest = stage.fill(reader)
        present = [c.name for c in kind.schema.columns if c.name in reader.headers]
        if not problems:
            with office.change() as change:
                # Checked under the change's write lock: no other writer slips in between.
                across = _across_rows(db, kind, path.name, reader.headers,
                                      stage.unique_codes)
                if not across and not across.more:
                    return _write(change, kind, path, present, count, digest)
        else:
            across = _across_rows(db, kind, path.name, reader.headers, stage.unique_codes)
    raise InputError(_listed(problems, across))


class _Stage:
    """The temporary table of one import: every schema column, typed as the registry table
    types it (so values compare and convert as they will there), and `n`, the file's row."""

    def __init__(self, db, kind: Kind) -> None:
        self.db, self.kind = db, kind
        self.unique_codes = False  # known once filled: no code given twice
        types = {r[1]: r[2] for r in db.execute(f"PRAGMA main.table_info([{kind.table}])")}
        self.names = [c.name for c in kind.schema.columns]
        columns = ", ".join(f"[{n}] {types[n]}" for n in self.names)
        db.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
        db.execute(f"CREATE TEMP TABLE {STAGE} (n INTEGER PRIMARY KEY, {columns})")

    def fill(self, reader: TableReader) -> tuple[list[InputProblem], int, str]:
        """Pass one: every clean row into the table; (problems, rows, digest)."""
        names, conn = self.names, self.db.conn
        digest = hashlib.sha256()
        count = 0

        def rows() -> Iterator[tuple]:
            nonlocal count
            whole, present = True, list(range(len(names)))
            lines: list[str] = []
            for number, values in reader.tuples():
                if count == 0:  # the header has been read: the columns the file has
                    present = [i for i, n in enumerate(names) if n in reader.headers]
                    whole = len(present) == len(names)
                    lines.append(repr(tuple(names[i] for i in present)))
                # The digest of each row's values as parsed, in file order; written in
                # blocks (one encode and update per 4,096 rows, not per row).
                lines.append(repr(values if whole else tuple([values[i] for i in present])))
                count += 1
                if len(lines) >= 4096:
                    digest.update(("\n".join(lines) + "\n").encode())
                    lines.clear()
                yield (number, *values)
            if lines:
                digest.update(("\n".join(lines) + "\n").encode())

        # What an empty cell means in a NOT NULL column, said in the INSERT: no per-row list.
        slots = ", ".join(f"coalesce(?, {_sql_literal(self.kind.defaults[n])})"
                          if n in self.kind.defaults else "?" for n in names)
        began = not conn.in_transaction
        try:
            conn.executemany(f"INSERT INTO temp.{STAGE} VALUES (?, {slots})", rows())
            problems: list[InputProblem] = []
        except InputError as error:
            problems = error.problems
        except BaseException:
            if began and conn.in_transaction:
                conn.rollback()  # a storage failure: leave no transaction open behind us
            raise
        if began and conn.in_transaction:
            conn.commit()  # only the temporary table was written: the office is untouched
        if count == 0 and not problems:
            digest.update(repr(tuple(n for n in names if n in reader.headers)).encode() + b"\n")
        self.unique_codes = _unique_index(self.db, f"{STAGE}_code", "code")
        return problems, count, digest.hexdigest()


# The page cache of the office file and of the temporary one while an import runs, in KiB:
# memory only, how the office file is written (journal, synchronous) does not change.
# SQLite's default of 2 MB thrashes once the people table's indexes outgrow it: the
# INSERT ... SELECT of 100,000 people took 3.1 s with it and 0.9 s with 32 MB.
IMPORT_CACHE_KIB = 32 * 1024


def _sql_literal(value: str | int) -> str:
    """A default of `Kind.defaults` (a constant of this module) as SQL text."""
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def import_cache(db) -> Iterator[None]:
    """The page caches at IMPORT_CACHE_KIB for an import's duration, then as they were: for
    every import that writes many rows into indexed tables (the training sheet's too)."""
    before = {schema: db.execute(f"PRAGMA {schema}.cache_size").fetchone()[0]
              for schema in ("main", "temp")}
    for schema in before:
        db.execute(f"PRAGMA {schema}.cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        for schema, size in before.items():
            db.execute(f"PRAGMA {schema}.cache_size = {int(size)}")


@contextmanager
def _stage(db, kind: Kind) -> Iterator[_Stage]:
    with import_cache(db):
        stage = _Stage(db, kind)
        try:
            yield stage
        finally:
            db.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")


class _Problems(list):
    """Problems found by the checks across rows: the first MAX_PROBLEMS kept, the rest only
    counted (`more`), so a file wrong on every one of a million rows costs no memory."""

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    def add_rows(self, cursor, file: str, written: str | None, reason) -> None:
        """A problem per row of a query (the file's row first, then what `reason` takes)."""
        for row in cursor:
            if len(self) < MAX_PROBLEMS:
                self.append(InputProblem(file, row[0], written and visible(written),
                                         visible(reason(*row[1:]))))
            else:
                self.more += 1

    def merge(self, other: _Problems | list[InputProblem]) -> None:
        self.extend(other)
        self.more += getattr(other, "more", 0)


def _listed(problems: list[InputProblem], across: _Problems) -> list[InputProblem]:
    """Every problem, in row order; at most MAX_PROBLEMS listed and a line for the rest."""
    found = sorted(problems + across, key=lambda p: (p.row or 0, p.column or ""))
    more = across.more + max(0, len(found) - MAX_PROBLEMS)
    if not more:
        return found
    return found[:MAX_PROBLEMS] + [InputProblem(found[0].file, None, None, ngettext(
        "{count} more problem not listed", "{count} more problems not listed", more
    ).format(count=more))]


def _unique_index(db, name: str, column: str) -> bool:
    """Index the staged rows on `column`: UNIQUE when no two rows share a value (NULLs
    aside), which SQLite finds out while it builds the index; True then. A plain index else."""
    try:
        db.execute(f"CREATE UNIQUE INDEX temp.{name} ON {STAGE} ({column})")
        return True
    except sqlite3.IntegrityError:
        db.execute(f"CREATE INDEX temp.{name} ON {STAGE} ({column})")
        return False


def _across_rows(db, kind: Kind, file: str, headers: dict[str, str],
                 unique_codes: bool = False) -> _Problems:
    """Pass two's checks, over the staged rows: codes given twice, ID numbers given twice or
    held by another person in the office, codes that name nothing, loops in the unit tree.
    `unique_codes`: the stage's index on codes is unique, so no code is given twice."""
    out = _Problems()
    stage = f"temp.{STAGE}"
    if not unique_codes:
        out.add_rows(db.execute(
            f"SELECT s.n, s.code, f.first FROM {stage} s JOIN (SELECT code, min(n) AS first"
            f" FROM {stage} GROUP BY code HAVING count(*) > 1) f ON f.code = s.code"
            " WHERE s.n > f.first ORDER BY s.n"), file, headers.get("code"),
            lambda code, first: _("code {code} already on row {row}").format(code=code,
                                                                             row=first))
    if kind.table == "people" and "id_number" in headers:
        out.merge(_id_number_problems(db, file, headers["id_number"]))
    for column, target in kind.references.items():
        if column not in headers:
            continue
        in_file = (f" AND NOT EXISTS (SELECT 1 FROM {stage} f WHERE f.code = s.[{column}])"
                   if target == kind.table else "")
        out.add_rows(db.execute(
            f"SELECT s.n, s.[{column}] FROM {stage} s WHERE s.[{column}] IS NOT NULL"
            f" AND NOT EXISTS (SELECT 1 FROM main.[{target}] t WHERE t.code = s.[{column}])"
            f"{in_file} ORDER BY s.n"), file, headers[column],
            lambda code, target=target: _("unknown {table} code {code}").format(
                table=label(target), code=code))
    if kind.table == "units" and not out:
        out.merge(_unit_cycles(file, db.execute(
            f"SELECT n, code, parent FROM {stage} ORDER BY n").fetchall(), headers, db))
    return out


def _id_number_problems(db, file: str, written: str) -> _Problems:
    """One ID number belongs to one person code, in the file and in the office (numbers
    compared normalised: a full-width copy stored long ago is the same number)."""
    from civic.registry import normalise_id_number

    stage = f"temp.{STAGE}"
    out = _Problems()
    # The first row giving each number; a later row giving it for another code is wrong.
    # When the file gives each number once (SQLite builds a unique index on them), every
    # row is its number's first, and the staged rows stand for that table themselves.
    db.execute(f"DROP TABLE IF EXISTS temp.{STAGE}_first")
    db.execute(f"DROP INDEX IF EXISTS temp.{STAGE}_number")
    first = stage
    if not _unique_index(db, f"{STAGE}_number", "id_number"):
        first = f"temp.{STAGE}_first"
        db.execute(f"CREATE TEMP TABLE {STAGE}_first AS SELECT id_number, n, code FROM"
                   f" {stage} WHERE n IN (SELECT min(n) FROM {stage} WHERE id_number IS NOT"
                   " NULL GROUP BY id_number)")
        db.execute(f"CREATE UNIQUE INDEX temp.{STAGE}_first_number ON {STAGE}_first"
                   " (id_number)")
        out.add_rows(db.execute(
            f"SELECT s.n, f.n, f.code FROM {stage} s JOIN {first} f"
            " ON f.id_number = s.id_number WHERE s.code != f.code ORDER BY s.n"), file,
            written, lambda row, code: _("ID number already given on row {row} for {code}")
            .format(row=row, code=code))
    # Numbers stored before they were normalised on the way in, normalised here (a few).
    db.execute(f"DROP TABLE IF EXISTS temp.{STAGE}_held")
    db.execute(f"CREATE TEMP TABLE {STAGE}_held (code TEXT, id_number TEXT)")
    db.conn.executemany(f"INSERT INTO temp.{STAGE}_held VALUES (?, ?)", (
        (code, normalise_id_number(number)) for code, number in db.execute(
            "SELECT code, id_number FROM main.people WHERE id_number != '' AND"
            " (length(id_number) != 18 OR id_number GLOB '*[^0-9X]*')")))
    out.add_rows(db.execute(
        f"SELECT s.n, min(p.code) FROM {stage} s JOIN {first} f"
        " ON f.id_number = s.id_number AND f.code = s.code JOIN"
        " (SELECT code, id_number FROM main.people UNION ALL"
        f"  SELECT code, id_number FROM temp.{STAGE}_held) p"
        " ON p.id_number = s.id_number AND p.code != s.code GROUP BY s.n ORDER BY s.n"), file, written,
        lambda code: _("ID number already held by {code} in the office").format(code=code))
    db.execute(f"DROP TABLE IF EXISTS temp.{STAGE}_first")
    db.execute(f"DROP INDEX temp.{STAGE}_number")
    db.execute(f"DROP TABLE temp.{STAGE}_held")
    return out


def _unit_cycles(file: str, rows: list[tuple[int, str, str | None]], headers: dict[str, str],
                 db) -> list[InputProblem]:
    """A unit may not be its own ancestor, once the file's parents are merged with the db's.
    `rows` are the file's (row, code, parent)."""
    parent = {r[0]: r[1] for r in db.execute("SELECT code, parent FROM units")}
    for _n, code, above in rows:
        if "parent" in headers:
            parent[code] = above
    out = []
    for number, code, _above in rows:
        seen = {code}
        node = parent.get(code)
        while node:
            if node in seen:
                out.append(InputProblem(file, number, headers.get("parent"),
                                        _("the unit tree loops back to {code}").format(
                                            code=code)))
                break
            seen.add(node)
            node = parent.get(node)
    return out


def _write(change: Change, kind: Kind, path: Path, columns: list[str], count: int,
           digest: str) -> ImportResult:
    """Pass two's writes, from the staged rows: count what changes, insert the new rows in
    file order (counting them), then update the known ones whose values differ."""
    db = change.db
    table, stage = kind.table, f"temp.{STAGE}"
    known = f"SELECT 1 FROM main.[{table}] t WHERE t.code = s.code"
    others = [c for c in columns if c != "code"]
    differs = " OR ".join(f"s.[{c}] IS NOT t.[{c}]" for c in others) or "0"
    fields: dict[str, int] = {}
    updated = 0
    if others:
        sums = db.execute(
            f"SELECT {', '.join(f'total(s.[{c}] IS NOT t.[{c}])' for c in others)},"
            f" total({differs}) FROM {stage} s JOIN main.[{table}] t ON t.code = s.code"
        ).fetchone()
        fields = {c: int(n) for c, n in zip(others, sums, strict=False) if n}
        updated = int(sums[-1])
    names = ", ".join(f"[{c}]" for c in columns)
    # Units may name a parent further down the file: the new ones go in without their
    # parents, which the update below then sets like any other changed value.
    values = ", ".join("NULL" if table == "units" and c == "parent" else f"s.[{c}]"
                       for c in columns)
    # The rows it inserts are the new ones, counted by SQLite as it writes them: a known code
    # is its key's conflict, skipped. (Asked with NOT EXISTS, the SELECT read the table it
    # fills, so SQLite first copied all of it aside: a fifth of the insert of 100,000 people.)
    added = db.execute(f"INSERT INTO main.[{table}] ({names}) SELECT {values} FROM {stage} s"
                       " ORDER BY s.n ON CONFLICT (code) DO NOTHING").rowcount
    if others and (updated or (table == "units" and added)):
        # An upsert, the UPDATE ... FROM of SQLite before 3.33, on the rows that differ:
        # known ones that change, and new units' parents. Skipped when there are none: it
        # compares every column of every row the file gives (a second of 100,000 new people).
        db.execute(
            f"INSERT INTO main.[{table}] ({names}) SELECT {', '.join(f's.[{c}]' for c in columns)}"
            f" FROM {stage} s WHERE EXISTS ({known} AND ({differs}))"
            f" ORDER BY s.n ON CONFLICT (code) DO UPDATE SET "
            + ", ".join(f"[{c}] = excluded.[{c}]" for c in others))
    if table == "people":
        from civic.pinyin import refresh

        refresh(db)  # pinyin search keys, in the import's transaction
    entry = change.record(RecordsImported(
        table=table, file=path.name, file_sha256=file_sha256(path), rows=count, added=added,
        updated=updated, unchanged=count - added - updated, fields=fields, rows_digest=digest))
    return ImportResult(table, count, added, updated, count - added - updated, fields, digest,
                        entry.id)
