"""Ballot storage shared by every mechanism that votes: rounds, rolls, attendance, ballots and
marks, and counting them with one GROUP BY that feeds `civic.voting.count_from_aggregates`.

A round is named by an opaque key (`nomination:3:1`, later `election:7:2`) chosen by its
plugin; the plugin resolves what electors wrote (a `Resolver`), core stores and counts it.

Secrecy is structural (ARCHITECTURE "Secret ballots"): who was on the roll and came
(`voting_electors`) and what a ballot says (`voting_ballots`, `voting_marks`) share no key, and a
ballot row holds its number only: no elector, no time. Entry is audited per batch (one file, one
stack of keyed ballots) with a digest of its rows, never per ballot. (Since m006 a ballot may
also carry its constituency's code, never its elector: see civic.contests.)

The audit log is kept from linking them too: attendance entries name nobody (a count), and
ballots are entered only once attendance is closed (`close_attendance`, its own audited step,
which fixes the number present and vouches for the whole roll by a digest); after that no
attendance change is taken. So every attendance entry of a round precedes every ballot entry,
and nothing in the log orders one elector against one ballot. Closing is read back from the
log itself (`attendance_closed`): the append-only chain is the record, no column can be reset.

Storage of marks, for speed at 1,000,000 marks (bench/nomination_marks.py):
- Each distinct text written for a post in a round is one `voting_written` row holding the
  resolved mark as a key (`encode`): `=CODE` a candidate, `?TEXT` waiting for adjudication,
  `!reason:TEXT` invalid. Adjudication rewrites that one row, not the marks.
- A mark row carries its section's figures packed in `shape` = section_n << 2 | dup << 1 |
  first: `section_n` distinct entries in its ballot's section for that post, `first` 1 on one
  row per section, `dup` 1 on a repeat of an equal mark (`shape_of`, `unshape`). The table is
  clustered on (round, written, shape, ballot, seq), so the count is one ordered scan with no
  sort over two columns, and an import inserts its rows in that order (buffered per written
  text, sorted at the end of the stream). Marks carry no foreign keys (checking two parents per
  row nearly doubled the import); `lock_round` checks that every mark has its ballot and text.
- A ballot's rows must be together in a file: a number met again after another ballot is an
  error (more likely two papers given one number than a sorted file).
A locked round (certified) refuses every change by trigger, not only by code.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from civic.audit import digest_rows
from civic.db import Database
from civic.errors import CivicError
from civic.events import (
    AttendanceClosed,
    AttendanceRecorded,
    BallotDeleted,
    BallotFiguresRecorded,
    BallotsEntered,
    RollLoaded,
    VotingRoundCreated,
    VotingRoundLocked,
)
from civic.i18n import _
from civic.office import Change, Operator
from civic.tabular import (
    Column,
    Row,
    Schema,
    file_sha256,
    load_table,
    one_line,
    read_rows,
)
from civic.voting import CountRules, Invalid, Mark, PostCount, RoundFigures, Unresolved

Resolver = Callable[[str, str], Mark]
"""(post, text as written, stripped) -> the mark it is. Called once per distinct text."""

MAX_SEQ = 0xFFFF  # marks per ballot
MAX_SECTION = (1 << 13) - 1  # distinct entries per section that the packed sort key holds
_ONE = 5 << 48  # shape of a section with a single mark (section_n=1, dup=0, first=1)


def shape_of(section_n: int, dup: bool | int, first: bool | int) -> int:
    return min(section_n, MAX_SECTION) << 2 | int(dup) << 1 | int(first)


def unshape(shape: int) -> tuple[int, int, int]:
    """(section_n, dup, first)"""
    return shape >> 2, shape >> 1 & 1, shape & 1


# --- texts and marks -------------------------------------------------------------------------

_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "∙": "·", "･": "·"})


def normalise(text: str) -> str:
    """How written names compare: NFKC (full-width to half-width), no spaces, one middle dot.

    "王 伟", "王　伟" and "王伟" are one name; so are "阿·木" and "阿•木" (minority names).
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).translate(_DOTS)


def encode(mark: Mark) -> str:
    """A mark as stored: equal marks have equal keys."""
    if type(mark) is str:
        return "=" + mark
    if isinstance(mark, Unresolved):
        return "?" + mark.text
    if isinstance(mark, Invalid):
        return f"!{mark.reason}:{mark.text}"
    raise TypeError(f"a mark is a str, Invalid or Unresolved, not {mark!r}")


def decode(key: str) -> Mark:
    tag, rest = key[0], key[1:]
    if tag == "=":
        return rest
    if tag == "?":
        return Unresolved(rest)
    if tag == "!":
        reason, _sep, text = rest.partition(":")
        return Invalid(reason, text)
    raise ValueError(f"not a stored mark: {key!r}")


# --- rounds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class VotingRound:
    id: int
    key: str
    title: str
    status: str  # open | locked
    issued: int | None
    returned: int | None
    positions: tuple[str, ...]
    kind: str = "first"  # first | next | runoff | revote | recall (civic.tally.ROUND_KINDS)
    parent: int | None = None  # the round this one continues

    @property
    def locked(self) -> bool:
        return self.status == "locked"

    def require_open(self) -> None:
        if self.locked:
            raise CivicError(_("Round {key} is certified and locked: it takes no more changes.")
                             .format(key=self.key))


