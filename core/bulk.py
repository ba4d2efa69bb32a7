"""Helpers for reads and writes that build many rows at once (a batch count, a compliance
report): kept here so that every mechanism uses the same one."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a bulk read builds its rows: they hold no
    cycles, yet each 700 new dicts set it scanning, and every few thousand it walked the
    whole heap again (a third of the Python side of training compliance over 100,000 people,
    a third of a batch count of 528 elections). The collector is process-wide: a worker
    thread's pause holds it off for the app too, for the read's duration only."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
