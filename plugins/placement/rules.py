"""Pure rules of military-transfer placement (军转干部安置): no database, no click, no Textual.

The batch is scored and ranked by `civic.scoring` and resolved by `civic.allocation`; this
module fixes what a batch's inputs are, turns them into a run, replays a live room's picks,
and explains to an officer why they did not get a post they listed.

Source of the mechanism: 昆明市计划安置军队转业干部考核考试办法 (2008): 47 团职 officers ranked by a
quantitative score choose among 53 posts in rank order (按排序先后选岗).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from civic.allocation import LiveSession, posts_only, serial_dictatorship
from civic.audit import canonical_json
from civic.eligibility import CONDITION_LABELS, Problem, problem_message
from civic.errors import CivicError
from civic.i18n import N_, _
from civic.rule_settings import RuleSetting, Source
from civic.scoring import Ranked, Scheme, draw_groups

TAG = "军转干部"

# The order of the last steps. The usual practice is the notice first (任前公示): the result is
# posted, objections are heard, and only once the notice is confirmed are the appointments made.
# 1: notice first (certify, notice, confirm, appoint); 0: appointments recorded at certification.
NOTICE_FIRST = RuleSetting(
    key="placement.notice_first", default="1", kind="count",
    title=N_("Placement: appointments after the notice is confirmed (1) or at certification (0)"),
    source=Source("党政领导干部选拔任用工作条例", "2002", "",
                  "任前公示: 公示结果不影响任职的，办理任职手续 (DOMAIN.md); for a placement "
                  "notice the local rules apply; article to be checked"),
    floor="0", ceiling="1")

# A batch's stored mode and status codes, and their labels. Here, the bottom of the plugin,
# so that the writes (actions.py) can word their refusals without importing the views.
WORDS = {"sealed": N_("sealed"), "live": N_("live"), "setup": N_("setup"), "ran": N_("ran"),
         "certified": N_("certified")}


def word(code: str) -> str:
    """The translated label of a stored mode or status."""
    return _(WORDS[code]) if code in WORDS else code

# Military grade -> civilian rank code (civic.ladders), for the core qualification conditions:
# the office's documented mapping. Source: 军队转业干部安置暂行办法 (中发〔2001〕3号) art. 24 (not
# art. 23, which weighs 德才, 职务等级, 贡献 and 专长): a 团职 officer who held the post for the
# minimum years is normally given a matching 县(处)级 leadership post; 营级 科级. 正团 therefore
# meets a 正处 (county) condition and 副团 a 副处 one; a 团职 officer under the minimum years in
# his grade maps one grade down (`civil_rank` with the dates, `MIN_YEARS_IN_GRADE`).
MILITARY_RANKS: dict[str, str] = {
    "正师": "deputy_bureau", "副师": "division",
    "正团": "division", "副团": "deputy_division",
    "正营": "section", "副营": "deputy_section",
}
_RANK_SUFFIXES = ("职", "级")

_CONDITION = re.compile(r"^\s*([^!=]+?)\s*(!?=)\s*(.+?)\s*$")
_SPLIT_CONDITIONS = re.compile(r"[;；]")
_SPLIT_VALUES = re.compile(r"[|｜/]")
_SPLIT_CELL = re.compile(r"[;；、,，/]")


def fold(text: Any) -> str:
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()


# The grades from the top, each mapping one step below the one before it.
_GRADES = tuple(MILITARY_RANKS)
_REGIMENT = ("正团", "副团")

# The minimum years in grade behind the 团职 mapping (任职满最低年限, 2001 暂行办法 art. 24 as
# DOMAIN.md cites it): the office's setting, its value from the 现役军官法's minimum years for
# a 团职 officer's promotion (平时晋升职务的最低任职年限, 3 years); a 团职 officer under it maps
# one grade down. Never below 1, nor above 5.
MIN_YEARS_IN_GRADE = RuleSetting(
    key="placement.min_years_in_grade", default="3", kind="count",
    title=N_("Placement: years in a 团职 grade an officer must have completed for that grade's "
             "matching post (else one grade down)"),
    source=Source("军队转业干部安置暂行办法 (中发〔2001〕3号)", "2001", "",
                  "担任团级领导职务且任职满最低年限的, 一般安排相应的领导职务 (DOMAIN.md: art. "
                  "24, check the text); the years from 中华人民共和国现役军官法 (2000) on "
                  "minimum years before promotion; article and value to be checked"),
    floor="1", ceiling="5")


def _grade(military: Any) -> str:
    text = fold(military)
    for suffix in _RANK_SUFFIXES:
        text = text.removesuffix(suffix)
    return text


def civil_rank(military: Any, since: date | None = None, cutoff: date | None = None,
               min_years: int | None = None) -> str | None:
    """The civilian rank code a military grade counts as, or None when it is not known. Given
    the date the officer reached his 团职 grade (`since`), the batch's cut-off and the minimum
    years, an officer who has not completed them counts one grade down (正团 as 副团: 副处;
    副团 as 正营: 正科)."""
    grade = _grade(military)
    if grade not in MILITARY_RANKS:
        return None
    if (grade in _REGIMENT and since is not None and cutoff is not None
            and min_years is not None and completed_years(since, cutoff) < min_years):
        grade = _GRADES[_GRADES.index(grade) + 1]
    return MILITARY_RANKS[grade]


def completed_years(since: date, cutoff: date) -> int:
    """Whole years from `since` to `cutoff` (the anniversary counts)."""
    years = cutoff.year - since.year
    return years - ((cutoff.month, cutoff.day) < (since.month, since.day))


# --- per-post eligibility ------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """`column=a|b` (the officer's cell names one of a, b) or `column!=a|b` (names neither).

    A cell listing several values (specialty "财务、审计") meets `=` when any of them is listed.
    """

    column: str
    values: frozenset[str]
    negate: bool = False

    def holds(self, record: Mapping[str, Any]) -> bool:
        cell = {v for v in (fold(x) for x in _SPLIT_CELL.split(fold(record.get(self.column))))
                if v}
        hit = bool(cell & self.values)
        return not hit if self.negate else hit

    def __str__(self) -> str:
        return f"{self.column}{'!=' if self.negate else '='}{'|'.join(sorted(self.values))}"


def parse_conditions(text: Any, resolve: Callable[[str], str | None]) -> tuple[Condition, ...]:
    """Parse a posts file's eligibility cell: conditions separated by `;`, all must hold.

    `resolve` maps a column as written (English name or Chinese header) to the officers
    file's column name, or None; raises ValueError with a translated reason.
    """
    out: list[Condition] = []
    for part in _SPLIT_CONDITIONS.split(fold(text)):
        if not part.strip():
            continue
        m = _CONDITION.match(part)
        if not m:
            raise ValueError(_("'{part}' is not COLUMN=VALUE or COLUMN!=VALUE").format(part=part))
        column = resolve(m[1])
        if column is None:
            raise ValueError(_("'{column}' is not a column of the officers file").format(
                column=m[1]))
        values = frozenset(v for v in (fold(x) for x in _SPLIT_VALUES.split(m[3])) if v)
        if not values:
            raise ValueError(_("'{part}' names no value").format(part=part))
        out.append(Condition(column, values, m[2] == "!="))
    return tuple(out)


def condition_problems(conditions: Sequence[Condition],
                       record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A reason (see `reason_text`) for each post condition the officer's record fails."""
    return [{"condition": POST_CONDITION, "required": str(c), "actual": record.get(c.column)}
            for c in conditions if not c.holds(record)]


# --- why an officer may not take a post ----------------------------------------------------
# A reason is kept as data, not as words: what core's `Problem` holds but its message
# (`condition`, `required`, `actual`), worded by `reason_text` in the language of whoever
# shows it, so the room's wall and a CLI in another language each read their own. A post's
# own condition is `post_condition` (required: `specialty!=后勤`). A plugin's condition that
# core cannot word keeps the plugin's `message`. Snapshots taken before reasons were data
# hold the words (str), shown as they are (see migrations.py).

POST_CONDITION = "post_condition"


def problem_reason(problem: Problem) -> dict[str, Any]:
    """A core (or plugin) `Problem` as a stored reason."""
    out = {"condition": problem.condition, "required": _plain(problem.required),
           "actual": _plain(problem.actual)}
    # Core words its own conditions (`problem_message`); a plugin's keeps its message. Asked
    # by name: a run words tens of thousands of reasons only to throw the words away.
    if problem.condition not in CONDITION_LABELS:
        out["message"] = problem.message
    return out


def _plain(value: Any) -> Any:
    # Stored as JSON and part of the inputs' digest: a value must read back as it was written.
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def reason_text(reason: str | Mapping[str, Any]) -> str:
    """One reason in the current language."""
    if isinstance(reason, str):
        return reason
    condition, required = reason.get("condition", ""), reason.get("required")
    if condition == POST_CONDITION:
        return _("post condition {condition} not met").format(condition=required)
    return (problem_message(condition, required, reason.get("actual"))
            or reason.get("message") or condition)


def reasons_text(reasons: Sequence[str | Mapping[str, Any]]) -> str:
    return "; ".join(reason_text(r) for r in reasons)


# --- a batch's inputs and its run ----------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """One step in the live room: `choose` a post, `pass` (stay unplaced), or `undo`."""

    action: str
    officer: str
    position: str | None = None


def _pair(item: tuple[tuple[str, str], Any]) -> tuple[str, str]:
    return item[0]


@dataclass(frozen=True)
class BatchInputs:
    """Everything a run depends on; two equal inputs give the same result, byte for byte."""

    batch: int
    scheme: Scheme
    scheme_sha256: str
    cutoff: date
    seed: int
    officers: Mapping[str, Mapping[str, Any]]  # code -> record (the officers file's row)
    capacity: Mapping[str, int]  # post -> seats
    prefs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    preassigned: Mapping[str, str] = field(default_factory=dict)
    # (officer, post) -> reasons the officer may not take the post (core and post conditions;
    # see `reason_text`)
    ineligible: Mapping[tuple[str, str], Sequence[Any]] = field(default_factory=dict)
    # officer -> the number drawn in the public draw held on site (抽签号); empty: the seeded
    # random order settles ties (the fallback)
    drawn: Mapping[str, int] = field(default_factory=dict)

    def acceptable(self, officer: str, post: str) -> bool:
        return (officer, post) not in self.ineligible

    @cached_property
    def ineligible_by_pair(self) -> list[tuple[tuple[str, str], Sequence[Any]]]:
        """The ineligible pairs sorted by (officer, post): sorted once for the digest and the
        snapshot (a run of 10,000 officers has some 40,000)."""
        return sorted(self.ineligible.items(), key=_pair)

    def digest(self) -> str:
        return digest({
            "batch": self.batch, "scheme": self.scheme_sha256, "cutoff": self.cutoff,
            "seed": self.seed,
            "officers": {k: dict(v) for k, v in sorted(self.officers.items())},
            "capacity": dict(sorted(self.capacity.items())),
            "prefs": {k: list(v) for k, v in sorted(self.prefs.items()) if v},
            "preassigned": dict(sorted(self.preassigned.items())),
            # By (officer, post), as a sort of [officer, post, reasons] lists orders them.
            "ineligible": [[o, p, list(r)] for (o, p), r in self.ineligible_by_pair],
            # Only when a public draw was held, so a batch without one keeps its digest.
            **({"drawn": dict(sorted(self.drawn.items()))} if self.drawn else {}),
        })


@dataclass(frozen=True)
class Outcome:
    """The ranking (the order of choosing) and who got what (post, choice number)."""

    ranking: list[Ranked[str]]
    assignments: dict[str, tuple[str | None, int | None]]

    @property
    def order(self) -> list[str]:
        return [r.key for r in self.ranking]

    def draw_groups(self) -> list[list[str]]:
        return [list(g) for g in draw_groups(self.ranking)]

    def unplaced(self) -> list[str]:
        return [o for o in self.order if self.assignments[o][0] is None]

    def as_json(self, batch: int, seed: int) -> dict[str, Any]:
        """The `civic placement run --json` shape; numbers are exact to the scheme's places."""
        return {
            "batch": batch,
            "seed": seed,
            "ranking": [{"officer": r.key, "score": number(r.breakdown.total), "rank": r.rank,
                         "breakdown": {k: number(v) for k, v in r.breakdown.components.items()}}
                        for r in self.ranking if r.breakdown is not None],
            "assignments": [{"officer": o, "position": self.assignments[o][0],
                             "choice": self.assignments[o][1]} for o in self.order],
        }


def number(value: Decimal) -> float | int:
    """A Decimal as a JSON number: whole values as ints, others as the shortest float (the
    float of a 2-place decimal prints back as the same digits)."""
    return int(value) if value == value.to_integral_value() else float(value)


def digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def rank_officers(inputs: BatchInputs) -> list[Ranked[str]]:
    """Score and rank every officer; the ranking only fixes the order of choosing. Ties left by
    the chain are settled by the public draw when one was held, else by the seeded order."""
    if not inputs.officers:
        raise CivicError(_("The batch has no officers."))
    ranking = inputs.scheme.rank(inputs.officers, inputs.cutoff, inputs.seed)
    return apply_draw(ranking, inputs.drawn) if inputs.drawn else ranking


def check_draw(groups: Sequence[Sequence[str]], numbers: Mapping[str, int]) -> None:
    """A public draw's numbers must cover exactly the tied officers, each a whole number from
    1, no number drawn twice within one tie."""
    tied = {o for g in groups for o in g}
    if not tied:
        raise CivicError(_("No tie is left for a draw to settle."))
    strangers = sorted(set(numbers) - tied)
    if strangers:
        raise CivicError(_("Not tied, so not in the draw: {codes}.").format(
            codes=", ".join(strangers)))
    for group in groups:
        missing = [o for o in group if o not in numbers]
        if missing:
            raise CivicError(_("The tie of {group} needs a draw number for {codes}.").format(
                group=", ".join(group), codes=", ".join(missing)))
        drawn = [numbers[o] for o in group]
        if any(n < 1 for n in drawn):
            raise CivicError(_("Draw numbers start from 1."))
        if len(set(drawn)) != len(drawn):
            raise CivicError(_("The tie of {group} has a draw number twice.").format(
                group=", ".join(group)))


def apply_draw(ranking: Sequence[Ranked[str]], numbers: Mapping[str, int]
               ) -> list[Ranked[str]]:
    """Order each tie group by the numbers drawn in public (the lower number chooses first)
    instead of the seeded order; each keeps its group, and `ticket` says the number drawn."""
    from dataclasses import replace

    groups = draw_groups(list(ranking))
    check_draw(groups, {o: n for o, n in numbers.items()
                        if o in {m for g in groups for m in g}})
    out = list(ranking)
    for group in groups:
        at = [i for i, r in enumerate(out) if r.key in group]
        members = sorted((out[i] for i in at), key=lambda r: numbers[r.key])
        ordered = tuple(r.key for r in members)
        for i, r in zip(at, members, strict=True):
            out[i] = replace(r, rank=out[i].rank, draw_group=ordered,
                             ticket=f"drawn:{numbers[r.key]}")
    return out


def resolve_sealed(inputs: BatchInputs, ranking: list[Ranked[str]] | None = None) -> Outcome:
    """Sealed mode: each officer in rank order takes the first open, eligible post listed."""
    ranking = ranking if ranking is not None else rank_officers(inputs)
    got = serial_dictatorship([r.key for r in ranking], inputs.prefs, inputs.capacity,
                              inputs.acceptable, inputs.preassigned)
    return Outcome(ranking, got)


def replay(inputs: BatchInputs, order: Sequence[str], picks: Sequence[Pick]) -> LiveSession:
    """The live room after `picks`; an illegal pick (a full post, an ineligible officer, the
    wrong officer's turn) raises CivicError, as it would have in the room."""
    session: LiveSession[str, str] = LiveSession(order, inputs.capacity, inputs.acceptable,
                                                 inputs.preassigned)
    for n, pick in enumerate(picks, 1):
        if pick.action == "undo":
            session.undo()
            continue
        if session.current() != pick.officer:
            raise CivicError(_("Pick {n} was made by {officer}, but it was {turn}'s turn.")
                             .format(n=n, officer=pick.officer, turn=session.current()))
        if pick.action == "pass":
            session.pass_()
        else:
            session.choose(pick.position)
    return session


def resolve_live(inputs: BatchInputs, picks: Sequence[Pick],
                 ranking: list[Ranked[str]] | None = None) -> Outcome:
    """Live mode: the room's picks, checked by re-running them sealed.

    Each pick is the officer's one-entry list (choice 1); a pass is an empty list. Serial
    dictatorship over those lists must give exactly what the room gave.
    """
    ranking = ranking if ranking is not None else rank_officers(inputs)
    order = [r.key for r in ranking]
    session = replay(inputs, order, picks)
    if not session.done:
        raise CivicError(_("The room is not finished: {done} of {total} officers have chosen.")
                         .format(done=len(session.history),
                                 total=len(order) - len(inputs.preassigned)))
    lists = {officer: [post] for officer, post in session.history if post is not None}
    got = serial_dictatorship(order, lists, inputs.capacity, inputs.acceptable,
                              inputs.preassigned)
    if posts_only(got) != session.result():
        raise CivicError(_("The room's picks do not re-run to the same result."))
    return Outcome(ranking, got)


# --- where each officer stands after the run -------------------------------------------------

# Cadres placed by plan must be placed (2001 暂行办法; DOMAIN.md "Military-transfer placement"): one
# who passes in the room, or finds no acceptable post left on his list, is not "not placed" but
# re-assigned by the city's transfer office (由市军转办另行调剂安置). Pre-assignments (照顾安置)
# are listed apart, with their policy basis.
PLACED, PREASSIGNED, PASSED, NO_ACCEPTABLE_POST = (
    "placed", "pre_assigned", "passed", "no_acceptable_post")
REASSIGNED_BY = N_("re-assigned by the city's transfer office")
STATUS_WORDS = {PLACED: N_("placed by rank order"), PREASSIGNED: N_("pre-assigned"),
                PASSED: N_("passed; re-assigned by the city's transfer office"),
                NO_ACCEPTABLE_POST: N_("no acceptable post left; re-assigned by the city's "
                                       "transfer office")}


def officer_status(position: str | None, preassigned: bool, passed: bool) -> str:
    """placed, pre_assigned, passed (the officer declined in the room) or no_acceptable_post
    (nothing left on his list he could take); the last two go to the transfer office."""
    if preassigned:
        return PREASSIGNED
    if position is not None:
        return PLACED
    return PASSED if passed else NO_ACCEPTABLE_POST


def reassigned(status: str) -> bool:
    """Whether the city's transfer office places this officer (由市军转办另行调剂安置)."""
    return status in (PASSED, NO_ACCEPTABLE_POST)


def status_text(status: str) -> str:
    return _(STATUS_WORDS[status]) if status in STATUS_WORDS else status


# --- why an officer did not get a post ------------------------------------------------------


def explain(officer: str, inputs: BatchInputs, outcome: Outcome) -> list[dict[str, Any]]:
    """For each post the officer listed above the one they got (all, if unplaced): why not.

    reason is `ineligible` (with the conditions failed), `not_offered`, or `full` with the
    officers ranked earlier (or pre-assigned) who took its seats.
    """
    post, choice = outcome.assignments[officer]
    listed = list(inputs.prefs.get(officer, ()))
    above = listed[: choice - 1] if choice else (listed if post is None else [])
    ranks = {r.key: r.rank for r in outcome.ranking}
    out = []
    for n, wanted in enumerate(above, 1):
        item: dict[str, Any] = {"choice": n, "position": wanted}
        if wanted not in inputs.capacity:
            item["reason"] = "not_offered"
        elif not inputs.acceptable(officer, wanted):
            item["reason"] = "ineligible"
            item["conditions"] = list(inputs.ineligible[(officer, wanted)])
        else:
            takers = [o for o, (p, _c) in outcome.assignments.items() if p == wanted]
            item["reason"] = "full"
            item["taken_by"] = sorted(
                ({"officer": o, "rank": ranks[o], "preassigned": o in inputs.preassigned}
                 for o in takers), key=lambda t: t["rank"])
        out.append(item)
    return out
