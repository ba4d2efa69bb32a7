"""The placement plugin's audit events: one per decision or per import, subject `placement:ID`.

Imports are vouched for by a digest of their rows (`civic.audit.digest_rows`) and the file's
sha256; the run carries the seed, every group the draw decided between, and digests of its
inputs and of its result, so anyone can re-run the batch and compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civic.audit import Event
from civic.i18n import N_


@dataclass
class _BatchEvent(Event):
    batch: int

    def subject(self) -> str:
        return f"placement:{self.batch}"


@dataclass
class BatchCreated(_BatchEvent):
    type = "placement.batch_created"
    TITLE = N_("Placement batch created")
    title: str
    cutoff: str
    mode: str
    seed: int | None


@dataclass
class SchemeSet(_BatchEvent):
    type = "placement.scheme_set"
    TITLE = N_("Scoring scheme set")
    name: str
    sha256: str
    components: list[str]


@dataclass
class OfficersImported(_BatchEvent):
    type = "placement.officers_imported"
    TITLE = N_("Officers imported")
    file: str
    file_sha256: str
    officers: int
    rows_digest: str
    people_added: list[str]
    people_updated: dict[str, list[str]]
    dropped: dict[str, int] = field(default_factory=dict)


@dataclass
class PostsImported(_BatchEvent):
    type = "placement.posts_imported"
    TITLE = N_("Posts imported")
    file: str
    file_sha256: str
    posts: int
    seats: int
    rows_digest: str
    dropped: dict[str, int] = field(default_factory=dict)


@dataclass
class PreferencesImported(_BatchEvent):
    type = "placement.preferences_imported"
    TITLE = N_("Preference lists imported")
    file: str
    file_sha256: str
    officers: list[str]
    choices: int
    rows_digest: str


@dataclass
class OverrideSet(_BatchEvent):
    """A manual pre-assignment (or, with position None, its withdrawal), before the run."""

    type = "placement.override_set"
    TITLE = N_("Override set")
    officer: str
    position: str | None
    reason: str
    basis: str | None = None  # the policy that allows the pre-assignment (照顾安置)


@dataclass
class RoomOpened(_BatchEvent):
    """The live room fixes the choosing order: the seed and the draw's groups are recorded."""

    type = "placement.room_opened"
    TITLE = N_("Choosing room opened")
    seed: int
    order: list[str]
    draw_groups: list[list[str]]
    inputs_digest: str


@dataclass
class DrawRecorded(_BatchEvent):
    """The public draw held on site (公开抽签): each tied officer's draw number (抽签号), entered
    with the supervisor's co-signature; `groups` are the ties it settles."""

    type = "placement.draw_recorded"
    TITLE = N_("Public draw recorded")
    numbers: dict[str, int]
    groups: list[list[str]]


@dataclass
class Picked(_BatchEvent):
    """One officer's pick in the live room; position None is a pass (stays unplaced)."""

    type = "placement.picked"
    TITLE = N_("Post chosen")
    officer: str
    position: str | None
    turn: int


@dataclass
class PickUndone(_BatchEvent):
    type = "placement.pick_undone"
    TITLE = N_("Choice undone")
    officer: str
    position: str | None
    reason: str


@dataclass
class BatchRun(_BatchEvent):
    type = "placement.run"
    TITLE = N_("Placement run")
    mode: str
    seed: int
    draw_groups: list[list[str]]
    inputs_digest: str
    result_digest: str
    placed: int
    unplaced: list[str]


@dataclass
class BatchCertified(_BatchEvent):
    type = "placement.certified"
    TITLE = N_("Placement certified")
    result_digest: str
    effective: str
    appointments: int
    notice_first: bool = False  # the appointments wait for the notice's confirmation


@dataclass
class BatchAppointed(_BatchEvent):
    """The appointments of a certified batch, made once its notice was confirmed."""

    type = "placement.appointed"
    TITLE = N_("Placement appointments recorded")
    notice: int
    effective: str
    appointments: int


EVENTS: tuple[type[Event], ...] = (
    BatchCreated, SchemeSet, OfficersImported, PostsImported, PreferencesImported, OverrideSet,
    RoomOpened, DrawRecorded, Picked, PickUndone, BatchRun, BatchCertified, BatchAppointed,
)
