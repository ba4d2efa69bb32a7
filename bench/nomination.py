"""Nomination marks at scale, driven from `python -m bench`: import and count of 1,000,000
marks against raw SQLite, and the import's peak memory. The data and the queries are those of
bench/nomination_marks.py (the nomination plugin's own script); this module runs them the
harness's way (interleaved, medians) and adds the memory figure."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from bench.harness import Figure, env, interleaved, median, python_child

TOP_N = ("SELECT position, choice, n FROM (SELECT position, choice, count(*) AS n,"
         " rank() OVER (PARTITION BY position ORDER BY count(*) DESC) AS r"
         " FROM marks WHERE choice != '' GROUP BY position, choice) WHERE r <= 5")

IMPORT_CHILD = r"""
import sys
from civic import ballots
from civic.db import migrate, open_db
from civic.office import Office
from civic.pm import make_plugin_manager

path, data, posts = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
pm = make_plugin_manager(only=[])
db = open_db(path)
migrate(db, pm)
office = Office(db, pm)
roll = path + ".roll.csv"
with open(roll, "w", encoding="utf-8") as fh:
    fh.write("code,name,present\nE1,E1,1\n")
with office.change() as change:
    vround = ballots.create_round(change, "bench:mem:1", "bench", posts)
    ballots.load_roll(change, vround, roll)
    ballots.close_attendance(change, vround)  # ballots are entered only after it
with office.change() as change:
    ballots.import_ballots(change, vround, data, lambda post, text: text)
"""


def _fresh(path: Path):
    from civic.db import open_db

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return open_db(path)


def figures(work: Path, quick: bool) -> list[Figure]:
    from bench.nomination_marks import make_file, ready_round
    from civic import ballots
    from civic.db import migrate
    from civic.office import Office
    from civic.pm import make_plugin_manager
    from civic.voting import CountRules

    n_ballots, n_posts = (4_000, 25) if quick else (40_000, 25)
    runs = 3
    posts = [f"POS{p:02d}" for p in range(n_posts)]
    data = work / "marks.csv"
    rows = make_file(data, n_ballots, n_posts)
    pm = make_plugin_manager(only=[])
    state: dict = {}

    def bare_setup() -> None:
        raw = _fresh(work / "bare.db")
        raw.execute("CREATE TABLE marks (ballot INTEGER, position TEXT, choice TEXT)")
        state["bare"] = raw

    def bare_import() -> None:
        # The baseline: csv parse + one executemany in one transaction, nothing more
        # (the file and table are made before the clock starts, as civic's round is).
        conn: sqlite3.Connection = state["bare"].conn
        with open(data, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            with conn:
                conn.executemany("INSERT INTO marks VALUES (?, ?, ?)",
                                 ((int(b), p, c) for b, p, c in reader))

    def civic_import() -> None:
        db = _fresh(work / "civic.db")
        migrate(db, pm)
        office = Office(db, pm)
        with office.change() as change:
            vround = ready_round(change, "bench:1:1", posts, work)
        state["round"] = vround  # the round's creation is not part of the import's time
        state["civic"] = db
        state["office"] = office

    def civic_import_timed() -> None:
        with state["office"].change() as change:
            ballots.import_ballots(change, state["round"], data, lambda post, text: text)

    import_times: dict[str, list[float]] = {"baseline": [], "civic": []}
    count_times: dict[str, list[float]] = {"baseline": [], "civic": []}
    rules = CountRules(places=5, marks_allowed=1)
    for _ in range(runs):
        bare_setup()
        civic_import()
        t = interleaved(1, baseline=bare_import, civic=civic_import_timed)
        for k in t:
            import_times[k] += t[k]
        bare, db, vround = state["bare"], state["civic"], state["round"]
        # For the count's baseline, after the import's clock: a covering index for the top-N.
        bare.execute("CREATE INDEX marks_count ON marks (position, choice)")
        t = interleaved(3, baseline=lambda bare=bare: bare.execute(TOP_N).fetchall(),
                        civic=lambda db=db, vround=vround: ballots.count(db, vround, rules))
        for k in t:
            count_times[k] += t[k]
        bare.close()
        db.close()
    label = f"{rows:,}"
    out = [
        Figure(f"import {label} nomination marks", median(import_times["civic"]), "s", 2.0,
               median(import_times["baseline"]), runs, samples=import_times),
        Figure(f"count {label} marks", median(count_times["civic"]), "s", 1.5,
               median(count_times["baseline"]), len(count_times["civic"]),
               samples=count_times),
    ]
    _wall, peak, _out = python_child(IMPORT_CHILD, str(work / "memory.db"), str(data),
                                     ",".join(posts), environ=env())
    out.append(Figure(f"peak memory, import of {label} marks", peak, "MB", 300))
    return out
