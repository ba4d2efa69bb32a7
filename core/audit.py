"""The tamper-evident audit log: typed events, a hash chain, and its verification.

Each row's hash covers every column of the row (not the payload alone, as first sketched),
so that a changed actor, time or type is caught as surely as a changed payload:
    hash = sha256(prev_hash "\\n" id "\\x1f" time "\\x1f" actor "\\x1f" cosigner "\\x1f"
                  type "\\x1f" subject "\\x1f" payload)
over the stored UTF-8 text, so verification re-reads stored bytes and never re-serialises.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _

GENESIS = "0" * 64
SEP = "\x1f"
ACTOR_MAX = 64  # characters of an actor or co-signer name kept in the log


def clean_actor(text: str | None) -> str:
    """An actor string fit for the append-only log: no control or format characters (a
    dropped Tab must not smuggle text in), no surrounding space, at most ACTOR_MAX chars."""
    kept = "".join(c for c in (text or "") if not unicodedata.category(c).startswith("C"))
    kept = kept.strip()
    return kept if len(kept) <= ACTOR_MAX else kept[:ACTOR_MAX - 1] + "…"


class Event:
    """Base of all audit events. Subclasses are dataclasses with a unique `type` ClassVar."""

    type: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""  # msgid: what an entry of this type records, said for people

    def subject(self) -> str:
        return ""

    def payload(self) -> dict[str, Any]:
        # The fields as they are: canonical_json writes nested dataclasses, tuples and sets
        # itself (_default), so the text is the same as of `dataclasses.asdict`, without its
        # deep copy of every value (a tenth of an audited change's CPU in the demo's 4,267).
        return _fields(self)


class EventTypes:
    """Registry of event classes by type name; plugins add theirs via `register_event_types`."""

    def __init__(self) -> None:
        self._types: dict[str, type[Event]] = {}

    def register(self, cls: type[Event]) -> type[Event]:
        if not cls.type:
            raise ValueError(f"{cls.__name__} has no type name")
        other = self._types.get(cls.type)
        if other is not None and other is not cls:
            raise ValueError(f"event type {cls.type!r} registered twice")
        self._types[cls.type] = cls
        return cls

    def get(self, name: str) -> type[Event] | None:
        return self._types.get(name)

    def names(self) -> list[str]:
        return sorted(self._types)

    def matching(self, text: str) -> list[str]:
        """Type names an operator's filter text stands for: those that start with it (the
        stored name, e.g. `core.notice`) and those whose title in the current language holds
        it (e.g. 添加经办人 or "operator added"), case aside."""
        words = text.casefold()
        return [n for n in sorted(self._types)
                if n.startswith(text) or words in self.title(n).casefold()]

    def title(self, name: str) -> str:
        """What an entry of type `name` records, in the current language; the type name
        itself for a type no loaded code knows (a plugin since removed) or without a title."""
        cls = self._types.get(name)
        return _(cls.TITLE) if cls is not None and cls.TITLE else name


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    raise TypeError(f"cannot serialise {type(value).__name__} in an audit payload")


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass instance's fields by name, one level deep (`dataclasses.asdict` without
    the recursion and the copies; canonical_json reaches what is nested)."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def canonical_json(obj: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text kept: one byte string per value."""
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default
    )


def digest_rows(rows: Iterator[tuple] | list[tuple]) -> str:
    """sha256 over rows, for batch-level entries that vouch for many rows (e.g. an import)."""
    h = hashlib.sha256()
    for row in rows:
        h.update(repr(tuple(row)).encode())
        h.update(b"\n")
    return h.hexdigest()


def entry_hash(prev_hash: str, id_: int, time: str, actor: str, cosigner: str | None,
               type_: str, subject: str, payload: str) -> str:
    body = SEP.join((str(id_), time, actor, cosigner or "", type_, subject, payload))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: str
    actor: str
    cosigner: str | None
    type: str
    subject: str
    payload: str
    prev_hash: str
    hash: str

    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["payload"] = self.data()
        return d


