"""An audit entry's or a notice's subject as the operator reads it.

Subjects are stored as codes (`person:C00001`, `table:people`, `nomination:1:1`): they are
hashed into the audit chain and filtered on, so they stay as they are. Every screen and the
CLI's text output show them through `describe`: core words its own kinds here, a plugin words
the subjects it writes with the `describe_subject` hook, and anything unknown is shown raw.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from civic.i18n import N_, _

TABLES = {"people": N_("the people register"), "units": N_("the units register"),
          "positions": N_("the positions register")}


def lookup(db: Any, sql: str, *params: Any) -> Any:
    """The first row `sql` finds, or None: for a plugin's `describe_subject` reading the title
    of the thing a subject names (a missing table, in a bare test database, is None too)."""
    try:
        return db.execute(sql, list(params)).fetchone()
    except sqlite3.Error:
        return None


def _core(db: Any, pm: Any, kind: str, rest: str) -> str | None:
    """Core's own subjects; None for one it does not write."""
    if kind == "person" and rest:
        row = lookup(db, "SELECT name FROM people WHERE code = ?", rest)
        return f"{row[0]} ({rest})" if row else None
    if kind == "position" and rest:
        row = lookup(db, "SELECT title FROM positions WHERE code = ?", rest)
        return f"{row[0]} ({rest})" if row else None
    if kind == "unit" and rest:
        row = lookup(db, "SELECT name FROM units WHERE code = ?", rest)
        return f"{row[0]} ({rest})" if row else None
    if kind == "notice" and rest:
        row = lookup(db, "SELECT title FROM notices WHERE id = ?", rest)
        return _("notice No. {id}: {title}").format(id=rest, title=row[0]) if row else None
    if kind == "table" and rest in TABLES:
        return _(TABLES[rest])
    if kind == "operator" and rest:
        return _("operator {name}").format(name=rest)
    if kind == "setting" and rest:
        from civic.rule_settings import rule_settings

        found = rule_settings(pm).get(rest)
        return _("setting: {title}").format(title=_(found.title)) if found else None
    if kind == "action" and rest:
        from civic.actions import declared

        action = declared(pm).get(rest)
        return _("permission: {title}").format(title=action.label()) if action else None
    if kind == "round" and rest:
        # A voting round's key is its plugin's (nomination:1:1, election:7:1): worded by it.
        matter = describe(db, pm, rest)
        return _("ballots of {matter}").format(matter=matter) if matter != rest else None
    if not rest:
        return {"database": _("the office database"), "audit": _("the audit log"),
                "security": _("operators and settings")}.get(kind)
    return None


def describe(db: Any, pm: Any, subject: str | None) -> str:
    """`subject` in the current language; the raw string when nobody words it."""
    if not subject:
        return ""
    kind, _sep, rest = subject.partition(":")
    try:
        worded = _core(db, pm, kind, rest)
        if worded is None and pm is not None:
            worded = pm.hook.describe_subject(db=db, subject=subject)
    except Exception:  # a plugin's wording must never hide the entry it describes
        worded = None
    return worded or subject


def describer(db: Any, pm: Any) -> Callable[[str | None], str]:
    """`describe` remembered per subject: a page of audit rows names the same few subjects."""
    seen: dict[str | None, str] = {}

    def word(subject: str | None) -> str:
        if subject not in seen:
            seen[subject] = describe(db, pm, subject)
        return seen[subject]

    return word


