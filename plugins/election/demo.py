"""The demo's elections of 2008 (DOMAIN.md mechanism 4), written through the plugin's own
actions and files so that `civic election report` computes every figure from the data:

- the three pilot party organisations (July 2008: 市滇池管理局机关党委, 团市委机关党总支,
  市宗教局机关党支部) elect their committees by 公推直选 under the 1990 暂行条例, are certified
  with terms and term targets, and one recall petition is filed;
- 528 public schools elect principals over the summer (one batch: an elections file and a
  tally file with four constituencies): 439 principals; in the 13 schools of the education
  bureau 7 incumbents re-elected and 6 new; the other 89 with their reasons;
- the 14 county 换届: 256 candidates elected by more than 6,000 deputies.

The split of the 89 over the reasons, the constituencies' weights and every count are
invented but plausible (the report gives only the totals); the outcomes follow from the
counts, not from a label.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from civic.office import Office, Operator
from civic.plugins.election import actions, rules

CST = dt.timezone(dt.timedelta(hours=8))
SUPERVISOR = Operator("supervisor", "supervisor")
PILOTS = (("市滇池管理局机关党委", 5, 48), ("团市委机关党总支", 5, 36), ("市宗教局机关党支部", 3, 21))
PILOT_DAY = dt.date(2008, 7, 15)
SCHOOLS, BUREAU = 528, 13
BUREAU_REELECTED = 7
# The 89 schools without a principal elected, by reason (sums to 528 - 439).
NOT_ELECTED = {rules.NOT_HELD: 14, rules.NO_QUORUM: 31, rules.NOBODY: 37, rules.VOID: 7}
SCHOOL_DAY = dt.date(2008, 8, 28)
# Published by the office for every school (no national standard): weights sum to 1.
WARDS = (("teachers", Fraction(2, 5)), ("students", Fraction(1, 5)),
         ("parents", Fraction(3, 10)), ("residents", Fraction(1, 10)))
COUNTIES = ("五华区", "盘龙区", "官渡区", "西山区", "东川区", "呈贡县", "晋宁县", "富民县", "宜良县",
            "石林县", "嵩明县", "禄劝县", "寻甸县", "安宁市")
COUNTY_SEATS = (19, 19, 19, 19) + (18,) * 10  # 256 in all
COUNTY_DAY = dt.date(2008, 9, 20)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建华明丽强静伟芳军敏红平云海燕涛英玲斌杰琳亮辉波娟"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _n in range(rng.randint(1, 2)))


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)
    return path


TALLY_HEADER = ("学校", "选区", "选举项目", "候选人", "赞成", "反对", "弃权", "实到", "发出", "收回",
                "无效")


def _split(rng: random.Random, valid: int, shares: Sequence[Fraction]) -> list[tuple[int, ...]]:
    """(for, against, abstain) per candidate: for-votes near the given shares of the valid
    ballots (each ballot for at most one of them), the rest against or abstaining."""
    out: list[tuple[int, ...]] = []
    for share in shares:
        fors = min(valid, int(share * valid))
        against = rng.randint(0, valid - fors)
        out.append((fors, against, valid - fors - against))
    return out


def _contest_rows(school: str, ward: str, contest: str, valid_invalid: tuple[int, int],
                  figures: tuple[int, int, int], votes: dict[str, tuple[int, ...]]) -> list:
    present, issued, returned = figures
    rows: list[tuple[Any, ...]] = [
            (school, ward, "", "", "", "", "", present, issued, returned, ""),
            (school, ward, contest, "", "", "", "", "", "", "", valid_invalid[1])]
    rows += [(school, ward, contest, code, *v, "", "", "", "") for code, v in votes.items()]
    return rows


def _schools(rng: random.Random, tmp: Path) -> tuple[Path, Path]:
    outcomes = [rules.ELECTED] * BUREAU
    rest = [k for k, n in NOT_ELECTED.items() for _i in range(n)]
    rest += [rules.ELECTED] * (SCHOOLS - BUREAU - len(rest))
    rng.shuffle(rest)
    outcomes += rest
    elections: list[tuple] = []
    tallies: list[tuple] = []
    for i, outcome in enumerate(outcomes, 1):
        school = f"S{i:03d}"
        group = "市教育局直属" if i <= BUREAU else "县区学校"
        title = f"{'昆明市' if i <= BUREAU else ''}第{i}中小学校长选举"
        n = 1 if outcome == rules.NOT_HELD else rng.choice((2, 2, 3))
        codes = [f"{school}-{c}" for c in "ABC"[:n]]
        # the incumbent: in the bureau's schools, the first 7 win again; 6 lose to a newcomer
        incumbent = codes[0] if (i <= BUREAU_REELECTED or (i > BUREAU and rng.random() < .6)
                                 ) else codes[-1]
        for code in codes:
            elections.append((school, title, group, 1, code, _name(rng),
                              "是" if code == incumbent else "否", "", "", ""))
        dues = {}
        for ward, weight in WARDS:
            due = {"teachers": rng.randint(30, 90), "students": rng.randint(100, 600),
                   "parents": rng.randint(150, 700), "residents": rng.randint(40, 150)}[ward]
            dues[ward] = due
            elections.append((school, "", "", "", "", "", "", ward, due, str(weight)))
        if outcome == rules.NOT_HELD:
            continue
        for w, (ward, _weight) in enumerate(WARDS):
            due = dues[ward]
            if outcome == rules.NO_QUORUM:
                present = returned = due * 2 // 5
            else:
                present = rng.randint(due * 3 // 5 + 1, due)
                returned = present
            issued = returned - 1 if outcome == rules.VOID and w == 0 else returned
            invalid = rng.randint(0, max(0, returned // 40))
            valid = returned - invalid
            winner = Fraction(rng.randint(58, 80), 100)
            if outcome == rules.NOBODY:
                shares = [Fraction(rng.randint(30, 45), 100)] * 1 + [Fraction(1, 5)] * (n - 1)
            else:
                shares = [winner] + [(1 - winner) / max(1, n - 1) * Fraction(9, 10)] * (n - 1)
            votes = dict(zip(codes, _split(rng, valid, shares), strict=True))
            if outcome == rules.VOID:  # the count stops at the figures: no totals
                tallies.append((school, ward, "", "", "", "", "", present, issued, returned, ""))
                continue
            tallies += _contest_rows(school, ward, "principal", (valid, invalid),
                                     (present, issued, returned), votes)
    head = ("学校", "学校名称", "类别", "应选", "候选人编号", "姓名", "现任", "选区", "应到", "权重")
    return (_write(tmp / "2008年中小学校长公推直选.csv", head, elections),
            _write(tmp / "2008年中小学校长公推直选计票.csv", TALLY_HEADER, tallies))


def _counties(rng: random.Random, tmp: Path) -> tuple[Path, Path]:
    elections: list[tuple] = []
    tallies: list[tuple] = []
    for i, (county, seats) in enumerate(zip(COUNTIES, COUNTY_SEATS, strict=True), 1):
        code = f"X{i:02d}"
        deputies = rng.randint(420, 470)
        present = rng.randint(deputies * 9 // 10, deputies)
        # 主任/县长 等额; 副职 one more candidate; 委员 two more
        plan = (("chair", 1, 1), ("deputies", 5, 6), ("members", seats - 6, seats - 4))
        for contest, n_seats, n_cands in plan:
            for k in range(n_cands):
                elections.append((code, f"{county}第十五届人民代表大会换届选举", "县区换届",
                                  contest, n_seats, f"{code}-{contest[0]}{k + 1:02d}",
                                  _name(rng), "否", "", "", ""))
        elections.append((code, "", "", "", "", "", "", "", "deputies", deputies, "1"))
        tallies.append((code, "deputies", "", "", "", "", "", present, present, present, ""))
        for contest, n_seats, n_cands in plan:
            invalid = rng.randint(0, 5)
            valid = present - invalid
            tallies.append((code, "deputies", contest, "", "", "", "", "", "", "", invalid))
            for k in range(n_cands):
                # the n_seats first are elected, over half of all deputies; the others not
                share = Fraction(rng.randint(82, 97), 100) if k < n_seats else Fraction(
                    rng.randint(5, 30), 100)
                fors = int(share * valid)
                against = rng.randint(0, valid - fors)
                tallies.append((code, "deputies", contest, f"{code}-{contest[0]}{k + 1:02d}",
                                fors, against, valid - fors - against, "", "", "", ""))
    head = ("学校", "学校名称", "类别", "选举项目", "应选", "候选人编号", "姓名", "现任", "选区",
            "应到", "权重")
    return (_write(tmp / "2008年县区换届选举.csv", head, elections),
            _write(tmp / "2008年县区换届选举计票.csv", TALLY_HEADER, tallies))


def _pilots(office: Office, rng: random.Random, people: list[str]) -> None:
    pack = rules.pack("party-base-1990")
    pool = list(people)
    rng.shuffle(pool)
    for org, seats, members in PILOTS:
        listed = [pool.pop() for _n in range(seats + 1)]  # 20% more: one more for 3 or 5
        names = dict(office.db.execute(
            f"SELECT code, name FROM people WHERE code IN ({','.join('?' * len(listed))})",
            listed).fetchall())
        spec = actions.ContestSpec("committee", seats, tuple(
            actions.Candidate(c, names[c], k == 0) for k, c in enumerate(listed)))
        election = actions.create(
            office, title=f"{org}委员会选举（公推直选）", pack=pack, held_on=PILOT_DAY,
            contests_=[spec], office_title=f"{org}委员",
            constituencies=[actions.Constituency("members", members, Fraction(1))])
        present = members - rng.randint(1, members // 6)  # more than 4/5 present
        with tempfile.TemporaryDirectory() as tmp:
            rows: list[tuple[Any, ...]] = [
                ("", "members", "", "", "", "", "", present, present, present, ""),
                    ("", "members", "committee", "", "", "", "", "", "", "", 1)]
            valid = present - 1
            for k, code in enumerate(listed):
                # no ballot holds more for-votes than seats: the runner-up takes few
                fors = valid - rng.randint(3, 6) if k < seats else rng.randint(1, 3)
                rows.append(("", "members", "committee", code, fors, valid - fors, 0,
                             "", "", "", ""))
            path = _write(Path(tmp) / "tally.csv", TALLY_HEADER[1:], [r[1:] for r in rows])
            actions.import_tallies(office, election, path)
        actions.certify(office, election, SUPERVISOR, PILOT_DAY + dt.timedelta(days=1))
    terms = [r[0] for r in office.db.execute("SELECT id FROM election_terms ORDER BY id")]
    goals = ("滇池治理项目按期推进", "机关党员教育培训全覆盖", "联系服务群众制度落实")
    for k, term in enumerate(terms):
        for j, goal in enumerate(goals[: 1 + k % 3]):
            target = actions.set_target(office, term, goal,
                                        dt.date(2009 + j, 6, 30))
            if j == 0 and k % 4 == 0:
                actions.set_target(office, term, "", dt.date(2009, 6, 30), "met", target)
    # one recall petition: 6 of the branch's 21 members sign (a fifth is 5)
    actions.file_recall(office, terms[-1], signers=6, registered=21,
                        grounds="长期不履行支部委员职责")


def add_demo_data(office: Office, rng: random.Random) -> None:
    db = office.db
    people = [r[0] for r in db.execute(
        "SELECT code FROM people WHERE status = 'serving' AND rank IN ('section',"
        " 'deputy_section', 'clerk', 'deputy_division') ORDER BY code")]
    if len(people) < 20:
        return
    clock: Any = office.clock  # the demo's clock (civic.demo.clock), which can jump on
    jump = getattr(clock, "jump_to", None)
    if jump:
        jump(dt.datetime(2008, 7, 15, 9, 0, tzinfo=CST))
    _pilots(office, rng, people)
    # The batches keep their own days (held_on); the clock stays in July, so that the
    # placement demo of September, which may run after this one, keeps its own days.
    with tempfile.TemporaryDirectory(prefix="civic-demo-election-") as tmp:
        files = _schools(rng, Path(tmp))
        actions.import_batch(office, *files, title="2008年中小学校长公推直选",
                             pack="principal-kunming-2008", held_on=SCHOOL_DAY)
        files = _counties(rng, Path(tmp))
        actions.import_batch(office, *files, title="2008年县区换届选举",
                             pack="county-congress-2008", held_on=COUNTY_DAY)
