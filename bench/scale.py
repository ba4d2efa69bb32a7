"""What users run at scale, each as the whole process they start (issue 16):

- `civic placement run` on 10,000 officers x 1,000 posts x 20 preferences, against a bare
  process that reads the same tables, scores, checks eligibility of the listed pairs, matches
  and writes the same rows in one transaction;
- `civic eligible POSITION --json` over 10,000 / 100,000 / 1,000,000 people, against a bare
  process that reads the same people and applies the same checks in a loop, writing JSON; the
  growth from size to size per person;
- `civic people list --offset` at the last page of 1,000,000 people, against a bare keyed read.

Every run starts from a copy of a prepared office file, so each writes the same thing; peak
memory is that of the command alone (harness.run_child's small parent).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

from bench.harness import CIVIC, PYTHON, Figure, env, median, run_child

PASSWORD = "bench-password-1"
CUTOFF = "2008-06-30"
RANKS = ["正团", "副团"]
EDUCATION = ["大专", "本科", "本科", "硕士"]
POST_RANKS = [("副处", "正科"), ("正科", None), ("副处", "副处")]


def _office(path: Path):
    from civic.auth import add_operator
    from civic.db import migrate, open_db
    from civic.office import Office, Operator
    from civic.pm import make_plugin_manager

    pm = make_plugin_manager()
    db = open_db(path)
    migrate(db, pm)
    office = Office(db, pm)
    add_operator(office, "bench", "admin", PASSWORD)
    return office.as_actor(Operator("bench", "admin"))


def _write(path: Path, header: list[str], rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build_placement(work: Path, officers: int, posts: int, prefs: int) -> Path:
    """A sealed batch ready to run (id 1), in `work`/placement.db."""
    from civic.importers import import_file
    from civic.plugins.placement import actions as setup

    path = work / f"placement-{officers}.db"
    if path.exists():
        return path
    rng = random.Random(16)
    office = _office(path)
    _write(work / "units.csv", ["code", "name", "parent", "kind"],
           [["KM", "昆明市", "", "city"]] + [[f"U{u:03d}", f"单位{u}", "KM", "department"]
                                          for u in range(50)])
    import_file(office, "units", work / "units.csv")
    codes = [f"JZ{p:05d}" for p in range(posts)]
    _write(work / "positions.csv",
           ["编号", "职位名称", "单位", "职级", "职数", "最低职级", "任职年限", "最高年龄",
            "最低学历", "党员要求"],
           [[c, f"职位{c}", f"U{n % 50:03d}", level, 10, need or "", 2 if need else "",
             rng.choice([50, 55, 55]), rng.choice(["大专", "大专", "本科"]),
             rng.choice(["是", "否"])]
            for n, c in enumerate(codes) for level, need in [rng.choice(POST_RANKS)]])
    import_file(office, "positions", work / "positions.csv")
    people = [f"J{i:05d}" for i in range(officers)]
    _write(work / "officers.csv",
           ["编号", "姓名", "出生日期", "性别", "学历", "政治面貌", "专业", "职务等级",
            "入伍时间", "任现职时间", "立功受奖", "考核", "考试"],
           [[c, f"军{c}", f"{rng.randint(1956, 1975)}-{rng.randint(1, 12):02d}-15",
             rng.choice("男女"), rng.choice(EDUCATION),
             "群众" if rng.random() < 0.02 else "中共党员",
             rng.choice(["财务", "指挥", "政工"]), rng.choice(RANKS),
             f"{rng.randint(1975, 1990)}.09", f"{rng.randint(1998, 2006)}-07-01",
             rng.choice(["", "三等功", "二等功;三等功"]), rng.randint(60, 100),
             rng.randint(50, 100)] for c in people])
    _write(work / "posts.csv", ["职位", "名额", "资格条件"],
           [[c, 10, "专业=财务|审计" if rng.random() < 0.05 else ""] for c in codes])
    weights = [1 / (1 + i / 50) for i in range(posts)]
    _write(work / "preferences.csv", ["编号", "志愿", "职位"],
           [[o, n, p] for o in people for n, p in enumerate(
               list(dict.fromkeys(rng.choices(codes, weights, k=prefs * 2)))[:prefs], 1)])
    batch = setup.new_batch(office, "bench", dt.date.fromisoformat(CUTOFF), "sealed", 2008)
    setup.set_scheme(office, batch, Path(__file__).parent.parent / "examples"
                     / "placement-scheme.toml")
    setup.import_officers(office, batch, work / "officers.csv")
    setup.import_posts(office, batch, work / "posts.csv")
    setup.import_preferences(office, batch, work / "preferences.csv")
    office.db.close()
    return path


# The same work with no civic around it: read the tables, score (the scheme's components as
# plain arithmetic), check the listed pairs (the posts' and the core conditions), match in
# rank order, write the results and the ineligible pairs in one transaction.
BARE_PLACEMENT = r"""
import json, sqlite3, sys
from datetime import date
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA foreign_keys=ON")  # as civic's connection: the rows' keys are checked
on = date(2008, 6, 30)
RANK = {"正团": 60, "副团": 55}
LEVEL = {"正团": 7, "副团": 6, "正处": 7, "副处": 6, "正科": 5, "副科": 4}
EDU = {"大专": 1, "本科": 2, "硕士": 3, "college": 1, "bachelor": 2, "master": 3}
records = {c: json.loads(r) for c, r in db.execute(
    "SELECT code, record FROM placement_officers WHERE batch = 1")}
