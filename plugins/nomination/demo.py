"""The demo's July 2008 two-round nomination: 11 vacant 正县级 posts, 22 reserve candidates.

Source: the 2008 report of the Kunming organization department (DOMAIN.md mechanism 1): on
4 July 2008, for 11 vacant posts (市政府秘书长, 市财政局长, 西山区委书记, 安宁市委书记 ...), 260
electors (正县级以上领导干部, heads of enterprises and institutions, 市纪委常委, deputies and
committee members, public representatives) wrote in whom they recommended; the top 5 per post
were posted publicly under the discipline commission's supervision; a conference of 副厅级以上干部,
市委委员及候补委员, 市纪委常委, county leaders, 纪委书记 and 组织部长 chose 2 per post as reserve
candidates. The ballots are invented but plausible, and go through the same code as an
office's: roll and ballot files imported, a write-in adjudicated, a tie at the cut-off settled
by a re-vote, the count certified with the supervisor's co-signature, the notice published
(with one objection, handled) and confirmed, round 2 counted and certified, the candidates for
inspection posted (考察对象公示) and, once that notice is confirmed, named reserve candidates.

Four later nominations are held part-way (`held_stages`, the `register_demo_stages` hook) for
the operator to carry on: one to certify, one to confirm and name the reserve, one to confirm
and open round 2, one whose notice still runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from civic import notices
from civic.demo import names as demo_names
from civic.demo.org import slot_code
from civic.office import Office, Operator
from civic.plugins.nomination import actions, notice, store
from civic.plugins.nomination.rules import CONFERENCE, OPEN

TITLE = "2008年7月市管正县级领导职位两轮推荐提名"
ANNOUNCED = dt.date(2008, 7, 4)
CST = dt.timezone(dt.timedelta(hours=8))
# Round 1's 260 electors by category, as the report lists them.
OPEN_ROLL = (("正县级以上领导干部", 150), ("部分企事业单位主要领导", 30), ("市纪委常委", 11),
             ("部分党代表、人大代表、政协委员", 45), ("群众代表", 24))
CONFERENCE_ROLL = (("副厅级以上干部", 46), ("市委委员及候补委员", 40), ("市纪委常委", 11),
                   ("县(市)区四班子主要领导", 56), ("县(市)区纪委书记", 14), ("县(市)区组织部长", 14))
ABSENT = (8, 6)  # electors absent in each round
SUPERVISOR = Operator("supervisor", "supervisor")
# The 11 vacant 正县级 posts announced on 4 July 2008, by (unit, role) in the demo's city (they
# fell vacant earlier in 2008: civic.demo.plan.VACATED), with the announcement's conditions:
# (max age, further requirement).
NOMINATION_POSTS: dict[tuple[str, str], tuple[int, str]] = {
    ("KM-GOV", "secretary_general"): (50, "具有较强的综合协调能力,有县(市)区或市级部门领导工作经历"),
    ("KM-CZJ", "head"): (50, "具有财经工作经历"),
    ("KM-XS-SW", "head"): (52, "具有县(市)区党政领导工作经历"),
    ("KM-AN-SW", "head"): (52, "具有县(市)区党政领导工作经历"),
    ("KM-FGW", "head"): (50, "具有经济工作经历"),
    ("KM-JYJ", "head"): (50, "熟悉教育工作"),
    ("KM-WSJ", "head"): (50, "具有医学或卫生管理工作经历者优先"),
    ("KM-GD-GOV", "head"): (52, "具有县(市)区党政领导工作经历"),
    ("KM-CG-SW", "head"): (52, "具有县(市)区党政领导工作经历"),
    ("KM-GZW", "head"): (50, "熟悉国有资产管理和企业经营"),
    ("KM-GHJ", "head"): (50, "具有城市规划或建设管理工作经历"),
}
NOMINATION_CODES: tuple[str, ...] = tuple(slot_code(*key) for key in NOMINATION_POSTS)
TIE_POST = slot_code("KM-XS-SW", "head")  # 西山区委书记: its 5th and 6th names tie in round 1


def add_demo_nomination(office: Office, rng: random.Random) -> None:
    db = office.db
    posts = [p for p in NOMINATION_CODES
             if db.execute("SELECT 1 FROM positions WHERE code = ?", (p,)).fetchone()]
    if not posts:
        return
    _at(office, ANNOUNCED, 9)
    _announce(office, posts)
    nom = actions.create(office, title=TITLE, positions=posts, reference_date=ANNOUNCED)
    shared = {n for (n,) in db.execute(
        "SELECT name FROM people GROUP BY name HAVING count(*) > 1")}
    pools = _eligible(office, {p: nom.ceilings.get(p) for p in posts})
    ambiguous = _ambiguous(pools, shared)
    pools = {p: [x for x in pool if x["name"] not in shared] for p, pool in pools.items()}
    ineligible = [n for (n,) in db.execute(
        "SELECT name FROM people WHERE rank = 'section' AND status = 'serving' ORDER BY code")
        if n not in shared][:len(posts)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Round 1 (海推), 4 July: 260 on the roll, 252 present, 250 ballots returned.
        rnd = store.get_round(db, nom, OPEN)
        registered = sum(n for _c, n in OPEN_ROLL)
        actions.load_roll(office, rnd, _roll(folder / "roll-1.csv", "R1", OPEN_ROLL, ABSENT[0],
                                             rng))
        present = registered - ABSENT[0]
        actions.close_attendance(office, rnd)  # attendance is final before any ballot
        actions.record_figures(office, rnd, present, present - 2)
        taken: set[str] = set()  # the leaders of one post are not the leaders of another
        sections = {}
        for i, post in enumerate(posts):
            sections[post] = _open_marks(
                rng, [x for x in pools[post] if x["code"] not in taken], present - 2,
                post == TIE_POST, ambiguous.get(post),
                ineligible[i % len(ineligible)] if ineligible else None, taken)
        actions.import_ballots(office, nom, rnd, _ballots(folder / "ballots-1.csv", sections))
        for post, (written, person) in ambiguous.items():
            actions.adjudicate(office, nom, rnd, position=post, written=written, person=person,
                               note="选票上注明了工作单位")
        _settle_ties(office, nom, rnd, rng, range(60, 190))
        _at(office, ANNOUNCED, 18)
        actions.certify(office, nom, store.get_round(db, nom, OPEN), SUPERVISOR)
        # The notice: posted on Monday 7 July for 5 working days; one letter, looked into.
        _at(office, dt.date(2008, 7, 7), 9)
        drafted = notice.draft(office, nom)
        notice.publish(office, nom, SUPERVISOR, dt.date(2008, 7, 7))
        _at(office, dt.date(2008, 7, 9), 10)
        objection = notices.record_objection(
            office, drafted.id, channel="letter",
            content="来信反映某公示对象在原单位工作期间作风简单，请予核实。")
        _at(office, dt.date(2008, 7, 11), 16)
        notices.resolve_objection(office, objection, handling=(
            "经市委组织部干部监督科会同所在单位核查，反映的问题与事实不符，不影响其推荐提名。"),
            resolved_by="干部监督科")
        _at(office, dt.date(2008, 7, 15), 9)
        notices.confirm(office, drafted.id, cosigner=SUPERVISOR)
        # Round 2 (公推), 16 July: a conference among the top 5 of each post, 2 names each.
        _at(office, dt.date(2008, 7, 16), 9)
        second = actions.open_round(office, nom)
        actions.load_roll(office, second, _roll(folder / "roll-2.csv", "R2", CONFERENCE_ROLL,
                                                ABSENT[1], rng))
        present = sum(n for _c, n in CONFERENCE_ROLL) - ABSENT[1]
        actions.close_attendance(office, second)
        actions.record_figures(office, second, present, present)
        first = {p["position"]: p for p in store.get_round(db, nom, OPEN).report["positions"]}
        sections = {p: _conference_marks(rng, first[p], present) for p in second.vround.positions}
        actions.import_ballots(office, nom, second, _ballots(folder / "ballots-2.csv", sections))
        _at(office, dt.date(2008, 7, 16), 17)
        actions.certify(office, nom, store.get_round(db, nom, CONFERENCE), SUPERVISOR)
    # 考察对象公示: posted on Thursday 17 July for 5 working days (to 24 July), no objection;
    # confirmed on the 25th, when the 22 enter the reserve pool (notice first).
    _at(office, dt.date(2008, 7, 17), 9)
    inspection = notice.draft(office, nom, CONFERENCE)
    notice.publish(office, nom, SUPERVISOR, dt.date(2008, 7, 17), CONFERENCE)
    _at(office, dt.date(2008, 7, 25), 9)
    notices.confirm(office, inspection.id, cosigner=SUPERVISOR)
    if actions.notice_first(db):
        actions.name_reserve(office, nom)


def _announce(office: Office, posts: Sequence[str]) -> None:
    """The post announcement sets each post's conditions: one audited import of them."""
    from civic.importers import import_file

    conditions = {slot_code(*key): value for key, value in NOMINATION_POSTS.items()}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "announcement-2008-07-04.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["编号", "职位名称", "最高年龄", "备注"])
            for post in posts:
                title = office.db.execute("SELECT title FROM positions WHERE code = ?",
                                          (post,)).fetchone()[0]
                writer.writerow([post, title, *conditions[post]])
        import_file(office, "positions", path)


