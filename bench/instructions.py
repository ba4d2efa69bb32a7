"""The two ruled TUI waits counted in CPU instructions (valgrind's cachegrind), for a machine
too noisy to judge a small change by the wall clock.

    python -m bench.instructions [--demo FILE]

The wall clock of one child moved by 0.7-1.5x between neighbouring runs on 2026-12-04; the
instructions a child executes moved by 0.2%. Each side runs the same child as `--only tui`
(bench/tui.py), stopped at its mark: the login from the spawn to the login drawn; Enter as
the instructions to the "drawn" mark less those to the "enter" mark (the login, the typing and
the warm-up left out, as the wall-clock figure leaves them out). Instructions leave out what
the wall clock holds besides (waiting on the disk, a sleep, another thread's wait), so these
ratios do not replace the figures of `python -m bench`; they tell whether a change made a
side do more work or less. The login's counts repeat to 0.2%; civic's Enter moved between
997 and 1,134 M in three runs: its worker threads (the login's warm-up, the chain check
started once the dashboard is drawn) are scheduled differently under valgrind, which runs one
thread at a time. About two minutes: valgrind runs each child some 30 times slower.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import demo_build, tui
from bench.harness import PYTHON, Figure, env, print_table

# Each child stops itself at a mark, so that only the work up to it is counted.
_EXIT = "; import os; os._exit(0)"


def _stopped_at(source: str, mark: str) -> str:
    """`source` ending itself as it prints `mark` ("" for the bare login's one mark)."""
    printed = re.compile(rf'print\("{mark}", [^\n]*\)' if mark else
                         r"print\(await drawn_with_keys\(pilot\), flush=True\)")
    found = printed.search(source)
    if found is None:
        raise ValueError(f"bench/tui.py no longer prints its {mark or 'bare login'} mark"
                         " this way")
    return source[:found.end()] + _EXIT + source[found.end():]


def count(source: str, *args: str) -> float:
    """Millions of instructions a child executes (cachegrind, no cache simulation)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         PYTHON, "-c", source, *args], capture_output=True, text=True, env=env())
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode or found is None:
        raise RuntimeError(f"valgrind failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found.group(1).replace(",", "")) / 1e6


def figures(work: Path, demo: Path) -> list[Figure]:
    from civic.demo import DEMO_PASSWORD

    data = str(tui.dashboard_data(demo, work / "dashboard.json"))
    civic = (str(demo), DEMO_PASSWORD)
    bare = (data, DEMO_PASSWORD)
    children = {"login": (_stopped_at(tui.DASHBOARD, "login"), civic),
                "login bare": (_stopped_at(tui.LOGIN_WIDGETS, ""), ()),
                "drawn": (_stopped_at(tui.DASHBOARD, "drawn"), civic),
                "enter": (_stopped_at(tui.DASHBOARD, "enter"), civic),
                "drawn bare": (_stopped_at(tui.DASHBOARD_WIDGETS, "drawn"), bare),
                "enter bare": (_stopped_at(tui.DASHBOARD_WIDGETS, "enter"), bare)}
    for source, args in children.values():  # the bytecode cache written, uncounted
        subprocess.run([PYTHON, "-c", source, *args], env=env(), capture_output=True,
                       check=True)
    got = {name: count(source, *args) for name, (source, args) in children.items()}
    login, login_bare = got["login"], got["login bare"]
    enter = got["drawn"] - got["enter"]
    enter_bare = got["drawn bare"] - got["enter bare"]
    return [
        Figure("TUI login screen drawn, instructions", login, "M", 1.15, login_bare,
               note="baseline: the bare login app of `--only tui`, counted the same way"),
        Figure("TUI Enter to the dashboard drawn, instructions", enter, "M", 1.15, enter_bare,
               note="baseline: the bare dashboard app of `--only tui`; each side's count to "
                    "its drawn mark less its count to its enter mark"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--demo", type=Path, help="a demo office already built (else built)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed here (Debian: apt install valgrind).")
    with tempfile.TemporaryDirectory(prefix="civic-instructions-") as tmp:
        demo = args.demo
        if demo is None:
            demo = Path(tmp) / "demo.db"
            demo_build.build(demo)
        print_table(figures(Path(tmp), demo))


if __name__ == "__main__":
    main()
