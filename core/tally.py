"""Pure counting of value ballots: for / against / abstain per candidate, grades per ratee.

No database and no I/O; `civic.contests` stores what this counts. Name-choice ballots (the
nomination's write-ins) are counted by `civic.voting`; this module counts the two other kinds
of contest a ballot can hold:

- `values` (elections, 公推直选, recall votes): each ballot marks every listed candidate for,
  against or abstain (a blank is an abstention), and may write other names in the spaces for
  them (另选他人): a written name is a for-vote for the person it names.
- `grades` (democratic rating, 民主测评): each form grades each ratee on a declared scale
  (优秀/称职/基本称职/不称职), one contest per dimension where a form has several (德能勤绩廉).

Sources (see ../shared/DOMAIN.md, "Rules worth encoding"):
- 中国共产党基层组织选举工作暂行条例 (1990) arts. 19-21; 选举法 (the counting article); 村委会组织法
  (2010) art. 16 (recall): returned > issued voids the vote; a section naming more for-votes
  than there are seats is invalid for that contest, the rest of the ballot stays valid; an
  unreadable part of a ballot is void, the rest counts (here: a candidate marked twice with
  different values is void for that candidate); winners need more than a fraction of a stated
  base; more winners over it than seats: taken in vote order; a tie for a seat goes to a re-vote
  among the tied; fewer winners than seats: another election (另行选举) for the shortfall among
  the runners-up in vote order, at least 2 candidates for a single seat.
- 民法典 art. 1259: "以上" includes the number itself, "超过" excludes it (`strict`).

Constituencies (teachers, students, parents, residents; rater categories) each have a published
weight, the weights summing to 1. A candidate's share is sum(weight x for-votes / base) over the
constituencies, base being those present, registered or the ballots cast there; with a single
constituency (weight 1) the share is for-votes / base, so "more than half of the base" is the
same test either way. All arithmetic is exact (`Fraction`); reports print decimal strings.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from civic.errors import CivicError
from civic.i18n import _
from civic.voting import INVALID_REASONS, Invalid, Mark, Threshold, Unresolved, least

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
VALUES = (FOR, AGAINST, ABSTAIN)
NAMES, VALUED, GRADES = "names", "values", "grades"  # the kinds of contest
CONTEST_KINDS = (NAMES, VALUED, GRADES)
FIRST, NEXT, RUNOFF, REVOTE, RECALL = "first", "next", "runoff", "revote", "recall"
ROUND_KINDS = (FIRST, NEXT, RUNOFF, REVOTE, RECALL)
ONLY = ""  # the code of a round's one constituency when it declares none
# 《党政领导干部考核工作条例》/《公务员考核规定》 (2007 and 2020 editions): the four grades.
ANNUAL_GRADES = ("优秀", "称职", "基本称职", "不称职")


def decimal_text(value: Fraction, places: int = 4) -> str:
    """A fraction as a decimal string for a report, rounded half up at `places`."""
    return ratio_text(value.numerator, value.denominator, places)


def ratio_text(num: int, den: int, places: int = 4) -> str:
    """`decimal_text` of num / den (den > 0) without making the Fraction: a batch prints
    hundreds of shares kept as integer numerators (civic.contests.count_tallied)."""
    unit = 10 ** places
    if den * unit >= _DECIMAL_EXACT:  # the Decimal path below: in lowest terms, as a Fraction
        common = math.gcd(num, den)
        num, den = num // common, den // common
    if 0 <= num <= den and den * unit < _DECIMAL_EXACT:
        # A share (0 to 1) in integers, as the Decimal path below prints it: that path first
        # rounds the quotient to 28 digits, which can move it across a half-unit only when
        # den x 10^places reaches 10^27 (a nonzero distance to a half-unit is at least
        # 1 / (2 x 10^places x den)). tests/test_tally.py holds the two paths together.
        whole, rest = divmod(num * unit, den)
        if 2 * rest >= den:
            whole += 1
        if not places:
            return str(whole)
        units, part = divmod(whole, unit)
        return f"{units}.{part:0{places}d}"
    exact = Decimal(num) / Decimal(den)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


_DECIMAL_EXACT = 10 ** 27  # Decimal's default 28 digits, less one for the rounding's margin


@dataclass(frozen=True)
class Contest:
    """A post or committee voted on: seats and the ordered candidate list (ratees for grades)."""

    code: str
    seats: int = 1
    candidates: tuple[str, ...] = ()
    kind: str = VALUED
    scale: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        object.__setattr__(self, "scale", tuple(self.scale))
        if self.kind not in CONTEST_KINDS:
            raise ValueError(f"contest kind must be one of {CONTEST_KINDS}")
        if self.seats < 1:
            raise ValueError("a contest has at least one seat")
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("a candidate is listed twice")
        if self.kind == GRADES and (not self.scale or len(set(self.scale)) != len(self.scale)):
            raise ValueError("a graded contest needs a scale of distinct grades")


@dataclass(frozen=True)
class Constituency:
    """Electors of one kind, with the published weight of their votes and their figures."""

    code: str = ONLY
    registered: int = 0
    weight: Fraction = Fraction(1)
    present: int = 0
    issued: int = 0
    returned: int = 0

    def __post_init__(self) -> None:
        if type(self.weight) is not Fraction:  # a batch passes its parsed weights as they are
            object.__setattr__(self, "weight", Fraction(self.weight))
        if min(self.registered, self.present, self.issued, self.returned) < 0:
            raise CivicError(_("Elector and ballot numbers cannot be negative."))
        if not 0 <= self.weight.numerator <= self.weight.denominator:  # 0 to 1, in integers
            raise CivicError(_("A constituency's weight is a fraction from 0 to 1."))

    def base(self, name: str) -> int:
        if name == "present":
            return self.present
        return self.registered if name == "registered" else self.returned


def check_weights(constituencies: Sequence[Constituency]) -> None:
    """The published weights must add up to exactly 1."""
    total = sum((c.weight for c in constituencies), Fraction(0))
    if constituencies and total != 1:
        raise CivicError(_("The constituencies' weights add up to {total}, not 1.").format(
            total=total))


# --- what a ballot says ----------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """One ballot's part for one contest.

    `marks`: (candidate, value) as marked, a value of VALUES or a grade of the contest's scale;
    a listed candidate left unmarked is an abstention (values) or ungraded (grades).
    `write_ins`: the names written in the spaces for other people, resolved (values only).
    """

    marks: Sequence[tuple[str, str]] = ()
    write_ins: Sequence[Mark] = ()


@dataclass(frozen=True)
class ValueBallot:
    """A ballot as counted: its constituency and a section per contest (absent: blank)."""

    constituency: str = ONLY
    sections: Mapping[str, Section] = field(default_factory=dict)


class Votes(NamedTuple):
    for_: int = 0
    against: int = 0
    abstain: int = 0
    void: int = 0  # marked twice with different values on one ballot: that part is void


@dataclass(frozen=True)
class ContestTally:
    """One contest's totals in one constituency, from ballots or from a tally file.

    Every ballot cast there is one section: `invalid` (over-voted) or valid; each listed
    candidate's for + against + abstain + void equals the valid sections.
    """

    contest: str
    constituency: str
    ballots: int
    invalid: int
    candidates: Mapping[str, Votes]
    write_ins: Mapping[str, int] = field(default_factory=dict)  # person -> for-votes written
    unresolved: int = 0  # written names waiting for adjudication (on valid sections)
    invalid_write_ins: Mapping[str, int] = field(default_factory=dict)  # by reason

    @property
    def valid(self) -> int:
        return self.ballots - self.invalid

    def for_votes(self, candidate: str) -> int:
        listed = self.candidates.get(candidate)
        return (listed.for_ if listed else 0) + self.write_ins.get(candidate, 0)


def tally_values(contest: Contest, sections: Iterable[Section],
                 constituency: str = ONLY) -> ContestTally:
    """Count one contest's sections of the ballots cast in one constituency.

    A section with more for-votes (listed for-marks and distinct written names, resolved or
    not: the elector did write them) than seats is invalid for this contest (over-vote).
    """
    return tally_counted(contest, ((section, 1) for section in sections), constituency)


def tally_counted(contest: Contest, sections: Iterable[tuple[Section, int]],
                  constituency: str = ONLY) -> ContestTally:
    """`tally_values` of sections given with how many ballots carry each: a batch's
    600,000 ballots are a few thousand kinds of ballot (civic.contests.count_many), counted
    by the same rules once per kind."""
    listed = contest.candidates
    known = frozenset(listed)
    counts = {c: [0, 0, 0, 0] for c in listed}
    slot = {FOR: 0, AGAINST: 1, ABSTAIN: 2}
    written: Counter[str] = Counter()
    others: Counter[Mark] = Counter()
    ballots = invalid = 0
    for section, n in sections:
        ballots += n
        given: dict[str, set[str]] = {}
        for candidate, value in section.marks:
            if candidate not in known:
                raise ValueError(f"{candidate!r} is not a candidate of {contest.code}")
            if value not in slot:
                raise ValueError(f"{value!r} is not for, against or abstain")
            given.setdefault(candidate, set()).add(value)
        names = set(section.write_ins)
        fors = sum(1 for values in given.values() if values == {FOR}) + len(names)
        if fors > contest.seats:
            invalid += n
            continue
        for candidate in listed:
            values = given.get(candidate)
            counts[candidate][3 if values and len(values) > 1 else
                              slot[next(iter(values))] if values else 2] += n
        for mark in names:
            if type(mark) is str:
                written[mark] += n
            else:
                others[mark] += n
    unresolved = 0
    bad = dict.fromkeys(INVALID_REASONS[1:], 0)
    for mark, n in others.items():
        if isinstance(mark, Unresolved):
            unresolved += n
        elif isinstance(mark, Invalid):
            bad[mark.reason] += n
    return ContestTally(contest.code, constituency, ballots, invalid,
                        {c: Votes(*v) for c, v in counts.items()}, dict(written), unresolved,
                        bad)


def figure_problems(registered: int, present: int, issued: int,
                    returned: int) -> list[tuple[str, str]]:
    """Why a constituency's figures on a count sheet cannot be true, as (field, reason); empty
    when they can. Ballots are issued to the electors present, so issued > present is the
    sheet's error, as present > registered is. Returned > issued is no error of the sheet: it
    says what happened, and it voids the round (`round_void`: 重选). Sources: 选举法's
    counting article (所投的票数多于投票人数的无效); 党内 暂行条例 (1990) arts. 19-21."""
    out: list[tuple[str, str]] = []
    for name, value in (("present", present), ("issued", issued), ("returned", returned)):
        if value < 0:
            out.append((name, _("Elector and ballot numbers cannot be negative.")))
    if out:
        return out
    if present > registered:
        out.append(("present", _("{present} electors present, more than the {registered}"
                                 " registered.").format(present=present,
                                                        registered=registered)))
    if issued > present:
        out.append(("issued", _("{issued} ballots issued but {present} electors present: a"
                                " ballot is issued only to an elector present.").format(
                                    issued=issued, present=present)))
    return out


def tally_problems(contest: Contest, tally: ContestTally,
                   figures: Constituency | None = None,
                   name: Callable[[str], str] | None = None
                   ) -> list[tuple[str | None, str]]:
    """Why totals reported on paper do not add up, as (candidate or None, reason); empty when
    they do: for + against + abstain = the valid ballots; no negatives; with `figures`, the
    constituency's `figure_problems`. `name` words a candidate for the reader (its name and
    code, as `civic.subjects` words a person); the code alone without it."""
    who = name or str
    out: list[tuple[str | None, str]] = []
    if tally.invalid < 0 or tally.invalid > tally.ballots:
        out.append((None, _("{contest}: invalid ballots must be from 0 to the {returned}"
                            " returned.").format(contest=contest.code, returned=tally.ballots)))
    if figures is not None:
        out += [(None, reason) for _field, reason in figure_problems(
            figures.registered, figures.present, figures.issued, figures.returned)]
    for candidate in contest.candidates:
        votes = tally.candidates.get(candidate)
        if votes is None:
            out.append((None, _("{contest}: no totals for candidate {candidate}.").format(
                contest=contest.code, candidate=who(candidate))))
        elif min(votes) < 0:
            out.append((candidate, _("{contest}: negative totals for {candidate}.").format(
                contest=contest.code, candidate=who(candidate))))
        elif sum(votes) != tally.valid:
            out.append((candidate, _(
                "{contest}: for + against + abstain for {candidate} is {sum}, but {valid}"
                " ballots are valid.").format(contest=contest.code, candidate=who(candidate),
                                              sum=sum(votes), valid=tally.valid)))
    for person, n in tally.write_ins.items():
        if n < 0:
            out.append((person, _("{contest}: negative totals for {candidate}.").format(
                contest=contest.code, candidate=who(person))))
    return out


def naming(names: Mapping[str, str]) -> Callable[[str], str]:
    """A candidate worded for a message: "name (code)", as `civic.subjects` words a person;
    the code alone when no name is known."""
    def word(code: str) -> str:
        found = names.get(code)
        return f"{found} ({code})" if found and found != code else code
    return word


# --- deciding a contest ----------------------------------------------------------------------

@dataclass(frozen=True)
class Quorum:
    """Those present (or those who voted) as a fraction of the registered, summed over the
    constituencies: "超过4/5" of party members present is `Quorum("present", 4/5, True)`; a direct
    election's "more than half of the electorate voting" is `Quorum("returned", 1/2, True)`."""

    of: str = "present"
    fraction: Fraction = Fraction(1, 2)
    strict: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "fraction", Fraction(self.fraction))
        if self.of not in ("present", "returned"):
            raise ValueError("a quorum counts those present or those who voted")

    def met(self, part: int, registered: int) -> bool:
        # part > fraction x registered, cross-multiplied: exact, and no Fraction per round
        have = part * self.fraction.denominator
        bar = self.fraction.numerator * registered
        return have > bar if self.strict else have >= bar


