"""Scoring schemes, exact scores, and ranking by a declared tie-break chain.

Pure: no database; the only I/O is reading a scheme file (format in docs/scoring.md). Used by
military-transfer placement (军转干部安置), and later by open selection and evaluation.

Scores are `decimal.Decimal` throughout (the scheme file is read with `parse_float=Decimal`),
and each component is rounded half-up to the scheme's `places` before the components are added:
the published breakdown then adds up exactly to the published total, and a supervisor who
re-runs the batch gets the same digits.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Generic, TypeVar

from civic.errors import CivicError, InputError, InputProblem
from civic.i18n import _

K = TypeVar("K", bound=Hashable)

DRAW = "draw"
SCORE = "score"
KINDS = ("numeric", "points", "service_years")
# "part-year": the local rule of 各地计划分配军队转业干部量化评分办法 as written, 「不满6个月的按
# 半年计算，超过6个月不满1年的按1年计算」: any part of a year, days included, counts 0.5 up to
# half a year and 1 beyond it. "completed-months": the variant some offices use, counting
# completed months only (leftover days dropped) before the same halves. "whole": completed
# years only.
ROUNDINGS = ("none", "part-year", "completed-months", "whole")
DATE_ROUNDINGS = ROUNDINGS[1:]  # what a service_years component may use
NUMBER_ROUNDINGS = ("none", "part-year", "whole")  # on a number of years, months are not known
_HALF = Decimal("0.5")
# Award cells list several awards: "二等功;三等功" or "二等功、三等功" (NFKC folds '；' to ';').
_SEPARATORS = re.compile(r"[;、,]")
# Spreadsheets turn 1985-09-01 into 1985/9/1; records also say 1985年9月1日 or, for 入伍时间,
# only the month: 1985.09 / 198509 (the LRMX habit). A month alone means its first day.
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?$")
_TIE_RE = re.compile(r"^\s*(\S+)\s+(asc|desc)\s*$")


class UnresolvedTie(CivicError):
    """Entries are still tied at the end of a chain that has no draw."""


# --- small exact helpers -------------------------------------------------------------------


def normalize_cell(value: Any) -> Any:
    """NFKC-fold and strip a text cell: full-width digits and '；' become ASCII."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def to_decimal(value: Any) -> Decimal:
    """An exact Decimal from a cell; floats go through repr so 0.1 stays 0.1."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = normalize_cell(str(value))
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not result.is_finite():
        raise ValueError(value)
    return result


def to_date(value: Any) -> date:
    """A date from a date, an ISO string, 1985/9/1, 1985年9月1日, 1985.09 or 198509."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalize_cell(str(value))
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(value)
    return date(int(m[1]), int(m[2]), int(m[3] or 1))


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Round half up (四舍五入) to `places` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def display(value: Decimal, places: int = 2) -> str:
    return f"{quantize(value, places):.{places}f}"


def completed_months(start: date, cutoff: date) -> int:
    """Whole calendar months from `start` to `cutoff`; leftover days do not count.

    A month is complete on its day-of-month anniversary; the anniversary of the 29th-31st
    falls on the last day of a shorter month (31 Jan -> 28/29 Feb).
    """
    months = (cutoff.year - start.year) * 12 + cutoff.month - start.month
    last = calendar.monthrange(cutoff.year, cutoff.month)[1]
    if cutoff.day < min(start.day, last):
        months -= 1
    return months


def round_part_year(years: Decimal) -> Decimal:
    """The local part-year rule on a number of years: .0 -> .0, (0, .5] -> .5, over .5 -> 1."""
    whole = years.to_integral_value(rounding=ROUND_FLOOR)
    part = years - whole
    if part == 0:
        return whole
    return whole + (_HALF if part <= _HALF else 1)


