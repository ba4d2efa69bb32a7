"""Pure counting of ballots: validity, tallies, ranks, cut-off, ties, quorum and thresholds.

No database and no I/O. The caller resolves every written mark first, to a candidate key (a
person code, a plain `str`), an `Invalid(reason, text)` or an `Unresolved(text)` write-in that
waits for adjudication. Used by nomination now, by elections and democratic rating later.

Sources (see ../shared/DOMAIN.md, "Rules worth encoding"):
- 中国共产党基层组织选举工作暂行条例 (1990) arts. 19-21 and 选举法 (the counting article):
  more ballots returned than issued voids the vote, which is re-run; a ballot naming more people
  than there are places is invalid, as many or fewer is valid; a tie that decides a place goes to
  a re-vote among the tied only.
- 民法典 art. 1259: "以上/以下/届满" include the number itself, "超过/不满" exclude it. So
  "2/3 以上到会" is `present >= 2/3 * registered` and "超过4/5" is `present > 4/5 * registered`.

Marks and buckets. Each raw mark ends in exactly one bucket of a `PostCount`: `counted`,
`invalid` (by reason), `unresolved` or `duplicate`; a ballot's section for a post is either
`blank` (no marks, counted per section) or marked.
- Equal marks are one entry: the same person twice on one section counts once and the repeat
  goes to `duplicate` (the same person twice on one section counts once). Invalid and unresolved
  marks are equal when reason and written text are equal, so pass the written text.
- Over-vote: more distinct entries than `marks_allowed` makes every raw mark of that section,
  repeats included, invalid as `over_vote`; the other posts of the ballot stay valid.
- Unresolved write-ins count toward that limit (the elector did write a name). Adjudication can
  only merge one into a person already on the section, so a recount can turn an over-voted
  section valid, never the reverse. Marks on an over-voted section need no adjudication.
- A candidate needs at least one vote (and the threshold, if any) to advance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, NamedTuple

from civic.errors import CivicError
from civic.i18n import N_, _

OVER_VOTE = "over_vote"
UNKNOWN_NAME = "unknown_name"
NOT_ELIGIBLE = "not_eligible"
NOT_ON_SLATE = "not_on_slate"
INVALID_REASONS = (OVER_VOTE, UNKNOWN_NAME, NOT_ELIGIBLE, NOT_ON_SLATE)
# over_vote is decided by counting, never given by the caller.
_GIVEN_REASONS = frozenset(INVALID_REASONS[1:])

REVOTE = "revote"
INCLUDE = "include"
TIE_POLICIES = (REVOTE, INCLUDE)
BASES = ("present", "registered", "returned")

# Round check reason codes; only the first voids the round.
RETURNED_EXCEEDS_ISSUED = "returned_exceeds_issued"
ISSUED_EXCEEDS_PRESENT = "issued_exceeds_present"
ROUND_REASONS = {
    RETURNED_EXCEEDS_ISSUED: N_("More ballots returned than issued: the vote is void, re-run it."),
    ISSUED_EXCEEDS_PRESENT: N_("More ballots issued than electors present."),
}


@dataclass(frozen=True, slots=True)
class Invalid:
    """A mark that counts for nobody: `unknown_name`, `not_eligible` or `not_on_slate`."""

    reason: str
    text: str = ""

    def __post_init__(self) -> None:
        if self.reason not in _GIVEN_REASONS:
            raise ValueError(f"invalid mark reason {self.reason!r}")


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A write-in matching several people, waiting in the adjudication queue."""

    text: str


Mark = str | Invalid | Unresolved


def least(fraction: Fraction, base: int, strict: bool) -> int:
    """The smallest whole n with n > fraction*base (strict) or n >= fraction*base."""
    num, den = fraction.numerator * base, fraction.denominator
    return num // den + 1 if strict else -(-num // den)


