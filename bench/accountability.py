"""Accountability at scale (issue 14), as ratios to bare SQLite measured in the same run.

    python -m bench.accountability [--quick]      (or `python -m bench --only accountability`)

- `civic accountability case import FILE --json` of 10,000 and 100,000 cases (whole process,
  into a fresh copy of a prepared office of 100,000 people), against a bare process: `csv` and
  one `executemany` into the same table (its indexes, foreign keys and CHECK), in a fresh copy
  of the same office, with civic's pragmas (WAL, synchronous FULL, foreign keys on, the
  import's page cache). Target <= 2x; the growth from 10,000 to 100,000 per row <= 1.25x.
- The report (`store.report`: by heading, trigger, form, unit, month, month by heading) over
  10,000 and 100,000 cases, against bare `GROUP BY` queries counting the same. Target <= 2x.
- `civic eligible P1 --json` over 10,000 and 100,000 people, a tenth of them under an
  accountability restriction (no promotion, recorded as core person facts the way a decision
  records them), against a bare process: the same core checks and the same restrictions in a
  loop. Target <= 2x.
Printed, never asserted (ARCHITECTURE "Tests").
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import time
from pathlib import Path

from bench.harness import CIVIC, PYTHON, Figure, env, interleaved, median, run_child
from bench.people_import import PASSWORD_CHECK, checked_seconds, growth
from bench.scale import BARE_ELIGIBLE, PASSWORD, build_people

ON = dt.date(2008, 7, 1)
TRIGGERS = ("decision", "accident", "supervision", "abuse", "incident", "staffing", "other")
SOURCES = ("complaint", "inspection", "audit", "media", "task")
HEADER = ["人员编号", "单位", "问责情形", "来源", "事由", "立案日期"]


def cases_file(work: Path, count: int, people: int) -> Path:
    path = work / f"cases-{count}.csv"
    if path.exists():
        return path
    rng = random.Random(count)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(count):
            day = dt.date(2008, 1, 2) + dt.timedelta(days=rng.randrange(0, 175))
            out.writerow([f"C{rng.randrange(people):07d}", "KM", rng.choice(TRIGGERS),
                          rng.choice(SOURCES), f"第{i}号：办事拖拉，推诿扯皮", day.isoformat()])
    return path


# The same rows into the same table (its indexes and foreign keys), with civic's pragmas,
# after the operator's password check every change makes (bench.people_import.PASSWORD_CHECK)
# (the import's page cache too, civic.importers.import_cache, its size the third argument:
# importing civic.importers here would slow the bare side): the heading read from the pack's
# trigger -> heading map, nothing else checked or audited.
BARE_IMPORT = r"""
import csv, sqlite3, sys
from civic.plugins.accountability.rules import load_pack
pack = load_pack()
heading = {code: pack.heading_of(code) for code in pack.triggers}
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("PRAGMA foreign_keys=ON")
db.execute(f"PRAGMA cache_size=-{int(sys.argv[3])}")
""" + PASSWORD_CHECK + r"""
handle = open(sys.argv[2], encoding="utf-8", newline="")
rows = csv.reader(handle)
next(rows)
db.execute("BEGIN")
db.executemany(
    "INSERT INTO accountability_cases (pack, person, unit, trigger, heading, source, summary,"
    " status, opened_on) VALUES (?, ?, ?, ?, ?, ?, ?, 'opened', ?)",
    ((pack.name, p, u, t, heading[t], s, text, day) for p, u, t, s, text, day in rows))
