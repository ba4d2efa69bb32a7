"""Writes of the election plugin, each one audited transaction through `office.change()`.

An election's rounds are core rounds of value contests (`civic.contests`): its roll,
attendance, ballots and tallies are stored and counted there; this module keeps the pack, the
candidates' names and incumbency, certification (a supervisor co-signs; the elected become core
appointments where the contest fills a registry post, and each gets a `term` fact), batches,
term targets and recalls.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from civic import audit, ballots, contests, facts
from civic.ballots import Resolver
from civic.db import Database
from civic.errors import CivicError, InputError, InputProblem, PermissionDenied
from civic.i18n import N_, _
from civic.office import Office, Operator
from civic.plugins.election import rules, store
from civic.plugins.election.events import (
    BatchImported,
    ElectionCertified,
    ElectionCreated,
    RecallDecided,
    RecallFiled,
    RecallReplied,
    RoundOpened,
    TargetSet,
    TermExtended,
)
from civic.tabular import (
    Column,
    Row,
    Schema,
    file_sha256,
    free_text,
    load_table,
    one_line,
    read_rows,
)
from civic.tally import (
    ABSTAIN,
    AGAINST,
    FIRST,
    FOR,
    RECALL,
    REVOTE,
    RUNOFF,
    Constituency,
    Contest,
    ElectionRules,
    Quorum,
    figure_problems,
    round_void,
)
from civic.voting import Invalid

PLUGIN = "election"


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    incumbent: bool = False


@dataclass(frozen=True)
class ContestSpec:
    code: str
    seats: int
    candidates: tuple[Candidate, ...]
    title: str = ""


def _stroke_order(listed: Sequence[Candidate]) -> list[Candidate]:
    """Candidates on the ballot in surname stroke order (姓氏笔画), code keeping it stable."""
    from civic.strokes import by_strokes

    return by_strokes(listed, lambda c: c.name, lambda c: c.code)


def _declare(change: Any, election: int, title: str, specs: Sequence[ContestSpec],
             wards: Sequence[Constituency]) -> None:
    db = change.db
    for spec in specs:
        db.conn.executemany(
            "INSERT INTO election_candidates (election, contest, code, name, incumbent, seq)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(election, spec.code, c.code, c.name, int(c.incumbent), i)
             for i, c in enumerate(spec.candidates, 1)])
    key = store.round_key(election, 1)
    contests.declare(change, key, title,
                     [Contest(s.code, s.seats, tuple(c.code for c in s.candidates))
                      for s in specs],
                     constituencies=wards, titles={s.code: s.title for s in specs if s.title})
    db.execute("INSERT INTO election_rounds (election, round_no, vround, kind) VALUES"
               " (?, 1, ?, ?)", (election, key, FIRST))


def create(office: Office, *, title: str, pack: rules.Pack, held_on: dt.date,
           contests_: Sequence[ContestSpec], constituencies: Sequence[Constituency] = (),
           office_title: str = "", position: str | None = None) -> int:
    """A new election under `pack`; refused without the 差额 the pack needs (nothing written).
    Candidates go on the ballot in surname stroke order."""
    if not contests_:
        raise CivicError(_("An election needs at least one contest."))
    codes = [c.code for c in contests_]
    if len(set(codes)) != len(codes):
        raise CivicError(_("A contest is listed twice."))
    for spec in contests_:
        problem = rules.slate_problem(pack, spec.seats, len(spec.candidates))
        if problem:
            raise CivicError(f"{spec.code}: {problem}")
    if position is not None:
        from civic.registry import get_position

        get_position(office.db, position)
    specs = [ContestSpec(s.code, s.seats, tuple(_stroke_order(s.candidates)), s.title)
             for s in contests_]
    with office.change() as change:
        election = _insert(change, title, pack, held_on, office_title, position)
        _declare(change, election, title, specs, constituencies)
        change.record(ElectionCreated(election=election, title=title, pack=pack.key,
                                      contests=_contests_payload(specs)))
    return election


def _rowid(cursor: Any) -> int:
    """The id of the row an INSERT just wrote."""
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def _insert(change: Any, title: str, pack: rules.Pack, held_on: dt.date, office_title: str,
            position: str | None, batch: int | None = None, school: str | None = None,
            group: str | None = None, status: str = "open", reason: str | None = None) -> int:
    return _rowid(change.db.execute(
        "INSERT INTO election_elections (title, pack, pack_data, held_on, office_title,"
        " position, batch, school, grp, status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?)", (title, pack.key, json.dumps(pack.raw, ensure_ascii=False, sort_keys=True),
                held_on.isoformat(), office_title, position, batch, school, group, status,
                reason)))


def _contests_payload(specs: Sequence[ContestSpec]) -> list[dict[str, Any]]:
    return [{"code": s.code, "seats": s.seats,
             "candidates": [c.code for c in s.candidates],
             "incumbents": [c.code for c in s.candidates if c.incumbent]} for s in specs]


# --- roll, attendance, figures, ballots, tallies ---------------------------------------------

def _open_round(office: Office, election: int) -> store.Round:
    found = store.get_election(office.db, election)
    if found.status != "open":
        raise CivicError(_("Election {id} is {status}: it takes no more changes.").format(
            id=election, status=found.status))
    return store.get_round(office.db, election)


def load_roll(office: Office, election: int, path: str | Path) -> dict[str, int]:
    rnd = _open_round(office, election)
    with office.change() as change:
        return ballots.load_roll(change, rnd.vround, path)


def attend(office: Office, election: int, codes: Iterable[str] | None, *,
           present: bool = True, close: bool = False) -> dict[str, Any]:
    """Mark electors present (None: everyone), and close attendance before ballots."""
    rnd = _open_round(office, election)
    out: dict[str, Any] = {}
    with office.change() as change:
        if codes is None or list(codes):
            out["present"] = ballots.set_attendance(change, rnd.vround, codes, present)
        if close:
            out.update(ballots.close_attendance(change, rnd.vround))
    return out


def record_figures(office: Office, election: int, *, issued: int, returned: int,
                   constituency: str | None = None, present: int | None = None) -> None:
    """Ballots issued and returned (and, per constituency, those present)."""
    rnd = _open_round(office, election)
    with office.change() as change:
        if constituency:
            contests.record_constituency_figures(change, rnd.vround, constituency,
                                                 present=present, issued=issued,
                                                 returned=returned)
        else:
            ballots.record_figures(change, rnd.vround, issued, returned)
            if ballots.attendance_closed(change.db, rnd.vround):
                # the closed roll fixes those present: ballots are issued to them only, as a
                # constituency's figures and a tally sheet are checked (figure_problems)
                found = ballots.figures(change.db, rnd.vround)
                wrong = figure_problems(found.registered, found.present, issued, returned)
                if wrong:
                    raise CivicError("\n".join(reason for _field, reason in wrong))


def resolver(db: Database, on: dt.date) -> Resolver:
    """A name written in a space for another person (另选他人): a person of the registry, by
    code or by a name only one person has, who may stand (no `no_candidacy` restriction);
    anything else is an invalid mark."""
    from civic.eligibility import bars, candidacy_problems
    from civic.registry import find_people_by_name, get_person

    cache: dict[str, Any] = {}

    def resolve(_post: str, text: str) -> Any:
        text = text.strip()
        if text in cache:
            return cache[text]
        known = db.execute("SELECT 1 FROM people WHERE code = ?", (text,)).fetchone()
        found = [get_person(db, text)] if known else find_people_by_name(db, text)
        if len(found) != 1:
            mark: Any = Invalid("unknown_name", text)
        elif bars(candidacy_problems(db, found[0], on)):  # a warning bars no candidate
            mark = Invalid("not_eligible", text)
        else:
            mark = found[0]["code"]
        cache[text] = mark
        return mark

    return resolve


def import_ballots(office: Office, election: int, path: str | Path) -> dict[str, Any]:
    rnd = _open_round(office, election)
    held = store.get_election(office.db, election).held_on
    with office.change() as change:
        return contests.import_value_ballots(change, rnd.vround, path,
                                             resolver(office.db, held))


def enter_ballots(office: Office, election: int,
                  stack: Iterable[tuple[int, str | None, Sequence[contests.KeyedMark]]]
                  ) -> dict[str, Any]:
    """Ballots keyed at the terminal, one audited batch (the TUI's ballot entry)."""
    rnd = _open_round(office, election)
    held = store.get_election(office.db, election).held_on
    with office.change() as change:
        return contests.enter_value_ballots(change, rnd.vround, stack,
                                            resolver(office.db, held))


def import_tallies(office: Office, election: int, path: str | Path) -> dict[str, Any]:
    rnd = _open_round(office, election)
    with office.change() as change:
        return contests.import_tally(change, rnd.vround, path)


# --- follow-on rounds ------------------------------------------------------------------------

def open_follow_on(office: Office, election: int, kind: str) -> store.Round:
    """另行选举 for the shortfall (RUNOFF, among the runoff slate), a re-vote among those tied
    for a seat (REVOTE), or the whole round again after a void one (REVOTE: 重选). The round
    before must be certified (what it elected stands), or void."""
    db = office.db
    found = store.get_election(db, election)
    last = store.get_round(db, election)
    data = store.count(db, found, last)
    counted = None
    if not data["void"]:
        if last.report is None:
            raise CivicError(_("Certify round {round} of election {id} first: what it elected"
                               " stands before another round opens.").format(
                                   round=last.round_no, id=election))
        counted = contests.count(db, last.vround, store.rules_for(found, last))
    if kind == RUNOFF:
        wanted = contests.runoff_contests(counted.results.values()) if counted else []
        if not wanted:
            raise CivicError(_("Round {round} of election {id} leaves no seat to a runoff."
                               ).format(round=last.round_no, id=election))
    elif counted is None:
        wanted = list(contests.contests(db, last.vround))  # 重选: the same contests again
    else:
        wanted = contests.revote_contests(counted.results.values())
        if not wanted:
            raise CivicError(_("Round {round} of election {id} has no tie for a seat.").format(
                round=last.round_no, id=election))
    round_no = last.round_no + 1
    key = store.round_key(election, round_no)
    titles = {RUNOFF: "另行选举", REVOTE: "重新投票"}
    with office.change() as change:
        vround = contests.follow_on(change, last.vround, key,
                                    f"{found.title} {titles[kind]}", kind, wanted)
        if db.execute("SELECT 1 FROM voting_electors WHERE round = ? LIMIT 1",
                      (last.vround.id,)).fetchone():
            ballots.copy_roll(change, last.vround, vround)
        db.execute("INSERT INTO election_rounds (election, round_no, vround, kind) VALUES"
                   " (?, ?, ?, ?)", (election, round_no, key, kind))
        if found.status == "certified":
            db.execute("UPDATE election_elections SET status = 'open' WHERE id = ?",
                       (election,))
        change.record(RoundOpened(election=election, round=round_no, kind=kind,
                                  contests=[{"code": c.code, "seats": c.seats,
                                             "candidates": list(c.candidates)}
                                            for c in wanted]))
    return store.get_round(db, election, round_no)


# --- certification ---------------------------------------------------------------------------

def _require_cosigner(office: Office, cosigner: Operator | None, action: str) -> None:
    if cosigner is None or cosigner.role != "supervisor" or (
            office.actor is not None and office.actor.name == cosigner.name):
        raise PermissionDenied(_("{action} needs a supervisor's co-signature.").format(
            action=action))


def certify(office: Office, election: int, cosigner: Operator | None,
            on: dt.date | None = None) -> dict[str, Any]:
    """Certify the latest round with a supervisor's co-signature: the round locks, the count
    is kept with the audit chain head; each elected person gets a `term` fact (the pack's term
    from `on`) and, where the election fills a registry post, a core appointment (basis
    election). Refused void, below quorum, or with an elected person not in the registry."""
    _require_cosigner(office, cosigner, _("certify an election"))
    db = office.db
    found = store.get_election(db, election)
    rnd = _open_round(office, election)
    data = store.count(db, found, rnd)
    if data["void"]:
        raise CivicError(_("Round {round} is void (more ballots returned than issued): hold it"
                           " again (election revote).").format(round=rnd.round_no))
    if not data["quorum"]["met"]:
        raise CivicError(_("Round {round} did not reach its quorum: nothing to certify.")
                         .format(round=rnd.round_no))
    elected = [(c["contest"], r["candidate"]) for c in data["contests"]
               for r in c["results"] if r["elected"]]
    missing = [code for _c, code in elected if db.execute(
        "SELECT 1 FROM people WHERE code = ?", (code,)).fetchone() is None]
    if missing:
        raise CivicError(_("Not in the registry: {codes}. Add them to the registry before"
                           " certifying, so their terms can be recorded.").format(
                               codes=", ".join(missing)))
    start = on or office.today()
    end = rules.term_end(found.pack, start)
    text = audit.canonical_json(data)
    sha = hashlib.sha256(text.encode()).hexdigest()
    with office.change() as change:
        _entry, chain_head = audit.head(db)
        digest = ballots.lock_round(change, rnd.vround)
        entry = change.record(ElectionCertified(
            election=election, round=rnd.round_no, report_sha256=sha, chain_head=chain_head,
            ballots_digest=digest, elected=[{"contest": c, "person": p} for c, p in elected]),
            cosigner)
        db.execute("UPDATE election_rounds SET report = ?, certified_audit = ? WHERE id = ?",
                   (text, entry.id, rnd.id))
        db.execute("UPDATE election_elections SET status = 'certified' WHERE id = ?",
                   (election,))
        for contest, person in elected:
            title = found.office_title or found.title
            if found.position:
                from civic.registry import appoint

                appoint(change, person=person, position=found.position, effective=start,
                        basis_kind=store.BASIS, basis_ref=f"{election}:{rnd.round_no}",
                        note=title)
            term_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM election_terms"
                                 ).fetchone()[0]
            fact = facts.record(change, person=person, kind="term", value=title,
                                valid_from=start, until=end,
                                source=(PLUGIN, f"term-{term_id}"),
                                rule=found.pack.source("term"),
                                data={"election": election, "contest": contest})
            db.execute("INSERT INTO election_terms (id, election, person, office_title, starts,"
                       " ends, fact) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (term_id, election, person, title, start.isoformat(), end.isoformat(),
                        fact))
    return data


