"""Walking the app in tmux as an operator would: what tools/tmux_walk.py and tools/tmux_finish.py
share (one module, so both wait, type and capture the same way).

A walk runs in a detached session on a tmux server of its own (`SOCKET`), never the user's
default one. It waits for a screen to settle (the same picture several times in a row) rather
than for a fixed time, and gives up on a step after a time limit: a slow machine takes longer,
not differently. Each step's screen is written to OUT_DIR/<lang>-<W>x<H>/<NN>-<step>.txt as
`tmux capture-pane` shows it, for a person to read for text that is cut, overprinted or in the
wrong language.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZES = ((80, 24), (120, 40))
LANGS = ("en", "zh_CN")
OPERATOR = "operator"  # the demo's operators share its public password
SUPERVISOR = "supervisor"
PASSWORD = "demo1234"
SOCKET = f"civic-walk-{os.getpid()}"  # a tmux server of its own: never the user's default one
SETTLE_LIMIT = 20.0  # seconds a screen may take to stop changing
POLL = 0.3
STILL = 4  # polls in a row with the same picture: a busy app can hold one frame a moment


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


class Walk:
    """One session: keys in, each screen out to `folder`, what went wrong in `problems`.

    Starts the app with `command` in a detached session of `size`; use it as a context
    manager, so the session is killed however the walk ends."""

    def __init__(self, session: str, folder: Path, size: tuple[int, int], command: str,
                 limit: float = SETTLE_LIMIT) -> None:
        self.session, self.folder, self.limit = session, folder, limit
        self.size, self.command = size, command
        self.number = 0
        self.problems: list[str] = []

    def __enter__(self) -> Walk:
        self.folder.mkdir(parents=True, exist_ok=True)
        width, height = self.size
        tmux("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height),
             self.command)
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", self.session],
                       capture_output=True)

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux("send-keys", "-t", self.session, *(("-l",) if literal else ()), *keys)

    def screen(self) -> str:
        return capture(self.session)

    def settle(self) -> str:
        return settle(self.session, self.limit)

    def wait_for(self, text: str, limit: float = 60.0) -> bool:
        return wait_for(self.session, text, limit)

    def step(self, name: str, *keys: str, changes: bool = False) -> str:
        """Send `keys` and keep the screen they lead to (`changes`: it must differ from the
        screen before)."""
        before = self.screen()
        if keys:
            self.keys(*keys)
        screen = self.settle()
        self.number += 1
        (self.folder / f"{self.number:02d}-{name}.txt").write_text(screen, encoding="utf-8")
        if "Traceback" in screen:
            self.problems.append(f"{name}: a traceback reached the screen")
        if changes and screen == before:
            self.problems.append(f"{name}: the screen did not change")
        return screen

    def type(self, text: str) -> None:
        self.keys(text, literal=True)
        time.sleep(1)  # as a person types: the field has taken it before the next key

    def tab(self) -> None:
        self.keys("Tab")
        time.sleep(1)  # the focus moves on before the next field is typed

    def login(self, name: str = OPERATOR) -> None:
        """The login screen (the demo's shows its password), then name, Tab, password,
        Enter, then the dashboard (its mode bar)."""
        if not self.wait_for(PASSWORD, 60):
            self.problems.append("the login screen did not show")
        self.step("login")
        self.type(name)
        self.tab()
        self.type(PASSWORD)
        self.keys("Enter")
        if not self.wait_for("F2 ", 60):
            self.problems.append("the login did not reach the dashboard")

    def cosign(self, name: str) -> None:
        """The supervisor types his name, Tab, his password, Enter."""
        self.step(f"{name}-cosign")
        self.type(SUPERVISOR)
        self.tab()
        self.type(PASSWORD)
        self.step(f"{name}-signed", "Enter")


def arguments(doc: str, only: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the captured screens")
    parser.add_argument("--civic", default=shutil.which("civic") or "civic",
                        help="the civic command to run (default: the one on PATH)")
    parser.add_argument("--seed", type=int, default=None, help="the demo's seed")
    if only:
        parser.add_argument("--only", default=None,
                            help="one language and size, e.g. en-120x40 (default: all four)")
    return parser.parse_args()


def walk_every_way(args: argparse.Namespace,
                   walk: Callable[[Path, str, tuple[int, int]], list[str]]) -> int:
    """Build the demo once (`civic demo --no-tui`) into a temporary folder, then call
    `walk(demo_db, lang, size)` for each language and size (those `--only` names); print
    what went wrong and return the exit status."""
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 2
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "civic-demo.db"
        build = [args.civic, "demo", "--db", str(db), "--no-tui", "--yes"]
        if args.seed is not None:
            build += ["--seed", str(args.seed)]
        subprocess.run(build, check=True, capture_output=True)
        for lang in LANGS:
            for size in SIZES:
                name = f"{lang}-{size[0]}x{size[1]}"
                if getattr(args, "only", None) and args.only != name:
                    continue
                problems += [f"{name}: {p}" for p in walk(db, lang, size)]
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"screens written to {args.out}")
    return 1 if problems else 0
