"""`python -m bench [--quick] [--only NAME ...]`: every figure of issue 6, each with its baseline
measured in the same run, printed as `figure  value  baseline  ratio  target  ok/MISS` and
written to bench/results.json (or --out). Run from the repository root, in the venv.

--quick uses smaller sizes (100,000 audit entries and marks instead of 1,000,000) and fewer
runs: a check that everything works, not the figures to quote. A figure that cannot run here
(a plugin not installed, say) is listed as SKIP with the reason; the others still run.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import (
    accountability,
    audit_verify,
    change,
    cli_start,
    demo_build,
    election,
    evaluation,
    nomination,
    notices_render,
    people_import,
    placement,
    scale,
    training,
    tui,
)
from bench.harness import Figure, Skipped, print_table

Group = Callable[[Path, bool], list[Figure]]


def _tui(work: Path, quick: bool) -> list[Figure]:
    demo = work / "demo.db"
    if not demo.exists():
        demo_build.build(demo)
    return tui.figures(work, quick, demo)


GROUPS: dict[str, tuple[Group, list[str]]] = {
    # name: (function, the figures it yields, for SKIP lines when it cannot run)
    "change": (change.figures, ["one interactive change"]),
    "cli": (cli_start.figures, ["civic --help / registry command"]),
    "audit": (audit_verify.figures, ["audit verify", "peak memory, audit verify"]),
    "notices": (notices_render.figures, ["render 1,000 notices"]),
    "demo": (demo_build.figures, ["build the demo office"]),
    "tui": (_tui, ["TUI start", "people mode first frame"]),
    "nomination": (nomination.figures, ["import marks", "count marks", "peak memory, import"]),
    "placement": (placement.figures, ["serial dictatorship"]),
    # Evaluation scoring: the vectorised run and the Monte Carlo against bare NumPy; rating
    # forms' import and count against bare SQLite.
    "evaluation": (evaluation.figures, ["score 100,000 units x 31 indicators",
                                        "sensitivity 1,000 runs, 14 units",
                                        "import 500,000 rating marks",
                                        "import and count 500,000 rating marks"]),
    # Direct elections: a batch of principal elections counted from tallies, against bare SQL.
    "election": (election.figures, ["batch count of elections"]),
    # The commands users run at scale, whole processes against bare ones.
    "scale": (scale.figures, ["civic placement run", "civic eligible --json",
                              "civic people list, last page"]),
    "import": (people_import.figures, ["civic people import, CSV", "civic people import, XLSX"]),
    # The training plugin: a sign-in sheet's import and compliance, against bare SQLite.
    "training": (training.figures, ["import attendance rows", "compliance, 5-year window"]),
    # Accountability: a file of cases imported, the report, eligibility under restrictions.
    "accountability": (accountability.figures, ["civic accountability case import",
                                                "accountability report",
                                                "civic eligible --json, 10% restricted"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer runs")
    parser.add_argument("--only", nargs="+", choices=sorted(GROUPS), help="run these groups")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.json")
    args = parser.parse_args()

    rows: list[Figure | Skipped] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="civic-bench-") as tmp:
        work = Path(tmp)
        for name in args.only or GROUPS:
            function, expected = GROUPS[name]
            print(f"[{name}] ...", file=sys.stderr, flush=True)
            t = time.perf_counter()
            try:
                found = function(work, args.quick)
            except ModuleNotFoundError as exc:
                found = [Skipped(f, f"{exc.name} not available") for f in expected]
            except Exception as exc:  # one broken figure must not hide the others
                traceback.print_exc()
                found = [Skipped(f, f"failed: {type(exc).__name__}: {exc}"[:90])
                         for f in expected]
            rows += found
            print(f"[{name}] {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    print_table(rows)
    figures = [r for r in rows if isinstance(r, Figure)]
    misses = [r.name for r in figures if not r.info and not r.ok]
    print(f"\n{len(figures)} figures ({sum(r.info for r in figures)} for information), "
          f"{len(misses)} missed, "
          f"{sum(isinstance(r, Skipped) for r in rows)} skipped; {total:.0f} s"
          f"{' (--quick)' if args.quick else ''}.")
    args.out.write_text(json.dumps({
        "quick": args.quick, "seconds": round(total, 1),
        "machine": {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "cpus": _cpus()},
        "figures": [r.as_dict() for r in rows],
    }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {args.out}.")


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    main()