def add_months(start: date, months: int) -> date:
    """The date `months` calendar months after `start`; the 29th-31st fall on the last day of
    a shorter month (31 Jan + 1 month -> 28/29 Feb), as `completed_months` counts them."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def service_years(start: date, cutoff: date, rounding: str = "part-year") -> Decimal:
    """Years of service from `start` to `cutoff` under a part-year rule.

    Source: 各地计划分配军队转业干部量化评分办法, 「不满6个月的按半年计算，超过6个月不满1年的按1年
    计算」. "part-year" reads it as written: any part of a year counts, days included; a part
    of up to six months (exactly six included: it is half a year) counts 0.5 and more than six
    months counts 1. 20y0m20d -> 20.5, 20y6m -> 20.5, 20y6m29d -> 21. "completed-months"
    counts completed months only (20y0m20d -> 20, 20y6m29d -> 20.5), "whole" completed years.
    """
    months = completed_months(start, cutoff)
    if months < 0:
        raise ValueError(start)
    years, part = divmod(months, 12)
    if rounding == "whole":
        return Decimal(years)
    leftover_days = rounding == "part-year" and cutoff > add_months(start, months)
    if part == 0 and not leftover_days:
        return Decimal(years)
    over_half = part > 6 or (part == 6 and leftover_days)
    return Decimal(years) + (1 if over_half else _HALF)


# --- generic helpers for evaluation --------------------------------------------------------


def weighted_sum(values: Mapping[str, Any], weights: Mapping[str, Any]) -> Decimal:
    """Sum of value x weight over the weights' keys; a missing value is an error."""
    missing = [k for k in weights if k not in values]
    if missing:
        raise CivicError(_("No value for {names}.").format(names=", ".join(map(str, missing))))
    return sum((to_decimal(values[k]) * to_decimal(w) for k, w in weights.items()), Decimal(0))


def min_max(
    values: Mapping[K, Any], *, higher_is_better: bool = True, scale: Any = 1
) -> dict[K, Decimal]:
    """Rescale to [0, scale]; when all values are equal, everyone gets the full `scale`."""
    nums = {k: to_decimal(v) for k, v in values.items()}
    if not nums:
        return {}
    lo, hi, top = min(nums.values()), max(nums.values()), to_decimal(scale)
    if lo == hi:
        return dict.fromkeys(nums, top)
    span = hi - lo
    if higher_is_better:
        return {k: (v - lo) / span * top for k, v in nums.items()}
    return {k: (hi - v) / span * top for k, v in nums.items()}


def z_scores(values: Mapping[K, Any], *, higher_is_better: bool = True) -> dict[K, Decimal]:
    """(x - mean) / population standard deviation; all 0 when the values do not vary."""
    nums = {k: to_decimal(v) for k, v in values.items()}
    if not nums:
        return {}
    mean = sum(nums.values(), Decimal(0)) / len(nums)
    sd = (sum(((v - mean) ** 2 for v in nums.values()), Decimal(0)) / len(nums)).sqrt()
    if sd == 0:
        return dict.fromkeys(nums, Decimal(0))
    sign = 1 if higher_is_better else -1
    return {k: sign * (v - mean) / sd for k, v in nums.items()}


# --- ranking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TieKey:
    """One link of a tie-break chain: a field and its direction, or the final draw."""

    field: str
    descending: bool = False

    def __str__(self) -> str:
        if self.field == DRAW:
            return DRAW
        return f"{self.field} {'desc' if self.descending else 'asc'}"


def parse_tie_break(chain: Iterable[str | TieKey]) -> tuple[TieKey, ...]:
    """Parse ["score desc", "birth_date asc", "draw"]; the direction is always explicit."""
    keys: list[TieKey] = []
    for item in chain:
        if isinstance(item, TieKey):
            keys.append(item)
            continue
        if str(item).strip() == DRAW:
            keys.append(TieKey(DRAW))
            continue
        m = _TIE_RE.match(str(item))
        if not m or m[1] == DRAW:
            raise CivicError(
                _("Tie-break '{item}' must be 'FIELD asc', 'FIELD desc' or 'draw'.").format(
                    item=item
                )
            )
        keys.append(TieKey(m[1], m[2] == "desc"))
    fields = [k.field for k in keys]
    if DRAW in fields[:-1]:
        raise CivicError(_("The draw can only be the last tie-break."))
    if len(set(fields)) != len(fields):
        raise CivicError(_("A tie-break field is listed twice."))
    return tuple(keys)


