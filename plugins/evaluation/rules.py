"""Evaluation scoring (考核评价): frameworks, normalisation, aggregation, veto gates, grades,
quotas and ranks. Pure: no I/O beyond reading the packs shipped beside this module.

The method follows the JRC/OECD composite-indicator handbook as COINr implements it:

- normalisation per indicator onto 0-100 (`normalise`): min-max (all-equal values give 100),
  z-score (mapped to 50 + 10z, clamped), rank (share of the others a unit beats), goalposts
  (clamped) and distance to a target; a `reference` panel (several years' values) fixes the
  scale so that 100 means the same every year;
- aggregation per level: weighted arithmetic mean (default) or weighted geometric mean;
  a missing value is left out and its siblings' weights rescaled (COINr `a_amean`, `a_gmean`);
- a unit whose share of available indicators is below the framework's threshold (COINr
  `dat_thresh`, default 90%) is not scored: reported, and left out of the normalisation, the
  ranking and the quota base, never scored as zero;
- veto gates (一票否决) applied before aggregation (a category zeroed) or after it (no top
  grade, a grade cap, out of the ranking), each reported with why it fired;
- grades by thresholds, then the top grade's quota by edition (1994 10%, 2007 15%, 2020 20%;
  rounding 四舍五入 or 进一法), ties at the quota boundary flagged for the committee and kept;
- scores computed in float64 and rounded half up to 2 places at the end only; ranks shared by
  equal (rounded) scores: 1, 2, 2, 4.

docs/evaluation.md gives the formulas with a worked example.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from civic.errors import CivicError
from civic.i18n import N_, _

PACKS = Path(__file__).parent / "packs"
NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts", "target")
NORMALISATION_LABELS = {"minmax": N_("min-max"), "zscore": N_("z-score"), "rank": N_("rank"),
                        "goalposts": N_("goalposts"), "target": N_("distance to target")}
AGGREGATIONS = ("arithmetic", "geometric")
DIRECTIONS = ("higher", "lower")
# What a gate does, and the stage it acts at: a category zeroed feeds the aggregation, the
# others act on its outcome.
CONSEQUENCES = {
    "no_top_grade": ("after", N_("not eligible for the top grade")),
    "grade_cap": ("after", N_("grade capped at {cap}")),
    "zero_category": ("before", N_("category {category} scored zero")),
    "exclude_ranking": ("after", N_("excluded from the ranking")),
}
SCALES = {"individual": ("优秀", "称职", "基本称职", "不称职"),
          "team": ("好", "较好", "一般", "较差")}
ROUNDING = {"half_up": N_("round half up (四舍五入)"), "up": N_("round up (进一法)")}
# z-scores are mapped onto the 0-100 scale as 50 + 10z (a T-score) and clamped.
Z_MEAN, Z_SD = 50.0, 10.0


def capped(grade: str, cap: str | None, scale: tuple[str, ...]) -> str:
    """`grade`, lowered to `cap` when a decision capped the year's grade (a 诫勉 barring 优秀
    that year: civic.facts.GRADE_CAP); a grade off the scale is left as it is."""
    if cap is None or grade not in scale or cap not in scale:
        return grade
    return scale[max(scale.index(grade), scale.index(cap))]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    direction: str
    weight: Fraction  # percent of its category
    normalisation: str
    params: Mapping[str, float]
    data_source: str
    illustrative: bool


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    weight: Fraction  # percent of the total
    aggregation: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Gate:
    code: str
    name: str
    condition: str
    consequence: str
    stage: str
    source: str
    cap: str | None = None
    category: str | None = None

    def describe(self) -> str:
        return _(CONSEQUENCES[self.consequence][1]).format(cap=self.cap, category=self.category)


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    ratee: str
    source: str
    availability: Fraction
    aggregation: str
    grades: tuple[str, ...]
    minimums: tuple[float, ...]  # the lowest score of each grade but the last
    categories: tuple[Category, ...]
    gates: tuple[Gate, ...] = ()
    illustrative: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.categories for i in c.indicators)

    def gate(self, code: str) -> Gate:
        for gate in self.gates:
            if gate.code == code:
                return gate
        raise KeyError(code)


@dataclass(frozen=True)
class QuotaEdition:
    edition: str
    top_share: Fraction
    source: str
    note: str
    checked: bool = False  # the article confirmed against the published text


# --- reading frameworks ----------------------------------------------------------------


def _refuse(where: str, message: str) -> CivicError:
    return CivicError(_("Framework {where}: {message}").format(where=where, message=message))


def _weight(value: Any, where: str) -> Fraction:
    try:
        weight = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise _refuse(where, _("weight {value!r} is not a number").format(value=value)) from None
    if weight <= 0:
        raise _refuse(where, _("weight {value} is not positive").format(value=value))
    return weight


def _number(value: Any, where: str, name: str) -> float:
    try:
        number = float(str(value))
    except ValueError:
        raise _refuse(where, _("{name} {value!r} is not a number").format(
            name=name, value=value)) from None
    if not math.isfinite(number):
        raise _refuse(where, _("{name} {value!r} is not a number").format(name=name, value=value))
    return number


def _sum_check(where: str, weights: Sequence[Fraction]) -> None:
    total = sum(weights, Fraction(0))
    if total != 100:
        raise _refuse(where, _("weights sum to {total}%, not 100%").format(
            total=f"{float(total):g}"))


def _choice(value: Any, known: Sequence[str], where: str, name: str) -> str:
    if value not in known:
        raise _refuse(where, _("{name} {value!r} is not one of {known}").format(
            name=name, value=value, known=", ".join(known)))
    return str(value)


def _text(node: Mapping[str, Any], key: str, where: str) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _refuse(where, _("{name} is missing").format(name=key))
    return value.strip()


def _indicator(node: Mapping[str, Any], where: str) -> Indicator:
    code = _text(node, "code", where)
    here = f"{where}/{code}"
    method = _choice(node.get("normalisation", "minmax"), NORMALISATIONS, here,
                     "normalisation")
    params: dict[str, float] = {}
    if method == "goalposts":
        params = {"low": _number(node.get("low"), here, "low"),
                  "high": _number(node.get("high"), here, "high")}
        if params["high"] <= params["low"]:
            raise _refuse(here, _("goalposts need low below high"))
    elif method == "target":
        params = {"target": _number(node.get("target"), here, "target")}
    return Indicator(code, _text(node, "name", here), str(node.get("unit", "")),
                     _choice(node.get("direction", "higher"), DIRECTIONS, here, "direction"),
                     _weight(node.get("weight"), here), method, params,
                     str(node.get("data_source", "")), bool(node.get("illustrative", False)))


def parse_framework(data: Mapping[str, Any], where: str = "") -> Framework:
    """A framework from its data file's content; refused naming the node at fault (sibling
    weights that do not sum to 100%, an unknown normalisation, a gate on no category)."""
    key = _text(data, "key", where or "?")
    where = where or key
    aggregation = _choice(data.get("aggregation", "arithmetic"), AGGREGATIONS, where,
                          "aggregation")
    categories = []
    seen: set[str] = set()
    for node in data.get("category", []):
        code = _text(node, "code", where)
        here = f"{where}/{code}"
        indicators = tuple(_indicator(i, here) for i in node.get("indicator", []))
        if not indicators:
            raise _refuse(here, _("a category needs at least one indicator"))
        _sum_check(here, [i.weight for i in indicators])
        for item in (code, *(i.code for i in indicators)):
            if item in seen:
                raise _refuse(here, _("code {code} is used twice").format(code=item))
            seen.add(item)
        categories.append(Category(code, _text(node, "name", here), _weight(node.get("weight"),
                                   here), _choice(node.get("aggregation", aggregation),
                                                  AGGREGATIONS, here, "aggregation"),
                                   indicators))
    if not categories:
        raise _refuse(where, _("a framework needs at least one category"))
    _sum_check(where, [c.weight for c in categories])
    grades = data.get("grades", {})
    ratee = _choice(data.get("ratee", "team"), tuple(SCALES), where, "ratee")
    scale = tuple(grades.get("scale", SCALES[ratee]))
    minimums = tuple(_number(m, f"{where}/grades", "min") for m in grades.get("min", ()))
    if len(scale) < 2 or len(minimums) != len(scale) - 1 or list(minimums) != sorted(
            minimums, reverse=True) or len(set(minimums)) != len(minimums):
        raise _refuse(f"{where}/grades", _("each grade but the last needs its minimum score, "
                                           "highest first"))
    gates = []
    for node in data.get("gate", []):
        code = _text(node, "code", f"{where}/gate")
        here = f"{where}/gate/{code}"
        if code in seen:
            raise _refuse(here, _("code {code} is used twice").format(code=code))
        seen.add(code)
        consequence = _choice(node.get("consequence"), tuple(CONSEQUENCES), here, "consequence")
        stage = _choice(node.get("stage", CONSEQUENCES[consequence][0]), ("before", "after"),
                        here, "stage")
        if stage != CONSEQUENCES[consequence][0]:
            raise _refuse(here, _("consequence {consequence} acts {stage} aggregation only")
                          .format(consequence=consequence, stage=CONSEQUENCES[consequence][0]))
        cap = node.get("cap")
        if consequence == "grade_cap" and cap not in scale:
            raise _refuse(here, _("cap {value!r} is not one of {known}").format(
                value=cap, known=", ".join(scale)))
        category = node.get("category")
        if consequence == "zero_category" and category not in {c.code for c in categories}:
            raise _refuse(here, _("category {value!r} is not in the framework").format(
                value=category))
        gates.append(Gate(code, _text(node, "name", here), str(node.get("condition", "")),
                          consequence, stage, _text(node, "source", here), cap, category))
    source = " ".join(str(data.get(k, "")) for k in ("regulation", "edition", "article")).strip()
    return Framework(key, _text(data, "name", where), ratee, source,
                     Fraction(str(data.get("availability", "90/100"))), aggregation, scale,
                     minimums, tuple(categories), tuple(gates), str(data.get("illustrative", "")))


def read_framework(path: Path) -> tuple[Framework, dict[str, Any]]:
    """A framework file (TOML) and its raw content; refused with the file's name."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise CivicError(_("{file}: not a framework file: {reason}").format(
            file=path.name, reason=exc)) from None
    except OSError as exc:
        raise CivicError(_("cannot read {file}: {reason}").format(
            file=path, reason=exc.strerror or exc)) from None
    return parse_framework(data, path.name), data


