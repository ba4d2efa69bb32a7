"""Training at scale (issue 15 "Speed"), as ratios to raw SQLite measured in the same run.

    python -m bench.training [--people 100000] [--rows 1000000] [--runs 3]

- Importing a sign-in sheet of `--rows` attendance rows (one sheet naming each row's session):
  target <= 2x csv parse plus a bare executemany of the same rows in one transaction, into the
  same table (`training_attendance`: its primary key, its person index, its foreign keys to the
  people and the sessions) of a copy of the same prepared office, with civic's pragmas (WAL,
  synchronous FULL, foreign keys on, the import's page cache).
- Compliance over `--people` people with rolling 5-year windows (`store.compliance`): target
  <= 2x a bare SQL query computing the same hours per person in the window (a join and a
  GROUP BY over the same attendance table).
Civic's runs and the bare ones alternate, each on a fresh copy of the office; the medians are
compared. Printed, never asserted (ARCHITECTURE "Tests"). Setup (people, programmes, sessions)
is written with plain SQL and not timed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from civic.db import migrate, open_db
from civic.office import Office
from civic.pm import make_plugin_manager

ON = dt.date(2008, 6, 2)
WINDOW = ("2003-06-03", "2008-06-02")
BARE_COMPLIANCE = (
    "SELECT a.person, sum(s.hours), sum(s.half_days) FROM training_attendance a"
    " JOIN training_sessions s ON s.id = a.session WHERE s.day BETWEEN ? AND ? GROUP BY a.person")


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def setup(db, people: int, sessions: int, rng: random.Random) -> None:
    ranks = ["clerk", "deputy_section", "section", "deputy_division", "division"]
    with db.conn:
        # On a unit's staff: compliance counts only people who hold a place in one.
        db.execute("INSERT INTO units (code, name) VALUES ('U1', '单位')")
        db.conn.executemany(
            "INSERT INTO people (code, name, rank, rank_since, status, unit) VALUES (?, ?, ?,"
            " ?, 'serving', 'U1')", ((f"P{i:07d}", f"人{i}", ranks[i % 5], "2001-01-01")
                                     for i in range(people)))
        for i in range(sessions):
            day = ON - dt.timedelta(days=rng.randrange(0, 6 * 365))
            db.execute("INSERT INTO training_programmes (id, title, category, starts, ends)"
                       " VALUES (?, ?, ?, ?, ?)", (i + 1, f"班{i}", "full_time",
                                                   day.isoformat(), day.isoformat()))
            db.execute("INSERT INTO training_sessions (id, programme, day, half_days, hours)"
                       " VALUES (?, ?, ?, 2, 6)", (i + 1, i + 1, day.isoformat()))


def make_sheet(path: Path, people: int, sessions: int, rows: int, rng: random.Random) -> None:
    per = rows // sessions
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["课次", "人员编号"])
        for s in range(1, sessions + 1):
            for i in rng.sample(range(people), per):
                out.writerow([s, f"P{i:07d}"])


def prepare(work: Path, people: int, sessions: int) -> Path:
    """The office both sides start from: migrated, people, programmes and sessions; closed
    (its WAL checkpointed) so that a copy of the one file is the whole office."""
    pm = make_plugin_manager(only=["training"])
    path = work / "prepared.db"
    db = open_db(path)
    migrate(db, pm)
    setup(db, people, sessions, random.Random(1))
    db.close()
    return path


def bare(office: Path, sheet: Path) -> dict[str, float]:
    from civic.importers import IMPORT_CACHE_KIB

    raw = sqlite3.connect(office, isolation_level=None)
    # civic's connection (civic.db.open_db) and its import's page cache (import_cache).
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")

    def load() -> None:
        with sheet.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            raw.execute("BEGIN")
            raw.executemany("INSERT INTO training_attendance VALUES (?, ?)",
                            ((int(s), p) for s, p in reader))
            raw.execute("COMMIT")

    out = {"import": timed(load)}
    raw.execute("PRAGMA cache_size = -2000")  # back to SQLite's default, as civic's is
    out["compliance"] = timed(lambda: raw.execute(BARE_COMPLIANCE, WINDOW).fetchall())
    raw.close()
    return out


def civic(office: Path, sheet: Path) -> dict[str, float]:
    from civic.plugins.training import actions, store

    db = open_db(office)
    office_ = Office(db, make_plugin_manager(only=["training"]))
    out = {"import": timed(lambda: actions.import_attendance(office_, sheet))}
    out["compliance"] = timed(lambda: store.compliance(db, ON))
    db.close()
    return out


def measure(work: Path, people: int, rows: int, sessions: int, runs: int
            ) -> dict[str, dict[str, list[float]]]:
    """Seconds per run of each side, for the import and for compliance: civic's run and the
    bare one alternate, each on its own copy of the prepared office."""
    sheet = work / "sheet.csv"
    make_sheet(sheet, people, sessions, rows, random.Random(2))
    prepared = prepare(work, people, sessions)
    times: dict[str, dict[str, list[float]]] = {
        key: {"civic": [], "baseline": []} for key in ("import", "compliance")}
    for run in range(runs):
        for side, job in (("baseline", bare), ("civic", civic)):
            copy = work / f"{side}-{run}.db"
            shutil.copyfile(prepared, copy)
            for key, value in job(copy, sheet).items():
                times[key][side].append(value)
            copy.unlink()
            for extra in ("-wal", "-shm"):
                copy.with_name(copy.name + extra).unlink(missing_ok=True)
    return times


def figures(work: Path, quick: bool) -> list:
    """The two figures for `python -m bench` (group `training`)."""
    from bench.harness import Figure, median

    people, rows, sessions = (20_000, 200_000, 40) if quick else (100_000, 1_000_000, 40)
    runs = 2 if quick else 3
    folder = work / "training"
    folder.mkdir(exist_ok=True)
    times = measure(folder, people, rows, sessions, runs)
    rows = rows // sessions * sessions
    return [Figure(f"import {rows:,} attendance rows", median(times["import"]["civic"]), "s",
                   2.0, median(times["import"]["baseline"]), runs,
                   note="vs csv parse + bare executemany into the same table",
                   samples=times["import"]),
            Figure(f"compliance, {people:,} people, 5-year window",
                   median(times["compliance"]["civic"]), "s", 2.0,
                   median(times["compliance"]["baseline"]), runs,
                   note="vs one bare GROUP BY query", samples=times["compliance"])]


def main() -> None:
    from bench.harness import median

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = measure(Path(tmp), args.people, args.rows, args.sessions, args.runs)
    rows = args.rows // args.sessions * args.sessions
    print(f"{'figure':<44} {'civic':>8} {'bare':>8} {'ratio':>6} target  runs (civic / bare)")
    for key, label in (("import", f"import {rows:,} attendance rows"),
                       ("compliance", f"compliance, {args.people:,} people, 5-year window")):
        mine, base = median(times[key]["civic"]), median(times[key]["baseline"])
        ratio = mine / base
        runs = " ".join(f"{c:.2f}/{b:.2f}" for c, b in zip(times[key]["civic"],
                                                           times[key]["baseline"], strict=True))
        print(f"{label:<44} {mine:8.2f} {base:8.2f} {ratio:6.2f} <= 2.0 "
              f"{'ok' if ratio <= 2 else 'MISS':<4}  {runs}")


if __name__ == "__main__":
    main()
