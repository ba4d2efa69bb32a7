"""The training plugin's audit events: one per decision or per imported sheet."""

from __future__ import annotations

from dataclasses import dataclass

from civic.audit import Event
from civic.i18n import N_


@dataclass
class ProgrammeCreated(Event):
    type = "training.programme_created"
    TITLE = N_("Training programme created")
    programme: int
    title: str
    category: str
    starts: str
    ends: str

    def subject(self) -> str:
        return f"training:{self.programme}"


@dataclass
class SessionAdded(Event):
    type = "training.session_added"
    TITLE = N_("Training session added")
    programme: int
    session: int
    day: str
    half_days: int
    hours: str

    def subject(self) -> str:
        return f"training:{self.programme}"


@dataclass
class AttendanceImported(Event):
    type = "training.attendance_imported"
    TITLE = N_("Sign-in sheet imported")
    session: int
    file: str
    sha256: str
    rows: int

    def subject(self) -> str:
        return f"training-session:{self.session}"


@dataclass
class LeaveRecorded(Event):
    type = "training.leave_recorded"
    TITLE = N_("Leave from training recorded")
    programme: int
    person: str
    hours: str
    reason: str
    withdrawn: bool

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class DelegationReported(Event):
    type = "training.delegation_reported"
    TITLE = N_("Study delegation report filed")
    programme: int
    reported_on: str

    def subject(self) -> str:
        return f"training:{self.programme}"


@dataclass
class DelegationCreated(Event):
    type = "training.delegation_created"
    TITLE = N_("Study delegation recorded")
    programme: int
    destination: str
    host: str
    report_due: str

    def subject(self) -> str:
        return f"training:{self.programme}"


@dataclass
class StatusAssessed(Event):
    type = "training.assessed"
    TITLE = N_("Training compliance assessed")
    on: str
    pack: str
    met: int
    short: int
    changed: int

    def subject(self) -> str:
        return f"training-assessment:{self.on}"


EVENTS = (ProgrammeCreated, SessionAdded, AttendanceImported, LeaveRecorded, DelegationCreated,
          DelegationReported, StatusAssessed)
