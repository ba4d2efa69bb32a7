"""The demo's 2008 batch: 47 regiment-level (团职) officers choose among 53 posts, live.

Source: the 2008 report of the Kunming organization department (DOMAIN.md): "在对47名团职干部
排序的基础上,提供53个职位,按排序先后选岗". The records are invented but plausible: officers born
1957-1970, enlisted at 17-20, 正团 or 副团 for some years, awards as the army gives them,
assessment and exam marks of the 2008 考核考试. The batch goes through the same code as an
office's: files imported, the room opened, each pick recorded, the run closing it, certified
with the supervisor's co-signature, its notice published and confirmed, and then (notice
first) the appointments recorded.

Two later batches are held part-way (`held_stages`, the `register_demo_stages` hook): one
certified with its notice's period over, for the operator to confirm and record the
appointments; one set up and not yet run.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civic.demo import COUNTIES
from civic.demo import names as demo_names
from civic.importers import import_file
from civic.office import Office, Operator
from civic.plugins.placement import actions, notice

SCHEME = Path(__file__).parent / "schemes" / "kunming-2008.toml"
TITLE = "昆明市2008年计划安置军队转业干部"
CUTOFF = dt.date(2008, 6, 30)
SEED = 20080910  # the room's day: drawn in public before the room opened
OFFICERS = 47
CST = dt.timezone(dt.timedelta(hours=8))
SPECIALTIES = (("指挥", 14), ("政工", 10), ("后勤", 6), ("财务", 4), ("通信", 4), ("工程", 4),
               ("技术", 3), ("医疗", 2), ("审计", 2))
# The seats match the rank mapping the batch applies (rules.civil_rank, 2001 暂行办法 art. 24
# as DOMAIN.md cites it): a 团职 officer who completed the minimum years in grade counts as
# 正处 (正团) or 副处 (副团), one grade down otherwise. The demo's 47 officers map to 12 正处,
# 26 副处 and 9 正科; the 53 seats are 13 正处 (调研员 and 支队长 in city departments), 26
# 副处 (副调研员: 12 in the city, one in each county's government) and 14 正科 (a 主任科员 in
# each county's 民政局), each level with room for those who map to it.
CITY_POSTS = (
    ("KM-GAJ", "市公安局交通警察支队支队长", "", "division"),
    ("KM-GAJ", "市公安局特警支队支队长", "", "division"),
    ("KM-MZJ", "市民政局调研员", "", "division"), ("KM-RSJ", "市人事局调研员", "", "division"),
    ("KM-CZJ", "市财政局调研员", "专业=财务|审计", "division"),
    ("KM-SJJ", "市审计局调研员", "专业=财务|审计", "division"),
    ("KM-JTJ", "市交通局调研员", "", "division"), ("KM-JSJ", "市建设局调研员", "", "division"),
    ("KM-SLJ", "市水利局调研员", "", "division"), ("KM-HBJ", "市环境保护局调研员", "",
                                                     "division"),
    ("KM-DCJ", "市滇池管理局调研员", "", "division"),
    ("KM-LDJ", "市劳动和社会保障局调研员", "", "division"),
    ("KM-NYJ", "市农业局调研员", "", "division"),
    ("KM-MZJ", "市民政局副调研员", "", "deputy_division"),
    ("KM-RSJ", "市人事局副调研员", "", "deputy_division"),
    ("KM-CZJ", "市财政局副调研员", "专业=财务|审计", "deputy_division"),
    ("KM-SJJ", "市审计局副调研员", "专业=财务|审计", "deputy_division"),
    ("KM-JTJ", "市交通局副调研员", "", "deputy_division"),
    ("KM-JSJ", "市建设局副调研员", "", "deputy_division"),
    ("KM-SLJ", "市水利局副调研员", "", "deputy_division"),
    ("KM-HBJ", "市环境保护局副调研员", "", "deputy_division"),
    ("KM-DCJ", "市滇池管理局副调研员", "", "deputy_division"),
    ("KM-TJJ", "市统计局副调研员", "", "deputy_division"),
    ("KM-SWJ", "市商务局副调研员", "", "deputy_division"),
    ("KM-WSJ", "市卫生局副调研员", "", "deputy_division"),
)
COUNTY_POSTS = (("ZFB", "人民政府副调研员", "", "deputy_division"),
                ("MZJ", "民政局主任科员", "", "section"))
URBAN = ("KM-WH", "KM-PL", "KM-GD", "KM-XS")


@dataclass(frozen=True)
class DemoPost:
    code: str
    unit: str
    title: str
    rank_level: str
    max_age: int
    eligibility: str
    county: str | None


def posts() -> list[DemoPost]:
    out = [DemoPost(f"JZ08-{i:02d}", unit, title, level, 45 if "支队" in title else 52,
                    cond, None)
           for i, (unit, title, cond, level) in enumerate(CITY_POSTS, 1)]
    for code, name, _region, _kind in COUNTIES:
        short = (name[:2] if name.endswith("自治县") else name[:-1]) + name[-1]
        for suffix, title, cond, level in COUNTY_POSTS:
            out.append(DemoPost(f"JZ08-{len(out) + 1:02d}", f"{code}-{suffix}", short + title,
                                level, 52, cond, code))
    return out


def officer_rows(rng: random.Random, count: int = OFFICERS, seniors: int = 16,
                 prefix: str = "JZ08") -> list[dict[str, Any]]:
    rows = []
    for n in range(1, count + 1):
        senior = n <= seniors  # the first batch: 16 正团, 31 副团
        male = rng.random() < 0.94
        ethnic = demo_names.ethnicity(rng, None)
        born = dt.date(rng.randint(1957, 1964) if senior else rng.randint(1961, 1970),
                       rng.randint(1, 12), rng.randint(1, 28))
        enlisted = dt.date(born.year + rng.randint(17, 20), rng.choice((3, 9, 11, 12)), 1)
        rank_since = dt.date(rng.randint(2000, 2006) if senior else rng.randint(2001, 2007),
                             rng.choice((1, 6, 7, 12)), 1)
        awards = rng.choices(("", "三等功", "三等功;三等功", "二等功", "二等功;三等功",
                              "一等功;三等功"), (30, 34, 14, 12, 8, 2))[0]
        rows.append({
            "编号": f"{prefix}{n:03d}",
            "姓名": demo_names.full_name(rng, "男" if male else "女", ethnic),
            "出生日期": born.isoformat(), "性别": "男" if male else "女", "民族": ethnic,
            "籍贯": demo_names.native_place(rng, "云南昆明", ethnic),
            "学历": rng.choices(("大专", "本科", "硕士"), (25, 62, 13))[0],
            "政治面貌": "中共党员",
            "专业": demo_names.weighted(rng, SPECIALTIES),
            "职务等级": "正团" if senior else "副团",
            "入伍时间": f"{enlisted.year}.{enlisted.month:02d}",
            "任现职时间": rank_since.isoformat(), "立功受奖": awards,
            "考核": f"{rng.randint(150, 192) / 2:.1f}", "考试": f"{rng.randint(120, 186) / 2:.1f}",
            **_service_factors(n, senior),
        })
    if count != OFFICERS:
        return rows
    # Two officers alike in every tie-break (score, service, birth month): the draw decides.
    twin = dict(rows[30])
    twin.update({"编号": rows[31]["编号"], "姓名": rows[31]["姓名"], "性别": rows[31]["性别"],
                 "民族": rows[31]["民族"], "籍贯": rows[31]["籍贯"], "专业": rows[31]["专业"]})
    rows[31] = twin
    return rows


def _service_factors(n: int, senior: bool) -> dict[str, str]:
    """The factors 2001 暂行办法 art. 19 names, for a few officers: wartime awards (the older
    ones served in the border war of the 1980s), hard or remote regions, flying or ship
    service, disability from war or duty. Drawn from their own generator, so the rest of the
    demo's figures stay as they were."""
    rng = random.Random(f"placement-factors-{n}")
    return {
        "战时立功受奖": "三等功" if senior and rng.random() < 0.25 else "",
        "艰苦边远地区工作年限": str(rng.randint(3, 14)) if rng.random() < 0.2 else "",
        "飞行舰艇工作年限": str(rng.randint(2, 12)) if rng.random() < 0.08 else "",
        "伤残情况": ("因战致残" if senior else "因公致残") if rng.random() < 0.05 else "",
    }


