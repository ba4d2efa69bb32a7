"""Direct elections at scale, as a ratio to raw SQLite in the same run.

    python bench/election.py [--schools 528] [--runs 3]

- Batch count of `--schools` principal elections from tallies (four constituencies each, as
  the demo's 2008 batch): `civic.plugins.election.store.batch_count` (quorum, void rounds,
  weighted shares, thresholds, outcomes and the summary) against a bare SQL aggregation over
  the same tally rows (per election, contest and candidate: the for-votes and the ballots by
  constituency). Target <= 1.5x; peak memory < 300 MB.
Printed, never asserted (ARCHITECTURE "Tests"). The batch is written through the plugin's own
import (the demo's generator) and not timed. Not measured here yet: 600,000 individual ballots
(value marks) across the schools.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from civic.db import migrate, open_db
from civic.office import Office, Operator
from civic.pm import make_plugin_manager

BARE = (
    "SELECT e.election, t.contest, t.candidate, t.constituency, sum(t.for_votes),"
    " sum(t.against_votes), sum(t.abstain_votes), c.registered, c.present, c.issued,"
    " c.returned, c.weight"
    " FROM voting_tallies t JOIN voting_rounds r ON r.id = t.round"
    " JOIN election_rounds e ON e.vround = r.key"
    " JOIN voting_constituencies c ON c.round = t.round AND c.code = t.constituency"
    " GROUP BY e.election, t.contest, t.candidate, t.constituency")


def measure(work: Path, schools: int, runs: int) -> dict:
    """Build a batch of `schools` principal elections in `work` and time its count against
    the bare aggregation, interleaved so that both see the same machine."""
    from civic.plugins.election import actions, demo, store

    pm = make_plugin_manager(only=["election"])
    db = open_db(work / "bench-election.db", create=True)
    migrate(db, pm)
    office = Office(db, pm, actor=Operator("bench", "admin"))
    demo.SCHOOLS = schools
    files = demo._schools(random.Random(2008), work)
    batch = actions.import_batch(office, *files, title="bench", pack="principal-kunming-2008",
                                 held_on=dt.date(2008, 8, 28))["batch"]
    rows = db.execute("SELECT count(*) FROM voting_tallies").fetchone()[0]
    ours, bare = [], []
    summary: dict = {}
    for _run in range(runs):
        t = time.perf_counter()
        summary = store.batch_count(db, batch)["summary"]
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE).fetchall()
        bare.append(time.perf_counter() - t)
    db.close()
    return {"rows": rows, "ours": ours, "bare": bare, "summary": summary,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def figures(work: Path, quick: bool) -> list:
    """The batch-count figure for `python -m bench` (group `election`)."""
    from bench.harness import Figure

    folder = work / "election"
    folder.mkdir(exist_ok=True)
    schools, runs = (100, 3) if quick else (528, 3)
    got = measure(folder, schools, runs)
    return [Figure(f"batch count, {schools} elections, {got['rows']:,} tally rows",
                   statistics.median(got["ours"]), "s", 1.5, statistics.median(got["bare"]),
                   runs=runs, note="vs a bare SQL aggregation of the same tallies")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=528)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-bench-election-") as tmp:
        got = measure(Path(tmp), args.schools, args.runs)
        ours, bare = statistics.median(got["ours"]), statistics.median(got["bare"])
        ratio = ours / bare
        print(f"batch count, {args.schools} elections, {got['rows']} tally rows: {ours:.3f} s;"
              f" bare SQL {bare:.3f} s; ratio {ratio:.1f}x (target 1.5x)"
              f" {'ok' if ratio <= 1.5 else 'MISS'}")
        peak = got["peak_mb"]
        print(f"peak memory {peak:.0f} MB (target 300 MB) {'ok' if peak < 300 else 'MISS'}")
        print(f"elected {got['summary']['elected']}, "
              f"not elected {got['summary']['not_elected']}")


if __name__ == "__main__":
    main()