def create_round(change: Change, key: str, title: str, positions: Sequence[str], *,
                 seats: Mapping[str, int] | None = None, kind: str = "first",
                 parent: VotingRound | None = None,
                 candidates: Mapping[str, Sequence[str]] | None = None) -> VotingRound:
    """A new round voting on `positions` (post codes, in ballot order): name-choice contests.

    `seats` per post (the places it fills, or the names going on); `candidates` per post, in
    ballot order (a reference list); `kind` and `parent` chain it to the round it continues
    (civic.tally.ROUND_KINDS). Value and graded contests and constituencies:
    `civic.contests.declare`.
    """
    from civic.tally import ROUND_KINDS

    db = change.db
    if kind not in ROUND_KINDS:
        raise ValueError(f"round kind must be one of {ROUND_KINDS}")
    if not positions:
        raise CivicError(_("A round needs at least one position."))
    if len(set(positions)) != len(positions):
        raise CivicError(_("A position is listed twice."))
    if db.execute("SELECT 1 FROM voting_rounds WHERE key = ?", (key,)).fetchone():
        raise CivicError(_("Round {key} exists already.").format(key=key))
    rid = db.execute("INSERT INTO voting_rounds (key, title, kind, parent) VALUES (?, ?, ?, ?)",
                     (key, title, kind, parent.id if parent else None)).lastrowid
    places = dict(seats or {})
    db.conn.executemany(
        "INSERT INTO voting_posts (round, position, seq, seats) VALUES (?, ?, ?, ?)",
        [(rid, p, i, places.get(p)) for i, p in enumerate(positions, 1)])
    listed = {p: list(c) for p, c in (candidates or {}).items() if c}
    if not listed.keys() <= set(positions):
        raise ValueError("candidates for a post not voted on")
    db.conn.executemany(
        "INSERT INTO voting_candidates (round, contest, candidate, seq) VALUES (?, ?, ?, ?)",
        [(rid, p, c, i) for p, people in listed.items() for i, c in enumerate(people, 1)])
    change.record(VotingRoundCreated(round=key, title=title, positions=list(positions),
                                     kind=kind, parent=parent.key if parent else None,
                                     seats=places or None, candidates=listed or None))
    return get_round(db, key)


def get_round(db: Database, key: str | int) -> VotingRound:
    column = "id" if isinstance(key, int) else "key"
    row = db.execute(f"SELECT id, key, title, status, issued, returned, kind, parent"
                     f" FROM voting_rounds WHERE {column} = ?", (key,)).fetchone()
    if row is None:
        raise CivicError(_("No voting round {key}.").format(key=key))
    posts = tuple(p for (p,) in db.execute(
        "SELECT position FROM voting_posts WHERE round = ? ORDER BY seq", (row[0],)))
    return VotingRound(*row[:6], positions=posts, kind=row[6], parent=row[7])


def lock_round(change: Change, vround: VotingRound) -> str:
    """Lock a round for good (its count is certified); returns the digest of all its ballots.

    Refused when the roll no longer matches the digest its closing recorded: it was changed
    outside civic after attendance closed (the number present is part of the count)."""
    vround.require_open()
    db = change.db
    _check_attendance_digest(db, vround)
    digest = ballots_digest(db, vround)
    ballots, marks = _sizes(db, vround)
    change.record(VotingRoundLocked(round=vround.key, ballots=ballots, marks=marks,
                                    ballots_digest=digest))
    db.execute("UPDATE voting_rounds SET status = 'locked' WHERE id = ?", (vround.id,))
    return digest


def _sizes(db: Database, vround: VotingRound) -> tuple[int, int]:
    ballots = db.execute("SELECT count(*) FROM voting_ballots WHERE round = ?",
                         (vround.id,)).fetchone()[0]
    marks = db.execute("SELECT count(*) FROM voting_marks WHERE round = ?",
                       (vround.id,)).fetchone()[0]
    return ballots, marks


# --- the roll and attendance -----------------------------------------------------------------

_YES = frozenset({"1", "y", "yes", "true", "是", "到", "到会", "出席", "√", "✓"})
_NO = frozenset({"0", "n", "no", "false", "否", "缺", "缺席", "未到", "×"})


def _presence(text: str) -> int:
    value = text.strip().casefold()
    if value in _YES:
        return 1
    if value in _NO:
        return 0
    raise ValueError(_("expected yes or no"))


ROLL_SCHEMA = Schema([
    Column("code", ("编号", "代码", "选举人编号", "代表编号"), required=True, parse=one_line),
    Column("name", ("姓名",), required=True, parse=one_line),
    Column("category", ("类别", "界别", "类型"), parse=one_line),
    Column("present", ("出席", "到会")),
])


def load_roll(change: Change, vround: VotingRound, path: str | Path) -> dict[str, int]:
    """Add the electors of a roll file to the round; known codes are updated. All or nothing."""
    vround.require_open()
    require_attendance_open(change.db, vround)
    path = Path(path)
    seen: dict[str, int] = {}

    def check(row: Row) -> Iterable[tuple[str | None, str]]:
        first = seen.setdefault(row["code"], row.number)
        if first != row.number:
            yield "code", _("elector {code} is listed twice (also row {row})").format(
                code=row["code"], row=first)
        if row["present"] is not None:
            try:
                row.values["present"] = _presence(row["present"])
            except ValueError as exc:
                yield "present", str(exc)

    rows = load_table(path, ROLL_SCHEMA, check)
    electors = [(r["code"], r["name"], r["category"] or "", r["present"]) for r in rows]
    result = _upsert_electors(change.db, vround, electors)
    change.record(RollLoaded(
        round=vround.key, file=path.name, file_sha256=file_sha256(path), **result,
        electors=_registered(change.db, vround), rows_digest=digest_rows(electors)))
    return result