def _at(office: Office, day: dt.date, hour: int) -> None:
    jump = getattr(office.clock, "jump_to", None)
    if jump is not None:
        jump(dt.datetime.combine(day, dt.time(hour), tzinfo=CST))


def _eligible(office: Office, ceilings: dict[str, str | None]) -> dict[str, list[dict[str, Any]]]:
    """Per post, the people within its band who meet its conditions on the reference date
    (leaders only: fast). The ceiling keeps 副厅级 officials off the slates of 正县级 posts, as
    electors who know the rule would. Every post's pairs are checked in one pass of core's bulk
    check (the same problems as one `problems` call a pair, restrictions read once)."""
    from civic.eligibility import bars, problems_many
    from civic.plugins.nomination.rules import within_ceiling
    from civic.registry import get_position

    people = list(office.db.query(
        "SELECT * FROM people WHERE status = 'serving' AND rank IN ('deputy_division',"
        " 'division', 'deputy_bureau') ORDER BY code"))
    positions = {post: get_position(office.db, post) for post in ceilings}
    pairs = [(p, positions[post]) for post, ceiling in ceilings.items() for p in people
             if within_ceiling(p["rank"], ceiling)]
    pools: dict[str, list[dict[str, Any]]] = {post: [] for post in ceilings}
    for person, position, found in problems_many(office.pm, office.db, pairs, ANNOUNCED):
        if not bars(found):
            pools[position["code"]].append(person)
    return pools


