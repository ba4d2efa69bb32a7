"""The nomination's reads: nominations, rounds, what a written name means, counts, the reserve.

The writes are `actions`. Ballot storage and counting are core's (`civic.ballots`); this module
supplies what a written name means (`resolver`), and the readings around it. A round is `nomination:<id>:<round>` (`:<attempt>` after a re-run).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from civic import ballots
from civic.ballots import Resolver, VotingRound
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _, ngettext
from civic.office import Office
from civic.plugins.nomination import rules
from civic.plugins.nomination.rules import CONFERENCE, DECLARED_INVALID, OPEN, Settings
from civic.voting import (
    RETURNED_EXCEEDS_ISSUED,
    PostCount,
    RoundFigures,
    check_round,
    count_report,
)

BASIS = "nomination"


@dataclass(frozen=True)
class Nomination:
    id: int
    title: str
    reference_date: dt.date
    settings: Settings
    positions: tuple[str, ...]
    created_on: str
    ceilings: Mapping[str, str | None] = field(default_factory=dict)  # post -> rank code

    @property
    def ref(self) -> str:
        return f"nomination:{self.id}"


@dataclass(frozen=True)
class Round:
    id: int
    nomination: int
    round_no: int
    attempt: int
    status: str  # open | certified | void
    opened_on: str
    vround: VotingRound
    report: dict[str, Any] | None
    report_sha256: str | None
    chain_head: str | None
    certified_audit: int | None
    notice: int | None

    @property
    def key(self) -> str:
        return self.vround.key

    def require_open(self) -> None:
        if self.status != "open":
            raise CivicError(_("Round {round} of nomination {id} is {status}: it takes no more"
                               " changes.").format(round=self.round_no, id=self.nomination,
                                                   status=_(self.status)))


# --- nominations -------------------------------------------------------------------------------


def get(db: Database, nid: int) -> Nomination:
    row = db.execute(
        "SELECT id, title, reference_date, advance_1, advance_2, marks_1, marks_2, tie_policy,"
        " quorum, show_counts, created_on FROM nomination_nominations WHERE id = ?",
        (nid,)).fetchone()
    if row is None:
        raise CivicError(_("No nomination {id}.").format(id=nid))
    bands = dict(db.execute("SELECT position, ceiling FROM nomination_positions"
                            " WHERE nomination = ? ORDER BY seq", (nid,)).fetchall())
    posts = tuple(bands)
    settings = Settings(advance=(row[3], row[4]), marks=(row[5], row[6]), tie_policy=row[7],
                        quorum=rules.parse_fraction(row[8]), show_counts=bool(row[9]))
    return Nomination(row[0], row[1], dt.date.fromisoformat(row[2]), settings, posts, row[10],
                      bands)


def list_all(db: Database) -> list[dict[str, Any]]:
    out = []
    for (nid,) in db.execute("SELECT id FROM nomination_nominations ORDER BY id").fetchall():
        nomination = get(db, nid)
        out.append({"id": nid, "title": nomination.title,
                    "reference_date": nomination.reference_date.isoformat(),
                    "positions": len(nomination.positions),
                    "stage": stage(db, nomination)})
    return out


def rounds(db: Database, nid: int) -> list[Round]:
    return [_round(db, row) for row in db.execute(
        f"SELECT {_ROUND_COLUMNS} FROM nomination_rounds WHERE nomination = ?"
        " ORDER BY round_no, attempt", (nid,)).fetchall()]


_ROUND_COLUMNS = ("id, nomination, round_no, attempt, status, opened_on, voting_round, report,"
                  " report_sha256, chain_head, certified_audit, notice")


def _round(db: Database, row: tuple) -> Round:
    (rid, nid, round_no, attempt, status, opened_on, vround, report, sha, head, audit_id,
     notice) = row
    return Round(rid, nid, round_no, attempt, status, opened_on, ballots.get_round(db, vround),
                 json.loads(report) if report else None, sha, head, audit_id, notice)


def get_round(db: Database, nomination: Nomination, round_no: int | None = None) -> Round:
    """The latest attempt of round `round_no`, or the latest round when None."""
    found = [r for r in rounds(db, nomination.id)
             if round_no is None or r.round_no == round_no]
    if not found:
        raise CivicError(_("Nomination {id} has no round {round} yet.").format(
            id=nomination.id, round=round_no))
    return found[-1]


def stage(db: Database, nomination: Nomination) -> str:
    """Where the nomination stands, as a code: round1, notice, round2, inspection (round 2
    certified, the 考察对象公示 before the reserve), done (see `stage_text`)."""
    last = get_round(db, nomination)
    if last.round_no == CONFERENCE:
        if last.status != "certified":
            return "round2"
        return "done" if reserve_named(db, nomination) else "inspection"
    return "notice" if last.status == "certified" else "round1"


def reserve_named(db: Database, nomination: Nomination) -> bool:
    """Whether round 2's names have entered the reserve pool (at certification, or after the
    考察对象公示). A nomination certified before that step existed has its reserve rows only."""
    if db.execute("SELECT 1 FROM audit_log WHERE type = 'nomination.reserve_named'"
                  " AND subject = ? LIMIT 1", (nomination.ref,)).fetchone():
        return True
    return db.execute("SELECT 1 FROM reserve_pool WHERE basis_kind = ? AND basis_ref = ?"
                      " LIMIT 1", (BASIS, str(nomination.id))).fetchone() is not None


# --- what a written name means -----------------------------------------------------------------

def decisions(db: Database, rnd: Round) -> dict[tuple[str, str], str]:
    """Adjudications in force: (post, normalised text) -> person code or DECLARED_INVALID."""
    out: dict[tuple[str, str], str] = {}
    for post, written, action, person in db.execute(
            "SELECT position, written, action, person FROM nomination_adjudications"
            " WHERE round = ? ORDER BY id", (rnd.id,)):
        if action == "reverse":
            out.pop((post, written), None)
        else:
            out[(post, written)] = person if action == "assign" else DECLARED_INVALID
    return out


def slates(db: Database, nomination: Nomination) -> dict[str, dict[str, str]]:
    """Round 2's reference list per post: those going on from the certified round 1."""
    r1 = get_round(db, nomination, OPEN)
    if r1.status != "certified" or r1.report is None:
        raise CivicError(_("Round {round} of nomination {id} is not certified.").format(
            round=OPEN, id=nomination.id))
    return {p["position"]: {r["person"]: r["name"] for r in p["results"] if r["advances"]}
            for p in r1.report["positions"]}