@dataclass(frozen=True)
class Threshold:
    """Winners need more than (strict) or at least `fraction` of a base.

    Bases differ by body (DOMAIN.md): those present, those registered (应到), or those who voted
    (ballots returned). Default "more than half of those present" (超过半数, 民法典 art. 1259).
    """

    base: str = "present"
    fraction: Fraction = Fraction(1, 2)
    strict: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "fraction", Fraction(self.fraction))
        if self.base not in BASES:
            raise ValueError(f"threshold base must be one of {BASES}")
        if not 0 <= self.fraction <= 1:
            raise ValueError("threshold fraction must be within [0, 1]")


@dataclass(frozen=True)
class CountRules:
    """How one round is counted; the same for every post of the round.

    `marks_allowed` defaults to `places` (a ballot naming as many people as places is valid).
    `quorum` is the fraction of registered electors who must be present: at least it by default
    (2/3 以上, the party-committee rule), more than it with `quorum_strict` (超过4/5 for party
    members' meetings); both per 民法典 art. 1259.
    """

    places: int = 1
    marks_allowed: int | None = None
    tie_policy: str = REVOTE
    quorum: Fraction = Fraction(2, 3)
    quorum_strict: bool = False
    threshold: Threshold | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "quorum", Fraction(self.quorum))
        if self.marks_allowed is None:
            object.__setattr__(self, "marks_allowed", self.places)
        if self.places < 1 or self.marks_allowed < 1:  # type: ignore[operator]
            raise ValueError("places and marks_allowed must be at least 1")
        if self.tie_policy not in TIE_POLICIES:
            raise ValueError(f"tie_policy must be one of {TIE_POLICIES}")
        if not 0 <= self.quorum <= 1:
            raise ValueError("quorum must be within [0, 1]")


@dataclass(frozen=True)
class RoundFigures:
    """The round's head counts, entered by the operator from the meeting record."""

    registered: int
    present: int
    issued: int
    returned: int

    def __post_init__(self) -> None:
        if min(self.registered, self.present, self.issued, self.returned) < 0:
            raise CivicError(_("Elector and ballot numbers cannot be negative."))
        if self.present > self.registered:
            raise CivicError(
                _("{present} electors present but only {registered} registered.").format(
                    present=self.present, registered=self.registered
                )
            )

    def base(self, name: str) -> int:
        return {"present": self.present, "registered": self.registered}.get(name, self.returned)


@dataclass(frozen=True)
class RoundCheck:
    void: bool
    reasons: tuple[str, ...]
    needed: int  # electors needed present for the quorum


def check_round(
    registered: int, present: int, issued: int, returned: int, rules: CountRules
) -> RoundCheck:
    """Refuse counting below quorum (CivicError); flag a void round and irregularities.

    Quorum comes first: a round below it is not counted at all, void or not.
    """
    figures = RoundFigures(registered, present, issued, returned)
    needed = least(rules.quorum, registered, rules.quorum_strict)
    if present < needed:
        rule = _("more than {fraction}") if rules.quorum_strict else _("at least {fraction}")
        raise CivicError(
            _(
                "Quorum not met: {present} of {registered} registered electors present, "
                "{needed} needed ({rule} of those registered). Counting refused."
            ).format(
                present=present,
                registered=registered,
                needed=needed,
                rule=rule.format(fraction=rules.quorum),
            )
        )
    reasons = []
    if figures.returned > figures.issued:
        reasons.append(RETURNED_EXCEEDS_ISSUED)
    if figures.issued > figures.present:
        reasons.append(ISSUED_EXCEEDS_PRESENT)
    return RoundCheck(RETURNED_EXCEEDS_ISSUED in reasons, tuple(reasons), needed)


def reason_text(code: str) -> str:
    """The operator's message for a `RoundCheck` reason code."""
    return _(ROUND_REASONS[code])


class Result(NamedTuple):
    candidate: str
    votes: int
    rank: int
    advances: bool