# --- terms and targets -----------------------------------------------------------------------

def set_target(office: Office, term: int, text: str, due: dt.date,
               status: str = "open", target: int | None = None) -> int:
    """A term target (任期目标): new, or an existing one's status (met, missed)."""
    if status not in ("open", "met", "missed"):
        raise CivicError(_("A target is open, met or missed."))
    db = office.db
    store.get_term(db, term)
    with office.change() as change:
        if target is None:
            if not text.strip():
                raise CivicError(_("A target needs its text."))
            target = _rowid(db.execute(
                "INSERT INTO election_targets (term, text, due, status) VALUES (?, ?, ?, ?)",
                (term, text.strip(), due.isoformat(), status)))
        else:
            if db.execute("UPDATE election_targets SET status = ?, updated_on = ? WHERE id = ?"
                          " AND term = ?", (status, office.today().isoformat(), target,
                                            term)).rowcount != 1:
                raise CivicError(_("Term {term} has no target {id}.").format(term=term,
                                                                            id=target))
            due = dt.date.fromisoformat(db.execute(
                "SELECT due FROM election_targets WHERE id = ?", (target,)).fetchone()[0])
        change.record(TargetSet(term=term, target=target, due=due.isoformat(), status=status))
    return target


def extend_term(office: Office, term: int, ends: dt.date, approval: str) -> None:
    """Extend a term (at most the pack's months, with the level above's approval)."""
    db = office.db
    row = store.get_term(db, term)
    found = store.get_election(db, row["election"])
    if not approval.strip():
        raise CivicError(_("An extension needs the approval of the level above (its"
                           " reference)."))
    problem = rules.extension_problem(found.pack, dt.date.fromisoformat(row["ends"]), ends)
    if problem:
        raise CivicError(problem)
    fact_id = db.execute("SELECT fact FROM election_terms WHERE id = ?", (term,)).fetchone()[0]
    with office.change() as change:
        old = facts.get_fact(db, fact_id)
        new = facts.supersede(change, fact_id, reason=approval, person=row["person"],
                              kind="term", value=old.value, valid_from=office.today(),
                              until=ends, source=(PLUGIN, f"term-{term}"), rule=old.rule,
                              data=dict(old.data))
        db.execute("UPDATE election_terms SET ends = ?, fact = ? WHERE id = ?",
                   (ends.isoformat(), new, term))
        change.record(TermExtended(term=term, ends=ends.isoformat(), approval=approval))


