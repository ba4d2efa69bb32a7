"""The accountability plugin's audit events (subject `accountability:case:<id>` or
`accountability:task:<id>`)."""

from __future__ import annotations

from dataclasses import dataclass

from civic.audit import Event
from civic.i18n import N_


@dataclass
class CaseOpened(Event):
    type = "accountability.case_opened"
    TITLE = N_("Accountability case opened")
    case: int
    person: str | None
    team: str | None
    unit: str | None
    trigger: str
    source: str
    opened_on: str

    def subject(self) -> str:
        return f"accountability:case:{self.case}"


@dataclass
class CasesImported(Event):
    """A file of cases, one entry for the file: the digest of its rows."""

    type = "accountability.cases_imported"
    TITLE = N_("Accountability cases imported")
    file: str
    cases: int
    digest: str

    def subject(self) -> str:
        return "accountability:cases"


@dataclass
class CaseStepped(Event):
    """A case moved on: investigated, served, appealed, reviewed (with its outcome), closed."""

    type = "accountability.case_stepped"
    TITLE = N_("Accountability case moved on")
    case: int
    step: str
    on: str
    outcome: str | None = None

    def subject(self) -> str:
        return f"accountability:case:{self.case}"


@dataclass
class CaseDecided(Event):
    """A decision, co-signed by a supervisor: its forms and factors."""

    type = "accountability.case_decided"
    TITLE = N_("Accountability decision")
    case: int
    on: str
    forms: list[str]
    factors: list[list[str]]

    def subject(self) -> str:
        return f"accountability:case:{self.case}"


@dataclass
class CaseRead(Event):
    """Someone read a case's content: every read is on record."""

    type = "accountability.case_read"
    TITLE = N_("Accountability case read")
    case: int

    def subject(self) -> str:
        return f"accountability:case:{self.case}"


@dataclass
class TaskCreated(Event):
    type = "accountability.task_created"
    TITLE = N_("Supervised task created")
    task: int
    title: str
    unit: str
    deadline: str

    def subject(self) -> str:
        return f"accountability:task:{self.task}"


@dataclass
class TaskLogged(Event):
    """A progress report on a task, or its closing."""

    type = "accountability.task_logged"
    TITLE = N_("Supervised task progress")
    task: int
    kind: str
    day: str
    text: str

    def subject(self) -> str:
        return f"accountability:task:{self.task}"


CASE_EVENTS: tuple[type[Event], ...] = (CaseOpened, CasesImported, CaseStepped, CaseDecided,
                                        CaseRead, TaskCreated, TaskLogged)


@dataclass
class InspectionOpened(Event):
    type = "accountability.inspection_opened"
    TITLE = N_("Inspection round opened")
    inspection: int
    kind: str
    title: str
    units: list[str]
    starts_on: str
    ends_on: str

    def subject(self) -> str:
        return f"accountability:inspection:{self.inspection}"


@dataclass
class InspectionRecorded(Event):
    """Something recorded in a round: its work counts, a finding, a rectification item set
    or done, a proposal, or the round closed (`what`, with the item's id)."""

    type = "accountability.inspection_recorded"
    TITLE = N_("Inspection round updated")
    inspection: int
    what: str
    item: int | None
    detail: dict

    def subject(self) -> str:
        return f"accountability:inspection:{self.inspection}"


@dataclass
class ProposalDecided(Event):
    """A round's proposal decided, co-signed: it takes effect as a core appointment change
    or reserve entry (recorded in the same change)."""

    type = "accountability.proposal_decided"
    TITLE = N_("Inspection proposal decided")
    inspection: int
    proposal: int
    person: str
    kind: str
    position: str | None
    on: str

    def subject(self) -> str:
        return f"accountability:inspection:{self.inspection}"


EVENTS = (*CASE_EVENTS, InspectionOpened, InspectionRecorded, ProposalDecided)