def _ambiguous(pools: dict[str, list[dict[str, Any]]], shared: set[str]) -> dict[str, tuple]:
    """One post's write-in that names two people: (name, the one the electors meant)."""
    for post, pool in pools.items():
        for person in pool:
            if person["name"] in shared and post != TIE_POST:
                return {post: (person["name"], person["code"])}
    return {}


def _open_marks(rng: random.Random, pool: list[dict[str, Any]], ballots: int, tie: bool,
                ambiguous: tuple[str, str] | None, ineligible: str | None,
                taken: set[str]) -> list[list[str]]:
    """Each ballot's section for one post: mostly one name; some blank, unknown, over-voted,
    naming someone who does not meet the post's conditions, or a name two people share."""
    people = rng.sample(pool, min(len(pool), 14))
    taken.update(p["code"] for p in people[:6])
    blank, unknown, over = rng.randint(4, 9), rng.randint(1, 3), rng.randint(0, 2)
    extra = (2 if ambiguous else 0) + (1 if ineligible else 0)
    named = ballots - blank - unknown - over - extra
    counts = _spread(rng, named, len(people), tie)
    sections: list[list[str]] = []
    for person, n in zip(people, counts, strict=True):
        # Most write the name; a few copy the code from the announcement's list.
        sections += [[person["code"] if rng.random() < 0.05 else person["name"]]
                     for _i in range(n)]
    sections += [[]] * blank
    sections += [[rng.choice(("某某", "张三", "不清楚", "无"))] for _i in range(unknown)]
    sections += [[people[0]["name"], people[1]["name"]] for _i in range(over)]
    if ambiguous:
        sections += [[ambiguous[0]], [ambiguous[0]]]
    if ineligible:
        sections.append([ineligible])
    rng.shuffle(sections)
    return sections