# --- recall ----------------------------------------------------------------------------------

def file_recall(office: Office, term: int, *, signers: int, registered: int, grounds: str,
                representatives: bool = False) -> int:
    """A recall petition (罢免): enough signers for the pack, and no bar from a failed recall
    on the same grounds."""
    db = office.db
    row = store.get_term(db, term)
    if row["status"] != "serving":
        raise CivicError(_("Term {id} is not being served.").format(id=term))
    found = store.get_election(db, row["election"])
    problem = rules.petition_problem(found.pack, signers, registered, representatives)
    if problem:
        raise CivicError(problem)
    today = office.today()
    grounds = grounds.strip()
    if not grounds:
        raise CivicError(_("A recall petition states its grounds."))
    for earlier in store.recalls(db, term):
        bar = earlier["barred_until"]
        if earlier["grounds"] == grounds and bar and dt.date.fromisoformat(bar) > today:
            raise CivicError(_("A recall on the same grounds failed; a new petition may be"
                               " filed from {day} ({source}).").format(
                                   day=bar, source=found.pack.source("recall")))
        if earlier["status"] in ("filed", "voting"):
            raise CivicError(_("Recall {id} of this term is still open.").format(
                id=earlier["id"]))
    with office.change() as change:
        recall = _rowid(db.execute(
            "INSERT INTO election_recalls (term, filed_on, signers, registered, grounds)"
            " VALUES (?, ?, ?, ?, ?)", (term, today.isoformat(), signers, registered, grounds)))
        change.record(RecallFiled(recall=recall, term=term, signers=signers,
                                  registered=registered))
    return recall


