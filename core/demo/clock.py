"""The demo's clock: fixed start, a few seconds per reading, never the wall clock."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

CST = dt.timezone(dt.timedelta(hours=8))
DEMO_START = dt.datetime(2008, 6, 2, 9, 0, 0, tzinfo=CST)
STEP = dt.timedelta(seconds=3)
# The day the demo office is left on (a Monday): the mechanisms' held stages are dated so that
# on it some notice periods are over (the operator confirms, opens round 2, names the reserve,
# records appointments) and some still run. A session on the demo starts here.
DEMO_TODAY = dt.date(2008, 10, 20)


class DemoClock:
    """Callable as an `Office` clock. Each reading is STEP later than the one before, so the
    audit log's times are distinct, ordered and the same on every build."""

    def __init__(self, start: dt.datetime = DEMO_START, step: dt.timedelta = STEP) -> None:
        self._next = start
        self._step = step

    def __call__(self) -> dt.datetime:
        now = self._next
        self._next += self._step
        return now

    def peek(self) -> dt.datetime:
        return self._next

    def jump_to(self, when: dt.datetime) -> None:
        """Move on to `when` (say, the day of a plugin's round); never back, so the log's
        times stay in order whichever plugin runs first."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=CST)
        self._next = max(self._next, when)


def session_clock(path: str | os.PathLike) -> Callable[[], dt.datetime]:
    """The app's clock on a demo: it carries on from the demo's last audit entry, at real speed.

    A demo is an office in 2008. On the wall clock every demo person would be 18 years older
    and fail every age limit, and the demo's notice periods would have ended long ago.
    """
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT time FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    start = (dt.datetime.fromisoformat(row[0]) if row else DEMO_START) + dt.timedelta(minutes=1)
    began = time.monotonic()

    def now() -> dt.datetime:
        return (start + dt.timedelta(seconds=time.monotonic() - began)).replace(microsecond=0)

    return now
