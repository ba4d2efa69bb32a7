"""Finish in tmux, keys only, what the demo leaves part-done, and keep a text copy of each screen.

    python tools/tmux_finish.py OUT_DIR [--civic PATH] [--seed N]

Builds the demo once (`civic demo --no-tui`); then for each language (en, zh_CN) and size
(80x24, 120x40) works on a copy of it in a detached tmux session (`civic tui`, the demo's
clock on its day, 20 October 2008), logged in as the demo's operator, the supervisor typing
his name and password where a step needs his co-signature:

- a nomination to the reserve: the candidates for inspection's notice, its period over, is
  confirmed (F6, c), then the reserve candidates named (F8, R);
- a nomination to round 2: round 1's notice confirmed, round 2 opened (o, y);
- a nomination whose round 2 is counted: certified (c), its notice drafted (d) and posted (p);
- a placement to its appointments: its notice confirmed (F6, c), the appointments recorded
  (F7, a);
- a placement not yet run: run (u), certified (c), its notice drafted (d).

Each screen is written to OUT_DIR/<lang>-<W>x<H>/<NN>-<step>.txt as `tmux capture-pane` shows
it, for a person to read. Rows are found with the CLI's `--json` reads before the session
(reading changes nothing); at the end the CLI checks that the reserve, round 2, the
appointments and the certifications are in the database. Uses its own tmux server (as
tools/tmux_walk.py does), never the default one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tmux_walk import LANGS, OPERATOR, PASSWORD, SIZES, SOCKET, settle, tmux, wait_for

SUPERVISOR = "supervisor"
LIMIT = 30.0  # seconds a screen may take to stop changing: a count or a run takes a moment


def read(civic: str, db: Path, *args: str) -> object:
    out = subprocess.run([civic, "--db", str(db), *args, "--json"], check=True,
                         capture_output=True, text=True, env={**os.environ, "CIVIC_LANG": "en"})
    return json.loads(out.stdout)


class Walk:
    """One session: keys in, each screen out to `folder`, what went wrong in `problems`."""

    def __init__(self, session: str, folder: Path) -> None:
        self.session, self.folder = session, folder
        self.number = 0
        self.problems: list[str] = []

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux("send-keys", "-t", self.session, *(("-l",) if literal else ()), *keys)

    def step(self, name: str, *keys: str) -> str:
        """Send `keys` and keep the screen they lead to."""
        if keys:
            self.keys(*keys)
        screen = settle(self.session, LIMIT)
        self.number += 1
        (self.folder / f"{self.number:02d}-{name}.txt").write_text(screen, encoding="utf-8")
        if "Traceback" in screen:
            self.problems.append(f"{name}: a traceback reached the screen")
        return screen

    def type(self, text: str) -> None:
        self.keys(text, literal=True)
        time.sleep(1)  # as a person types: the field has taken it before the next key

    def tab(self) -> None:
        self.keys("Tab")
        time.sleep(1)  # the focus moves on before the next field is typed

    def cosign(self, name: str) -> None:
        """The supervisor types his name, Tab, his password, Enter."""
        self.step(f"{name}-cosign")
        self.type(SUPERVISOR)
        self.tab()
        self.type(PASSWORD)
        self.step(f"{name}-signed", "Enter")

    def row(self, name: str, mode_key: str, index: int) -> None:
        """A mode's list (its key twice: the second goes back from a record to the list),
        the cursor on row `index`."""
        self.step(f"{name}-mode", mode_key)
        self.keys(mode_key)
        settle(self.session, LIMIT)
        self.keys("C-Home")
        for _i in range(index):
            self.keys("Down")
        self.step(f"{name}-row")


def walk(civic: str, db: Path, lang: str, size: tuple[int, int], out: Path) -> list[str]:
    width, height = size
    session = f"finish-{lang}-{width}x{height}"
    folder = out / f"{lang}-{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    noms = [n["id"] for n in read(civic, db, "nomination", "list")]  # type: ignore[union-attr]
    titles = {n["id"]: n["title"] for n in read(civic, db, "nomination", "list")}  # type: ignore[union-attr]
    batches = [b["id"] for b in read(civic, db, "placement", "list")]  # type: ignore[union-attr]
    notices = read(civic, db, "notice", "list")
    notice_rows = [n["id"] for n in notices]  # type: ignore[union-attr]
    subject = {n["subject"]: n["id"] for n in notices}  # type: ignore[union-attr]

    def held(part: str) -> int:
        return next(i for i, t in titles.items() if part in t)

    reserve, round2, counted = held("统计"), held("交通"), held("环保")
    second, third = batches[1], batches[2]
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
         f"env CIVIC_LANG={lang} {civic} --db {db} tui")
    w = Walk(session, folder)
    try:
        if not wait_for(session, PASSWORD, 60):  # the demo's login shows its password
            w.problems.append("the login screen did not show")
        w.step("login")
        w.type(OPERATOR)
        w.tab()
        w.type(PASSWORD)
        w.keys("Enter")
        if not wait_for(session, "F2 ", 60):
            w.problems.append("the login did not reach the dashboard")
        w.step("home")

        # A nomination to the reserve.
        w.row("inspection-notice", "F6", notice_rows.index(subject[f"nomination:{reserve}:2"]))
        w.step("inspection-confirm", "c")
        w.cosign("inspection-confirm")
        w.row("reserve-nomination", "F8", noms.index(reserve))
        w.step("reserve-open", "Enter")
        w.step("reserve-named", "R")
        w.step("reserve-overview")
        # A nomination to round 2.
        w.row("round1-notice", "F6", notice_rows.index(subject[f"nomination:{round2}:1"]))
        w.step("round1-confirm", "c")
        w.cosign("round1-confirm")
        w.row("round2-nomination", "F8", noms.index(round2))
        w.step("round2-open", "Enter")
        w.step("round2-ask", "o")
        w.step("round2-opened", "y")
        # A nomination whose round 2 is counted: certify, draft, post.
        w.row("counted-nomination", "F8", noms.index(counted))
        w.step("counted-open", "Enter")
        w.step("counted-count", "]", "]", "]")  # Overview, Roll, Adjudication, Count
        w.step("counted-certify", "c")
        w.cosign("counted-certify")
        w.step("counted-draft", "d")
        w.step("counted-notice", "]")
        w.step("counted-publish", "p")
        w.step("counted-posted-on", "Enter")
        w.keys("Enter")
        w.cosign("counted-publish")
        # A placement to its appointments.
        w.row("batch-notice", "F6", notice_rows.index(subject[f"placement:{second}"]))
        w.step("batch-confirm", "c")
        w.cosign("batch-confirm")
        w.row("batch", "F7", batches.index(second))
        w.step("batch-open", "Enter")
        w.step("batch-appointed", "a")
        w.step("batch-posts", "]")
        # A placement not yet run: run, certify, draft.
        w.row("new-batch", "F7", batches.index(third))
        w.step("new-batch-open", "Enter")
        w.step("new-batch-run", "u")
        w.step("new-batch-certify", "c")
        w.step("new-batch-effective", "Enter")
        w.keys("Enter")
        w.cosign("new-batch-certify")
        w.step("new-batch-draft", "d")
        w.step("new-batch-notice", "]", "]")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", session],
                       capture_output=True)
    return w.problems + check(civic, db, reserve, round2, counted, second, third)


def check(civic: str, db: Path, reserve: int, round2: int, counted: int, second: int,
          third: int) -> list[str]:
    """What the keys did, read back through the CLI."""
    problems = []
    shown = read(civic, db, "nomination", "show", str(reserve))
    if not shown.get("reserve"):  # type: ignore[union-attr]
        problems.append(f"nomination {reserve} did not reach the reserve")
    rounds = read(civic, db, "nomination", "show", str(round2))["rounds"]  # type: ignore[index]
    if [r["status"] for r in rounds] != ["certified", "open"]:
        problems.append(f"nomination {round2}: round 2 did not open")
    rounds = read(civic, db, "nomination", "show", str(counted))["rounds"]  # type: ignore[index]
    if rounds[-1]["status"] != "certified" or (rounds[-1]["notice"] or {}).get(
            "status") != "published":
        problems.append(f"nomination {counted}: round 2 not certified and posted")
    batch = read(civic, db, "placement", "show", str(second))["batch"]  # type: ignore[index]
    if not batch["appointed_on"]:
        problems.append(f"placement {second}: the appointments were not recorded")
    batch = read(civic, db, "placement", "show", str(third))["batch"]  # type: ignore[index]
    if batch["status"] != "certified":
        problems.append(f"placement {third}: not certified")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the captured screens")
    parser.add_argument("--civic", default=shutil.which("civic") or "civic",
                        help="the civic command to run (default: the one on PATH)")
    parser.add_argument("--seed", type=int, default=None, help="the demo's seed")
    parser.add_argument("--only", default=None,
                        help="one language and size, e.g. en-120x40 (default: all four)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 2
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "civic-demo.db"
        build = [args.civic, "demo", "--db", str(built), "--no-tui", "--yes"]
        if args.seed is not None:
            build += ["--seed", str(args.seed)]
        subprocess.run(build, check=True, capture_output=True)
        for lang in LANGS:
            for size in SIZES:
                name = f"{lang}-{size[0]}x{size[1]}"
                if args.only and args.only != name:
                    continue
                db = Path(tmp) / f"{name}.db"
                shutil.copy(built, db)  # each walk starts from the demo as built
                problems += [f"{name}: {p}" for p in walk(args.civic, db, lang, size, args.out)]
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"screens written to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