def resolver(office: Office, nomination: Nomination, rnd: Round) -> Resolver:
    """(post, text) -> Mark for this round, with the registry, decisions and slate behind it."""
    from civic.eligibility import bars, problems
    from civic.facts import restrictions_on
    from civic.registry import get_position

    db, pm = office.db, office.pm
    restricted = restrictions_on(db, nomination.reference_date)  # one read for every name
    chosen = decisions(db, rnd)
    slate = slates(db, nomination) if rnd.round_no == CONFERENCE else None
    posts = {p: get_position(db, p) for p in nomination.positions}
    checked: dict[tuple[str, str], bool] = {}

    def is_person(code: str) -> bool:
        return db.execute("SELECT 1 FROM people WHERE code = ?", (code,)).fetchone() is not None

    def people_named(name: str) -> list[str]:
        return [c for (c,) in db.execute("SELECT code FROM people WHERE name = ? ORDER BY code",
                                         (name,))]

    def resolve(post: str, text: str) -> Any:
        def eligible(code: str) -> bool:
            if (post, code) not in checked:
                person = next(db.query("SELECT * FROM people WHERE code = ?", [code]), None)
                checked[(post, code)] = (
                    person is not None
                    and rules.within_ceiling(person.get("rank"), nomination.ceilings.get(post))
                    # A warning (a training shortfall, by default) bars nothing: the
                    # candidate may be nominated, and the count report shows it.
                    and not bars(problems(pm, db, person, posts[post],
                                          nomination.reference_date,
                                          restrictions=restricted.get(code, ()))))
            return checked[(post, code)]

        lookup = rules.Lookup(is_person, people_named, eligible)
        return rules.resolve(text, lookup, decision=chosen.get((post, ballots.normalise(text))),
                             slate=None if slate is None else slate.get(post, {}))

    return resolve


# --- adjudication ------------------------------------------------------------------------------

