"""Pure election rules, per pack: quorum edges, threshold bases, 差额, over-votes, write-ins,
void rounds, ties, shortfall and runoff slate, weighted shares, recall; hypothesis properties."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.plugins.election import rules
from civic.tally import (
    AGAINST,
    FOR,
    Constituency,
    Contest,
    Section,
    decide,
    round_void,
    tally_values,
)

PARTY = rules.pack("party-base-1990")
PARTY_2020 = rules.pack("party-base-2020")
PRINCIPAL = rules.pack("principal-kunming-2008")
DEPUTIES = rules.pack("deputies-direct-2020")
VILLAGE = rules.pack("village-2018")
COUNTY = rules.pack("county-congress-2008")


def test_every_pack_names_a_source_for_every_rule():
    for pack in rules.packs().values():
        for rule in ("quorum", "threshold", "slate", "runoff", "recall", "term"):
            assert pack.articles[rule], (pack.key, rule)
            assert pack.regulation in pack.source(rule)


# (pack, registered, present/returned, met) - quorum edges at exactly 4/5 and 1/2.
@pytest.mark.parametrize("pack, due, part, met", [
    (PARTY, 50, 40, False),      # 暂行条例 (1990) art. 16: more than 4/5; exactly 4/5 fails
    (PARTY, 50, 41, True),
    (PARTY_2020, 50, 40, False),  # 条例 (2020): the same figure
    (DEPUTIES, 100, 50, False),  # 选举法 art. 44: more than half voting; exactly half fails
    (DEPUTIES, 100, 51, True),
    (VILLAGE, 301, 151, True),   # 村委会组织法 art. 15: more than half of 301 is 151
    (VILLAGE, 301, 150, False),
    (COUNTY, 300, 200, True),    # 地方组织法: two-thirds or more (以上 includes the number)
    (COUNTY, 300, 199, False),
])
def test_quorum_edges(pack, due, part, met):
    ward = (Constituency("", due, 1, present=part, issued=part, returned=part),)
    assert rules.quorum_met(ward, pack.quorum) is met


# (pack, seats, candidates, refused) - 差额.
@pytest.mark.parametrize("pack, seats, candidates, refused", [
    (PARTY, 5, 5, True),    # 暂行条例 art. 7: at least 20% more: 5 seats need 6
    (PARTY, 5, 6, False),
    (PARTY, 7, 8, True),    # 20% of 7 rounds up to 2: 9 needed
    (PARTY, 7, 9, False),
    (PARTY, 1, 1, False),   # a secretary may be elected 等额
    (PRINCIPAL, 1, 1, True),  # a principal: at least two candidates
    (PRINCIPAL, 1, 2, False),
    (DEPUTIES, 3, 3, True),  # 选举法 art. 30: 1/3 to 1x more: 3 seats, 4 to 6
    (DEPUTIES, 3, 4, False),
    (DEPUTIES, 3, 6, False),
    (DEPUTIES, 3, 7, True),
    (VILLAGE, 1, 2, False),  # more candidates than seats
    (COUNTY, 4, 8, True),   # 副职 one to three more
    (COUNTY, 4, 7, False),
])
def test_slate_rules(pack, seats, candidates, refused):
    assert (rules.slate_problem(pack, seats, candidates) is not None) is refused


def _result(pack, contest, sections_by_ward, wards):
    tallies = [tally_values(contest, sections_by_ward.get(w.code, ()), w.code) for w in wards]
    return decide(contest, tallies, wards, pack.rules())


def test_threshold_bases_differ_by_pack():
    # 10 due, 9 present, 8 returned; A has 5 for-votes: more than half of those present
    # (4.5) and of ballots cast (4), not of all deputies (5).
    contest = Contest("c", 1, ("A", "B"))
    sections = [Section([("A", FOR)])] * 5 + [Section([("B", FOR)])] * 3
    ward = [Constituency("", 10, 1, present=9, issued=8, returned=8)]
    assert _result(PARTY, contest, {"": sections}, ward).elected == ("A",)
    assert _result(DEPUTIES, contest, {"": sections}, ward).elected == ("A",)
    assert _result(COUNTY, contest, {"": sections}, ward).elected == ()


def test_over_vote_invalidates_that_contest_only():
    # 选举法 art. 42 / 暂行条例 art. 18: more for-votes than seats voids the section.
    one = Contest("secretary", 1, ("A", "B"))
    over = Section([("A", FOR), ("B", FOR)])
    tally = tally_values(one, [over, Section([("A", FOR)])])
    assert (tally.ballots, tally.invalid, tally.candidates["A"].for_) == (2, 1, 1)


def test_write_in_counts_for_the_person_and_over_votes_with_it():
    contest = Contest("c", 1, ("A", "B"))
    tally = tally_values(contest, [Section([("A", AGAINST)], ["C0002"]),
                                   Section([("A", FOR)], ["C0003"])])
    assert tally.write_ins == {"C0002": 1}
    assert tally.invalid == 1  # A for + a written name: two for-votes for one seat


def test_void_round_when_returned_exceeds_issued():
    assert round_void([Constituency("", 10, 1, 10, issued=9, returned=10)])
    assert not round_void([Constituency("", 10, 1, 10, issued=10, returned=10)])


def test_tie_for_a_seat_goes_to_a_revote_among_the_tied():
    contest = Contest("c", 1, ("A", "B", "C"))
    sections = ([Section([("A", FOR)])] * 4 + [Section([("B", FOR)])] * 4
                + [Section([("C", FOR)])])
    ward = [Constituency("", 9, 1, present=9, issued=9, returned=9)]
    # Nobody over half of the 9 cast: a shortfall, A and B on the runoff slate; in the runoff
    # (most votes, at least 1/3 of those cast: 村委会组织法 art. 15) they tie for the seat.
    r = _result(VILLAGE, contest, {"": sections}, ward)
    assert r.elected == () and r.shortfall == 1 and r.runoff_slate == ("A", "B")
    runoff = decide(contest, [tally_values(contest, sections)], ward, VILLAGE.runoff_rules())
    assert runoff.tied == ("A", "B") and runoff.tied_seats == 1


def test_shortfall_and_runoff_slate_for_a_committee():
    contest = Contest("committee", 3, ("A", "B", "C", "D"))
    sections = ([Section([("A", FOR), ("B", FOR)])] * 6
                + [Section([("C", FOR), ("D", FOR)])] * 4 + [Section([("C", FOR)])])
    ward = [Constituency("", 12, 1, present=11, issued=11, returned=11)]
    r = _result(PARTY, contest, {"": sections}, ward)
    assert r.elected == ("A", "B")
    assert r.shortfall == 1 and r.runoff_slate == ("C", "D")  # two for a single seat


def test_weighted_share_over_constituencies():
    # share = 1/2 * 30/50 + 1/2 * 100/250 = 0.3 + 0.2 = 0.5: not more than half.
    contest = Contest("principal", 1, ("A", "B"))
    wards = [Constituency("teachers", 60, Fraction(1, 2), 55, 50, 50),
             Constituency("parents", 300, Fraction(1, 2), 260, 250, 250)]
    by_ward = {"teachers": [Section([("A", FOR)])] * 30 + [Section([("B", FOR)])] * 20,
               "parents": [Section([("A", FOR)])] * 100 + [Section([("B", FOR)])] * 150}
    r = _result(PRINCIPAL, contest, by_ward, wards)
    shares = {s.candidate: s.share for s in r.standings}
    assert shares == {"A": Fraction(1, 2), "B": Fraction(1, 2)}
    assert r.elected == ()
    by_ward["parents"] = [Section([("A", FOR)])] * 101 + [Section([("B", FOR)])] * 149
    assert _result(PRINCIPAL, contest, by_ward, wards).elected == ("A",)


# (pack, registered, present, returned, for, valid, passed) - recall.
@pytest.mark.parametrize("pack, registered, present, returned, for_, valid, passed", [
    (VILLAGE, 100, 60, 50, 40, False, False),  # 村委会组织法 art. 16: half voting is not more
    (VILLAGE, 100, 60, 51, 26, True, True),    # more than half of 51 voting
    (VILLAGE, 100, 60, 51, 25, True, False),
    (DEPUTIES, 100, 80, 80, 50, True, False),  # 选举法: 过半数的选民 of the constituency
    (DEPUTIES, 100, 80, 80, 51, True, True),
    (COUNTY, 300, 199, 199, 199, False, False),  # two-thirds present needed
])
def test_recall_validity_and_passing(pack, registered, present, returned, for_, valid, passed):
    assert rules.recall_passed(pack, registered, present, returned, for_) == (valid, passed)


def test_recall_petition_and_bar():
    assert rules.petition_problem(VILLAGE, 20, 100) is None  # 1/5 of 100
    assert rules.petition_problem(VILLAGE, 19, 100) is not None
    assert rules.petition_problem(VILLAGE, 10, 30, representatives=True) is None  # 1/3
    assert rules.petition_problem(DEPUTIES, 29, 1000) is not None  # 30 voters at least
    assert rules.petition_barred_until(PARTY, dt.date(2008, 8, 31)) == dt.date(2009, 2, 28)
    assert rules.petition_barred_until(VILLAGE, dt.date(2008, 8, 31)) is None


def test_terms_and_extension():
    assert rules.term_end(PARTY, dt.date(2008, 7, 10)) == dt.date(2011, 7, 10)
    end = dt.date(2011, 7, 10)
    assert rules.extension_problem(PARTY, end, dt.date(2012, 7, 10)) is None
    assert rules.extension_problem(PARTY, end, dt.date(2012, 7, 11)) is not None
    assert rules.extension_problem(VILLAGE, dt.date(2023, 1, 1), dt.date(2023, 6, 1))


def test_a_bad_pack_copy_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text('key = "mine"\n', encoding="utf-8")
    with pytest.raises(CivicError, match="mine.toml"):
        rules.read_pack_file(bad)


# --- properties ------------------------------------------------------------------------------

CANDS = ("A", "B", "C")
marks = st.lists(st.tuples(st.sampled_from(CANDS), st.sampled_from(["for", "against",
                                                                    "abstain"])),
                 max_size=4)
sections = st.lists(st.builds(lambda m, w: Section(m, w), marks,
                              st.lists(st.sampled_from(["X", "Y"]), max_size=2)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(sections, st.randoms(use_true_random=False), st.integers(1, 2))
def test_results_do_not_depend_on_ballot_order(stack, rnd, seats):
    contest = Contest("c", seats, CANDS)
    ward = [Constituency("", 50, 1, 45, 45, 45)]
    shuffled = list(stack)
    rnd.shuffle(shuffled)
    first = decide(contest, [tally_values(contest, stack)], ward, VILLAGE.rules())
    again = decide(contest, [tally_values(contest, shuffled)], ward, VILLAGE.rules())
    assert first == again


@settings(max_examples=60, deadline=None)
@given(sections)
def test_every_ballot_counted_once_per_contest_and_tallies_add_up(stack):
    contest = Contest("c", 2, CANDS)
    tally = tally_values(contest, stack)
    assert tally.ballots == len(stack)
    for votes in tally.candidates.values():
        assert sum(votes) == tally.valid  # for + against + abstain (+ void) = valid ballots
    assert sum(tally.write_ins.values()) <= 2 * tally.valid


# --- words for codes: each pack names its contests and constituencies in both languages ----
@pytest.mark.parametrize("pack,kind,code,lang,word", [
    (PARTY, "contest", "committee", "zh_CN", "委员会委员"),
    (PARTY, "contest", "committee", "en", "committee members"),
    (PARTY, "constituency", "members", "zh_CN", "党员"),
    (PRINCIPAL, "constituency", "teachers", "zh_CN", "教职工"),
    (PRINCIPAL, "constituency", "residents", "en", "residents"),
    (PRINCIPAL, "contest", "principal", "zh_CN", "校长"),
    # county 换届: "deputies" the 副职 contest, and the deputies who vote
    (rules.pack("county-congress-2008"), "contest", "deputies", "zh_CN", "副职"),
    (rules.pack("county-congress-2008"), "constituency", "deputies", "zh_CN", "人大代表"),
    (VILLAGE, "contest", "committee", "zh_CN", "村民委员会成员"),
    (PARTY, "contest", "recall", "zh_CN", "罢免"),  # the plugin's own recall contest
    (PARTY, "contest", "校长", "en", "校长"),  # an office's own code shows as given
])
def test_codes_in_words(pack, kind, code, lang, word):
    label = pack.contest_label if kind == "contest" else pack.constituency_label
    assert label(code, lang) == word


def test_every_pack_has_an_english_title():
    for pack in rules.packs().values():
        assert pack.name("en") != pack.name("zh_CN") == pack.title


def test_a_pack_stored_before_its_words_borrows_the_shipped_ones():
    import json

    from civic.plugins.election import store

    old = {k: v for k, v in PRINCIPAL.raw.items()
           if k not in ("title_en", "contest_labels", "constituency_labels")}
    stored = store._pack(json.dumps(old, ensure_ascii=False))
    assert stored.constituency_label("parents", "zh_CN") == "家长"
    assert stored.name("en") == PRINCIPAL.title_en


@pytest.mark.parametrize("pack,rule,article,to_check", [
    # checked against the texts: 暂行条例 (1990) art. 22 (over half of those present; the
    # short seats again among those not over half), 条例 (2020) art. 13 (20% 差额)
    (PARTY, "threshold", "第二十二条", False),
    (PARTY, "runoff", "第二十二条", False),
    (PARTY_2020, "slate", "第十三条", False),
    (VILLAGE, "recall", "第十六条", False),
    # not confirmed: marked in the pack, listed by `civic election packs`
    (PARTY, "quorum", "第十六条", True),
    (PRINCIPAL, "threshold", "第十四条", True),
])
def test_pack_articles_checked_or_marked(pack, rule, article, to_check):
    assert pack.articles[rule] == article
    assert (rule in pack.to_check) is to_check