def reply_recall(office: Office, recall: int, reply: str) -> None:
    """The respondent's reply (申辩意见), kept with the petition."""
    db = office.db
    if store.get_recall(db, recall)["status"] not in ("filed", "voting"):
        raise CivicError(_("Recall {id} is decided.").format(id=recall))
    with office.change() as change:
        db.execute("UPDATE election_recalls SET reply = ? WHERE id = ?", (reply.strip(), recall))
        change.record(RecallReplied(recall=recall))


RECALL_WARD = "voters"


def open_recall_vote(office: Office, recall: int) -> str:
    """The recall vote: a core round of kind recall (one contest, the person; a for-vote is a
    vote to recall), on the same roll, figures and ballots as an election."""
    db = office.db
    row = store.get_recall(db, recall)
    if row["status"] != "filed":
        raise CivicError(_("Recall {id} is not awaiting its vote.").format(id=recall))
    term = store.get_term(db, row["term"])
    key = store.recall_key(recall)
    # One constituency: the registered electors the petition was counted against.
    constituencies = [Constituency(RECALL_WARD, row["registered"], Fraction(1))]
    with office.change() as change:
        contests.declare(change, key, _("Recall of {name}").format(name=term["name"]),
                         [contests.recall_contest(term["person"])],
                         constituencies=constituencies, kind=RECALL)
        db.execute("UPDATE election_recalls SET vround = ?, status = 'voting' WHERE id = ?",
                   (key, recall))
    return key