def _upsert_electors(db: Database, vround: VotingRound,
                     electors: Sequence[tuple[str, str, str, int | None]]) -> dict[str, int]:
    known = {code: (name, category, present) for code, name, category, present in db.execute(
        "SELECT code, name, category, present FROM voting_electors WHERE round = ?",
        (vround.id,))}
    added = updated = 0
    for code, name, category, present in electors:
        old = known.get(code)
        if old is None:
            added += 1
            db.execute("INSERT INTO voting_electors (round, code, name, category, present)"
                       " VALUES (?, ?, ?, ?, ?)", (vround.id, code, name, category, present or 0))
            continue
        new = (name, category, old[2] if present is None else present)
        if new != old:
            updated += 1
            db.execute("UPDATE voting_electors SET name = ?, category = ?, present = ?"
                       " WHERE round = ? AND code = ?", (*new, vround.id, code))
    return {"added": added, "updated": updated, "unchanged": len(electors) - added - updated}


def copy_roll(change: Change, source: VotingRound, target: VotingRound) -> int:
    """Give `target` the electors of `source`, all absent (a re-run of a void round)."""
    require_attendance_open(change.db, target)
    rows = [(c, n, k, 0) for c, n, k in change.db.execute(
        "SELECT code, name, category FROM voting_electors WHERE round = ? ORDER BY id",
        (source.id,))]
    result = _upsert_electors(change.db, target, rows)
    change.record(RollLoaded(round=target.key, file=f"round:{source.key}", file_sha256="",
                             **result, electors=len(rows), rows_digest=digest_rows(rows)))
    return len(rows)


def electors(db: Database, vround: VotingRound) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT code, name, category, present FROM voting_electors WHERE round = ?"
        " ORDER BY category, code", [vround.id]))


def set_attendance(change: Change, vround: VotingRound, codes: Iterable[str] | None,
                   present: bool = True) -> int:
    """Mark electors present (or absent); `codes=None` means everyone on the roll.

    Refused once attendance is closed. The audit entry counts the electors changed and names
    none of them (see the module docstring)."""
    vround.require_open()
    db = change.db
    require_attendance_open(db, vround)
    roll = dict(db.execute("SELECT code, present FROM voting_electors WHERE round = ?",
                           (vround.id,)).fetchall())
    wanted = list(roll) if codes is None else list(dict.fromkeys(codes))
    unknown = sorted(set(wanted) - set(roll))
    if unknown:
        raise CivicError(_("Not on the roll of round {key}: {codes}.").format(
            key=vround.key, codes=", ".join(unknown)))
    changed = [c for c in wanted if roll[c] != int(present)]
    db.conn.executemany("UPDATE voting_electors SET present = ? WHERE round = ? AND code = ?",
                        [(int(present), vround.id, c) for c in changed])
    total = _present(db, vround)
    change.record(AttendanceRecorded(round=vround.key, changed=len(changed), present=present,
                                     total_present=total))
    return total


def attendance_closed(db: Database, vround: VotingRound) -> bool:
    """Whether the round's attendance was closed: its entry is in the (append-only) log."""
    return db.execute("SELECT 1 FROM audit_log WHERE subject = ? AND type = ? LIMIT 1",
                      (f"round:{vround.key}", AttendanceClosed.type)).fetchone() is not None


def require_attendance_open(db: Database, vround: VotingRound) -> None:
    if attendance_closed(db, vround):
        raise CivicError(_("Attendance of round {key} is closed: the roll and who is present "
                           "can no longer change.").format(key=vround.key))


def require_attendance_closed(db: Database, vround: VotingRound) -> None:
    if not attendance_closed(db, vround):
        raise CivicError(_("Round {key}: close attendance first. Ballots are entered only "
                           "once attendance is closed, so that the log cannot order electors "
                           "against ballots.").format(key=vround.key))


def attendance_digest(db: Database, vround: VotingRound) -> str:
    """`digest_rows` over (code, present) of the whole roll, ordered by code."""
    return digest_rows(db.execute("SELECT code, present FROM voting_electors WHERE round = ?"
                                  " ORDER BY code", (vround.id,)))


def _check_attendance_digest(db: Database, vround: VotingRound) -> None:
    row = db.execute("SELECT payload FROM audit_log WHERE subject = ? AND type = ? LIMIT 1",
                     (f"round:{vround.key}", AttendanceClosed.type)).fetchone()
    if row is not None and json.loads(row[0])["attendance_digest"] != attendance_digest(
            db, vround):
        raise CivicError(_("The roll of round {key} no longer matches the attendance closed "
                           "in the audit log: it was changed outside civic.").format(
                               key=vround.key))