def _spread(rng: random.Random, total: int, n: int, tie: bool) -> list[int]:
    """Votes for n names, falling off (a curve of its own per post); the 5th and 6th equal
    when `tie`, else distinct."""
    shift, power = rng.uniform(1.0, 2.5), rng.uniform(0.8, 1.4)
    weights = [rng.uniform(0.8, 1.2) / (i + shift) ** power for i in range(n)]
    counts = [int(total * w / sum(weights)) for w in weights]
    counts[0] += total - sum(counts)
    counts = sorted(counts, reverse=True)
    if n > 5:
        if tie:
            counts[0] += counts[4] - counts[5]
            counts[4] = counts[5]
        elif counts[4] == counts[5]:
            counts[4] += 1
            counts[0] -= 1
    return counts


def _conference_marks(rng: random.Random, post: dict[str, Any],
                      ballots: int) -> list[list[str]]:
    """Two names of the slate per ballot, the round 1 leaders favoured; a few exceptions."""
    slate = [(r["name"], r["votes"]) for r in post["results"] if r["advances"]]
    while True:
        sections = []
        for _i in range(ballots):
            r = rng.random()
            if r < 0.02:
                sections.append([])
            elif r < 0.04:
                sections.append([n for n, _v in rng.sample(slate, min(3, len(slate)))])
            else:
                first = rng.choices([n for n, _v in slate], [v for _n, v in slate])[0]
                rest = [(n, v) for n, v in slate if n != first]
                second = rng.choices([n for n, _v in rest], [v for _n, v in rest])[0]
                sections.append([first, second] if rest else [first])
        if not _tied_at(sections, 2):
            return sections


def _tied_at(sections: Sequence[Sequence[str]], places: int) -> bool:
    counts: dict[str, int] = {}
    for section in sections:
        if len(set(section)) <= 2:
            for name in set(section):
                counts[name] = counts.get(name, 0) + 1
    ordered = sorted(counts.values(), reverse=True)
    return len(ordered) > places and ordered[places - 1] == ordered[places]


def _roll(path: Path, prefix: str, categories: Sequence[tuple[str, int]], absent: int,
          rng: random.Random) -> Path:
    return _write_roll(path, _roll_rows(prefix, categories, absent, rng))


def _roll_rows(prefix: str, categories: Sequence[tuple[str, int]], absent: int,
               rng: random.Random) -> list[list[str]]:
    """A roll's rows (code, name, category, present), `absent` of them away."""
    rows = []
    for category, n in categories:
        for _i in range(n):
            gender = "女" if rng.random() < 0.2 else "男"
            name = demo_names.full_name(rng, gender, demo_names.ethnicity(rng, None))
            rows.append([f"{prefix}-{len(rows) + 1:03d}", name, category])
    away = set(rng.sample(range(len(rows)), absent))
    return [r + ["否" if i in away else "是"] for i, r in enumerate(rows)]


def _write_roll(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["编号", "姓名", "类别", "出席"])
        out.writerows(rows)
    return path


def _ballots(path: Path, sections: dict[str, list[list[str]]]) -> Path:
    count = len(next(iter(sections.values())))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["票号", "职位", "推荐人选"])
        for b in range(count):
            for post, column in sections.items():
                out.writerows([[b + 1, post, text] for text in column[b]] or [[b + 1, post, ""]])
    return path


# -- held stages (register_demo_stages) ------------------------------------------------------
# Four later nominations of the autumn, each left where an office would be on the demo's day
# (DEMO_TODAY, Monday 20 October 2008), so the operator takes the next step himself: reserve
# candidates (后备干部) for 副县级 posts, drawn from 正科级 cadres. Working days follow
# civic.workdays (National Day 1-7 October off).
SMALL_ROLL = (("市直部门领导班子成员", 40), ("部门中层干部", 30), ("群众代表", 10))
SMALL_CONFERENCE = (("分管市领导及部门主要领导", 12), ("市委组织部部务会成员", 9),
                    ("市纪委派驻纪检组长", 6))
SMALL_ABSENT = (4, 1)
# The steps a held nomination goes through, in order; each held one stops after one of them.
STEPS = ("round1", "certify1", "publish1", "confirm1", "round2", "certify2", "publish2")


