"""Walk the demo office in tmux, as an operator would, and keep a text copy of every screen.

    python tools/tmux_walk.py OUT_DIR [--civic PATH] [--seed N]

Builds the demo once (`civic demo --no-tui`), then for each size (80x24, 120x40) and each
language (en, zh_CN) opens it in a detached tmux session (`civic demo`, keeping the demo it
built, so the demo's clock runs), logs in as the demo's operator and visits every core mode,
each plugin's mode key (F7-F12), the mode menu, the help and the palette. Each screen is
written to OUT_DIR/<lang>-<W>x<H>/<NN>-<step>.txt as `tmux capture-pane` shows it; a person
reads them afterwards for text that is cut, overprinted or in the wrong language.

Waiting, typing and capturing are tools/tmux_session.py's, shared with tools/tmux_finish.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tmux_session import Walk, arguments, walk_every_way

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


def walk(civic: str, db: Path, lang: str, size: tuple[int, int], out: Path) -> list[str]:
    """One session: log in, take every step, write each screen. Returns what went wrong."""
    width, height = size
    session = f"civic-walk-{lang}-{width}x{height}-{os.getpid()}"
    # `civic demo` on an existing demo asks whether to replace it: no, open it.
    with Walk(session, out / f"{lang}-{width}x{height}", size,
              f"env CIVIC_LANG={lang} {civic} demo --db {db}") as w:
        if w.wait_for("[y/N]", 30):  # the question ends in ？ in Chinese: its choices
            w.keys("n", "Enter")
        w.login()
        for name, keys in STEPS:
            w.step(name, *keys, changes=not name.endswith("-closed"))
    return w.problems


def main() -> int:
    args = arguments(__doc__ or "")
    return walk_every_way(args, lambda db, lang, size: walk(args.civic, db, lang, size,
                                                            args.out))


if __name__ == "__main__":
    sys.exit(main())
