"""Reading a batch from the database, and the eligibility snapshot a run depends on."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.placement.files import officers_schema
from civic.plugins.placement.rules import (
    BatchInputs,
    Pick,
    condition_problems,
    officer_status,
    parse_conditions,
    problem_reason,
    reassigned,
)
from civic.scoring import Scheme, parse_scheme

BASIS_KIND = "placement"


def subject(batch_id: int) -> str:
    return f"placement:{batch_id}"


def get_batch(db: Database, batch_id: int) -> dict[str, Any]:
    row = next(db.query("SELECT * FROM placement_batches WHERE id = ?", [batch_id]), None)
    if row is None:
        raise CivicError(_("No placement batch {id}.").format(id=batch_id))
    return row


def list_batches(db: Database) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT b.id, b.title, b.cutoff, b.mode, b.seed, b.status, b.scheme_name,"
        " (SELECT count(*) FROM placement_officers o WHERE o.batch = b.id) AS officers,"
        " (SELECT count(*) FROM placement_posts p WHERE p.batch = b.id) AS posts,"
        " (SELECT coalesce(sum(capacity), 0) FROM placement_posts p WHERE p.batch = b.id)"
        "   AS seats,"
        " (SELECT count(*) FROM placement_results r WHERE r.batch = b.id"
        "   AND r.position IS NOT NULL) AS placed"
        " FROM placement_batches b ORDER BY b.id"))


def scheme_of(batch: dict[str, Any]) -> Scheme | None:
    if not batch.get("scheme_text"):
        return None
    return parse_scheme(batch["scheme_text"], f"placement:{batch['id']}")


def has_rows(db: Database, table: str, batch_id: int) -> bool:
    """Whether `table` (one of the batch's input tables) has a row of the batch."""
    return db.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE batch = ?)",
                      [batch_id]).fetchone()[0] == 1


def officers(db: Database, batch_id: int) -> dict[str, dict[str, Any]]:
    """code -> the officer's record as imported (the officers file's row)."""
    return {code: json.loads(record) for code, record in db.execute(
        "SELECT code, record FROM placement_officers WHERE batch = ? ORDER BY code",
        [batch_id])}


def posts(db: Database, batch_id: int) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT pp.position, pp.capacity, pp.eligibility, p.title, p.unit, u.name AS unit_name"
        " FROM placement_posts pp JOIN positions p ON p.code = pp.position"
        " LEFT JOIN units u ON u.code = p.unit WHERE pp.batch = ? ORDER BY pp.position",
        [batch_id]))