@dataclass(frozen=True)
class PostCount:
    """The count of one post in one round. `results` are in rank order, then candidate key."""

    position: str
    rules: CountRules
    ballots: int  # sections seen: one per ballot entered
    blank: int  # sections with no mark
    counted: int
    unresolved: int
    duplicate: int
    invalid_by_reason: Mapping[str, int]  # every key of INVALID_REASONS
    over_voted_sections: int
    results: tuple[Result, ...]
    tie_at_cutoff: tuple[str, ...]
    needed_votes: int  # least votes to be able to advance: 1, or the threshold
    revotes: tuple[Mapping[str, int], ...] = field(default=())

    @property
    def invalid(self) -> int:
        return sum(self.invalid_by_reason.values())

    @property
    def marked(self) -> int:
        return self.ballots - self.blank

    @property
    def raw_marks(self) -> int:
        return self.counted + self.invalid + self.unresolved + self.duplicate

    @property
    def advancing(self) -> tuple[str, ...]:
        return tuple(r.candidate for r in self.results if r.advances)

    @property
    def unfilled(self) -> int:
        """Places no qualified candidate can take (另行选举 for the shortfall, in elections)."""
        qualified = sum(1 for r in self.results if r.votes >= self.needed_votes)
        return max(0, self.rules.places - qualified)


@dataclass(frozen=True)
class Ballot:
    number: int
    sections: Mapping[str, Sequence[Mark]]  # post code -> marks; absent or empty is a blank


def count_post(
    sections: Iterable[Sequence[Mark]],
    rules: CountRules,
    *,
    position: str = "",
    candidates: Iterable[str] = (),
    figures: RoundFigures | None = None,
) -> PostCount:
    """Count one post from each ballot's section for it (an empty section is a blank).

    `candidates` adds slate members with no vote to the results; `figures` is needed for a
    threshold.
    """
    allowed = rules.marks_allowed
    total = blank = over_sections = over_marks = dup = 0
    votes: list[str] = []
    others: list[Invalid | Unresolved] = []
    vote, other = votes.append, others.append
    # The loop is the hot path (one pass per section): single marks skip the set.
    for section in sections:
        total += 1
        n = len(section)
        if n == 1:
            mark = section[0]
            if type(mark) is str:
                vote(mark)
            else:
                other(mark)  # type: ignore[arg-type]
        elif n == 0:
            blank += 1
        else:
            distinct = set(section)
            if len(distinct) > allowed:  # type: ignore[operator]
                over_sections += 1
                over_marks += n
                continue
            dup += n - len(distinct)
            for mark in distinct:
                if type(mark) is str:
                    vote(mark)
                else:
                    other(mark)
    invalid = dict.fromkeys(INVALID_REASONS, 0)
    invalid[OVER_VOTE] = over_marks
    unresolved = 0
    for mark, n in Counter(others).items():
        if isinstance(mark, Unresolved):
            unresolved += n
        elif isinstance(mark, Invalid):
            invalid[mark.reason] += n
        else:
            raise TypeError(f"a mark is a str, Invalid or Unresolved, not {mark!r}")
    return _finish(
        position, rules, total, blank, Counter(votes), invalid, unresolved, dup,
        over_sections, candidates, figures,
    )  # fmt: skip


def count_from_aggregates(
    position: str,
    rules: CountRules,
    *,
    ballots: int,
    marked: int,
    over_voted_sections: int,
    over_voted_marks: int,
    tallies: Iterable[tuple[Mark, int, int]],
    candidates: Iterable[str] = (),
    figures: RoundFigures | None = None,
) -> PostCount:
    """Count one post from aggregates the database computed (see the SQL in docs).

    `tallies` are over sections that are not over-voted: (mark, sections naming it, raw marks).
    """
    if not 0 <= marked <= ballots:
        raise ValueError("marked sections must be within [0, ballots]")
    votes: Counter[str] = Counter()
    invalid = dict.fromkeys(INVALID_REASONS, 0)
    invalid[OVER_VOTE] = over_voted_marks
    unresolved = dup = 0
    for mark, sections, raw in tallies:
        dup += raw - sections
        if type(mark) is str:
            votes[mark] += sections
        elif isinstance(mark, Unresolved):
            unresolved += sections
        elif isinstance(mark, Invalid):
            invalid[mark.reason] += sections
        else:
            raise TypeError(f"a mark is a str, Invalid or Unresolved, not {mark!r}")
    return _finish(
        position, rules, ballots, ballots - marked, votes, invalid, unresolved, dup,
        over_voted_sections, candidates, figures,
    )  # fmt: skip


