"""The accountability pack's rules, table by table, each row with its source."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.plugins.accountability import rules
from civic.workdays import WorkCalendar

PACK = rules.load_pack()
IS_WORKDAY = WorkCalendar().is_workday
D = dt.date


# Appeal: 15 days from receiving the decision; answer: 30 days from the appeal (2009 暂行规定);
# a last day that is no working day moves to the next working day (official calendar).
@pytest.mark.parametrize("name,start,last_day", [
    ("appeal", D(2008, 3, 3), D(2008, 3, 18)),    # a Tuesday: no shift
    ("appeal", D(2008, 5, 2), D(2008, 5, 19)),    # Sat 17 May -> Mon 19 May
    ("appeal", D(2008, 1, 23), D(2008, 2, 13)),   # 7 Feb, 春节 (6-12 Feb 2008) -> 13 Feb
    ("appeal", D(2008, 9, 16), D(2008, 10, 6)),   # 1 Oct, 国庆 (29 Sep-5 Oct 2008) -> 6 Oct
    ("appeal", D(2008, 9, 12), D(2008, 9, 27)),   # Sat 27 Sep 2008 was a make-up workday
    ("answer", D(2008, 4, 8), D(2008, 5, 8)),     # a Thursday: no shift
    ("answer", D(2008, 9, 1), D(2008, 10, 6)),    # 1 Oct -> 6 Oct
    ("answer", D(2008, 5, 2), D(2008, 6, 2)),     # Sun 1 Jun -> Mon 2 Jun
])
def test_each_deadline_with_its_holiday_shift(name, start, last_day):
    rule = PACK.deadlines[name]
    assert rules.deadline(start, rule.days, IS_WORKDAY) == last_day
    dates = {rule.after: start}
    found = rules.case_deadlines(PACK, dates, IS_WORKDAY)[name]
    assert found["last_day"] == last_day.isoformat()
    # 2009 暂行规定 art. 22 (15 days, answered in 30); art. 23 (no suspension) for the answer
    assert found["source"].startswith("《关于实行党政领导干部问责的暂行规定》（2009）第二十二条")


def test_the_pack_fixes_15_and_30_days_and_no_suspension():
    assert (PACK.deadlines["appeal"].days, PACK.deadlines["appeal"].after) == (15, "served")
    assert (PACK.deadlines["answer"].days, PACK.deadlines["answer"].after) == (30, "appealed")


@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2024, 12, 1)), st.sampled_from([15, 30]))
def test_a_deadline_is_the_first_working_day_on_or_after_the_last_calendar_day(start, days):
    last = rules.deadline(start, days, IS_WORKDAY)
    plain = start + dt.timedelta(days=days)
    assert last >= plain and IS_WORKDAY(last)
    assert all(not IS_WORKDAY(plain + dt.timedelta(days=i)) for i in range((last - plain).days))


DECIDED = D(2008, 5, 12)


# Each form's restriction and its period, from the decision's day (execution not suspended).
@pytest.mark.parametrize("form,kind,until", [
    ("gov_warning", "no_promotion", D(2008, 11, 12)),        # 处分条例 2007 art. 6: 6 months
    ("gov_demerit", "no_promotion", D(2009, 5, 12)),         # 记过 12 months
    ("gov_major_demerit", "no_promotion", D(2009, 11, 12)),  # 记大过 18 months
    ("gov_demotion", "no_promotion", D(2010, 5, 12)),        # 降级 24 months
    ("gov_dismissal", "no_promotion", D(2010, 5, 12)),       # 撤职 24 months
    ("party_warning", "no_promotion", D(2009, 5, 12)),       # 纪律处分条例 2003 art. 13: 1 year
    ("party_serious_warning", "no_promotion", D(2009, 11, 12)),  # 严重警告 18 months
    ("party_post_removal", "no_equivalent_post", D(2010, 5, 12)),  # art. 14: 2 years
    ("resign", "no_equivalent_post", D(2009, 5, 12)),        # 引咎辞职: 1 year (2009 暂行规定)
    ("ordered_resign", "no_equivalent_post", D(2009, 5, 12)),  # 责令辞职
    ("removal", "no_equivalent_post", D(2009, 5, 12)),       # 免职
    ("party_probation", "no_candidacy", D(2009, 5, 12)),     # 留党察看一年: art. 15, no
    ("party_probation_2y", "no_candidacy", D(2010, 5, 12)),  # right to be elected meanwhile
])
def test_each_sanction_period_and_ban(form, kind, until):
    [effect] = rules.effects(PACK, [form], DECIDED)
    assert (effect.kind, effect.start, effect.until) == (kind, DECIDED, until)
    assert effect.rule == str(PACK.forms[form].source)


@pytest.mark.parametrize("form", ["apology", "suspension", "party_notice", "party_admonition",
                                  "party_adjustment", "talk", "written_review", "circulated",
                                  "transfer"])
def test_forms_without_a_restriction(form):
    assert rules.effects(PACK, [form], DECIDED) == []


def test_no_merit_caps_the_year_grade_and_forms_combine():
    found = rules.effects(PACK, ["no_merit", "removal", "talk"], DECIDED)
    assert [(e.kind, e.cap, e.year) for e in found] == [
        ("grade_cap", "称职", 2008), ("no_equivalent_post", None, None)]


def test_a_month_end_decision_ends_on_the_month_end():
    [effect] = rules.effects(PACK, ["gov_warning"], D(2008, 8, 31))
    assert effect.until == D(2009, 2, 28)


# Days overdue -> level (目标、任务、时限倒逼工作法, the office's pack).
@pytest.mark.parametrize("overdue,level", [
    (-3, None), (0, None), (1, "overdue"), (7, "overdue"), (8, "warning"), (15, "warning"),
    (16, "escalated"), (30, "escalated"), (31, "propose_case"), (200, "propose_case"),
])
def test_escalation_levels(overdue, level):
    due = D(2008, 6, 1)
    assert rules.escalation_level(PACK, due, due + dt.timedelta(days=overdue)) == level


@pytest.mark.parametrize("status,step,allowed", [
    ("opened", "investigated", True), ("opened", "decided", False),
    ("investigated", "decided", True), ("investigated", "closed", True),
    ("decided", "served", True), ("decided", "closed", False),
    ("served", "appealed", True), ("served", "closed", True),
    ("appealed", "reviewed", True), ("appealed", "closed", False),
    ("reviewed", "closed", True), ("closed", "opened", False),
])
def test_steps_in_order(status, step, allowed):
    if allowed:
        rules.check_step(status, step)
    else:
        with pytest.raises(CivicError, match="cannot be"):
            rules.check_step(status, step)


def test_every_national_trigger_has_a_local_heading():
    assert {PACK.heading_of(t) for t in PACK.triggers} == {"km1", "km2", "km3", "km4"}


def test_a_bad_pack_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text((rules.PACKS / "kunming-2008.toml").read_text(encoding="utf-8")
                   .replace('triggers = ["abuse"]', 'triggers = ["nonsense"]'), encoding="utf-8")
    with pytest.raises(CivicError, match="unknown triggers nonsense"):
        rules.load_pack(path=bad)


def test_an_edited_copy_of_the_pack_is_read_again(tmp_path):
    # The pack is parsed once per version of its file: an office's edit must still count.
    copy = tmp_path / "office.toml"
    text = (rules.PACKS / "kunming-2008.toml").read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    first = rules.load_pack(path=copy)
    assert rules.load_pack(path=copy) is first
    copy.write_text(text.replace(first.title, first.title + "（本办修订）", 1), encoding="utf-8")
    assert rules.load_pack(path=copy).title == first.title + "（本办修订）"
    copy.unlink()
    with pytest.raises(CivicError):
        rules.load_pack(path=copy)
