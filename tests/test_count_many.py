"""civic.contests.count_many: a batch's rounds counted with set-based queries give exactly what
`contests.count` gives round by round (the same rules, civic.tally), errors included."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import contests
from civic.db import migrate, open_db
from civic.errors import CivicError
from civic.office import Office
from civic.pm import make_plugin_manager
from civic.tally import Constituency, Contest, ElectionRules, Quorum, Threshold
from civic.voting import Unresolved

PRINCIPAL = Contest("principal", 1, ("P1", "P2"))
DEPUTY = Contest("deputy", 2, ("D1", "D2", "D3"))
WARDS = (Constituency("teachers", 30, F(3, 5)), Constituency("parents", 30, F(2, 5)))
# a written name: a person (a for-vote for P9), one waiting for adjudication, or P1 again
WRITTEN = {"王五": "P9", "王": Unresolved("王"), "张三": "P1"}
# 选举法 art. 44 style: more than half of the ballots cast; quorum: more than half voting
RULES = ElectionRules(threshold=Threshold("returned", F(1, 2), True),
                      quorum=Quorum("returned", F(1, 2), True))


# any turnout counts: the property is about the tallies, not the quorum
ANY_TURNOUT = ElectionRules(threshold=Threshold("returned", F(1, 2), True),
                            quorum=Quorum("returned", F(0), False))


def resolve(_contest, text):
    return WRITTEN[text]


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])


def new_office(pm):
    db = open_db(":memory:")
    migrate(db, pm)
    return Office(db, pm)


def declare(office, key, wards=WARDS):
    with office.change() as change:
        return contests.declare(change, key, key, (PRINCIPAL, DEPUTY), constituencies=wards)


def figures(office, vround, **by_ward):
    with office.change() as change:
        for code, (present, issued, returned) in by_ward.items():
            contests.record_constituency_figures(change, vround, code, present=present,
                                                 issued=issued, returned=returned)


# A mark: (contest, candidate or None, value or None, written name or None), as keyed.
mark = st.one_of(
    st.tuples(st.just("principal"), st.sampled_from(("P1", "P2")),
              st.sampled_from(("for", "against", "abstain")), st.none()),
    st.tuples(st.just("deputy"), st.sampled_from(("D1", "D2", "D3")),
              st.sampled_from(("for", "against", "abstain")), st.none()),
    st.tuples(st.sampled_from(("principal", "deputy")), st.none(), st.none(),
              st.sampled_from(tuple(WRITTEN))),
)
paper = st.tuples(st.sampled_from(("teachers", "parents")), st.lists(mark, max_size=6))
round_papers = st.lists(paper, max_size=16)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(round_papers, min_size=1, max_size=4))
def test_bulk_count_is_the_count_of_each_round(core_pm, stacks):
    office = new_office(core_pm)
    vrounds = []
    for i, stack in enumerate(stacks):
        vround = declare(office, f"batch:{i}")
        # every ballot returned and entered; marks twice on one candidate (void there),
        # over-votes and written names all come from the strategy
        cast = {w: sum(1 for where, _m in stack if where == w) for w in ("teachers", "parents")}
        figures(office, vround, **{w: (30, 30, n) for w, n in cast.items()})
        with office.change() as change:
            contests.enter_value_ballots(change, vround, [
                (n, where, marks) for n, (where, marks) in enumerate(stack, 1)], resolve)
        vrounds.append(vround)
    bulk = contests.count_many(office.db, vrounds, {r.id: ANY_TURNOUT for r in vrounds})
    for vround in vrounds:
        one = contests.count(office.db, vround, ANY_TURNOUT)
        got = bulk[vround.id]
        assert not isinstance(got, CivicError)  # every figure is in, any turnout counts
        assert got == one
    for vround, stack in zip(vrounds, stacks, strict=True):
        for result in bulk[vround.id].results.values():  # type: ignore[union-attr]
            for tally in result.tallies:  # each ballot counted once per contest
                cast = sum(1 for where, _m in stack if where == tally.constituency)
                assert tally.valid + tally.invalid == tally.ballots == cast


def test_bulk_count_keeps_each_rounds_errors_and_void(core_pm, tmp_path):
    office = new_office(core_pm)
    void = declare(office, "void")
    figures(office, void, teachers=(20, 20, 21), parents=(20, 20, 20))  # 21 returned of 20
    below = declare(office, "below")
    figures(office, below, teachers=(5, 5, 5), parents=(5, 5, 5))  # 10 of 60 voted
    missing = declare(office, "missing")  # no figures recorded
    tallied = declare(office, "tallied", wards=(Constituency("teachers", 20, F(3, 5)),
                                                Constituency("parents", 20, F(2, 5))))
    path = tmp_path / "tally.csv"
    # Teachers 12 returned, 2 invalid for principal, 1 for deputy; parents 10 and 0.
    path.write_text(
        "constituency,contest,candidate,present,issued,returned,for,against,abstain,invalid\n"
        "teachers,,,12,12,12,,,,\n"
        "teachers,principal,,,,,,,,2\n"
        "teachers,principal,P1,,,,7,2,1,\n"
        "teachers,principal,P2,,,,3,5,2,\n"
        "teachers,deputy,,,,,,,,1\n"
        "teachers,deputy,D1,,,,9,1,1,\n"
        "teachers,deputy,D2,,,,8,2,1,\n"
        "teachers,deputy,D3,,,,2,8,1,\n"
        "parents,,,10,10,10,,,,\n"
        "parents,principal,,,,,,,,0\n"
        "parents,principal,P1,,,,6,4,0,\n"
        "parents,principal,P2,,,,4,6,0,\n"
        "parents,deputy,,,,,,,,0\n"
        "parents,deputy,D1,,,,7,3,0,\n"
        "parents,deputy,D2,,,,2,8,0,\n"
        "parents,deputy,D3,,,,5,5,0,\n", encoding="utf-8")
    with office.change() as change:
        contests.import_tally(change, tallied, path)
    rounds = [void, below, missing, tallied]
    bulk = contests.count_many(office.db, rounds, {r.id: RULES for r in rounds})
    assert bulk[void.id].void  # type: ignore[union-attr]
    assert "Quorum not met: 10 of 60" in str(bulk[below.id])
    assert "record the figures of constituency teachers first" in str(bulk[missing.id])
    counted = bulk[tallied.id]
    assert counted == contests.count(office.db, tallied, RULES)
    # P1: 3/5 x 7/12 + 2/5 x 6/10 = 7/20 + 6/25 = 59/100, over half of the ballots: elected
    principal = counted.results["principal"]  # type: ignore[union-attr]
    assert (principal.standings[0].share, principal.elected) == (F(59, 100), ("P1",))