# --- an audit entry's payload, as the operator reads it ------------------------------------
#
# Field labels by field name, shared by every event with a field of that name; an event class
# words a field of its own with `LABELS = {"field": N_("label")}` (a ClassVar), which wins.
FIELD_LABELS = {
    "action": N_("action"), "added": N_("added"), "admin": N_("administrator"),
    "audit_log": N_("audit log entries"), "people": N_("people"),
    "vacancies": N_("vacancies"),
    "advancing": N_("advancing"), "appointments": N_("appointments"),
    "approval": N_("approval"), "attempt": N_("attempt"),
    "attendance_digest": N_("attendance digest"), "ballots": N_("ballots"),
    "ballots_digest": N_("ballots digest"), "barred_until": N_("barred until"),
    "basis": N_("basis"), "basis_kind": N_("kind of basis"), "basis_ref": N_("basis"),
    "batch": N_("batch"), "bodies": N_("bodies"), "candidates": N_("candidates"),
    "case": N_("case"), "cases": N_("cases"), "category": N_("category"),
    "ceilings": N_("ceilings"), "chain_entry": N_("chain entry"),
    "chain_head": N_("chain head"), "changed": N_("changed"), "channel": N_("channel"),
    "choices": N_("choices"), "confirmed_on": N_("confirmed on"),
    "constituencies": N_("constituencies"), "constituency": N_("constituency"),
    "content": N_("content"), "content_digest": N_("content digest"),
    "contests": N_("contests"), "components": N_("components"), "counts": N_("counts"),
    "cutoff": N_("cut-off date"), "day": N_("day"), "deadline": N_("deadline"),
    "decided_on": N_("decided on"), "destination": N_("destination"),
    "detail": N_("detail"), "digest": N_("digest"), "draw_groups": N_("draw groups"),
    "dropped": N_("dropped"), "due": N_("due"), "edition": N_("edition"),
    "effective": N_("effective"), "elected": N_("elected"), "election": N_("election"),
    "elections": N_("elections"), "electors": N_("electors"), "ended_on": N_("ended on"),
    "ends": N_("ends"), "ends_on": N_("ends on"), "entry": N_("entry"),
    "evaluation": N_("evaluation"), "expires": N_("expires"), "fact": N_("fact"),
    "factors": N_("factors"), "fields": N_("fields"), "file": N_("file"),
    "file_sha256": N_("file SHA-256"), "first_ballot": N_("first ballot"),
    "form": N_("form"), "forms": N_("forms"), "framework": N_("framework"),
    "gates": N_("gates"), "grade": N_("grade"), "grades": N_("grades"),
    "groups": N_("groups"), "half_days": N_("half-days"), "handling": N_("handling"),
    "head": N_("head"), "host": N_("host"), "hours": N_("hours"),
    "inputs_digest": N_("inputs digest"), "inspection": N_("inspection"),
    "invalid": N_("invalid"), "issued": N_("issued"), "item": N_("item"),
    "key": N_("key"), "key_id": N_("key ID"), "kind": N_("kind"),
    "last_ballot": N_("last ballot"), "marks": N_("marks"), "meeting": N_("meeting"),
    "met": N_("met"), "mode": N_("mode"), "name": N_("name"), "nomination": N_("nomination"),
    "not_held": N_("not held"), "not_scored": N_("not scored"), "note": N_("note"),
    "notice": N_("notice"), "notice_first": N_("notice first"), "number": N_("number"),
    "numbers": N_("numbers"), "objection": N_("objection"), "objections": N_("objections"),
    "officer": N_("officer"), "officers": N_("officers"), "old": N_("previous value"),
    "on": N_("on"), "opened_on": N_("opened on"), "operators": N_("operators"),
    "order": N_("order"), "outcome": N_("outcome"), "pack": N_("rule pack"),
    "panel": N_("panel"), "parent": N_("parent"), "passed": N_("passed"),
    "password": N_("password"), "people_added": N_("people added"),
    "people_updated": N_("people updated"), "period_days": N_("period in working days"),
    "person": N_("person"), "placed": N_("placed"), "plugins": N_("plugins"),
    "position": N_("position"), "positions": N_("positions"), "posts": N_("posts"),
    "present": N_("present"), "programme": N_("programme"), "proposal": N_("proposal"),
    "published_on": N_("published on"), "reason": N_("reason"), "recall": N_("recall"),
    "received_on": N_("received on"), "reference_date": N_("reference date"),
    "registered": N_("registered"), "report_due": N_("report due"),
    "report_sha256": N_("report SHA-256"), "reported_on": N_("reported on"),
    "reserve": N_("reserve"), "resolved_by": N_("resolved by"),
    "resolved_on": N_("resolved on"), "respondents": N_("respondents"),
    "result_digest": N_("result digest"), "returned": N_("returned"), "role": N_("role"),
    "roles": N_("roles"), "round": N_("round"), "rounding": N_("rounding"),
    "rows": N_("rows"), "rows_digest": N_("rows digest"), "rule": N_("rule"),
    "run": N_("run"), "scored": N_("scored"), "seats": N_("seats"), "seed": N_("seed"),
    "session": N_("session"), "settings": N_("settings"), "setup_expires": N_("setup expires"),
    "sha256": N_("SHA-256"), "short": N_("short"), "signature": N_("signature"),
    "signers": N_("signers"), "slate": N_("slate"), "source": N_("source"),
    "source_plugin": N_("source plugin"), "source_ref": N_("source"),
    "starts": N_("starts"), "starts_on": N_("starts on"), "state": N_("state digest"),
    "status": N_("status"), "step": N_("step"), "still_tied": N_("still tied"),
    "subject_ref": N_("subject"), "superseded_by": N_("superseded by"),
    "table": N_("table"), "target": N_("target"), "task": N_("task"), "team": N_("team"),
    "term": N_("term"), "text": N_("text"), "tied": N_("tied"), "title": N_("title"),
    "total_present": N_("total present"), "trigger": N_("trigger"), "turn": N_("turn"),
    "unchanged": N_("unchanged"), "unit": N_("unit"), "units": N_("units"),
    "unplaced": N_("unplaced"), "until": N_("until"), "updated": N_("updated"),
    "valid": N_("valid"), "valid_from": N_("valid from"), "value": N_("value"),
    "values": N_("values"), "version": N_("version"), "voting_round": N_("voting round"),
    "votes": N_("votes"), "what": N_("what"), "why": N_("why"), "withdrawn": N_("withdrawn"),
    "written": N_("written"), "year": N_("year"),
}

