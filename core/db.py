"""Opening an office's database file and bringing its schema up to date."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from civic.errors import CivicError
from civic.i18n import _

if TYPE_CHECKING:
    import pluggy

DEFAULT_PATH = "civic.db"
BUSY_TIMEOUT_MS = 5000


def resolve_db_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--db`, else `$CIVIC_DB`, else `./civic.db`."""
    return Path(explicit or os.environ.get("CIVIC_DB") or DEFAULT_PATH)


def open_db(path: str | os.PathLike, *, create: bool = True) -> sqlite_utils.Database:
    """Open with WAL, synchronous FULL, foreign keys on and a busy timeout.

    synchronous=FULL because an office's power can fail: a committed decision must survive it.
    `execute_plugins=False` keeps sqlite-utils' own plugins out of an office's file.
    """
    path = Path(path)
    if not create and not path.exists():
        raise CivicError(
            _("No database at {path}. Create one with `civic init` or `civic demo`.").format(
                path=path
            )
        )
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not _read_only(conn):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise CivicError(
            _("Cannot open {path} as a civic database: {error}").format(path=path, error=exc)
        ) from exc
    return db


def _read_only(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("PRAGMA query_only").fetchone()[0])
    except sqlite3.DatabaseError:
        return False


def migrate(db: sqlite_utils.Database, pm: pluggy.PluginManager) -> list[str]:
    """Apply core's migrations, then each plugin's set ordered by name. Returns applied names."""
    from civic.migrations import core_migrations

    sets = [core_migrations]
    plugin_sets = [m for m in pm.hook.register_migrations() if m is not None]
    sets += sorted(plugin_sets, key=lambda m: m.name)
    applied: list[str] = []
    for migrations in sets:
        pending = [m.name for m in migrations.pending(db)]
        if pending:
            migrations.apply(db)
            applied += [f"{migrations.name}:{name}" for name in pending]
    return applied


def table_checksums(db: sqlite_utils.Database) -> dict[str, str]:
    """A digest per table of its full contents, to prove a refused operation wrote nothing."""
    import hashlib

    sums = {}
    for name in sorted(db.table_names()):
        h = hashlib.sha256()
        # By primary key, not rowid: WITHOUT ROWID tables (the ballot marks) have no rowid.
        order = ", ".join(f"[{c}]" for c in db[name].pks)
        for row in db.execute(f"SELECT * FROM [{name}] ORDER BY {order}"):
            h.update(repr(row).encode())
        sums[name] = h.hexdigest()
    return sums
