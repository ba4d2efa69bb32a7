"""Reads of the election plugin: elections, their rounds and candidates, the count contract,
batches, terms, targets and recalls."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from civic import ballots, contests
from civic.ballots import VotingRound
from civic.bulk import collector_paused
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.election import rules
from civic.tally import RECALL, RUNOFF

BASIS = "election"  # the basis of the appointments an election records


@dataclass(frozen=True)
class Election:
    id: int
    title: str
    pack: rules.Pack
    held_on: dt.date
    office_title: str
    position: str | None
    batch: int | None
    school: str | None
    group: str | None
    status: str
    reason: str | None
    notice: int | None

    @property
    def ref(self) -> str:
        return f"election:{self.id}"


_COLUMNS = ("id, title, pack_data, held_on, office_title, position, batch, school, grp, status,"
            " reason, notice")


@lru_cache(maxsize=64)
def _pack(text: str) -> rules.Pack:
    """A stored pack, read once: a batch's hundreds of elections share one or two. A pack
    stored before packs carried their words takes them from the shipped pack of its key."""
    pack = rules.parse_pack(json.loads(text))
    shipped = rules.packs().get(pack.key)
    if shipped is not None and not (pack.title_en or pack.contest_labels
                                    or pack.constituency_labels):
        pack = replace(pack, title_en=shipped.title_en, contest_labels=shipped.contest_labels,
                       constituency_labels=shipped.constituency_labels)
    return pack


def _election(row: tuple) -> Election:
    return Election(row[0], row[1], _pack(row[2]), dt.date.fromisoformat(row[3]), *row[4:])


def get_election(db: Database, election: int) -> Election:
    row = db.execute(f"SELECT {_COLUMNS} FROM election_elections WHERE id = ?",
                     (election,)).fetchone()
    if row is None:
        raise CivicError(_("No election {id}.").format(id=election))
    return _election(row)


def elections(db: Database, *, batch: int | None = None) -> list[dict[str, Any]]:
    where, args = ("WHERE e.batch = ?", (batch,)) if batch is not None else ("", ())
    rows = db.execute(
        "SELECT e.id, e.title, e.pack, e.held_on, e.status, e.reason, e.batch,"
        " (SELECT count(*) FROM election_rounds r WHERE r.election = e.id),"
        " (SELECT count(*) FROM election_candidates c WHERE c.election = e.id), e.pack_data"
        f" FROM election_elections e {where} ORDER BY e.id", args).fetchall()
    return [{"id": r[0], "title": r[1], "pack": r[2], "pack_name": _pack(r[9]).name(),
             "held_on": r[3], "status": r[4], "reason": r[5], "batch": r[6], "rounds": r[7],
             "candidates": r[8]} for r in rows]


def candidates(db: Database, election: int) -> list[dict[str, Any]]:
    return [{"contest": r[0], "code": r[1], "name": r[2], "incumbent": bool(r[3])}
            for r in db.execute("SELECT contest, code, name, incumbent FROM election_candidates"
                                " WHERE election = ? ORDER BY contest, seq", (election,))]


def names(db: Database, election: int) -> dict[str, str]:
    """Candidate codes to names (listed candidates, then anyone in the registry)."""
    return {r["code"]: r["name"] for r in candidates(db, election)}


@dataclass(frozen=True)
class Round:
    id: int
    election: int
    round_no: int
    kind: str
    vround: VotingRound
    report: dict[str, Any] | None
    certified_audit: int | None


def rounds(db: Database, election: int) -> list[Round]:
    return [Round(r[0], election, r[1], r[2], ballots.get_round(db, r[3]),
                  json.loads(r[4]) if r[4] else None, r[5])
            for r in db.execute("SELECT id, round_no, kind, vround, report, certified_audit"
                                " FROM election_rounds WHERE election = ? ORDER BY round_no",
                                (election,))]


def get_round(db: Database, election: int, round_no: int | None = None) -> Round:
    """A round of the election: the latest one by default."""
    found = rounds(db, election)
    if round_no is not None:
        found = [r for r in found if r.round_no == round_no]
    if not found:
        if round_no is None:
            raise CivicError(_("Election {id} has no round (it was not held).").format(
                id=election))
        raise CivicError(_("Election {id} has no round {round}.").format(id=election,
                                                                          round=round_no))
    return found[-1]


def rules_for(election: Election, rnd: Round) -> Any:
    """The counting rules of a round: a runoff counts with the pack's runoff threshold."""
    if rnd.kind == RUNOFF:
        return election.pack.runoff_rules()
    if rnd.kind == RECALL:
        return election.pack.recall_rules()
    return election.pack.rules()


