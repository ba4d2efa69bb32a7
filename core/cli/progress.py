"""One progress bar for every long CLI command (import, count, run, verify, export).

The bar goes to stderr, only when stderr is a terminal and no `--json` was asked, and only once
the work has run about a second: a quick command prints nothing extra, and piped output or a
script's JSON is never mixed with it. Long work takes a callback `progress(done, total)` (as
`civic.audit.verify` does); the command passes `Progress(...)` and closes it when done:

    with Progress(_("Checking the audit chain"), as_json) as progress:
        result = audit.verify(db, progress=progress)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

import click

T = TypeVar("T")
DELAY = 1.0  # seconds: work that ends sooner draws no bar


class Progress:
    """A `progress(done, total)` callback that draws rows done and time left."""

    def __init__(self, label: str, as_json: bool = False, *, stream: TextIO | None = None,
                 delay: float = DELAY) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not as_json and _is_terminal(self.stream)
        self.delay = delay
        self._start = time.monotonic()
        self._bar: Any = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._start < self.delay or total <= 0:
                return
            self._bar = click.progressbar(length=total, label=self.label, file=self.stream,
                                          show_pos=True, show_eta=True, show_percent=True)
            self._bar.__enter__()
        if total != self._bar.length:
            self._bar.length = total
        self._bar.update(max(done - self._shown, 0))
        self._shown = max(done, self._shown)

    def rows(self, items: Iterable[T], total: int) -> Iterator[T]:
        """Count rows as they pass (an export's generator)."""
        for done, item in enumerate(items, 1):
            yield item
            self(done, total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Working(Progress):
    """Progress for work that cannot count its rows ahead (an import, a count, a run): after
    the same delay, a line with the time spent, redrawn each half second until the work ends;
    work that does report `progress(done, total)` turns it into the bar. Same rules as
    `Progress`: stderr, a terminal only, never with `--json`.

        with Working(_("Importing {label}").format(label=name), as_json):
            result = import_file(office, "people", path)
    """

    TICK = 0.5  # seconds between redraws: a line that moves, not one that flickers

    def __init__(self, label: str, as_json: bool = False, *, stream: TextIO | None = None,
                 delay: float = DELAY) -> None:
        super().__init__(label, as_json, stream=stream, delay=delay)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ticker: threading.Thread | None = None
        self._drawn = False

    def __enter__(self) -> Working:
        if self.enabled:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            self._clear()
            super().__call__(done, total)

    def _tick(self) -> None:
        if self._stop.wait(self.delay):
            return
        while True:
            with self._lock:
                if self._bar is None:  # the work reported no rows: the time spent
                    seconds = int(time.monotonic() - self._start)
                    self.stream.write(f"\r\x1b[K{self.label}… {seconds // 60}:{seconds % 60:02d}")
                    self.stream.flush()
                    self._drawn = True
            if self._stop.wait(self.TICK):
                return

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            self._clear()
        super().close()