def _recall_round(office: Office, recall: int) -> Any:
    row = store.get_recall(office.db, recall)
    if row["status"] != "voting":
        raise CivicError(_("Recall {id} has no vote open.").format(id=recall))
    return ballots.get_round(office.db, row["vround"])


def recall_figures(office: Office, recall: int, *, present: int, issued: int,
                   returned: int) -> None:
    vround = _recall_round(office, recall)
    with office.change() as change:
        contests.record_constituency_figures(change, vround, RECALL_WARD, present=present,
                                             issued=issued, returned=returned)


def recall_tallies(office: Office, recall: int, path: str | Path) -> dict[str, Any]:
    vround = _recall_round(office, recall)
    with office.change() as change:
        return contests.import_tally(change, vround, path)


def decide_recall(office: Office, recall: int, cosigner: Operator | None,
                  on: dt.date | None = None) -> dict[str, Any]:
    """Count the recall vote (co-signed): passed, the term ends and its fact with it; failed,
    the bar on a new petition on the same grounds is recorded (the pack's months)."""
    _require_cosigner(office, cosigner, _("decide a recall"))
    db = office.db
    row = store.get_recall(db, recall)
    if row["status"] != "voting":
        raise CivicError(_("Recall {id} has no vote to count.").format(id=recall))
    term = store.get_term(db, row["term"])
    found = store.get_election(db, term["election"])
    vround = ballots.get_round(db, row["vround"])
    wards = contests.constituencies(db, vround)
    registered = sum(w.registered for w in wards)
    present = sum(w.present for w in wards)
    returned = sum(w.returned for w in wards)
    if round_void(wards):
        raise CivicError(_("The recall vote is void (more ballots returned than issued):"
                           " hold it again."))
    for_votes = 0
    if returned:
        # Validity is the pack's rule (rules.recall_passed), decided with the count below.
        counted = contests.count(db, vround, ElectionRules(
            threshold=found.pack.recall.passing, quorum=Quorum("returned", Fraction(0), False)))
        for_votes = sum(s.for_votes for r in counted.results.values() for s in r.standings)
    valid, passed = rules.recall_passed(found.pack, registered, present, returned, for_votes)
    today = on or office.today()
    bar = None if passed else rules.petition_barred_until(found.pack, today)
    status = "passed" if passed else ("failed" if valid else "invalid")
    with office.change() as change:
        ballots.lock_round(change, vround)
        db.execute("UPDATE election_recalls SET status = ?, decided_on = ?, barred_until = ?"
                   " WHERE id = ?", (status, today.isoformat(),
                                     bar.isoformat() if bar else None, recall))
        if passed:
            fact_id = db.execute("SELECT fact FROM election_terms WHERE id = ?",
                                 (term["id"],)).fetchone()[0]
            facts.end(change, fact_id, on=today, reason=_("recalled"))
            db.execute("UPDATE election_terms SET status = 'recalled', ended_on = ? WHERE id = ?",
                       (today.isoformat(), term["id"]))
        change.record(RecallDecided(recall=recall, term=term["id"], valid=valid, passed=passed,
                                    barred_until=bar.isoformat() if bar else None), cosigner)
    return {"recall": recall, "registered": registered, "present": present,
            "returned": returned, "for": for_votes, "valid": valid, "passed": passed,
            "barred_until": bar.isoformat() if bar else None}


# --- batches ---------------------------------------------------------------------------------

def _whole(text: Any) -> int:
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValueError(_("a count is a whole number, 0 or more"))
    return int(text)


def _weight(text: Any) -> Fraction:
    try:
        value = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(_("a weight is a fraction such as 1/4 or 0.25")) from None
    if not 0 <= value <= 1:
        raise ValueError(_("a weight is from 0 to 1"))
    return value


_YES = {"1", "yes", "y", "true", "是", "现任", "√", "✓"}
_NO = {"", "0", "no", "n", "false", "否"}


