"""Qualification conditions (任职资格条件), table-driven.

Sources: 党政领导干部选拔任用工作条例 (2019) arts. 7-9: basic qualifications (years at the
lower post, education at least 大专 for county level, party membership for party posts); the
maximum age is set per post by the post announcement.
"""

from __future__ import annotations

import datetime as dt

import pytest

from civic.eligibility import core_problems, is_party_member

ON = dt.date(2008, 7, 1)
POST = {"min_rank": "deputy_division", "min_years_in_rank": 2, "max_age": 50,
        "min_education": "bachelor", "party_required": 1}
GOOD = {"status": "serving", "rank": "deputy_division", "rank_since": "2005-06-30",
        "birth_date": "1960-07-01", "education": "bachelor", "party": "中共党员"}

CASES = [
    ("meets every condition", {}, []),
    ("rank too low", {"rank": "section"}, ["min_rank"]),
    ("higher rank needs no years at the lower one", {"rank": "division",
                                                      "rank_since": "2008-01-01"}, []),
    ("two years less a day", {"rank_since": "2006-07-02"}, ["min_years_in_rank"]),
    ("exactly two years", {"rank_since": "2006-07-01"}, []),
    ("no date at rank", {"rank_since": None}, ["min_years_in_rank"]),
    ("aged 50 on the day: still eligible", {"birth_date": "1958-07-01"}, []),
    ("turned 51 on the day", {"birth_date": "1957-07-01"}, ["max_age"]),
    ("birth date unknown", {"birth_date": None}, ["max_age"]),
    ("college only", {"education": "college"}, ["min_education"]),
    ("doctorate is above bachelor", {"education": "doctor"}, []),
    ("not a party member", {"party": "群众"}, ["party_required"]),
    ("probationary member", {"party": "中共预备党员"}, ["party_required"]),
    ("retired", {"status": "retired"}, ["status"]),
    ("several at once", {"party": "民盟", "education": "high_school"},
     ["min_education", "party_required"]),
]


@pytest.mark.parametrize(("why", "changes", "failing"), CASES, ids=[c[0] for c in CASES])
def test_conditions(why, changes, failing):
    person = {**GOOD, **changes}
    assert [p.condition for p in core_problems(person, POST, ON)] == failing


def test_a_post_without_conditions_takes_anyone_serving():
    assert core_problems({"status": "serving"}, {}, ON) == []


@pytest.mark.parametrize(("party", "member"), [
    ("中共党员", True), ("中国共产党", True), ("CPC", True), ("中共预备党员", False),
    ("群众", False), ("", False), (None, False), ("民革党员", False),
])
def test_party_membership(party, member):
    assert is_party_member(party) is member
