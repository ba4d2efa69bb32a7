"""The placement's writes, each through `office.change()` with its audit entries.

Setting a batch up: create it, give it a scheme, import its three files, pre-assign. All of these
are refused once the batch has run (or its live room has opened): the inputs of a decided batch
stay what they were.

Deciding a batch: the live room, the run, re-running it, and certification. A sealed batch is
decided by `run_batch`. A live batch opens its room (the ranking is fixed and the eligibility
snapshot taken), records each pick as the room makes it, and `run_batch` then closes it: the
picks are replayed and re-run sealed, and must agree. Either way `run_batch` on a batch that has
run already re-computes everything from the stored inputs and compares: a supervisor's check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civic.allocation import LiveSession
from civic.audit import digest_rows
from civic.auth import CHANGE_ROLES
from civic.bulk import collector_paused
from civic.errors import CivicError, InputError, InputProblem, PermissionDenied
from civic.i18n import _
from civic.office import Office, Operator
from civic.plugins.placement import events as ev
from civic.plugins.placement import store
from civic.plugins.placement.files import read_officers, read_posts, read_preferences
from civic.plugins.placement.rules import (
    TAG,
    BatchInputs,
    Outcome,
    check_draw,
    civil_rank,
    digest,
    rank_officers,
    reasons_text,
    replay,
    resolve_live,
    resolve_sealed,
    word,
)
from civic.registry import appoint, positions
from civic.registry import positions as registry_positions
from civic.scoring import Ranked, draw_groups, load_scheme


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
    # Here, not at the top: the migrations module brings sqlite-utils (and numpy, which
    # sqlite-utils imports when present) into every command that loads the actions.
    from civic.plugins.placement.migrations import MODES

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


def _person(record: dict[str, Any], cutoff: dt.date, min_years: int) -> dict[str, Any]:
    """The people-registry fields an officer's row gives (rank: the civilian equivalent, one
    grade down for a 团职 officer under the minimum years in his grade on the cut-off)."""
    from civic.scoring import to_date

    values = {k: record.get(k) for k in _PEOPLE_FIELDS if record.get(k) is not None}
    since = None
    if record.get("rank_date"):
        try:
            since = to_date(record["rank_date"])
        except ValueError:
            since = None
    rank = civil_rank(record.get("rank"), since, cutoff, min_years)
    if rank is not None:
        values["rank"] = rank
        if since is not None:
            values["rank_since"] = since.isoformat()
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
    from civic.plugins.placement.rules import MIN_YEARS_IN_GRADE
    from civic.rule_settings import value

    cutoff, min_years = dt.date.fromisoformat(batch["cutoff"]), int(value(db, MIN_YEARS_IN_GRADE))
    added, updated = [], {}
    codes = [row["code"] for row in read.rows]
    with office.change() as change:
        dropped = _drop_references(db, batch_id, "officer", codes)
        _delete_missing(db, "placement_officers", "code", batch_id, codes)
        for row in read.rows:
            record = {k: v for k, v in row.values.items() if v is not None}
            values = _person(record, cutoff, min_years)
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
                 reason: str, basis: str | None = None) -> dict[str, Any]:
    """Pre-assign an officer to a post (or withdraw it with position None), with a reason and
    the policy basis that allows it (照顾安置: the document and article).

    Only before the run; the post's seats and the officer's eligibility are checked.
    """
    basis = (basis or "").strip() or None
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
                                             reason=reason.strip(), basis=basis))
        db["placement_overrides"].insert({"batch": batch_id, "officer": officer,
                                          "position": position, "reason": reason.strip(),
                                          "basis": basis, "audit_id": entry.id})
    return {"batch": batch_id, "officer": officer, "position": position,
            "reason": reason.strip(), "basis": basis, "audit_id": entry.id}


@dataclass
class Run:
    """A run's result: `data` is the `run --json` shape; `verified` when it was a re-run."""

    batch: dict[str, Any]
    inputs: BatchInputs
    outcome: Outcome
    data: dict[str, Any]
    verified: bool = False


def _require_inputs(office: Office, batch: dict[str, Any]) -> None:
    # Whether there are any, not the rows: a run of 10,000 officers reads them once, later.
    db = office.db
    if not store.has_rows(db, "placement_officers", batch["id"]):
        raise CivicError(_("Batch {id} has no officers yet.").format(id=batch["id"]))
    if not store.has_rows(db, "placement_posts", batch["id"]):
        raise CivicError(_("Batch {id} has no posts yet.").format(id=batch["id"]))