@dataclass(frozen=True)
class ElectionRules:
    # more than half of the ballots cast (超过半数, 选举法 the counting article)
    threshold: Threshold = Threshold("returned")
    quorum: Quorum = Quorum()
    runoff_extra: int = 1  # runoff candidates beyond the open seats: 2 for a single seat

    def __post_init__(self) -> None:
        if self.runoff_extra < 1:
            raise ValueError("a runoff has more candidates than seats")


class Standing(NamedTuple):
    candidate: str
    for_votes: int
    against: int
    abstain: int
    share: Fraction
    rank: int
    qualified: bool
    elected: bool


@dataclass(frozen=True)
class ContestResult:
    contest: Contest
    tallies: tuple[ContestTally, ...]  # one per constituency, in declaration order
    standings: tuple[Standing, ...]  # by share, then for-votes, then candidate code
    elected: tuple[str, ...]
    tied: tuple[str, ...]  # qualified and tied for the last seats: a re-vote among them
    tied_seats: int  # the seats the tie decides
    shortfall: int  # seats no qualified candidate takes: another election (另行选举)
    runoff_slate: tuple[str, ...]  # its candidates, runners-up in vote order

    @property
    def ballots(self) -> int:
        return sum(t.ballots for t in self.tallies)

    @property
    def invalid(self) -> int:
        return sum(t.invalid for t in self.tallies)

    @property
    def unresolved(self) -> int:
        return sum(t.unresolved for t in self.tallies)


