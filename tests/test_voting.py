"""Tests of civic.voting: pure counting rules, table-driven, plus hypothesis properties.

Sources named per table: 暂行条例 = 中国共产党基层组织选举工作暂行条例 (1990) arts. 19-21;
选举法 = its counting article; 民法典 art. 1259 (以上 includes the number, 超过 excludes it);
issue 4 = the nomination issue (`issues show 4`).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.voting import (
    INVALID_REASONS,
    Ballot,
    CountRules,
    Invalid,
    PostCount,
    RoundFigures,
    Threshold,
    Unresolved,
    apply_revote,
    check_round,
    count_from_aggregates,
    count_post,
    count_report,
    count_round,
    least,
)

UNKNOWN = Invalid("unknown_name", "无名氏")
INELIGIBLE = Invalid("not_eligible", "P9")
OFF_SLATE = Invalid("not_on_slate", "P8")
WANG = Unresolved("王伟")


def buckets(pc: PostCount) -> dict[str, int]:
    nonzero = {k: v for k, v in pc.invalid_by_reason.items() if v}
    return {
        "counted": pc.counted,
        "blank": pc.blank,
        "unresolved": pc.unresolved,
        "duplicate": pc.duplicate,
        **nonzero,
    }


# --- validity of one post's section: (allowed, sections, expected buckets) ---------------------
# Over-vote voids the section only: 暂行条例 art. 20, 选举法, DOMAIN.md "one post's section".
# Same person twice counts once: issue 4 step 5. Unresolved counts toward the limit: voting.py.
VALIDITY = [
    ("blank", 1, [[]], {"blank": 1}),
    ("one valid mark", 1, [["A"]], {"counted": 1}),
    ("as many as allowed", 2, [["A", "B"]], {"counted": 2}),
    ("over-vote, every mark", 1, [["A", "B"]], {"over_vote": 2}),
    ("over-vote counts repeats", 1, [["A", "A", "B"]], {"over_vote": 3}),
    ("same person twice", 1, [["A", "A"]], {"counted": 1, "duplicate": 1}),
    ("invalid among valid", 2, [["A", UNKNOWN]], {"counted": 1, "unknown_name": 1}),
    ("not eligible", 1, [[INELIGIBLE]], {"not_eligible": 1}),
    ("not on slate", 1, [[OFF_SLATE]], {"not_on_slate": 1}),
    ("unresolved waits", 2, [["A", WANG]], {"counted": 1, "unresolved": 1}),
    ("unresolved counts toward limit", 1, [["A", WANG]], {"over_vote": 2}),
    ("same write-in twice", 1, [[WANG, WANG]], {"unresolved": 1, "duplicate": 1}),
    ("same unknown twice", 1, [[UNKNOWN, UNKNOWN]], {"unknown_name": 1, "duplicate": 1}),
    ("two unknown names", 1, [[UNKNOWN, Invalid("unknown_name", "某某")]], {"over_vote": 2}),
    ("ballots independent", 1, [["A", "B"], ["A"], []], {"over_vote": 2, "counted": 1, "blank": 1}),
]


@pytest.mark.parametrize(
    "allowed,sections,expected", [c[1:] for c in VALIDITY], ids=[c[0] for c in VALIDITY]
)
def test_validity(allowed, sections, expected):
    pc = count_post(sections, CountRules(places=3, marks_allowed=allowed))
    want = {"counted": 0, "blank": 0, "unresolved": 0, "duplicate": 0, **expected}
    assert buckets(pc) == want
    assert pc.raw_marks == sum(map(len, sections))


def test_over_vote_leaves_other_posts_valid():
    # 暂行条例 art. 20 voids a ballot; DOMAIN.md narrows it to the post's section.
    ballots = [Ballot(1, {"X": ["A", "B"], "Y": ["C"]}), Ballot(2, {"X": ["A"]})]
    counts = count_round(ballots, ["X", "Y"], CountRules(places=1))
    assert counts["X"].invalid_by_reason["over_vote"] == 2
    assert [(r.candidate, r.votes) for r in counts["X"].results] == [("A", 1)]
    assert (counts["Y"].counted, counts["Y"].blank) == (1, 1)  # absent section is a blank


@pytest.mark.parametrize(
    "ballots,message",
    [
        ([Ballot(1, {}), Ballot(1, {})], "Ballot 1 entered twice"),
        ([Ballot(2, {"Z": ["A"]})], "unknown positions: Z"),
    ],
)
def test_count_round_refuses_bad_ballots(ballots, message):
    with pytest.raises(CivicError, match=message):
        count_round(ballots, ["X"], CountRules())


def test_invalid_reason_is_checked():
    with pytest.raises(ValueError):
        Invalid("over_vote")  # decided by counting, never given


# --- quorum: (registered, present, fraction, strict, needed, ok) --------------------------------
# 2/3 以上 is >= (party committee rule, DOMAIN.md); 超过4/5 and 过半数 are > (民法典 art. 1259).
QUORUM = [
    (260, 174, Fraction(2, 3), False, 174, True),  # 173.33 rounds up
    (260, 173, Fraction(2, 3), False, 174, False),
    (9, 6, Fraction(2, 3), False, 6, True),  # exactly 2/3 is enough
    (9, 6, Fraction(2, 3), True, 7, False),  # but not "more than 2/3"
    (10, 8, Fraction(4, 5), True, 9, False),  # 超过4/5 of 10 needs 9
    (10, 9, Fraction(4, 5), True, 9, True),
    (10, 5, Fraction(1, 2), True, 6, False),  # 过半数
    (0, 0, Fraction(2, 3), False, 0, True),
]


@pytest.mark.parametrize("registered,present,fraction,strict,needed,ok", QUORUM)
def test_quorum(registered, present, fraction, strict, needed, ok):
    rules = CountRules(quorum=fraction, quorum_strict=strict)
    assert least(fraction, registered, strict) == needed
    if ok:
        assert check_round(registered, present, present, present, rules).needed == needed
    else:
        with pytest.raises(CivicError) as err:
            check_round(registered, present, present, present, rules)
        assert f"{present} of {registered}" in str(err.value)
        assert f"{needed} needed" in str(err.value)


# --- void round: (issued, returned, void, reasons); 暂行条例 art. 19, 选举法 ---------------------
ROUND = [
    (200, 200, False, ()),
    (200, 190, False, ()),
    (200, 201, True, ("returned_exceeds_issued",)),
    (210, 200, False, ("issued_exceeds_present",)),  # irregular, not void
]


@pytest.mark.parametrize("issued,returned,void,reasons", ROUND)
def test_void_round(issued, returned, void, reasons):
    check = check_round(260, 200, issued, returned, CountRules())
    assert (check.void, check.reasons) == (void, reasons)


def test_present_above_registered_refused():
    with pytest.raises(CivicError, match="200 electors present but only 100"):
        check_round(100, 200, 200, 200, CountRules())


# --- cut-off and ties: (votes, places, policy, advancing, tied) ---------------------------------
# Top N go on; a tie straddling the cut-off goes to a re-vote among the tied (暂行条例 art. 21,
# 选举法) or all go on under 'include' (issue 4 step 5).
CUTS = [
    ({"A": 5, "B": 4, "C": 3}, 2, "revote", "AB", ""),
    ({"A": 5, "B": 4, "C": 4, "D": 1}, 2, "revote", "A", "BC"),
    ({"A": 5, "B": 4, "C": 4, "D": 1}, 2, "include", "ABC", ""),
    ({"A": 5, "B": 5, "C": 1}, 2, "revote", "AB", ""),  # tie inside the places
    ({"A": 5, "B": 4, "C": 3, "D": 3}, 2, "revote", "AB", ""),  # tie below the cut-off
    ({"A": 2, "B": 2, "C": 2}, 1, "revote", "", "ABC"),
    ({"A": 2, "B": 2, "C": 2}, 1, "include", "ABC", ""),
    ({"A": 1}, 3, "revote", "A", ""),  # fewer candidates than places
]


def sections_for(votes: dict[str, int]) -> list[list[str]]:
    return [[c] for c, n in votes.items() for _ in range(n)]


@pytest.mark.parametrize("votes,places,policy,advancing,tied", CUTS)
def test_cut_off(votes, places, policy, advancing, tied):
    pc = count_post(sections_for(votes), CountRules(places=places, tie_policy=policy))
    assert "".join(sorted(pc.advancing)) == advancing
    assert "".join(pc.tie_at_cutoff) == tied


def test_competition_ranks_and_order():
    pc = count_post(sections_for({"D": 1, "C": 3, "B": 3, "A": 5}), CountRules(places=2))
    assert [(r.candidate, r.votes, r.rank) for r in pc.results] == [
        ("A", 5, 1),
        ("B", 3, 2),
        ("C", 3, 2),
        ("D", 1, 4),
    ]


def test_zero_votes_never_advance():
    # A slate member nobody voted for is listed but does not go on (voting.py docstring).
    pc = count_post([["A"]], CountRules(places=2), candidates=["Z", "A"])
    assert [(r.candidate, r.votes, r.advances) for r in pc.results] == [
        ("A", 1, True),
        ("Z", 0, False),
    ]
    assert pc.unfilled == 1


# --- re-vote among the tied (暂行条例 art. 21; 选举法: 就票数相等的候选人再次投票) ----------------
def test_revote_settles_tie():
    pc = count_post(sections_for({"A": 5, "B": 4, "C": 4, "D": 4, "E": 1}), CountRules(places=3))
    assert pc.advancing == ("A",) and pc.tie_at_cutoff == ("B", "C", "D")
    done = apply_revote(pc, {"B": 3, "C": 3, "D": 1})
    assert [(r.candidate, r.votes, r.rank, r.advances) for r in done.results] == [
        ("A", 5, 1, True),
        ("B", 4, 2, True),
        ("C", 4, 2, True),
        ("D", 4, 4, False),
        ("E", 1, 5, False),
    ]
    assert done.tie_at_cutoff == () and done.revotes == ({"B": 3, "C": 3, "D": 1},)


def test_revote_can_tie_again():
    pc = count_post(sections_for({"A": 5, "B": 4, "C": 4, "D": 4}), CountRules(places=2))
    again = apply_revote(pc, {"B": 3, "C": 1})  # D is missing: no re-vote vote
    assert again.advancing == ("A", "B") and again.tie_at_cutoff == ()
    tied = apply_revote(pc, {"B": 2, "C": 2, "D": 2})
    assert tied.advancing == ("A",) and tied.tie_at_cutoff == ("B", "C", "D")
    pc3 = count_post(sections_for({"B": 1, "C": 1, "D": 1}), CountRules(places=1))
    step = apply_revote(pc3, {"B": 1, "C": 1})
    assert step.tie_at_cutoff == ("B", "C") and [r.rank for r in step.results] == [1, 1, 3]
    final = apply_revote(step, {"C": 2, "B": 1})
    assert final.advancing == ("C",) and len(final.revotes) == 2


@pytest.mark.parametrize(
    "votes,message",
    [({"A": 1}, "Not tied at the cut-off"), ({"B": -1}, "negative")],
)
def test_revote_refusals(votes, message):
    pc = count_post(sections_for({"A": 3, "B": 2, "C": 2}), CountRules(places=2))
    with pytest.raises(CivicError, match=message):
        apply_revote(pc, votes)


def test_revote_needs_a_tie():
    pc = count_post([["A"]], CountRules())
    with pytest.raises(CivicError, match="no tie"):
        apply_revote(pc, {})


# --- threshold: (threshold, votes, advancing, unfilled); DOMAIN.md, 选举法 (获得过半数选票) ------
FIG = RoundFigures(registered=120, present=100, issued=100, returned=90)
THRESHOLDS = [
    (Threshold("present"), {"A": 51, "B": 50}, "A", 1),  # more than half of 100
    (Threshold("present", strict=False), {"A": 51, "B": 50}, "AB", 0),  # at least half
    (Threshold("returned"), {"A": 46, "B": 45}, "A", 1),  # more than half of 90
    (Threshold("registered"), {"A": 61, "B": 60}, "A", 1),  # more than half of 120
    (Threshold("present"), {"A": 60, "B": 55, "C": 52}, "AB", 0),  # over it: vote order
]


@pytest.mark.parametrize("threshold,votes,advancing,unfilled", THRESHOLDS)
def test_threshold(threshold, votes, advancing, unfilled):
    rules = CountRules(places=2, threshold=threshold)
    pc = count_post(sections_for(votes), rules, figures=FIG)
    assert "".join(pc.advancing) == advancing
    assert pc.unfilled == unfilled


def test_threshold_needs_figures():
    with pytest.raises(ValueError):
        count_post([["A"]], CountRules(threshold=Threshold()))


# --- the count report, issue 4's JSON shape -----------------------------------------------------
def test_report_shape():
    rules = CountRules(places=1, marks_allowed=1)
    counts = count_round(
        [Ballot(1, {"X": ["A"]}), Ballot(2, {"X": ["A", "B"]}), Ballot(3, {})], ["X"], rules
    )
    figures = RoundFigures(registered=4, present=3, issued=3, returned=3)
    report = count_report(7, 1, figures, counts.values(), {"A": "张三"}, rules)
    assert report == {
        "nomination": 7,
        "round": 1,
        "void": False,
        "electors": {"registered": 4, "present": 3},
        "ballots": {"issued": 3, "returned": 3},
        "positions": [
            {
                "position": "X",
                "marks": {"counted": 1, "blank": 1, "invalid": 2, "unresolved": 0,
                          "duplicate": 0},
                "invalid": dict.fromkeys(INVALID_REASONS, 0) | {"over_vote": 2},
                "results": [
                    {"person": "A", "name": "张三", "votes": 1, "rank": 1, "advances": True}
                ],
                "tie_at_cutoff": [],
            }
        ],
    }
    void = RoundFigures(registered=4, present=3, issued=3, returned=4)
    assert count_report(7, 1, void, counts.values(), str.lower, rules)["positions"] == []
    with pytest.raises(CivicError, match="3 ballots entered for X but only 2 returned"):
        short = RoundFigures(registered=4, present=3, issued=3, returned=2)
        count_report(7, 1, short, counts.values(), str.lower, rules)


# --- hypothesis properties ----------------------------------------------------------------------
marks = st.one_of(
    st.sampled_from("ABCDE"),
    st.builds(Invalid, st.sampled_from(INVALID_REASONS[1:]), st.sampled_from("xy")),
    st.builds(Unresolved, st.sampled_from("uv")),
)
sections = st.lists(st.lists(marks, max_size=4), max_size=30)
# Few single votes for few candidates: ties at the cut-off are common.
tie_prone = st.lists(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=1), max_size=8)
rules_st = st.builds(
    CountRules,
    places=st.integers(1, 4),
    marks_allowed=st.integers(1, 3),
    tie_policy=st.sampled_from(["revote", "include"]),
)


def aggregates(secs, allowed):
    """What the db layer's GROUP BY gives (see the SQL recommended with voting.py)."""
    over = [s for s in secs if len(set(s)) > allowed]
    tallies: Counter = Counter()
    raw: Counter = Counter()
    for s in secs:
        if len(set(s)) <= allowed:
            tallies.update(set(s))
            raw.update(s)
    return {
        "ballots": len(secs),
        "marked": sum(1 for s in secs if s),
        "over_voted_sections": len(over),
        "over_voted_marks": sum(map(len, over)),
        "tallies": [(m, n, raw[m]) for m, n in tallies.items()],
    }


