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