# json.dumps(value, ensure_ascii=False) without a new encoder built for each of a run's
# 50,000 rows (json.dumps reuses its own only for the default arguments).
_json_text = json.JSONEncoder(ensure_ascii=False).encode


def _snapshot(office: Office, inputs: BatchInputs) -> None:
    # Reasons are stored as data (`rules.reason_text` words them when shown), not in the
    # language of whoever opened the room or ran the batch.
    office.db.executemany(
        "INSERT INTO placement_ineligible (batch, officer, position, reasons)"
        " VALUES (?, ?, ?, ?)",
        ((inputs.batch, o, p, _json_text(list(r)))
         for (o, p), r in inputs.ineligible_by_pair))


def _set_seed(office: Office, batch: dict[str, Any], seed: int | None) -> int:
    if seed is not None and batch["seed"] is not None and seed != batch["seed"]:
        raise CivicError(_("Batch {id} was given seed {seed}; it cannot change.").format(
            id=batch["id"], seed=batch["seed"]))
    chosen = seed if seed is not None else batch["seed"]
    if chosen is None:
        raise CivicError(_("Batch {id} has no seed for the random order that settles ties: give --seed.").format(
            id=batch["id"]))
    return int(chosen)


# --- the public draw -----------------------------------------------------------------------

def draw_groups_of(office: Office, batch_id: int) -> dict[str, Any]:
    """The ties the scheme's chain leaves (the officers a public draw must separate), the
    numbers drawn so far, and whether the draw is complete."""
    db = office.db
    batch = store.get_batch(db, batch_id)
    _require_inputs(office, batch)
    # The groups do not depend on the seed: any seed shows them when the batch has none yet.
    inputs = store.load_inputs(db, office.pm, batch, batch["seed"] if batch["seed"] is not None
                               else 0)
    groups = [list(g) for g in draw_groups(inputs.scheme.rank(inputs.officers, inputs.cutoff,
                                                              inputs.seed))]
    drawn = store.draws(db, batch_id)
    records = store.officers(db, batch_id)
    return {"batch": batch_id, "groups": [[{"officer": o, "name": records[o].get("name"),
                                            "number": drawn.get(o)} for o in g]
                                          for g in groups],
            "complete": bool(groups) and all(o in drawn for g in groups for o in g),
            "public": bool(drawn)}


def record_draw(office: Office, batch_id: int, numbers: Mapping[str, int],
                cosigner: Operator | None) -> dict[str, Any]:
    """Record the public draw held on site (公开抽签): the number each tied officer drew,
    entered with the supervisor's co-signature before the room opens or the batch runs. It
    orders each tie instead of the seeded random order, which stays the named fallback."""
    from civic.auth import require_cosigner

    action = _("record the public draw")
    batch = editable(office, batch_id, action)
    require_cosigner(office, cosigner, action)
    db = office.db
    found = draw_groups_of(office, batch_id)
    groups = [[m["officer"] for m in g] for g in found["groups"]]
    before = store.draws(db, batch_id)
    again = sorted(set(numbers) & set(before))
    if again:
        raise CivicError(_("Draw numbers of {codes} are recorded already.").format(
            codes=", ".join(again)))
    check_draw(groups, {**before, **numbers})
    with office.change() as change:
        entry = change.record(ev.DrawRecorded(batch=batch["id"], numbers=dict(numbers),
                                              groups=groups), cosigner)
        db.conn.executemany(
            "INSERT INTO placement_draws (batch, officer, number, audit_id) VALUES (?, ?, ?, ?)",
            [(batch_id, o, n, entry.id) for o, n in sorted(numbers.items())])
    return draw_groups_of(office, batch_id)


# --- the live room -------------------------------------------------------------------------

def open_room(office: Office, batch_id: int, seed: int | None = None) -> Outcome:
    """Fix the choosing order of a live batch and freeze its inputs."""
    require_changer(office, _("open the choosing room"))
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["mode"] != "live":
        raise CivicError(_("Batch {id} is sealed: it is decided by `run`.").format(id=batch_id))
    if batch["status"] != "setup":
        raise CivicError(_("The room of batch {id} is open already.").format(id=batch_id))
    _require_inputs(office, batch)
    seed = _set_seed(office, batch, seed)
    inputs = store.load_inputs(db, office.pm, batch, seed)
    ranking = rank_officers(inputs)
    outcome = Outcome(ranking, {})
    with office.change() as change:
        db.execute("UPDATE placement_batches SET seed = ?, inputs_digest = ? WHERE id = ?",
                   (seed, inputs.digest(), batch_id))
        _snapshot(office, inputs)
        db.execute("UPDATE placement_batches SET status = 'live' WHERE id = ?", (batch_id,))
        change.record(ev.RoomOpened(batch=batch_id, seed=seed, order=outcome.order,
                                    draw_groups=outcome.draw_groups(),
                                    inputs_digest=inputs.digest()))
    return outcome