@dataclass(frozen=True)
class Held:
    """One held nomination: its title, its posts and the time of each step it takes."""

    title: str
    posts: tuple[str, ...]
    times: tuple[dt.datetime, ...]  # one per step of STEPS it takes

    @property
    def stage(self) -> str:
        return STEPS[len(self.times) - 1]


def _t(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2008, month, day, hour, tzinfo=CST)


HELD = (
    # Round 2 counted, awaiting the supervisor's co-signature on the count (c).
    Held("2008年9月市管副县级后备干部推荐提名（环保、商务、旅游）",
         ("KM-HBJ-02", "KM-SWJ-02", "KM-LYJ-02"),
         (_t(9, 25, 9), _t(9, 25, 17), _t(9, 26, 9), _t(10, 9, 9), _t(10, 14, 9))),
    # The candidates for inspection posted 10 October, period over on the 17th: confirm it,
    # then name the reserve (R).
    Held("2008年9月市管副县级后备干部推荐提名（统计、审计、滇池）",
         ("KM-TJJ-02", "KM-SJJ-02", "KM-DCJ-02"),
         (_t(9, 25, 10), _t(9, 25, 18), _t(9, 26, 10), _t(10, 9, 10), _t(10, 10, 9),
          _t(10, 10, 11), _t(10, 10, 15))),
    # Round 1's notice posted 9 October, period over on the 16th: confirm it, open round 2 (o).
    Held("2008年10月市管副县级后备干部推荐提名（交通、农业、水利）",
         ("KM-JTJ-02", "KM-NYJ-02", "KM-SLJ-02"),
         (_t(10, 8, 9), _t(10, 8, 17), _t(10, 9, 9))),
    # Round 1's notice posted 17 October: inside its period (to the 24th) on the demo's day.
    Held("2008年10月市管副县级后备干部推荐提名（民政、人事、劳动）",
         ("KM-MZJ-02", "KM-RSJ-02", "KM-LDJ-02"),
         (_t(10, 16, 9), _t(10, 16, 17), _t(10, 17, 9))),
)


def held_stages(office: Office, rng: random.Random,
                today: dt.date) -> list[tuple[dt.datetime, Callable[[], object]]]:
    """The steps of the held nominations (`register_demo_stages`), each dated; none after
    `today`. Their people are drawn now, before any step runs: the draw does not depend on
    what the other plugins did in between."""
    db = office.db
    posts = [p for held in HELD for p in held.posts]
    found = {r[0] for r in db.execute(
        f"SELECT code FROM positions WHERE code IN ({', '.join('?' for _p in posts)})", posts)}
    if not store.list_all(db) or not set(posts) <= found:
        return []  # no July nomination (or no such posts): nothing to carry on from
    shared = {n for (n,) in db.execute(
        "SELECT name FROM people GROUP BY name HAVING count(*) > 1")}
    sections = [p for p in db.query(
        "SELECT * FROM people WHERE status = 'serving' AND rank = 'section'"
        " AND position IS NOT NULL ORDER BY code")  # a current post for the notice to name
        if p["name"] not in shared]
    steps: list[tuple[dt.datetime, Callable[[], object]]] = []
    taken: set[str] = set()
    for held in HELD:
        assert held.times[-1].date() <= today, held.title
        steps += _held_steps(office, rng, held, sections, taken)
    return steps


