"""Core's count applies a mechanism's form validity rule (hook `ballot_form_validity`) inside
the one count: a voided section grades nobody, still counts as a form, and is reported by its
reason. Figures worked by hand in the comments."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic import contests, hookimpl
from civic.db import migrate, open_db
from civic.office import Office
from civic.pm import make_plugin_manager
from civic.tally import (
    ANNUAL_GRADES,
    GRADES,
    Constituency,
    Contest,
    Section,
    grade_results,
    tally_grades,
)

OVERALL = Contest("overall", 1, ("R1", "R2", "R3"), GRADES, ANNUAL_GRADES)


def all_alike(contest, section):
    """The kind of rule a rating pack sets: three or more ratees all graded alike is void."""
    grades = [g for _r, g in section.marks]
    return f"all {grades[0]}" if len(grades) >= 3 and len(set(grades)) == 1 else None


def form(*grades):
    return Section([(r, g) for r, g in zip(OVERALL.candidates, grades, strict=False) if g])


@pytest.mark.parametrize("forms,r1,invalid", [
    # one valid form: R1 优秀 once, nothing voided
    ([form("优秀", "称职", "称职")], {"优秀": 1}, {}),
    # the second form grades all three 称职: void, so R1 keeps only the first form's 优秀
    ([form("优秀", "称职", "称职"), form("称职", "称职", "称职")], {"优秀": 1, "称职": 0},
     {"all 称职": 1}),
    # two alike forms of different grades: two reasons, one form each
    ([form("称职", "称职", "称职"), form("优秀", "优秀", "优秀")], {"优秀": 0, "称职": 0},
     {"all 称职": 1, "all 优秀": 1}),
    # only two ratees graded alike: under the rule's three, valid; R3 left blank
    ([form("称职", "称职", None)], {"称职": 1}, {}),
])
def test_tally_grades_voids_what_the_rule_voids(forms, r1, invalid):
    tally = tally_grades(OVERALL, forms, "public", all_alike)
    assert tally.forms == len(forms)  # every form counted, void ones included
    assert {g: tally.grades["R1"][g] for g in r1} == r1
    assert tally.invalid == invalid and tally.voided == sum(invalid.values())


def test_without_a_rule_nothing_is_voided():
    tally = tally_grades(OVERALL, [form("称职", "称职", "称职")], "public")
    assert tally.invalid == {} and tally.grades["R1"]["称职"] == 1


def test_a_void_form_stays_in_the_weighted_base():
    """Shares are over the forms returned there, the void one included: public (weight 1) has
    2 forms, one void; R1 优秀 on the other: share 1 x 1/2."""
    tally = tally_grades(OVERALL, [form("优秀", "称职", "称职"), form("称职", "称职", "称职")],
                         "public", all_alike)
    (r1, *_rest) = grade_results(OVERALL, [tally], [Constituency("public", 2, F(1))])
    assert r1.shares["优秀"] == F(1, 2) and r1.invalid == 1


@given(st.lists(st.lists(st.sampled_from((*ANNUAL_GRADES, None)), min_size=3, max_size=3),
                max_size=12))
def test_every_form_is_accounted_for_per_ratee(rows):
    """grades + void + blank + invalid forms = forms, for each ratee, whatever the rule voids."""
    tally = tally_grades(OVERALL, [form(*r) for r in rows], "public", all_alike)
    for ratee in OVERALL.candidates:
        assert (sum(tally.grades[ratee].values()) + tally.void[ratee] + tally.blank[ratee]
                + tally.voided) == tally.forms == len(rows)


class AppraisalPlugin:
    """A mechanism claiming the rounds keyed appraisal:*."""

    @hookimpl
    def ballot_form_validity(self, db, round_key):
        return all_alike if round_key.startswith("appraisal:") else None


@pytest.fixture
def office():
    pm = make_plugin_manager(only=[])
    pm.register(AppraisalPlugin(), "appraisal")
    db = open_db(":memory:")
    migrate(db, pm)
    return Office(db, pm)


def rated_round(office, key):
    with office.change() as change:
        vround = contests.declare(change, key, "民主测评", (OVERALL,),
                                  constituencies=(Constituency("public", 3, F(1)),))
        contests.record_constituency_figures(change, vround, "public", present=3, issued=3,
                                             returned=3)
        contests.enter_value_ballots(change, vround, [
            (1, "public", [("overall", "R1", "优秀", None), ("overall", "R2", "称职", None),
                           ("overall", "R3", "称职", None)]),
            (2, "public", [("overall", r, "称职", None) for r in OVERALL.candidates]),
            (3, "public", [("overall", "R1", "基本称职", None)])], lambda *_a: None)
    return vround


def test_count_asks_the_rounds_mechanism(office):
    vround = rated_round(office, "appraisal:1")
    counted = contests.count(office.db, vround, pm=office.pm)
    r1, r2, _r3 = counted.grades["overall"]
    # Form 2 (all 称职) is void: R2 has form 1's 称职 only, and is blank on form 3.
    assert (r2.counts["称职"], r2.blank, r2.invalid) == (1, 1, 1)
    assert (r1.counts["优秀"], r1.counts["基本称职"], r1.invalid) == (1, 1, 1)
    assert counted.invalid == {"overall": {"all 称职": 1}}
    data = contests.report(counted)
    assert data["ratings"][0]["invalid_forms"] == {"all 称职": 1}
    assert data["ratings"][0]["ratees"][1]["invalid"] == 1


def test_another_mechanisms_round_and_a_count_without_pm_void_nothing(office):
    other = rated_round(office, "rating:1")
    assert contests.count(office.db, other, pm=office.pm).invalid == {"overall": {}}
    mine = rated_round(office, "appraisal:2")
    # Without the plugin manager there is no mechanism to ask: form 2 counts as graded.
    assert contests.count(office.db, mine).grades["overall"][1].counts["称职"] == 2


def test_the_example_plugin_voids_its_own_rounds_forms():
    """The public API's example (tests/plugin_example): a commendation vote's form naming nobody
    优秀 is void; counted through an office loading that plugin."""
    from tests.plugin_example import plugin as example

    pm = make_plugin_manager(only=[], extra=[example])
    db = open_db(":memory:")
    migrate(db, pm)
    counted = contests.count(db, rated_round(Office(db, pm), "commendations:1"), pm=pm)
    # Forms 2 (all 称职) and 3 (基本称职) name nobody 优秀: two of the three are void.
    assert counted.invalid == {"overall": {"no one commended": 2}}
    assert counted.grades["overall"][0].counts["优秀"] == 1
