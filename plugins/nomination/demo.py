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
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Sequence
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
    pools = {p: _eligible(office, p, nom.ceilings.get(p)) for p in posts}
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
        data = store.report(db, nom, rnd)
        for post in data["positions"]:
            if post["tie_at_cutoff"]:
                tied = post["tie_at_cutoff"]
                split = sorted(rng.sample(range(60, 190), len(tied)), reverse=True)
                actions.record_revote(office, nom, rnd, post["position"],
                                      dict(zip(tied, split, strict=True)))
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


def _eligible(office: Office, post: str, ceiling: str | None) -> list[dict[str, Any]]:
    """People within the post's band who meet its conditions on the reference date (leaders
    only: fast). The ceiling keeps 副厅级 officials off the slates of 正县级 posts, as electors who
    know the rule would."""
    from civic.eligibility import bars, problems
    from civic.plugins.nomination.rules import within_ceiling
    from civic.registry import get_position

    position = get_position(office.db, post)
    people = office.db.query(
        "SELECT * FROM people WHERE status = 'serving' AND rank IN ('deputy_division',"
        " 'division', 'deputy_bureau') ORDER BY code")
    return [p for p in people if within_ceiling(p["rank"], ceiling)
            and not bars(problems(office.pm, office.db, p, position, ANNOUNCED))]


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
    rows = []
    for category, n in categories:
        for _i in range(n):
            gender = "女" if rng.random() < 0.2 else "男"
            name = demo_names.full_name(rng, gender, demo_names.ethnicity(rng, None))
            rows.append([f"{prefix}-{len(rows) + 1:03d}", name, category])
    away = set(rng.sample(range(len(rows)), absent))
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["编号", "姓名", "类别", "出席"])
        out.writerows(r + ["否" if i in away else "是"] for i, r in enumerate(rows))
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
