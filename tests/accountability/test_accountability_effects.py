"""Issue 14 "Done when": the forms' effects on eligibility across mechanisms, table-driven.
A decided case's forms become core person facts, and each mechanism reads them through core:
a post (civic eligible, and placement's bulk path `eligibility.problems_many`), a nomination
(its name resolver), an election candidacy (its write-in resolver) and the year's grade
(evaluation's `facts.grade_cap_of`). Each shows "blocked by accountability case No. N"."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import eligibility, facts
from civic.office import Operator
from civic.plugins.accountability import actions
from civic.registry import get_person, get_position

SUP = Operator("sup", "supervisor")
DECIDED = dt.date(2008, 5, 12)
ON = dt.date(2008, 7, 4)


def _decided(office, person: str, form: str) -> int:
    case = actions.open_case(office, person=person, trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    actions.step(office, case, "investigated", dt.date(2008, 5, 8))
    actions.decide(office, case, DECIDED, [form], [], SUP)
    return case


def _post(office, person: str, post: str) -> list[str]:
    """civic eligible's check and placement's bulk one agree: the messages of the pair."""
    one = eligibility.problems(office.pm, office.db, get_person(office.db, person),
                               get_position(office.db, post), ON)
    [(_p, _q, many)] = list(eligibility.problems_many(
        office.pm, office.db, [(get_person(office.db, person), get_position(office.db, post))],
        ON))
    assert [p.message for p in one] == [p.message for p in many]
    return [p.message for p in one if p.condition in eligibility.RESTRICTION_CONDITIONS]


def _nomination(office, person: str, post: str) -> list[str]:
    from civic.plugins.nomination import actions as nominations
    from civic.plugins.nomination import store
    from civic.plugins.nomination.rules import NOT_ELIGIBLE, OPEN

    nom = nominations.create(office, title="2008年7月推荐", positions=[post],
                             reference_date=ON)
    name = get_person(office.db, person)["name"]
    mark = store.resolver(office, nom, store.get_round(office.db, nom, OPEN))(post, name)
    return ["not eligible"] if getattr(mark, "reason", None) == NOT_ELIGIBLE else []


def _candidacy(office, person: str, _post: str) -> list[str]:
    from civic.plugins.election.actions import resolver

    problems = eligibility.candidacy_problems(office.db, get_person(office.db, person), ON,
                                              office.pm)
    mark = resolver(office.db, ON)("", person)
    assert (getattr(mark, "reason", None) == "not_eligible") is bool(problems)
    return [p.message for p in problems]


def _grade(office, person: str, _post: str) -> list[str]:
    cap = facts.grade_cap_of(office.db, person, 2008)
    return [f"grade at most {cap.data['grade']}"] if cap else []


MECHANISMS = {"post": _post, "nomination": _nomination, "candidacy": _candidacy,
              "grade": _grade}


# (form, person, post) -> the mechanisms it blocks; the pack's sources in the comments.
@pytest.mark.parametrize("form,person,post,blocked,until", [
    # 记过: 12 months without promotion (行政机关公务员处分条例 2007 第六条); 李明 is 副处,
    # 西山区委书记 is 正处.
    ("gov_demerit", "C0002", "P-XSSJ", {"post", "nomination"}, "2009-05-12"),
    # 免职: no post of the level left for a year (暂行规定 2009 art. 10); 王丽 left a 副处 post.
    ("removal", "C0003", "P-XSFQ", {"post", "nomination"}, "2009-05-12"),
    # 留党察看一年: no right to be elected meanwhile (纪律处分条例 2003 第十五条).
    ("party_probation", "C0002", "P-XSSJ", {"candidacy"}, "2009-05-12"),
    # 取消当年评优: the year's grade at most 称职, no post barred.
    ("no_merit", "C0002", "P-XSSJ", {"grade"}, None),
    # 诫勉谈话: recorded, bars nothing.
    ("talk", "C0002", "P-XSSJ", set(), None),
])
def test_a_forms_effect_in_every_mechanism(form, person, post, blocked, until,
                                           civic_registry):
    before = {name: check(civic_registry, person, post) for name, check in MECHANISMS.items()
              if name != "nomination"}
    assert not any(before.values())
    case = _decided(civic_registry, person, form)
    for name, check in MECHANISMS.items():
        found = check(civic_registry, person, post)
        assert bool(found) is (name in blocked), (name, found)
        if found and name in ("post", "candidacy"):
            [message] = found
            assert message.startswith(f"blocked by accountability case No. {case} (")
            assert message.endswith(f"until {until}")
    # The day the period ends, nothing bars the person any more.
    if until:
        later = dt.date.fromisoformat(until)
        assert not [p for p in eligibility.problems(
            civic_registry.pm, civic_registry.db, get_person(civic_registry.db, person),
            get_position(civic_registry.db, post), later)
            if p.condition in eligibility.RESTRICTION_CONDITIONS]
