"""Training rules, table-driven: each row names the rule it checks (packs/*.toml carry the
articles)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.plugins.training import rules
from civic.plugins.training.rules import Attended
from civic.workdays import WorkCalendar

D = dt.date


def full(day: dt.date, days: int, category: str = "full_time", per_day: int = 8) -> Attended:
    return Attended(day, category, F(days * per_day), F(days))


@pytest.mark.parametrize("day,key", [
    (D(2008, 6, 2), "gbjypx-2006"),   # 2006 trial edition in force in 2008
    (D(2015, 9, 30), "gbjypx-2006"),  # the day before the 2015 edition
    (D(2015, 10, 1), "gbjypx-2015"),
    (D(2023, 10, 1), "gbjypx-2023"),
])
def test_pack_in_force(day, key):
    assert rules.pack_on(day).key == key


@pytest.mark.parametrize("rank,band", [
    ("section", "township"),          # 正科: 乡科级
    ("deputy_division", "county"),    # 副处 is the first 县处级 rank
    ("bureau", "county"),             # 县处级以上 includes 厅局级
    ("clerk", "township"),            # 其他干部
])
def test_requirement_by_rank(rank, band):
    assert rules.pack_on(D(2016, 1, 1)).requirement_for(rank).band == band


ON = D(2008, 6, 2)
P2006 = rules.pack_on(ON)
P2015 = rules.pack_on(D(2016, 6, 2))


@pytest.mark.parametrize("records,pack,on,status,short_days,short_hours", [
    # 2006 art. 12: 3 months (90 days) within 5 years; nothing else counts.
    ([full(D(2004, 1, 5), 90)], P2006, ON, "met", None, None),
    ([full(D(2004, 1, 5), 89)], P2006, ON, "short", F(1), None),
    # Rolling window edges: 2003-06-03 is the first day counted on 2008-06-02.
    ([full(D(2003, 6, 3), 90)], P2006, ON, "met", None, None),
    ([full(D(2003, 6, 2), 90)], P2006, ON, "short", F(90), None),
    # 2015 art. 13: 550 hours suffice without 90 days (hours alternative).
    ([full(D(2014, 1, 6), 50, per_day=11)], P2015, D(2016, 6, 2), "met", None, None),
    ([full(D(2014, 1, 6), 49, per_day=11)], P2015, D(2016, 6, 2), "short", F(41), F(11)),
])
def test_county_requirement(records, pack, on, status, short_days, short_hours):
    got = rules.assess("division", D(2000, 1, 1), records, on, pack)
    assert (got.value, got.short_days, got.short_hours) == (status, short_days, short_hours)


@pytest.mark.parametrize("promoted,on,catch_up,due", [
    # Promoted 2008-04-02: catching up until 2009-04-02, not overdue before it.
    (D(2008, 4, 2), D(2008, 6, 2), True, D(2009, 4, 2)),
    (D(2008, 4, 2), D(2009, 4, 1), True, D(2009, 4, 2)),
    # The catch-up year over: due at once (overdue from the next day on).
    (D(2008, 4, 2), D(2009, 4, 2), False, D(2009, 4, 2)),
    (D(2006, 4, 2), D(2008, 6, 2), False, D(2008, 6, 2)),
])
def test_catch_up_after_promotion(promoted, on, catch_up, due):
    got = rules.assess("deputy_division", promoted, [], on, P2006)
    assert (got.value, got.catch_up, got.due) == ("short", catch_up, due)
    assert not got.overdue or not catch_up


@pytest.mark.parametrize("records,on,status,due", [
    # 乡科级: 12 days a calendar year (2006 art. 12); last year's days do not count.
    ([full(D(2008, 3, 3), 12)], D(2008, 6, 2), "met", None),
    ([full(D(2007, 12, 20), 12)], D(2008, 6, 2), "short", D(2008, 12, 31)),
    ([full(D(2008, 3, 3), 11), Attended(D(2008, 5, 10), "training_day", F(4), F(1, 2)),
      Attended(D(2008, 5, 17), "training_day", F(4), F(1, 2))], D(2008, 6, 2), "met", None),
])
def test_township_requirement(records, on, status, due):
    got = rules.assess("section", None, records, on, P2006)
    assert (got.value, got.due) == (status, due)


@pytest.mark.parametrize("records,credited", [
    # The office's caps (pack [caps]): online 100 hours in the 2006 pack.
    ([Attended(D(2008, 1, 1), "online", F(150), F(0))], {"online": F(100)}),
    ([Attended(D(2008, 1, 1), "online", F(60), F(0)),
      Attended(D(2008, 2, 1), "online", F(60), F(0))], {"online": F(100)}),
    ([Attended(D(2008, 1, 1), "online", F(60), F(0))], {"online": F(60)}),
    # Uncapped categories credit in full.
    ([full(D(2008, 1, 1), 30)], {"full_time": F(240)}),
    # A withdrawn programme credits nothing.
    ([Attended(D(2008, 1, 1), "full_time", F(80), F(10), withdrawn=True)], {}),
])
def test_caps(records, credited):
    assert rules.credit(records, P2006.caps).credited == credited


@pytest.mark.parametrize("programme,leave,out", [
    # Party-school rule: leave over 1/7 of the hours withdraws (超过: exactly 1/7 does not).
    (F(70), F(10), False),
    (F(70), F(10) + F(1, 2), True),
    (F(56), F(8), False),
    (F(56), F(9), True),
    (F(0), F(4), False),
])
def test_leave_rule(programme, leave, out):
    assert rules.withdrawn(programme, leave) is out


CAL = WorkCalendar()


@pytest.mark.parametrize("attended,half_days,not_counted,met", [
    # February 2008: Spring Festival 6-12 Feb are rest days (a Wednesday counts); 2 and 3 Feb
    # (Sat, Sun) are make-up working days and do not count.
    ([(D(2008, 2, 6), F(1, 2)), (D(2008, 2, 16), F(1, 2)), (D(2008, 2, 23), F(1))],
     4, 0, True),
    ([(D(2008, 2, 2), F(1)), (D(2008, 2, 3), F(1, 2)), (D(2008, 2, 16), F(1, 2))],
     1, 3, False),
    # Two full days suffice (four half-days).
    ([(D(2008, 3, 8), F(1)), (D(2008, 3, 22), F(1))], 4, 0, True),
    # Another month's sessions are not counted in this one.
    ([(D(2008, 1, 26), F(1)), (D(2008, 2, 16), F(1, 2))], 1, 0, False),
])
def test_training_day_month(attended, half_days, not_counted, met):
    month = D(2008, 2, 1).strftime("%Y-%m") if attended[-1][0].month == 2 else "2008-03"
    got = rules.training_day_month(attended, month, CAL.is_workday)
    assert (got.half_days, got.not_counted, got.met) == (half_days, not_counted, met)


records_st = st.lists(st.builds(
    Attended, st.dates(D(2003, 1, 1), D(2008, 12, 31)), st.sampled_from(list(rules.CATEGORIES)),
    st.fractions(0, 200, max_denominator=2), st.fractions(0, 30, max_denominator=2),
    st.booleans()), max_size=30)


# No deadline: a loaded machine is no failure of the rule (no timing in tests).
@settings(deadline=None)
@given(records_st, st.sampled_from([p.key for p in rules.packs()]))
def test_credit_never_exceeds_raw_nor_cap(records, key):
    caps = rules.pack_on(ON, key).caps
    got = rules.credit(records, caps)
    assert got.hours <= got.raw_hours
    for cat, hours in got.credited.items():
        assert hours <= got.raw[cat]
        assert cat not in caps or hours <= caps[cat]
    assert got.days <= sum((r.days for r in records if not r.withdrawn), F(0))
