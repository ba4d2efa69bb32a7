"""The election plugin's audit events: one per decision or per imported file."""

from __future__ import annotations

from dataclasses import dataclass

from civic.audit import Event
from civic.i18n import N_


@dataclass
class ElectionCreated(Event):
    type = "election.created"
    TITLE = N_("Election created")
    election: int
    title: str
    pack: str
    contests: list
    batch: int | None = None

    def subject(self) -> str:
        return f"election:{self.election}"


@dataclass
class BatchImported(Event):
    type = "election.batch_imported"
    TITLE = N_("Batch of elections imported")
    batch: int
    file: str
    file_sha256: str
    elections: int
    not_held: int

    def subject(self) -> str:
        return f"election-batch:{self.batch}"


@dataclass
class RoundOpened(Event):
    type = "election.round_opened"
    TITLE = N_("Election round opened")
    election: int
    round: int
    kind: str
    contests: list

    def subject(self) -> str:
        return f"election:{self.election}"


@dataclass
class ElectionCertified(Event):
    type = "election.certified"
    TITLE = N_("Election result certified")
    election: int
    round: int
    report_sha256: str
    chain_head: str
    ballots_digest: str
    elected: list

    def subject(self) -> str:
        return f"election:{self.election}"


@dataclass
class TargetSet(Event):
    type = "election.target_set"
    TITLE = N_("Term target set")
    term: int
    target: int
    due: str
    status: str

    def subject(self) -> str:
        return f"election-term:{self.term}"


@dataclass
class TermExtended(Event):
    type = "election.term_extended"
    TITLE = N_("Term extended")
    term: int
    ends: str
    approval: str

    def subject(self) -> str:
        return f"election-term:{self.term}"


@dataclass
class RecallFiled(Event):
    type = "election.recall_filed"
    TITLE = N_("Recall petition filed")
    recall: int
    term: int
    signers: int
    registered: int

    def subject(self) -> str:
        return f"election-term:{self.term}"


@dataclass
class RecallReplied(Event):
    type = "election.recall_replied"
    TITLE = N_("Reply to a recall petition recorded")
    recall: int

    def subject(self) -> str:
        return f"election-recall:{self.recall}"


@dataclass
class RecallDecided(Event):
    type = "election.recall_decided"
    TITLE = N_("Recall vote decided")
    recall: int
    term: int
    valid: bool
    passed: bool
    barred_until: str | None

    def subject(self) -> str:
        return f"election-term:{self.term}"


EVENTS = (ElectionCreated, BatchImported, RoundOpened, ElectionCertified, TargetSet,
          TermExtended, RecallFiled, RecallReplied, RecallDecided)