@given(sections, rules_st)
def test_every_mark_in_one_bucket(secs, rules):
    pc = count_post(secs, rules)
    assert pc.raw_marks == sum(map(len, secs))
    assert pc.counted == sum(r.votes for r in pc.results)
    assert pc.blank + pc.marked == pc.ballots == len(secs)


@given(st.lists(st.dictionaries(st.sampled_from("XYZ"), st.lists(marks, max_size=3))), rules_st)
def test_every_ballot_blank_or_marked_per_post(sections_per_ballot, rules):
    ballots = [Ballot(i, s) for i, s in enumerate(sections_per_ballot)]
    for post, pc in count_round(ballots, ["X", "Y", "Z"], rules).items():
        assert pc.blank + pc.marked == len(ballots)
        assert pc.marked == sum(1 for b in ballots if b.sections.get(post))


@given(st.data(), sections, rules_st)
def test_order_does_not_matter(data, secs, rules):
    shuffled = data.draw(st.permutations(secs))
    assert count_post(shuffled, rules) == count_post(secs, rules)


@given(sections, rules_st)
def test_ranks_follow_votes(secs, rules):
    results = count_post(secs, rules).results
    for r in results:
        assert r.rank == 1 + sum(1 for o in results if o.votes > r.votes)


@given(st.one_of(sections, tie_prone), rules_st)
def test_places_advance_unless_tie_straddles(secs, rules):
    pc = count_post(secs, rules)
    n, places = len(pc.advancing), rules.places
    qualified = [r for r in pc.results if r.votes >= pc.needed_votes]
    if pc.tie_at_cutoff:
        assert rules.tie_policy == "revote"
        assert n < places < n + len(pc.tie_at_cutoff)
    elif n > places:  # only an included tie takes more than the places
        assert rules.tie_policy == "include"
        assert qualified[places - 1].votes == qualified[places].votes
    else:
        assert n == min(places, len(qualified))


@given(st.data(), tie_prone, rules_st)
def test_revote_fills_the_open_places(data, secs, rules):
    pc = count_post(secs, rules)
    if not pc.tie_at_cutoff:
        return
    votes = data.draw(st.fixed_dictionaries({c: st.integers(0, 5) for c in pc.tie_at_cutoff}))
    done = apply_revote(pc, votes)
    assert set(pc.advancing) <= set(done.advancing)
    assert set(done.tie_at_cutoff) <= set(pc.tie_at_cutoff)
    if done.tie_at_cutoff:
        assert len(done.advancing) < rules.places
    else:
        assert len(done.advancing) == rules.places


@settings(max_examples=200)
@given(sections, rules_st)
def test_aggregates_agree_with_raw_count(secs, rules):
    agg = count_from_aggregates("X", rules, **aggregates(secs, rules.marks_allowed))
    assert agg == count_post(secs, rules, position="X")
