"""Setting a batch up: create it, give it a scheme, import its three files, pre-assign.

All of these are refused once the batch has run (or its live room has opened): the inputs of
a decided batch stay what they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from civic.audit import digest_rows
from civic.auth import CHANGE_ROLES
from civic.errors import CivicError, InputError, InputProblem, PermissionDenied
from civic.i18n import _
from civic.office import Office
from civic.plugins.placement import events as ev
from civic.plugins.placement import store
from civic.plugins.placement.files import read_officers, read_posts, read_preferences
from civic.plugins.placement.migrations import MODES
from civic.plugins.placement.rules import TAG, civil_rank, reasons_text, word
from civic.registry import positions as registry_positions
from civic.scoring import load_scheme


def require_changer(office: Office, action: str) -> None:
    actor = office.actor
    if actor is not None and actor.role not in CHANGE_ROLES:
        raise PermissionDenied(_("{name} is a {role} and may not {action}.").format(
            name=actor.name, role=_(actor.role), action=action))


def editable(office: Office, batch_id: int, action: str) -> dict[str, Any]:
    require_changer(office, action)
    batch = store.get_batch(office.db, batch_id)
    if batch["status"] != "setup":
        raise CivicError(_("Batch {id} is {status}: its inputs can no longer change.").format(
            id=batch_id, status=word(batch["status"])))
    return batch


def new_batch(office: Office, title: str, cutoff: dt.date, mode: str = "sealed",
              seed: int | None = None) -> int:
    require_changer(office, _("create a placement batch"))
    if mode not in MODES:
        raise CivicError(_("Mode must be one of {modes}.").format(modes=", ".join(MODES)))
    if not title.strip():
        raise CivicError(_("A batch needs a title."))
    with office.change() as change:
        cur = office.db.execute(
            "INSERT INTO placement_batches (title, cutoff, mode, seed, created_on)"
            " VALUES (?, ?, ?, ?, ?)",
            (title.strip(), cutoff.isoformat(), mode, seed, office.today().isoformat()))
        batch_id = int(cur.lastrowid)
        entry = change.record(ev.BatchCreated(batch=batch_id, title=title.strip(),
                                              cutoff=cutoff.isoformat(), mode=mode, seed=seed))
        office.db.execute("UPDATE placement_batches SET created_audit = ? WHERE id = ?",
                          (entry.id, batch_id))
    return batch_id


def set_scheme(office: Office, batch_id: int, path: str | Path) -> dict[str, Any]:
    """Give the batch its scoring scheme (TOML, docs/scoring.md); officers already imported
    must still be scorable under it, or nothing changes."""
    batch = editable(office, batch_id, _("set a batch's scheme"))
    path = Path(path)
    scheme = load_scheme(path)
    text = path.read_text(encoding="utf-8-sig")
    cutoff = dt.date.fromisoformat(batch["cutoff"])
    problems = [InputProblem(path.name, None, column, f"{code}: {reason}")
                for code, record in store.officers(office.db, batch_id).items()
                for column, reason in scheme.problems(record, cutoff)]
    if problems:
        raise InputError(problems)
    sha = hashlib.sha256(text.encode()).hexdigest()
    with office.change() as change:
        office.db.execute(
            "UPDATE placement_batches SET scheme_name = ?, scheme_text = ?, scheme_sha256 = ?"
            " WHERE id = ?", (scheme.name, text, sha, batch_id))
        change.record(ev.SchemeSet(batch=batch_id, name=scheme.name, sha256=sha,
                                   components=[c.name for c in scheme.components]))
    return {"batch": batch_id, "name": scheme.name, "sha256": sha,
            "components": [c.name for c in scheme.components]}


# --- officers ------------------------------------------------------------------------------

_PEOPLE_FIELDS = ("name", "gender", "birth_date", "ethnicity", "native_place", "education",
                  "party")


def _person(record: dict[str, Any]) -> dict[str, Any]:
    """The people-registry fields an officer's row gives (rank: the civilian equivalent)."""
    values = {k: record.get(k) for k in _PEOPLE_FIELDS if record.get(k) is not None}
    rank = civil_rank(record.get("rank"))
    if rank is not None:
        values["rank"] = rank
        if record.get("rank_date"):
            from civic.scoring import to_date

            try:
                values["rank_since"] = to_date(record["rank_date"]).isoformat()
            except ValueError:
                pass
    return values


