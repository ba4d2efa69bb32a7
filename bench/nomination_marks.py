"""Ballot marks at scale: import and count of 1,000,000 marks, as ratios to raw SQLite.

    python bench/nomination_marks.py [--ballots 40000] [--posts 25] [--repeat 3]

Issue 4's targets: importing runs at >= 0.5x the rate of csv parse + a bare executemany of the
same rows in one transaction (ratio <= 2.0); counting takes <= 1.5x a bare GROUP BY over them.
Baselines run in the same process, each civic run right after its baseline; ratios are
printed per run as the best and the median (the machine's other load only ever adds time). The count is compared
with four baselines: a bare GROUP BY over the rows as imported (the issue's reading), the same
on a covering index, a window-function top-N on that index, and a bare GROUP BY over civic's
own stored marks. Printed, never asserted (ARCHITECTURE "Tests").
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from civic import ballots
from civic.db import migrate, open_db
from civic.office import Office
from civic.pm import make_plugin_manager
from civic.voting import CountRules


def make_file(path: Path, n_ballots: int, n_posts: int, seed: int = 1) -> int:
    """One row per mark; 300 people per post, 5% blanks, 1% of sections over-voted."""
    rng = random.Random(seed)
    people = [[f"P{p:02d}{i:03d}" for i in range(300)] for p in range(n_posts)]
    weights = [1 / (i + 1) for i in range(300)]  # a few strong names, a long tail
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["ballot", "position", "choice"])
        for b in range(1, n_ballots + 1):
            picks = [rng.choices(people[p], weights, k=2) for p in range(n_posts)]
            for p in range(n_posts):
                r = rng.random()
                names = [""] if r < 0.05 else picks[p] if r < 0.06 else picks[p][:1]
                for name in names:
                    out.writerow([b, f"POS{p:02d}", name])
                    rows += 1
    return rows


def fresh_db(path: Path):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return open_db(path)


def best_of(fn: Callable[[], object], times: int = 5) -> float:
    found = []
    for _i in range(times):
        t = time.perf_counter()
        fn()
        found.append(time.perf_counter() - t)
    return min(found)


PLAIN_GROUP = ("SELECT position, choice, count(*) FROM marks WHERE choice != ''"
               " GROUP BY position, choice")
PLAIN_TOP_N = ("SELECT position, choice, n FROM (SELECT position, choice, count(*) AS n,"
               " rank() OVER (PARTITION BY position ORDER BY count(*) DESC) AS r"
               " FROM marks WHERE choice != '' GROUP BY position, choice) WHERE r <= 5")


def bare_run(work: Path, data: Path) -> dict[str, float]:
    """Baseline: csv parse + one executemany of the same rows, one transaction; then counts."""
    raw = fresh_db(work / "bare.db")
    raw.execute("CREATE TABLE marks (ballot INTEGER, position TEXT, choice TEXT)")

    def load() -> None:
        with open(data, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            with raw.conn:
                raw.conn.executemany("INSERT INTO marks VALUES (?, ?, ?)",
                                     ((int(b), p, c) for b, p, c in reader))

    times = {"bare import": best_of(load, 1)}
    times["bare GROUP BY, as imported"] = best_of(lambda: raw.execute(PLAIN_GROUP).fetchall())
    raw.execute("CREATE INDEX marks_count ON marks (position, choice)")
    times["bare GROUP BY, covering index"] = best_of(
        lambda: raw.execute(PLAIN_GROUP).fetchall())
    times["bare top-N, covering index"] = best_of(lambda: raw.execute(PLAIN_TOP_N).fetchall())
    raw.close()
    return times


def ready_round(change: Any, key: str, posts: list[str], folder: Path) -> ballots.VotingRound:
    """A round with a one-elector roll and attendance closed, as ballots need (untimed)."""
    vround = ballots.create_round(change, key, "bench", posts)
    roll = folder / "bench-roll.csv"
    roll.write_text("code,name,present\nE1,E1,1\n", encoding="utf-8")
    ballots.load_roll(change, vround, roll)
    ballots.close_attendance(change, vround)
    return vround


def civic_run(work: Path, data: Path, pm: Any, posts: list[str]) -> dict[str, float]:
    db = fresh_db(work / "civic.db")
    migrate(db, pm)
    office = Office(db, pm)
    with office.change() as change:
        vround = ready_round(change, "bench:1:1", posts, work)

    def load() -> None:
        with office.change() as change:
            ballots.import_ballots(change, vround, data, lambda post, text: text)

    rules = CountRules(places=5, marks_allowed=1)
    times = {"civic import": best_of(load, 1)}
    times["bare GROUP BY, civic's marks"] = best_of(lambda: db.execute(
        "SELECT written, count(*) FROM voting_marks WHERE round = ? GROUP BY written",
        (vround.id,)).fetchall())
    times["civic count"] = best_of(lambda: ballots.count(db, vround, rules))
    assert len(ballots.count(db, vround, rules)) == len(posts)
    times["civic digest (certification)"] = best_of(lambda: ballots.ballots_digest(db, vround),
                                                    1)
    db.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=40_000)
    parser.add_argument("--posts", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pm = make_plugin_manager(only=[])
    posts = [f"POS{p:02d}" for p in range(args.posts)]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "marks.csv"
        rows = make_file(data, args.ballots, args.posts)
        print(f"{rows:,} rows ({args.ballots:,} ballots x {args.posts} posts), "
              f"{data.stat().st_size / 1e6:.1f} MB; {args.repeat} runs, each civic run right "
              f"after its baseline")
        runs = [{**bare_run(work, data), **civic_run(work, data, pm, posts)}
                for _run in range(args.repeat)]
        for name in runs[0]:
            print(f"  {name:<32} {min(r[name] for r in runs):8.3f} s")

        def ratio(a: str, b: str) -> str:
            found = sorted(r[a] / r[b] for r in runs)
            return f"{found[0]:.2f} best, {statistics.median(found):.2f} median"

        print(f"import: civic / (csv parse + bare executemany)      = "
              f"{ratio('civic import', 'bare import')}  (target <= 2.0)")
        for base in ("bare GROUP BY, as imported", "bare GROUP BY, covering index",
                     "bare top-N, covering index", "bare GROUP BY, civic's marks"):
            note = "  (target <= 1.5)" if base.endswith("as imported") else ""
            print(f"count:  civic / {base:<35} = {ratio('civic count', base)}{note}")


if __name__ == "__main__":
    main()
