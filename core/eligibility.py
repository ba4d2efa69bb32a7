"""Qualification conditions (任职资格条件) checked against a person on a reference date.

Pure: takes plain dicts (a `people` row and a `positions` row). Restrictions recorded as a
person's facts (civic.facts: no promotion, no equivalent post, no candidacy, by whatever
mechanism recorded them) bar every mechanism's posts; plugins add conditions of their own
through the `eligibility_problems` hook.
Sources: 党政领导干部选拔任用工作条例 (2019) arts. 7-9 (basic qualifications: years at the
lower rank, education, party membership for party posts); age limits are set per post.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civic.dates import age_on, full_years
from civic.i18n import N_, _, current_language
from civic.ladders import EDUCATION_BY_CODE, RANK_BY_CODE
from civic.vocabulary import label

if TYPE_CHECKING:
    from civic.facts import Fact

# Full members only: a probationary member (预备党员) does not yet meet a membership condition.
_PARTY_WORDS = ("中共党员", "中国共产党党员", "中国共产党", "党员", "cpc", "cpc member", "ccp")
ACTIVE_STATUSES = ("serving", "reserve")

CONDITION_LABELS = {
    "status": N_("status"),
    "min_rank": N_("minimum rank"),
    "min_years_in_rank": N_("years at rank"),
    "max_age": N_("maximum age"),
    "min_education": N_("minimum education"),
    "party_required": N_("party membership"),
    # Restrictions (civic.facts): `required` is the day it ends, `actual` its source.
    "no_promotion": N_("no promotion"),
    "no_equivalent_post": N_("no equivalent post"),
    "no_candidacy": N_("no candidacy"),
}
RESTRICTION_CONDITIONS = ("no_promotion", "no_equivalent_post", "no_candidacy")
# A problem's severity: a bar makes the person ineligible; a warning is shown beside an
# eligible person and bars nothing (a training shortfall, unless the office's setting makes it
# a bar). Bars are the default: a problem that says nothing of its severity bars.
BAR = "bar"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One condition a person fails, with what was required and what they have, and whether
    it bars them (`severity` BAR, the default) or is only a warning (WARNING)."""

    condition: str
    required: Any
    actual: Any
    message: str
    severity: str = BAR

    @property
    def bars(self) -> bool:
        return self.severity != WARNING

    def as_dict(self) -> dict[str, Any]:
        # Plain fields: no need for asdict's deep copy, paid once a person in a long report.
        out = {"condition": self.condition, "required": self.required, "actual": self.actual,
               "message": self.message}
        if self.severity == WARNING:  # a bar's dict is as it always was: no key means a bar
            out["severity"] = WARNING
        return out


