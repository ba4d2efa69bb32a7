"""A person's facts: dated records one mechanism writes and every other reads.

Each fact has a kind, a value, its validity (`valid_from`, and `until`: the first day it no
longer holds, or None while open-ended) and its source (the plugin and its own record id,
and for a restriction the rule it comes from). Kinds:

- `grade`: an annual assessment (value 优秀/称职/基本称职/不称职; `data` may hold the year).
- `restriction`: value `no_promotion` (no post above the person's level), `no_equivalent_post`
  (no post at or above the level they left: `data["level"]`, else their rank when recorded)
  or `no_candidacy` (no election candidacy); core eligibility reads these for every mechanism.
  `grade_cap` (the year's grade at most `data["grade"]`, for `data["year"]`) bars no post:
  a mechanism that grades reads it (`grade_cap_of`).
- `training_status`: value such as `met` or `short` (`data` may hold the hours).
- `term`: an elected office (value: the office), `until` its end.

History is appended, never overwritten: `end` and `supersede` add a row that says when and
why a fact stopped holding; reads on a date take that into account.
Mechanisms decide over thousands of people: `facts_on` reads many people in one query.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import N_, _

if TYPE_CHECKING:
    from civic.office import Change

KINDS = ("grade", "restriction", "training_status", "term")
KIND_LABELS = {"grade": N_("annual grade"), "restriction": N_("restriction"),
               "training_status": N_("training status"), "term": N_("term of office")}
# Restrictions core eligibility reads. no_candidacy bars election candidacy, not a post:
# mechanisms that elect ask for it (`civic.eligibility.candidacy_problems`).
NO_PROMOTION = "no_promotion"
NO_EQUIVALENT_POST = "no_equivalent_post"
NO_CANDIDACY = "no_candidacy"
# A restriction on the year's grade (e.g. a 诫勉 barring 优秀 that year), not on a post: kept
# as a restriction so that one history of restrictions holds every effect of a decision.
GRADE_CAP = "grade_cap"
RESTRICTIONS = (NO_PROMOTION, NO_EQUIVALENT_POST, NO_CANDIDACY, GRADE_CAP)
RESTRICTION_LABELS = {NO_PROMOTION: N_("no promotion"),
                      NO_EQUIVALENT_POST: N_("no equivalent post"),
                      NO_CANDIDACY: N_("no candidacy"),
                      GRADE_CAP: N_("grade cap")}


@dataclass(frozen=True)
class Fact:
    id: int
    person: str
    kind: str
    value: str
    valid_from: dt.date
    until: dt.date | None
    source_plugin: str
    source_ref: str
    rule: str | None = None
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ended_on: dt.date | None = None
    end_reason: str | None = None
    superseded_by: int | None = None

    @property
    def effective_until(self) -> dt.date | None:
        """The first day the fact no longer holds, an early end taken into account."""
        if self.ended_on is None:
            return self.until
        return self.ended_on if self.until is None else min(self.until, self.ended_on)

    def holds_on(self, day: dt.date) -> bool:
        end = self.effective_until
        return self.valid_from <= day and (end is None or day < end)

    @property
    def source(self) -> str:
        """Where the fact comes from, as people read it: the plugin, its record, the rule."""
        text = f"{self.source_plugin} {self.source_ref}"
        return f"{text} ({self.rule})" if self.rule else text

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("valid_from", "until", "ended_on"):
            out[key] = out[key].isoformat() if out[key] else None
        out["effective_until"] = (self.effective_until.isoformat()
                                  if self.effective_until else None)
        return out


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


_SELECT = ("SELECT f.id, f.person, f.kind, f.value, f.valid_from, f.until, f.source_plugin,"
           " f.source_ref, f.rule, f.note, f.data, e.ended_on, e.reason, e.superseded_by"
           " FROM person_facts f LEFT JOIN person_fact_ends e ON e.fact = f.id")


def _fact(row: tuple) -> Fact:
    return Fact(row[0], row[1], row[2], row[3], dt.date.fromisoformat(row[4]), _day(row[5]),
                row[6], row[7], row[8], row[9], json.loads(row[10] or "{}"), _day(row[11]),
                row[12], row[13])


# --- writing ---------------------------------------------------------------------------------

def record(change: Change, *, person: str, kind: str, value: str, valid_from: dt.date,
           until: dt.date | None = None, source: tuple[str, str], rule: str | None = None,
           note: str | None = None, data: dict[str, Any] | None = None) -> int:
    """Record a fact inside the caller's change (one audit entry); returns its id.

    `source` is (plugin name, the plugin's record id). A restriction names its rule.
    """
    from civic.events import FactRecorded
    from civic.registry import get_person

    db = change.db
    if kind not in KINDS:
        raise CivicError(_("Unknown kind of fact {kind!r}; expected one of {kinds}.").format(
            kind=kind, kinds=", ".join(KINDS)))
    if kind == "restriction" and value not in RESTRICTIONS:
        raise CivicError(_("Unknown restriction {value!r}; expected one of {kinds}.").format(
            value=value, kinds=", ".join(RESTRICTIONS)))
    if until is not None and until <= valid_from:
        raise CivicError(_("A fact must end after it starts ({start} to {end}).").format(
            start=valid_from.isoformat(), end=until.isoformat()))
    plugin, ref = source
    if not plugin or not str(ref):
        raise CivicError(_("A fact needs its source: the plugin and its record."))
    person_row = get_person(db, person)
    data = dict(data or {})
    if kind == "restriction" and value == NO_EQUIVALENT_POST and not data.get("level"):
        data["level"] = person_row.get("rank")  # the level they leave, as it stands now
    fact_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM person_facts").fetchone()[0]
    entry = change.record(FactRecorded(
        fact=fact_id, person=person, kind=kind, value=value, valid_from=valid_from.isoformat(),
        until=until.isoformat() if until else None, source_plugin=plugin, source_ref=str(ref),
        rule=rule))
    db.execute(
        "INSERT INTO person_facts (id, person, kind, value, valid_from, until, source_plugin,"
        " source_ref, rule, note, data, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (fact_id, person, kind, value, valid_from.isoformat(),
         until.isoformat() if until else None, plugin, str(ref), rule, note,
         json.dumps(data, ensure_ascii=False, sort_keys=True), entry.id))
    return fact_id


def end(change: Change, fact_id: int, *, on: dt.date, reason: str,
        superseded_by: int | None = None) -> None:
    """End a fact from `on` (a sanction lifted on appeal, a term cut short)."""
    from civic.events import FactEnded

    fact = get_fact(change.db, fact_id)
    if fact.ended_on is not None:
        raise CivicError(_("Fact {id} has already ended on {date}.").format(
            id=fact_id, date=fact.ended_on.isoformat()))
    if not reason.strip():
        raise CivicError(_("Say why the fact ends."))
    entry = change.record(FactEnded(fact=fact_id, person=fact.person, ended_on=on.isoformat(),
                                    reason=reason, superseded_by=superseded_by))
    change.db.execute(
        "INSERT INTO person_fact_ends (fact, ended_on, reason, superseded_by, audit_id)"
        " VALUES (?, ?, ?, ?, ?)", (fact_id, on.isoformat(), reason, superseded_by, entry.id))


def supersede(change: Change, fact_id: int, *, reason: str, **new: Any) -> int:
    """Replace a fact by a new one (same person and kind unless given): the old one ends
    the day the new one starts. Returns the new fact's id."""
    old = get_fact(change.db, fact_id)
    new.setdefault("person", old.person)
    new.setdefault("kind", old.kind)
    new_id = record(change, **new)
    end(change, fact_id, on=new["valid_from"], reason=reason, superseded_by=new_id)
    return new_id


# --- reading ---------------------------------------------------------------------------------

def get_fact(db: Database, fact_id: int) -> Fact:
    row = db.execute(_SELECT + " WHERE f.id = ?", (fact_id,)).fetchone()
    if row is None:
        raise CivicError(_("No fact with id {id}.").format(id=fact_id))
    return _fact(row)


def facts_of(db: Database, person: str, on: dt.date | None = None,
             kind: str | None = None) -> list[Fact]:
    """A person's facts: every one ever recorded (`on` None), or those holding on `on`."""
    sql, params = _SELECT + " WHERE f.person = ?", [person]
    if kind:
        sql += " AND f.kind = ?"
        params.append(kind)
    found = [_fact(r) for r in db.execute(sql + " ORDER BY f.valid_from, f.id", params)]
    return found if on is None else [f for f in found if f.holds_on(on)]


def facts_on(db: Database, on: dt.date, *, kind: str | None = None,
             people: Iterable[str] | None = None) -> dict[str, list[Fact]]:
    """Facts holding on `on`, by person, in one query (everyone, or only `people`)."""
    day = on.isoformat()
    sql = (_SELECT + " WHERE f.valid_from <= ? AND (f.until IS NULL OR f.until > ?)"
           " AND (e.ended_on IS NULL OR e.ended_on > ?)")
    params: list[Any] = [day, day, day]
    if kind:
        sql += " AND f.kind = ?"
        params.append(kind)
    wanted = None if people is None else set(people)
    out: dict[str, list[Fact]] = {}
    for row in db.execute(sql + " ORDER BY f.person, f.valid_from, f.id", params):
        if wanted is None or row[1] in wanted:
            out.setdefault(row[1], []).append(_fact(row))
    return out


def restrictions_on(db: Database, on: dt.date,
                    people: Iterable[str] | None = None) -> dict[str, list[Fact]]:
    """Restrictions holding on `on`, by person (one query)."""
    return facts_on(db, on, kind="restriction", people=people)


def grade_cap_of(db: Database, person: str, year: int) -> Fact | None:
    """The `grade_cap` restriction on `person`'s grade for `year`, or None. A cap ended early
    (a decision revoked on review) no longer caps the year's grade."""
    for fact in facts_of(db, person, kind="restriction"):
        if (fact.value == GRADE_CAP and fact.data.get("year") == year
                and fact.ended_on is None):
            return fact
    return None


def fact_label(fact: Fact | dict) -> str:
    """A fact's kind and value in the current language (a restriction's value worded)."""
    kind = fact["kind"] if isinstance(fact, dict) else fact.kind
    value = fact["value"] if isinstance(fact, dict) else fact.value
    shown = _(RESTRICTION_LABELS[value]) if kind == "restriction" and value in \
        RESTRICTION_LABELS else value
    return f"{_(KIND_LABELS.get(kind, kind))}: {shown}"