def true_preferences(rng: random.Random, officers: list[dict[str, Any]],
                     offered: list[DemoPost]) -> dict[str, list[str]]:
    """Each officer's own order of all posts: city first for most, then the districts, then
    home; nobody refuses a post outright, so everyone is placed where eligible."""
    from civic.plugins.placement.rules import MIN_YEARS_IN_GRADE, civil_rank

    out = {}
    counties = [c[0] for c in COUNTIES]
    for row in officers:
        home = rng.choice(counties)
        city_bias = rng.uniform(0.5, 2.5)
        # An officer looks first at the posts of the level his grade maps to.
        level = civil_rank(row["职务等级"], dt.date.fromisoformat(row["任现职时间"]), CUTOFF,
                           int(MIN_YEARS_IN_GRADE.default))
        score = {}
        for post in offered:
            value = rng.gauss(0, 0.6) + (3.0 if post.rank_level == level else 0.0)
            if post.county is None:
                value += city_bias
            elif post.county in URBAN:
                value += 1.2
            if post.county == home:
                value += 1.5
            score[post.code] = value
        out[row["编号"]] = sorted(score, key=lambda p: -score[p])
    return out


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _at(office: Office, day: dt.date, hour: int = 9, minute: int = 0) -> None:
    jump = getattr(office.clock, "jump_to", None)
    if jump is not None:
        jump(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST))


