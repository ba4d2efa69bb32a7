"""Building the demo office (`civic demo --no-tui`): an absolute target, < 5 s, because the
demo is what a new user waits for first. Measured as a whole process, as the user runs it."""

from __future__ import annotations

from pathlib import Path

from bench.harness import CIVIC, Figure, env, median, run_child


def build(path: Path) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    wall, _peak, _out = run_child([CIVIC, "demo", "--db", str(path), "--no-tui", "--yes"],
                                  env())
    return wall


def figures(work: Path, quick: bool) -> list[Figure]:
    runs = 1 if quick else 3
    path = work / "demo.db"
    times = [build(path) for _ in range(runs)]
    return [Figure("build the demo office (civic demo --no-tui)", median(times), "s", 5.0,
                   runs=runs, samples={"civic": times})]
