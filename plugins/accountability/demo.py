"""The demo's accountability work of 2008: the 165 leaders held to account or investigated in
January-June 2008 under Kunming's four headings (DOMAIN.md mechanism 5), supervised tasks with
some overdue, two inspection rounds (巡察, daily from 24 March and special) with findings,
rectification, a reserve-cadre recommendation decided and a demotion proposed, and one 记过
that then blocks a promotion in the July nomination.

The split over the four headings and the forms are invented but plausible (the report gives
only the total); every case goes through the same actions as an office's, so the report
counts them from the data: `civic accountability report --from 2008-01-01 --to 2008-06-30`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from civic.office import Office, Operator
from civic.plugins.accountability import actions

CST = dt.timezone(dt.timedelta(hours=8))
SUPERVISOR = Operator("supervisor", "supervisor")
# Cases per heading (sums to the report's 165) and the triggers drawn under each.
PER_HEADING = {"km1": 38, "km2": 52, "km3": 47, "km4": 28}
TRIGGERS = {"km1": ("decision", "accident", "incident"), "km2": ("supervision", "staffing"),
            "km3": ("abuse",), "km4": ("other",)}
SUMMARIES = {"km1": "责任意识淡漠，造成严重失误", "km2": "不认真履职，执行力低下",
             "km3": "办事拖拉，推诿扯皮", "km4": "内部管理松懈，群众反映强烈"}
# Forms as drawn, most cases with the lighter local forms (weights).
FORMS = (("talk", 40), ("written_review", 25), ("circulated", 20), ("no_merit", 12),
         ("transfer", 8), ("gov_warning", 6), ("gov_demerit", 4), ("party_warning", 4),
         ("apology", 3), ("suspension", 3), ("removal", 3), ("resign", 2))
SOURCES = (("complaint", 5), ("inspection", 4), ("task", 3), ("audit", 2), ("media", 2))
APPEALED = 5  # cases still under appeal at the end of June
# The person blocked in the July nomination: a 记过 decided in May (no promotion 12 months).
BLOCKED_POST = ("KM-XS-SW", "head")  # 西山区委书记, one of the 11 posts of 4 July 2008
NOMINATION_DAY = dt.date(2008, 7, 4)


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _w in table], [w for _c, w in table])[0]


def add_demo(office: Office, rng: random.Random) -> None:
    db = office.db
    people = [r[0] for r in db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank IN ('section',"
        " 'deputy_division', 'division', 'deputy_bureau') ORDER BY code")]
    if not people:
        return
    clock: Any = office.clock  # the demo's clock (civic.demo.clock), which can jump on
    clock.jump_to(dt.datetime(2008, 7, 7, 9, 0, tzinfo=CST))
    blocked = _blocked_person(office)
    cases: list[tuple[dt.date, str, str]] = []
    for heading, count in PER_HEADING.items():
        for _n in range(count):
            opened = dt.date(2008, 1, 2) + dt.timedelta(days=rng.randrange(0, 175))
            cases.append((opened, heading, rng.choice(TRIGGERS[heading])))
    cases.sort()
    pool = [p for p in people if p != blocked]
    appeal_left = APPEALED
    for number, (opened, heading, trigger) in enumerate(cases):
        person = blocked if number == len(cases) // 2 and blocked else rng.choice(pool)
        case_id = actions.open_case(office, person=person, trigger=trigger,
                                    source=_weighted(rng, SOURCES),
                                    summary=SUMMARIES[heading], opened_on=opened)
        investigated = opened + dt.timedelta(days=rng.randrange(3, 12))
        decided = investigated + dt.timedelta(days=rng.randrange(2, 8))
        if decided > dt.date(2008, 6, 30):
            if investigated <= dt.date(2008, 6, 30):
                actions.step(office, case_id, "investigated", investigated)
            continue  # still under investigation at the end of June
        actions.step(office, case_id, "investigated", investigated)
        if person == blocked:
            forms = ["gov_demerit"]
            factors = [("aggravating", "隐瞒事实")]
        else:
            forms = sorted({_weighted(rng, FORMS) for _i in range(rng.choice((1, 1, 2)))})
            factors = [("mitigating", "主动挽回损失")] if rng.random() < 0.2 else []
        actions.decide(office, case_id, decided, forms, factors, SUPERVISOR)
        served = decided + dt.timedelta(days=rng.randrange(1, 4))
        actions.step(office, case_id, "served", served)
        if appeal_left and served > dt.date(2008, 6, 10) and person != blocked:
            actions.step(office, case_id, "appealed", served + dt.timedelta(days=5))
            appeal_left -= 1
        elif served + dt.timedelta(days=20) <= dt.date(2008, 6, 30):
            actions.step(office, case_id, "closed", served + dt.timedelta(days=20))
    _tasks(office, rng)
    _inspections(office, rng, pool)


def _blocked_person(office: Office) -> str | None:
    """Someone the July nomination would count for 西山区委书记 as a promotion."""
    from civic.demo.org import slot_code
    from civic.eligibility import bars, problems_many
    from civic.registry import get_position

    post = slot_code(*BLOCKED_POST)
    if office.db.execute("SELECT 1 FROM positions WHERE code = ?", (post,)).fetchone() is None:
        return None
    # Those `civic eligible` lists for the post (serving or in reserve, no bar) who rank below
    # it: only they are checked, not the whole registry.
    position = get_position(office.db, post)
    below = office.db.query("SELECT * FROM people WHERE status IN ('serving', 'reserve')"
                            " AND rank = 'deputy_division' ORDER BY code")
    eligible = [p["code"] for p, _pos, found in problems_many(
        office.pm, office.db, ((p, position) for p in below), NOMINATION_DAY) if not bars(found)]
    return eligible[-1] if eligible else None


TASKS = (("城中村改造拆迁进度", "key", 30), ("滇池治理项目督办", "urgent", 20),
         ("行政审批提速", "regular", 45), ("信访积案化解", "follow_up", 25),
         ("重点项目开工", "key", 40), ("招商引资任务", "regular", 60),
         ("安全生产大检查整改", "urgent", 15), ("农村饮水工程", "regular", 50))


def _tasks(office: Office, rng: random.Random) -> None:
    """Tasks set in April-June; those not done are overdue by early July."""
    units = [r[0] for r in office.db.execute("SELECT code FROM units ORDER BY code")]
    for number, (title, kind, days) in enumerate(TASKS):
        set_on = dt.date(2008, 4, 1) + dt.timedelta(days=number * 9)
        due = set_on + dt.timedelta(days=days)
        task = actions.new_task(office, title=title, unit=rng.choice(units), owner=None,
                                type=kind, deadline=due, created_on=set_on)
        actions.log_task(office, task, "progress", set_on + dt.timedelta(days=7), "已部署，正在推进")
        if number % 3 == 0:
            actions.log_task(office, task, "closed", due - dt.timedelta(days=2), "按期完成")



def _inspections(office: Office, rng: random.Random, people: list[str]) -> None:
    """A daily round from 24 March 2008 (the 巡察规定's start) and a special one in May."""
    db = office.db
    units = [r[0] for r in db.execute(
        "SELECT DISTINCT unit FROM people WHERE unit IS NOT NULL ORDER BY unit")]
    daily_units, special_units = sorted(rng.sample(units, 3)), sorted(rng.sample(units, 2))
    daily = actions.new_inspection(office, kind="daily", title="2008年县（市）区领导班子日常巡察",
                                   team="市委第一巡察组", units=daily_units,
                                   starts_on=dt.date(2008, 3, 24),
                                   ends_on=dt.date(2008, 4, 30))
    actions.record_work(office, daily, {"talks": 86, "questionnaires": 240, "documents": 57,
                                        "spot_checks": 6})
    texts = ("民主集中制执行不到位", "干部作风不实，推诿扯皮", "重点项目推进缓慢")
    for unit, text in zip(daily_units, texts, strict=True):
        finding = actions.add_finding(office, daily, unit, text, dt.date(2008, 4, 20))
        item = actions.add_rectification(office, finding, "制定整改方案并限期整改",
                                         dt.date(2008, 6, 30))
        if unit != daily_units[-1]:
            actions.rectified(office, item, dt.date(2008, 6, 20))
    in_unit = [r[0] for r in db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank = 'section' AND unit = ?"
        " ORDER BY code", (daily_units[0],))] or people
    reserve = actions.propose(office, daily, rng.choice(in_unit), "reserve", None,
                              "巡察中群众公认、实绩突出，推荐为后备干部")
    actions.decide_proposal(office, reserve, dt.date(2008, 5, 8), SUPERVISOR)
    special = actions.new_inspection(office, kind="special", title="2008年滇池治理专项巡察",
                                     team="市委专项巡察组", units=special_units,
                                     starts_on=dt.date(2008, 5, 10),
                                     ends_on=dt.date(2008, 5, 31))
    actions.record_work(office, special, {"talks": 34, "documents": 41, "spot_checks": 12})
    finding = actions.add_finding(office, special, special_units[0], "治污工程进度严重滞后",
                                  dt.date(2008, 5, 28))
    actions.add_rectification(office, finding, "倒排工期，限期完成截污工程",
                              dt.date(2008, 8, 31))
    heads = [r[0] for r in db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank = 'division' AND unit = ?"
        " ORDER BY code", (special_units[0],))] or people
    lower = db.execute("SELECT code FROM positions WHERE rank_level = 'deputy_division'"
                       " AND unit = ? ORDER BY code", (special_units[0],)).fetchone() \
        or db.execute("SELECT code FROM positions WHERE rank_level = 'deputy_division'"
                      " ORDER BY code").fetchone()
    actions.propose(office, special, heads[0], "demote", lower[0] if lower else None,
                    "治污工作不力，建议降职使用")
