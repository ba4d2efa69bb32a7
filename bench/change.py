"""One interactive change (a state row and its audit row, committed durably) against a bare
single-row commit on a raw connection in the same journal mode (WAL, synchronous=FULL)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bench.harness import Figure, interleaved, median


def figures(work: Path, quick: bool) -> list[Figure]:
    from civic.db import migrate, open_db
    from civic.events import SettingChanged
    from civic.office import Office, Operator
    from civic.pm import make_plugin_manager

    changes = 100 if quick else 400
    path = work / "change.db"
    db = open_db(path)
    migrate(db, make_plugin_manager(only=[]))
    office = Office(db, make_plugin_manager(only=[]), actor=Operator("op", "operator"),
                    clock=lambda: dt.datetime(2008, 7, 1, 9, 0))
    raw = sqlite3.connect(str(work / "bare.db"), isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    counter = iter(range(10**9))

    def civic_change() -> None:
        i = next(counter)
        key = f"k{i % 50}"
        with office.change() as change:
            old = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                       (key, str(i)))
            change.record(SettingChanged(key=key, value=str(i), old=old and old[0]))

    def bare_commit() -> None:
        i = next(counter)
        raw.execute("BEGIN IMMEDIATE")  # the mode office.change() begins in: same on both sides
        raw.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    (f"k{i % 50}", str(i)))
        raw.execute("COMMIT")

    for _ in range(20):  # warm both files and caches
        civic_change()
        bare_commit()
    times = interleaved(changes, baseline=bare_commit, civic=civic_change)
    db.close()
    raw.close()
    return [Figure("one interactive change (state + audit, durable)", median(times["civic"]),
                   "s", 1.5, median(times["baseline"]), changes, samples=times)]