people = {r[0]: r for r in db.execute(
    "SELECT code, rank, rank_since, birth_date, education, party, status FROM people")}
ranks = {r[0]: r[1] for r in db.execute("SELECT code, level FROM ranks")}
edus = {r[0]: r[1] for r in db.execute("SELECT code, level FROM education_levels")}
posts = {r[0]: r for r in db.execute(
    "SELECT pp.position, pp.capacity, pp.eligibility, p.min_rank, p.min_years_in_rank,"
    " p.max_age, p.min_education, p.party_required FROM placement_posts pp"
    " JOIN positions p ON p.code = pp.position WHERE pp.batch = 1")}
prefs = {}
for o, p in db.execute("SELECT officer, position FROM placement_preferences WHERE batch = 1"
                       " ORDER BY officer, choice"):
    prefs.setdefault(o, []).append(p)
def years(text):
    y, m = int(text[:4]), int(text[5:7])
    return (on.year - y) + (on.month - m) / 12
def score(r):
    awards = sum({"二等功": 5, "三等功": 3}.get(a, 0) for a in
                 r.get("awards", "").replace("、", ";").split(";") if a)
    return (RANK.get(r.get("rank"), 0) + years(r["service_start"]) + min(5, years(
        r["rank_date"]) // 1 * 0.5) + awards + float(r["assessment"]) * 0.3
        + float(r["exam"]) * 0.2)
order = sorted(records, key=lambda c: (-score(records[c]), records[c].get("birth_date", "")))
bad = {}
for o, listed in prefs.items():
    code, rank, since, born, edu, party, status = people[o]
    rec = records[o]
    for p in listed:
        _p, cap, cond, min_rank, need_years, max_age, min_edu, party_req = posts[p]
        why = []
        if cond and "专业=" in cond and rec.get("specialty") not in cond.split("=")[1].split("|"):
            why.append("cond")
        if status not in ("serving", "reserve"):
            why.append("status")
        if min_rank and ranks.get(rank, -1) < ranks[min_rank]:
            why.append("min_rank")
        elif need_years and (since is None or years(since) < need_years):
            why.append("years")
        if max_age and (born is None or years(born) > max_age):
            why.append("age")
        if min_edu and edus.get(edu, -1) < edus[min_edu]:
            why.append("edu")
        if party_req and party != "中共党员":
            why.append("party")
        if why:
            bad[(o, p)] = why
left = {p: r[1] for p, r in posts.items()}
got = {}
for o in order:
    for n, p in enumerate(prefs.get(o, ()), 1):
        if left[p] > 0 and (o, p) not in bad:
            left[p] -= 1
            got[o] = (p, n)
            break
    else:
        got[o] = (None, None)
db.execute("BEGIN")
db.executemany("INSERT INTO placement_ineligible (batch, officer, position, reasons)"
               " VALUES (1, ?, ?, ?)", ((o, p, json.dumps(w)) for (o, p), w in bad.items()))
db.executemany("INSERT INTO placement_results (batch, officer, rank, score, breakdown, measures,"
               " draw_group, position, choice) VALUES (1, ?, ?, ?, '{}', '{}', '[]', ?, ?)",
               ((o, n, str(score(records[o])), *got[o]) for n, o in enumerate(order, 1)))
db.execute("COMMIT")
print(json.dumps({"assignments": [{"officer": o, "position": got[o][0]} for o in order]}))
"""


def placement_figures(work: Path, quick: bool) -> list[Figure]:
    officers, posts = (2_000, 200) if quick else (10_000, 1_000)
    runs = 3
    ready = build_placement(work, officers, posts, 20)
    run_db = work / "placement-run.db"
    environ = env(CIVIC_USER="bench", CIVIC_PASSWORD=PASSWORD)
    times: dict[str, list[float]] = {"civic": [], "baseline": []}
    peaks = []

    def fresh() -> str:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_db}{suffix}").unlink(missing_ok=True)
        shutil.copy(ready, run_db)
        return str(run_db)

    for n in range(runs + 1):  # the first round is untimed: it writes the bytecode cache
        wall, peak, _out = run_child([CIVIC, "--db", fresh(), "placement", "run", "1", "--json"],
                                     environ)
        base, _p, _o = run_child([PYTHON, "-c", BARE_PLACEMENT, fresh()], environ)
        if n:
            times["civic"].append(wall)
            times["baseline"].append(base)
            peaks.append(peak)
    name = f"civic placement run, {officers:,} x {posts:,} posts x 20 prefs"
    return [Figure(name, median(times["civic"]), "s", 3.0, median(times["baseline"]), runs,
                   note="baseline: a bare process that scores, checks the listed pairs, matches"
                   " and writes", samples=times),
            Figure(name + ": time", median(times["civic"]), "s", 5.0, runs=runs),
            Figure(name + ": peak memory", max(peaks), "MB", 300, runs=runs)]


def build_people(work: Path, count: int) -> Path:
    """An office of `count` people and one position with every core condition."""
    path = work / f"people-{count}.db"
    if path.exists():
        return path
    rng = random.Random(count)
    office = _office(path)
    db = office.db
    db.execute("INSERT INTO units (code, name, kind) VALUES ('KM', '昆明市', 'city')")
    db.execute("INSERT INTO positions (code, title, unit, rank_level, headcount, min_rank,"
               " min_years_in_rank, max_age, min_education, party_required) VALUES"
               " ('P1', '秘书长', 'KM', 'division', 1, 'deputy_division', 2, 50, 'bachelor', 1)")
    ranks = ["section", "deputy_division", "division"]
    edus = ["college", "bachelor", "master"]
    with db.conn:
        db.conn.executemany(
            "INSERT INTO people (code, name, birth_date, party, education, rank, rank_since,"
            " unit, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'KM', ?)",
            ((f"C{i:07d}", f"人{i}", f"{rng.randint(1950, 1985)}-03-01",
              rng.choice(["中共党员", "群众"]), rng.choice(edus), rng.choice(ranks),
              f"{rng.randint(1995, 2008)}-01-01", rng.choice(["serving", "serving", "retired"]))
             for i in range(count)))
    db.close()
    return path


BARE_ELIGIBLE = r"""
import json, sqlite3, sys
from datetime import date
db = sqlite3.connect(sys.argv[1])
on = date(2008, 7, 1)
levels = dict(db.execute("SELECT code, level FROM ranks"))
edus = dict(db.execute("SELECT code, level FROM education_levels"))
pos = db.execute("SELECT code, title, min_rank, min_years_in_rank, max_age, min_education,"
                 " party_required FROM positions WHERE code = 'P1'").fetchone()
_c, _t, min_rank, years, max_age, min_edu, party_req = pos
def age(text):
    y, m, d = map(int, text.split("-"))
    return on.year - y - ((on.month, on.day) < (m, d))
out = sys.stdout
out.write('{"eligible": [')
first = True
bad = []
for code, name, rank, since, born, edu, party in db.execute(
        "SELECT code, name, rank, rank_since, birth_date, education, party FROM people"
        " WHERE status IN ('serving', 'reserve') ORDER BY code"):
    why = []
    if levels.get(rank, -1) < levels[min_rank]:
        why.append({"condition": "min_rank", "required": min_rank, "actual": rank})
    elif levels[rank] == levels[min_rank] and (since is None or age(since) < years):
        why.append({"condition": "min_years_in_rank", "required": years, "actual": age(since)})
    if born is None or age(born) > max_age:
        why.append({"condition": "max_age", "required": max_age, "actual": age(born)})
    if edus.get(edu, -1) < edus[min_edu]:
        why.append({"condition": "min_education", "required": min_edu, "actual": edu})
    if party_req and party != "中共党员":
        why.append({"condition": "party_required", "required": True, "actual": party})
    if why:
        bad.append(json.dumps({"code": code, "name": name, "problems": why},
                              ensure_ascii=False))
    else:
        out.write(("" if first else ",") + json.dumps({"code": code, "name": name},
                                                       ensure_ascii=False))
        first = False
out.write('], "ineligible": [' + ",".join(bad) + "]}")
"""


def eligible_figures(work: Path, quick: bool) -> list[Figure]:
    """`civic eligible` at 10,000, 100,000 and 1,000,000 people (the last the office the
    last-page figure reads), and the growth from size to size per person (issue 16: linear,
    not worse)."""
    from bench.people_import import growth  # (people_import imports this module)

    sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
    out = []
    medians: dict[int, float] = {}
    for size in sizes:
        path = build_people(work, size)
        environ = env(CIVIC_DB=str(path))
        args = [CIVIC, "eligible", "P1", "--on", "2008-07-01", "--json"]
        times: dict[str, list[float]] = {"civic": [], "baseline": []}
        peaks = []
        # a million people: one timed run a side (tens of seconds each), the bytecode cache
        # already written by the smaller sizes
        runs = 1 if size >= 1_000_000 else 3
        for n in range(runs + (size < 1_000_000)):
            wall, peak, _o = run_child(args, environ)
            base, _p, _o = run_child([PYTHON, "-c", BARE_ELIGIBLE, str(path)], environ)
            if n or size >= 1_000_000:
                times["civic"].append(wall)
                times["baseline"].append(base)
                peaks.append(peak)
        name = f"civic eligible --json, {size:,} people"
        medians[size] = median(times["civic"])
        out.append(Figure(name, medians[size], "s", 2.0, median(times["baseline"]),
                          runs, note="baseline: a bare process, the same checks in a loop",
                          samples=times))
        out.append(Figure(name + ": peak memory", max(peaks), "MB", 150, runs=runs))
    return out + growth("civic eligible --json", medians)


BARE_PAGE = r"""
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
after = db.execute("SELECT code FROM people ORDER BY code LIMIT 1 OFFSET ?",
                   [int(sys.argv[2]) - 1]).fetchone()[0]
rows = db.execute("SELECT code, name, gender, birth_date, rank, unit, position, status"
                  " FROM people WHERE code > ? ORDER BY code LIMIT 100", [after]).fetchall()
total = db.execute("SELECT count(*) FROM people").fetchone()[0]
print(json.dumps({"total": total, "people": rows}, ensure_ascii=False))
"""


def page_figures(work: Path, quick: bool) -> list[Figure]:
    size = 100_000 if quick else 1_000_000
    runs = 5
    path = build_people(work, size)
    environ = env(CIVIC_DB=str(path))
    offset = size - 100
    args = [CIVIC, "people", "list", "--offset", str(offset), "--limit", "100", "--json"]
    times: dict[str, list[float]] = {"civic": [], "baseline": []}
    for n in range(runs + 1):
        wall, _peak, _o = run_child(args, environ)
        base, _p, _o = run_child([PYTHON, "-c", BARE_PAGE, str(path), str(offset)], environ)
        if n:
            times["civic"].append(wall)
            times["baseline"].append(base)
    return [Figure(f"civic people list, last page of {size:,}", median(times["civic"]), "s",
                   2.0, median(times["baseline"]), runs,
                   note="baseline: a bare process, the same keyed read and count",
                   samples=times)]


def figures(work: Path, quick: bool) -> list[Figure]:
    return placement_figures(work, quick) + eligible_figures(work, quick) + \
        page_figures(work, quick)


if __name__ == "__main__":
    import sys
    import tempfile

    from bench.harness import print_table

    # --placement: the placement figure alone; --work DIR keeps the prepared offices there
    # (building the 10,000-officer batch takes longer than timing it).
    only = placement_figures if "--placement" in sys.argv else figures
    if "--work" in sys.argv:
        kept = Path(sys.argv[sys.argv.index("--work") + 1])
        kept.mkdir(parents=True, exist_ok=True)
        print_table(only(kept, "--quick" in sys.argv))
    else:
        with tempfile.TemporaryDirectory(prefix="civic-scale-") as tmp:
            print_table(only(Path(tmp), "--quick" in sys.argv))
