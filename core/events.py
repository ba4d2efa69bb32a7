"""Core audit event types. Plugins define theirs the same way and register them by hook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civic.audit import Event, EventTypes
from civic.i18n import N_


@dataclass
class DatabaseCreated(Event):
    type = "core.database_created"
    TITLE = N_("Office database created")
    admin: str
    version: str

    def subject(self) -> str:
        return "database"


@dataclass
class OperatorAdded(Event):
    """`state` (here and in every operator event) is the digest of the operator's row as
    written (`civic.audit.operator_state`): `civic audit verify` compares the row with it.
    `setup_expires` is set when the account waits for its person to choose a password."""

    type = "core.operator_added"
    TITLE = N_("Operator added")
    name: str
    role: str
    state: str = ""
    setup_expires: str | None = None

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class SetupCodeIssued(Event):
    """A new one-time setup code for an existing account (its old password no longer works)."""

    type = "core.setup_code_issued"
    TITLE = N_("Setup code issued")
    name: str
    role: str
    expires: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class OperatorActivated(Event):
    """The person used their setup code and chose their own password."""

    type = "core.operator_activated"
    TITLE = N_("Operator chose their password")
    name: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class PasswordChanged(Event):
    type = "core.password_changed"
    TITLE = N_("Password changed")
    name: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class OperatorDeactivated(Event):
    type = "core.operator_deactivated"
    TITLE = N_("Operator deactivated")
    name: str
    role: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class OperatorReactivated(Event):
    type = "core.operator_reactivated"
    TITLE = N_("Operator reactivated")
    name: str
    role: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class RoleChanged(Event):
    type = "core.role_changed"
    TITLE = N_("Operator's role changed")
    name: str
    role: str
    old: str
    state: str

    def subject(self) -> str:
        return f"operator:{self.name}"


@dataclass
class SecuritySealed(Event):
    """The operators' row digests and the settings' values as found when a file from before
    those digests were audited was upgraded: the baseline `civic audit verify` starts from."""

    type = "core.security_sealed"
    TITLE = N_("Operators and settings sealed")
    operators: dict[str, str]
    settings: dict[str, str]

    def subject(self) -> str:
        return "security"


@dataclass
class AccessRefused(Event):
    """A refused attempt is itself a fact worth keeping (wrong password, role too low).

    `name` is always an existing operator's name, or UNKNOWN_NAME: text typed as a name that
    matches nobody (a password typed into the name field, say) is never kept."""

    type = "core.access_refused"
    TITLE = N_("Access refused")
    name: str
    action: str
    reason: str

    def subject(self) -> str:
        return f"operator:{self.name}"


UNKNOWN_NAME = "?"  # AccessRefused.name (and the actor) when the typed name matched nobody


@dataclass
class RecordsImported(Event):
    """One entry per import: the rows are vouched for by their count and digest
    (`civic.importers.rows_digest`: the file's columns, then each row in file order), not
    one entry each nor a list of codes, so an import of a million people is one small entry.
    `added`, `updated` and `unchanged` count records; `fields` counts, per column, the known
    records whose value in it changed. Entries written before held `added` as the list of
    added codes and `updated` as {code: [columns]}, and no `rows` or `fields`."""

    type = "core.records_imported"
    TITLE = N_("Records imported")
    table: str
    file: str
    file_sha256: str
    rows: int
    added: int
    updated: int
    unchanged: int
    fields: dict[str, int]
    rows_digest: str

    def subject(self) -> str:
        return f"table:{self.table}"


@dataclass
class AppointmentRecorded(Event):
    type = "core.appointment_recorded"
    TITLE = N_("Appointment recorded")
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
    TITLE = N_("Entered in the reserve pool")
    person: str
    position: str | None
    basis_kind: str
    basis_ref: str

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class NoticeDrafted(Event):
    """`bodies` maps each language to the sha256 of its rendered draft text."""

    type = "core.notice_drafted"
    TITLE = N_("Notice drafted")
    notice: int
    kind: str
    subject_ref: str
    title: str
    bodies: dict[str, str]

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class NoticePublished(Event):
    """`chain_head` is the hash of entry `chain_entry`, the head just before this one, as
    printed on the notice; `bodies` maps each language to the sha256 of the posted text."""

    type = "core.notice_published"
    TITLE = N_("Notice published")
    notice: int
    subject_ref: str
    published_on: str
    period_days: int
    ends_on: str
    chain_entry: int
    chain_head: str
    bodies: dict[str, str]

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class ObjectionRecorded(Event):
    type = "core.objection_recorded"
    TITLE = N_("Objection recorded")
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
    TITLE = N_("Objection resolved")
    notice: int
    objection: int
    handling: str
    resolved_by: str
    resolved_on: str

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class NoticeConfirmed(Event):
    type = "core.notice_confirmed"
    TITLE = N_("Notice confirmed")
    notice: int
    subject_ref: str
    confirmed_on: str
    objections: int

    def subject(self) -> str:
        return f"notice:{self.notice}"


@dataclass
class SettingChanged(Event):
    """An office setting (e.g. the address printed on notices); `old` is None when unset."""

    type = "core.setting_changed"
    TITLE = N_("Setting changed")
    key: str
    value: str | None
    old: str | None

    def subject(self) -> str:
        return f"setting:{self.key}"


@dataclass
class PermissionChanged(Event):
    """The office gave a declared action (civic.actions) to other roles than its default;
    `roles` is None when set back to the default, `old` None when it was the default."""

    type = "core.permission_changed"
    TITLE = N_("Permission changed")
    action: str
    roles: str | None
    old: str | None

    def subject(self) -> str:
        return f"action:{self.action}"


@dataclass
class CheckpointSigned(Event):
    """The office signed the chain head at `entry` with its key (`civic audit checkpoint`).

    Kept in the chain so that notices published afterwards can print it: a posted notice then
    carries a head that a rewrite of the whole file cannot re-sign without the office's key.
    """

    type = "core.checkpoint_signed"
    TITLE = N_("Checkpoint signed")
    entry: int
    head: str
    key_id: str
    signature: str

    def subject(self) -> str:
        return "audit"


@dataclass
class DemoBuilt(Event):
    """Last entry of `civic demo`: marks the file as a demo. The login screen shows the demo
    password from it; `civic demo` replaces only files that carry it."""

    type = "core.demo_built"
    TITLE = N_("Demo office built")
    seed: int
    operators: list[str]
    password: str  # the public demo password the README states, never a real one
    plugins: list[str]
    counts: dict[str, int]

    def subject(self) -> str:
        return "database"


# --- voting rounds (civic.ballots): subject "round:<key>", one entry per batch, never per ballot

@dataclass
class VotingRoundCreated(Event):
    type = "core.voting_round_created"
    TITLE = N_("Voting round created")
    round: str
    title: str
    positions: list[str]
    kind: str = "first"
    parent: str | None = None  # the key of the round this one continues
    seats: dict[str, int] | None = None
    candidates: dict[str, list[str]] | None = None  # a reference list per post, in order

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class RollLoaded(Event):
    """A roll file (or a copied roll): counts, and a digest of the electors as read."""

    type = "core.roll_loaded"
    TITLE = N_("Roll of electors loaded")
    round: str
    file: str
    file_sha256: str
    added: int
    updated: int
    unchanged: int
    electors: int
    rows_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class AttendanceRecorded(Event):
    """Electors marked present (or absent) before attendance closes. It names nobody: a log
    of who came, one by one, is the order in which ballots were handed out. `changed` counts
    the electors whose mark changed; the closing entry vouches for the whole roll."""

    type = "core.attendance_recorded"
    TITLE = N_("Attendance recorded")
    round: str
    changed: int
    present: bool
    total_present: int

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class AttendanceClosed(Event):
    """Attendance is final: the number present for the quorum is fixed, no attendance change
    follows, and only now may ballots be entered (so no ballot entry sits between two
    attendance entries). `attendance_digest` is `digest_rows` over (code, present) of the
    whole roll, ordered by code (`civic.ballots.attendance_digest` recomputes it)."""

    type = "core.attendance_closed"
    TITLE = N_("Attendance closed")
    round: str
    registered: int
    present: int
    attendance_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class BallotFiguresRecorded(Event):
    type = "core.ballot_figures_recorded"
    TITLE = N_("Ballots issued and returned recorded")
    round: str
    issued: int
    returned: int

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class BallotsEntered(Event):
    """One batch of ballots (a file, or a stack keyed at the terminal). `rows_digest` is
    `digest_rows` over (number, ((post, text), ...)) per ballot for ballot ids
    first_ballot..last_ballot; `civic.ballots.ballots_digest` recomputes it."""

    type = "core.ballots_entered"
    TITLE = N_("Ballots entered")
    round: str
    source: str
    file_sha256: str | None
    ballots: int
    marks: int
    first_ballot: int | None
    last_ballot: int | None
    rows_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class BallotDeleted(Event):
    """A wrongly entered ballot taken out, with a reason and a supervisor's co-signature.
    `content_digest` is the digest its entry batch used for it (`digest_rows` of one
    (number, ((post, text), ...)) row): what it said can be checked, not read, from the log."""

    type = "core.ballot_deleted"
    TITLE = N_("Ballot deleted")
    round: str
    number: int
    marks: int
    reason: str
    content_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class VotingRoundLocked(Event):
    type = "core.voting_round_locked"
    TITLE = N_("Voting round locked")
    round: str
    ballots: int
    marks: int
    ballots_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


OPERATOR_EVENTS: tuple[type[Event], ...] = (
    SetupCodeIssued, OperatorActivated, PasswordChanged, OperatorDeactivated,
    OperatorReactivated, RoleChanged, SecuritySealed,
)


@dataclass
class FactRecorded(Event):
    """A fact about a person (civic.facts): a grade, a restriction, a training status, a term,
    with the mechanism and record it comes from."""

    type = "core.fact_recorded"
    TITLE = N_("Fact about a person recorded")
    fact: int
    person: str
    kind: str
    value: str
    valid_from: str
    until: str | None
    source_plugin: str
    source_ref: str
    rule: str | None = None

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class FactEnded(Event):
    """A fact ended before its time (a sanction lifted) or replaced by another (`superseded_by`)."""

    type = "core.fact_ended"
    TITLE = N_("Fact about a person ended")
    fact: int
    person: str
    ended_on: str
    reason: str
    superseded_by: int | None = None

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class ContestsDeclared(Event):
    """What a round votes on beyond name choices (civic.contests): each contest's kind, seats,
    scale and candidate list, and the constituencies with registered counts and weights."""

    type = "core.contests_declared"
    TITLE = N_("Contests and constituencies declared")
    round: str
    contests: list[dict[str, Any]]
    constituencies: list[dict[str, Any]]

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class ConstituencyFiguresRecorded(Event):
    type = "core.constituency_figures_recorded"
    TITLE = N_("Constituency figures recorded")
    round: str
    constituency: str
    present: int
    issued: int
    returned: int

    def subject(self) -> str:
        return f"round:{self.round}"


@dataclass
class TallyImported(Event):
    """A tally file: totals counted on paper, vouched for by a digest of the rows as read."""

    type = "core.tally_imported"
    TITLE = N_("Tally file imported")
    round: str
    file: str
    file_sha256: str
    constituencies: list[str]
    rows: int
    rows_digest: str

    def subject(self) -> str:
        return f"round:{self.round}"


BALLOT_EVENTS: tuple[type[Event], ...] = (
    VotingRoundCreated, RollLoaded, AttendanceRecorded, BallotFiguresRecorded, BallotsEntered,
    BallotDeleted, VotingRoundLocked, AttendanceClosed, ContestsDeclared,
    ConstituencyFiguresRecorded, TallyImported,
)


CORE_EVENTS: tuple[type[Event], ...] = (
    DatabaseCreated, OperatorAdded, AccessRefused, RecordsImported, AppointmentRecorded,
    ReserveAdded, NoticeDrafted, NoticePublished, ObjectionRecorded, ObjectionResolved,
    NoticeConfirmed, SettingChanged, CheckpointSigned, DemoBuilt, PermissionChanged,
    *BALLOT_EVENTS,
    *OPERATOR_EVENTS,
    FactRecorded, FactEnded,
)


def event_types(pm: Any | None = None) -> EventTypes:
    """Core's event types plus every plugin's."""
    types = EventTypes()
    for cls in CORE_EVENTS:
        types.register(cls)
    if pm is not None:
        pm.hook.register_event_types(register=types.register)
    return types
