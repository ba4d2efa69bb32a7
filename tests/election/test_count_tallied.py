"""civic.contests.count_tallied: a batch's tallied rounds decided as plain rows give exactly what
`contests.count` (`_settle`, `civic.tally.decide`) gives round by round: void rounds, quorum
refusals, shares at exactly the threshold, ties for a seat, runoff slates, constituencies with
no ballot and contests with a single candidate included; and the batch's count contract built
from those rows (`rules.tallied_contract`) is the contract `rules.contract` builds, to the
byte."""

from __future__ import annotations

import datetime as dt
import gc
import json
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from civic import contests
from civic.db import migrate, open_db
from civic.errors import CivicError
from civic.office import Office
from civic.plugins.election import actions, store
from civic.plugins.election import rules as election_rules
from civic.pm import make_plugin_manager
from civic.tally import (
    Constituency,
    Contest,
    ElectionRules,
    Quorum,
    Threshold,
    decimal_text,
    ratio_text,
)


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])


# Published weights as an office sets them (they sum to 1; no national standard exists).
WEIGHTS = ((F(1),), (F(1, 2), F(1, 2)), (F(3, 5), F(2, 5)), (F(2, 5), F(1, 5), F(2, 5)),
           (F(1, 3), F(1, 3), F(1, 3)))
CODES = ("teachers", "students", "parents")
small = st.integers(0, 6)  # small figures: shares land exactly on a threshold, ties are common


@st.composite
def place(draw, candidates, returned):
    """One contest's tally in one constituency: invalid ballots, then each listed candidate's
    for / against / abstain adding up to the valid ballots, and a written-in name now and
    then (for-votes only)."""
    invalid = draw(st.integers(0, returned))
    valid = returned - invalid
    rows = []
    for person in candidates:
        f = draw(st.integers(0, valid))
        a = draw(st.integers(0, valid - f))
        rows.append((person, f, a, valid - f - a))
    if draw(st.booleans()):
        rows.append(("W1", draw(st.integers(0, 3)), 0, 0))
    return invalid, rows


@st.composite
def tallied_round(draw):
    weights = draw(st.sampled_from(WEIGHTS))
    wards = []
    for code, weight in zip(CODES, weights, strict=False):
        registered = draw(small)
        present = draw(st.integers(0, registered))
        issued, returned = draw(small), draw(small)  # returned > issued: a void round
        wards.append((Constituency(code, registered, weight), present, issued, returned))
    listed = []
    for i in range(draw(st.integers(1, 2))):
        people = tuple(f"C{i}{j}" for j in range(draw(st.integers(1, 4))))
        listed.append(Contest(f"post{i}", draw(st.integers(1, 2)), people))
    places = {}
    for ward, _present, _issued, returned in wards:
        for contest in listed:
            if draw(st.integers(0, 5)):  # now and then a place with no tally: nobody voted
                places[(ward.code, contest.code)] = draw(place(contest.candidates, returned))
    return wards, listed, places


counting_rules = st.builds(
    ElectionRules,
    threshold=st.builds(Threshold, st.sampled_from(("returned", "present", "registered")),
                        st.sampled_from((F(1, 2), F(1, 3), F(2, 3), F(0))), st.booleans()),
    quorum=st.builds(Quorum, st.sampled_from(("returned", "present")),
                     st.sampled_from((F(0), F(1, 2))), st.booleans()),
    runoff_extra=st.integers(1, 2))


