"""The demo's training (Kunming, 2008), from the report (DOMAIN.md):

- study delegations of 2008: Chengdu (100+, two trips), Suzhou (196, two), Singapore (60, July
  and August), Yangzhou (84, March), Changzhou (52 political-legal cadres), Shanghai Huangpu
  (100, July), Wuxi (79, Dianchi basin), Ganzhou (50+ county-level), Nantong (51 agricultural
  cadres, May). Months the report gives are kept; other dates are the demo's choice;
- 21 leaders' training days on rest days (January to May 2008) with 8,300+ person-times;
- earlier Party-school rotation blocks, so most county-level leaders meet the five-year
  requirement; a few attended fewer blocks and are short, and one leader promoted within the
  year before the demo's day has attended none and is inside the catch-up year.

Every figure is counted from these records (`civic training report`), never written down.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

D = dt.date
# (title, destination, host, theme, trips: ((starts, ends, participants), ...), pool)
DELEGATIONS = (
    ("赴成都考察学习", "成都", "成都市委组织部", "统筹城乡综合配套改革",
     ((D(2008, 4, 14), D(2008, 4, 18), 52), (D(2008, 5, 19), D(2008, 5, 23), 50)), "county"),
    ("赴苏州考察学习", "苏州", "苏州市委组织部", "开放型经济与园区建设",
     ((D(2008, 5, 12), D(2008, 5, 16), 98), (D(2008, 6, 16), D(2008, 6, 20), 98)), "all"),
    ("赴新加坡培训", "新加坡", "南洋理工大学", "公共管理",
     ((D(2008, 7, 14), D(2008, 7, 25), 30), (D(2008, 8, 11), D(2008, 8, 22), 30)), "county"),
    ("赴扬州考察学习", "扬州", "扬州市委组织部", "城市建设与管理",
     ((D(2008, 3, 17), D(2008, 3, 21), 84),), "all"),
    ("政法干部赴常州考察学习", "常州", "常州市委政法委", "社会治安综合治理",
     ((D(2008, 4, 7), D(2008, 4, 11), 52),), "all"),
    ("赴上海黄浦区考察学习", "上海黄浦", "黄浦区委组织部", "城区管理与服务",
     ((D(2008, 7, 21), D(2008, 7, 25), 100),), "county"),
    ("滇池流域干部赴无锡考察学习", "无锡", "无锡市委组织部", "太湖水环境治理",
     ((D(2008, 6, 23), D(2008, 6, 27), 79),), "all"),
    ("县级干部赴赣州考察学习", "赣州", "赣州市委组织部", "县域经济发展",
     ((D(2008, 5, 26), D(2008, 5, 30), 52),), "county"),
    ("农业干部赴南通考察学习", "南通", "南通市委农工办", "现代农业与新农村建设",
     ((D(2008, 5, 5), D(2008, 5, 9), 51),), "all"),
)
TRAINING_DAYS = {1: 4, 2: 4, 3: 4, 4: 4, 5: 5}  # sessions a month, January-May 2008: 21
PERSON_TIMES_AT_LEAST = 8300  # the report's "8,300+": the attendance drawn reaches it
ROTATION_BLOCKS = 6  # Party-school rotation 2004-2007, blocks of 30 days
SHORT_LEADERS = 4


def _rest_saturdays(year: int, month: int, cal) -> list[dt.date]:
    day, out = D(year, month, 1), []
    while day.month == month:
        if day.weekday() >= 5 and not cal.is_workday(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def add_demo(office, rng) -> None:
    from civic.plugins.training import actions
    from civic.workdays import WorkCalendar

    db = office.db
    on = office.today()
    rows = list(db.execute(
        "SELECT code, rank_since FROM people WHERE status = 'serving' AND rank IN"
        " ('deputy_division', 'division', 'deputy_bureau', 'bureau') ORDER BY code"))
    leaders = [code for code, _since in rows]
    heads = [r[0] for r in db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank = 'section' ORDER BY code")]
    last_year = on.replace(year=on.year - 1).isoformat()
    promoted = db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank = 'deputy_division'"
        " AND rank_since > ? AND rank_since <= ? ORDER BY rank_since DESC, code LIMIT 1",
        [last_year, on.isoformat()]).fetchone()
    newcomer = promoted[0] if promoted else None
    others = [c for c in leaders if c != newcomer]
    # The few short are long in their rank: none of them is inside a catch-up year.
    settled = [code for code, since in rows if code != newcomer and (since or "") <= last_year]
    short = set(rng.sample(settled, SHORT_LEADERS))

    with office.change():
        rotation = actions.create_programme(office, "县处级领导干部轮训（市委党校）", "full_time",
                                            D(2004, 3, 1), D(2007, 12, 31), "中共昆明市委党校")
        blocks = []
        for i in range(ROTATION_BLOCKS):
            start = D(2004 + i * 2 // 3, 3 + (i % 3) * 3, 1)
            blocks.append(actions.add_session(office, rotation, start, 60, Fraction(180),
                                              f"第{i + 1}期"))
        attending: dict[int, list[str]] = {b: [] for b in blocks}
        for code in others:
            for block in rng.sample(blocks, 2 if code in short else 3):
                attending[block].append(code)
        for block, people in attending.items():
            actions.record_attendance(office, block, people)

        cal = WorkCalendar()
        days = actions.create_programme(office, "领导干部培训日（2008年）", "training_day",
                                        D(2008, 1, 1), D(2008, 12, 31), "中共昆明市委组织部")
        sessions = [day for month, n in TRAINING_DAYS.items()
                    for day in _rest_saturdays(2008, month, cal)[:n]]
        total = 0
        for i, day in enumerate(sessions):
            session = actions.add_session(office, days, day, 1, Fraction(4), "集体学习")
            size = rng.randint(380, 410)
            if i == len(sessions) - 1:  # the last session brings the count to the report's
                size = min(len(others), max(size, PERSON_TIMES_AT_LEAST - total + rng.randint(
                    1, 40)))
            people = rng.sample(others, size)
            total += size
            actions.record_attendance(office, session, people)

        for title, destination, host, theme, trips, pool in DELEGATIONS:
            candidates = others if pool == "county" else others + heads
            for n, (starts, ends, size) in enumerate(trips, 1):
                name = title if len(trips) == 1 else f"{title}（第{n}批）"
                programme = actions.create_delegation(office, name, destination, host, theme,
                                                      starts, ends)
                session = db.execute("SELECT id FROM training_sessions WHERE programme = ?",
                                     [programme]).fetchone()[0]
                actions.record_attendance(office, session, rng.sample(candidates, size))
                due = ends + dt.timedelta(days=30)
                if due < on:
                    actions.file_delegation_report(office, programme, due,
                                                   f"{destination}考察学习报告")
    actions.assess(office, on, leaders)