def draw_ticket(seed: int | str, key: Any) -> str:
    """The draw for one entry: sha256 of the UTF-8 text "<seed>|<key>", in hex; lower wins.

    Anyone can recompute it (`printf '%s' '2008|J001' | sha256sum`), and it depends only on
    the seed and the entry, never on the order the entries were listed in.
    """
    return hashlib.sha256(f"{seed}|{key}".encode()).hexdigest()


@dataclass(frozen=True)
class Ranked(Generic[K]):
    """One entry of a choosing order. Ranks run 1..n, never shared."""

    rank: int
    key: K
    values: Mapping[str, Any]
    # All entries (in final order) still tied when the draw separated them; () if no draw.
    draw_group: tuple[K, ...] = ()
    ticket: str | None = None
    breakdown: Breakdown | None = None

    @property
    def decided_by_draw(self) -> bool:
        return bool(self.draw_group)


def draw_groups(ranking: Sequence[Ranked[K]]) -> list[tuple[K, ...]]:
    """Each group of entries the draw decided between, in ranking order (for the audit log)."""
    groups: list[tuple[K, ...]] = []
    for r in ranking:
        if r.draw_group and (not groups or groups[-1] != r.draw_group):
            groups.append(r.draw_group)
    return groups


def rank(
    items: Mapping[K, Mapping[str, Any]],
    keys: Sequence[str | TieKey],
    seed: int | str,
) -> list[Ranked[K]]:
    """Order `items` (entry key -> field values) by the tie-break chain `keys`.

    The seeded draw only separates entries equal on every earlier key; without a draw in the
    chain such a tie raises UnresolvedTie rather than falling back on input order.
    """
    chain = parse_tie_break(keys)
    fields = [k for k in chain if k.field != DRAW]
    use_draw = len(fields) < len(chain)
    if len({str(k) for k in items}) != len(items):
        raise CivicError(_("Two entries have the same key text; the draw cannot tell them apart."))
    for key, values in items.items():
        for k in fields:
            if values.get(k.field) is None:
                raise CivicError(
                    _("{entry} has no value for tie-break '{field}'.").format(
                        entry=key, field=k.field
                    )
                )
    tickets = {k: draw_ticket(seed, k) for k in items} if use_draw else {}
    # Start from an input-order-free order (ticket, else key text), then stable-sort from the
    # last key to the first; Python keeps ties stable under reverse=True too.
    order = sorted(items, key=(tickets.__getitem__ if use_draw else str))
    try:
        for k in reversed(fields):
            order.sort(key=lambda e, f=k.field: items[e][f], reverse=k.descending)
    except TypeError as exc:
        raise CivicError(_("Tie-break values cannot be compared: {exc}").format(exc=exc)) from None

    def same(a: K, b: K) -> bool:
        return all(items[a][k.field] == items[b][k.field] for k in fields)

    groups: dict[K, tuple[K, ...]] = {}
    i = 0
    while i < len(order):
        j = i + 1
        while j < len(order) and same(order[i], order[j]):
            j += 1
        if j - i > 1:
            if not use_draw:
                tied = ", ".join(map(str, order[i:j]))
                raise UnresolvedTie(_("Still tied with no draw: {tied}.").format(tied=tied))
            for e in order[i:j]:
                groups[e] = tuple(order[i:j])
        i = j
    return [
        Ranked(
            rank=n,
            key=e,
            values=dict(items[e]),
            draw_group=groups.get(e, ()),
            ticket=tickets.get(e) if e in groups else None,
        )
        for n, e in enumerate(order, 1)
    ]


# --- schemes -------------------------------------------------------------------------------


