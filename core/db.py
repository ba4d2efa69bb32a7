"""Opening an office's database file and bringing its schema up to date.

`Database` is civic's handle on the file: plain SQL (`execute`, `query`) straight on the
connection, and sqlite-utils' table helpers and migrations behind `db.utils` / `db[name]`,
imported on first use. Importing sqlite-utils costs about as much as importing click (its
module-level regexes, dateutil): a read command or the login screen that only runs SQL
should not pay it, and with the schema stamp below an up-to-date file is opened without it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from civic.errors import CivicError
from civic.i18n import _

if TYPE_CHECKING:
    import pluggy
    import sqlite_utils

DEFAULT_PATH = "civic.db"
BUSY_TIMEOUT_MS = 5000

# Statements that manage the transaction themselves: `execute` must not commit after them.
_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


class Database:
    """One connection to an office file, with sqlite-utils' semantics for plain SQL.

    `execute` commits a write that opened an implicit transaction (as sqlite-utils does), and
    takes part in the caller's transaction when one is open; `query` yields rows as dicts.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite-utils' view of the same connection (tables, upserts, migrations)."""
        if self._utils is None:
            import sqlite_utils

            # recursive_triggers is already on (open_db); plugins stay out of an office's file.
            self._utils = sqlite_utils.Database(self.conn, execute_plugins=False,
                                                recursive_triggers=False)
        return self._utils

    def __getitem__(self, table: str) -> Any:
        return self.utils[table]

    def __getattr__(self, name: str) -> Any:
        # The rest of sqlite-utils' Database API (db.triggers, db.table(...), ...), so code
        # written against sqlite-utils, a plugin's included, keeps working unchanged.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.utils, name)

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None
                ) -> sqlite3.Cursor:
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = (self.conn.execute(sql) if parameters is None
                      else self.conn.execute(sql, parameters))
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # a failed statement must not leave one open
            raise
        if (not was_in_transaction and self.conn.in_transaction
                and cursor.description is None and _first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def executescript(self, sql: str) -> sqlite3.Cursor:
        return self.utils.executescript(sql)  # inside a transaction it must not commit

    def query(self, sql: str, params: Sequence | dict[str, Any] | None = None
              ) -> Iterator[dict[str, Any]]:
        """Run `sql` now; its rows as dicts, fetched as they are iterated."""
        was_in_transaction = self.conn.in_transaction
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description or ()]
        rows: Any = cursor
        if not was_in_transaction and self.conn.in_transaction:
            rows = cursor.fetchall()  # a write that returns rows (RETURNING): it takes effect
            self.conn.execute("COMMIT")  # now, as sqlite-utils' query does
        return (dict(zip(keys, row, strict=True)) for row in rows)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        with self.utils.atomic():
            yield self

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()


def _first_keyword(sql: str) -> str:
    for word in sql.lstrip("\ufeff; \t\r\n").split(None, 1)[:1]:
        return word.rstrip(";").upper()
    return ""


def resolve_db_path(explicit: str | os.PathLike | None = None) -> str:
    """`--db`, else `$CIVIC_DB`, else `./civic.db`. A string: pathlib (with urllib and
    ipaddress behind it) is a measurable share of a read command's start-up."""
    return os.fspath(explicit or os.environ.get("CIVIC_DB") or DEFAULT_PATH)


def open_db(path: str | os.PathLike, *, create: bool = True) -> Database:
    """Open with WAL, synchronous FULL, foreign keys on and a busy timeout.

    synchronous=FULL because an office's power can fail: a committed decision must survive it.
    recursive_triggers as sqlite-utils sets it: a REPLACE then fires the delete triggers that
    guard the audit log.
    """
    path = os.fspath(path)
    if not create and not os.path.exists(path):
        raise CivicError(
            _("No database at {path}. Create one with `civic init` or `civic demo`.").format(
                path=path
            )
        )
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA recursive_triggers = ON")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not _read_only(conn):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise CivicError(
            _("Cannot open {path} as a civic database: {error}").format(path=path, error=exc)
        ) from exc
    return Database(conn)


def _read_only(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("PRAGMA query_only").fetchone()[0])
    except sqlite3.DatabaseError:
        return False