def close_attendance(change: Change, vround: VotingRound) -> dict[str, Any]:
    """Close attendance: the number present is fixed for the quorum, no attendance change
    follows, and ballots may now be entered. Returns registered, present and the digest."""
    vround.require_open()
    db = change.db
    require_attendance_open(db, vround)
    registered = _registered(db, vround)
    if not registered:
        raise CivicError(_("Round {key} has no roll of electors: load it before closing "
                           "attendance.").format(key=vround.key))
    result = {"registered": registered, "present": _present(db, vround),
              "attendance_digest": attendance_digest(db, vround)}
    change.record(AttendanceClosed(round=vround.key, **result))
    return result


def _registered(db: Database, vround: VotingRound) -> int:
    return db.execute("SELECT count(*) FROM voting_electors WHERE round = ?",
                      (vround.id,)).fetchone()[0]


def _present(db: Database, vround: VotingRound) -> int:
    return db.execute("SELECT coalesce(sum(present), 0) FROM voting_electors WHERE round = ?",
                      (vround.id,)).fetchone()[0]


def record_figures(change: Change, vround: VotingRound, issued: int, returned: int) -> None:
    """The ballots issued and returned, from the meeting record."""
    vround.require_open()
    if issued < 0 or returned < 0:
        raise CivicError(_("Elector and ballot numbers cannot be negative."))
    change.db.execute("UPDATE voting_rounds SET issued = ?, returned = ? WHERE id = ?",
                      (issued, returned, vround.id))
    change.record(BallotFiguresRecorded(round=vround.key, issued=issued, returned=returned))


def figures(db: Database, vround: VotingRound) -> RoundFigures:
    """Registered and present from the roll (once attendance is closed: it fixes the number
    present), issued and returned as recorded."""
    vround = get_round(db, vround.id)  # issued/returned may have changed since it was read
    require_attendance_closed(db, vround)
    if vround.issued is None or vround.returned is None:
        raise CivicError(_("Round {key}: record the ballots issued and returned first.")
                         .format(key=vround.key))
    return RoundFigures(_registered(db, vround), _present(db, vround), vround.issued,
                        vround.returned)


# --- entering ballots ------------------------------------------------------------------------

# Nine digits: far beyond any count of paper ballots, and inside SQLite's 64-bit integers (a
# bigger number would otherwise end the import with an OverflowError, not a row's problem).
MAX_BALLOT_DIGITS = 9
MAX_BALLOT_NUMBER = 10 ** MAX_BALLOT_DIGITS - 1


def ballot_number(text: str) -> int:
    """A ballot number as written: a whole number from 1 to MAX_BALLOT_NUMBER."""
    text = text.strip()
    digits = text.lstrip("0")
    # isascii: str.isdigit also takes "²" and other digits int() refuses; counting the digits
    # keeps int() off a 5,000-digit cell and bounds the number.
    if not (text.isascii() and text.isdigit()) or not 0 < len(digits) <= MAX_BALLOT_DIGITS:
        raise ValueError(_("a ballot number is a whole number from 1 to {max}").format(
            max=f"{MAX_BALLOT_NUMBER:,}"))
    return int(digits)


# The ballot column is checked by the importer when the number changes, not on every row.
BALLOT_SCHEMA = Schema([
    Column("ballot", ("票号", "选票编号", "选票号"), required=True),
    Column("position", ("职位", "岗位", "职位代码"), required=True),
    Column("choice", ("推荐人选", "人选", "候选人", "选择")),
])


