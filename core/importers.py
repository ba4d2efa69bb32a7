"""Importing units, people and positions from an office's CSV or XLSX file.

The whole file is read and validated before anything is written; any problem rejects the
file, listing every problem as file:row:column. Known codes are updated and the audit entry
records which fields changed; columns absent from the file are left as they are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from civic.audit import digest_rows
from civic.dates import parse_date
from civic.errors import InputError, InputProblem
from civic.events import RecordsImported
from civic.i18n import _
from civic.ladders import parse_education, parse_rank
from civic.office import Office
from civic.tabular import (
    Column,
    Row,
    Schema,
    file_sha256,
    free_text,
    one_line,
    read_rows,
)
from civic.vocabulary import label


def _text(value: Any) -> str:
    return str(value).strip()


# Dates a person's record may hold: no one serving was born, joined or started work before
# 1900, and none of these facts lies in the future.
EARLIEST_DATE = date(1900, 1, 1)


def _iso_date(value: Any) -> str:
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


def _id_number(value: Any) -> str:
    from civic.registry import check_id_number

    return check_id_number(_text(value))


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


UNITS = Schema([
    Column("code", ("编号", "代码", "单位代码", "单位编号"), required=True, parse=one_line),
    Column("name", ("名称", "单位名称", "单位"), required=True, parse=one_line),
    Column("parent", ("上级", "上级单位", "上级单位代码"), parse=one_line),
    Column("kind", ("类型", "单位类型", "性质"), parse=one_line),
])

PEOPLE = Schema([
    Column("code", ("编号", "人员编号", "干部编号"), required=True, parse=one_line),
    Column("name", ("姓名",), required=True, parse=one_line),
    Column("gender", ("性别",), parse=_gender),
    Column("birth_date", ("出生日期", "出生年月"), parse=_iso_date),
    Column("ethnicity", ("民族",), parse=one_line),
    Column("native_place", ("籍贯",), parse=one_line),
    Column("id_number", ("身份证号", "公民身份号码", "身份证号码"), parse=_id_number),
    Column("party", ("政治面貌", "党派"), parse=one_line),
    Column("party_joined", ("入党时间", "入党日期"), parse=_iso_date),
    Column("education", ("学历", "最高学历"), parse=parse_education),
    Column("work_start", ("参加工作时间", "工作时间"), parse=_iso_date),
    Column("rank", ("职级", "现职级"), parse=parse_rank),
    Column("rank_since", ("任现职级时间", "职级时间"), parse=_iso_date),
    Column("unit", ("单位", "单位代码", "所在单位"), parse=one_line),
    Column("position", ("职位", "现任职位", "职位代码"), parse=one_line),
    Column("status", ("状态", "人员状态"), parse=_status),
    Column("tags", ("标签", "备注标签"), parse=_tags),
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
    table: str
    added: list[str]
    updated: dict[str, list[str]]
    unchanged: int
    audit_id: int

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "added": self.added, "updated": self.updated,
                "unchanged": self.unchanged, "audit_id": self.audit_id}


def import_file(office: Office, kind_name: str, path: str | Path) -> ImportResult:
    """Validate the whole file, then write it in one transaction with one audit entry."""
    kind = KINDS[kind_name]
    path = Path(path)
    db = office.db
    seen: dict[str, int] = {}
    known = {t: _codes(db, t) for t in set(kind.references.values())}
    later: list[tuple[Row, str, str]] = []  # self-references resolved once the file is read

    same_person = _id_numbers(db) if kind.table == "people" else None

    def check(row: Row):
        code = row.values["code"]
        if code in seen:
            yield "code", _("code {code} already on row {row}").format(code=code, row=seen[code])
        seen.setdefault(code, row.number)
        if same_person is not None and row.values.get("id_number"):
            yield from same_person(row)
        for column, target in kind.references.items():
            value = row.values.get(column)
            if not value or value in known[target]:
                continue
            if target == kind.table:
                later.append((row, column, value))
            else:
                yield column, _("unknown {table} code {code}").format(table=label(target), code=value)

    reader = read_rows(path, kind.schema, check)
    rows: list[Row] = []
    problems: list[InputProblem] = []
    try:
        for row in reader:
            rows.append(row)
    except InputError as error:
        problems = error.problems
    for row, column, value in later:
        if value not in seen:
            problems.append(InputProblem(path.name, row.number, reader.headers.get(column),
                                         _("unknown {table} code {code}").format(
                                             table=label(kind.table), code=value)))
    if kind.table == "units" and not problems:
        problems += _unit_cycles(path.name, rows, reader.headers, db)
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    present = [c.name for c in kind.schema.columns if c.name in reader.headers]
    return _write(office, kind, path, rows, present)


def _id_numbers(db):
    """A check that one ID number belongs to one person code, in the file and the office
    (numbers compared normalised: a full-width copy is the same number)."""
    from civic.registry import normalise_id_number

    held = {normalise_id_number(n): c for c, n in db.execute(
        "SELECT code, id_number FROM people WHERE id_number IS NOT NULL AND id_number != ''")}
    in_file: dict[str, tuple[str, int]] = {}

    def check(row: Row):
        code, number = row.values["code"], row.values["id_number"]
        first = in_file.setdefault(number, (code, row.number))
        if first[0] != code:
            yield "id_number", _("ID number already given on row {row} for {code}").format(
                row=first[1], code=first[0])
        elif held.get(number, code) != code:
            yield "id_number", _("ID number already held by {code} in the office").format(
                code=held[number])

    return check


def _codes(db, table: str) -> set[str]:
    return {r[0] for r in db.execute(f"SELECT code FROM [{table}]")}


def _unit_cycles(file: str, rows: list[Row], headers: dict[str, str],
                 db) -> list[InputProblem]:
    """A unit may not be its own ancestor, once the file's parents are merged with the db's."""
    parent = {r[0]: r[1] for r in db.execute("SELECT code, parent FROM units")}
    for row in rows:
        if "parent" in headers:
            parent[row.values["code"]] = row.values.get("parent")
    out = []
    for row in rows:
        seen = {row.values["code"]}
        node = parent.get(row.values["code"])
        while node:
            if node in seen:
                out.append(InputProblem(file, row.number, headers.get("parent"),
                                        _("the unit tree loops back to {code}").format(
                                            code=row.values["code"])))
                break
            seen.add(node)
            node = parent.get(node)
    return out


def _write(office: Office, kind: Kind, path: Path, rows: list[Row],
           columns: list[str]) -> ImportResult:
    db = office.db
    table = kind.table
    added: list[str] = []
    updated: dict[str, list[str]] = {}
    unchanged = 0
    with office.change() as change:
        existing = {r["code"]: r for r in db.query(f"SELECT * FROM [{table}]")}
        inserts, updates = [], []
        for row in rows:
            values = {k: (kind.defaults.get(k) if v is None else v)
                      for k, v in row.values.items() if k in columns}
            old = existing.get(values["code"])
            if old is None:
                inserts.append(values)
                added.append(values["code"])
                continue
            changed = sorted(k for k, v in values.items() if k != "code" and old.get(k) != v)
            if changed:
                updates.append((values["code"], {k: values[k] for k in changed}))
                updated[values["code"]] = changed
            else:
                unchanged += 1
        if table == "units":
            # Parents may come later in the file: insert without them, then set them.
            parents = {v["code"]: v.get("parent") for v in inserts}
            _insert(db, table, [{**v, "parent": None} for v in inserts])
            for code, parent_code in parents.items():
                if parent_code:
                    db.execute("UPDATE units SET parent = ? WHERE code = ?", (parent_code, code))
        else:
            _insert(db, table, inserts)
        for code, values in updates:
            sets = ", ".join(f"[{k}] = ?" for k in values)
            db.execute(f"UPDATE [{table}] SET {sets} WHERE code = ?", (*values.values(), code))
        if table == "people":
            from civic.pinyin import refresh

            refresh(db)  # pinyin search keys, in the import's transaction
        digest = digest_rows(sorted(tuple((c, r.values[c]) for c in columns) for r in rows))
        entry = change.record(RecordsImported(
            table=table, file=path.name, file_sha256=file_sha256(path), added=added,
            updated=updated, unchanged=unchanged, rows_digest=digest))
    return ImportResult(table, added, updated, unchanged, entry.id)


def _insert(db, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = sorted({k for r in rows for k in r})
    sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
           f"VALUES ({', '.join('?' for _c in columns)})")
    db.conn.executemany(sql, [tuple(r.get(c) for c in columns) for r in rows])


