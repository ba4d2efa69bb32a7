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
CORE_SET = "civic.core"  # the core migration set: its rows mark a civic file
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
        # Why this file must not be changed (a read-only copy, a newer civic's file), or None.
        self.refuse_writes: str | None = None
        self.warnings: list[str] = []  # for the operator, once the file is open

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


_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_HEADER = 100  # a SQLite file is at least its 100-byte header


def open_db(path: str | os.PathLike, *, create: bool = True) -> Database:
    """Open with WAL, synchronous FULL, foreign keys on and a busy timeout.

    Only a civic file is opened: without `create` (every command but `civic init` and the
    demo), a file that is missing, empty, not SQLite or another program's SQLite file is
    refused before anything touches it. With `create`, a missing or empty file becomes a new
    database, but another program's file is still refused. A file or folder that cannot be
    written (a backup on a CD, a write-protected stick) is opened read-only, as SQLite's
    `immutable` URI: no -wal or -shm beside it; `refuse_writes` then says why.

    synchronous=FULL because an office's power can fail: a committed decision must survive it.
    recursive_triggers as sqlite-utils sets it: a REPLACE then fires the delete triggers that
    guard the audit log.
    """
    path = os.fspath(path)
    kind = _file_kind(path)
    if kind == "missing" and not create:
        raise CivicError(
            _("No database at {path}. Create one with `civic init` or `civic demo`.").format(
                path=path
            )
        )
    if kind == "empty" and not create:
        raise CivicError(_("{path} is empty: it is not a civic database. Create one with "
                           "`civic init`.").format(path=path))
    if kind == "other":
        raise CivicError(_("{path} is not a SQLite database, so not a civic database; "
                           "nothing was changed.").format(path=path))
    read_only = kind == "sqlite" and not _writable(path)
    try:
        if read_only:
            conn = sqlite3.connect(_read_only_uri(path), uri=True,
                                   timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
    except sqlite3.DatabaseError as exc:
        raise CivicError(
            _("Cannot open {path} as a civic database: {error}").format(path=path, error=exc)
        ) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA recursive_triggers = ON")
        if kind == "sqlite":
            _check_civic(conn, path, create)  # before any pragma that could write
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal" and not read_only and not _read_only(conn):
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except CivicError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CivicError(database_error_message(exc, path)) from exc
    db = Database(conn)
    if read_only:
        db.refuse_writes = _(
            "{path} is read-only here (a read-only copy, medium or folder): it can be read "
            "and verified, not changed; nothing was saved.").format(path=path)
    return db


def _file_kind(path: str) -> str:
    """missing, empty, sqlite (by its header), or other; read without opening it in SQLite."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SQLITE_HEADER)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "other"
    except OSError as exc:
        raise CivicError(_("Cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from exc
    if not head:
        return "empty"
    if len(head) < _SQLITE_HEADER or not head.startswith(_SQLITE_MAGIC):
        return "other"
    return "sqlite"


def _writable(path: str) -> bool:
    """Can SQLite write the file and make its -wal and -shm beside it? (access() also says
    no on a read-only mount or an immutable file, where root's permission bits do not.)"""
    if not os.access(path, os.W_OK):
        return False
    folder = os.path.dirname(os.path.abspath(path))
    if os.access(folder, os.W_OK | os.X_OK):
        return True
    # A locked-down folder where the -wal and -shm already exist, writable: WAL still works.
    return all(os.access(path + end, os.W_OK) for end in ("-wal", "-shm"))


def _read_only_uri(path: str) -> str:
    """`mode=ro` when a -wal with content lies beside the file (its commits must be read);
    else `immutable=1`: no locks, no -shm, which a read-only folder could not hold."""
    wal = path + "-wal"
    flag = ("mode=ro" if os.path.exists(wal) and os.path.getsize(wal) > 0
            and os.path.exists(path + "-shm") else "immutable=1")
    # A URI's path escapes %, ? and # (and nothing else needs it); no urllib on this path.
    name = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{name}?{flag}"


def _check_civic(conn: sqlite3.Connection, path: str, create: bool) -> None:
    """Refuse a SQLite file that civic did not make (its core migrations are not recorded).
    A file with no tables at all is a new database to `civic init`, nothing to others."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "_sqlite_migrations" in tables and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1",
            (CORE_SET,)).fetchone():
        return
    if create and not tables:
        return
    raise CivicError(_("{path} is not a civic database (another program's SQLite file?); "
                       "nothing was changed. Check --db or CIVIC_DB.").format(path=path))


def database_error_message(exc: sqlite3.Error, path: str) -> str:
    """A worded message for SQLite's errors that reach the top: a damaged file first."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return _("The database file {path} is damaged ({error}). Nothing more was read or "
                 "written. Restore it from a backup (civic backup).").format(
                     path=path, error=text)
    if name.startswith("SQLITE_NOTADB") or "not a database" in text:
        return _("{path} is not a SQLite database, so not a civic database; "
                 "nothing was changed.").format(path=path)
    return _("The database {path} could not be used: {error}").format(path=path, error=text)


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
    unknown = _unknown_migrations(db, sets)
    if unknown:
        # A newer civic wrote this file: its schema may mean what this code cannot know.
        # Reading goes on (with a warning); writing would corrupt it, so nothing is written.
        db.conn.execute("PRAGMA query_only = ON")
        db.refuse_writes = _(
            "This database was written by a newer version of civic (it has {names}, which "
            "this version does not know); it will not be changed. Upgrade civic to work "
            "on it.").format(names=", ".join(unknown))
        db.warnings.append(_(
            "Warning: this database was written by a newer version of civic ({names}); "
            "reading only, and what is shown may be incomplete.").format(
                names=", ".join(unknown)))
        return []
    if db.refuse_writes is not None:
        return []  # a read-only copy: read it as it is
    applied: list[str] = []
    for migrations in sets:
        pending = [m.name for m in migrations.pending(db.utils)]
        if pending:
            migrations.apply(db.utils)
            applied += [f"{migrations.name}:{name}" for name in pending]
    _write_stamp(db, pm, sets)
    return applied


def _unknown_migrations(db: Database, sets: list[Any]) -> list[str]:
    """Migrations recorded in the file for a set this code has, that this code lacks.
    (A set of a plugin that is not loaded is not a sign of a newer civic.)"""
    try:
        rows = db.conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
    except sqlite3.OperationalError:
        return []  # a new file: no migrations yet
    known: dict[str, set[str]] = {}
    for migrations in sets:
        listed = getattr(migrations, "_migrations", None)  # sqlite-utils keeps no public list
        if listed is not None:
            known[migrations.name] = {m.name for m in listed}
    return [f"{s}:{n}" for s, n in rows if s in known and n not in known[s]]


# -- the schema stamp -------------------------------------------------------------------------

def _migration_impls(pm: pluggy.PluginManager) -> list[str]:
    """Who registers migrations: each hook implementation's plugin and function."""
    return sorted(f"{impl.plugin_name}:{impl.function.__module__}.{impl.function.__qualname__}"
                  for impl in pm.hook.register_migrations.get_hookimpls())


def _migration_rows(db: Database) -> str:
    """How many migrations the file records: another civic (a newer one) that applied its
    own leaves a different count, and the full check then sees what it added."""
    try:
        return str(db.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0])
    except sqlite3.OperationalError:
        return "0"


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
    impls, files, recorded = [], [], None
    for line in row[0].splitlines():
        kind, _sep, rest = line.partition(" ")
        if kind == "rows":
            recorded = rest
        else:
            (impls if kind == "impl" else files).append(rest)
    if impls != _migration_impls(pm) or not files or recorded != _migration_rows(db):
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
    lines.append(f"rows {_migration_rows(db)}")
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