def count_round(
    ballots: Iterable[Ballot],
    positions: Sequence[str],
    rules: CountRules,
    *,
    candidates: Mapping[str, Iterable[str]] | None = None,
    figures: RoundFigures | None = None,
) -> dict[str, PostCount]:
    """Count every post of a round; a post missing from a ballot is a blank for that post."""
    columns: dict[str, list[Sequence[Mark]]] = {p: [] for p in positions}
    seen: set[int] = set()
    empty: Sequence[Mark] = ()
    for ballot in ballots:
        if ballot.number in seen:
            raise CivicError(_("Ballot {number} entered twice.").format(number=ballot.number))
        seen.add(ballot.number)
        sections = ballot.sections
        if not sections.keys() <= columns.keys():
            unknown = ", ".join(sorted(set(sections) - set(columns)))
            raise CivicError(
                _("Ballot {number} names unknown positions: {codes}.").format(
                    number=ballot.number, codes=unknown
                )
            )
        for post, column in columns.items():
            column.append(sections.get(post, empty))
    slates = candidates or {}
    return {
        post: count_post(
            column, rules, position=post, candidates=slates.get(post, ()), figures=figures
        )
        for post, column in columns.items()
    }


def _finish(
    position: str,
    rules: CountRules,
    ballots: int,
    blank: int,
    votes: Mapping[str, int],
    invalid: dict[str, int],
    unresolved: int,
    dup: int,
    over_sections: int,
    candidates: Iterable[str],
    figures: RoundFigures | None,
) -> PostCount:
    needed = 1
    if rules.threshold is not None:
        if figures is None:
            raise ValueError("a threshold needs the round's figures")
        t = rules.threshold
        needed = max(1, least(t.fraction, figures.base(t.base), t.strict))
    tally = dict.fromkeys(candidates, 0)
    tally.update(votes)
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
    ranked = _competition_ranks(ordered)
    qualified = [(c, r) for (c, v), r in zip(ordered, ranked, strict=True) if v >= needed]
    advancing, tied = _cut(qualified, rules.places, rules.tie_policy)
    results = tuple(
        Result(c, v, r, c in advancing) for (c, v), r in zip(ordered, ranked, strict=True)
    )
    return PostCount(
        position=position,
        rules=rules,
        ballots=ballots,
        blank=blank,
        counted=sum(votes.values()),
        unresolved=unresolved,
        duplicate=dup,
        invalid_by_reason=invalid,
        over_voted_sections=over_sections,
        results=results,
        tie_at_cutoff=tied,
        needed_votes=needed,
    )


def _competition_ranks(ordered: Sequence[tuple[str, int]], start: int = 1) -> list[int]:
    """Equal votes share a rank; the next rank skips (1, 2, 2, 4)."""
    ranks: list[int] = []
    for i, (_c, v) in enumerate(ordered):
        ranks.append(ranks[-1] if i and ordered[i - 1][1] == v else start + i)
    return ranks


def _cut(
    ranked: Sequence[tuple[str, int]], places: int, policy: str
) -> tuple[frozenset[str], tuple[str, ...]]:
    """Who advances, and who is tied across the cut-off, from (candidate, rank) in rank order.

    A tie that decides a place goes to a re-vote among the tied only, no draw (暂行条例 art. 21;
    选举法); the 'include' policy takes all of them instead.
    """
    if len(ranked) <= places:
        return frozenset(c for c, _r in ranked), ()
    edge = ranked[places - 1][1]
    if ranked[places][1] != edge:
        return frozenset(c for c, _r in ranked[:places]), ()
    above = [c for c, r in ranked if r < edge]
    tied = [c for c, r in ranked if r == edge]
    if policy == INCLUDE:
        return frozenset(above + tied), ()
    return frozenset(above), tuple(sorted(tied))


