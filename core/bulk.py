"""Helpers for reads and writes that build many rows at once (a batch count, a compliance
report): kept here so that every mechanism uses the same one."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import TypeVar

E = TypeVar("E", bound=BaseException)


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


def kept(error: E) -> E:
    """An error kept as a result (one election of a batch that cannot be counted, say) without
    its traceback: the traceback holds the frame that caught it, and that frame the dict the
    error is kept in, so the whole batch's results would stay in one reference cycle and
    only the cycle collector could free them (20,000 objects a pass over a 528-school batch)."""
    return error.with_traceback(None)