def add_demo_batch(office: Office, rng: random.Random) -> int:
    """Build the 2008 batch through the plugin's own functions; returns its id."""
    offered = posts()
    officers = officer_rows(rng)
    prefs = true_preferences(rng, officers, offered)
    supervisor = Operator("supervisor", "supervisor")
    _at(office, dt.date(2008, 8, 4))
    batch = _set_up(office, TITLE, "live", SEED, offered, officers)
    _at(office, dt.date(2008, 8, 20), 15)
    couple = officers[40]["编号"]
    county_post = next(p.code for p in offered if p.county == COUNTIES[3][0]
                       and p.unit.endswith("-MZJ"))
    actions.set_override(office, batch, couple, county_post,
                         "夫妻同为驻昆部队转业干部，配偶已在本县安置，经市军转安置工作领导小组研究照顾安置")
    _at(office, dt.date(2008, 9, 10))
    actions.open_room(office, batch)
    _room(office, batch, prefs)
    actions.run_batch(office, batch)
    _at(office, dt.date(2008, 9, 11), 10)
    actions.certify(office, batch, supervisor, dt.date(2008, 10, 8))
    _at(office, dt.date(2008, 9, 12), 9)
    drafted = notice.draft(office, batch)
    from civic import notices

    notices.publish(office, drafted.id, cosigner=supervisor)
    _at(office, dt.date(2008, 9, 24), 9)
    notices.confirm(office, drafted.id, cosigner=supervisor)
    # Notice first (任前公示): the appointments follow the confirmed notice.
    actions.appoint_after_notice(office, batch)
    return batch