def import_officers(office: Office, batch_id: int, path: str | Path) -> dict[str, Any]:
    """Replace the batch's officers with the file's. Each officer is entered in (or updated
    in) the people registry, tagged 军转干部, so the core qualification conditions apply and
    the certified placement is recorded as an appointment."""
    batch = editable(office, batch_id, _("import officers"))
    scheme = store.scheme_of(batch)
    if scheme is None:
        raise CivicError(_("Set the batch's scoring scheme first: its columns define the file."))
    db = office.db
    names = dict(db.execute("SELECT code, name FROM people"))
    read = read_officers(path, scheme, dt.date.fromisoformat(batch["cutoff"]), names)
    existing = {r["code"]: r for r in db.query("SELECT * FROM people")}
    added, updated = [], {}
    codes = [row["code"] for row in read.rows]
    with office.change() as change:
        dropped = _drop_references(db, batch_id, "officer", codes)
        _delete_missing(db, "placement_officers", "code", batch_id, codes)
        for row in read.rows:
            record = {k: v for k, v in row.values.items() if v is not None}
            values = _person(record)
            old = existing.get(row["code"])
            if old is None:
                db["people"].insert({"code": row["code"], **values, "status": "serving",
                                     "tags": TAG})
                added.append(row["code"])
            else:
                tags = [t for t in (old.get("tags") or "").split(";") if t]
                if TAG not in tags:
                    values["tags"] = ";".join([*tags, TAG])
                changed = {k: v for k, v in values.items() if old.get(k) != v}
                if changed:
                    db["people"].update(row["code"], changed)
                    updated[row["code"]] = sorted(changed)
            db["placement_officers"].upsert({
                "batch": batch_id, "code": row["code"], "name": row["name"],
                "record": json.dumps(record, ensure_ascii=False, sort_keys=True)},
                pk=("batch", "code"))
        change.record(ev.OfficersImported(
            batch=batch_id, file=read.path.name, file_sha256=read.sha256,
            officers=len(read.rows), rows_digest=_digest(read.rows), people_added=added,
            people_updated=updated, dropped=dropped))
    return {"batch": batch_id, "officers": len(read.rows), "people_added": added,
            "people_updated": updated, "dropped": dropped}


def _digest(rows: list) -> str:
    """Digest of the rows in a canonical order, so the file's row order does not matter."""
    return digest_rows(sorted(tuple(sorted((k, str(v)) for k, v in r.values.items()))
                              for r in rows))


def _drop_references(db: Any, batch_id: int, column: str, keep: list[str]) -> dict[str, int]:
    """Delete preferences and overrides naming officers (or posts) no longer in the batch."""
    marks = ",".join("?" for _k in keep) or "NULL"
    dropped = {}
    for table in ("placement_preferences", "placement_overrides"):
        sql = f"FROM {table} WHERE batch = ? AND {column} IS NOT NULL AND {column} NOT IN ({marks})"
        n = db.execute(f"SELECT count(*) {sql}", [batch_id, *keep]).fetchone()[0]
        if n:
            db.execute(f"DELETE {sql}", [batch_id, *keep])
            dropped[table.removeprefix("placement_")] = n
    return dropped


def _delete_missing(db: Any, table: str, column: str, batch_id: int, keep: list[str]) -> None:
    marks = ",".join("?" for _k in keep) or "NULL"
    db.execute(f"DELETE FROM {table} WHERE batch = ? AND {column} NOT IN ({marks})",
               [batch_id, *keep])


# --- posts ---------------------------------------------------------------------------------

