"""Walk the demo office in tmux, as an operator would, and keep a text copy of every screen.

    python tools/tmux_walk.py OUT_DIR [--civic PATH] [--seed N]

Builds the demo once (`civic demo --no-tui`), then for each size (80x24, 120x40) and each
language (en, zh_CN) opens it in a detached tmux session (`civic demo`, keeping the demo it
built, so the demo's clock runs), logs in as the demo's operator and visits every core mode,
each plugin's mode key (F7-F12), the mode menu, the help and the palette. Each screen is
written to OUT_DIR/<lang>-<W>x<H>/<NN>-<step>.txt as `tmux capture-pane` shows it; a person
reads them afterwards for text that is cut, overprinted or in the wrong language.

It waits for the screen to settle (the same picture twice in a row) rather than for a fixed
time, and gives up on a step after a time limit: a slow machine takes longer, not differently.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = ((80, 24), (120, 40))
LANGS = ("en", "zh_CN")
OPERATOR = "operator"  # the demo's operators share its public password
PASSWORD = "demo1234"
SOCKET = f"civic-walk-{os.getpid()}"  # a tmux server of its own: never the user's default one
SETTLE_LIMIT = 20.0  # seconds a screen may take to stop changing
POLL = 0.3
STILL = 4  # polls in a row with the same picture: a busy app can hold one frame a moment

# (name, keys sent to tmux) in order; each is captured once the screen is still.
STEPS = (
    ("home", ["F2"]),
    ("people", ["F3"]),
    ("person", ["Enter"]),
    ("people-again", ["F3"]),  # the mode key goes back to the mode's main screen
    ("positions", ["F4"]),
    ("audit", ["F5"]),
    ("notices", ["F6"]),
    ("placement", ["F7"]),
    ("nomination", ["F8"]),
    ("election", ["F9"]),
    ("evaluation", ["F10"]),
    ("accountability", ["F11"]),
    ("training", ["F12"]),
    ("mode-menu", ["C-g"]),
    ("mode-menu-closed", ["Escape"]),
    ("help", ["F1"]),
    ("help-closed", ["Escape"]),
    ("palette", ["C-p"]),
    ("palette-closed", ["Escape"]),
    ("operators", ["C-o"]),
)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def settle(session: str, limit: float = SETTLE_LIMIT) -> str:
    """The pane once STILL captures in a row agree (or the last one at the limit)."""
    last = capture(session)
    same = 0
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(POLL)
        now = capture(session)
        same = same + 1 if now == last and now.strip() else 0
        if same >= STILL:
            return now
        last = now
    return last


def wait_for(session: str, text: str, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if text in capture(session):
            return True
        time.sleep(POLL)
    return False


def walk(civic: str, db: Path, lang: str, size: tuple[int, int], out: Path) -> list[str]:
    """One session: log in, take every step, write each screen. Returns what went wrong."""
    width, height = size
    session = f"civic-walk-{lang}-{width}x{height}-{os.getpid()}"
    folder = out / f"{lang}-{width}x{height}"
    folder.mkdir(parents=True, exist_ok=True)
    env = f"CIVIC_LANG={lang}"
    # `civic demo` on an existing demo asks whether to replace it: no, open it.
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
         f"env {env} {civic} demo --db {db}")
    problems = []
    try:
        if wait_for(session, "[y/N]", 30):  # the question ends in ？ in Chinese: its choices
            tmux("send-keys", "-t", session, "n", "Enter")
        if not wait_for(session, PASSWORD, 60):  # the demo's login shows its password
            problems.append("the login screen did not show")
        (folder / "00-login.txt").write_text(settle(session), encoding="utf-8")
        tmux("send-keys", "-t", session, "-l", OPERATOR)
        tmux("send-keys", "-t", session, "Tab")
        tmux("send-keys", "-t", session, "-l", PASSWORD)
        tmux("send-keys", "-t", session, "Enter")
        if not wait_for(session, "F2 ", 60):  # the mode bar: logged in
            problems.append("the login did not reach the dashboard")
        for number, (name, keys) in enumerate(STEPS, 1):
            before = capture(session)
            tmux("send-keys", "-t", session, *keys)
            screen = settle(session)
            (folder / f"{number:02d}-{name}.txt").write_text(screen, encoding="utf-8")
            if "Traceback" in screen:
                problems.append(f"{name}: a traceback reached the screen")
            if screen == before and not name.endswith("-closed"):
                problems.append(f"{name}: the screen did not change")
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", session],
                       capture_output=True)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the captured screens")
    parser.add_argument("--civic", default=shutil.which("civic") or "civic",
                        help="the civic command to run (default: the one on PATH)")
    parser.add_argument("--seed", type=int, default=None, help="the demo's seed")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "civic-demo.db"
        build = [args.civic, "demo", "--db", str(db), "--no-tui", "--yes"]
        if args.seed is not None:
            build += ["--seed", str(args.seed)]
        subprocess.run(build, check=True, capture_output=True)
        problems = []
        for lang in LANGS:
            for size in SIZES:
                problems += [f"{lang} {size[0]}x{size[1]}: {p}"
                             for p in walk(args.civic, db, lang, size, args.out)]
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"screens written to {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