def shipped() -> tuple[str, ...]:
    """The framework packs shipped with the plugin, by key."""
    return tuple(sorted(p.stem for p in PACKS.glob("kunming-*.toml")))


@cache
def pack(key: str) -> Framework:
    return read_framework(PACKS / f"{key}.toml")[0]


@cache
def quota_editions() -> dict[str, QuotaEdition]:
    with open(PACKS / "quota.toml", "rb") as handle:
        data = tomllib.load(handle)
    # An article not yet checked against the published text says so wherever it is shown.
    return {e["edition"]: QuotaEdition(e["edition"], Fraction(e["top_share"]),
                                       f"{e['regulation']} ({e['edition']}) {e['article']}"
                                       + ("" if e.get("checked", False) else "（条款待核）"),
                                       e["note"], bool(e.get("checked", False)))
            for e in data["edition"]}


# --- numbers -------------------------------------------------------------------------------


def round_half_up(x: np.ndarray | float) -> Any:
    """Half up to 2 places, after clearing float64's binary noise at 6 places (82.125 ->
    82.13, never 82.12 because it was stored as 82.12499999...)."""
    return np.floor(np.round(np.asarray(x, dtype=float) * 100, 6) + 0.5) / 100


def money(x: float | None) -> str | None:
    """A rounded score as the report prints it: "83.27"."""
    return None if x is None or not math.isfinite(x) else f"{x:.2f}"