def stored_round(office, key, wards, listed, places):
    """The round as a tally import leaves it (figures and totals), written straight in so
    that the strategy reaches what an import refuses (a void round's figures)."""
    with office.change() as change:
        vround = contests.declare(change, key, key, listed,
                                  constituencies=[w for w, *_f in wards])
    db = office.db
    with db.conn:
        db.conn.executemany(
            "UPDATE voting_constituencies SET present = ?, issued = ?, returned = ?"
            " WHERE round = ? AND code = ?",
            [(present, issued, returned, vround.id, w.code)
             for w, present, issued, returned in wards])
        for (where, code), (invalid, rows) in places.items():
            db.conn.execute("INSERT INTO voting_tally_contests (round, constituency, contest,"
                            " invalid) VALUES (?, ?, ?, ?)", (vround.id, where, code, invalid))
            db.conn.executemany(
                "INSERT INTO voting_tallies (round, constituency, contest, candidate,"
                " for_votes, against_votes, abstain_votes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(vround.id, where, code, *row) for row in rows])
    return vround


def plain(result):
    """A ContestResult as `count_tallied` states it."""
    return (result.ballots, result.invalid, tuple(t.valid for t in result.tallies),
            [(s.candidate, s.for_votes, s.against, s.abstain, s.share, s.rank, s.qualified,
              s.elected, [t.for_votes(s.candidate) for t in result.tallies])
             for s in result.standings],
            list(result.tied), result.tied_seats, result.shortfall, list(result.runoff_slate))


def lean(result):
    return (result.ballots, result.invalid, result.valid,
            [(p, f, a, ab, F(num, result.den), rank, q, won, fors)
             for p, f, a, ab, num, rank, q, won, fors in result.standings],
            result.tied, result.tied_seats, result.shortfall, result.runoff_slate)


PACK = election_rules.pack("principal-kunming-2008")
NAMES = {"C00": "甲", "C01": "乙", "W1": "丙"}  # a name for some, the code for the others


def assert_same(office, vrounds, by_round):
    bulk = contests.count_tallied(office.db, vrounds, by_round)
    assert set(bulk) == {r.id for r in vrounds}  # tallies alone: every round taken
    for vround in vrounds:
        got = bulk[vround.id]
        try:
            one = contests.count(office.db, vround, by_round[vround.id])
        except CivicError as exc:  # below quorum: the same refusal, word for word
            assert isinstance(got, CivicError) and str(got) == str(exc)
            continue
        assert not isinstance(got, CivicError)
        assert (got.void, got.constituencies) == (one.void, one.constituencies)
        assert [c.contest for c in got.contests] == [r.contest for r in one.results.values()]
        assert [lean(c) for c in got.contests] == [plain(r) for r in one.results.values()]
        threshold = by_round[vround.id].threshold
        for weighted in (True, False):
            assert json.dumps(election_rules.tallied_contract(
                7, 1, PACK, got, NAMES, threshold, weighted), ensure_ascii=False) == json.dumps(
                election_rules.contract(7, 1, PACK, one.constituencies, one, NAMES, threshold,
                                        weighted), ensure_ascii=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(tallied_round(), counting_rules), min_size=1, max_size=4))
def test_tallied_rounds_decide_as_each_rounds_count(core_pm, batch):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    vrounds, by_round = [], {}
    for i, ((wards, listed, places), counting) in enumerate(batch):
        vround = stored_round(office, f"batch:{i}", wards, listed, places)
        vrounds.append(vround)
        by_round[vround.id] = counting
    assert_same(office, vrounds, by_round)


# 选举法 the counting article: more than half of the ballots cast; quorum more than half voting
HALF = ElectionRules(threshold=Threshold("returned", F(1, 2), True),
                     quorum=Quorum("returned", F(1, 2), True))
# the same threshold with any turnout: these edges are about the shares, not the quorum
ANY_TURNOUT = ElectionRules(threshold=HALF.threshold, quorum=Quorum("returned", F(0), False))
ONE_SEAT = Contest("principal", 1, ("P1", "P2", "P3"))
TWO_WARDS = (Constituency("teachers", 10, F(1, 2)), Constituency("parents", 10, F(1, 2)))


@pytest.mark.parametrize(("figures", "rows", "expect"), [
    # P1: 1/2 x 5/10 + 1/2 x 5/10 = exactly 1/2, not more than half: nobody elected, a runoff
    # among the two runners-up with P1 (single seat: two candidates, 暂行条例 art. 21)
    ((10, 10), {"teachers": [5, 3, 2], "parents": [5, 3, 2]}, ((), 1, ("P1", "P2"))),
    # P1 and P2 both over half: a tie for the one seat, a re-vote among them
    ((10, 10), {"teachers": [6, 6, 0], "parents": [6, 6, 0]}, ((), 0, ())),
    # parents cast no ballot: their half of the weight adds nothing, P1 has 1/2 x 9/10
    ((10, 0), {"teachers": [9, 1, 0], "parents": [0, 0, 0]}, ((), 1, ("P1", "P2"))),
    # 11 returned of 10 issued among the teachers: the round is void (重选)
    ((11, 10), {"teachers": [11, 0, 0], "parents": [10, 0, 0]}, None),
])
def test_edges_at_the_threshold(core_pm, figures, rows, expect):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    wards = [(w, min(n, 10), 10, n) for w, n in zip(TWO_WARDS, figures, strict=True)]
    places = {(code, "principal"): (0, [(p, f, n - f, 0) for p, f in zip(
        ONE_SEAT.candidates, fors, strict=True)]) for (code, fors), n in zip(
            rows.items(), figures, strict=True)}
    vround = stored_round(office, "edge", wards, [ONE_SEAT], places)
    assert_same(office, [vround], {vround.id: HALF})
    assert_same(office, [vround], {vround.id: ANY_TURNOUT})
    got = contests.count_tallied(office.db, [vround], {vround.id: ANY_TURNOUT})[vround.id]
    assert not isinstance(got, CivicError)
    if expect is None:
        assert got.void and got.contests == ()
        return
    (contest,) = got.contests
    won = tuple(p for p, *_r, e, _f in contest.standings if e)
    assert (won, contest.shortfall, tuple(contest.runoff_slate)) == expect
    if rows["teachers"][1] == 6:
        assert contest.tied == ["P1", "P2"] and contest.tied_seats == 1


