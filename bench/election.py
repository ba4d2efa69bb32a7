"""Direct elections at scale, as a ratio to raw SQLite in the same run.

    python bench/election.py [--schools 528] [--runs 3]

- Batch count of `--schools` principal elections from tallies (four constituencies each, as
  the demo's 2008 batch): `civic.plugins.election.store.batch_count` (quorum, void rounds,
  weighted shares, thresholds, outcomes and the summary) against the count done bare in SQL
  over the same tally rows (`BARE_COUNT`: per election, contest and candidate the totals, the
  weighted share, quorum, void rounds, rank and threshold, invalid and valid ballots, the raw
  for-votes per constituency, names and incumbents). Target <= 1.5x; peak memory < 300 MB.
  The plain aggregation (`BARE`: totals by constituency, no share, no decision) and the
  decision alone (`BARE_DECIDE`, the baseline before 2026-12-04) are printed beside.
- Bulk count of `--ballots` individual value ballots (600,000) across as many rounds as
  schools (`civic.contests.count_many`: over-votes, void marks, write-ins, quorum, shares and
  decisions) against a bare SQL aggregation of the same marks (`BARE_BALLOTS`: per round,
  constituency, contest, candidate and value the count of marks, over-voted sections found
  per ballot and left out, as the rules require). Target <= 1.5x. The plain aggregation
  (`BARE_MARKS`: every mark counted, over-votes too) is printed beside.
Printed, never asserted (ARCHITECTURE "Tests"). The batch is written through the plugin's own
import (the demo's generator), the ballots through `civic.contests.enter_value_ballots`; neither
is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import tempfile
import time
from fractions import Fraction
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

# The count's decision done bare in SQL over the same rows (the baseline until 2026-12-04, still
# printed): each constituency's weight parsed from its stored text, the quorum (more than half
# of the registered voting), each candidate's weighted share of the ballots cast (sum of
# weight x for-votes / returned, as a float: no exact arithmetic), the rank by window
# function, over the threshold (more than half) and elected (within the seats).
BARE_DECIDE = """
    WITH w AS (
        SELECT round, code, registered, returned,
               CAST(substr(weight, 1, instr(weight || '/', '/') - 1) AS INTEGER) AS wn,
               CASE WHEN instr(weight, '/') THEN CAST(substr(weight, instr(weight, '/') + 1)
                    AS INTEGER) ELSE 1 END AS wd
        FROM voting_constituencies),
    quorate AS (SELECT round FROM w GROUP BY round HAVING 2 * sum(returned) > sum(registered)),
    share AS (
        SELECT e.election, t.round, t.contest, t.candidate, sum(t.for_votes) AS f,
               sum(t.against_votes) AS a, sum(t.abstain_votes) AS ab,
               sum(1.0 * w.wn * t.for_votes / (w.wd * w.returned)) AS share
        FROM voting_tallies t JOIN w ON w.round = t.round AND w.code = t.constituency
        JOIN voting_rounds r ON r.id = t.round JOIN election_rounds e ON e.vround = r.key
        WHERE t.round IN (SELECT round FROM quorate)
        GROUP BY t.round, t.contest, t.candidate),
    ranked AS (
        SELECT s.*, p.seats, rank() OVER (PARTITION BY s.round, s.contest
                                          ORDER BY s.share DESC, s.f DESC) AS rank
        FROM share s JOIN voting_posts p ON p.round = s.round AND p.position = s.contest)
    SELECT election, contest, candidate, f, a, ab, share, rank, share > 0.5 AS over,
           share > 0.5 AND rank <= seats AS elected
    FROM ranked"""

# The count's work done bare in SQL over the same rows: the decision above, and what the batch
# count must also read and report that the decision alone left out (bench/README.md): a round
# with more ballots returned than issued is void and decided on nothing (重选); each contest's
# invalid ballots (voting_tally_contests) and each constituency's valid ones; the raw for-votes
# per constituency beside the weighted share (the issue: "raw tallies per constituency are
# always reported"); each candidate's name and whether an incumbent (the summary's re-elected
# vs new); each election's title, school and group. The baseline the ruled figure is a ratio to.
BARE_COUNT = """
    WITH w AS (
        SELECT round, code, registered, issued, returned,
               CAST(substr(weight, 1, instr(weight || '/', '/') - 1) AS INTEGER) AS wn,
               CASE WHEN instr(weight, '/') THEN CAST(substr(weight, instr(weight, '/') + 1)
                    AS INTEGER) ELSE 1 END AS wd
        FROM voting_constituencies),
    counted AS (SELECT round FROM w GROUP BY round
                HAVING 2 * sum(returned) > sum(registered) AND max(returned > issued) = 0),
    share AS (
        SELECT e.election, t.round, t.contest, t.candidate, sum(t.for_votes) AS f,
               sum(t.against_votes) AS a, sum(t.abstain_votes) AS ab, sum(k.invalid) AS invalid,
               sum(1.0 * w.wn * t.for_votes / (w.wd * w.returned)) AS share,
               group_concat(t.constituency || ':' || t.for_votes || ':'
                            || (w.returned - k.invalid)) AS raw
        FROM voting_tallies t JOIN w ON w.round = t.round AND w.code = t.constituency
        JOIN voting_tally_contests k ON k.round = t.round AND k.constituency = t.constituency
             AND k.contest = t.contest
        JOIN voting_rounds r ON r.id = t.round JOIN election_rounds e ON e.vround = r.key
        WHERE t.round IN (SELECT round FROM counted)
        GROUP BY t.round, t.contest, t.candidate),
    ranked AS (
        SELECT s.*, p.seats, rank() OVER (PARTITION BY s.round, s.contest
                                          ORDER BY s.share DESC, s.f DESC) AS rank
        FROM share s JOIN voting_posts p ON p.round = s.round AND p.position = s.contest)
    SELECT x.title, x.school, x.grp, s.election, s.contest, s.candidate, c.name, c.incumbent,
           s.f, s.a, s.ab, s.invalid, s.raw, s.share, s.rank, s.share > 0.5 AS over,
           s.share > 0.5 AND s.rank <= s.seats AS elected
    FROM ranked s JOIN election_elections x ON x.id = s.election
    LEFT JOIN election_candidates c ON c.election = s.election AND c.contest = s.contest
         AND c.code = s.candidate"""


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
    ours, bare, plain, decide = [], [], [], []
    summary: dict = {}
    for _run in range(runs):
        t = time.perf_counter()
        summary = store.batch_count(db, batch)["summary"]
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE_COUNT).fetchall()
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE).fetchall()
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE_DECIDE).fetchall()
        decide.append(time.perf_counter() - t)
    db.close()
    return {"rows": rows, "ours": ours, "bare": bare, "plain": plain, "decide": decide,
            "summary": summary,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


BARE_MARKS = (
    "SELECT m.round, b.constituency, w.position, w.text, w.value, count(*)"
    " FROM voting_marks m JOIN voting_written w ON w.id = m.written"
    " JOIN voting_ballots b ON b.id = m.ballot"
    " GROUP BY m.round, b.constituency, w.position, w.text, w.value")

# The same aggregation doing what the rules require of it (bench/README.md): a contest's
# section of a ballot with more for-votes (for-marks and written names) than seats is invalid
# and none of its marks count, so the over-voted sections are found per ballot first, left out
# of the aggregation and counted per place. The baseline the ruled figure is a ratio to.
BARE_BALLOTS = """
    WITH over AS (
        SELECT m.round, m.ballot, w.position FROM voting_marks m
        JOIN voting_written w ON w.id = m.written
        JOIN voting_posts p ON p.round = w.round AND p.position = w.position
        WHERE w.value IN ('for', 'write_in')
        GROUP BY m.round, m.ballot, w.position HAVING count(*) > max(p.seats))
    SELECT m.round, b.constituency, w.position, w.text, w.value, count(*)
    FROM voting_marks m JOIN voting_written w ON w.id = m.written
    JOIN voting_ballots b ON b.id = m.ballot
    WHERE NOT EXISTS (SELECT 1 FROM over o WHERE o.ballot = m.ballot
                      AND o.position = w.position)
    GROUP BY m.round, b.constituency, w.position, w.text, w.value
    UNION ALL
    SELECT o.round, b.constituency, o.position, '', 'invalid', count(*)
    FROM over o JOIN voting_ballots b ON b.id = o.ballot GROUP BY 1, 2, 3"""
WARDS = (("teachers", Fraction(2, 5)), ("students", Fraction(1, 5)),
         ("parents", Fraction(1, 5)), ("residents", Fraction(1, 5)))


def measure_ballots(work: Path, schools: int, total: int, runs: int) -> dict:
    """`total` value ballots over `schools` principal rounds (four constituencies, two or
    three candidates, a write-in now and then, an over-vote now and then), counted in bulk
    against the bare aggregation of their marks, interleaved."""
    from civic import contests
    from civic.tally import Constituency, Contest, ElectionRules, Quorum, Threshold

    pm = make_plugin_manager(only=[])
    db = open_db(work / "bench-ballots.db", create=True)
    migrate(db, pm)
    office = Office(db, pm, actor=Operator("bench", "admin"))
    rng = random.Random(2008)
    per_round = total // schools
    vrounds = []
    for i in range(schools):
        people = tuple(f"S{i:03d}-{c}" for c in "ABC"[:rng.choice((2, 3))])
        split = [per_round * int(w * 100) // 100 for _code, w in WARDS]
        split[0] += per_round - sum(split)
        with office.change() as change:
            vround = contests.declare(
                change, f"bench:{i}", f"school {i}", [Contest("principal", 1, people)],
                constituencies=[Constituency(code, n + 10, w)
                                for (code, w), n in zip(WARDS, split, strict=True)])
            for (code, _w), n in zip(WARDS, split, strict=True):
                contests.record_constituency_figures(change, vround, code, present=n,
                                                     issued=n, returned=n)
            stack = []
            number = 0
            for (code, _w), n in zip(WARDS, split, strict=True):
                for _b in range(n):
                    number += 1
                    pick = rng.choice(people)
                    marks = [("principal", p, "for" if p == pick else "against", None)
                             for p in people]
                    if rng.random() < .02:  # a second for-mark: over-voted, invalid
                        marks[0] = ("principal", people[0], "for", None)
                    if rng.random() < .01:
                        marks.append(("principal", None, None, "王五"))
                    stack.append((number, code, marks))
            contests.enter_value_ballots(change, vround, stack, lambda _c, _t: "P9")
        vrounds.append(vround)
    rules = ElectionRules(threshold=Threshold("returned", Fraction(1, 2), True),
                          quorum=Quorum("returned", Fraction(1, 2), True))
    by_round = {r.id: rules for r in vrounds}
    ballots = db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0]
    ours, bare, plain = [], [], []
    elected = 0
    for _run in range(runs):
        t = time.perf_counter()
        counted = contests.count_many(db, vrounds, by_round)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE_BALLOTS).fetchall()
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        db.execute(BARE_MARKS).fetchall()
        plain.append(time.perf_counter() - t)
        elected = sum(len(c.results["principal"].elected) for c in counted.values()
                      if not isinstance(c, Exception))
    db.close()
    return {"ballots": ballots, "ours": ours, "bare": bare, "plain": plain, "elected": elected,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def figures(work: Path, quick: bool) -> list:
    """The batch-count and bulk-count figures for `python -m bench` (group `election`)."""
    from bench.harness import Figure

    folder = work / "election"
    folder.mkdir(exist_ok=True)
    schools, runs = (100, 3) if quick else (528, 3)
    # A batch count is ~0.05 s a run: nine runs give a steadier median on a shared machine
    # for a second more; the bulk count's runs are seconds each and stay at three.
    got = measure(folder, schools, 3 * runs)
    cast = measure_ballots(folder, schools, 60_000 if quick else 600_000, runs)

    def plain(measured: dict) -> str:
        """For information: the ratio to the plain aggregation, without the count's work
        (and to the decision alone, where measured)."""
        ours = statistics.median(measured["ours"])
        ratio = ours / statistics.median(measured["plain"])
        alone = (f"; {ours / statistics.median(measured['decide']):.1f}x the decision alone"
                 if "decide" in measured else "")
        return f"; {ratio:.1f}x the plain aggregation without the count's work" + alone

    return [Figure(f"batch count, {schools} elections, {got['rows']:,} tally rows",
                   statistics.median(got["ours"]), "s", 1.5, statistics.median(got["bare"]),
                   runs=3 * runs, note="vs the count done bare in SQL over the same tallies"
                   + plain(got)),
            Figure(f"bulk count, {cast['ballots']:,} ballots in {schools} rounds",
                   statistics.median(cast["ours"]), "s", 1.5, statistics.median(cast["bare"]),
                   runs=runs, note="vs a bare SQL aggregation of the same marks, over-voted"
                   " sections left out" + plain(cast))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=528)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ballots", type=int, default=600_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-bench-election-") as tmp:
        got = measure(Path(tmp), args.schools, args.runs)
        ours, bare = statistics.median(got["ours"]), statistics.median(got["bare"])
        ratio = ours / bare
        print(f"batch count, {args.schools} elections, {got['rows']} tally rows: {ours:.3f} s;"
              f" the count bare in SQL {bare:.3f} s; ratio {ratio:.1f}x (target 1.5x)"
              f" {'ok' if ratio <= 1.5 else 'MISS'}; the plain aggregation"
              f" {statistics.median(got['plain']):.3f} s"
              f" ({ours / statistics.median(got['plain']):.1f}x); the decision alone"
              f" {statistics.median(got['decide']):.3f} s"
              f" ({ours / statistics.median(got['decide']):.1f}x)")
        print("  per run (civic / bare):", ", ".join(
            f"{o * 1000:.0f}/{b * 1000:.0f} ms" for o, b in zip(got["ours"], got["bare"],
                                                                strict=True)))
        peak = got["peak_mb"]
        print(f"peak memory {peak:.0f} MB (target 300 MB) {'ok' if peak < 300 else 'MISS'}")
        print(f"elected {got['summary']['elected']}, "
              f"not elected {got['summary']['not_elected']}")
        cast = measure_ballots(Path(tmp), args.schools, args.ballots, args.runs)
        ours, bare = statistics.median(cast["ours"]), statistics.median(cast["bare"])
        ratio = ours / bare
        print(f"bulk count, {cast['ballots']} ballots in {args.schools} rounds: {ours:.3f} s;"
              f" bare SQL (over-votes left out) {bare:.3f} s; ratio {ratio:.1f}x (target 1.5x)"
              f" {'ok' if ratio <= 1.5 else 'MISS'}; {cast['elected']} elected; the plain"
              f" aggregation {statistics.median(cast['plain']):.3f} s"
              f" ({ours / statistics.median(cast['plain']):.1f}x)")
        peak = cast["peak_mb"]
        print(f"peak memory {peak:.0f} MB (target 300 MB) {'ok' if peak < 300 else 'MISS'}")


if __name__ == "__main__":
    main()
