"""An office session: the database, the plugins, the logged-in operator and the clock.

Every change goes through `Office.change()`: the domain writes and their audit rows share one
transaction, and `track_event` hooks run only after it has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pluggy
from sqlite_utils import Database

from civic import audit
from civic.audit import AuditEntry, Event


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
    def change(self) -> Iterator[Change]:
        """One transaction for the change and its audit rows; hooks after the commit."""
        change = Change(self)
        nested = self.db.conn.in_transaction
        with self.db.atomic():
            yield change
        if not nested:
            for event, entry in change.entries:
                self.pm.hook.track_event(db=self.db, event=event, entry=entry)

    def record(self, event: Event, cosigner: Operator | str | None = None) -> AuditEntry:
        with self.change() as change:
            return change.record(event, cosigner)

    def hook(self) -> Any:
        return self.pm.hook
