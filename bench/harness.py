"""What every figure shares: timing, medians, child processes, peak memory, the table.

Machines here are noisy, so every figure is a ratio to a baseline measured in the same run,
interleaved with civic's own runs (a burst of load then hits both), and the median of the runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CIVIC = str(Path(sys.executable).with_name("civic"))


@dataclass
class Figure:
    """One line of the table: civic's value, its baseline, and the target it is held to.

    `limit` is the largest ratio allowed or, without a baseline, the largest value.
    `info`: printed for information, its old target beside it, and not counted as met or
    missed (a figure a later ruling replaced, such as the TUI's whole start against an empty
    app, which issue 16 replaced by its two ruled waits).
    """

    name: str
    value: float
    unit: str
    limit: float
    baseline: float | None = None
    runs: int = 1
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)
    info: bool = False

    @property
    def ratio(self) -> float | None:
        return None if self.baseline in (None, 0) else self.value / self.baseline

    @property
    def ok(self) -> bool:
        measured = self.ratio if self.baseline is not None else self.value
        return measured is not None and measured <= self.limit

    @property
    def target(self) -> str:
        if self.baseline is not None:
            return f"<= {self.limit:g}x"
        return f"< {self.limit:g} {self.unit}"

    @property
    def verdict(self) -> str:
        return "info" if self.info else "ok" if self.ok else "MISS"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "ok": None if self.info else self.ok,
                "target": self.target}


@dataclass
class Skipped:
    """A figure that could not be measured here, and why (e.g. a plugin not built yet)."""

    name: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "skipped": self.reason}


def interleaved(runs: int, **jobs: Callable[[], Any]) -> dict[str, list[float]]:
    """Run each job `runs` times, alternating between them; seconds per run, per job."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


# Children start from bytecode, as an installed civic does (pip compiles it). A shell with
# PYTHONDONTWRITEBYTECODE (set in the dev containers) would otherwise recompile civic's modules
# on every start while Textual's and click's come compiled from site-packages: measured, that
# alone put 20-40 ms on civic's side of every start-up figure. The cache lives in the temp
# folder, never in the source tree.
PYCACHE = Path(tempfile.gettempdir()) / "civic-bench-pycache"


def env(**extra: str) -> dict[str, str]:
    """A child's environment: English, no office settings leaking in from the shell, bytecode
    cached."""
    out = {k: v for k, v in os.environ.items()
           if not k.startswith("CIVIC_") and k != "PYTHONDONTWRITEBYTECODE"}
    out.update(CIVIC_LANG="en", PYTHONPYCACHEPREFIX=str(PYCACHE), **extra)
    return out


# The small parent that starts every child: the peak RSS of a child reported by wait4 counts
# the pages it had at fork, and a child forked from the bench itself (tens of MB of data
# loaded for the figures) inherited the bench's size: `audit verify` read 89 MB that way,
# 34 MB alone. This parent imports nothing heavy, times the child itself (its own start is
# not counted) and writes "wall peak_kb" to the file named first.
PARENT = r"""
import os, sys, time
report, args = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(args[0], args, os.environ)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as fh:
    fh.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(args: list[str], environ: dict[str, str] | None = None, *,
              check: bool = True) -> tuple[float, int, str]:
    """Run a process; return (wall seconds, peak RSS in MB, stdout).

    Started by the small `PARENT`, which reports the child's own wall time and the peak RSS
    of that very child (wait4's rusage), so neither the bench's memory nor earlier children's
    peaks (RUSAGE_CHILDREN keeps the largest ever) leak into it.
    """
    import shutil

    program = args[0] if os.path.isabs(args[0]) else (shutil.which(args[0]) or args[0])
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as report:
        child = subprocess.Popen([PYTHON, "-S", "-c", PARENT, report.name, program, *args[1:]],
                                 stdout=subprocess.PIPE, stderr=err, env=environ or env(),
                                 cwd=ROOT)
        out = child.stdout.read()
        child.wait()
        child.stdout.close()
        wall_text, peak_kb, code = report.read().split()
        if check and (child.returncode != 0 or int(code) != 0):
            err.seek(0)
            raise RuntimeError(f"{args[:4]} failed ({code}): "
                               f"{err.read().decode(errors='replace')[-2000:]}")
    return float(wall_text), int(int(peak_kb) / 1024), out.decode()


def python_child(code: str, *args: str, environ: dict[str, str] | None = None
                 ) -> tuple[float, int, str]:
    return run_child([PYTHON, "-c", code, *args], environ)


def print_table(rows: list[Figure | Skipped]) -> None:
    print()
    print(f"{'figure':<52} {'value':>12} {'baseline':>12} {'ratio':>7} {'target':>10}  ok")
    print("-" * 102)
    for row in rows:
        if isinstance(row, Skipped):
            print(f"{row.name:<52} {'—':>12} {'—':>12} {'—':>7} {'':>10}  SKIP ({row.reason})")
            continue
        base = "—" if row.baseline is None else _fmt(row.baseline, row.unit)
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}x"
        print(f"{row.name:<52} {_fmt(row.value, row.unit):>12} {base:>12} {ratio:>7} "
              f"{row.target:>10}  {row.verdict}")
        if row.note:
            print(f"{'':<4}{row.note}")


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"