def test_exactly_half_voting_is_no_quorum(core_pm):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    # 10 of 20 registered voted: not more than half (超过半数, 民法典 art. 1259)
    vround = stored_round(office, "half", [(TWO_WARDS[0], 10, 10, 10), (TWO_WARDS[1], 0, 10, 0)],
                   [ONE_SEAT], {})
    got = contests.count_tallied(db, [vround], {vround.id: HALF})[vround.id]
    assert isinstance(got, CivicError) and "10 of 20 registered electors voted" in str(got)
    assert_same(office, [vround], {vround.id: HALF})


def test_rounds_with_ballots_are_left_to_count_many(core_pm):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    vround = stored_round(office, "keyed", [(w, 10, 10, 1) for w in TWO_WARDS], [ONE_SEAT], {})
    with office.change() as change:
        contests.enter_value_ballots(change, vround, [
            (1, "teachers", [("principal", "P1", "for", None)])], lambda _c, t: t)
    assert contests.count_tallied(db, [vround], {vround.id: HALF}) == {}


@given(st.integers(0, 10 ** 30), st.integers(1, 10 ** 30), st.integers(0, 6))
@example(1, 2, 0)  # a half rounds up
@example(10 ** 26 + 1, 2 * 10 ** 26, 4)  # a large denominator takes the Decimal path
def test_ratio_text_is_decimal_text(num, den, places):
    num = min(num, den)  # a share: 0 to 1
    assert ratio_text(num, den, places) == decimal_text(F(num, den), places)
    assert ratio_text(num * 7, den * 7, places) == decimal_text(F(num, den), places)


def test_a_round_without_constituencies_counts_as_count_does(core_pm):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    # no constituency declared and nothing tallied or entered: the round's one constituency
    # from its own figures, as `count` reads it (refused alike while they are missing)
    with office.change() as change:
        vround = contests.declare(change, "plain", "plain", [ONE_SEAT])
    assert_same(office, [vround], {vround.id: ANY_TURNOUT})
    assert contests.count_tallied(db, [vround], {vround.id: ANY_TURNOUT}).keys() == {vround.id}


def test_a_batch_counts_each_election_as_its_own_count(civic_office, batch_files):
    """batch_count against `election_count` election by election, on a batch mixing a tallied
    school, one not held and one whose ballots were keyed but fell below quorum (10 of 30
    teachers voted): that one reports no quorum and counts nothing, as its own count does."""
    elections, tallies = batch_files
    elections.write_text(elections.read_text(encoding="utf-8")
                         + "S003,三中,1,S003-A,丁,否,,,\nS003,三中,1,S003-B,戊,否,,,\n"
                         "S003,,,,,,teachers,30,1\n", encoding="utf-8")
    batch = actions.import_batch(civic_office, elections, tallies, title="2008",
                                 pack="principal-kunming-2008",
                                 held_on=dt.date(2008, 7, 10))["batch"]
    db = civic_office.db
    (third,) = [e["id"] for e in store.elections(db, batch=batch) if e["title"] == "三中"]
    vround = store.get_round(db, third).vround
    with civic_office.change() as change:
        contests.record_constituency_figures(change, vround, "teachers", present=10,
                                             issued=10, returned=10)
        contests.enter_value_ballots(change, vround, [
            (n, "teachers", [("principal", "S003-A", "for", None)]) for n in (1, 2)],
            lambda _c, t: t)
    counted = store.batch_count(db, batch)
    assert [e["outcome"] for e in counted["elections"]] == ["elected", "not_held", "no_quorum"]
    for data in counted["elections"]:
        alone = store.election_count(db, store.get_election(db, data["election"]))
        assert {k: v for k, v in data.items()
                if k not in ("school", "title", "group", "outcome")} == alone


def test_a_batch_count_leaves_no_reference_cycle(core_pm):
    """A round that cannot be counted is kept as its error; the error's traceback held the
    frame that kept it, and so the whole result in a cycle only the collector frees (a pass
    over 20,000 objects after each count of the 528 schools). Counted, dropped: nothing is
    left for the collector."""
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    below = stored_round(office, "below", [(TWO_WARDS[0], 10, 10, 10), (TWO_WARDS[1], 0, 10, 0)],
                         [ONE_SEAT], {})
    with office.change() as change:  # figures not yet recorded: refused by constituencies_many
        unrecorded = contests.declare(change, "unrecorded", "unrecorded", [ONE_SEAT],
                                      constituencies=list(TWO_WARDS))
    rounds = [below, unrecorded]
    by_round = {r.id: HALF for r in rounds}
    gc.collect()
    gc.disable()
    try:
        wards = contests.constituencies_many(db, rounds)
        got = contests.count_tallied(db, rounds, by_round, wards)
        assert isinstance(wards[unrecorded.id], CivicError)
        assert isinstance(got[below.id], CivicError)
        del wards, got
        assert gc.collect() == 0
    finally:
        gc.enable()
