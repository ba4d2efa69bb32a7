"""Qualification conditions (任职资格条件) checked against a person on a reference date.

Pure: takes plain dicts (a `people` row and a `positions` row). Plugins add conditions of their
own (a sanction that blocks promotion, say) through the `eligibility_problems` hook.
Sources: 党政领导干部选拔任用工作条例 (2019) arts. 7-9 (basic qualifications: years at the
lower rank, education, party membership for party posts); age limits are set per post.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from civic.dates import age_on, full_years
from civic.i18n import N_, _
from civic.ladders import EDUCATION_BY_CODE, RANK_BY_CODE
from civic.vocabulary import label

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
}


@dataclass(frozen=True)
class Problem:
    """One condition a person fails, with what was required and what they have."""

    condition: str
    required: Any
    actual: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    return None


def _problem(condition: str, required: Any, actual: Any) -> Problem:
    return Problem(condition, required, actual, problem_message(condition, required, actual)
                   or condition)


def core_problems(person: dict, position: dict, on: dt.date) -> list[Problem]:
    """Every core condition of `position` that `person` fails on date `on`."""
    out: list[Problem] = []
    if person.get("status", "serving") not in ACTIVE_STATUSES:
        out.append(_problem("status", "serving", person.get("status")))
    min_rank = position.get("min_rank")
    if min_rank:
        need = RANK_BY_CODE[min_rank]
        have = RANK_BY_CODE.get(person.get("rank") or "")
        if have is None or have.level < need.level:
            out.append(_problem("min_rank", min_rank, person.get("rank")))
    years = position.get("min_years_in_rank")
    # Years count at the required rank; a person already above it has served them.
    rank_failed = bool(out) and out[-1].condition == "min_rank"
    above = bool(min_rank) and (RANK_BY_CODE.get(person.get("rank") or "") is not None
                                and RANK_BY_CODE[person["rank"]].level
                                > RANK_BY_CODE[min_rank].level)
    if years and not rank_failed and not above:
        since = _date(person.get("rank_since"))
        served = full_years(since, on) if since else 0
        if since is None or served < years:
            out.append(_problem("min_years_in_rank", years, served))
    max_age = position.get("max_age")
    if max_age:
        born = _date(person.get("birth_date"))
        if born is None:
            out.append(_problem("max_age", max_age, None))
        else:
            age = age_on(born, on)
            if age > max_age:
                out.append(_problem("max_age", max_age, age))
    min_edu = position.get("min_education")
    if min_edu:
        need_e = EDUCATION_BY_CODE[min_edu]
        have_e = EDUCATION_BY_CODE.get(person.get("education") or "")
        if have_e is None or have_e.level < need_e.level:
            out.append(_problem("min_education", min_edu, person.get("education")))
    if position.get("party_required") and not is_party_member(person.get("party")):
        out.append(_problem("party_required", True, person.get("party")))
    return out


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def problems(pm: Any, db: Any, person: dict, position: dict, on: dt.date) -> list[Problem]:
    """Core conditions plus every plugin's `eligibility_problems`."""
    out = core_problems(person, position, on)
    for extra in pm.hook.eligibility_problems(db=db, person=person, position=position,
                                              on_date=on):
        out.extend(extra or [])
    return out
