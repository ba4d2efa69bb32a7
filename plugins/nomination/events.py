"""The nomination plugin's audit events (subject `nomination:<id>`). Ballots, rolls and locking
are core's events (`core.ballots_entered` ... with subject `round:nomination:<id>:<round>`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civic.audit import Event
from civic.i18n import N_


@dataclass
class NominationCreated(Event):
    type = "nomination.created"
    TITLE = N_("Nomination created")
    nomination: int
    title: str
    positions: list[str]
    reference_date: str
    settings: dict[str, Any]
    ceilings: dict[str, str | None] | None = None  # post -> the band's ceiling (a rank code)

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class RoundOpened(Event):
    """A round began: `why` is `first`, `second` (after the notice) or `rerun` (a void round)."""

    type = "nomination.round_opened"
    TITLE = N_("Nomination round opened")
    nomination: int
    round: int
    attempt: int
    voting_round: str
    why: str
    slate: dict[str, list[str]] | None = None

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class WriteInAdjudicated(Event):
    """An operator's decision on a written name: `assign` to a person, `invalid` (intent not
    clear), or `reverse` (back to what the registry alone says). `marks` it affects."""

    type = "nomination.write_in_adjudicated"
    TITLE = N_("Write-in adjudicated")
    nomination: int
    round: int
    position: str
    written: str
    action: str
    person: str | None
    note: str
    marks: int

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class RevoteRecorded(Event):
    type = "nomination.revote_recorded"
    TITLE = N_("Re-vote recorded")
    nomination: int
    round: int
    position: str
    votes: dict[str, int]
    advancing: list[str]
    still_tied: list[str]

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class TieDecided(Event):
    """The department's meeting (部务会研究决定) chose who of those tied at the cut-off go on;
    co-signed by a supervisor. `meeting` names the meeting (e.g. 2008年7月5日部务会)."""

    type = "nomination.tie_decided"
    TITLE = N_("Tie decided by the department's meeting")
    nomination: int
    round: int
    position: str
    tied: list[str]
    advancing: list[str]
    meeting: str
    decided_on: str

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class RoundCertified(Event):
    """The count of a round, co-signed. `report_sha256` is over the canonical JSON of the count
    report kept with the round; `chain_head` is the audit head when it was certified."""

    type = "nomination.round_certified"
    TITLE = N_("Nomination round certified")
    nomination: int
    round: int
    attempt: int
    report_sha256: str
    chain_entry: int
    chain_head: str
    ballots_digest: str
    advancing: dict[str, list[str]]

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class RoundVoided(Event):
    """More ballots returned than issued: the round is void and is held again."""

    type = "nomination.round_voided"
    TITLE = N_("Nomination round voided")
    nomination: int
    round: int
    attempt: int
    issued: int
    returned: int

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


@dataclass
class ReserveNamed(Event):
    """Round 2's names entered in the reserve pool once the 考察对象公示 (`notice`) was
    confirmed (notice first); `notice` None when the office names them at certification."""

    type = "nomination.reserve_named"
    TITLE = N_("Reserve candidates named")
    nomination: int
    notice: int | None
    reserve: dict[str, list[str]]

    def subject(self) -> str:
        return f"nomination:{self.nomination}"


EVENTS: tuple[type[Event], ...] = (
    NominationCreated, RoundOpened, WriteInAdjudicated, RevoteRecorded, RoundCertified,
    RoundVoided, ReserveNamed, TieDecided,
)
