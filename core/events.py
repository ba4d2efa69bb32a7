"""Core audit event types. Plugins define theirs the same way and register them by hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civic.audit import Event, EventTypes


@dataclass
class DatabaseCreated(Event):
    type = "core.database_created"
    admin: str
    version: str

    def subject(self) -> str:
        return "database"


@dataclass
class OperatorAdded(Event):
    type = "core.operator_added"
    name: str
    role: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class AccessRefused(Event):
    """A refused attempt is itself a fact worth keeping (wrong password, role too low)."""

    type = "core.access_refused"
    name: str
    action: str
    reason: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class RecordsImported(Event):
    """One entry per import: the rows are vouched for by a digest, not one entry each."""

    type = "core.records_imported"
    table: str
    file: str
    file_sha256: str
    added: list[str]
    updated: dict[str, list[str]]
    unchanged: int
    rows_digest: str

    def subject(self) -> str:
        return f"table:{self.table}"


@dataclass
class AppointmentRecorded(Event):
    type = "core.appointment_recorded"
    person: str
    position: str | None
    action: str
    effective: str
    basis_kind: str
    basis_ref: str
    note: str | None = None

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class ReserveAdded(Event):
    type = "core.reserve_added"
    person: str
    position: str | None
    basis_kind: str
    basis_ref: str

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class NoticeDrafted(Event):
    type = "core.notice_drafted"
    notice: int
    kind: str
    subject_ref: str
    body_sha256: str

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class NoticePublished(Event):
    type = "core.notice_published"
    notice: int
    published_on: str
    period_days: int
    ends_on: str
    chain_head: str

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class ObjectionRecorded(Event):
    type = "core.objection_recorded"
    notice: int
    objection: int
    received_on: str
    channel: str
    content: str

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class ObjectionResolved(Event):
    type = "core.objection_resolved"
    notice: int
    objection: int
    handling: str

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class NoticeConfirmed(Event):
    type = "core.notice_confirmed"
    notice: int
    details: dict[str, Any] = field(default_factory=dict)

    def subject(self) -> str:
        return f"notice:{self.notice}"


CORE_EVENTS: tuple[type[Event], ...] = (
    DatabaseCreated, OperatorAdded, AccessRefused, RecordsImported, AppointmentRecorded,
    ReserveAdded, NoticeDrafted, NoticePublished, ObjectionRecorded, ObjectionResolved,
    NoticeConfirmed,
)


def event_types(pm: Any | None = None) -> EventTypes:
    """Core's event types plus every plugin's."""
    types = EventTypes()
    for cls in CORE_EVENTS:
        types.register(cls)
    if pm is not None:
        pm.hook.register_event_types(register=types.register)
    return types