def count(db: Database, election: Election, rnd: Round) -> dict[str, Any]:
    """The count contract of a round (docs/formats.md): quorum first; below it nothing is
    counted. A certified round reports what was certified."""
    if rnd.report is not None:
        return rnd.report
    wards = contests.constituencies(db, rnd.vround)
    counting = rules_for(election, rnd)
    counted = (contests.count(db, rnd.vround, counting)
               if rules.quorum_met(wards, counting.quorum) else None)
    return _contract(election, rnd, wards, counted, names(db, election.id))


def _contract(election: Election, rnd: Round, wards: Any, counted: Any,
              named: dict[str, str], counting: Any = None) -> dict[str, Any]:
    counting = counting or rules_for(election, rnd)
    weighted = election.pack.weighted and any(w.code for w in wards)
    return rules.contract(election.id, rnd.round_no, election.pack, wards, counted, named,
                          counting.threshold, weighted)


def election_count(db: Database, election: Election) -> dict[str, Any]:
    """The latest round's count, or an election not held with its reason."""
    if election.status == "not_held":
        return _not_held(election)
    return count(db, election, get_round(db, election.id))


def _not_held(election: Election) -> dict[str, Any]:
    return {"election": election.id, "round": 0, "kind": election.pack.key,
            "not_held": True, "reason": election.reason, "void": False,
            "void_reason": None, "quorum": {"met": False, "due": 0, "present": 0},
            "ballots": {"issued": 0, "returned": 0}, "constituencies": [],
            "contests": []}


def _pending(election: Election, reason: str) -> dict[str, Any]:
    """An election whose figures or tallies are not in yet."""
    return {"election": election.id, "round": 0, "kind": election.pack.key,
            "pending": True, "reason": reason, "void": False, "void_reason": None,
            "quorum": {"met": False, "due": 0, "present": 0},
            "ballots": {"issued": 0, "returned": 0}, "constituencies": [],
            "contests": []}


def incumbents(db: Database, batch: int | None = None) -> dict[int, set[str]]:
    where, args = ("AND e.batch = ?", (batch,)) if batch is not None else ("", ())
    out: dict[int, set[str]] = {}
    for election, code in db.execute(
            "SELECT c.election, c.code FROM election_candidates c JOIN election_elections e"
            f" ON e.id = c.election WHERE c.incumbent = 1 {where}", args):
        out.setdefault(election, set()).add(code)
    return out


