"""civic.tally: value and graded contests counted by hand-computed tables, and its properties.

Sources of the rules (see civic.tally's docstring): 中国共产党基层组织选举工作暂行条例 (1990)
arts. 19-21; 选举法 (the counting article); 村委会组织法 (2010) art. 16; 民法典 art. 1259.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.tally import (
    ABSTAIN,
    AGAINST,
    ANNUAL_GRADES,
    FOR,
    GRADES,
    Constituency,
    Contest,
    ContestTally,
    ElectionRules,
    Quorum,
    Section,
    Threshold,
    Votes,
    check_quorum,
    check_weights,
    decide,
    decimal_text,
    grade_results,
    round_void,
    shares,
    tally_grades,
    tally_problems,
    tally_values,
)
from civic.voting import Invalid, Unresolved

ONE = Constituency("", registered=100, present=90, issued=80, returned=80)


def sec(*marks, w=()):
    return Section(tuple(marks), tuple(w))


# --- quorum ------------------------------------------------------------------------------------
@pytest.mark.parametrize("quorum,registered,part,met", [
    # 超过4/5 (party members' meetings, 暂行条例): 80 of 100 is not more than 4/5, 81 is.
    (Quorum("present", F(4, 5), True), 100, 80, False),
    (Quorum("present", F(4, 5), True), 100, 81, True),
    # 4/5 以上 includes the edge (民法典 art. 1259).
    (Quorum("present", F(4, 5), False), 100, 80, True),
    # 超过半数 of the electorate voting (direct elections; 村委会组织法 art. 16 for a recall).
    (Quorum("returned", F(1, 2), True), 100, 50, False),
    (Quorum("returned", F(1, 2), True), 100, 51, True),
    (Quorum("returned", F(1, 2), True), 101, 51, True),  # 51 > 50.5
    (Quorum("present", F(1, 2), False), 101, 50, False),  # 50 < 50.5
])
def test_quorum_edges(quorum, registered, part, met):
    figures = Constituency("", registered, F(1), present=part, issued=part, returned=part)
    if met:
        check_quorum([figures], quorum)
    else:
        with pytest.raises(CivicError, match="Quorum not met"):
            check_quorum([figures], quorum)


def test_quorum_sums_the_constituencies():
    # 40 of 50 and 41 of 50: 81 of 100 present, more than 4/5 of the total.
    wards = [Constituency("a", 50, F(1, 2), 40, 40, 40), Constituency("b", 50, F(1, 2), 41, 41, 41)]
    check_quorum(wards, Quorum("present", F(4, 5), True))


# --- thresholds ----------------------------------------------------------------------------------
@pytest.mark.parametrize("threshold,votes,elected", [
    # ONE: 100 registered, 90 present, 80 ballots cast. Hand-computed bars:
    (Threshold("returned", F(1, 2), True), 41, True),  # 41 > 40
    (Threshold("returned", F(1, 2), True), 40, False),  # exactly half is not 超过半数
    (Threshold("returned", F(1, 2), False), 40, True),  # 半数以上 includes it
    (Threshold("present", F(1, 2), True), 45, False),  # 45 = 90/2
    (Threshold("present", F(1, 2), True), 46, True),
    (Threshold("registered", F(1, 2), True), 50, False),
    (Threshold("registered", F(1, 2), True), 51, True),
    (Threshold("present", F(2, 3), False), 60, True),  # 2/3 以上 of 90 present
    (Threshold("present", F(2, 3), False), 59, False),
])
def test_threshold_bases(threshold, votes, elected):
    contest = Contest("C", 1, ("A",))
    tally = ContestTally("C", "", 80, 0, {"A": Votes(votes, 80 - votes, 0)})
    result = decide(contest, [tally], [ONE], ElectionRules(threshold=threshold))
    assert result.elected == (("A",) if elected else ())
    assert result.shortfall == (0 if elected else 1)


# --- sections: over-votes, write-ins, blanks, unclear marks ------------------------------------
def test_over_vote_voids_only_that_contest_section():
    # Two seats: three for-votes void the section (暂行条例 art. 20); as many as seats is valid.
    contest = Contest("C", 2, ("A", "B", "D"))
    tally = tally_values(contest, [
        sec(("A", FOR), ("B", FOR), ("D", FOR)),  # over-voted
        sec(("A", FOR), ("B", FOR), ("D", AGAINST)),
        sec(("A", FOR), w=["X"]),  # a write-in is a for-vote: two, valid
        sec(("A", FOR), ("B", FOR), w=["X"]),  # three for-votes with the write-in: over-voted
        sec(),  # blank: abstains on everyone
    ])
    assert (tally.ballots, tally.invalid, tally.valid) == (5, 2, 3)
    assert tally.candidates == {"A": Votes(2, 0, 1), "B": Votes(1, 0, 2),
                                "D": Votes(0, 1, 2)}
    assert tally.write_ins == {"X": 1}


def test_write_in_after_an_against():
    # 另选他人: against A, and X written in the space: A one against, X one for.
    contest = Contest("C", 1, ("A",))
    tally = tally_values(contest, [sec(("A", AGAINST), w=["X"]), sec(("A", FOR))])
    assert tally.candidates["A"] == Votes(1, 1, 0)
    assert tally.for_votes("X") == 1 and tally.for_votes("A") == 1


def test_unresolved_and_invalid_write_ins():
    contest = Contest("C", 1, ("A",))
    tally = tally_values(contest, [sec(w=[Unresolved("王伟")]),
                                   sec(w=[Invalid("unknown_name", "无名")]),
                                   sec(w=["X", "X"])])  # the same name twice: one vote
    assert tally.unresolved == 1
    assert tally.invalid_write_ins["unknown_name"] == 1
    assert tally.write_ins == {"X": 1}


def test_a_candidate_marked_twice_differently_is_void_for_that_candidate():
    # An unreadable part is void, the rest counts (DOMAIN.md "Ballots").
    contest = Contest("C", 2, ("A", "B"))
    tally = tally_values(contest, [sec(("A", FOR), ("A", AGAINST), ("B", FOR))])
    assert tally.candidates == {"A": Votes(0, 0, 0, 1), "B": Votes(1, 0, 0, 0)}
    assert tally.invalid == 0


# --- deciding: vote order, ties, shortfall, runoff slate ---------------------------------------
def standing(contest, votes, ballots=80):
    tally = ContestTally(contest.code, "", ballots, 0,
                         {c: Votes(v, ballots - v, 0) for c, v in votes.items()})
    return decide(contest, [tally], [ONE], ElectionRules())


@pytest.mark.parametrize("seats,votes,elected,tied,tied_seats,shortfall,slate", [
    # 80 ballots cast; more than half is 41. Hand-worked:
    # three over the threshold for two seats: the first two in vote order.
    (2, {"A": 60, "B": 50, "D": 45, "E": 10}, ("A", "B"), (), 0, 0, ()),
    # a tie for the last seat: A elected, B and D to a re-vote for one seat (art. 21).
    (2, {"A": 60, "B": 50, "D": 50, "E": 10}, ("A",), ("B", "D"), 1, 0, ()),
    # nobody over it for one seat: 另行选举 among the top two runners-up.
    (1, {"A": 40, "B": 30, "D": 20}, (), (), 0, 1, ("A", "B")),
    # one of two seats filled: the shortfall of one among the next two.
    (2, {"A": 60, "B": 40, "D": 30, "E": 5}, ("A",), (), 0, 1, ("B", "D")),
    # a tie at the slate's edge takes both.
    (1, {"A": 40, "B": 30, "D": 30, "E": 5}, (), (), 0, 1, ("A", "B", "D")),
    # fewer candidates than the slate wants: all of them.
    (2, {"A": 10}, (), (), 0, 2, ("A",)),
])
def test_elected_ties_shortfall_runoff(seats, votes, elected, tied, tied_seats, shortfall,
                                       slate):
    contest = Contest("C", seats, tuple(votes))
    result = standing(contest, votes)
    assert (result.elected, result.tied, result.tied_seats, result.shortfall,
            result.runoff_slate) == (elected, tied, tied_seats, shortfall, slate)
    assert [s.rank for s in result.standings] == sorted(s.rank for s in result.standings)


def test_a_written_in_person_can_be_elected():
    contest = Contest("C", 1, ("A",))
    tally = tally_values(contest, [sec(("A", AGAINST), w=["X"])] * 3 + [sec(("A", FOR))])
    result = decide(contest, [tally], [Constituency("", 4, F(1), 4, 4, 4)], ElectionRules())
    assert result.elected == ("X",)
    assert result.standings[0][:4] == ("X", 3, 0, 0)


# --- constituencies and weights ----------------------------------------------------------------
WARDS = [  # a principal elected by teachers, students, parents and residents
    Constituency("teachers", 60, F(1, 2), 55, 50, 50),
    Constituency("students", 200, F(1, 5), 160, 150, 150),
    Constituency("parents", 300, F(1, 5), 220, 200, 200),
    Constituency("residents", 100, F(1, 10), 45, 40, 40),
]


def test_weighted_shares():
    # share = sum(weight x for / ballots cast there), worked by hand:
    # A: 1/2*30/50 + 1/5*90/150 + 1/5*80/200 + 1/10*30/40 = .3 + .12 + .08 + .075 = .575
    # B: 1/2*20/50 + 1/5*60/150 + 1/5*120/200 + 1/10*10/40 = .2 + .08 + .12 + .025 = .425
    contest = Contest("principal", 1, ("A", "B"))
    for_a = {"teachers": 30, "students": 90, "parents": 80, "residents": 30}
    tallies = [ContestTally("principal", w.code, w.returned, 0,
                            {"A": Votes(for_a[w.code], 0, w.returned - for_a[w.code]),
                             "B": Votes(w.returned - for_a[w.code], 0, for_a[w.code])})
               for w in WARDS]
    got = shares(tallies, {w.code: w for w in WARDS}, "returned")
    assert got == {"A": F(23, 40), "B": F(17, 40)}
    assert decimal_text(got["A"]) == "0.5750"
    result = decide(contest, tallies, WARDS, ElectionRules())
    assert result.elected == ("A",)
    assert [s.for_votes for s in result.standings] == [230, 210]


def test_weights_must_add_up_to_one():
    check_weights(WARDS)
    with pytest.raises(CivicError, match="add up to 9/10"):
        check_weights(WARDS[:3] + [Constituency("residents", 100, F(0))])


def test_returned_over_issued_voids_the_round():
    assert not round_void(WARDS)
    assert round_void([*WARDS[:3], Constituency("residents", 100, F(1, 10), 45, 40, 41)])


# --- grades ------------------------------------------------------------------------------------
def test_grades_per_ratee_with_rater_weights():
    # Two rater categories weighted 7/10 (officials, 官评) and 3/10 (the public, 民评).
    contest = Contest("overall", 1, ("P1", "P2"), GRADES, ANNUAL_GRADES)
    officials = tally_grades(contest, [
        sec(("P1", "优秀"), ("P2", "称职")),
        sec(("P1", "优秀"), ("P2", "基本称职")),
        sec(("P1", "称职"), ("P1", "优秀")),  # P1 graded twice: void on this form; P2 blank
        sec(("P1", "称职"), ("P2", "称职")),
    ], "officials")
    public = tally_grades(contest, [sec(("P1", "称职"), ("P2", "不称职")),
                                    sec(("P1", "优秀"), ("P2", "称职"))], "public")
    wards = [Constituency("officials", 4, F(7, 10)), Constituency("public", 2, F(3, 10))]
    p1, p2 = grade_results(contest, [officials, public], wards)
    assert p1.counts == {"优秀": 3, "称职": 2, "基本称职": 0, "不称职": 0}
    assert (p1.void, p1.blank, p2.void, p2.blank) == (1, 0, 0, 1)
    # P1 优秀: 7/10 * 2/4 + 3/10 * 1/2 = 7/20 + 3/20 = 1/2
    assert p1.shares["优秀"] == F(1, 2)
    # P2 称职: 7/10 * 2/4 + 3/10 * 1/2 = 1/2; 不称职: 3/10 * 1/2 = 3/20
    assert (p2.shares["称职"], p2.shares["不称职"]) == (F(1, 2), F(3, 20))


# --- tallies reported on paper ------------------------------------------------------------------
def test_tally_problems_name_what_does_not_add_up():
    contest = Contest("C", 1, ("A", "B"))
    good = ContestTally("C", "t", 50, 2, {"A": Votes(30, 10, 8), "B": Votes(18, 20, 10)})
    assert tally_problems(contest, good, Constituency("t", 60, F(1), 55, 50, 50)) == []
    bad = ContestTally("C", "t", 50, 2, {"A": Votes(30, 10, 9)})
    problems = tally_problems(contest, bad, Constituency("t", 60, F(1), 55, 50, 51))
    assert [who for who, _reason in problems] == [None, "A", None]
    assert "51" in problems[0][1]  # returned over issued
    assert "49" in problems[1][1] and "48" in problems[1][1]  # 30+10+9 against 50-2 valid
    assert "B" in problems[2][1]  # no totals for B


# --- properties ----------------------------------------------------------------------------------
CANDIDATES = ("A", "B", "D")
marks = st.lists(st.tuples(st.sampled_from(CANDIDATES), st.sampled_from((FOR, AGAINST, ABSTAIN))),
                 max_size=4)
write_ins = st.lists(st.sampled_from(["X", "Y", Unresolved("u"), Invalid("unknown_name", "z")]),
                     max_size=2)
sections = st.lists(st.builds(Section, marks, write_ins), max_size=30)
PROPS = settings(max_examples=80, deadline=None)


@PROPS
@given(sections, st.integers(1, 3), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_ballot_order(ballots, seats, rng):
    contest = Contest("C", seats, CANDIDATES)
    wards = [Constituency("", 40, F(1), 35, 30, 30)]
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    one = decide(contest, [tally_values(contest, ballots)], wards, ElectionRules())
    two = decide(contest, [tally_values(contest, shuffled)], wards, ElectionRules())
    assert one == two


@PROPS
@given(sections, st.integers(1, 3))
def test_every_ballot_counted_exactly_once_and_tallies_add_up(ballots, seats):
    contest = Contest("C", seats, CANDIDATES)
    tally = tally_values(contest, ballots)
    assert tally.valid + tally.invalid == tally.ballots == len(ballots)
    for candidate in CANDIDATES:
        assert sum(tally.candidates[candidate]) == tally.valid
    # what ballots add up to passes the checks a tally file gets
    figures = Constituency("", len(ballots), F(1), len(ballots), len(ballots), len(ballots))
    assert tally_problems(contest, tally, figures) == []


@PROPS
@given(st.lists(st.lists(st.tuples(st.sampled_from(CANDIDATES), st.sampled_from(ANNUAL_GRADES)),
                         max_size=4), max_size=20))
def test_every_form_counted_once_per_ratee(forms):
    contest = Contest("C", 1, CANDIDATES, GRADES, ANNUAL_GRADES)
    tally = tally_grades(contest, [Section(tuple(f)) for f in forms])
    for ratee in CANDIDATES:
        assert (sum(tally.grades[ratee].values()) + tally.void[ratee] + tally.blank[ratee]
                == len(forms))