db.execute("COMMIT")
"""


def import_figures(work: Path, sizes: tuple[int, ...], people: int, runs: int,
                   ready: Path) -> list[Figure]:
    from civic.importers import IMPORT_CACHE_KIB

    run_db = work / "accountability-run.db"
    environ = env(CIVIC_DB=str(run_db), CIVIC_USER="bench", CIVIC_PASSWORD=PASSWORD)

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_db}{suffix}").unlink(missing_ok=True)
        shutil.copy(ready, run_db)

    out, medians = [], {}
    for count in sizes:
        path = cases_file(work, count, people)
        times: dict[str, list[float]] = {"civic": [], "baseline": []}
        unchecked: list[float] = []  # the baseline without its password check
        for n in range(runs + 1):  # the first round writes the bytecode cache, untimed
            fresh()
            wall, _peak, _o = run_child([CIVIC, "accountability", "case", "import", str(path),
                                         "--json"], environ)
            fresh()
            base, _p, said = run_child([PYTHON, "-c", BARE_IMPORT, str(run_db), str(path),
                                        str(IMPORT_CACHE_KIB)], environ)
            if n:
                times["civic"].append(wall)
                times["baseline"].append(base)
                unchecked.append(base - checked_seconds(said))
        medians[count] = median(times["civic"])
        out.append(Figure(f"civic accountability case import, {count:,} cases",
                          medians[count], "s", 2.0, median(times["baseline"]), runs,
                          note="baseline: a bare process, the operator's scrypt check, csv + one"
                          " executemany into the same table, civic's pragmas;"
                          f" {medians[count] / median(unchecked):.2f}x the bare work without"
                          " the password check", samples=times))
    return out + growth("civic accountability case import", medians)


# What store.report counts, each by one GROUP BY (the forms through their cases).
BARE_REPORT = [
    "SELECT heading, count(*) FROM accountability_cases WHERE opened_on BETWEEN ? AND ?"
    " GROUP BY heading",
    "SELECT trigger, count(*) FROM accountability_cases WHERE opened_on BETWEEN ? AND ?"
    " GROUP BY trigger",
    "SELECT unit, count(*) FROM accountability_cases WHERE opened_on BETWEEN ? AND ?"
    " GROUP BY unit",
    "SELECT substr(opened_on, 1, 7), heading, count(*) FROM accountability_cases"
    " WHERE opened_on BETWEEN ? AND ? GROUP BY 1, 2",
    "SELECT f.form, count(*) FROM accountability_case_forms f JOIN accountability_cases c"
    " ON c.id = f.case_id WHERE c.opened_on BETWEEN ? AND ? GROUP BY f.form",
]
FORMS = ("gov_warning", "gov_demerit", "admonish", "circulate", "no_merit")


def report_figures(work: Path, sizes: tuple[int, ...], people: int, runs: int,
                   ready: Path) -> list[Figure]:
    from civic.db import open_db
    from civic.plugins.accountability import store

    out = []
    span = ("2008-01-01", "2008-06-30")
    for count in sizes:
        path = work / f"accountability-report-{count}.db"
        if not path.exists():
            shutil.copy(ready, path)
            run_child([CIVIC, "accountability", "case", "import",
                       str(cases_file(work, count, people))],
                      env(CIVIC_DB=str(path), CIVIC_USER="bench", CIVIC_PASSWORD=PASSWORD))
            db = open_db(path)
            with db.conn:  # half the cases decided with one or two forms (untimed setup)
                rng = random.Random(count)
                db.conn.executemany(
                    "INSERT OR IGNORE INTO accountability_case_forms (case_id, form)"
                    " VALUES (?, ?)", ((i, rng.choice(FORMS)) for i in range(1, count + 1, 2)
                                       for _k in range(rng.randint(1, 2))))
            db.close()
        db = open_db(path)
        start, end = (dt.date.fromisoformat(d) for d in span)
        times = interleaved(
            runs,
            civic=lambda db=db, start=start, end=end: store.report(db, start, end, ON),
            baseline=lambda db=db: [db.execute(sql, span).fetchall() for sql in BARE_REPORT])
        db.close()
        out.append(Figure(f"accountability report, {count:,} cases", median(times["civic"]),
                          "s", 2.0, median(times["baseline"]), runs,
                          note="baseline: bare GROUP BY queries counting the same",
                          samples=times))
    return out


def restricted_people(work: Path, count: int) -> Path:
    """scale.build_people's office of `count` people, a tenth of them under a no-promotion
    restriction from an accountability case (recorded through civic.facts, in one change)."""
    from civic import facts
    from civic.db import open_db
    from civic.office import Office, Operator
    from civic.pm import make_plugin_manager

    path = work / f"accountability-eligible-{count}.db"
    if path.exists():
        return path
    shutil.copy(build_people(work, count), path)
    pm = make_plugin_manager()
    office = Office(open_db(path), pm).as_actor(Operator("bench", "admin"))
    rng = random.Random(count)
    with office.change() as change:
        for n, i in enumerate(rng.sample(range(count), count // 10)):
            facts.record(change, person=f"C{i:07d}", kind="restriction", value="no_promotion",
                         valid_from=dt.date(2008, 3, 1), until=dt.date(2009, 3, 1),
                         source=("accountability", f"case-{n + 1}"),
                         rule="行政机关公务员处分条例 2007 第六条")
    office.db.close()
    return path


# scale.BARE_ELIGIBLE with the restrictions: read once, each applied as core applies
# no_promotion (a post above the person's rank), worded with its source.
BARE_RESTRICTED = BARE_ELIGIBLE.replace(
    "out = sys.stdout",
    "bars = {}\n"
    "for person, until, ref, rule in db.execute(\n"
    "        \"SELECT f.person, f.until, f.source_ref, f.rule FROM person_facts f\"\n"
    "        \" LEFT JOIN person_fact_ends e ON e.fact = f.id WHERE f.kind = 'restriction'\"\n"
    "        \" AND f.value = 'no_promotion' AND f.valid_from <= ? AND (f.until IS NULL\"\n"
    "        \" OR f.until > ?) AND e.fact IS NULL\", (on.isoformat(), on.isoformat())):\n"
    "    bars.setdefault(person, []).append((until, ref, rule))\n"
    "post_level = levels[db.execute(\"SELECT rank_level FROM positions WHERE code = 'P1'\")"
    ".fetchone()[0]]\n"
    "out = sys.stdout").replace(
    "    if why:\n",
    "    for until, ref, rule in bars.get(code, ()):\n"
    "        if post_level > levels.get(rank, -1):\n"
    "            why.append({\"condition\": \"no_promotion\", \"required\": until,\n"
    "                        \"actual\": f\"accountability case No. {ref[5:]} ({rule})\"})\n"
    "    if why:\n", 1)


def eligible_figures(work: Path, sizes: tuple[int, ...], runs: int) -> list[Figure]:
    out = []
    for size in sizes:
        path = restricted_people(work, size)
        environ = env(CIVIC_DB=str(path))
        times: dict[str, list[float]] = {"civic": [], "baseline": []}
        for n in range(runs + 1):
            wall, _peak, _o = run_child([CIVIC, "eligible", "P1", "--on", ON.isoformat(),
                                         "--json"], environ)
            base, _p, _o = run_child([PYTHON, "-c", BARE_RESTRICTED, str(path)], environ)
            if n:
                times["civic"].append(wall)
                times["baseline"].append(base)
        out.append(Figure(f"civic eligible --json, {size:,} people, 10% restricted",
                          median(times["civic"]), "s", 2.0, median(times["baseline"]), runs,
                          note="baseline: a bare process, the same checks and restrictions"
                          " in a loop", samples=times))
    return out


def figures(work: Path, quick: bool) -> list[Figure]:
    sizes = (10_000,) if quick else (10_000, 100_000)
    people = max(sizes)
    runs = 2 if quick else 3
    folder = work / "accountability"
    folder.mkdir(exist_ok=True)
    ready = build_people(folder, people)
    return (import_figures(folder, sizes, people, runs, ready)
            + report_figures(folder, sizes, people, runs, ready)
            + eligible_figures(folder, sizes, runs))


if __name__ == "__main__":
    import sys
    import tempfile

    from bench.harness import print_table

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="civic-accountability-") as tmp:
        print_table(figures(Path(tmp), "--quick" in sys.argv))
    print(f"{time.perf_counter() - started:.0f} s")