def normalise(x: np.ndarray, method: str, direction: str = "higher",
              params: Mapping[str, float] | None = None,
              reference: np.ndarray | None = None) -> np.ndarray:
    """One indicator's values on 0-100 (NaN stays NaN). The scale's statistics come from the
    values themselves, or from `reference` (a panel of years) when given."""
    params = params or {}
    x = np.asarray(x, dtype=float)
    ref = x if reference is None else np.asarray(reference, dtype=float)
    ref = ref[~np.isnan(ref)]
    out = np.full(x.shape, np.nan)
    have = ~np.isnan(x)
    if not have.any() or ref.size == 0:
        return out
    v = x[have]
    higher = direction == "higher"
    if method == "minmax":
        lo, hi = ref.min(), ref.max()
        if hi == lo:
            out[have] = 100.0  # all equal: every unit is the best there is
        else:
            out[have] = ((v - lo) if higher else (hi - v)) / (hi - lo) * 100
    elif method == "zscore":
        sd = ref.std(ddof=1) if ref.size > 1 else 0.0
        if sd == 0:
            out[have] = Z_MEAN
        else:
            z = (v - ref.mean()) / sd
            out[have] = Z_MEAN + Z_SD * (z if higher else -z)
    elif method == "rank":
        ordered = np.sort(ref)
        if ordered.size == 1:
            out[have] = 100.0
        else:
            worse = (np.searchsorted(ordered, v, "left") if higher
                     else ordered.size - np.searchsorted(ordered, v, "right"))
            # A panel reference may not hold the value itself: never above 100.
            out[have] = worse / (ordered.size - 1) * 100
    elif method == "goalposts":
        lo, hi = params["low"], params["high"]
        out[have] = ((v - lo) if higher else (hi - v)) / (hi - lo) * 100
    elif method == "target":
        target = params["target"]
        if higher:
            base = ref.min()
            out[have] = 100.0 if target <= base else (v - base) / (target - base) * 100
        else:
            base = ref.max()
            out[have] = 100.0 if target >= base else (base - v) / (base - target) * 100
    else:
        raise ValueError(method)
    return np.clip(out, 0.0, 100.0)