def head(db: Database) -> tuple[int, str]:
    """The id and hash of the last entry (0 and the genesis hash for an empty log)."""
    row = db.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(db: Database, *, actor: str, event: Event, time: str,
           cosigner: str | None = None) -> AuditEntry:
    """Append one entry. Call inside the transaction that makes the change it records."""
    if not db.conn.in_transaction:
        raise RuntimeError("audit.append must run inside the change's transaction")
    actor = clean_actor(actor) or "?"
    cosigner = clean_actor(cosigner) or None
    last_id, prev = head(db)
    id_ = last_id + 1
    payload = canonical_json(event.payload())
    subject = event.subject()
    h = entry_hash(prev, id_, time, actor, cosigner, event.type, subject, payload)
    db.execute(
        "INSERT INTO audit_log (id, time, actor, cosigner, type, subject, payload, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (id_, time, actor, cosigner, event.type, subject, payload, prev, h),
    )
    return AuditEntry(id_, time, actor, cosigner, event.type, subject, payload, prev, h)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    head: str
    broken_at: int | None = None
    reason: str | None = None
    security: tuple[str, ...] = ()  # security rows that differ from their audited state

    def message(self) -> str:
        """What went wrong, in words (empty when the chain and the security tables hold)."""
        if self.broken_at is not None:
            return _("Chain BROKEN at entry {id}: {reason}").format(id=self.broken_at,
                                                                   reason=self.reason)
        if self.security:
            return _("Security tables changed outside civic: {problems}").format(
                problems="; ".join(self.security))
        return ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# Text columns are read as the bytes stored, never decoded: hashing what is on disk is what
# the chain vouches for, it is faster, and a flipped byte that leaves invalid UTF-8 is then a
# changed entry to report, not a decode error that stops verification.
_VERIFY_SQL = (
    "SELECT id, CAST(time AS BLOB), CAST(actor AS BLOB), CAST(cosigner AS BLOB),"
    " CAST(type AS BLOB), CAST(subject AS BLOB), CAST(payload AS BLOB),"
    " CAST(prev_hash AS BLOB), CAST(hash AS BLOB) FROM audit_log ORDER BY id"
)


def verify(db: Database, progress: Callable[[int, int], None] | None = None) -> VerifyResult:
    """Recompute the chain from the start; name the first entry whose link or hash fails."""
    total = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    prev = GENESIS.encode()
    expected_id = 1
    count = 0
    sha = hashlib.sha256
    sep = SEP.encode()
    cur = db.execute(_VERIFY_SQL)

    def broken(id_: int, reason: str) -> VerifyResult:
        return VerifyResult(False, count, prev.decode("ascii", "replace"), id_, reason)

    while True:
        rows = cur.fetchmany(4096)
        if not rows:
            break
        for id_, time, actor, cosigner, type_, subject, payload, prev_hash, stored in rows:
            if id_ != expected_id:
                return broken(expected_id, _("entry {id} is missing").format(id=expected_id))
            if prev_hash != prev:
                return broken(id_, _("entry {id} does not link to the entry before it")
                              .format(id=id_))
            try:
                body = sep.join((b"%d" % id_, time, actor, cosigner or b"", type_, subject,
                                 payload))
            except TypeError:  # a NULL where the schema forbids one: the table was rebuilt
                body = None
            if body is None or sha(prev + b"\n" + body).hexdigest().encode() != stored:
                return broken(id_, _("entry {id} was changed after it was written")
                              .format(id=id_))
            prev = stored
            expected_id += 1
            count += 1
        if progress:
            progress(count, total)
    problems = verify_security(db)
    if problems:
        return VerifyResult(False, count, prev.decode("ascii"), None, "; ".join(problems),
                            tuple(problems))
    return VerifyResult(True, count, prev.decode("ascii"))


# --- the security tables --------------------------------------------------------------------
# Operators (their roles, password and setup-code hashes, active flags) and settings (rule
# settings among them) decide who may do what; the chain vouches for them too. Every change to
# an operator is an event whose payload carries `state`, the digest of the row as written
# (None once gone); every change to a setting is a `core.setting_changed` whose payload holds
# the new value. `core.security_sealed` records both for files that predate these digests.
# `verify_security` compares the rows as they are with the last audited state of each.

OPERATOR_COLUMNS = ("name", "role", "password_hash", "setup_hash", "setup_expires", "active")
SEALED = "core.security_sealed"
SETTING_CHANGED = "core.setting_changed"


def operator_state(db: Database, name: str) -> str | None:
    """The digest of operator `name`'s row as stored now (None when there is no such row)."""
    row = db.execute(f"SELECT {', '.join(OPERATOR_COLUMNS)} FROM operators WHERE name = ?",
                     (name,)).fetchone()
    return state_digest(row) if row else None


