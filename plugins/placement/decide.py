"""Deciding a batch: the live room, the run, re-running it, and certification.

A sealed batch is decided by `run`. A live batch opens its room (the ranking is fixed and the
eligibility snapshot taken), records each pick as the room makes it, and `run` then closes it:
the picks are replayed and re-run sealed, and must agree. Either way `run` on a batch that has
run already re-computes everything from the stored inputs and compares: a supervisor's check.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from civic.allocation import LiveSession
from civic.errors import CivicError
from civic.i18n import _
from civic.office import Office, Operator
from civic.plugins.placement import events as ev
from civic.plugins.placement import store
from civic.plugins.placement.rules import (
    BatchInputs,
    Outcome,
    digest,
    rank_officers,
    reasons_text,
    replay,
    resolve_live,
    resolve_sealed,
)
from civic.plugins.placement.setup import require_changer
from civic.registry import appoint, positions


@dataclass
class Run:
    """A run's result: `data` is the `run --json` shape; `verified` when it was a re-run."""

    batch: dict[str, Any]
    inputs: BatchInputs
    outcome: Outcome
    data: dict[str, Any]
    verified: bool = False


def _require_inputs(office: Office, batch: dict[str, Any]) -> None:
    db = office.db
    if not store.officers(db, batch["id"]):
        raise CivicError(_("Batch {id} has no officers yet.").format(id=batch["id"]))
    if not store.posts(db, batch["id"]):
        raise CivicError(_("Batch {id} has no posts yet.").format(id=batch["id"]))


def _snapshot(office: Office, inputs: BatchInputs) -> None:
    # Reasons are stored as data (`rules.reason_text` words them when shown), not in the
    # language of whoever opened the room or ran the batch.
    office.db["placement_ineligible"].insert_all(
        {"batch": inputs.batch, "officer": o, "position": p,
         "reasons": json.dumps(list(r), ensure_ascii=False)}
        for (o, p), r in sorted(inputs.ineligible.items()))


def _set_seed(office: Office, batch: dict[str, Any], seed: int | None) -> int:
    if seed is not None and batch["seed"] is not None and seed != batch["seed"]:
        raise CivicError(_("Batch {id} was given seed {seed}; it cannot change.").format(
            id=batch["id"], seed=batch["seed"]))
    chosen = seed if seed is not None else batch["seed"]
    if chosen is None:
        raise CivicError(_("Batch {id} has no seed for the draw: give --seed.").format(
            id=batch["id"]))
    return int(chosen)


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
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["mode"] != "live" or batch["status"] == "setup":
        raise CivicError(_("Batch {id} has no open room.").format(id=batch_id))
    inputs = store.load_inputs(db, office.pm, batch)
    ranking = rank_officers(inputs)
    session = replay(inputs, [r.key for r in ranking], store.picks(db, batch_id))
    return Room(batch, inputs, ranking, session)


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
    with office.change() as change:
        if batch["status"] == "setup":
            _snapshot(office, inputs)
        ranks = {r.key: r for r in outcome.ranking}
        db["placement_results"].insert_all({
            "batch": batch_id, "officer": o, "rank": r.rank,
            "score": str(r.breakdown.total),
            "breakdown": json.dumps({k: str(v) for k, v in r.breakdown.components.items()}),
            "measures": json.dumps(_measures(r.breakdown.measures), ensure_ascii=False),
            "draw_group": json.dumps(list(r.draw_group)), "ticket": r.ticket,
            "position": outcome.assignments[o][0], "choice": outcome.assignments[o][1],
        } for o, r in ranks.items())
        entry = change.record(ev.BatchRun(
            batch=batch_id, mode=batch["mode"], seed=seed, draw_groups=outcome.draw_groups(),
            inputs_digest=inputs.digest(), result_digest=result_digest,
            placed=len(outcome.order) - len(outcome.unplaced()), unplaced=outcome.unplaced()))
        db.execute(
            "UPDATE placement_batches SET status = 'ran', seed = ?, inputs_digest = ?,"
            " result_digest = ?, ran_on = ?, run_audit = ? WHERE id = ?",
            (seed, inputs.digest(), result_digest, office.today().isoformat(), entry.id,
             batch_id))
    run.batch = store.get_batch(db, batch_id)
    return run


def _measures(measures: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else str(v)) for k, v in measures.items()}


# --- certification -------------------------------------------------------------------------

def certify(office: Office, batch_id: int, cosigner: Operator,
            effective: dt.date | None = None) -> dict[str, Any]:
    """Certify a run with a supervisor's co-signature and record each placement in core as a
    transfer-in appointment with the batch as its basis."""
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
    placed = [(a["officer"], a["position"]) for a in run.data["assignments"] if a["position"]]
    vacant = {p["code"]: p["vacancies"] for p in positions(db)}
    need: dict[str, int] = {}
    for _officer, post in placed:
        need[post] = need.get(post, 0) + 1
    full = sorted(p for p, n in need.items() if n > vacant.get(p, 0))
    if full:
        raise CivicError(_("These positions no longer have the seats the batch fills: {codes}.")
                         .format(codes=", ".join(full)))
    with office.change() as change:
        for officer, post in placed:
            appoint(change, person=officer, position=post, effective=effective,
                    basis_kind=store.BASIS_KIND, basis_ref=str(batch_id), action="transfer_in",
                    note=batch["title"])
        entry = change.record(ev.BatchCertified(
            batch=batch_id, result_digest=batch["result_digest"],
            effective=effective.isoformat(), appointments=len(placed)), cosigner)
        db.execute(
            "UPDATE placement_batches SET status = 'certified', effective = ?,"
            " certified_on = ?, certify_audit = ? WHERE id = ?",
            (effective.isoformat(), office.today().isoformat(), entry.id, batch_id))
    return {"batch": batch_id, "appointments": len(placed), "effective": effective.isoformat(),
            "cosigner": cosigner.name, "audit_id": entry.id}