def split(found: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
    """(bars, warnings) of `found`, each in the order found: a person with no bar is
    eligible, whatever the warnings say."""
    bars: list[Problem] = []
    warnings: list[Problem] = []
    for problem in found:
        (bars if problem.bars else warnings).append(problem)
    return bars, warnings


def bars(found: Iterable[Problem]) -> list[Problem]:
    """The problems of `found` that bar (a warning bars nothing)."""
    return [p for p in found if p.bars]


def is_party_member(party: str | None) -> bool:
    if not party:
        return False
    text = party.strip().casefold()
    if "预备" in text or "probation" in text:
        return False
    return text in _PARTY_WORDS or text.startswith("中共党员")


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def problem_message(condition: str, required: Any, actual: Any) -> str | None:
    """A core condition's failure worded in the current language from its data alone, so a
    problem stored as (condition, required, actual) reads in whoever's language shows it;
    None for a condition core does not know (a plugin's)."""
    if condition == "status":
        return _("not serving (status: {status})").format(status=label(actual))
    if condition == "min_rank":
        need = RANK_BY_CODE.get(required)
        return _("rank below {rank}").format(rank=label(need.name_en) if need else required)
    if condition == "min_years_in_rank":
        return _("{years} full years at rank, {need} needed").format(
            years=actual, need=_fmt(required))
    if condition == "max_age":
        if actual is None:
            return _("birth date unknown")
        return _("aged {age}, limit {limit}").format(age=actual, limit=required)
    if condition == "min_education":
        need_e = EDUCATION_BY_CODE.get(required)
        return _("education below {level}").format(
            level=label(need_e.name_en) if need_e else required)
    if condition == "party_required":
        return _("not a full party member")
    if condition in RESTRICTION_CONDITIONS:
        if required is None:
            return _("blocked by {source}, with no end date").format(source=actual)
        return _("blocked by {source} until {date}").format(source=actual, date=required)
    return None


def _problem(condition: str, required: Any, actual: Any) -> Problem:
    try:
        return _remembered(condition, required, actual, current_language())
    except TypeError:  # an unhashable value: worded afresh
        message = problem_message(condition, required, actual) or condition
    return Problem(condition, required, actual, message)


@functools.lru_cache(maxsize=4096, typed=True)
def _remembered(condition: str, required: Any, actual: Any, language: str) -> Problem:
    """The problem remembered per language: a report of 100,000 people finds the same few
    failures (an age, a rank) over and over. A Problem is frozen, so one object may stand in
    many lists; `typed` keeps 2 and 2.0 (and True and 1) apart, as the report prints them."""
    return Problem(condition, required, actual,
                   problem_message(condition, required, actual) or condition)


def core_problems(person: dict, position: dict, on: dt.date) -> list[Problem]:
    """Every core condition of `position` that `person` fails on date `on`."""
    return _core(person, position, on)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _level(rank: str | None) -> int | None:
    step = RANK_BY_CODE.get(rank or "")
    return step.level if step else None


def fact_source(pm: Any, fact: Fact) -> str:
    """A fact's source as its plugin words it (`describe_fact_source`), else as stored."""
    hook = getattr(pm.hook, "describe_fact_source", None) if pm is not None else None
    worded = hook(source_plugin=fact.source_plugin, source_ref=fact.source_ref) if hook else None
    if not worded:
        return fact.source
    return f"{worded} ({fact.rule})" if fact.rule else worded


def restriction_problems(restrictions: Iterable[Fact], person: dict, position: dict | None,
                         on: dt.date, *, candidacy: bool = False,
                         pm: Any = None) -> list[Problem]:
    """The person's restrictions that bar `position` on `on` (pure: the facts are given).

    no_promotion bars a post above the person's current rank (any ranked post when their rank
    is unknown); no_equivalent_post bars a post at or above the level they left; no_candidacy
    bars standing for election, asked with `candidacy=True` (a post may be None then).
    A post without a rank level cannot be compared, so rank restrictions do not bar it.
    A grade cap bars no post. `pm`: to word each fact's source as its plugin does.
    """
    out: list[Problem] = []
    post_level = _level(position.get("rank_level")) if position else None
    for fact in restrictions:
        if fact.kind != "restriction" or not fact.holds_on(on):
            continue
        barred = False
        if fact.value == "no_promotion" and post_level is not None:
            have = _level(person.get("rank"))
            barred = have is None or post_level > have
        elif fact.value == "no_equivalent_post" and post_level is not None:
            left = _level(fact.data.get("level") or person.get("rank"))
            barred = left is None or post_level >= left
        elif fact.value == "no_candidacy":
            barred = candidacy
        if barred:
            until = fact.effective_until
            out.append(_problem(fact.value, until.isoformat() if until else None,
                                fact_source(pm, fact)))
    return out


def candidacy_problems(db: Any, person: dict, on: dt.date, pm: Any = None) -> list[Problem]:
    """What bars `person` from standing for election on `on` (a no_candidacy restriction)."""
    from civic.facts import facts_of

    return restriction_problems(facts_of(db, person["code"], on, kind="restriction"), person,
                                None, on, candidacy=True, pm=pm)


def problems(pm: Any, db: Any, person: dict, position: dict, on: dt.date, *,
             restrictions: Iterable[Fact] | None = None) -> list[Problem]:
    """Core conditions, the person's restrictions, and every plugin's `eligibility_problems`.

    `restrictions`: the person's restrictions when the caller has read them in bulk
    (`civic.facts.restrictions_on`); read here for this person otherwise.
    """
    out = core_problems(person, position, on)
    if restrictions is None and person.get("code"):
        from civic.facts import facts_of

        restrictions = facts_of(db, person["code"], on, kind="restriction")
    out.extend(restriction_problems(restrictions or (), person, position, on, pm=pm))
    for extra in pm.hook.eligibility_problems(db=db, person=person, position=position,
                                              on_date=on):
        out.extend(extra or [])
    many = getattr(pm.hook, "eligibility_problems_many", None)
    if many is not None and many.get_hookimpls():
        for answer in many(db=db, pairs=[(person, position)], on_date=on):
            out.extend((answer or {}).get(0, ()))
    return out


# --- many pairs at once ----------------------------------------------------------------------

BATCH = 5000  # pairs per plugin call and per restrictions query: bounded memory when streaming


def problems_many(pm: Any, db: Any, pairs: Iterable[tuple[dict, dict]], on: dt.date, *,
                  restrictions: dict[str, list[Fact]] | None = None,
                  ) -> Iterator[tuple[dict, dict, list[Problem]]]:
    """`problems` for many (person, position) pairs: (person, position, problems) for each
    pair, in the order given, the same problems `problems` finds for the pair.

    The people's restrictions are read in one query (or given, by person code, from
    `civic.facts.restrictions_on`), and plugins are asked once per batch of pairs through the
    `eligibility_problems_many` hook, not once per pair; the per-pair `eligibility_problems`
    hook is still asked for each pair when a plugin implements it (none is called when none
    does). Lazy: pairs are checked a batch at a time, so a caller may stream them.
    """
    per_pair = bool(pm.hook.eligibility_problems.get_hookimpls())
    many = getattr(pm.hook, "eligibility_problems_many", None)
    bulk = many is not None and bool(many.get_hookimpls())
    batch: list[tuple[dict, dict]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= BATCH:
            yield from _check_batch(pm, db, batch, on, restrictions, per_pair, bulk)
            batch = []
    if batch:
        yield from _check_batch(pm, db, batch, on, restrictions, per_pair, bulk)


def _check_batch(pm: Any, db: Any, batch: list[tuple[dict, dict]], on: dt.date,
                 restrictions: dict[str, list[Fact]] | None, per_pair: bool, bulk: bool,
                 ) -> Iterator[tuple[dict, dict, list[Problem]]]:
    if restrictions is None:
        from civic.facts import restrictions_on

        codes = {person["code"] for person, _pos in batch if person.get("code")}
        known = restrictions_on(db, on, codes) if codes else {}
    else:
        known = restrictions
    extra: dict[int, list[Problem]] = {}
    if bulk:
        for answer in pm.hook.eligibility_problems_many(db=db, pairs=batch, on_date=on):
            for index, found in (answer or {}).items():
                extra.setdefault(index, []).extend(found or [])
    for index, (person, position) in enumerate(batch):
        out = _core(person, position, on)
        if known:  # most offices record few restrictions: no look-up per pair without any
            facts = known.get(person.get("code") or "", ())
            if facts:
                out.extend(restriction_problems(facts, person, position, on, pm=pm))
        if per_pair:
            for found in pm.hook.eligibility_problems(db=db, person=person, position=position,
                                                      on_date=on):
                out.extend(found or [])
        if extra:
            out.extend(extra.get(index, ()))
        yield person, position, out


# One person's side of the core conditions, remembered by the values it is worked out from: a
# placement officer is checked against the 20 posts they list, and 100,000 people share a few
# thousand birth dates and rank dates. Each is asked only by the check that needs it, so a bad
# date fails only that check.

@functools.lru_cache(maxsize=1 << 14)
def _served(since: Any, on: dt.date) -> tuple[dt.date | None, int]:
    day = _date(since)
    return day, (full_years(day, on) if day else 0)


@functools.lru_cache(maxsize=1 << 14)
def _age(born: Any, on: dt.date) -> int | None:
    day = _date(born)
    return None if day is None else age_on(day, on)


@functools.lru_cache(maxsize=256)
def _member(party: str | None) -> bool:
    return is_party_member(party)


def _core(person: dict, position: dict, on: dt.date) -> list[Problem]:  # noqa: C901
    """Every core condition of `position` that `person` fails on `on` (`core_problems`):
    one check a condition, in the order a report lists them."""
    get = person.get
    out: list[Problem] = []
    status = get("status", "serving")
    if status not in ACTIVE_STATUSES:
        out.append(_problem("status", "serving", status))
    min_rank = position.get("min_rank")
    rank_failed = above = False
    if min_rank:
        need = RANK_BY_CODE[min_rank]
        have = RANK_BY_CODE.get(get("rank") or "")
        if have is None or have.level < need.level:
            out.append(_problem("min_rank", min_rank, get("rank")))
            rank_failed = True
        above = have is not None and have.level > need.level
    years = position.get("min_years_in_rank")
    if years and not rank_failed and not above:
        since, served = _served(get("rank_since"), on)
        if since is None or served < years:
            out.append(_problem("min_years_in_rank", years, served))
    max_age = position.get("max_age")
    if max_age:
        age = _age(get("birth_date"), on)
        if age is None:
            out.append(_problem("max_age", max_age, None))
        elif age > max_age:
            out.append(_problem("max_age", max_age, age))
    min_edu = position.get("min_education")
    if min_edu:
        need_e = EDUCATION_BY_CODE[min_edu]
        have_e = EDUCATION_BY_CODE.get(get("education") or "")
        if have_e is None or have_e.level < need_e.level:
            out.append(_problem("min_education", min_edu, get("education")))
    if position.get("party_required") and not _member(get("party")):
        out.append(_problem("party_required", True, get("party")))
    return out
