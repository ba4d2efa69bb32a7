"""Pure rules of the two-round nomination: settings, what a written mark is, slates, re-votes.

Sources: the nomination workflow and its defaults; DOMAIN.md mechanism 1 (Kunming 2008: top 5 per
post from the open round, top 2 from the conference round); 《昆明市公开推荐提名领导干部后备人选办法》
(2008) as the seed reports it. Counting itself is `civic.voting`.

Analogies, named as such: no nomination rule fixes a quorum or what a tie at the cut-off means.
The quorum (2/3 of those registered present) is borrowed from party committees' rule for
meetings, and the re-vote among the tied from election rules; both stay settings. The practices
offices also follow are offered beside them: all the tied go through (tie policy `include`);
the department's meeting deciding between the tied is the office's own step outside the count
(no tie policy of its own yet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from civic.ballots import normalise
from civic.errors import CivicError
from civic.i18n import N_, _
from civic.rule_settings import RuleSetting, Source
from civic.strokes import by_strokes
from civic.voting import (
    NOT_ELIGIBLE,
    NOT_ON_SLATE,
    REVOTE,
    TIE_POLICIES,
    UNKNOWN_NAME,
    CountRules,
    Invalid,
    Mark,
    PostCount,
    Unresolved,
    apply_revote,
)

OPEN, CONFERENCE = 1, 2  # 海推 (no reference list), 公推 (among the slate)
# A tie at the cut-off settled by the department's meeting (部务会研究决定), co-signed; the
# count reports the tie as it does for a re-vote (civic.voting knows revote and include).
MEETING = "meeting"
NOMINATION_TIE_POLICIES = (*TIE_POLICIES, MEETING)
DECLARED_INVALID = "\x00invalid"  # an adjudication: the elector's intent is not clear


def parse_fraction(text: str | Fraction) -> Fraction:
    """"2/3", "0.75" or "75%" -> a fraction within [0, 1]."""
    if isinstance(text, Fraction):
        value = text
    else:
        raw = str(text).strip()
        try:
            value = Fraction(raw[:-1]) / 100 if raw.endswith("%") else Fraction(raw)
        except (ValueError, ZeroDivisionError) as exc:
            raise CivicError(_("Not a fraction: {text} (write 2/3, 0.75 or 75%).").format(
                text=text)) from exc
    if not 0 <= value <= 1:
        raise CivicError(_("A quorum is a fraction from 0 to 1, not {text}.").format(text=text))
    return value


# The office's quorum for nominations: a rule setting (co-signed to change, never below its
# floor). A nomination's own quorum may be stricter, never looser.
QUORUM = RuleSetting(
    key="nomination.quorum", default="2/3", kind="fraction",
    title=N_("Nomination quorum: electors present as a share of those registered, at least"),
    source=Source("中国共产党地方委员会工作条例", "1996 (试行)", "",
                  "应到会人数的三分之二以上方能开会 (DOMAIN.md, party committee decisions); "
                  "an analogy: no nomination rule fixes a quorum; article to be checked"),
    floor="2/3", ceiling="1")


# The order of the last steps (DOMAIN.md "After the conference round the office publishes who
# will be examined (考察预告/考察对象公示) before the examination"): notice first, as placement's
# appointments are. 1: round 2's names become reserve candidates only once the 考察对象公示 is
# confirmed (its period over, every objection handled); 0: at round 2's certification.
NOTICE_FIRST = RuleSetting(
    key="nomination.notice_first", default="1", kind="count",
    title=N_("Nomination: reserve candidates after the inspection notice is confirmed (1) or "
             "at round 2's certification (0)"),
    source=Source("党政领导干部选拔任用工作条例", "2002", "",
                  "考察预告/考察对象公示 before the examination (DOMAIN.md); a local rule's "
                  "period; article to be checked"),
    floor="0", ceiling="1")


def check_quorum(quorum: Fraction, least: Fraction) -> None:
    """A nomination's quorum may not be below the office's setting (itself never below the
    regulation's floor)."""
    if quorum < least:
        raise CivicError(_("A quorum of {quorum} is below the office's minimum of {least} "
                           "(setting {key}; {source}).").format(
            quorum=quorum, least=least, key=QUORUM.key, source=QUORUM.source.text()))


@dataclass(frozen=True)
class Settings:
    """How a nomination runs. Defaults from the Kunming 2008 plan.

    `advance`: how many per post go on from round 1 (5) and from round 2 (2); `marks`: names
    allowed per post on one ballot in each round (1 and 2); `quorum`: electors present as a
    fraction of those registered, at least (2/3 以上, party-committee rule, DOMAIN.md).
    """

    advance: tuple[int, int] = (5, 2)
    marks: tuple[int, int] = (1, 2)
    tie_policy: str = REVOTE
    quorum: Fraction = Fraction(2, 3)
    show_counts: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "quorum", parse_fraction(self.quorum))
        if min(*self.advance, *self.marks) < 1:
            raise CivicError(_("Places and marks allowed must be at least 1."))
        if self.advance[1] > self.advance[0]:
            raise CivicError(_("Round 2 cannot take more per post ({second}) than round 1 puts"
                               " forward ({first}).").format(second=self.advance[1],
                                                             first=self.advance[0]))
        if self.tie_policy not in NOMINATION_TIE_POLICIES:
            raise CivicError(_("Tie policy must be one of {policies}.").format(
                policies=", ".join(NOMINATION_TIE_POLICIES)))

    def rules(self, round_no: int) -> CountRules:
        i = round_no - 1
        counted = REVOTE if self.tie_policy == MEETING else self.tie_policy
        return CountRules(places=self.advance[i], marks_allowed=self.marks[i],
                          tie_policy=counted, quorum=self.quorum)

    def as_dict(self) -> dict[str, Any]:
        return {"advance": list(self.advance), "marks": list(self.marks),
                "tie_policy": self.tie_policy,
                "quorum": f"{self.quorum.numerator}/{self.quorum.denominator}",
                "show_counts": self.show_counts}