def met(threshold: Threshold, share: Fraction) -> bool:
    """A share over the threshold: more than (strict) or at least its fraction."""
    return share > threshold.fraction if threshold.strict else share >= threshold.fraction


def shares(tallies: Sequence[ContestTally], constituencies: Mapping[str, Constituency],
           base: str) -> dict[str, Fraction]:
    """Each candidate's weighted share: sum(weight x for-votes / base) per constituency."""
    sums, den = share_numerators(tallies, constituencies, base)
    return {person: Fraction(num, den) for person, num in sums.items()}


def share_numerators(tallies: Sequence[ContestTally],
                     constituencies: Mapping[str, Constituency],
                     base: str) -> tuple[dict[str, int], int]:
    """The weighted shares as integer numerators over one common denominator (the least
    common multiple of weight denominator x base per constituency): exact, so the shares of
    one contest compare as integers, and a threshold by cross-multiplying. A batch of hundreds
    of elections spends its count here (bench/election.py): no Fraction until a share is
    reported."""
    sums, den, _totals = _sums(tallies, constituencies, base)
    return sums, den


def _sums(tallies: Sequence[ContestTally], constituencies: Mapping[str, Constituency],
          base: str) -> tuple[dict[str, int], int, dict[str, list[int]]]:
    """`share_numerators` and, in the same pass, each person's for / against / abstain
    summed over the constituencies (write-ins with their for-votes)."""
    parts = []
    den = 1
    returned = base == "returned"
    for tally in tallies:
        where = constituencies[tally.constituency]
        published = where.weight
        scale = published.denominator * (tally.ballots if returned else where.base(base))
        if scale:
            den = math.lcm(den, scale)
        parts.append((tally, published.numerator, scale))
    sums: dict[str, int] = {}
    totals: dict[str, list[int]] = {}
    for tally, weight, scale in parts:
        # nobody to divide by (scale 0): the constituency adds no share, still names its people
        factor = weight * (den // scale) if scale else 0
        for person, (f, a, ab, _void) in tally.candidates.items():
            sums[person] = sums.get(person, 0) + factor * f
            row = totals.get(person)
            if row is None:
                totals[person] = [f, a, ab]
            else:
                row[0] += f
                row[1] += a
                row[2] += ab
        for person, n in tally.write_ins.items():
            sums[person] = sums.get(person, 0) + factor * n
            row = totals.get(person)
            if row is None:
                totals[person] = [n, 0, 0]
            else:
                row[0] += n
    return sums, den, totals


def decide(contest: Contest, tallies: Sequence[ContestTally],
           constituencies: Sequence[Constituency], rules: ElectionRules) -> ContestResult:
    """Who is elected, who is tied for a seat, the shortfall and the runoff slate."""
    by_code = {c.code: c for c in constituencies}
    # Shares as integers over one denominator: every comparison below is exact (ties
    # included) and a Fraction is made only for each standing's reported share.
    share, den, total = _sums(tallies, by_code, rules.threshold.base)
    for listed in contest.candidates:
        if listed not in share:
            share[listed] = 0
            total[listed] = [0, 0, 0]
    order, ranks, qualifies, elected, tied, tied_seats, shortfall, slate = seating(
        contest, share, den, total, rules)
    won = frozenset(elected)
    standings = tuple(
        Standing(p, total[p][0], total[p][1], total[p][2], Fraction(share[p], den), ranks[p],
                 qualifies[p], p in won)
        for p in order)
    return ContestResult(contest, tuple(tallies), standings, tuple(elected), tuple(sorted(tied)),
                         tied_seats, shortfall, tuple(slate))


def seating(contest: Contest, share: Mapping[str, int], den: int,
            total: Mapping[str, Sequence[int]], rules: ElectionRules
            ) -> tuple[list[str], dict[str, int], dict[str, bool], list[str], list[str], int,
                       int, list[str]]:
    """`decide` once the shares are summed: every person's share as an integer numerator over
    `den` and their totals (for-votes first), listed candidates included. Gives the order (by
    share, then for-votes, then code), ranks, who qualifies, the elected, those tied for the
    last seats, the seats the tie decides, the shortfall and the runoff slate, as plain data
    (a batch decides hundreds of contests with it: civic.contests.count_tallied)."""
    order = sorted(share, key=lambda p: (-share[p], -total[p][0], p))
    ranks: dict[str, int] = {}
    for i, person in enumerate(order):
        before = order[i - 1] if i else None
        same = before is not None and share[before] == share[person]
        ranks[person] = ranks[before] if same else i + 1  # type: ignore[index]
    bar = rules.threshold.fraction
    over = bar.numerator * den  # share > bar  <=>  numerator x bar's denominator > over
    if rules.threshold.strict:
        qualifies = {p: n * bar.denominator > over for p, n in share.items()}
    else:
        qualifies = {p: n * bar.denominator >= over for p, n in share.items()}
    qualified = [p for p in order if qualifies[p]]
    seats = contest.seats
    elected: list[str] = []
    tied: list[str] = []
    if len(qualified) <= seats:
        elected = qualified
    else:
        edge = share[qualified[seats - 1]]
        if share[qualified[seats]] != edge:
            elected = qualified[:seats]
        else:
            elected = [p for p in qualified if share[p] > edge]
            tied = [p for p in qualified if share[p] == edge]
    tied_seats = seats - len(elected) if tied else 0
    shortfall = seats - len(elected) - tied_seats
    slate: list[str] = []
    if shortfall:
        rest = [p for p in order if p not in elected and p not in tied
                and (p in contest.candidates or total[p][0] > 0)]
        want = shortfall + rules.runoff_extra
        if len(rest) > want:
            edge = share[rest[want - 1]]
            slate = [p for p in rest if share[p] >= edge]  # a tie at the edge: all of them
        else:
            slate = rest
    return order, ranks, qualifies, elected, tied, tied_seats, shortfall, slate


# --- grades ----------------------------------------------------------------------------------

# A mechanism's rule on a whole form's section for one graded contest (e.g. every ratee graded
# alike, more top grades than the form allows): why it is void, or None when it is valid. Core's
# count asks the round's mechanism for it (hook `ballot_form_validity`).
FormValidity = Callable[[Contest, Section], "str | None"]


@dataclass(frozen=True)
class GradeTally:
    """One graded contest in one constituency (rater category): per ratee, forms per grade.

    A ratee graded twice differently on one form is void on that form; left ungraded, blank. A
    form's whole section that the mechanism's validity rule voids grades nobody and is counted
    in `invalid` by its reason. For each ratee, the grades + void + blank + the invalid forms
    equal the forms."""

    contest: str
    constituency: str
    forms: int
    grades: Mapping[str, Mapping[str, int]]  # ratee -> grade -> forms
    void: Mapping[str, int]
    blank: Mapping[str, int]
    invalid: Mapping[str, int] = field(default_factory=dict)  # reason -> forms voided whole

    @property
    def voided(self) -> int:
        return sum(self.invalid.values())


def tally_grades(contest: Contest, sections: Iterable[Section],
                 constituency: str = ONLY, validity: FormValidity | None = None) -> GradeTally:
    """Count one graded contest's sections of the forms cast in one constituency; `validity`
    (the mechanism's form rule) voids whole sections, which still count as forms."""
    ratees = contest.candidates
    on_form = frozenset((r, g) for r in ratees for g in contest.scale)
    given: Counter[tuple[str, str]] = Counter()  # (ratee, grade) -> forms, one grade each
    void = dict.fromkeys(ratees, 0)
    invalid: Counter[str] = Counter()
    forms = valid = 0
    for section in sections:
        forms += 1
        marks = section.marks
        if not on_form.issuperset(marks):
            ratee, grade = next(m for m in marks if m not in on_form)
            raise ValueError(f"{ratee!r} graded {grade!r} is not on the form")
        reason = validity(contest, section) if validity is not None else None
        if reason:
            invalid[reason] += 1
            continue
        valid += 1
        graded = {r for r, _g in marks}
        if len(graded) == len(marks):  # each ratee graded once: counted in C, a form at a time
            given.update(marks)
            continue
        by: dict[str, set[str]] = {}
        for ratee, grade in marks:
            by.setdefault(ratee, set()).add(grade)
        for ratee, got in by.items():
            if len(got) > 1:
                void[ratee] += 1
            else:
                given[(ratee, next(iter(got)))] += 1
    grades = {r: {g: given[(r, g)] for g in contest.scale} for r in ratees}
    # Blank: the valid forms that neither graded the ratee nor graded it twice over.
    blank = {r: valid - sum(grades[r].values()) - void[r] for r in ratees}
    return GradeTally(contest.code, constituency, forms, grades, void, blank, dict(invalid))


class GradeStanding(NamedTuple):
    ratee: str
    counts: Mapping[str, int]  # grade -> forms, over every constituency
    shares: Mapping[str, Fraction]  # grade -> sum(weight x forms with it / forms there)
    void: int
    blank: int
    invalid: int = 0  # forms whose section the mechanism's validity rule voided


def grade_results(contest: Contest, tallies: Sequence[GradeTally],
                  constituencies: Sequence[Constituency]) -> tuple[GradeStanding, ...]:
    """Grades per ratee, counted and weighted by rater category, in candidate-list order."""
    weight = {c.code: c.weight for c in constituencies}
    out = []
    for ratee in contest.candidates:
        counts = dict.fromkeys(contest.scale, 0)
        share = dict.fromkeys(contest.scale, Fraction(0))
        void = blank = invalid = 0
        for tally in tallies:
            for grade, n in tally.grades[ratee].items():
                counts[grade] += n
                if tally.forms:
                    share[grade] += weight[tally.constituency] * Fraction(n, tally.forms)
            void += tally.void[ratee]
            blank += tally.blank[ratee]
            invalid += tally.voided
        out.append(GradeStanding(ratee, counts, share, void, blank, invalid))
    return tuple(out)


# --- the round -------------------------------------------------------------------------------

RETURNED_EXCEEDS_ISSUED = "returned_exceeds_issued"


def round_void(constituencies: Sequence[Constituency]) -> bool:
    """More ballots returned than issued, in any constituency, voids the round: re-run it."""
    return any(c.returned > c.issued for c in constituencies)


def check_quorum(constituencies: Sequence[Constituency], quorum: Quorum) -> None:
    """Refuse counting below quorum (CivicError), summed over the constituencies."""
    registered = sum(c.registered for c in constituencies)
    part = sum(c.base(quorum.of) for c in constituencies)
    if quorum.met(part, registered):
        return
    needed = least(quorum.fraction, registered, quorum.strict)
    if quorum.of == "present":
        text = _("Quorum not met: {part} of {registered} registered electors present, {needed}"
                 " needed. Counting refused.")
    else:
        text = _("Quorum not met: {part} of {registered} registered electors voted, {needed}"
                 " needed. Counting refused.")
    raise CivicError(text.format(part=part, registered=registered, needed=needed))