@dataclass
class Room:
    """The live room as it stands: the order, the session after the recorded picks."""

    batch: dict[str, Any]
    inputs: BatchInputs
    ranking: list
    session: LiveSession


def room(office: Office, batch_id: int) -> Room:
    """The room as the file has it now: its picks are read afresh each time (another
    terminal may have recorded one), its frozen inputs once (`_frozen_inputs`)."""
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["mode"] != "live" or batch["status"] == "setup":
        raise CivicError(_("Batch {id} has no open room.").format(id=batch_id))
    inputs, ranking = _frozen_inputs(office, batch)
    session = replay(inputs, [r.key for r in ranking], store.picks(db, batch_id))
    return Room(batch, inputs, ranking, session)


# An open room's inputs and order, by the digest of those inputs stored when it opened: they
# cannot change while it is open, and equal digests are equal inputs, so a pick no longer
# reads and ranks them all again (the demo's room read them 49 times for 48 picks). One room
# is open at a desk at a time; the last one is kept.
_OPEN_ROOM: dict[str, tuple[BatchInputs, list[Ranked[str]]]] = {}


def _frozen_inputs(office: Office, batch: dict[str, Any]
                   ) -> tuple[BatchInputs, list[Ranked[str]]]:
    digest = batch["inputs_digest"]
    kept = _OPEN_ROOM.get(digest) if digest else None
    if kept is not None:
        return kept
    inputs = store.load_inputs(office.db, office.pm, batch)
    ranking = rank_officers(inputs)
    if digest and inputs.digest() == digest:  # kept only as they were when the room opened
        _OPEN_ROOM.clear()
        _OPEN_ROOM[digest] = (inputs, ranking)
    return inputs, ranking


def _record_pick(office: Office, batch_id: int, action: str, position: str | None,
                 reason: str | None = None, expect: str | None = None) -> Room:
    require_changer(office, _("record a pick"))
    current = room(office, batch_id)
    if current.batch["status"] != "live":
        raise CivicError(_("The room of batch {id} is closed.").format(id=batch_id))
    session = current.session
    if action == "undo":
        if not (reason or "").strip():
            raise CivicError(_("Undoing a pick needs a reason."))
        officer, post = session.undo()
        _expected(expect, officer, _("The last pick was {officer}'s, not {expect}'s."))
        event: Any = ev.PickUndone(batch=batch_id, officer=officer, position=post,
                                   reason=reason.strip())
    else:
        officer = session.current()
        _expected(expect, officer, _("It is {officer}'s turn, not {expect}'s."))
        turn = len(session.history) + 1
        if action == "pass":
            session.pass_()
        else:
            why = current.inputs.ineligible.get((officer, position or ""))
            if why:
                raise CivicError(_("{officer} may not take {code}: {reasons}").format(
                    officer=officer, code=position, reasons=reasons_text(why)))
            session.choose(position)  # raises when full or unknown
        event = ev.Picked(batch=batch_id, officer=officer, position=position, turn=turn)
    with office.change() as change:
        entry = change.record(event)
        office.db["placement_picks"].insert({
            "batch": batch_id, "action": action, "officer": officer,
            "position": position if action == "choose" else (
                event.position if action == "undo" else None),
            "reason": reason, "at": office.now().isoformat(), "audit_id": entry.id})
    return current


def _expected(expect: str | None, officer: str | None, message: str) -> None:
    # A pick names the post, not the officer: when the caller says whose pick it means (a
    # script, or a second terminal in the room), a turn that moved on meanwhile is refused
    # instead of being recorded for the wrong officer.
    if expect is not None and officer != expect:
        raise CivicError(message.format(officer=officer or "-", expect=expect))


def choose(office: Office, batch_id: int, position: str, expect: str | None = None) -> Room:
    return _record_pick(office, batch_id, "choose", position, expect=expect)


def pass_turn(office: Office, batch_id: int, expect: str | None = None) -> Room:
    return _record_pick(office, batch_id, "pass", None, expect=expect)