class _BallotDigest:
    """`civic.audit.digest_rows` over (number, ((post, text), ...)) per ballot, fed one ballot
    at a time. The repr of each (post, text) is made once per distinct text, so a ballot's
    line is a join: the same bytes as repr((number, marks)), a third of the time."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, number: int, reprs: Sequence[str]) -> None:
        tail = "," if len(reprs) == 1 else ""
        self._h.update(f"({number!r}, ({', '.join(reprs)}{tail}))\n".encode())

    def hexdigest(self) -> str:
        return self._h.hexdigest()


BallotDigest = _BallotDigest  # the same digest for value ballots (civic.contests)


# A distinct text written for a post, as a BallotWriter holds it: (its voting_written id, its
# mark key, repr((post, text)) for the digest, the post, the `append` of its marks' bucket).
# A plain tuple: the import touches one per mark.
Entry = tuple[int, str, str, str, Callable[[int], None]]
_REPR = itemgetter(2)
_POST = itemgetter(3)

# Ballots go in as one JSON array of their numbers, and marks as one per written text, that
# SQLite unpacks: binding a million rows one by one took twice as long, and 40,000 ballots
# three times as long (each row a statement run, with its trigger).
_INSERT_BALLOTS = ("INSERT INTO voting_ballots (id, round, number)"
                   " SELECT ?1 + key, ?2, value FROM json_each(?3)")
_INSERT_MARKS = ("INSERT INTO voting_marks (round, written, shape, ballot, seq)"
                 " SELECT ?1, ?2, value >> 48, (value >> 16) & 4294967295, value & 65535"
                 " FROM json_each(?3)")
_INSERT_MARKS_ROWS = ("INSERT INTO voting_marks (round, written, shape, ballot, seq)"
                      " VALUES (?1, ?2, ?3 >> 48, (?3 >> 16) & 4294967295, ?3 & 65535)")


class BallotWriter:
    """Adds whole ballots to an open round, inside the caller's transaction.

    Ballots and marks are buffered (marks packed, per written text) and written by `close()`
    in the table's order; it returns what the audit entry needs. The digest is
    `digest_rows` over (number, ((post, text), ...)) per ballot, in entry order, marks in the
    order written (blanks left out): `ballots_digest` recomputes it from the database.
    """

    def __init__(self, db: Database, vround: VotingRound, resolve: Resolver) -> None:
        vround.require_open()
        require_attendance_closed(db, vround)  # every way in (file, keyed) passes here
        self.db, self.round, self.resolve = db, vround, resolve
        self.posts = frozenset(vround.positions)
        # voting_written id -> its marks, packed (see `add_entries`), until `close`
        self._buckets: dict[int, array] = {}
        # post -> text as written -> its Entry
        self.written: dict[str, dict[str, Entry]] = {p: {} for p in self.posts}
        for wid, post, text, key in db.execute(
                "SELECT id, position, text, mark_key FROM voting_written WHERE round = ?",
                (vround.id,)):
            self.written[post][text] = self._entry(wid, post, text, key)
        self._new_written: list[tuple[int, int, str, str, str]] = []
        # Ids are given here: the change holds the write lock (BEGIN IMMEDIATE) throughout.
        self._next_written = db.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM voting_written").fetchone()[0]
        self._first_ballot = next_ballot_id(db)
        self._new_numbers = array("q")  # the new ballots' numbers; their ids follow on
        self.numbers = {n for (n,) in db.execute(
            "SELECT number FROM voting_ballots WHERE round = ?", (vround.id,))}
        self._digest = _BallotDigest()
        self.marks = 0

    def _entry(self, wid: int, post: str, text: str, key: str) -> Entry:
        bucket = self._buckets[wid] = array("q")
        return (wid, key, repr((post, text)), post, bucket.append)

    def intern(self, post: str, text: str) -> Entry:
        """Resolve a text not met before for `post` (a post of the round) and hold it."""
        key = encode(self.resolve(post, text))
        wid = self._next_written
        self._next_written += 1
        entry = self.written[post][text] = self._entry(wid, post, text, key)
        self._new_written.append((wid, self.round.id, post, text, key))
        return entry

    def _check(self, number: int, marks: int) -> None:
        if number in self.numbers:
            raise CivicError(_("Ballot {number} is entered already.").format(number=number))
        if marks > MAX_SEQ:
            raise CivicError(_("Ballot {number} has more than {n} marks.").format(
                number=number, n=MAX_SEQ))

    def add(self, number: int, marks: Sequence[tuple[str, str]]) -> None:
        """One ballot: its marks as (post, text) in the order written, empty texts left out
        (a blank). Raises CivicError for a number entered already or an unknown post."""
        self._check(number, len(marks))
        tables, intern = self.written, self.intern
        try:
            entries = [tables[post].get(text) or intern(post, text) for post, text in marks]
        except KeyError as exc:
            raise CivicError(_("Ballot {number} names a position not voted on in this round:"
                               " {position}.").format(number=number, position=exc.args[0])
                             ) from None
        self.add_entries(number, entries)

    def add_entries(self, number: int, entries: Sequence[Entry]) -> None:
        """One ballot as the entries of its marks (`written[post][text]` or `intern`), in the
        order written; what `add` does once the texts are looked up."""
        self._check(number, len(entries))
        self.numbers.add(number)
        bid = self._first_ballot + len(self._new_numbers)
        self._new_numbers.append(number)
        self.marks += len(entries)
        self._digest.add(number, list(map(_REPR, entries)))
        # A mark is one int until `close`: shape << 48 | ballot id << 16 | seq.
        base = bid << 16
        one = _ONE | base
        posts = list(map(_POST, entries))
        if len(set(posts)) == len(posts):  # one mark per post: the rule
            for seq, entry in enumerate(entries):
                entry[4](one | seq)
            return
        # Only a section with more than one mark needs its figures worked out.
        repeated = {post for post, times in Counter(posts).items() if times > 1}
        sections: dict[str, list[tuple[int, Entry]]] = {}
        for seq, entry in enumerate(entries):
            if entry[3] in repeated:
                sections.setdefault(entry[3], []).append((seq, entry))
            else:
                entry[4](one | seq)
        for items in sections.values():
            n = min(len({entry[1] for _seq, entry in items}), MAX_SECTION)
            seen: set[str] = set()
            first = 1
            for seq, (_wid, key, _repr, _post, append) in items:
                dup = key in seen
                seen.add(key)
                append((n << 2 | dup << 1 | first) << 48 | base | seq)
                first = 0

    def close(self) -> dict[str, Any]:
        """Write the ballots and the buffered marks; return the batch's figures and digest.

        Marks go in the table's order (texts by id, each bucket sorted) and SQLite unpacks
        the packed values, so no Python runs per mark here."""
        conn = self.db.conn
        rid, first, numbers, buckets = (self.round.id, self._first_ballot, self._new_numbers,
                                        self._buckets)
        if _json_each_works(conn):
            conn.execute(_INSERT_BALLOTS, (first, rid, json.dumps(numbers.tolist())))
        else:
            conn.executemany("INSERT INTO voting_ballots (id, round, number) VALUES (?, ?, ?)",
                             zip(range(first, first + len(numbers)), repeat(rid), numbers))
        conn.executemany("INSERT INTO voting_written (id, round, position, text, mark_key)"
                         " VALUES (?, ?, ?, ?, ?)", self._new_written)
        insert_marks(conn, rid, buckets)
        result = {"ballots": len(numbers), "marks": self.marks,
                  "first_ballot": first if numbers else None,
                  "last_ballot": first + len(numbers) - 1 if numbers else None,
                  "rows_digest": self._digest.hexdigest()}
        self._first_ballot += len(numbers)
        self._new_numbers, self._new_written = array("q"), []
        for bucket in buckets.values():
            del bucket[:]  # emptied in place: the entries hold their `append`
        return result


def next_ballot_id(db: Database) -> int:
    """The id the next ballot of any round takes (AUTOINCREMENT's): writers give ids
    themselves, as the change holds the write lock (BEGIN IMMEDIATE) throughout."""
    return db.execute(
        "SELECT max(coalesce((SELECT max(id) FROM voting_ballots), 0), coalesce((SELECT seq"
        " FROM sqlite_sequence WHERE name = 'voting_ballots'), 0)) + 1").fetchone()[0]


def insert_marks(conn: sqlite3.Connection, rid: int, buckets: Mapping[int, array]) -> None:
    """Write a round's marks, each packed as shape << 48 | ballot id << 16 | seq in the
    bucket of its voting_written id: in the table's order (texts by id, each bucket sorted),
    unpacked by SQLite, so that no Python runs per mark here."""
    order = sorted(wid for wid, bucket in buckets.items() if bucket)
    if _json_each_works(conn):
        conn.executemany(_INSERT_MARKS, ((rid, wid, json.dumps(sorted(buckets[wid])))
                                         for wid in order))
    else:
        conn.executemany(_INSERT_MARKS_ROWS, chain.from_iterable(
            zip(repeat(rid), repeat(wid), sorted(buckets[wid])) for wid in order))


def _json_each_works(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM json_each('[]')")
    except sqlite3.OperationalError:  # an SQLite built without JSON (optional before 3.38)
        return False
    return True


def import_ballots(change: Change, vround: VotingRound, path: str | Path,
                   resolve: Resolver) -> dict[str, Any]:
    """Stream a ballot file (one row per mark: ballot, position, choice) into the round.

    Every problem in the file is collected and raised at the end (InputError), which undoes the
    whole import with the caller's transaction. An empty choice is a blank for that post.
    """
    path = Path(path)
    writer = BallotWriter(change.db, vround, resolve)
    tables, numbers, intern = writer.written, writer.numbers, writer.intern
    reader = read_rows(path, BALLOT_SCHEMA)
    report = reader.report
    closed: dict[int, int] = {}  # this file's ballots -> their first row, once another began
    written_as = None  # the ballot cell as written on the rows being read
    number = start = 0
    entries: list[Entry] = []  # the marks of the ballot being read
    add = entries.append
    skip = False  # the current ballot is refused: skip its rows
    # Hot loop (a row per mark): a mark is two dict lookups and an append. Texts are resolved
    # as they are met; a refused ballot's texts are never written, as its problem ends the
    # import with an InputError.
    for row, (ballot_cell, post, text) in reader.tuples():
        if ballot_cell != written_as:
            written_as = ballot_cell
            try:
                n = ballot_number(written_as)
            except ValueError as exc:
                report(row, "ballot", str(exc))
                n = -row  # a run of its own, never added
            if n != number:
                if number > 0 and not skip:
                    writer.add_entries(number, entries)
                if number:
                    closed[number] = start
                number, start, skip = n, row, n < 0
                entries.clear()
                if n in closed:
                    skip = True
                    report(row, "ballot", _(
                        "ballot {number} again, after other ballots (its rows begin at row"
                        " {row}); keep each ballot's rows together").format(
                            number=n, row=closed[n]))
                elif n in numbers:
                    skip = True
                    report(row, "ballot", _("ballot {number} is entered already")
                           .format(number=n))
        table = tables.get(post)
        if table is None:
            report(row, "position", _("not a position voted on in this round:"
                                      " {position}").format(position=post))
            skip = True
        if skip:
            continue
        if text is not None:
            add(table.get(text) or intern(post, text))
    if number > 0 and not skip:
        writer.add_entries(number, entries)
    result = writer.close()
    change.record(BallotsEntered(round=vround.key, source=path.name,
                                 file_sha256=file_sha256(path), **result))
    return result


def enter_ballots(change: Change, vround: VotingRound,
                  ballots: Iterable[tuple[int, Mapping[str, Sequence[str]]]],
                  resolve: Resolver, source: str = "keyed") -> dict[str, Any]:
    """Add keyed ballots (number, {post: [texts]}) as one audited batch."""
    writer = BallotWriter(change.db, vround, resolve)
    for number, sections in ballots:
        marks = [(post, text.strip()) for post in vround.positions
                 for text in sections.get(post, ()) if text.strip()]
        unknown = set(sections) - writer.posts
        if unknown:
            raise CivicError(_("Ballot {number} names a position not voted on in this"
                               " round: {position}.").format(number=number,
                                                            position=", ".join(sorted(unknown))))
        writer.add(number, marks)
    result = writer.close()
    change.record(BallotsEntered(round=vround.key, source=source, file_sha256=None, **result))
    return result


def delete_ballot(change: Change, vround: VotingRound, number: int, *, reason: str,
                  cosigner: Operator | None) -> int:
    """Take a wrongly entered ballot out of an open round, for a stated reason and with a
    supervisor's co-signature; returns how many marks it had. The audit entry keeps the
    ballot's content digest (as its entry batch computed it), not its content."""
    from civic.auth import require_cosigner

    vround.require_open()
    require_cosigner(change.office, cosigner, _("delete a ballot"))
    reason = " ".join(reason.split())
    if not reason:
        raise CivicError(_("Give the reason the ballot is deleted."))
    db = change.db
    row = db.execute("SELECT id FROM voting_ballots WHERE round = ? AND number = ?",
                     (vround.id, number)).fetchone()
    if row is None:
        raise CivicError(_("No ballot {number} in round {key}.").format(
            number=number, key=vround.key))
    digest = ballots_digest(db, vround, row[0], row[0])
    marks = db.execute("DELETE FROM voting_marks WHERE round = ? AND ballot = ?",
                       (vround.id, row[0])).rowcount
    db.execute("DELETE FROM voting_ballots WHERE id = ?", (row[0],))
    change.record(BallotDeleted(round=vround.key, number=number, marks=marks, reason=reason,
                                content_digest=digest), cosigner)
    return marks


def ballot(db: Database, vround: VotingRound, number: int) -> dict[str, list[str]] | None:
    """What one ballot says, {post: [texts]} in the order written; None if not entered."""
    row = db.execute("SELECT id FROM voting_ballots WHERE round = ? AND number = ?",
                     (vround.id, number)).fetchone()
    if row is None:
        return None
    out: dict[str, list[str]] = {p: [] for p in vround.positions}
    for post, text in db.execute(
            "SELECT w.position, w.text FROM voting_marks m JOIN voting_written w"
            " ON w.id = m.written WHERE m.round = ? AND m.ballot = ? ORDER BY m.seq",
            (vround.id, row[0])):
        out[post].append(text)
    return out


def ballots_digest(db: Database, vround: VotingRound, first: int | None = None,
                   last: int | None = None) -> str:
    """Recompute an entry batch's digest (ballot ids first..last), or the whole round's.

    Raises CivicError when a mark has lost its ballot or its text (marks carry no foreign keys).
    """
    lo, hi = first or 0, last if last is not None else 1 << 62
    reprs = {wid: mark_repr(post, value, grade, text) for wid, post, value, grade, text in
             db.execute("SELECT id, position, value, grade, text FROM voting_written"
                        " WHERE round = ?", (vround.id,))}
    numbers = db.execute("SELECT id, number, constituency FROM voting_ballots WHERE round = ?"
                         " AND id BETWEEN ? AND ? ORDER BY id", (vround.id, lo, hi)).fetchall()
    marks: dict[int, list[str]] = {bid: [] if where is None else [constituency_repr(where)]
                                   for bid, _number, where in numbers}
    try:
        for bid, wid in db.execute(
                "SELECT ballot, written FROM voting_marks WHERE round = ? AND ballot BETWEEN ?"
                " AND ? ORDER BY ballot, seq", (vround.id, lo, hi)):
            marks[bid].append(reprs[wid])
    except KeyError:
        raise CivicError(_("Round {key} holds a mark without its ballot or text: the database"
                           " was changed outside civic.").format(key=vround.key)) from None
    digest = _BallotDigest()
    for bid, number, _where in numbers:
        digest.add(number, marks[bid])
    return digest.hexdigest()


def mark_repr(post: str, value: str, grade: str, text: str) -> str:
    """A mark's line in a ballot digest: (post, text) for a name choice, as before value marks
    existed (so digests of rounds entered then still match); (post, value, grade, text) else."""
    return repr((post, text)) if value == "choice" else repr((post, value, grade, text))


def constituency_repr(code: str) -> str:
    """The first item of a ballot's digest line when the ballot carries a constituency."""
    return repr(("constituency", code))



# --- resolution after entry (adjudication) ---------------------------------------------------

def written(db: Database, vround: VotingRound, *, position: str | None = None,
            kinds: str = "=?!") -> list[dict[str, Any]]:
    """Distinct written texts with their mark and how many marks they are, by post and text.

    `kinds` picks by key tag: "?" the adjudication queue, "!" invalid, "=" candidates.
    """
    sql = ("SELECT w.id, w.position, w.text, w.mark_key,"
           " (SELECT count(*) FROM voting_marks m WHERE m.round = w.round AND m.written = w.id)"
           " AS marks FROM voting_written w WHERE w.round = ?")
    params: list[Any] = [vround.id]
    if position:
        sql += " AND w.position = ?"
        params.append(position)
    order = {p: i for i, p in enumerate(vround.positions)}
    rows = [dict(zip(("id", "position", "text", "key", "marks"), r, strict=True))
            for r in db.execute(sql, params) if r[3][0] in kinds]
    for r in rows:
        r["mark"] = decode(r.pop("key"))
    return sorted(rows, key=lambda r: (order.get(r["position"], 0), r["text"]))


def re_resolve(db: Database, vround: VotingRound, resolve: Resolver, *,
               position: str | None = None, texts: Iterable[str] | None = None) -> int:
    """Resolve written texts again (after an adjudication); returns how many marks changed.

    Only the texts whose mark changed are rewritten, and only their sections' figures are
    recomputed. Call inside a change; the caller records the event that explains why.
    """
    vround.require_open()
    # Only written names are resolved; a value mark names a listed candidate by code.
    sql = ("SELECT id, position, text, mark_key FROM voting_written WHERE round = ?"
           " AND value IN ('choice', 'write_in')")
    params: list[Any] = [vround.id]
    if position:
        sql += " AND position = ?"
        params.append(position)
    wanted = None if texts is None else set(texts)
    changed = []
    for wid, post, text, key in db.execute(sql, params).fetchall():
        if wanted is not None and text not in wanted:
            continue
        new = encode(resolve(post, text))
        if new != key:
            changed.append((new, wid))
    if not changed:
        return 0
    db.conn.executemany("UPDATE voting_written SET mark_key = ? WHERE id = ?", changed)
    return _restat(db, vround, [wid for _k, wid in changed])


def _restat(db: Database, vround: VotingRound, wids: Sequence[int]) -> int:
    """Recompute the shape of every mark in a section holding one of `wids`."""
    rid = vround.id
    marks_changed = 0
    ballots: set[int] = set()
    for wid in wids:
        found = [b for (b,) in db.execute(
            "SELECT ballot FROM voting_marks WHERE round = ? AND written = ?", (rid, wid))]
        marks_changed += len(found)
        ballots.update(found)
    holders = ",".join("?" * len(wids))
    posts = [p for (p,) in db.execute(
        f"SELECT DISTINCT position FROM voting_written WHERE id IN ({holders})", list(wids))]
    keys: dict[int, tuple[str, str]] = {}
    for post in posts:
        keys.update((wid, (post, key)) for wid, key in db.execute(
            "SELECT id, mark_key FROM voting_written WHERE round = ? AND position = ?",
            (rid, post)))
    sections: dict[tuple[int, str], list[tuple[int, int, int]]] = {}
    for wid, (post, _key) in keys.items():
        for shape, bid, seq in db.execute(
                "SELECT shape, ballot, seq FROM voting_marks WHERE round = ? AND written = ?",
                (rid, wid)):
            if bid in ballots:
                sections.setdefault((bid, post), []).append((seq, wid, shape))
    stale, fresh = [], []
    for (bid, _post), items in sections.items():
        items.sort()
        n = len({keys[wid][1] for _seq, wid, _shape in items})
        seen: set[str] = set()
        for i, (seq, wid, old) in enumerate(items):
            key = keys[wid][1]
            new = shape_of(n, key in seen, i == 0)
            seen.add(key)
            if new != old:
                stale.append((rid, wid, old, bid, seq))
                fresh.append((rid, wid, new, bid, seq))
    db.conn.executemany("DELETE FROM voting_marks WHERE round = ? AND written = ? AND shape = ?"
                        " AND ballot = ? AND seq = ?", stale)
    db.conn.executemany("INSERT INTO voting_marks (round, written, shape, ballot, seq)"
                        " VALUES (?, ?, ?, ?, ?)", fresh)
    return marks_changed


# --- counting --------------------------------------------------------------------------------

COUNT_SQL = ("SELECT written, shape, count(*) FROM voting_marks WHERE round = ?"
             " GROUP BY written, shape")


def over_voted(db: Database, vround: VotingRound, allowed: int) -> dict[str, int]:
    """Sections of the round's ballots with more marks than `allowed`, by post: the count
    makes them invalid (none of their marks counts), so the office hears of them at import."""
    texts = {wid: post for wid, post in db.execute(
        "SELECT id, position FROM voting_written WHERE round = ?", (vround.id,))}
    found: dict[str, int] = {}
    for wid, shape, c in db.execute(COUNT_SQL, (vround.id,)):
        if shape & 1 and shape >> 2 > allowed:
            found[texts[wid]] = found.get(texts[wid], 0) + c
    return found


def count(db: Database, vround: VotingRound, rules: CountRules, *,
          candidates: Mapping[str, Iterable[str]] | None = None,
          figures: RoundFigures | None = None) -> dict[str, PostCount]:
    """Count every post of the round from one ordered GROUP BY (see the module docstring)."""
    from civic.voting import count_from_aggregates

    allowed = rules.marks_allowed
    ballots = db.execute("SELECT count(*) FROM voting_ballots WHERE round = ?",
                         (vround.id,)).fetchone()[0]
    texts = {wid: (post, key) for wid, post, key in db.execute(
        "SELECT id, position, mark_key FROM voting_written WHERE round = ?", (vround.id,))}
    per_post = {p: {"marked": 0, "over_s": 0, "over_m": 0, "tallies": {}}
                for p in vround.positions}
    for wid, shape, c in db.execute(COUNT_SQL, (vround.id,)):
        post, key = texts[wid]
        acc = per_post[post]
        first = shape & 1
        if first:
            acc["marked"] += c
        if shape >> 2 > allowed:  # type: ignore[operator]
            acc["over_m"] += c
            if first:
                acc["over_s"] += c
            continue
        tally = acc["tallies"].setdefault(key, [0, 0])
        tally[1] += c
        if not shape & 2:
            tally[0] += c
    slates = candidates or {}
    return {
        post: count_from_aggregates(
            post, rules, ballots=ballots, marked=acc["marked"],
            over_voted_sections=acc["over_s"], over_voted_marks=acc["over_m"],
            tallies=[(decode(k), s, r) for k, (s, r) in acc["tallies"].items()],
            candidates=slates.get(post, ()), figures=figures)
        for post, acc in per_post.items()
    }