def aggregate(x: np.ndarray, weights: np.ndarray, how: str = "arithmetic") -> np.ndarray:
    """Rows of `x` (units x children, NaN missing) to one value each: the weighted arithmetic
    or geometric mean over the children present, their weights rescaled to sum to 1 (COINr
    a_amean / a_gmean). A row with no child present is NaN."""
    x = np.asarray(x, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    have = ~np.isnan(x)
    total = np.where(have, w, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if how == "geometric":
            # A zero child makes the whole zero: the limited compensation it is chosen for.
            logs = np.where(have, np.log(np.where(have, x, 1.0)), 0.0)
            out = np.exp((w * logs).sum(axis=1) / total)
        else:
            out = (np.where(have, x, 0.0) * w).sum(axis=1) / total
    return np.where(total > 0, out, np.nan)


def shared_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks, higher first, equal scores sharing: 1, 2, 2, 4. NaN has no rank
    (returned as 0)."""
    scores = np.asarray(scores, dtype=float)
    have = ~np.isnan(scores)
    ordered = np.sort(-scores[have])
    ranks = np.zeros(scores.shape, dtype=int)
    ranks[have] = np.searchsorted(ordered, -scores[have], "left") + 1
    return ranks


def quota_limit(base: int, share: Fraction, rounding: str) -> int:
    """At most share x base units in the top grade: 四舍五入 (half up) or 进一法 (up)."""
    exact = share * base
    if rounding == "up":
        return math.ceil(exact)
    if rounding == "half_up":
        return math.floor(exact + Fraction(1, 2))
    raise ValueError(rounding)


def apply_quota(scores: Sequence[float], limit: int) -> tuple[list[int], list[int]]:
    """Of the top-graded units' rounded `scores`, which keep the grade and which are flagged
    as tied at the boundary (kept, for the committee to decide): indexes into `scores`.
    The rest fall to the next grade. Units above the boundary score always keep it."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    if len(order) <= limit:
        return order, []
    if limit == 0:
        return [], []
    boundary = scores[order[limit - 1]]
    at_or_above = [i for i in order if scores[i] >= boundary]
    if len(at_or_above) <= limit:
        return at_or_above, []
    tied = [i for i in order if scores[i] == boundary]
    return at_or_above, tied


# --- a run -----------------------------------------------------------------------------------


@dataclass
class UnitResult:
    unit: str
    score: float | None = None
    rank: int | None = None
    grade: str | None = None
    categories: dict[str, float | None] = field(default_factory=dict)
    indicators: dict[str, float | None] = field(default_factory=dict)
    gates: list[tuple[str, str, str]] = field(default_factory=list)  # code, consequence, why
    not_scored: str | None = None
    quota_cut: bool = False


@dataclass
class Result:
    units: list[UnitResult]
    grades: dict[str, int]
    quota_grade: str
    quota_limit: int
    tied_at_boundary: list[str]
    base: int


@dataclass(frozen=True)
class Arrays:
    """A framework as arrays, for scoring many units (and many Monte Carlo draws) at once."""

    cat_of: np.ndarray  # indicator -> category index
    ind_w: np.ndarray  # indicator weight within its category (percent)
    cat_w: np.ndarray  # category weight (percent)

    @classmethod
    def of(cls, framework: Framework) -> Arrays:
        cat_of = [n for n, c in enumerate(framework.categories) for _i in c.indicators]
        return cls(np.array(cat_of), np.array([float(i.weight) for i in framework.indicators]),
                   np.array([float(c.weight) for c in framework.categories]))


def availability(values: np.ndarray, threshold: Fraction) -> np.ndarray:
    """Which units have at least `threshold` of the indicators (exact: 18 of 20 is 90%)."""
    count = (~np.isnan(values)).sum(axis=1)
    k = values.shape[1]
    return count * threshold.denominator >= threshold.numerator * k


def _normalised(framework: Framework, values: np.ndarray, scored: np.ndarray,
                method: str | None = None, reference: np.ndarray | None = None) -> np.ndarray:
    out = np.full(values.shape, np.nan)
    for j, ind in enumerate(framework.indicators):
        how = method or ind.normalisation
        params = ind.params
        if how in ("goalposts", "target") and not params:
            how = "minmax"  # a Monte Carlo draw of a method the indicator has no params for
        ref = None if reference is None else reference[:, j]
        out[scored, j] = normalise(values[scored, j], how, ind.direction, params, ref)
    return out


def _categories(framework: Framework, arrays: Arrays, normed: np.ndarray,
                ind_w: np.ndarray | None = None) -> np.ndarray:
    ind_w = arrays.ind_w if ind_w is None else ind_w
    cats = np.full((normed.shape[0], len(framework.categories)), np.nan)
    for n, cat in enumerate(framework.categories):
        cols = arrays.cat_of == n
        cats[:, n] = aggregate(normed[:, cols], ind_w[cols], cat.aggregation)
    return cats


@dataclass
class Scores:
    """A run as arrays (units in rows): what `score` reports, and what the bench times."""

    scored: np.ndarray  # bool: enough data to be scored
    normed: np.ndarray  # units x indicators, 0-100, NaN missing or not scored
    cats: np.ndarray  # units x categories, after gates acting before aggregation
    total: np.ndarray  # rounded half up to 2 places; NaN not scored
    ranks: np.ndarray  # 1, 2, 2, 4; 0: no rank (not scored, or out of the ranking)
    grades: np.ndarray  # index into the framework's grades after gates and quota; -1: none
    quota_cut: np.ndarray  # bool: fell from the top grade by the quota
    tied: list[int]  # units tied at the quota boundary (kept, flagged)
    limit: int


def gate_arrays(framework: Framework, units: Sequence[str],
                fired: Mapping[str, Mapping[str, str]]) -> tuple[np.ndarray, np.ndarray,
                                                                 np.ndarray]:
    """The fired gates as arrays: categories zeroed (units x categories), units out of the
    ranking, and the best grade each unit may have (an index into the grades)."""
    n, cat_index = len(units), {c.code: i for i, c in enumerate(framework.categories)}
    zero = np.zeros((n, len(framework.categories)), dtype=bool)
    excluded = np.zeros(n, dtype=bool)
    best = np.zeros(n, dtype=int)
    for u, unit in enumerate(units):
        for code in fired.get(unit, {}):
            gate = framework.gate(code)
            if gate.consequence == "zero_category":
                zero[u, cat_index[gate.category or ""]] = True
            elif gate.consequence == "grade_cap":
                best[u] = max(best[u], framework.grades.index(gate.cap or ""))
            else:  # no top grade; out of the ranking, hence of the top grade too
                best[u] = max(best[u], 1)
                excluded[u] |= gate.consequence == "exclude_ranking"
    return zero, excluded, best


def compute(framework: Framework, values: np.ndarray, zero: np.ndarray | None = None,
            excluded: np.ndarray | None = None, best: np.ndarray | None = None, *,
            top_share: Fraction = Fraction(15, 100), rounding: str = "half_up",
            reference: np.ndarray | None = None) -> Scores:
    """Normalise, aggregate, gate, round, rank and grade every unit at once."""
    values = np.asarray(values, dtype=float)
    n = values.shape[0]
    arrays = Arrays.of(framework)
    scored = availability(values, framework.availability)
    normed = _normalised(framework, values, scored, reference=reference)
    cats = _categories(framework, arrays, normed)
    if zero is not None:
        cats = np.where(zero & scored[:, None], 0.0, cats)
    total = np.where(scored, round_half_up(aggregate(cats, arrays.cat_w,
                                                     framework.aggregation)), np.nan)
    out = np.zeros(n, dtype=bool) if excluded is None else excluded
    ranks = shared_ranks(np.where(out, np.nan, total))
    # Grade by thresholds: the number of minimums the score is below.
    minimums = np.array(framework.minimums)
    grades = (np.nan_to_num(total, nan=-1.0)[:, None] < minimums[None, :]).sum(axis=1)
    if best is not None:
        grades = np.maximum(grades, best)
    grades = np.where(scored, grades, -1)
    limit = quota_limit(int(scored.sum()), top_share, rounding)
    candidates = np.flatnonzero(grades == 0)
    kept, tied = apply_quota(total[candidates].tolist(), limit)
    keep = np.zeros(candidates.size, dtype=bool)
    keep[kept] = True
    quota_cut = np.zeros(n, dtype=bool)
    quota_cut[candidates[~keep]] = True
    grades = np.where(quota_cut, 1, grades)
    return Scores(scored, normed, cats, total, ranks, grades, quota_cut,
                  [int(candidates[i]) for i in tied], limit)


def score(framework: Framework, units: Sequence[str], values: np.ndarray,
          fired: Mapping[str, Mapping[str, str]] | None = None, *,
          top_share: Fraction = Fraction(15, 100), rounding: str = "half_up",
          reference: np.ndarray | None = None) -> Result:
    """Score `units` (rows of `values`, columns the framework's indicators in order, NaN
    missing). `fired` maps a unit to the gates that fired for it and why."""
    fired = fired or {}
    values = np.asarray(values, dtype=float)
    s = compute(framework, values, *gate_arrays(framework, units, fired), top_share=top_share,
                rounding=rounding, reference=reference)
    k = len(framework.indicators)
    cats, normed = round_half_up(s.cats), round_half_up(s.normed)
    results = []
    for u, unit in enumerate(units):
        result = UnitResult(unit)
        results.append(result)
        result.gates = [(c, framework.gate(c).describe(), why)
                        for c, why in fired.get(unit, {}).items()]
        if not s.scored[u]:
            have = int((~np.isnan(values[u])).sum())
            result.not_scored = _(
                "data for {have} of {count} indicators, below the {threshold}% threshold"
            ).format(have=have, count=k, threshold=f"{float(framework.availability) * 100:g}")
            continue
        result.score = float(s.total[u])
        result.rank = int(s.ranks[u]) or None
        result.categories = {c.code: _maybe(cats[u, n])
                             for n, c in enumerate(framework.categories)}
        result.indicators = {i.code: _maybe(normed[u, j])
                             for j, i in enumerate(framework.indicators)}
        result.grade = framework.grades[s.grades[u]]
        result.quota_cut = bool(s.quota_cut[u])
    counts = {g: int((s.grades == n).sum()) for n, g in enumerate(framework.grades)}
    return Result(results, counts, framework.grades[0], s.limit,
                  [units[u] for u in s.tied], int(s.scored.sum()))


def _maybe(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def report(result: Result, evaluation: int, framework: str, year: int) -> dict[str, Any]:
    """The run's JSON contract (docs/evaluation.md)."""
    return {
        "evaluation": evaluation, "framework": framework, "year": year,
        "units": [{"unit": r.unit, "score": money(r.score), "rank": r.rank, "grade": r.grade,
                   "categories": {k: money(v) for k, v in r.categories.items()},
                   "indicators": {k: money(v) for k, v in r.indicators.items()},
                   "gates": [{"gate": c, "consequence": what, "reason": why}
                             for c, what, why in r.gates],
                   "not_scored": r.not_scored} for r in result.units],
        "grades": dict(result.grades),
        "quota": {"grade": result.quota_grade, "limit": result.quota_limit,
                  "tied_at_boundary": list(result.tied_at_boundary)},
    }


def needs_reason(number_grade: str | None, committee_grade: str) -> bool:
    """The committee's conclusion differs from the number's grade: a written reason is due."""
    return number_grade != committee_grade


# --- sensitivity -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    unit: str
    rank: int | None  # the declared choices' rank
    low: int | None  # 5th percentile of the drawn ranks
    high: int | None  # 95th percentile

    def label(self) -> str:
        if self.rank is None or self.low is None:
            return "-"
        return f"{self.rank} ({self.low}-{self.high})"


def sensitivity(framework: Framework, units: Sequence[str], values: np.ndarray,
                fired: Mapping[str, Mapping[str, str]] | None = None, *, runs: int = 1000,
                seed: int = 0, spread: float = 0.25,
                methods: Sequence[str] = ("declared", "minmax", "zscore", "rank"),
                ) -> tuple[list[Interval], np.ndarray]:
    """Monte Carlo over the choices (COINr's uncertainty analysis): each run draws every weight
    uniformly within +-`spread` of the declared one (siblings rescaled by the aggregation), one
    normalisation for all indicators from `methods` ("declared" keeps each indicator's own),
    and each gate on or off with even odds. Returns each unit's rank interval, the 5th and
    95th percentiles of its ranks (lower and higher nearest), and the ranks (runs x units)."""
    fired = fired or {}
    values = np.asarray(values, dtype=float)
    arrays = Arrays.of(framework)
    rng = np.random.default_rng(seed)
    scored = availability(values, framework.availability)
    normed = {m: _normalised(framework, values, scored, None if m == "declared" else m)
              for m in methods}
    n = len(units)
    cat_index = {c.code: i for i, c in enumerate(framework.categories)}
    zero = np.zeros((len(framework.gates), n, len(framework.categories)), dtype=bool)
    excluded = np.zeros((len(framework.gates), n), dtype=bool)
    for g, gate in enumerate(framework.gates):
        for u, unit in enumerate(units):
            if gate.code in fired.get(unit, {}):
                if gate.consequence == "zero_category":
                    zero[g, u, cat_index[gate.category or ""]] = True
                if gate.consequence == "exclude_ranking":
                    excluded[g, u] = True
    ranks = np.zeros((runs, n))
    for run in range(runs):
        ind_w = arrays.ind_w * rng.uniform(1 - spread, 1 + spread, arrays.ind_w.size)
        cat_w = arrays.cat_w * rng.uniform(1 - spread, 1 + spread, arrays.cat_w.size)
        method = methods[int(rng.integers(len(methods)))]
        on = rng.random(len(framework.gates)) < 0.5
        cats = _categories(framework, arrays, normed[method], ind_w)
        if on.any():
            cats = np.where(zero[on].any(axis=0), 0.0, cats)
        total = np.where(scored, round_half_up(aggregate(cats, cat_w, framework.aggregation)),
                         np.nan)
        if on.any():
            total = np.where(excluded[on].any(axis=0), np.nan, total)
        ranks[run] = shared_ranks(total)
    result = score(framework, units, values, fired)
    ranks = np.where(ranks == 0, np.nan, ranks)
    intervals = []
    for u, unit in enumerate(units):
        column = ranks[:, u][~np.isnan(ranks[:, u])]
        if column.size == 0 or result.units[u].rank is None:
            intervals.append(Interval(unit, result.units[u].rank, None, None))
            continue
        intervals.append(Interval(unit, result.units[u].rank,
                                  int(np.percentile(column, 5, method="lower")),
                                  int(np.percentile(column, 95, method="higher"))))
    return intervals, ranks


# --- opinion surveys (民意调查) ------------------------------------------------------------

# The indices the 2008 surveys gave (the report: 幸福指数, 满意指数, 安全指数), each a Likert
# question answered 1 (worst) to 5 (best).
SURVEY_INDICES = {"happiness": N_("happiness"), "satisfaction": N_("satisfaction"),
                  "safety": N_("safety")}
LIKERT = 5


def likert_index(answers: Sequence[int] | np.ndarray) -> float:
    """Answers 1..5 as an index on 0-100: the mean of (answer - 1) / 4 x 100."""
    a = np.asarray(answers, dtype=float)
    return float(((a - 1) / (LIKERT - 1) * 100).mean()) if a.size else math.nan


# --- democratic rating (民主测评) ------------------------------------------------------------


@dataclass(frozen=True)
class RatingPack:
    key: str
    source: str
    categories: tuple[tuple[str, str, Fraction], ...]  # code, name, weight
    dimensions: tuple[tuple[str, str], ...]  # code, name
    min_raters: int
    points: Mapping[str, Fraction]
    flags: tuple[Mapping[str, Any], ...]
    trim_above: int = 0
    trim: Fraction = Fraction(0)
    same_min: int = 0  # a form grading this many ratees or more all alike is invalid (0: off)
    top_share: Fraction | None = None  # at most this share of the ratees (rounded up) on top


@cache
def rating_pack(key: str = "rating-2008") -> RatingPack:
    path = PACKS / f"{key}.toml"
    if not key.startswith("rating-") or not path.is_file():
        raise CivicError(_("No rating pack {key}; the shipped ones: {packs}.").format(
            key=key, packs=", ".join(rating_packs())))
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return RatingPack(
        data["key"], f"{data['regulation']} ({data['edition']})",
        tuple((c["code"], c["name"], Fraction(c["weight"])) for c in data["category"]),
        tuple((d["code"], d["name"]) for d in data["dimension"]), int(data["min_raters"]),
        {g: Fraction(p) for g, p in data["points"].items()}, tuple(data.get("flag", ())),
        int(data.get("trim_above", 0)), Fraction(data.get("trim", "0")),
        int(data.get("validity", {}).get("same_min", 0)),
        Fraction(data["validity"]["top_share"]) if "top_share" in data.get("validity", {})
        else None)


def rating_packs() -> list[str]:
    """The keys of the shipped rating packs."""
    return sorted(p.stem for p in PACKS.glob("rating-*.toml"))


def form_problem(grades: Sequence[str], ratees: int, pack: RatingPack,
                 top: str = "优秀") -> str | None:
    """Why a rating form is invalid under the pack's validity rules, or None. `grades`: the
    grades the form gives in one dimension (one per ratee graded)."""
    if pack.same_min and len(grades) >= pack.same_min and len(set(grades)) == 1:
        return _("every ratee graded {grade}").format(grade=grades[0])
    if pack.top_share is not None:
        allowed = math.ceil(pack.top_share * ratees)
        given = grades.count(top)
        if given > allowed:
            return _("{given} top grades, more than the {allowed} allowed").format(
                given=given, allowed=allowed)
    return None


def form_validity(pack: RatingPack) -> Callable[[Any, Any], str | None]:
    """The pack's rules as core's count applies them to a form's section for one dimension
    (`civic.tally.FormValidity`): the grades given, against the ratees on the form."""

    def problem(contest: Any, section: Any) -> str | None:
        return form_problem([g for _r, g in section.marks], len(contest.candidates), pack)

    return problem


def trimmed_mean(counts: Mapping[str, int], points: Mapping[str, Fraction],
                 trim: Fraction) -> Fraction | None:
    """The mean grade points of the forms, the highest and lowest `trim` share of them left
    out (floor(trim x forms) at each end), from the forms per grade."""
    marks = sorted(((points[g], n) for g, n in counts.items() if n), reverse=True)
    total = sum(n for _p, n in marks)
    cut = math.floor(trim * total)
    if total - 2 * cut <= 0:
        return None
    kept: list[tuple[Fraction, int]] = []
    top, bottom = cut, cut
    for p, n in marks:  # drop from the top
        taken = min(n, top)
        top -= taken
        if n - taken:
            kept.append((p, n - taken))
    out: list[tuple[Fraction, int]] = []
    for p, n in reversed(kept):  # then from the bottom
        taken = min(n, bottom)
        bottom -= taken
        if n - taken:
            out.append((p, n - taken))
    return sum((p * n for p, n in out), Fraction(0)) / (total - 2 * cut)


def rating_summary(counts: Mapping[str, int], shares: Mapping[str, Fraction],
                   entered: Mapping[str, int], pack: RatingPack) -> dict[str, Any]:
    """One ratee's result in one dimension: forms per grade and rates (优秀率: forms with the
    grade over the forms that graded the ratee), the weighted index on 0-100 (the categories'
    weighted shares times the grade points), and the pack's flags with their sources. Withheld
    when a rater category has fewer than the minimum raters."""
    short = [code for code, _name, _w in pack.categories if entered.get(code, 0) < pack.min_raters]
    if short:
        return {"withheld": _("fewer than {minimum} raters in {groups}").format(
            minimum=pack.min_raters, groups=", ".join(short))}
    graded = sum(counts.values())
    rates = {g: money(float(round_half_up(100 * n / graded))) if graded else None
             for g, n in counts.items()}
    # Over the forms that graded the ratee: the weighted shares rescaled to their total.
    graded_share = sum((shares.get(g, Fraction(0)) for g in pack.points), Fraction(0))
    index = (sum((shares.get(g, Fraction(0)) * p for g, p in pack.points.items()), Fraction(0))
             / graded_share) if graded_share else Fraction(0)
    flags = [{"flag": f["code"], "text": f["text"], "source": f["source"]} for f in pack.flags
             if graded and Fraction(counts.get(f["grade"], 0), graded) > Fraction(f["share"])]
    trimmed = (trimmed_mean(counts, pack.points, pack.trim)
                if pack.trim and graded > pack.trim_above else None)
    return {"withheld": None, "counts": dict(counts), "rates": rates,
            "index": money(float(round_half_up(float(index)))),
            "trimmed_mean": None if trimmed is None else money(float(round_half_up(
                float(trimmed)))), "flags": flags}