def undo(office: Office, batch_id: int, reason: str, expect: str | None = None) -> Room:
    return _record_pick(office, batch_id, "undo", None, reason, expect=expect)


# --- the run -------------------------------------------------------------------------------

def compute(office: Office, batch: dict[str, Any], seed: int | None = None) -> Run:
    """The batch's result from its stored inputs, without writing anything."""
    inputs = store.load_inputs(office.db, office.pm, batch, seed)
    if batch["mode"] == "live":
        outcome = resolve_live(inputs, store.picks(office.db, batch["id"]))
    else:
        outcome = resolve_sealed(inputs)
    return Run(batch, inputs, outcome, outcome.as_json(batch["id"], inputs.seed))


def verify(office: Office, batch_id: int) -> Run:
    """Re-run a decided batch and compare with what was stored; refuse on any difference."""
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["status"] not in ("ran", "certified"):
        raise CivicError(_("Batch {id} has not run yet.").format(id=batch_id))
    run = compute(office, batch)
    if run.inputs.digest() != batch["inputs_digest"]:
        raise CivicError(_("The stored inputs of batch {id} differ from those it ran on.")
                         .format(id=batch_id))
    stored = store.stored_json(db, batch)
    if digest(run.data) != batch["result_digest"] or stored != run.data:
        raise CivicError(_("Re-running batch {id} gives a different result from the stored "
                           "one.").format(id=batch_id))
    run.verified = True
    return run


def run_batch(office: Office, batch_id: int, seed: int | None = None) -> Run:
    """Decide the batch (sealed lists, or close a finished live room) and store the result.

    On a batch that has run already, re-run and verify instead (nothing is written).
    """
    # A run of 10,000 officers builds a few million dicts, lists and tuples, none in a cycle;
    # the cycle collector would scan them again and again as they are made (a fifth of the run).
    with collector_paused():
        return _run_batch(office, batch_id, seed)


def _run_batch(office: Office, batch_id: int, seed: int | None) -> Run:
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["status"] in ("ran", "certified"):
        if seed is not None and seed != batch["seed"]:
            raise CivicError(_("Batch {id} ran with seed {seed}; it cannot change.").format(
                id=batch_id, seed=batch["seed"]))
        return verify(office, batch_id)
    require_changer(office, _("run a placement batch"))
    if batch["mode"] == "live" and batch["status"] == "setup":
        raise CivicError(_("Batch {id} is chosen live: open its room first (`civic placement "
                           "room {id}`, or r in the placement screen).").format(id=batch_id))
    _require_inputs(office, batch)
    seed = _set_seed(office, batch, seed)
    run = compute(office, batch, seed)
    outcome, inputs = run.outcome, run.inputs
    result_digest = digest(run.data)
    inputs_digest = inputs.digest()  # once: it hashes every input of 10,000 officers
    with office.change() as change:
        if batch["status"] == "setup":
            _snapshot(office, inputs)
        ranks = {r.key: r for r in outcome.ranking}
        # Plain SQL: the values are text and numbers already, as sqlite-utils would store them.
        db.executemany(
            "INSERT INTO placement_results (batch, officer, rank, score, breakdown, measures,"
            " draw_group, ticket, position, choice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((batch_id, o, r.rank, str(r.breakdown.total),
              json.dumps({k: str(v) for k, v in r.breakdown.components.items()}),
              _json_text(_measures(r.breakdown.measures)),
              json.dumps(list(r.draw_group)), r.ticket, *outcome.assignments[o])
             for o, r in ranks.items()))
        entry = change.record(ev.BatchRun(
            batch=batch_id, mode=batch["mode"], seed=seed, draw_groups=outcome.draw_groups(),
            inputs_digest=inputs_digest, result_digest=result_digest,
            placed=len(outcome.order) - len(outcome.unplaced()), unplaced=outcome.unplaced()))
        db.execute(
            "UPDATE placement_batches SET status = 'ran', seed = ?, inputs_digest = ?,"
            " result_digest = ?, ran_on = ?, run_audit = ? WHERE id = ?",
            (seed, inputs_digest, result_digest, office.today().isoformat(), entry.id,
             batch_id))
    run.batch = store.get_batch(db, batch_id)
    return run


def _measures(measures: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else str(v)) for k, v in measures.items()}


# --- certification -------------------------------------------------------------------------