def apply_revote(post: PostCount, revote_votes: Mapping[str, int]) -> PostCount:
    """Rank the candidates tied at the cut-off by a re-vote among them.

    The open places are those the tie straddled; a tie again at the new cut-off stays reported.
    Round votes stay as counted; only ranks and `advances` change. A tied candidate missing
    from `revote_votes` got no vote. The threshold is not re-applied: the tied already met it.
    """
    tied = set(post.tie_at_cutoff)
    if not tied:
        raise CivicError(
            _("Position {position} has no tie at the cut-off to settle.").format(
                position=post.position
            )
        )
    strangers = sorted(set(revote_votes) - tied)
    if strangers:
        raise CivicError(
            _("Not tied at the cut-off for position {position}: {codes}.").format(
                position=post.position, codes=", ".join(strangers)
            )
        )
    if any(n < 0 for n in revote_votes.values()):
        raise CivicError(_("Re-vote counts cannot be negative."))
    rv = {c: revote_votes.get(c, 0) for c in tied}
    open_places = post.rules.places - len(post.advancing)
    ordered = sorted(rv.items(), key=lambda kv: (-kv[1], kv[0]))
    base = next(r.rank for r in post.results if r.candidate in tied)
    ranks = dict(zip((c for c, _v in ordered), _competition_ranks(ordered, base), strict=True))
    advancing, still = _cut([(c, ranks[c]) for c, _v in ordered], open_places, REVOTE)
    results = sorted(
        (
            r._replace(rank=ranks[r.candidate], advances=r.candidate in advancing)
            if r.candidate in tied
            else r
            for r in post.results
        ),
        key=lambda r: (r.rank, r.candidate),
    )
    return replace(
        post, results=tuple(results), tie_at_cutoff=still, revotes=(*post.revotes, dict(rv))
    )


def count_report(
    nomination: Any,
    round_no: int,
    figures: RoundFigures,
    counts: Iterable[PostCount],
    names: Mapping[str, str] | Callable[[str], str],
    rules: CountRules,
) -> dict[str, Any]:
    """The JSON-able count of a round in the shape `nomination count --json` documents; raises below quorum.

    A void round lists no positions: its ballots are not counted, the vote is re-run.
    `marks.duplicate` extends that shape so a supervisor can reconcile the raw marks:
    raw marks = counted + invalid + unresolved + duplicate.
    """
    check = check_round(
        figures.registered, figures.present, figures.issued, figures.returned, rules
    )
    name_of = (lambda c: names.get(c, "")) if isinstance(names, Mapping) else names
    positions = []
    for post in () if check.void else counts:
        if post.ballots > figures.returned:
            raise CivicError(
                _("{entered} ballots entered for {position} but only {returned} returned.").format(
                    entered=post.ballots, position=post.position, returned=figures.returned
                )
            )
        positions.append(_post_json(post, name_of))
    return {
        "nomination": nomination,
        "round": round_no,
        "void": check.void,
        "electors": {"registered": figures.registered, "present": figures.present},
        "ballots": {"issued": figures.issued, "returned": figures.returned},
        "positions": positions,
    }


def _post_json(post: PostCount, name_of: Callable[[str], str]) -> dict[str, Any]:
    return {
        "position": post.position,
        "marks": {
            "counted": post.counted,
            "blank": post.blank,
            "invalid": post.invalid,
            "unresolved": post.unresolved,
            "duplicate": post.duplicate,
        },
        "invalid": {k: post.invalid_by_reason[k] for k in INVALID_REASONS},
        "results": [
            {
                "person": r.candidate,
                "name": name_of(r.candidate),
                "votes": r.votes,
                "rank": r.rank,
                "advances": r.advances,
            }
            for r in post.results
        ],
        "tie_at_cutoff": list(post.tie_at_cutoff),
    }