def _flag(text: Any) -> bool:
    word = str(text).strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(_("expected yes or no (是/否)"))


BATCH_SCHEMA = Schema([
    Column("school", ("学校", "学校代码", "单位"), required=True, parse=one_line),
    Column("title", ("选举名称", "学校名称", "名称"), parse=free_text),
    Column("pack", ("规则",), parse=one_line),
    Column("group", ("类别", "分组"), parse=one_line),
    Column("contest", ("选举项目", "职务"), parse=one_line),
    Column("seats", ("应选", "应选人数"), parse=_whole),
    Column("candidate", ("候选人编号", "候选人"), parse=one_line),
    Column("name", ("姓名", "候选人姓名"), parse=one_line),
    Column("incumbent", ("现任", "是否现任"), parse=_flag),
    Column("constituency", ("选区", "选举单位"), parse=one_line),
    Column("due", ("应到", "登记人数"), parse=_whole),
    Column("weight", ("权重",), parse=_weight),
])

BATCH_TALLY_SCHEMA = Schema([
    Column("school", ("学校", "学校代码", "单位"), required=True, parse=one_line),
    *contests.TALLY_SCHEMA.columns])

DEFAULT_CONTEST = "principal"


@dataclass
class _Planned:
    school: str
    row: int
    title: str | None = None
    pack: str | None = None
    group: str | None = None
    seats: dict[str, int] | None = None
    candidates: dict[str, list[Candidate]] | None = None
    wards: list[tuple[int, Constituency]] | None = None


def _read_batch(path: Path, default_pack: str) -> list[_Planned]:
    plans: dict[str, _Planned] = {}

    def check(row: Row) -> Iterable[tuple[str | None, str]]:
        plan = plans.get(row["school"])
        if plan is None:
            plan = plans[row["school"]] = _Planned(row["school"], row.number, seats={},
                                                   candidates={}, wards=[])
        for name in ("title", "pack", "group"):
            value = row[name]
            if value is None:
                continue
            if getattr(plan, name) not in (None, value):
                yield name, _("{school}: differs from row {row}").format(school=plan.school,
                                                                         row=plan.row)
            setattr(plan, name, value)
        if row["pack"] is not None and row["pack"] not in rules.packs():
            yield "pack", _("no rule pack {key}").format(key=row["pack"])
        is_candidate, is_ward = row["candidate"] is not None, row["constituency"] is not None
        if is_candidate == is_ward:
            yield None, _("a row gives either a candidate or a constituency")
            return
        if is_candidate:
            contest = row["contest"] or DEFAULT_CONTEST
            if row["name"] is None:
                yield "name", _("a candidate needs a name")
            if row["seats"] is None:
                yield "seats", _("a candidate's row gives the seats of the contest")
                return
            assert plan.seats is not None and plan.candidates is not None
            if plan.seats.setdefault(contest, row["seats"]) != row["seats"]:
                yield "seats", _("{school}: seats differ from an earlier row").format(
                    school=plan.school)
            listed = plan.candidates.setdefault(contest, [])
            if any(c.code == row["candidate"] for c in listed):
                yield "candidate", _("{code} is given twice").format(code=row["candidate"])
            listed.append(Candidate(row["candidate"], row["name"] or row["candidate"],
                                    bool(row["incumbent"])))
        else:
            for name in ("due", "weight"):
                if row[name] is None:
                    yield name, _("a constituency needs its registered count and weight")
            if row["due"] is None or row["weight"] is None:
                return
            assert plan.wards is not None
            if any(w.code == row["constituency"] for _r, w in plan.wards):
                yield "constituency", _("{code} is given twice").format(
                    code=row["constituency"])
            plan.wards.append((row.number, Constituency(row["constituency"], row["due"],
                                                        row["weight"])))

    load_table(path, BATCH_SCHEMA, check)
    problems = []
    for plan in plans.values():
        assert plan.wards is not None
        if not plan.wards:
            problems.append(InputProblem(path.name, plan.row, "constituency", _(
                "{school}: no constituency (registered count and weight)").format(
                    school=plan.school)))
            continue
        total = sum((w.weight for _r, w in plan.wards), Fraction(0))
        if total != 1:
            problems.append(InputProblem(path.name, plan.wards[0][0], "weight", _(
                "{school}: the weights add up to {total}, not 1").format(school=plan.school,
                                                                         total=total)))
        if not plan.candidates:
            problems.append(InputProblem(path.name, plan.row, "candidate", _(
                "{school}: no candidate").format(school=plan.school)))
        plan.pack = plan.pack or default_pack
    if problems:
        raise InputError(problems)
    return list(plans.values())