def notice_first(db: Any) -> bool:
    """Whether appointments wait for the notice's confirmation (rules.NOTICE_FIRST)."""
    from civic.plugins.placement.rules import NOTICE_FIRST
    from civic.rule_settings import value

    return bool(value(db, NOTICE_FIRST))


def _placed(run: Run) -> list[tuple[str, str]]:
    return [(a["officer"], a["position"]) for a in run.data["assignments"] if a["position"]]


def _check_vacant(db: Any, placed: list[tuple[str, str]]) -> None:
    vacant = {p["code"]: p["vacancies"] for p in positions(db)}
    need: dict[str, int] = {}
    for _officer, post in placed:
        need[post] = need.get(post, 0) + 1
    full = sorted(p for p, n in need.items() if n > vacant.get(p, 0))
    if full:
        raise CivicError(_("These positions no longer have the seats the batch fills: {codes}.")
                         .format(codes=", ".join(full)))


def _appoint(change: Any, batch: dict[str, Any], placed: list[tuple[str, str]],
             effective: dt.date) -> None:
    for officer, post in placed:
        appoint(change, person=officer, position=post, effective=effective,
                basis_kind=store.BASIS_KIND, basis_ref=str(batch["id"]), action="transfer_in",
                note=batch["title"])


def certify(office: Office, batch_id: int, cosigner: Operator,
            effective: dt.date | None = None) -> dict[str, Any]:
    """Certify a run with a supervisor's co-signature. Notice first (the default rule,
    `rules.NOTICE_FIRST`): the appointments wait for the notice (`appoint`); otherwise each
    placement is recorded now in core as a transfer-in appointment with the batch as basis."""
    action = _("certify a placement batch")
    require_changer(office, action)
    if not isinstance(cosigner, Operator) or cosigner.role != "supervisor":
        raise CivicError(_("A supervisor's co-signature is needed to {action}.").format(action=action))
    if office.actor is not None and office.actor.name == cosigner.name:
        raise CivicError(_("The co-signer must be someone other than the operator."))
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["status"] == "certified":
        raise CivicError(_("Batch {id} is certified already.").format(id=batch_id))
    run = verify(office, batch_id)
    effective = effective or office.today()
    placed = _placed(run)
    _check_vacant(db, placed)
    first = notice_first(db)
    with office.change() as change:
        if not first:
            _appoint(change, batch, placed, effective)
        entry = change.record(ev.BatchCertified(
            batch=batch_id, result_digest=batch["result_digest"],
            effective=effective.isoformat(), appointments=0 if first else len(placed),
            notice_first=first), cosigner)
        db.execute(
            "UPDATE placement_batches SET status = 'certified', effective = ?,"
            " certified_on = ?, certify_audit = ? WHERE id = ?",
            (effective.isoformat(), office.today().isoformat(), entry.id, batch_id))
    return {"batch": batch_id, "appointments": 0 if first else len(placed),
            "effective": effective.isoformat(), "cosigner": cosigner.name,
            "audit_id": entry.id, "notice_first": first}


def appoint_after_notice(office: Office, batch_id: int) -> dict[str, Any]:
    """Record a certified batch's appointments once its notice is confirmed (notice first),
    effective on the date fixed at certification."""
    from civic import notices

    require_changer(office, _("record a batch's appointments"))
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["status"] != "certified":
        raise CivicError(_("Batch {id} must be certified before its appointments are recorded.")
                         .format(id=batch_id))
    if batch["appointed_on"] or not store.waits_for_notice(db, batch):
        raise CivicError(_("The appointments of batch {id} are recorded already.").format(
            id=batch_id))
    found = notices.list_notices(db, subject=store.subject(batch_id))
    if not found or found[-1].status != "confirmed":
        raise CivicError(_("The notice of batch {id} is not confirmed yet: appointments follow "
                           "the notice (任前公示).").format(id=batch_id))
    placed = _placed(verify(office, batch_id))
    _check_vacant(db, placed)
    effective = dt.date.fromisoformat(batch["effective"])
    with office.change() as change:
        _appoint(change, batch, placed, effective)
        entry = change.record(ev.BatchAppointed(batch=batch_id, notice=found[-1].id,
                                                effective=effective.isoformat(),
                                                appointments=len(placed)))
        db.execute("UPDATE placement_batches SET appointed_on = ?, appoint_audit = ?"
                   " WHERE id = ?", (office.today().isoformat(), entry.id, batch_id))
    return {"batch": batch_id, "appointments": len(placed), "effective": effective.isoformat(),
            "notice": found[-1].id, "audit_id": entry.id}
