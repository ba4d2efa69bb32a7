"""Training at scale (issue 15 "Speed"), as ratios to raw SQLite measured in the same run.

    python bench/training.py [--people 100000] [--rows 1000000]

- Importing a sign-in sheet of `--rows` attendance rows (one sheet naming each row's session):
  target <= 2x csv parse plus a bare executemany of the same rows in one transaction.
- Compliance over `--people` people with rolling 5-year windows (`store.compliance`): target
  <= 2x a bare SQL query computing the same hours per person in the window (a join and a
  GROUP BY over the attendance).
Printed, never asserted (ARCHITECTURE "Tests"). Setup (people, programmes, sessions) is
written with plain SQL and not timed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from civic.db import migrate, open_db
from civic.office import Office
from civic.pm import make_plugin_manager

ON = dt.date(2008, 6, 2)
WINDOW = ("2003-06-03", "2008-06-02")
BARE_COMPLIANCE = (
    "SELECT a.person, sum(s.hours), sum(s.half_days) FROM attendance a"
    " JOIN sessions s ON s.id = a.session WHERE s.day BETWEEN ? AND ? GROUP BY a.person")


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def setup(db, people: int, sessions: int, rng: random.Random) -> list[tuple[int, str]]:
    ranks = ["clerk", "deputy_section", "section", "deputy_division", "division"]
    with db.conn:
        db.conn.executemany(
            "INSERT INTO people (code, name, rank, rank_since, status) VALUES (?, ?, ?, ?,"
            " 'serving')", ((f"P{i:07d}", f"人{i}", ranks[i % 5], "2001-01-01")
                            for i in range(people)))
        for i in range(sessions):
            day = ON - dt.timedelta(days=rng.randrange(0, 6 * 365))
            db.execute("INSERT INTO training_programmes (id, title, category, starts, ends)"
                       " VALUES (?, ?, ?, ?, ?)", (i + 1, f"班{i}", "full_time",
                                                   day.isoformat(), day.isoformat()))
            db.execute("INSERT INTO training_sessions (id, programme, day, half_days, hours)"
                       " VALUES (?, ?, ?, 2, 6)", (i + 1, i + 1, day.isoformat()))
    return [(i + 1, r[0]) for i, r in enumerate(db.execute(
        "SELECT day FROM training_sessions ORDER BY id"))]


def make_sheet(path: Path, people: int, sessions: int, rows: int, rng: random.Random) -> None:
    per = rows // sessions
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["课次", "人员编号"])
        for s in range(1, sessions + 1):
            for i in rng.sample(range(people), per):
                out.writerow([s, f"P{i:07d}"])


def bare(work: Path, sheet: Path, days: list[tuple[int, str]]) -> dict[str, float]:
    raw = open_db(work / "bare.db")
    raw.execute("CREATE TABLE attendance (session INTEGER, person TEXT,"
                " PRIMARY KEY (session, person)) WITHOUT ROWID")
    raw.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, day TEXT, hours REAL,"
                " half_days INTEGER)")
    raw.conn.executemany("INSERT INTO sessions VALUES (?, ?, 6, 2)", days)
    raw.conn.commit()

    def load() -> None:
        with sheet.open(newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            with raw.conn:
                raw.conn.executemany("INSERT INTO attendance VALUES (?, ?)",
                                     ((int(s), p) for s, p in reader))

    out = {"import": timed(load)}
    out["compliance"] = timed(lambda: raw.execute(BARE_COMPLIANCE, WINDOW).fetchall())
    raw.close()
    return out


def civic(work: Path, sheet: Path, people: int, sessions: int) -> dict[str, float]:
    from civic.plugins.training import actions, store

    pm = make_plugin_manager(only=["training"])
    db = open_db(work / "civic.db")
    migrate(db, pm)
    office = Office(db, pm)
    days = setup(db, people, sessions, random.Random(1))
    out = {"days": days}
    out["import"] = timed(lambda: actions.import_attendance(office, sheet))
    out["compliance"] = timed(lambda: store.compliance(db, ON))
    db.close()
    return out


def figures(work: Path, quick: bool) -> list:
    """The two figures for `python -m bench` (group `training`): one run each, civic's on a
    fresh office and the bare one on the same sheet, in the same process."""
    from bench.harness import Figure

    people, rows, sessions = (20_000, 200_000, 40) if quick else (100_000, 1_000_000, 40)
    folder = work / "training"
    folder.mkdir(exist_ok=True)
    sheet = folder / "sheet.csv"
    make_sheet(sheet, people, sessions, rows, random.Random(2))
    mine = civic(folder, sheet, people, sessions)
    base = bare(folder, sheet, mine.pop("days"))
    rows = rows // sessions * sessions
    return [Figure(f"import {rows:,} attendance rows", mine["import"], "s", 2.0,
                   base["import"], note="vs csv parse + bare executemany"),
            Figure(f"compliance, {people:,} people, 5-year window", mine["compliance"], "s",
                   2.0, base["compliance"], note="vs one bare GROUP BY query")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sheet = work / "sheet.csv"
        make_sheet(sheet, args.people, args.sessions, args.rows, random.Random(2))
        mine = civic(work, sheet, args.people, args.sessions)
        base = bare(work, sheet, mine.pop("days"))
        rows = args.rows // args.sessions * args.sessions
        print(f"{'figure':<44} {'civic':>8} {'bare':>8} {'ratio':>6} target")
        for key, label in (("import", f"import {rows:,} attendance rows"),
                           ("compliance", f"compliance, {args.people:,} people, 5-year window")):
            ratio = mine[key] / base[key]
            print(f"{label:<44} {mine[key]:8.2f} {base[key]:8.2f} {ratio:6.2f} <= 2.0 "
                  f"{'ok' if ratio <= 2 else 'MISS'}")


if __name__ == "__main__":
    main()
