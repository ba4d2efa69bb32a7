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
appointments and the certifications are in the database. Waiting, typing and capturing are
tools/tmux_session.py's, shared with tools/tmux_walk.py (its own tmux server, never the
default one).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tmux_session import Walk, arguments, walk_every_way

LIMIT = 30.0  # seconds a screen may take to stop changing: a count or a run takes a moment


def read(civic: str, db: Path, *args: str) -> object:
    out = subprocess.run([civic, "--db", str(db), *args, "--json"], check=True,
                         capture_output=True, text=True, env={**os.environ, "CIVIC_LANG": "en"})
    return json.loads(out.stdout)


def row(w: Walk, name: str, mode_key: str, index: int) -> None:
    """A mode's list (its key twice: the second goes back from a record to the list), the
    cursor on row `index`."""
    w.step(f"{name}-mode", mode_key)
    w.keys(mode_key)
    w.settle()
    w.keys("C-Home")
    for _i in range(index):
        w.keys("Down")
    w.step(f"{name}-row")


def open_row(w: Walk, name: str, mode_key: str, index: int) -> None:
    """Row `index` of a mode's list, opened."""
    row(w, name, mode_key, index)
    w.step(f"{name}-open", "Enter")


def confirm(w: Walk, name: str, index: int) -> None:
    """Notice `index` of the notices list (F6) confirmed, its period over, with the
    supervisor's co-signature."""
    row(w, f"{name}-notice", "F6", index)
    w.step(f"{name}-confirm", "c")
    w.cosign(f"{name}-confirm")


def walk(civic: str, db: Path, lang: str, size: tuple[int, int], out: Path) -> list[str]:
    width, height = size
    session = f"finish-{lang}-{width}x{height}"
    folder = out / f"{lang}-{width}x{height}"
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
    with Walk(session, folder, size, f"env CIVIC_LANG={lang} {civic} --db {db} tui",
              limit=LIMIT) as w:
        w.login()
        w.step("home")

        # A nomination to the reserve.
        confirm(w, "inspection", notice_rows.index(subject[f"nomination:{reserve}:2"]))
        open_row(w, "reserve", "F8", noms.index(reserve))
        w.step("reserve-named", "R")
        w.step("reserve-overview")
        # A nomination to round 2.
        confirm(w, "round1", notice_rows.index(subject[f"nomination:{round2}:1"]))
        open_row(w, "round2", "F8", noms.index(round2))
        w.step("round2-ask", "o")
        w.step("round2-opened", "y")
        # A nomination whose round 2 is counted: certify, draft, post.
        open_row(w, "counted", "F8", noms.index(counted))
        w.step("counted-count", "4")  # Overview, Roll, Adjudication, Count
        w.step("counted-certify", "c")
        w.cosign("counted-certify")
        w.step("counted-draft", "d")
        w.step("counted-notice", "]")
        w.step("counted-publish", "p")
        w.step("counted-posted-on", "Enter")
        w.keys("Enter")
        w.cosign("counted-publish")
        # A placement to its appointments.
        confirm(w, "batch", notice_rows.index(subject[f"placement:{second}"]))
        open_row(w, "batch", "F7", batches.index(second))
        w.step("batch-appointed", "a")
        w.step("batch-posts", "]")
        # A placement not yet run: run, certify, draft.
        open_row(w, "new-batch", "F7", batches.index(third))
        w.step("new-batch-run", "u")
        w.step("new-batch-certify", "c")
        w.step("new-batch-effective", "Enter")
        w.keys("Enter")
        w.cosign("new-batch-certify")
        w.step("new-batch-draft", "d")
        w.step("new-batch-notice", "]", "]")
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
    args = arguments(__doc__ or "", only=True)

    def walk_a_copy(built: Path, lang: str, size: tuple[int, int]) -> list[str]:
        db = built.with_name(f"{lang}-{size[0]}x{size[1]}.db")
        shutil.copy(built, db)  # each walk starts from the demo as built
        return walk(args.civic, db, lang, size, args.out)

    return walk_every_way(args, walk_a_copy)


if __name__ == "__main__":
    sys.exit(main())