def import_batch(office: Office, elections: str | Path, tallies: str | Path | None = None, *,
                 title: str, pack: str, held_on: dt.date) -> dict[str, Any]:
    """A batch of elections (hundreds of schools) from one file, and their tallies from
    another: one transaction, refused whole with file:row:column. An election short of the
    pack's 差额 (fewer than two candidates) is recorded as not held."""
    elections, tallies_path = Path(elections), Path(tallies) if tallies else None
    rules.pack(pack)
    plans = _read_batch(elections, pack)
    tally_rows: dict[str, list[Row]] = {}
    headers: dict[str, str] = {}  # the tallies file's, to name a column as it is written
    if tallies_path is not None:
        known = {p.school for p in plans}

        def check(row: Row) -> Iterable[tuple[str | None, str]]:
            if row["school"] not in known:
                yield "school", _("not a school of the elections file: {code}").format(
                    code=row["school"])

        reader = read_rows(tallies_path, BATCH_TALLY_SCHEMA, check)
        for row in reader:
            tally_rows.setdefault(row["school"], []).append(row)
        headers = reader.headers
    db = office.db
    not_held = 0
    problems: list[InputProblem] = []
    tallies_sha = file_sha256(tallies_path) if tallies_path else None
    with office.change() as change:
        batch = _rowid(db.execute(
            "INSERT INTO election_batches (title, elections_file, elections_sha256,"
            " tallies_file, tallies_sha256, created_on) VALUES (?, ?, ?, ?, ?, ?)",
            (title, elections.name, file_sha256(elections),
             tallies_path.name if tallies_path else None, tallies_sha,
             office.today().isoformat())))
        for plan in plans:
            problems += _plan_election(change, batch, plan, held_on, tally_rows,
                                       tallies_path, tallies_sha, headers)
            not_held += plan.seats is None
        if problems:
            raise InputError(problems)
        change.record(BatchImported(batch=batch, file=elections.name,
                                    file_sha256=file_sha256(elections), elections=len(plans),
                                    not_held=not_held))
    return {"batch": batch, "elections": len(plans), "not_held": not_held,
            "tallied": len(tally_rows)}


def _plan_election(change: Any, batch: int, plan: _Planned, held_on: dt.date,
                   tally_rows: dict[str, list[Row]], tallies_path: Path | None,
                   tallies_sha: str | None, headers: Mapping[str, str]
                   ) -> list[InputProblem]:
    assert plan.seats is not None and plan.candidates is not None and plan.wards is not None
    pack = rules.pack(plan.pack or "")
    title = plan.title or plan.school
    short = any(rules.slate_problem(pack, plan.seats[c], len(listed))
                for c, listed in plan.candidates.items())
    if short:
        election = _insert(change, title, pack, held_on, "", None, batch, plan.school,
                           plan.group, "not_held", rules.NOT_HELD)
        plan.seats = None
        if plan.school in tally_rows and tallies_path is not None:
            return [InputProblem(tallies_path.name, tally_rows[plan.school][0].number,
                                 "school", _("{school}: no election was held (fewer"
                                             " candidates than the pack needs)").format(
                                                 school=plan.school))]
        return []
    election = _insert(change, title, pack, held_on, "", None, batch, plan.school, plan.group)
    specs = [ContestSpec(c, plan.seats[c], tuple(_stroke_order(listed)))
             for c, listed in plan.candidates.items()]
    _declare(change, election, title, specs, [w for _r, w in plan.wards])
    rows = tally_rows.get(plan.school)
    if not rows or tallies_path is None:
        return []
    # Core checks this school's rows of the batch file as it checks a tally file's own: its
    # problems name the batch file's rows and columns as written.
    try:
        # more ballots returned than issued is recorded as reported: the count says void (重选)
        contests.import_tally(change, ballots.get_round(change.db, store.round_key(election, 1)),
                              tallies_path, names={c.code: c.name
                                                   for listed in plan.candidates.values()
                                                   for c in listed},
                              read=rows, headers=headers, sha256=tallies_sha)
    except InputError as exc:
        return [InputProblem(p.file, p.row or rows[0].number, p.column,
                             f"{plan.school}: {p.reason}") for p in exc.problems]
    except CivicError as exc:
        return [InputProblem(tallies_path.name, rows[0].number, None,
                             f"{plan.school}: {exc}")]
    return []


# --- keying at the terminal ------------------------------------------------------------------