def _held_steps(office: Office, rng: random.Random, held: Held, sections: list[dict[str, Any]],
                taken: set[str]) -> list[tuple[dt.datetime, Callable[[], object]]]:
    from civic.eligibility import problems_many
    from civic.registry import get_position

    db = office.db
    reference = held.times[0].date()
    # Each post's sample is drawn first, in the posts' order; then every pair is checked in
    # one pass of core's bulk check (the same problems as `problems` a pair).
    positions = {post: get_position(db, post) for post in held.posts}
    pairs = [(p, positions[post]) for post in held.posts
             for p in rng.sample(sections, min(60, len(sections))) if p["code"] not in taken]
    pools: dict[str, list[dict[str, Any]]] = {post: [] for post in held.posts}
    for person, position, found in problems_many(office.pm, db, pairs, reference):
        if not found:
            pools[position["code"]].append(person)
    roll1 = _roll_rows("R1", SMALL_ROLL, SMALL_ABSENT[0], rng)
    roll2 = _roll_rows("R2", SMALL_CONFERENCE, SMALL_ABSENT[1], rng)
    present1 = sum(n for _c, n in SMALL_ROLL) - SMALL_ABSENT[0]
    present2 = sum(n for _c, n in SMALL_CONFERENCE) - SMALL_ABSENT[1]
    # The leaders of one post are not the leaders of another (as in July).
    marks1 = {post: _open_marks(rng, [x for x in pool if x["code"] not in taken],
                                present1 - 2, False, None, None, taken)
              for post, pool in pools.items()}
    state: dict[str, Any] = {}

    def nomination() -> store.Nomination:
        return store.get(db, state["id"])

    def round1() -> None:
        nom = actions.create(office, title=held.title, positions=held.posts,
                             reference_date=reference)
        state["id"] = nom.id
        rnd = store.get_round(db, nom, OPEN)
        _count(office, nom, rnd, roll1, present1, present1 - 2, marks1)
        # A name drawn unique may be shared by now (officers placed meanwhile): the electors
        # meant the cadre on the list, as the unit written beside the name shows.
        meant = {p["name"]: p["code"] for pool in pools.values() for p in pool}
        for item in store.queue(db, rnd):
            actions.adjudicate(office, nom, rnd, position=item["position"],
                               written=item["text"], person=meant.get(item["text"]),
                               invalid=item["text"] not in meant, note="选票上注明了工作单位")
        _settle_ties(office, nom, rnd, rng, range(20, present1 - 2))

    def round2() -> None:
        nom = nomination()
        second = actions.open_round(office, nom)
        first = {p["position"]: p for p in store.get_round(db, nom, OPEN).report["positions"]}
        _count(office, nom, second, roll2, present2, present2,
               {p: _conference_marks(rng, first[p], present2) for p in second.vround.positions})

    def publish(round_no: int, on: dt.date) -> None:
        nom = nomination()
        notice.draft(office, nom, round_no)
        notice.publish(office, nom, SUPERVISOR, on, round_no)

    def confirm(round_no: int) -> None:
        nom = nomination()
        notices.confirm(office, store.get_round(db, nom, round_no).notice, cosigner=SUPERVISOR)

    calls: dict[str, Callable[[dt.datetime], object]] = {
        "round1": lambda when: round1(),
        "certify1": lambda when: actions.certify(office, nomination(), store.get_round(
            db, nomination(), OPEN), SUPERVISOR),
        "publish1": lambda when: publish(OPEN, when.date()),
        "confirm1": lambda when: confirm(OPEN),
        "round2": lambda when: round2(),
        "certify2": lambda when: actions.certify(office, nomination(), store.get_round(
            db, nomination(), CONFERENCE), SUPERVISOR),
        "publish2": lambda when: publish(CONFERENCE, when.date()),
    }
    return [(when, partial(calls[step], when)) for step, when in zip(STEPS, held.times,
                                                                        strict=False)]


def _settle_ties(office: Office, nom: store.Nomination, rnd: store.Round, rng: random.Random,
                 votes: range) -> None:
    """A tie at a post's cut-off settled by a re-vote among the tied (tie policy `revote`)."""
    for post in store.report(office.db, nom, rnd)["positions"]:
        if post["tie_at_cutoff"]:
            tied = post["tie_at_cutoff"]
            split = sorted(rng.sample(votes, len(tied)), reverse=True)
            actions.record_revote(office, nom, rnd, post["position"],
                                  dict(zip(tied, split, strict=True)))


def _count(office: Office, nom: store.Nomination, rnd: store.Round, roll: list[list[str]],
           present: int, returned: int, sections: dict[str, list[list[str]]]) -> None:
    """A round's roll, attendance, figures and ballots, from files as an office gets them."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        actions.load_roll(office, rnd, _write_roll(folder / f"roll-{rnd.round_no}.csv", roll))
        actions.close_attendance(office, rnd)
        actions.record_figures(office, rnd, present, returned)
        actions.import_ballots(office, nom, rnd, _ballots(folder / "ballots.csv", sections))