class _Bad(Exception):
    """A record value a component cannot use; carries the column and a translated reason."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class Component:
    """One scored part. `weight` multiplies numeric values and is the points per year of
    service; `cap` bounds the component after weighting (awards add up, then the cap)."""

    name: str
    kind: str
    column: str
    label: str = ""
    weight: Decimal = Decimal(1)
    cap: Decimal | None = None
    rounding: str = "none"
    points: Mapping[str, Decimal] = field(default_factory=dict)
    multiple: bool = False
    default: Decimal | None = None

    def evaluate(self, record: Mapping[str, Any], cutoff: date | None) -> tuple[Decimal, Any, Any]:
        """(uncapped value, what was counted, value for tie-breaks) or raise _Bad."""
        raw = normalize_cell(record.get(self.column))
        if self.kind == "points":
            return self._points(raw)
        if (raw is None or raw == "") and self.kind == "numeric" and self.default is not None:
            # An empty cell the scheme gives a value to (none served: 0 years).
            return self.default * self.weight, self.default, self.default
        if raw is None or raw == "":
            raise _Bad(self.column, _("missing value"))
        if self.kind == "numeric":
            try:
                number = to_decimal(raw)
            except ValueError:
                raise _Bad(self.column, _("'{v}' is not a number").format(v=raw)) from None
            if self.rounding == "part-year":
                number = round_part_year(number)
            elif self.rounding == "whole":
                number = number.to_integral_value(rounding=ROUND_FLOOR)
            return number * self.weight, number, number
        # service_years
        if cutoff is None:
            raise _Bad(self.column, _("no cut-off date given for service years"))
        try:
            start = to_date(raw)
        except ValueError:
            raise _Bad(self.column, _("'{v}' is not a date").format(v=raw)) from None
        if start > cutoff:
            raise _Bad(self.column, _("{d} is after the cut-off date").format(d=start))
        years = service_years(start, cutoff, self.rounding)
        # Longer service wins a tie by the exact days served, not the rounded years.
        return years * self.weight, years, (cutoff - start).days

    def _points(self, raw: Any) -> tuple[Decimal, Any, Any]:
        text = "" if raw is None else str(raw)
        names = [s.strip() for s in _SEPARATORS.split(text)] if self.multiple else [text]
        names = [n for n in names if n]
        if not names and not self.multiple:
            if self.default is None:
                raise _Bad(self.column, _("missing value"))
            return self.default, (), self.default
        total = Decimal(0)
        for name in names:
            value = self.points.get(name, self.default)
            if value is None:
                known = "、".join(self.points)
                raise _Bad(
                    self.column,
                    _("'{v}' is not in the points table ({known})").format(v=name, known=known),
                )
            total += value
        return total, tuple(names), total


@dataclass(frozen=True)
class Breakdown:
    """One record's score: points per component (rounded to the scheme's places) and total."""

    components: dict[str, Decimal]
    total: Decimal
    # What each component counted: service years, the award names, the raw number.
    measures: dict[str, Any]
    capped: frozenset[str] = frozenset()
    places: int = 2

    def display(self) -> dict[str, str]:
        return {name: display(v, self.places) for name, v in self.components.items()}


@dataclass(frozen=True)
class Scheme:
    name: str
    components: tuple[Component, ...]
    tie_break: tuple[TieKey, ...]
    places: int = 2
    source: str = ""

    def problems(self, record: Mapping[str, Any], cutoff: date | None) -> list[tuple[str, str]]:
        """(column, reason) for every value this scheme cannot score; [] when all is well."""
        found = []
        for c in self.components:
            try:
                c.evaluate(record, cutoff)
            except _Bad as bad:
                found.append((bad.column, bad.reason))
        return found

    def score(self, record: Mapping[str, Any], cutoff: date | None = None,
              sorts: dict[str, Any] | None = None) -> Breakdown:
        """`sorts`, when given, receives each component's tie value, for `tie_values`."""
        values: dict[str, Decimal] = {}
        measures: dict[str, Any] = {}
        capped = set()
        for c in self.components:
            try:
                value, measure, sort = c.evaluate(record, cutoff)
            except _Bad as bad:
                raise CivicError(f"{c.name} ({bad.column}): {bad.reason}") from None
            if sorts is not None:
                sorts[c.name] = sort
            if c.cap is not None and value > c.cap:
                value = c.cap
                capped.add(c.name)
            values[c.name] = quantize(value, self.places)
            measures[c.name] = measure
        total = sum(values.values(), Decimal(0))
        return Breakdown(values, total, measures, frozenset(capped), self.places)

    def score_many(self, records: Mapping[K, Mapping[str, Any]], cutoff: date | None,
                   sorts: Mapping[K, dict[str, Any]]) -> dict[K, Breakdown]:
        """`score` for each record (`sorts[key]` receives its tie values), each component
        worked out once per distinct cell: 10,000 officers share a few hundred dates and
        marks. The same breakdowns and errors as `score`, record by record (a cell that fails
        is not remembered: `score` words the error)."""
        parts = [(c, {}) for c in self.components]
        places = self.places
        zero = Decimal(0)
        out: dict[K, Breakdown] = {}
        for key, record in records.items():
            values: dict[str, Decimal] = {}
            measures: dict[str, Any] = {}
            capped: set[str] = set()
            mine = sorts[key]
            for c, seen in parts:
                raw = record.get(c.column)
                # By type too: 1, 1.0 and True are equal keys but not the same cell.
                cell = (type(raw), raw)
                try:
                    hit = seen.get(cell)
                except TypeError:  # an unhashable cell: worked out afresh
                    cell, hit = None, None
                if hit is None:
                    try:
                        value, measure, sort = c.evaluate(record, cutoff)
                    except _Bad:
                        return {k: self.score(r, cutoff, sorts[k]) for k, r in records.items()}
                    over = c.cap is not None and value > c.cap
                    hit = (quantize(c.cap if over else value, places), over, measure, sort)
                    if cell is not None:
                        seen[cell] = hit
                values[c.name], over, measures[c.name], mine[c.name] = hit
                if over:
                    capped.add(c.name)
            out[key] = Breakdown(values, sum(values.values(), zero), measures,
                                 frozenset(capped), places)
        return out

    def tie_values(
        self, record: Mapping[str, Any], cutoff: date | None, breakdown: Breakdown,
        sorts: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Values for the tie-break chain: `score` is the total, a component name its own
        tie value (service_years: days served), any other name a record column. `sorts`:
        the components' tie values as `score` found them, so none is worked out twice."""
        by_name = {c.name: c for c in self.components}
        values: dict[str, Any] = {}
        for k in self.tie_break:
            if k.field == DRAW:
                continue
            if k.field == SCORE:
                values[SCORE] = breakdown.total
            elif k.field in by_name:
                values[k.field] = (sorts[k.field] if sorts is not None and k.field in sorts
                                   else by_name[k.field].evaluate(record, cutoff)[2])
            else:
                values[k.field] = _comparable(record.get(k.field))
        return values

    def rank(
        self, records: Mapping[K, Mapping[str, Any]], cutoff: date | None, seed: int | str
    ) -> list[Ranked[K]]:
        """Score every record and rank by the scheme's chain; each entry carries its breakdown."""
        sorts: dict[Any, dict[str, Any]] = {k: {} for k in records}
        scored = self.score_many(records, cutoff, sorts)
        items = {k: self.tie_values(r, cutoff, scored[k], sorts[k]) for k, r in records.items()}
        return [
            Ranked(r.rank, r.key, r.values, r.draw_group, r.ticket, scored[r.key])
            for r in rank(items, self.tie_break, seed)
        ]


def _comparable(value: Any) -> Any:
    """A record cell as a date or number where it is one, so dates and 9 < 10 compare.

    Dates first: offices write birth dates as 1965.10, which as a number would equal 1965.1.
    """
    value = normalize_cell(value)
    if value == "":
        return None
    if not isinstance(value, str):
        return value
    for parse in (to_date, to_decimal):
        try:
            return parse(value)
        except ValueError:
            pass
    return value


# --- reading a scheme file -----------------------------------------------------------------

_COMMON = {"name", "kind", "column", "label", "cap"}
_ALLOWED = {
    "numeric": _COMMON | {"weight", "rounding", "default"},
    "points": _COMMON | {"points", "multiple", "default"},
    "service_years": _COMMON | {"per_year", "rounding"},
}


def load_scheme(path: str | Path) -> Scheme:
    """Read a TOML scheme file; every problem is reported at once as an InputError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([InputProblem(str(path), None, None, str(exc))]) from None
    return parse_scheme(text, str(path))


def parse_scheme(text: str, source: str = "<scheme>") -> Scheme:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        row = int(line[1]) if line else None
        raise InputError([InputProblem(source, row, None, str(exc))]) from None
    return _Parser(source).scheme(data)


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[InputProblem] = []

    def bad(self, keypath: str, reason: str) -> None:
        self.problems.append(InputProblem(self.source, None, keypath, reason))

    def number(self, table: Mapping[str, Any], key: str, at: str) -> Decimal | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.bad(f"{at}.{key}", _("must be a number"))
            return None
        return Decimal(value)

    def scheme(self, data: dict[str, Any]) -> Scheme:
        for key in sorted(set(data) - {"name", "places", "tie_break", "components"}):
            self.bad(key, _("unknown key"))
        name = data.get("name", "")
        if not isinstance(name, str):
            self.bad("name", _("must be text"))
        places = data.get("places", 2)
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 6:
            self.bad("places", _("must be a whole number from 0 to 6"))
            places = 2
        raw = data.get("components")
        if not isinstance(raw, list) or not raw:
            self.bad("components", _("at least one [[components]] table is needed"))
            raw = []
        components = [c for i, t in enumerate(raw) if (c := self.component(t, i)) is not None]
        names = [c.name for c in components]
        for dup in sorted({n for n in names if names.count(n) > 1}):
            self.bad("components", _("component name '{name}' is used twice").format(name=dup))
        tie_break: tuple[TieKey, ...] = ()
        chain = data.get("tie_break", [f"{SCORE} desc", DRAW])
        if not isinstance(chain, list) or not all(isinstance(s, str) for s in chain):
            self.bad("tie_break", _("must be a list of texts"))
        else:
            try:
                tie_break = parse_tie_break(chain)
            except CivicError as exc:
                self.bad("tie_break", str(exc))
            if SCORE in names:
                self.bad("tie_break", _("'score' is the total; no component may be named so"))
        if self.problems:
            raise InputError(self.problems)
        return Scheme(name, tuple(components), tie_break, places, self.source)

    def component(self, table: Any, index: int) -> Component | None:
        at = f"components[{index}]"
        if not isinstance(table, dict):
            self.bad(at, _("must be a table"))
            return None
        before = len(self.problems)
        kind = table.get("kind")
        if kind not in KINDS:
            self.bad(f"{at}.kind", _("must be one of {kinds}").format(kinds=", ".join(KINDS)))
            return None
        for key in sorted(set(table) - _ALLOWED[kind]):
            self.bad(f"{at}.{key}", _("unknown key for kind '{kind}'").format(kind=kind))
        for key in ("name", "column"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                self.bad(f"{at}.{key}", _("required text"))
        label = table.get("label", "")
        if not isinstance(label, str):
            self.bad(f"{at}.label", _("must be text"))
        cap = self.number(table, "cap", at)
        weight = self.number(table, "per_year" if kind == "service_years" else "weight", at)
        rounding = table.get("rounding", "part-year" if kind == "service_years" else "none")
        allowed = {"numeric": NUMBER_ROUNDINGS, "points": ("none",)}.get(kind, DATE_ROUNDINGS)
        if rounding not in allowed:
            self.bad(f"{at}.rounding", _("must be one of {r}").format(r=", ".join(allowed)))
        points: dict[str, Decimal] = {}
        if kind == "points":
            table_points = table.get("points")
            if not isinstance(table_points, dict) or not table_points:
                self.bad(f"{at}.points", _("a points table is required"))
            else:
                for category in table_points:
                    v = self.number(table_points, category, f"{at}.points")
                    if v is not None:
                        points[normalize_cell(category)] = v
        multiple = table.get("multiple", False)
        if not isinstance(multiple, bool):
            self.bad(f"{at}.multiple", _("must be true or false"))
        if len(self.problems) > before:
            return None
        return Component(
            name=table["name"].strip(),
            kind=kind,
            column=table["column"].strip(),
            label=label or table["name"].strip(),
            weight=weight if weight is not None else Decimal(1),
            cap=cap,
            rounding=rounding,
            points=points,
            multiple=multiple,
            default=self.number(table, "default", at),
        )