def import_posts(office: Office, batch_id: int, path: str | Path) -> dict[str, Any]:
    """Replace the batch's posts: core positions, seats within their vacancies."""
    batch = editable(office, batch_id, _("import posts"))
    db = office.db
    vacancies = {p["code"]: p["vacancies"] for p in registry_positions(db)}
    read, _conditions = read_posts(path, vacancies, store.column_resolver(store.scheme_of(batch)))
    codes = [row["position"] for row in read.rows]
    with office.change() as change:
        dropped = _drop_references(db, batch_id, "position", codes)
        _delete_missing(db, "placement_posts", "position", batch_id, codes)
        db["placement_posts"].upsert_all(
            ({"batch": batch_id, "position": row["position"], "capacity": row["capacity"],
              "eligibility": row["eligibility"] or ""} for row in read.rows),
            pk=("batch", "position"))
        seats = sum(row["capacity"] for row in read.rows)
        change.record(ev.PostsImported(
            batch=batch_id, file=read.path.name, file_sha256=read.sha256, posts=len(codes),
            seats=seats, rows_digest=_digest(read.rows), dropped=dropped))
    return {"batch": batch_id, "posts": len(codes), "seats": seats, "dropped": dropped}


# --- preferences ---------------------------------------------------------------------------

def import_preferences(office: Office, batch_id: int, path: str | Path) -> dict[str, Any]:
    """Each officer the file names gets the file's list (others keep theirs)."""
    batch = editable(office, batch_id, _("import preference lists"))
    if batch["mode"] == "live":
        raise CivicError(_("Batch {id} is chosen live in the room; it takes no lists.").format(
            id=batch_id))
    db = office.db
    officer_codes = set(store.officers(db, batch_id))
    post_codes = {p["position"] for p in store.posts(db, batch_id)}
    read = read_preferences(path, officer_codes, post_codes)
    named = sorted({row["officer"] for row in read.rows})
    with office.change() as change:
        marks = ",".join("?" for _n in named)
        if named:
            db.execute(f"DELETE FROM placement_preferences WHERE batch = ? AND officer IN"
                       f" ({marks})", [batch_id, *named])
        db["placement_preferences"].insert_all(
            {"batch": batch_id, "officer": row["officer"], "choice": row["choice"],
             "position": row["position"]} for row in read.rows)
        change.record(ev.PreferencesImported(
            batch=batch_id, file=read.path.name, file_sha256=read.sha256, officers=named,
            choices=len(read.rows), rows_digest=_digest(read.rows)))
    return {"batch": batch_id, "officers": len(named), "choices": len(read.rows)}


# --- overrides -----------------------------------------------------------------------------

def set_override(office: Office, batch_id: int, officer: str, position: str | None,
                 reason: str) -> dict[str, Any]:
    """Pre-assign an officer to a post (or withdraw it with position None), with a reason.

    Only before the run; the post's seats and the officer's eligibility are checked.
    """
    batch = editable(office, batch_id, _("pre-assign an officer"))
    db = office.db
    if not reason.strip():
        raise CivicError(_("An override needs a reason."))
    if officer not in store.officers(db, batch_id):
        raise CivicError(_("Officer {code} is not in batch {id}.").format(
            code=officer, id=batch_id))
    current = store.overrides(db, batch_id)
    if position is None:
        if officer not in current:
            raise CivicError(_("Officer {code} has no override to withdraw.").format(
                code=officer))
    else:
        seats = {p["position"]: p["capacity"] for p in store.posts(db, batch_id)}
        if position not in seats:
            raise CivicError(_("Position {code} is not offered in batch {id}.").format(
                code=position, id=batch_id))
        taken = sum(1 for o, p in current.items() if p == position and o != officer)
        if taken >= seats[position]:
            raise CivicError(_("Every seat of {code} is pre-assigned already.").format(
                code=position))
        why = store.compute_ineligible(db, office.pm, batch, only=(officer, position))
        if why:
            raise CivicError(_("{officer} may not take {code}: {reasons}").format(
                officer=officer, code=position, reasons=reasons_text(why[(officer, position)])))
    with office.change() as change:
        entry = change.record(ev.OverrideSet(batch=batch_id, officer=officer, position=position,
                                             reason=reason.strip()))
        db["placement_overrides"].insert({"batch": batch_id, "officer": officer,
                                          "position": position, "reason": reason.strip(),
                                          "audit_id": entry.id})
    return {"batch": batch_id, "officer": officer, "position": position,
            "reason": reason.strip(), "audit_id": entry.id}