def queue(db: Database, rnd: Round, *, everything: bool = False) -> list[dict[str, Any]]:
    """Written names waiting for a decision; with `everything`, unknown names too (they may be
    adjudicated to a person) and those already decided."""
    kinds = "?!=" if everything else "?"
    rows = ballots.written(db, rnd.vround, kinds=kinds)
    chosen = {k: "invalid" if v == DECLARED_INVALID else v for k, v in decisions(db, rnd).items()}
    out = []
    for r in rows:
        mark = r["mark"]
        if everything and isinstance(mark, str) and \
                (r["position"], ballots.normalise(r["text"])) not in chosen:
            continue  # plain matches need no decision
        out.append({"position": r["position"], "text": r["text"],
                    "written": ballots.normalise(r["text"]), "marks": r["marks"],
                    "state": _state(mark), "decision": chosen.get(
                        (r["position"], ballots.normalise(r["text"])))})
    return out


def _state(mark: Any) -> str:
    if isinstance(mark, str):
        return mark
    return getattr(mark, "reason", "unresolved")


def candidates_for(db: Database, written: str) -> list[dict[str, Any]]:
    """People a written name may mean: same name, or the code itself."""
    return list(db.query(
        "SELECT code, name, birth_date, unit, position, rank, status FROM people"
        " WHERE name = ? OR code = ? ORDER BY code", [written, written]))


# --- count, re-vote, certify -------------------------------------------------------------------

def revotes(db: Database, rnd: Round) -> dict[str, list[dict[str, int]]]:
    out: dict[str, list[dict[str, int]]] = {}
    for post, votes in db.execute(
            "SELECT position, votes FROM nomination_revotes WHERE round = ? ORDER BY id",
            (rnd.id,)):
        out.setdefault(post, []).append(json.loads(votes))
    return out


def tie_decisions(db: Database, rnd: Round) -> dict[str, dict[str, Any]]:
    """The department meeting's decisions on ties at the cut-off (tie policy `meeting`), per
    post: {advancing, meeting, decided_on}."""
    return {post: {"advancing": json.loads(advancing), "meeting": meeting,
                   "decided_on": decided_on}
            for post, advancing, meeting, decided_on in db.execute(
                "SELECT position, advancing, meeting, decided_on FROM nomination_tie_decisions"
                " WHERE round = ? ORDER BY id", (rnd.id,))}


def count(db: Database, nomination: Nomination, rnd: Round) -> tuple[RoundFigures,
                                                                         dict[str, PostCount]]:
    """The round's figures and per-post counts, re-votes and the meeting's decisions applied.
    Raises below quorum."""
    figures = ballots.figures(db, rnd.vround)
    counting = nomination.settings.rules(rnd.round_no)
    check_round(figures.registered, figures.present, figures.issued, figures.returned, counting)
    slate = None
    if rnd.round_no == CONFERENCE:
        slate = {p: list(people) for p, people in slates(db, nomination).items()}
    counts = ballots.count(db, rnd.vround, counting, candidates=slate, figures=figures)
    held = revotes(db, rnd)
    decided = tie_decisions(db, rnd)
    return figures, {p: rules.settle(c, held.get(p, ()),
                                     decided[p]["advancing"] if p in decided else None)
                     for p, c in counts.items()}


def names(db: Database, codes: Iterable[str]) -> dict[str, str]:
    codes = list(set(codes))
    if not codes:
        return {}
    holders = ",".join("?" * len(codes))
    return dict(db.execute(f"SELECT code, name FROM people WHERE code IN ({holders})", codes))


def report(db: Database, nomination: Nomination, rnd: Round, pm: Any = None) -> dict[str, Any]:
    """Issue 4's JSON for the round (the certified one, once certified). With the plugins
    (`pm`), each candidate going on who is eligible only with a warning carries it."""
    if rnd.report is not None:
        return rnd.report
    figures, counts = count(db, nomination, rnd)
    counting = nomination.settings.rules(rnd.round_no)
    people = names(db, (r.candidate for c in counts.values() for r in c.results))
    out = count_report(nomination.id, rnd.round_no, figures, counts.values(), people, counting)
    # Extensions of the documented count shape: ballots entered, and irregularities that do not void.
    out["ballots"]["entered"] = db.execute(
        "SELECT count(*) FROM voting_ballots WHERE round = ?", (rnd.vround.id,)).fetchone()[0]
    # Tie policy `meeting` only: the policy, and the department meeting's decisions on ties
    # with the meeting named (the documented shape is otherwise unchanged).
    if nomination.settings.tie_policy == rules.MEETING:
        out["tie_policy"] = rules.MEETING
        out["tie_decisions"] = tie_decisions(db, rnd)
    out["irregular"] = [r for r in check_round(figures.registered, figures.present,
                                               figures.issued, figures.returned,
                                               counting).reasons
                        if r != RETURNED_EXCEEDS_ISSUED]
    if pm is not None:
        _add_warnings(db, pm, nomination, out)
    return out