def migrate(db: Database, pm: pluggy.PluginManager) -> list[str]:
    """Apply core's migrations, then each plugin's set ordered by name. Returns applied names.

    The schema stamp makes the common case cheap: when the file's stamp matches the code that
    registers migrations (the same hook implementations, their modules and the migration
    modules unchanged on disk since the stamp was written), nothing can be pending, and the
    migration sets (and sqlite-utils) are not even loaded.
    """
    if _stamp_matches(db, pm):
        return []
    from civic.migrations import core_migrations

    sets = [core_migrations]
    plugin_sets = [m for m in pm.hook.register_migrations() if m is not None]
    sets += sorted(plugin_sets, key=lambda m: m.name)
    applied: list[str] = []
    for migrations in sets:
        pending = [m.name for m in migrations.pending(db.utils)]
        if pending:
            migrations.apply(db.utils)
            applied += [f"{migrations.name}:{name}" for name in pending]
    _write_stamp(db, pm, sets)
    return applied


# -- the schema stamp -------------------------------------------------------------------------

def _migration_impls(pm: pluggy.PluginManager) -> list[str]:
    """Who registers migrations: each hook implementation's plugin and function."""
    return sorted(f"{impl.plugin_name}:{impl.function.__module__}.{impl.function.__qualname__}"
                  for impl in pm.hook.register_migrations.get_hookimpls())


def _file_state(path: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_mtime_ns} {st.st_size}"


def _stamp_matches(db: Database, pm: pluggy.PluginManager) -> bool:
    try:
        row = db.conn.execute("SELECT stamp FROM schema_stamp").fetchone()
    except sqlite3.DatabaseError:
        return False  # a file from before the stamp, or a new one
    if row is None:
        return False
    # One line per implementation ("impl <name>") and per file ("file <mtime> <size> <path>"):
    # plain text, so the check needs no JSON parser on the way to the first query.
    impls, files = [], []
    for line in row[0].splitlines():
        kind, _sep, rest = line.partition(" ")
        (impls if kind == "impl" else files).append(rest)
    if impls != _migration_impls(pm) or not files:
        return False
    for entry in files:
        mtime, size, path = (entry.split(" ", 2) + ["", ""])[:3]
        if _file_state(path) != f"{mtime} {size}":
            return False
    return True


def _write_stamp(db: Database, pm: pluggy.PluginManager, sets: list[Any]) -> None:
    """Record the code the schema was brought up to: the files that define migrations (each
    migration function's module, and each implementation of the hook)."""
    modules = {impl.function.__module__
               for impl in pm.hook.register_migrations.get_hookimpls()}
    for migrations in sets:
        listed = getattr(migrations, "_migrations", None)  # sqlite-utils keeps no public list
        if listed is None:
            return  # cannot tell which code defines them: always check in full
        modules |= {m.fn.__module__ for m in listed}
    lines = [f"impl {impl}" for impl in _migration_impls(pm)]
    for name in sorted(modules):
        origin = getattr(sys.modules.get(name), "__file__", None)
        state = _file_state(origin) if origin else None
        if state is None:
            return  # code without a file on disk (built in a test): always check in full
        lines.append(f"file {state} {origin}")
    stamp = "\n".join(lines)
    try:
        old = db.conn.execute("SELECT stamp FROM schema_stamp").fetchone()
        if old is not None and old[0] == stamp:
            return
        with db.conn:  # a cache of a check: written on its own, never with data
            db.conn.execute("INSERT OR REPLACE INTO schema_stamp (id, stamp) VALUES (1, ?)",
                            (stamp,))
    except sqlite3.DatabaseError:
        pass  # read-only file or copy: the next open checks in full again, as before


def table_checksums(db: Database) -> dict[str, str]:
    """A digest per table of its full contents, to prove a refused operation wrote nothing."""
    import hashlib

    sums = {}
    for name in sorted(db.table_names()):
        h = hashlib.sha256()
        # By primary key, not rowid: WITHOUT ROWID tables (the ballot marks) have no rowid.
        pks = [r[1] for r in sorted(db.execute(f"PRAGMA table_info([{name}])"),
                                    key=lambda r: r[5]) if r[5]]
        order = ", ".join(f"[{c}]" for c in pks) or "rowid"
        for row in db.execute(f"SELECT * FROM [{name}] ORDER BY {order}"):
            h.update(repr(row).encode())
        sums[name] = h.hexdigest()
    return sums