def state_digest(row: tuple | list) -> str:
    return hashlib.sha256(canonical_json(list(row)).encode()).hexdigest()


def security_rows(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    """Operators' digests and settings' values as stored now."""
    ops = {row[0]: state_digest(row) for row in db.execute(
        f"SELECT {', '.join(OPERATOR_COLUMNS)} FROM operators")}
    values = {k: v for k, v in db.execute("SELECT key, value FROM settings")}
    return ops, values


def verify_security(db: Database) -> list[str]:
    """Each operator and setting whose row differs from its last audited state, in words."""
    audited_ops: dict[str, str | None] = {}
    audited_settings: dict[str, str | None] = {}
    cur = db.execute(
        "SELECT type, subject, payload FROM audit_log WHERE type = ? OR type = ? OR"
        " (subject >= 'operator:' AND subject < 'operator;') ORDER BY id",
        (SEALED, SETTING_CHANGED))
    for type_, subject, payload in cur:
        try:
            data = json.loads(payload)
        except ValueError:
            continue  # the chain check names a garbled entry; here it vouches for nothing
        if type_ == SEALED:
            audited_ops.update(data.get("operators", {}))
            audited_settings.update(data.get("settings", {}))
        elif type_ == SETTING_CHANGED:
            audited_settings[data.get("key", "")] = data.get("value")
        elif "state" in data:
            audited_ops[subject.split(":", 1)[1]] = data["state"]
    ops, values = security_rows(db)
    problems = []
    for name in sorted(set(ops) | {n for n, s in audited_ops.items() if s is not None}):
        if name not in audited_ops:
            problems.append(_("operator {name} was added outside civic").format(name=name))
        elif name not in ops:
            problems.append(_("operator {name} was removed outside civic").format(name=name))
        elif ops[name] != audited_ops[name]:
            problems.append(_("operator {name} (role, password, setup code or active flag) was "
                              "changed outside civic").format(name=name))
    for key in sorted(set(values) | {k for k, v in audited_settings.items() if v is not None}):
        if values.get(key) != audited_settings.get(key):
            problems.append(_("setting {key} was changed outside civic").format(key=key))
    return problems


def _filter(type_prefix: str | None, subject: str | None, actor: str | None,
            types: Sequence[str] | None) -> tuple[str, list[Any]]:
    """The WHERE clause of `entries` and `count_entries`: a type that starts with
    `type_prefix` or is one of `types`, an exact subject, an actor."""
    where: list[str] = []
    params: list[Any] = []
    kinds = []
    if type_prefix:
        kinds.append("type LIKE ?")
        params.append(type_prefix + "%")
    if types:
        kinds.append(f"type IN ({','.join('?' * len(types))})")
        params += types
    if kinds:
        where.append("(" + " OR ".join(kinds) + ")")
    if subject:
        where.append("subject = ?")
        params.append(subject)
    if actor:
        where.append("actor = ?")
        params.append(actor)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def count_entries(db: Database, *, type_prefix: str | None = None,
                  subject: str | None = None, actor: str | None = None,
                  types: Sequence[str] | None = None) -> int:
    """How many entries `entries` would list with the same filter and no limit."""
    where, params = _filter(type_prefix, subject, actor, types)
    return db.execute("SELECT count(*) FROM audit_log" + where, params).fetchone()[0]


def entries(db: Database, *, type_prefix: str | None = None, subject: str | None = None,
            actor: str | None = None, limit: int | None = None, offset: int = 0,
            newest_first: bool = True, types: Sequence[str] | None = None) -> list[AuditEntry]:
    where, params = _filter(type_prefix, subject, actor, types)
    sql = ("SELECT id, time, actor, cosigner, type, subject, payload, prev_hash, hash"
           " FROM audit_log" + where)
    sql += " ORDER BY id " + ("DESC" if newest_first else "ASC")
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [AuditEntry(*row) for row in db.execute(sql, params)]


def require_entry(db: Database, id_: int) -> AuditEntry:
    row = db.execute(
        "SELECT id, time, actor, cosigner, type, subject, payload, prev_hash, hash"
        " FROM audit_log WHERE id = ?", (id_,)).fetchone()
    if row is None:
        raise CivicError(_("No audit entry {id}.").format(id=id_))
    return AuditEntry(*row)