def _add_warnings(db: Database, pm: Any, nomination: Nomination, out: dict[str, Any]) -> None:
    """Each candidate going on who is eligible with a warning (a training shortfall, by
    default) gets the warnings' words under "warnings" (absent when none: the documented
    shape is otherwise unchanged), as the post's conditions on the reference date give them."""
    from civic.eligibility import problems_many, split
    from civic.registry import get_position

    going = [(post, r) for post in out["positions"] for r in post["results"]
             if r.get("advances")]
    if not going:
        return
    codes = sorted({r["person"] for _post, r in going})
    people = {p["code"]: p for p in db.query(
        f"SELECT * FROM people WHERE code IN ({','.join('?' * len(codes))})", codes)}
    posts = {post["position"]: get_position(db, post["position"]) for post, _r in going}
    going = [(post, r) for post, r in going if r["person"] in people]
    pairs = [(people[r["person"]], posts[post["position"]]) for post, r in going]
    for (_person, _position, found), (_post, row) in zip(
            problems_many(pm, db, pairs, nomination.reference_date), going, strict=True):
        warned = split(found)[1]
        if warned:
            row["warnings"] = [p.message for p in warned]


def certify_problems(db: Database, nomination: Nomination, rnd: Round) -> list[str]:
    """Why the round cannot be certified yet (empty when it can). Raises below quorum."""
    data = report(db, nomination, rnd)
    if data["void"]:
        return [_("More ballots returned ({returned}) than issued ({issued}): the round is"
                  " void. Hold it again: civic nomination open-round {id} --rerun.").format(
                      returned=data["ballots"]["returned"], issued=data["ballots"]["issued"],
                      id=nomination.id)]
    out = []
    if data["ballots"]["entered"] != data["ballots"]["returned"]:
        out.append(_("{entered} ballots entered but {returned} returned.").format(
            entered=data["ballots"]["entered"], returned=data["ballots"]["returned"]))
    waiting = sum(p["marks"]["unresolved"] for p in data["positions"])
    if waiting:
        out.append(_("{n} marks wait for adjudication.").format(n=waiting))
    for post in data["positions"]:
        if post["tie_at_cutoff"]:
            out.append((_("{position}: a tie at the cut-off among {codes}; the department's "
                          "meeting decides (civic nomination decide-tie).")
                        if nomination.settings.tie_policy == rules.MEETING else
                        _("{position}: a tie at the cut-off among {codes}; hold a re-vote."))
                       .format(position=post["position"], codes=", ".join(post["tie_at_cutoff"])))
    return out


def certify_warnings(db: Database, nomination: Nomination, rnd: Round) -> list[str]:
    """What the supervisor should know before co-signing, though it does not stop the round:
    a post where fewer go on than the round asks for, and its over-marked ballots."""
    data = report(db, nomination, rnd)
    places = nomination.settings.advance[rnd.round_no - 1]
    out = []
    for post in data["positions"]:
        going = sum(1 for r in post["results"] if r.get("advances"))
        if going < places:
            over = post["invalid"].get("over_vote", 0)
            text = ngettext("{position}: {n} goes on where the round asks for {places}.",
                            "{position}: {n} go on where the round asks for {places}.",
                            going).format(position=post["position"], n=going, places=places)
            if over:
                text += " " + ngettext(
                    "{n} mark was not counted: its ballot marked more names than allowed.",
                    "{n} marks were not counted: their ballots marked more names than allowed.",
                    over).format(n=over)
            out.append(text)
    return out


# --- the reserve -------------------------------------------------------------------------------

def listed(db: Database, vround: VotingRound) -> dict[str, list[str]]:
    """The reference lists of a round's contests (round 2's slate), for its re-run."""
    from civic.contests import contests

    return {c.code: list(c.candidates) for c in contests(db, vround) if c.candidates}


def reserve(db: Database, nomination: Nomination) -> list[dict[str, Any]]:
    from civic.registry import reserve_pool

    return reserve_pool(db, basis_kind=BASIS, basis_ref=str(nomination.id))