# Fields that hold what someone typed or a name: shown as they are, never read as a code.
FREE_TEXT = frozenset({"name", "title", "text", "content", "reason", "note", "handling",
                       "file", "resolved_by", "detail", "why", "what", "heading", "summary",
                       "host", "destination", "team", "meeting", "item", "outcome", "trigger"})
SHOWN = 400  # a long list (an import's every code) is cut: the raw JSON keeps it whole


def field_label(event_class: Any, name: str) -> str:
    """A payload field's label: the event's own (`LABELS`), else core's, else the name."""
    own = getattr(event_class, "LABELS", None) or {}
    msgid = own.get(name) or FIELD_LABELS.get(name)
    return _(msgid) if msgid else name.replace("_", " ")


def field_value(word: Callable[[str | None], str], name: str, value: Any,
                owner: str | None = None) -> str:
    """A payload value worded where it is a code: a person's code as their name, a subject
    (`nomination:1:1`) as its words, a stored word (`serving`, a role) in the language; with
    `owner` (the plugin that wrote the event) a record's number as what it names."""
    from civic.audit import canonical_json
    from civic.vocabulary import label

    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        kind = {"person": "person", "officer": "person", "position": "position",
                "unit": "unit"}.get(name)
        if kind is not None:  # a registry code: the person, post or unit it names
            worded = word(f"{kind}:{value}")
            return worded if worded != f"{kind}:{value}" else value
        if name in FREE_TEXT:
            return value
        if name == "table" and value in TABLES:
            return _(TABLES[value])
        if ":" in value:
            return word(value)
        return label(value)
    if isinstance(value, int) and owner is not None:
        # A number naming a record: the subject it would be (nomination:5, election-term:3,
        # accountability:case:7), worded by whoever writes that subject.
        for subject in (f"{name}:{value}", f"{owner}-{name}:{value}",
                        f"{owner}:{name}:{value}"):
            worded = word(subject)
            if worded != subject:
                return worded
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ", ".join(str(v) for v in value)  # codes listed: no JSON brackets and quotes
    elif isinstance(value, dict) and all(isinstance(v, str | int | float)
                                         for v in value.values()):
        text = ", ".join(f"{_dict_key(k)} {v}" for k, v in value.items())
    else:
        text = str(value) if isinstance(value, int | float) else canonical_json(value)
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


def _dict_key(key: str) -> str:
    """A key inside a payload's mapping (the demo's counts by table): a field's label, else a
    stored word, else as stored."""
    from civic.vocabulary import label

    msgid = FIELD_LABELS.get(key)
    return _(msgid) if msgid else label(key)


def payload_rows(db: Any, pm: Any, type_name: str, data: dict[str, Any],
                 word: Callable[[str | None], str] | None = None) -> list[tuple[str, str]]:
    """An entry's payload as (label, value) rows in the current language, in the event's
    field order (a field no loaded event declares follows, by name)."""
    import dataclasses

    from civic.events import event_types

    cls = event_types(pm).get(type_name) if pm is not None else None
    word = word or describer(db, pm)
    order = ([f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
             if cls is not None else [])
    names = [n for n in order if n in data] + sorted(n for n in data if n not in order)
    owner = type_name.split(".")[0]
    return [(field_label(cls, n), field_value(word, n, data[n], owner)) for n in names]