def batch_count(db: Database, batch: int,
                progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Every election of a batch counted, and the summary: each election as
    `election_count` gives it, read and counted for all of them at once
    (`civic.contests.count_tallied`, `count_many`): hundreds of schools in a few queries.
    `progress(done, total)`: elections decided so far, once the batch is read and counted."""
    if db.execute("SELECT 1 FROM election_batches WHERE id = ?", (batch,)).fetchone() is None:
        raise CivicError(_("No batch {id}.").format(id=batch))
    with collector_paused():  # thousands of small dicts and tuples, no cycle among them
        return _batch_count(db, batch, progress)


def _batch_count(db: Database, batch: int,
                 progress: Callable[[int, int], None] | None) -> dict[str, Any]:
    # each distinct stored pack read once, not its text once per election (a batch shares one)
    packs: dict[int, rules.Pack] = {}
    for text, ids in db.execute("SELECT pack_data, group_concat(id) FROM election_elections"
                                " WHERE batch = ? GROUP BY pack_data", (batch,)):
        packs.update(dict.fromkeys(map(int, ids.split(",")), _pack(text)))
    found = [Election(row[0], row[1], packs[row[0]], dt.date.fromisoformat(row[2]), *row[3:])
             for row in db.execute(f"SELECT {_COLUMNS.replace(' pack_data,', '')} FROM"
                                   " election_elections WHERE batch = ? ORDER BY id", (batch,))]
    latest: dict[int, tuple[Any, ...]] = {}  # election -> its last round's row
    for row in db.execute(
            "SELECT er.election, er.id, er.round_no, er.kind, r.id, er.report,"
            " er.certified_audit FROM election_rounds er"
            " JOIN election_elections e ON e.id = er.election"
            " JOIN voting_rounds r ON r.key = er.vround"
            " WHERE e.batch = ? ORDER BY er.election, er.round_no", (batch,)):
        latest[row[0]] = row
    vrounds = contests.rounds_by_id(db, [row[4] for row in latest.values()])
    held = {e.id: Round(row[1], e.id, row[2], row[3], vrounds[row[4]],
                        json.loads(row[5]) if row[5] else None, row[6])
            for e in found if (row := latest.get(e.id)) is not None}
    named: dict[int, dict[str, str]] = {}
    mine: dict[int, set[str]] = {}  # `incumbents` of the batch, from the same rows
    for election, code, name, incumbent in db.execute(
            "SELECT c.election, c.code, c.name, c.incumbent FROM election_candidates c"
            " JOIN election_elections e ON e.id = c.election WHERE e.batch = ?"
            " ORDER BY c.election, c.contest, c.seq", (batch,)):
        named.setdefault(election, {})[code] = name
        if incumbent:
            mine.setdefault(election, set()).add(code)
    to_count = [e for e in found if e.status != "not_held" and e.id in held
                and held[e.id].report is None]
    wards_of = contests.constituencies_many(db, [held[e.id].vround for e in to_count])
    # a batch's elections share a pack or two (`_pack` reads each stored text once): their
    # counting rules are made once per pack and kind of round, not three times per election
    shared: dict[tuple[int, str], Any] = {}
    counting = {}
    for e in to_count:
        key = (id(e.pack), held[e.id].kind)
        if key not in shared:
            shared[key] = rules_for(e, held[e.id])
        counting[e.id] = shared[key]
    # rounds counted from tally files (a batch's schools): decided as plain rows in one pass;
    # any other (ballots keyed or imported) counted as `count` counts it. Below quorum both
    # refuse (CivicError), and nothing is counted: the contract says so.
    to_decide = [held[e.id].vround for e in to_count
                 if not isinstance(wards_of[held[e.id].vround.id], CivicError)]
    by_round = {held[e.id].vround.id: counting[e.id] for e in to_count}
    tallied = contests.count_tallied(db, to_decide, by_round, wards_of)
    # (below quorum, count_many's set-based reads of the ballots are spared: not counted)
    counted = contests.count_many(
        db, [r for r in to_decide if r.id not in tallied
             and rules.quorum_met(wards_of[r.id], by_round[r.id].quorum)],  # type: ignore[arg-type]
        by_round, wards_of)
    counts = []
    step = max(1, len(found) // 20)
    for at, election in enumerate(found):
        if progress is not None and at % step == 0:
            progress(at, len(found))
        rnd = held.get(election.id)
        if election.status == "not_held":
            data = _not_held(election)
        elif rnd is None:
            data = _pending(election, _("Election {id} has no round (it was not held).").format(
                id=election.id))
        elif rnd.report is not None:
            data = rnd.report
        elif isinstance(wards := wards_of[rnd.vround.id], CivicError):
            data = _pending(election, str(wards))
        elif isinstance(got := tallied.get(rnd.vround.id, counted.get(rnd.vround.id)),
                        CivicError):
            rule = counting[election.id]
            data = (_pending(election, str(got)) if rules.quorum_met(wards, rule.quorum)
                    else _contract(election, rnd, wards, None, named.get(election.id, {}), rule))
        elif isinstance(got, contests.TalliedRound):
            data = rules.tallied_contract(
                election.id, rnd.round_no, election.pack, got, named.get(election.id, {}),
                counting[election.id].threshold,
                election.pack.weighted and any(w.code for w in wards))
        else:
            data = _contract(election, rnd, wards, got, named.get(election.id, {}),
                             counting[election.id])
        data["school"] = election.school
        data["title"] = election.title
        data["group"] = election.group
        data["outcome"] = rules.outcome(data)
        counts.append(data)
    if progress is not None:
        progress(len(found), len(found))
    return {"batch": batch, "elections": counts,
            "summary": rules.summary(counts, mine)}


def batches(db: Database) -> list[dict[str, Any]]:
    return [{"id": r[0], "title": r[1], "file": r[2], "created_on": r[3], "elections": r[4]}
            for r in db.execute(
                "SELECT b.id, b.title, b.elections_file, b.created_on,"
                " (SELECT count(*) FROM election_elections e WHERE e.batch = b.id)"
                " FROM election_batches b ORDER BY b.id")]


def show(db: Database, election: Election) -> dict[str, Any]:
    return {"id": election.id, "title": election.title, "pack": election.pack.key,
            "pack_title": election.pack.title, "held_on": election.held_on.isoformat(),
            "office_title": election.office_title, "position": election.position,
            "status": election.status, "reason": election.reason, "batch": election.batch,
            "school": election.school, "notice": election.notice,
            "sources": {k: election.pack.source(k) for k in election.pack.articles},
            "to_check": sorted(election.pack.to_check),
            "candidates": candidates(db, election.id),
            "rounds": [{"round": r.round_no, "kind": r.kind, "key": r.vround.key,
                        "status": "certified" if r.report is not None else
                        ("locked" if r.vround.locked else "open")}
                       for r in rounds(db, election.id)]}


# --- terms, targets, recalls -----------------------------------------------------------------

def terms(db: Database, *, election: int | None = None,
          on: dt.date | None = None) -> list[dict[str, Any]]:
    where: list[str] = []
    args: list[Any] = []
    if election is not None:
        where.append("t.election = ?")
        args.append(election)
    if on is not None:
        where.append("t.status = 'serving' AND t.starts <= ? AND t.ends > ?")
        args += [on.isoformat(), on.isoformat()]
    sql = ("SELECT t.id, t.election, t.person, p.name, t.office_title, t.starts, t.ends,"
           " t.status, t.ended_on FROM election_terms t JOIN people p ON p.code = t.person"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.id")
    return [dict(zip(("id", "election", "person", "name", "office_title", "starts", "ends",
                      "status", "ended_on"), r, strict=True)) for r in db.execute(sql, args)]


def get_term(db: Database, term: int) -> dict[str, Any]:
    found = [t for t in terms(db) if t["id"] == term]
    if not found:
        raise CivicError(_("No term {id}.").format(id=term))
    return found[0]


def targets(db: Database, term: int | None = None) -> list[dict[str, Any]]:
    where, args = ("WHERE term = ?", (term,)) if term is not None else ("", ())
    return [dict(zip(("id", "term", "text", "due", "status", "updated_on"), r, strict=True))
            for r in db.execute("SELECT id, term, text, due, status, updated_on FROM"
                                f" election_targets {where} ORDER BY due, id", args)]


def recalls(db: Database, term: int | None = None) -> list[dict[str, Any]]:
    where, args = ("WHERE term = ?", (term,)) if term is not None else ("", ())
    return [dict(zip(("id", "term", "filed_on", "signers", "registered", "grounds", "reply",
                      "vround", "status", "decided_on", "barred_until"), r, strict=True))
            for r in db.execute(
                "SELECT id, term, filed_on, signers, registered, grounds, reply, vround,"
                f" status, decided_on, barred_until FROM election_recalls {where}"
                " ORDER BY id", args)]


def get_recall(db: Database, recall: int) -> dict[str, Any]:
    found = [r for r in recalls(db) if r["id"] == recall]
    if not found:
        raise CivicError(_("No recall {id}.").format(id=recall))
    return found[0]


def round_key(election: int, round_no: int) -> str:
    return f"election:{election}:{round_no}"


def recall_key(recall: int) -> str:
    return f"election-recall:{recall}"



# --- keying at the terminal ------------------------------------------------------------------

@dataclass(frozen=True)
class KeyingFigures:
    """What keying one more ballot is checked against, in one constituency of a round (the
    round's own when it declares none): ballots issued and returned as recorded (None while
    not recorded), and the ballots keyed or imported there so far."""

    issued: int | None
    returned: int | None
    keyed: int


def keying_figures(db: Database, vround: VotingRound, constituency: str | None
                   ) -> KeyingFigures:
    if constituency:
        row = db.execute("SELECT issued, returned FROM voting_constituencies WHERE round = ?"
                         " AND code = ?", (vround.id, constituency)).fetchone()
        issued, returned = row if row is not None else (None, None)
    else:
        issued, returned = db.execute("SELECT issued, returned FROM voting_rounds WHERE id = ?",
                                      (vround.id,)).fetchone()
    keyed = db.execute("SELECT count(*) FROM voting_ballots WHERE round = ? AND"
                       " coalesce(constituency, '') = ?",
                       (vround.id, constituency or "")).fetchone()[0]
    return KeyingFigures(issued, returned, keyed)