def _set_up(office: Office, title: str, mode: str, seed: int, offered: list[DemoPost],
            officers: list[dict[str, Any]], preferences: dict[str, list[str]] | None = None,
            files: str = "2008年军转") -> int:
    """A batch as an office sets one up from its files: the posts entered in the registry,
    the batch, its scheme, officers, posts and (sealed) the officers' lists. Returns its id."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        import_file(office, "positions", _write(folder / f"{files}安置职位.csv", [
            {"编号": p.code, "职位名称": p.title, "单位": p.unit, "职级": p.rank_level,
             "职数": 1, "最低职级": p.rank_level, "最高年龄": p.max_age, "最低学历": "大专",
             "党员要求": "是", "备注": "2008年计划安置军队转业干部专项职位"} for p in offered]))
        batch = actions.new_batch(office, title, CUTOFF, mode, seed)
        actions.set_scheme(office, batch, SCHEME)
        actions.import_officers(office, batch, _write(folder / f"{files}干部考核考试成绩.csv",
                                                      officers))
        actions.import_posts(office, batch, _write(folder / f"{files}安置选岗职位表.csv", [
            {"职位": p.code, "名额": 1, "资格条件": p.eligibility} for p in offered]))
        if preferences is not None:
            actions.import_preferences(office, batch, _write(folder / f"{files}干部选岗志愿表.csv", [
                {"编号": officer, "志愿": n, "职位": post}
                for officer, posts in preferences.items() for n, post in enumerate(posts, 1)]))
    return batch


def _room(office: Office, batch: int, prefs: dict[str, list[str]]) -> None:
    """Officers called in rank order take the first open post they may on their own list;
    the twelfth misspeaks once and the operator undoes the pick (logged with the reason)."""
    start = dt.datetime(2008, 9, 10, 9, 30, tzinfo=CST)
    turn = 0
    slipped = False
    room = actions.room(office, batch)
    while (officer := room.session.current()) is not None:
        when = start + dt.timedelta(minutes=3 * turn)
        _at(office, when.date(), when.hour, when.minute)
        open_now = set(room.session.open_posts())
        wanted = [p for p in prefs[officer] if p in open_now]
        if not wanted:
            room = actions.pass_turn(office, batch)
        elif turn == 11 and not slipped and len(wanted) > 1:
            actions.choose(office, batch, wanted[1])
            room = actions.undo(office, batch, "选岗人口误，当场声明更正，经监督人员确认")
            slipped = True
            continue
        else:
            room = actions.choose(office, batch, wanted[0])
        turn += 1


# -- held stages (register_demo_stages) ------------------------------------------------------
# Two later batches of officers whose transfer orders came after the first, decided by their
# lists (sealed), each left where an office would be on the demo's day (20 October 2008).
# (unit, title, level): 调研员 正处, 副调研员 副处, 主任科员 正科, so each level has room.
SECOND_POSTS = (
    ("KM-TJJ", "市统计局调研员", "division"), ("KM-SWJ", "市商务局调研员", "division"),
    ("KM-WSJ", "市卫生局调研员", "division"),
    ("KM-LYJ", "市旅游局副调研员", "deputy_division"),
    ("KM-ZJJ", "市宗教局副调研员", "deputy_division"),
    ("KM-GHJ", "市规划局副调研员", "deputy_division"),
    ("KM-GZW", "市国资委副调研员", "deputy_division"),
    ("KM-MZJ", "市民政局主任科员", "section"), ("KM-RSJ", "市人事局主任科员", "section"),
    ("KM-LDJ", "市劳动和社会保障局主任科员", "section"),
)
THIRD_POSTS = (
    ("KM-JYJ", "市教育局调研员", "division"),
    ("KM-FGW", "市发展和改革委员会调研员", "division"),
    ("KM-JYJ", "市教育局副调研员", "deputy_division"),
    ("KM-FGW", "市发展和改革委员会副调研员", "deputy_division"),
    ("KM-GAJ", "市公安局副调研员", "deputy_division"),
    ("KM-JTJ", "市交通局主任科员", "section"), ("KM-JSJ", "市建设局主任科员", "section"),
    ("KM-SLJ", "市水利局主任科员", "section"),
)
SECOND_TITLE = "昆明市2008年计划安置军队转业干部（第二批）"
THIRD_TITLE = "昆明市2008年计划安置军队转业干部（第三批）"


def _held_posts(prefix: str, rows: tuple[tuple[str, str, str], ...]) -> list[DemoPost]:
    return [DemoPost(f"{prefix}-{i:02d}", unit, title, level, 52, "", None)
            for i, (unit, title, level) in enumerate(rows, 1)]


def held_stages(office: Office, rng: random.Random,
                today: dt.date) -> list[tuple[dt.datetime, Callable[[], object]]]:
    """The steps of the held batches (`register_demo_stages`), each dated, none after `today`:
    the second batch certified with its notice posted on 10 October and its period over on
    the 17th (the operator confirms the notice, then records the appointments); the third set
    up on 16 October and not yet run. Their officers and lists are drawn now."""
    from civic import notices

    if not office.db.execute("SELECT 1 FROM placement_batches LIMIT 1").fetchone():
        return []  # no first batch: nothing to carry on from
    supervisor = Operator("supervisor", "supervisor")
    second_posts, third_posts = _held_posts("JZ08B", SECOND_POSTS), _held_posts("JZ08C",
                                                                                THIRD_POSTS)
    second = officer_rows(rng, 8, 3, "JZ08B")
    third = officer_rows(rng, 6, 2, "JZ08C")
    lists = (true_preferences(rng, second, second_posts),
             true_preferences(rng, third, third_posts))
    made: dict[str, int] = {}

    def set_up(key: str, title: str, seed: int, offered: list[DemoPost],
               officers: list[dict[str, Any]], prefs: dict[str, list[str]]) -> None:
        made[key] = _set_up(office, title, "sealed", seed, offered, officers, prefs,
                            f"2008年军转{title[-4:-1]}")

    def publish(on: dt.date) -> None:
        drafted = notice.draft(office, made["second"])
        notices.publish(office, drafted.id, cosigner=supervisor, on=on)

    def at(month: int, day: int, hour: int) -> dt.datetime:
        return dt.datetime(2008, month, day, hour, tzinfo=CST)

    steps: list[tuple[dt.datetime, Callable[[], object]]] = [
        (at(9, 25, 14), lambda: set_up("second", SECOND_TITLE, 20081008, second_posts, second,
                                        lists[0])),
        (at(10, 8, 10), lambda: actions.run_batch(office, made["second"])),
        (at(10, 9, 10), lambda: actions.certify(office, made["second"], supervisor,
                                                 dt.date(2008, 11, 1))),
        (at(10, 10, 10), lambda: publish(dt.date(2008, 10, 10))),
        (at(10, 16, 14), lambda: set_up("third", THIRD_TITLE, 20081020, third_posts, third,
                                         lists[1])),
    ]
    return [(when, step) for when, step in steps if when.date() <= today]