# --- the band of levels a post draws from ---------------------------------------------------

# A nomination to a leadership post draws from a band of levels: the post's conditions are its
# floor, and its ceiling is by default the post's own level (DOMAIN.md "Eligibility for a post has
# a floor and a ceiling": a 副厅级 official is not a candidate for a 正县级 post). It is the
# nomination's rule, not the post's: placement may put an officer below his level.

def ceiling_of(post_level: str | None, nomination_ceiling: str | None = None,
               post_ceiling: str | None = None) -> str | None:
    """The ceiling (a rank code) for one post: its own, else the nomination's, else the post's
    level; None when there is none to compare (a post without a level)."""
    return post_ceiling or nomination_ceiling or post_level


def within_ceiling(person_rank: str | None, ceiling: str | None) -> bool:
    """Whether someone of `person_rank` may be nominated under `ceiling`. Someone with no rank
    (a public representative, a head of an enterprise) is below every leadership level."""
    from civic.ladders import rank_level

    if ceiling is None or person_rank is None:
        return True
    return (rank_level(person_rank) or 0) <= (rank_level(ceiling) or 0)


# --- what a written mark is -------------------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """What resolution may ask of the registry (the store supplies the database behind it)."""

    is_person: Callable[[str], bool]  # a person's code?
    people_named: Callable[[str], Sequence[str]]  # codes of people with this name
    eligible: Callable[[str], bool] = field(default=lambda _code: True)  # on the post, that day