def preferences(db: Database, batch_id: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for officer, position in db.execute(
            "SELECT officer, position FROM placement_preferences WHERE batch = ?"
            " ORDER BY officer, choice", [batch_id]):
        out.setdefault(officer, []).append(position)
    return out


def overrides(db: Database, batch_id: int) -> dict[str, str]:
    """officer -> pre-assigned post: each officer's latest override, unless withdrawn."""
    latest: dict[str, str | None] = {}
    for officer, position in db.execute(
            "SELECT officer, position FROM placement_overrides WHERE batch = ? ORDER BY id",
            [batch_id]):
        latest[officer] = position
    return {o: p for o, p in sorted(latest.items()) if p is not None}


def override_log(db: Database, batch_id: int) -> list[dict[str, Any]]:
    return list(db.query(
        "SELECT o.id, o.officer, o.position, o.reason, a.actor, a.time FROM placement_overrides o"
        " JOIN audit_log a ON a.id = o.audit_id WHERE o.batch = ? ORDER BY o.id", [batch_id]))


def waits_for_notice(db: Database, batch: dict[str, Any]) -> bool:
    """A certified batch whose appointments wait for its notice (certified notice first, not
    yet appointed)."""
    if batch["status"] != "certified" or batch.get("appointed_on"):
        return False
    row = db.execute("SELECT payload FROM audit_log WHERE id = ?",
                     [batch["certify_audit"]]).fetchone()
    return bool(row and json.loads(row[0]).get("notice_first"))


def preassignments(db: Database, batch_id: int) -> list[dict[str, Any]]:
    """The pre-assignments in force (照顾安置), listed apart: officer, name, post, its title,
    the reason and the policy basis, in officer order."""
    latest: dict[str, dict[str, Any]] = {}
    for row in db.query(
            "SELECT o.officer, f.name, o.position, p.title AS position_title, o.reason, o.basis"
            " FROM placement_overrides o JOIN placement_officers f"
            "   ON f.batch = o.batch AND f.code = o.officer"
            " LEFT JOIN positions p ON p.code = o.position"
            " WHERE o.batch = ? ORDER BY o.id", [batch_id]):
        latest[row["officer"]] = row
    return [r for _o, r in sorted(latest.items()) if r["position"] is not None]


def passed(db: Database, batch_id: int) -> set[str]:
    """Officers whose last word in the live room was a pass (an undo takes a pick back)."""
    taken: list[Pick] = []
    for pick in picks(db, batch_id):
        if pick.action == "undo":
            if taken:
                taken.pop()
        else:
            taken.append(pick)
    return {p.officer for p in taken if p.action == "pass"}


def picks(db: Database, batch_id: int) -> list[Pick]:
    return [Pick(action, officer, position) for action, officer, position in db.execute(
        "SELECT action, officer, position FROM placement_picks WHERE batch = ? ORDER BY id",
        [batch_id])]


def stored_ineligible(db: Database, batch_id: int) -> dict[tuple[str, str], list[Any]]:
    """The eligibility snapshot: reasons as data (`rules.reason_text`), or as words in a batch
    whose room opened or which ran before reasons were data (see migrations.py)."""
    return {(o, p): json.loads(r) for o, p, r in db.execute(
        "SELECT officer, position, reasons FROM placement_ineligible WHERE batch = ?",
        [batch_id])}


def results(db: Database, batch_id: int) -> list[dict[str, Any]]:
    """The stored run, in rank order, with names and post titles."""
    rows = list(db.query(
        "SELECT r.*, o.name, p.title AS position_title, u.name AS unit_name"
        " FROM placement_results r JOIN placement_officers o"
        "   ON o.batch = r.batch AND o.code = r.officer"
        " LEFT JOIN positions p ON p.code = r.position LEFT JOIN units u ON u.code = p.unit"
        " WHERE r.batch = ? ORDER BY r.rank", [batch_id]))
    pre, gone = set(overrides(db, batch_id)), passed(db, batch_id)
    for row in rows:
        row["breakdown"] = json.loads(row["breakdown"])
        row["measures"] = json.loads(row["measures"])
        row["draw_group"] = json.loads(row["draw_group"])
        row["status"] = officer_status(row["position"], row["officer"] in pre,
                                       row["officer"] in gone)
        row["reassigned"] = reassigned(row["status"])
    return rows


def stored_json(db: Database, batch: dict[str, Any]) -> dict[str, Any]:
    """The run's JSON rebuilt from the stored results (to compare with a re-run)."""
    from civic.plugins.placement.rules import number

    rows = results(db, batch["id"])
    return {
        "batch": batch["id"], "seed": batch["seed"],
        "ranking": [{"officer": r["officer"], "score": number(Decimal(r["score"])),
                     "rank": r["rank"],
                     "breakdown": {k: number(Decimal(v)) for k, v in r["breakdown"].items()}}
                    for r in rows],
        "assignments": [{"officer": r["officer"], "position": r["position"],
                         "choice": r["choice"]} for r in rows],
    }


# --- eligibility ---------------------------------------------------------------------------


def column_resolver(scheme: Scheme | None):
    """Map a column as written in a post condition to the officers file's column name."""
    schema = officers_schema(scheme)

    def resolve(text: str) -> str | None:
        column = schema.match(text)
        return column.name if column else None

    return resolve


def compute_ineligible(db: Database, pm: Any, batch: dict[str, Any],
                       records: dict[str, dict[str, Any]] | None = None,
                       only: tuple[str, str] | None = None,
                       prefs: dict[str, list[str]] | None = None,
                       ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(officer, post) -> why not, for every pair that fails: the post's own conditions and
    the core qualification conditions (plus plugins') on the batch's cut-off date, as data
    that `rules.reason_text` words.

    A sealed batch checks only the pairs its officers listed (no other pair can change the
    run or its explanation); a live room, where an officer may pick any open post, checks
    every pair. Core and plugin conditions are checked in bulk (`eligibility.problems_many`).
    """
    from civic.eligibility import bars, problems_many
    from civic.facts import restrictions_on

    batch_id = batch["id"]
    records = records if records is not None else officers(db, batch_id)
    resolve = column_resolver(scheme_of(batch))
    on = date.fromisoformat(batch["cutoff"])
    people = {r["code"]: r for r in db.query(
        "SELECT p.* FROM people p JOIN placement_officers o ON o.code = p.code"
        " WHERE o.batch = ?", [batch_id])}
    restricted = restrictions_on(db, on, people)  # one read, not one per officer and post
    conditions: dict[str, Any] = {}
    positions: dict[str, dict[str, Any]] = {}
    for post in db.query(
            "SELECT pp.position, pp.eligibility, p.* FROM placement_posts pp"
            " JOIN positions p ON p.code = pp.position WHERE pp.batch = ?", [batch_id]):
        try:
            conditions[post["position"]] = parse_conditions(post["eligibility"], resolve)
        except ValueError as exc:  # the scheme changed since the posts were imported
            raise CivicError(_("Post {code}: {reason}; import the posts again.").format(
                code=post["position"], reason=exc)) from None
        positions[post["position"]] = {k: v for k, v in post.items()
                                       if k not in ("position", "eligibility")}
    if only is not None:
        wanted: Any = [only]
    elif batch["mode"] == "live":
        wanted = ((code, post) for post in positions for code in records)
    else:
        listed_by = prefs if prefs is not None else preferences(db, batch_id)
        wanted = ((code, post) for code, listed in listed_by.items()
                  for post in dict.fromkeys(listed))
    pairs = [(code, post) for code, post in wanted if code in records and post in positions]
    # Most posts have no condition of their own: only those with one are asked per pair.
    out: dict[tuple[str, str], list[dict[str, Any]]] = {
        (code, post): reasons for code, post in pairs
        if conditions[post] and (reasons := condition_problems(conditions[post], records[code]))}
    known = ((people[code], positions[post]) for code, post in pairs if code in people)
    for person, position, problems in problems_many(pm, db, known, on, restrictions=restricted):
        if not problems:  # most pairs: nothing to sort into bars and warnings
            continue
        barred = bars(problems)  # a warning (a training shortfall, by default) bars no pair
        if barred:
            out.setdefault((person["code"], position["code"]), []).extend(
                problem_reason(p) for p in barred)
    # A fixed order whatever the order of the checks: post by post, officers as in `records`.
    order = {code: n for n, code in enumerate(records)}
    return dict(sorted(out.items(), key=lambda item: (item[0][1], order[item[0][0]])))


def load_inputs(db: Database, pm: Any, batch: dict[str, Any],
                seed: int | None = None) -> BatchInputs:
    """The batch's inputs as stored; eligibility from the snapshot once the batch is frozen,
    else computed now from the registry."""
    scheme = scheme_of(batch)
    if scheme is None:
        raise CivicError(_("Batch {id} has no scoring scheme yet.").format(id=batch["id"]))
    seed = seed if seed is not None else batch["seed"]
    if seed is None:
        raise CivicError(_("Batch {id} has no seed for the random order that settles ties: give --seed.").format(
            id=batch["id"]))
    records = officers(db, batch["id"])
    frozen = batch["status"] != "setup"
    listed = preferences(db, batch["id"])  # read once: the check of listed pairs needs it too
    return BatchInputs(
        batch=batch["id"], scheme=scheme, scheme_sha256=batch["scheme_sha256"],
        cutoff=date.fromisoformat(batch["cutoff"]), seed=seed, officers=records,
        capacity={p["position"]: p["capacity"] for p in posts(db, batch["id"])},
        prefs=listed, preassigned=overrides(db, batch["id"]),
        ineligible=(stored_ineligible(db, batch["id"]) if frozen
                    else compute_ineligible(db, pm, batch, records, prefs=listed)),
        drawn=draws(db, batch["id"]),
    )


def draws(db: Database, batch_id: int) -> dict[str, int]:
    """officer -> the number drawn in the batch's public draw (抽签号); empty when none was
    held (the seeded order is the fallback)."""
    return dict(db.execute("SELECT officer, number FROM placement_draws WHERE batch = ?"
                           " ORDER BY officer", (batch_id,)).fetchall())