def key_ballot(office: Office, election: int, number: int, constituency: str | None,
               marks: Sequence[contests.KeyedMark]) -> dict[str, Any]:
    """One paper ballot keyed at the terminal, filed as its own audited change through the
    import's rules (`enter_ballots`): filed the moment it is keyed, so a power cut in the
    counting room loses nothing, and the entries match the stack of paper one for one.

    Refused (nothing written) when the round's figures say the ballot cannot be there: more
    ballots returned than issued voids the round (重选), and no more ballots are keyed than
    were returned."""
    rnd = _open_round(office, election)
    found = store.keying_figures(office.db, rnd.vround, constituency)
    if found.issued is not None and found.returned is not None:
        if found.returned > found.issued:
            raise CivicError(_("More ballots returned ({returned}) than issued ({issued}): the"
                               " round is void and is held again (election revote); its"
                               " ballots are not keyed.").format(returned=found.returned,
                                                                 issued=found.issued))
        if found.keyed >= found.returned:
            raise CivicError(_("Ballot {number} would be ballot {n}, but {returned} ballots"
                               " were returned ({issued} issued): check the stack and the"
                               " figures.").format(number=number, n=found.keyed + 1,
                                                   returned=found.returned,
                                                   issued=found.issued))
    return enter_ballots(office, election, [(number, constituency, marks)])


TallySheet = dict[str, tuple[int, dict[str, tuple[int, int, int]]]]
"""A paper tally sheet's totals: contest -> (invalid ballots, candidate -> (for, against,
abstain))."""

SheetField = tuple[str | None, str | None, str]
"""A box of a keyed tally sheet: (contest, candidate, figure): the figures' boxes are (None,
None, "present" | "issued" | "returned"), a contest's invalid ballots (contest, None,
"invalid"), a candidate's totals (contest, candidate, "for" | "against" | "abstain")."""

_FIGURE_WORDS = {"present": N_("Present"), "issued": N_("Ballots issued"),
                 "returned": N_("Ballots returned")}


class SheetError(CivicError):
    """A keyed tally sheet refused, nothing written: its problems in words, each naming its
    box, and `fields`, the boxes at fault in the sheet's order (the screen goes to the first)."""

    def __init__(self, message: str, fields: list[SheetField]) -> None:
        super().__init__(message)
        self.fields = fields


def enter_tally(office: Office, election: int, constituency: str, *, present: int,
                issued: int, returned: int, sheet: TallySheet) -> dict[str, Any]:
    """A constituency's tally sheet keyed at the terminal: the same checks and the same one
    audited change as a tally file (`import_tallies`), the sheet written as that file's rows
    (as a batch hands core each school's rows): for + against + abstain = the valid ballots,
    issued <= present <= registered, no negative numbers. More returned than issued is
    recorded as the sheet says: it voids the round (重选), and its contests may be left out
    (`sheet` empty). A problem names the box, not a file's row (`SheetError`)."""
    rnd = _open_round(office, election)
    names = [c.name for c in contests.TALLY_SCHEMA.columns]
    lines: list[dict[str, Any]] = [{"constituency": constituency, "present": present,
                                    "issued": issued, "returned": returned}]
    boxes: list[SheetField] = [(None, None, "present")]
    for contest, (invalid, rows) in sheet.items():
        lines.append({"constituency": constituency, "contest": contest, "invalid": invalid})
        boxes.append((contest, None, "invalid"))
        for code, t in rows.items():
            lines.append({"constituency": constituency, "contest": contest, "candidate": code,
                          "for": t[0], "against": t[1], "abstain": t[2]})
            boxes.append((contest, code, FOR))
    negative = [(box, name) for line, box in zip(lines, boxes, strict=True)
                for name in (*_FIGURE_WORDS, "invalid", FOR, AGAINST, ABSTAIN)
                if (line.get(name) or 0) < 0]
    if negative:  # a file's cell refuses a negative count before any sum is checked
        box, name = negative[0]
        raise SheetError(_("Elector and ballot numbers cannot be negative."),
                         [(box[0], box[1], name)])
    with tempfile.TemporaryDirectory(prefix="civic-election-") as tmp:
        path = Path(tmp) / f"keyed-{constituency}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(names)
            out.writerows([[line.get(n, "") for n in names] for line in lines])
        try:
            with office.change() as change:
                return contests.import_tally(change, rnd.vround, path,
                                             names=store.names(office.db, election))
        except InputError as exc:
            fields: list[SheetField] = []
            words: list[str] = []
            for p in exc.problems:
                box = boxes[p.row - 2] if p.row and 2 <= p.row < len(boxes) + 2 else boxes[0]
                name = p.column if p.column in (*_FIGURE_WORDS, "invalid", FOR, AGAINST,
                                                ABSTAIN) else box[2]
                fields.append((box[0], box[1], name))
                text = p.reason
                if box[0] is None:  # a figure: named by its box, as the screen labels it
                    text = _("{field}: {reason}").format(field=_(_FIGURE_WORDS[name]),
                                                         reason=text)
                words.append(text)
            raise SheetError("\n".join(dict.fromkeys(words)), fields) from None


def open_round(office: Office, election: int) -> store.Round:
    """The round ballots and tallies go into: the latest one of an open election."""
    return _open_round(office, election)
