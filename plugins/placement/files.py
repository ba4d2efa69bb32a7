"""The three files a batch imports: officers, posts, preference lists (docs/formats.md).

Each file is read whole and checked before anything is written; every problem is reported as
file:row:column (the header as written), and a file with any problem writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civic.dates import parse_date
from civic.errors import InputError, InputProblem
from civic.i18n import _
from civic.ladders import parse_education
from civic.plugins.placement.rules import Condition, parse_conditions
from civic.scoring import Scheme
from civic.tabular import (
    Column,
    Row,
    Schema,
    TableReader,
    file_sha256,
    free_text,
    header_key,
    one_line,
    read_rows,
)


def _text(value: str) -> str:
    return value.strip()


def _iso_date(value: str) -> str:
    return parse_date(value).isoformat()


def _positive_int(value: str) -> int:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(_("not a whole number")) from None
    if not number.is_integer() or number < 1:
        raise ValueError(_("must be a whole number of at least 1"))
    return int(number)


_GENDERS = {"男": "男", "女": "女", "m": "男", "male": "男", "f": "女", "female": "女"}


def _gender(value: str) -> str:
    try:
        return _GENDERS[value.strip().casefold()]
    except KeyError:
        raise ValueError(_("gender must be 男/女 or M/F")) from None


# The officers file: these columns always, then the scheme's component columns.
OFFICER_COLUMNS: tuple[Column, ...] = (
    Column("code", ("编号", "代码", "人员编号", "军转干部编号"), required=True, parse=one_line),
    Column("name", ("姓名",), required=True, parse=one_line),
    Column("birth_date", ("出生日期", "出生年月"), required=True, parse=_iso_date),
    Column("gender", ("性别",), parse=_gender),
    Column("ethnicity", ("民族",), parse=one_line),
    Column("native_place", ("籍贯",), parse=one_line),
    Column("education", ("学历", "最高学历"), parse=parse_education),
    Column("party", ("政治面貌",), parse=one_line),
    Column("specialty", ("专业", "特长", "专长"), parse=one_line),
    Column("notes", ("备注",), parse=free_text),
)
# Headers offices use for the columns schemes usually read (the scheme may name others).
KNOWN_ALIASES: dict[str, tuple[str, ...]] = {
    "rank": ("职务等级", "职级", "军队职级", "现职务等级"),
    "rank_date": ("任现职时间", "任现职务等级时间", "任职时间"),
    "service_start": ("入伍时间", "入伍日期", "入伍年月"),
    "awards": ("立功受奖", "奖励", "立功情况"),
    "assessment": ("考核", "考核成绩", "考核得分"),
    "exam": ("考试", "考试成绩", "笔试成绩"),
    "wartime_awards": ("战时立功受奖", "战时奖励"),
    "hard_region_years": ("艰苦边远地区工作年限", "艰苦边远地区年限"),
    "flying_ship_years": ("飞行舰艇工作年限", "从事飞行舰艇工作年限"),
    "disability": ("伤残情况", "因战因公致残"),
}


def officers_schema(scheme: Scheme | None) -> Schema:
    """The fixed columns plus one per scheme component column; labels become Chinese headers."""
    columns = list(OFFICER_COLUMNS)
    used = {header_key(h) for c in columns for h in (c.name, *c.aliases)}
    for component in scheme.components if scheme else ():
        name = component.column
        if header_key(name) in used:
            continue
        aliases = []
        for alias in (*KNOWN_ALIASES.get(name, ()), component.label):
            key = header_key(alias)
            if alias and key not in used:
                aliases.append(alias)
                used.add(key)
        used.add(header_key(name))
        columns.append(Column(name, tuple(aliases), required=needs_value(component)))
    return Schema(columns)


def needs_value(component: Any) -> bool:
    """An empty cell is an error, except for points read with `multiple`, and points or
    numbers with a `default` (none served, no award, no disability)."""
    if component.kind == "points" and component.multiple:
        return False
    return component.kind == "service_years" or component.default is None


POSTS = Schema([
    Column("position", ("职位", "职位代码", "职位编号", "岗位", "岗位代码"), required=True,
           parse=_text),
    Column("capacity", ("名额", "职数", "人数", "计划数", "seats"), required=True,
           parse=_positive_int),
    Column("eligibility", ("资格条件", "选岗条件", "限定条件"), parse=_text),
])

PREFERENCES = Schema([
    Column("officer", ("编号", "军转干部编号", "人员编号", "代码"), required=True, parse=_text),
    Column("choice", ("志愿", "志愿序号", "顺序", "选岗顺序"), required=True,
           parse=_positive_int),
    Column("position", ("职位", "职位代码", "职位编号", "岗位", "岗位代码"), required=True,
           parse=_text),
])


@dataclass(frozen=True)
class FileRead:
    """A file that passed every check: its clean rows, how its headers were written, its hash."""

    path: Path
    rows: list[Row]
    headers: dict[str, str]
    sha256: str


def read_checked(path: str | Path, schema: Schema,
                 check: Callable[[Row], Iterable[tuple[str | None, str]]],
                 after: Callable[[TableReader, list[Row], bool], list[InputProblem]] | None = None,
                 ) -> FileRead:
    """Read the whole file, run `check` per row and `after` on the whole (told whether rows
    were refused); raise every problem."""
    path = Path(path)
    reader = read_rows(path, schema, check)
    rows: list[Row] = []
    problems: list[InputProblem] = []
    try:
        rows.extend(reader)
    except InputError as error:
        problems = list(error.problems)
    if after is not None:
        problems += after(reader, rows, bool(problems))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return FileRead(path, rows, dict(reader.headers), file_sha256(path))



def read_officers(path: str | Path, scheme: Scheme, cutoff: Any,
                  registry_names: dict[str, str]) -> FileRead:
    """Officers: codes unique, every scheme value scorable, codes not naming someone else."""
    seen: dict[str, int] = {}

    def check(row: Row):
        code = row["code"]
        if code in seen:
            yield "code", _("code {code} already on row {row}").format(code=code, row=seen[code])
        seen.setdefault(code, row.number)
        known = registry_names.get(code)
        if known is not None and known != row["name"]:
            yield "code", _("code {code} is {name} in the people registry").format(
                code=code, name=known)
        yield from scheme.problems(row.values, cutoff)

    def headers(reader: TableReader, rows: list[Row], refused: bool) -> list[InputProblem]:
        # Optional cells (awards) still need their column: a missing one would count as none.
        return [InputProblem(reader.file, None, None,
                             _("missing required column {name}").format(name=c.column))
                for c in scheme.components
                if not needs_value(c) and c.column not in reader.headers and reader.headers]

    return read_checked(path, officers_schema(scheme), check, headers)


def read_posts(path: str | Path, vacancies: dict[str, int],
               resolve: Callable[[str], str | None]) -> tuple[FileRead, dict[str, tuple]]:
    """Posts: known positions, once each, seats within the vacancies, conditions that parse.

    Returns the file and each post's parsed conditions.
    """
    seen: dict[str, int] = {}
    conditions: dict[str, tuple[Condition, ...]] = {}

    def check(row: Row):
        code = row["position"]
        if code in seen:
            yield "position", _("position {code} already on row {row}").format(
                code=code, row=seen[code])
        seen.setdefault(code, row.number)
        if code not in vacancies:
            yield "position", _("unknown positions code {code}").format(code=code)
        elif row["capacity"] > vacancies[code]:
            yield "capacity", _("{n} seats offered but position {code} has {vacant} vacant")\
                .format(n=row["capacity"], code=code, vacant=vacancies[code])
        try:
            conditions[code] = parse_conditions(row["eligibility"], resolve)
        except ValueError as exc:
            yield "eligibility", str(exc)

    return read_checked(path, POSTS, check), conditions


def read_preferences(path: str | Path, officers: set[str], posts: set[str]) -> FileRead:
    """Preference lists: known officers and posts, choices 1, 2, 3 ... without gaps or repeats."""
    by_choice: dict[tuple[str, int], int] = {}
    by_post: dict[tuple[str, str], int] = {}

    def check(row: Row):
        officer, choice, post = row["officer"], row["choice"], row["position"]
        if officer not in officers:
            yield "officer", _("officer {code} is not in this batch").format(code=officer)
        if post not in posts:
            yield "position", _("position {code} is not offered in this batch").format(code=post)
        if (officer, choice) in by_choice:
            yield "choice", _("{officer} has a choice {n} already on row {row}").format(
                officer=officer, n=choice, row=by_choice[officer, choice])
        by_choice.setdefault((officer, choice), row.number)
        if (officer, post) in by_post:
            yield "position", _("{officer} lists {code} already on row {row}").format(
                officer=officer, code=post, row=by_post[officer, post])
        by_post.setdefault((officer, post), row.number)

    def gaps(reader: TableReader, rows: list[Row], refused: bool) -> list[InputProblem]:
        problems: list[InputProblem] = []
        if refused:
            return problems  # a refused row would look like a gap
        chosen: dict[str, list[Row]] = {}
        for row in rows:
            chosen.setdefault(row["officer"], []).append(row)
        for officer, mine in chosen.items():
            mine.sort(key=lambda r: r["choice"])
            for expected, row in enumerate(mine, 1):
                if row["choice"] != expected:
                    problems.append(InputProblem(
                        reader.file, row.number, reader.headers.get("choice"),
                        _("choices of {officer} skip {n}").format(officer=officer, n=expected)))
                    break
        return problems

    return read_checked(path, PREFERENCES, check, gaps)
