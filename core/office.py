"""An office session: the database, the plugins, the logged-in operator and the clock.

Every change goes through `Office.change()`: the domain writes and their audit rows share one
transaction, and `track_event` hooks run only after it has committed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pluggy

from civic import audit
from civic.audit import AuditEntry, Event
from civic.db import Database
from civic.errors import CivicError, PermissionDenied
from civic.i18n import _

# SQLite's error names (sqlite3 exceptions carry them since 3.11) -> what the operator reads.
# Every change is one transaction, so each of these means nothing of it was saved.
_STORAGE_ERRORS = (
    ("SQLITE_FULL", lambda: _("The database file or the disk is full; nothing was saved. "
                              "Free some space and try again.")),
    ("SQLITE_BUSY", lambda: _("The database is in use by another program and stayed locked "
                              "past the wait time; nothing was saved. Try again.")),
    ("SQLITE_LOCKED", lambda: _("The database is in use by another program and stayed locked "
                                "past the wait time; nothing was saved. Try again.")),
    ("SQLITE_READONLY", lambda: _("The database is read-only here (file permissions or a "
                                  "read-only copy); nothing was saved.")),
    ("SQLITE_IOERR", lambda: _("The disk failed while writing the database; nothing was "
                               "saved. Check the disk and try again.")),
)


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn SQLite's storage failures (full, locked, read-only, I/O) into a CivicError."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        for prefix, message in _STORAGE_ERRORS:
            if name.startswith(prefix):
                raise CivicError(message()) from exc
        raise


def system_clock() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True)
class Operator:
    name: str
    role: str


SYSTEM = Operator("system", "admin")


@dataclass
class Change:
    office: Office
    entries: list[tuple[Event, AuditEntry]] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.office.db

    def record(self, event: Event, cosigner: Operator | str | None = None) -> AuditEntry:
        cosigned = cosigner.name if isinstance(cosigner, Operator) else cosigner
        actor = self.office.actor.name if self.office.actor else SYSTEM.name
        entry = audit.append(self.office.db, actor=actor, event=event,
                             time=self.office.now().isoformat(), cosigner=cosigned)
        self.entries.append((event, entry))
        return entry


class Office:
    def __init__(self, db: Database, pm: pluggy.PluginManager, *,
                 actor: Operator | None = None,
                 clock: Callable[[], dt.datetime] = system_clock) -> None:
        self.db = db
        self.pm = pm
        self.actor = actor
        self.clock = clock

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    def as_actor(self, actor: Operator | None) -> Office:
        return Office(self.db, self.pm, actor=actor, clock=self.clock)

    @contextmanager
    def change(self, *, refusal: bool = False) -> Iterator[Change]:
        """One transaction for the change and its audit rows; hooks after the commit.

        The outermost change begins IMMEDIATE: it takes the write lock (waiting the busy
        timeout) before it reads anything, so another writer's commit cannot invalidate its
        snapshot halfway (a deferred BEGIN then fails at once with SQLITE_BUSY_SNAPSHOT).
        An actor whose account is deactivated changes nothing; `refusal=True` is for recording
        their refused attempt (civic.auth.refuse), which must still be kept.
        """
        change = Change(self)
        conn = self.db.conn
        if conn.in_transaction:
            with storage_errors(), self.db.atomic():  # a savepoint inside the outer change
                yield change
            return
        with storage_errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                if not refusal:
                    self._require_active()
                yield change
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                conn.rollback()
                raise
        for event, entry in change.entries:
            self.pm.hook.track_event(db=self.db, event=event, entry=entry)

    def _require_active(self) -> None:
        """An operator deactivated since logging in (a TUI session left open) acts no more."""
        if self.actor is None or self.actor is SYSTEM:
            return
        row = self.db.execute("SELECT active FROM operators WHERE name = ?",
                              (self.actor.name,)).fetchone()
        if row is not None and not row[0]:
            raise PermissionDenied(_("{name}'s account is deactivated.").format(
                name=self.actor.name))

    def record(self, event: Event, cosigner: Operator | str | None = None) -> AuditEntry:
        with self.change() as change:
            return change.record(event, cosigner)

    def hook(self) -> Any:
        return self.pm.hook
