"""A person's facts: recorded with an audit entry, ended and superseded as appended history,
read on a date and in bulk; restrictions bar posts in core eligibility for every mechanism."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic import audit, facts
from civic.eligibility import candidacy_problems, problems, restriction_problems
from civic.errors import CivicError
from civic.facts import Fact
from civic.registry import eligibility_report, get_person, get_position
from civic.testing import load_sample_registry

D = dt.date


@pytest.fixture
def registry(office, tmp_path):
    return load_sample_registry(office, tmp_path)


def _fact(value: str, start: D, until: D | None, level: str | None = None,
          ended: D | None = None) -> Fact:
    return Fact(1, "C0002", "restriction", value, start, until, "accountability", "case-7",
                "问责暂行规定 2009 art. 11", data={"level": level} if level else {},
                ended_on=ended)


# Ranks by level: deputy_section 2 < section 3 < deputy_division 4 < division 5 < deputy_bureau 6.
# Person: deputy_division (副处). Sources: no promotion during a sanction (行政机关公务员处分条例
# 2007 art. 7; 纪律处分条例 art. 10); no equivalent post for a year after resigning or removal
# (党政领导干部辞职暂行规定 2004 / 问责暂行规定 2009 art. 11); `until` is the first free day.
START, UNTIL = D(2008, 7, 1), D(2009, 7, 1)
CASES = [
    # restriction, level left, post's rank, day, barred
    ("no_promotion", None, "division", D(2008, 12, 1), True),          # above their rank
    ("no_promotion", None, "deputy_division", D(2008, 12, 1), False),  # the same rank
    ("no_promotion", None, "section", D(2008, 12, 1), False),          # below it
    ("no_promotion", None, "division", D(2008, 6, 30), False),         # before it starts
    ("no_promotion", None, "division", START, True),                   # the day it starts
    ("no_promotion", None, "division", D(2009, 6, 30), True),          # its last day
    ("no_promotion", None, "division", UNTIL, False),                  # the day it ends
    ("no_equivalent_post", "division", "division", D(2008, 12, 1), True),   # the level left
    ("no_equivalent_post", "division", "deputy_bureau", D(2008, 12, 1), True),  # above it
    ("no_equivalent_post", "division", "deputy_division", D(2008, 12, 1), False),  # below
    ("no_equivalent_post", "division", "division", UNTIL, False),      # the day it ends
    ("no_equivalent_post", None, "deputy_division", D(2008, 12, 1), True),  # their own rank
    ("no_candidacy", None, "division", D(2008, 12, 1), False),         # a post: not candidacy
]


@pytest.mark.parametrize(("value", "level", "post_rank", "day", "barred"), CASES)
def test_restriction_kinds_against_post_levels_and_dates(value, level, post_rank, day, barred):
    person = {"code": "C0002", "rank": "deputy_division"}
    found = restriction_problems([_fact(value, START, UNTIL, level)], person,
                                 {"rank_level": post_rank}, day)
    assert bool(found) == barred
    if barred:
        assert found[0].condition == value
        assert found[0].message == (
            "blocked by accountability case-7 (问责暂行规定 2009 art. 11) until 2009-07-01")


@pytest.mark.parametrize(("day", "barred"), [
    (D(2008, 6, 30), False), (START, True), (D(2009, 6, 30), True), (UNTIL, False)])
def test_no_candidacy_bars_standing_for_election_until_the_day_it_ends(day, barred):
    found = restriction_problems([_fact("no_candidacy", START, UNTIL)], {"rank": "section"},
                                 None, day, candidacy=True)
    assert bool(found) == barred


def test_an_early_end_frees_the_person_from_that_day():
    fact = _fact("no_promotion", START, UNTIL, ended=D(2009, 1, 1))
    person, post = {"rank": "section"}, {"rank_level": "division"}
    assert restriction_problems([fact], person, post, D(2008, 12, 31))
    assert not restriction_problems([fact], person, post, D(2009, 1, 1))


def test_a_post_without_a_rank_level_is_not_compared():
    assert not restriction_problems([_fact("no_promotion", START, None)], {"rank": "section"},
                                    {"rank_level": None}, D(2009, 1, 1))


@given(start=st.dates(D(2000, 1, 1), D(2020, 1, 1)), days=st.integers(1, 2000),
       probe=st.integers(-10, 2010))
def test_a_fact_holds_exactly_from_its_start_to_the_day_before_until(start, days, probe):
    until = start + dt.timedelta(days=days)
    day = start + dt.timedelta(days=probe)
    assert _fact("no_promotion", start, until).holds_on(day) == (start <= day < until)


def test_record_writes_the_fact_and_its_audit_entry_in_one_change(registry):
    with registry.change() as change:
        fid = facts.record(change, person="C0002", kind="restriction", value="no_promotion",
                           valid_from=START, until=UNTIL, source=("accountability", "case-7"),
                           rule="行政机关公务员处分条例 2007 art. 7")
    entry = next(registry.db.query("SELECT * FROM audit_log WHERE type = 'core.fact_recorded'"))
    assert entry["subject"] == "person:C0002" and entry["actor"] == "op"
    assert json.loads(entry["payload"])["fact"] == fid
    assert [f.id for f in facts.facts_of(registry.db, "C0002", D(2008, 12, 1))] == [fid]
    assert audit.verify(registry.db).ok


def test_a_failed_change_leaves_neither_fact_nor_entry(registry):
    before = registry.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(CivicError, match="No person"), registry.change() as change:
        facts.record(change, person="C0002", kind="grade", value="优秀", valid_from=START,
                     source=("evaluation", "2008"))
        facts.record(change, person="NOBODY", kind="grade", value="优秀", valid_from=START,
                     source=("evaluation", "2008"))
    assert registry.db.execute("SELECT count(*) FROM person_facts").fetchone()[0] == 0
    assert registry.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"kind": "rumour", "value": "x"}, "Unknown kind of fact"),
    ({"kind": "restriction", "value": "no_lunch"}, "Unknown restriction"),
    ({"kind": "grade", "value": "优秀", "until": START}, "must end after it starts"),
    ({"kind": "grade", "value": "优秀", "source": ("", "1")}, "needs its source"),
])
def test_bad_facts_are_refused_with_a_reason(registry, kwargs, words):
    args = {"person": "C0002", "valid_from": START, "source": ("evaluation", "2008"), **kwargs}
    with pytest.raises(CivicError, match=words), registry.change() as change:
        facts.record(change, **args)


def test_end_and_supersede_append_history_and_never_rewrite_it(registry):
    with registry.change() as change:
        first = facts.record(change, person="C0002", kind="restriction", value="no_promotion",
                             valid_from=START, until=D(2010, 1, 1),
                             source=("accountability", "case-7"))
    with registry.change() as change:  # on appeal, the period is cut to a year
        second = facts.supersede(change, first, reason="appeal decided",
                                 value="no_promotion", valid_from=D(2008, 9, 1), until=UNTIL,
                                 source=("accountability", "case-7/appeal"))
    old = facts.get_fact(registry.db, first)
    assert (old.ended_on, old.superseded_by, old.until) == (D(2008, 9, 1), second, D(2010, 1, 1))
    assert [f.id for f in facts.facts_of(registry.db, "C0002", D(2008, 8, 1))] == [first]
    assert [f.id for f in facts.facts_of(registry.db, "C0002", D(2009, 8, 1))] == []
    assert len(facts.facts_of(registry.db, "C0002")) == 2  # the whole history
    with pytest.raises(CivicError, match="already ended"), registry.change() as change:
        facts.end(change, first, on=D(2008, 10, 1), reason="again")
    with pytest.raises(Exception, match="append-only"):
        registry.db.execute("UPDATE person_facts SET until = NULL WHERE id = ?", [first])


def test_bulk_read_is_one_query_for_many_people(registry):
    with registry.change() as change:
        for code in ("C0002", "C0003", "C0004"):
            facts.record(change, person=code, kind="restriction", value="no_promotion",
                         valid_from=START, until=UNTIL, source=("accountability", code))
        facts.record(change, person="C0005", kind="grade", value="优秀", valid_from=START,
                     source=("evaluation", "2008"))
    statements: list[str] = []
    registry.db.conn.set_trace_callback(statements.append)
    try:
        found = facts.restrictions_on(registry.db, D(2008, 12, 1), ["C0002", "C0004", "C0005"])
    finally:
        registry.db.conn.set_trace_callback(None)
    assert len(statements) == 1
    assert sorted(found) == ["C0002", "C0004"]
    assert set(facts.facts_on(registry.db, D(2008, 12, 1))) == {"C0002", "C0003", "C0004",
                                                                 "C0005"}


def test_core_eligibility_reads_restrictions_for_every_post(registry, pm):
    db = registry.db
    with registry.change() as change:
        facts.record(change, person="C0002", kind="restriction", value="no_promotion",
                     valid_from=START, until=UNTIL, source=("accountability", "case-7"))
    person, post = get_person(db, "C0002"), get_position(db, "P-XSSJ")  # 副处 -> 正处 post
    assert [p.condition for p in problems(pm, db, person, post, D(2008, 12, 1))] == \
        ["no_promotion"]
    assert problems(pm, db, person, post, UNTIL) == []
    report = eligibility_report(db, pm, "P-XSSJ", D(2008, 12, 1))
    blocked = {p["code"]: p["problems"] for p in report["ineligible"]}
    # The accountability plugin words its facts' source (describe_fact_source).
    assert blocked["C0002"][0]["message"] == \
        "blocked by accountability case No. 7 until 2009-07-01"


def test_candidacy_is_asked_for_apart(registry):
    with registry.change() as change:
        facts.record(change, person="C0005", kind="restriction", value="no_candidacy",
                     valid_from=START, until=UNTIL, source=("election", "recall-1"))
    person = get_person(registry.db, "C0005")
    assert [p.condition for p in candidacy_problems(registry.db, person, D(2008, 12, 1))] == \
        ["no_candidacy"]
    assert candidacy_problems(registry.db, person, UNTIL) == []


def test_messages_read_in_chinese(registry):
    from civic.i18n import set_language

    fact = _fact("no_promotion", START, UNTIL)
    set_language("zh_CN")
    try:
        found = restriction_problems([fact], {"rank": "section"}, {"rank_level": "division"},
                                     D(2008, 12, 1))
        assert "2009-07-01" in found[0].message and "accountability" in found[0].message
        assert found[0].message != "blocked by accountability case-7 (问责暂行规定 2009 art. 11)" \
            " until 2009-07-01"
    finally:
        set_language("en")