def resolve(text: str, lookup: Lookup, *, decision: str | None = None,
            slate: Mapping[str, str] | None = None) -> Mark:
    """What one written mark for one post is.

    Round 1 (`slate` None): a person's code, or a name matching exactly one person, is theirs;
    a name matching several waits (Unresolved); one matching nobody is `unknown_name`. The person
    must meet the post's conditions on the reference date, else `not_eligible`.
    Round 2 (`slate` {code: name}): the slate is the reference list, so a code or name on it is
    that candidate (several of the same name wait); someone else is `not_on_slate`, nobody at
    all `unknown_name`. An operator's `decision` (a person's code, or DECLARED_INVALID) comes
    before the registry. Texts are compared normalised (`civic.ballots.normalise`).
    """
    norm = normalise(text)
    if decision == DECLARED_INVALID:
        return Invalid(UNKNOWN_NAME, norm)
    person = decision or _match(norm, lookup, slate)
    if not isinstance(person, str):
        return person
    if slate is not None:
        return person if person in slate else Invalid(NOT_ON_SLATE, person)
    return person if lookup.eligible(person) else Invalid(NOT_ELIGIBLE, person)


def _match(norm: str, lookup: Lookup, slate: Mapping[str, str] | None) -> Mark:
    if slate is not None:
        if norm in slate:
            return norm
        named = [code for code, name in slate.items() if normalise(name) == norm]
        if len(named) == 1:
            return named[0]
        if named:
            return Unresolved(norm)
        known = lookup.is_person(norm) or lookup.people_named(norm)
        return Invalid(NOT_ON_SLATE if known else UNKNOWN_NAME, norm)
    if lookup.is_person(norm):
        return norm
    named = list(dict.fromkeys(lookup.people_named(norm)))
    if len(named) == 1:
        return named[0]
    return Unresolved(norm) if named else Invalid(UNKNOWN_NAME, norm)


# --- ties, slates, lists -----------------------------------------------------------------------

def settle(post: PostCount, revotes: Iterable[Mapping[str, int]],
           decision: Sequence[str] | None = None) -> PostCount:
    """The count after the re-votes held for this post, in the order they were held, then the
    department meeting's decision if one was taken."""
    for votes in revotes:
        post = apply_revote(post, votes)
    if decision is not None:
        post = apply_decision(post, decision)
    return post


def apply_decision(post: PostCount, chosen: Sequence[str]) -> PostCount:
    """The department's meeting (部务会) decides which of those tied at the cut-off go on: it
    names exactly as many of them as the places the tie straddles. Votes and ranks stay as
    counted; only `advances` changes, and the tie is settled."""
    from dataclasses import replace

    tied = post.tie_at_cutoff
    if not tied:
        raise CivicError(_("Position {position} has no tie at the cut-off to settle.").format(
            position=post.position))
    chosen = list(dict.fromkeys(chosen))
    strangers = sorted(set(chosen) - set(tied))
    if strangers:
        raise CivicError(_("Not tied at the cut-off for position {position}: {codes}.").format(
            position=post.position, codes=", ".join(strangers)))
    places = post.rules.places - len(post.advancing)
    if len(chosen) != places:
        raise CivicError(_("{position}: the meeting names {places} of the tied ({codes}), not "
                           "{n}.").format(position=post.position, places=places,
                                          codes=", ".join(tied), n=len(chosen)))
    results = tuple(r._replace(advances=True) if r.candidate in chosen else r
                    for r in post.results)
    return replace(post, results=results, tie_at_cutoff=())


def slate_warnings(slates: Mapping[str, Sequence[str]], places: int,
                   titles: Mapping[str, str]) -> list[str]:
    """What an operator should know before round 2: posts whose slate is shorter than the places
    round 2 fills (it cannot be contested there), and people on more than one post's slate."""
    out = []
    for post, people in slates.items():
        if len(people) < places:
            out.append(_("{title}: only {n} on the slate for {places} places.").format(
                title=titles.get(post, post), n=len(people), places=places))
    posts_of: dict[str, list[str]] = {}
    for post, people in slates.items():
        for person in people:
            posts_of.setdefault(person, []).append(titles.get(post, post))
    for person, posts in sorted(posts_of.items()):
        if len(posts) > 1:
            out.append(_("{person} is on the slate of {n} posts: {posts}.").format(
                person=person, n=len(posts), posts=", ".join(posts)))
    return out


def published_order(people: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Names on a published list: surname stroke order (姓氏笔画), person code breaking ties."""
    return by_strokes(people, name=lambda p: p.get("name") or "", tie=lambda p: p["code"])
