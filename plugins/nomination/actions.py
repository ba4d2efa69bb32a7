"""The nomination's writes: create, rolls and attendance, ballots, adjudication, re-votes,
certification, the next round. Each runs in one `Office.change()` with its audit entries; the
reads they rest on are `store`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from civic import audit, ballots
from civic.auth import require_role
from civic.ballots import VotingRound
from civic.errors import CivicError, PermissionDenied
from civic.i18n import _
from civic.office import Office, Operator
from civic.plugins.nomination import rules
from civic.plugins.nomination.events import (
    NominationCreated,
    ReserveNamed,
    RevoteRecorded,
    RoundCertified,
    RoundOpened,
    RoundVoided,
    TieDecided,
    WriteInAdjudicated,
)
from civic.plugins.nomination.rules import CONFERENCE, OPEN, Settings
from civic.plugins.nomination.store import (
    BASIS,
    Nomination,
    Round,
    certify_problems,
    count,
    decisions,
    get,
    get_round,
    listed,
    report,
    reserve_named,
    resolver,
    slates,
)
from civic.tally import FIRST, NEXT, REVOTE
from civic.vocabulary import label
from civic.voting import PostCount, apply_revote

_ROUND_KINDS = {"first": FIRST, "second": NEXT, "rerun": REVOTE}


def _require_changer(office: Office, action: str) -> None:
    """Supervisors witness and viewers read: refused (and the refusal audited)."""
    if office.actor is not None:
        require_role(office, office.actor, action)


def create(office: Office, *, title: str, positions: Iterable[str], reference_date: dt.date,
           settings: Settings | None = None, ceiling: str | None = None,
           ceilings: Mapping[str, str] | None = None) -> Nomination:
    """A nomination for vacant posts, with round 1 (海推) open.

    Each post draws from a band of levels: its conditions are the floor; the ceiling is
    `ceilings[post]`, else `ceiling` (for every post), else the post's own level (rank names or
    codes)."""

    _require_changer(office, _("create a nomination"))
    posts = list(dict.fromkeys(p.strip() for p in positions if p.strip()))
    if not title.strip():
        raise CivicError(_("A nomination needs a title."))
    if not posts:
        raise CivicError(_("A nomination needs at least one position."))
    db = office.db
    bands = _bands(db, posts, ceiling, ceilings or {})
    s = settings or Settings()
    from civic.rule_settings import value

    rules.check_quorum(s.quorum, value(db, rules.QUORUM))  # type: ignore[arg-type]
    with office.change() as change:
        nid = db.execute("SELECT coalesce(max(id), 0) + 1 FROM nomination_nominations"
                         ).fetchone()[0]
        entry = change.record(NominationCreated(
            nomination=nid, title=title.strip(), positions=posts,
            reference_date=reference_date.isoformat(), settings=s.as_dict(), ceilings=bands))
        db.execute(
            "INSERT INTO nomination_nominations (id, title, reference_date, advance_1, advance_2,"
            " marks_1, marks_2, tie_policy, quorum, show_counts, created_on, audit_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (nid, title.strip(), reference_date.isoformat(), *s.advance, *s.marks,
             s.tie_policy, s.as_dict()["quorum"], int(s.show_counts),
             office.today().isoformat(), entry.id))
        db.conn.executemany(
            "INSERT INTO nomination_positions (nomination, position, seq, ceiling)"
            " VALUES (?, ?, ?, ?)", [(nid, p, i, bands[p]) for i, p in enumerate(posts, 1)])
        nomination = get(db, nid)
        _open(change, nomination, OPEN, 1, posts, "first")
    return nomination


def _bands(db: Any, posts: list[str], ceiling: str | None,
           ceilings: Mapping[str, str]) -> dict[str, str | None]:
    """Each post's ceiling as a rank code, checked: a known rank, not below the post's floor."""
    from civic.i18n import current_language
    from civic.ladders import parse_rank, rank_label, rank_level
    from civic.registry import get_position

    def rank(text: str | None, post: str | None = None) -> str | None:
        if text is None or not str(text).strip():
            return None
        try:
            return parse_rank(text)
        except ValueError as exc:
            raise CivicError(_("Ceiling of {post}: {reason}").format(
                post=post or _("every post"), reason=exc)) from exc

    unknown = sorted(set(ceilings) - set(posts))
    if unknown:
        raise CivicError(_("A ceiling is given for {posts}, not a post of this nomination.")
                         .format(posts=", ".join(unknown)))
    common = rank(ceiling)
    out: dict[str, str | None] = {}
    for post in posts:
        position = get_position(db, post)  # raises for an unknown code
        found = rules.ceiling_of(position.get("rank_level"), common,
                                 rank(ceilings.get(post), post))
        floor = position.get("min_rank")
        if found and floor and (rank_level(found) or 0) < (rank_level(floor) or 0):
            raise CivicError(_("The ceiling of {post} ({ceiling}) is below its floor ({floor}): "
                               "nobody could be nominated.").format(
                                   post=post, ceiling=rank_label(found, current_language()),
                                   floor=rank_label(floor, current_language())))
        out[post] = found
    return out


def _open(change: Any, nomination: Nomination, round_no: int, attempt: int,
          posts: list[str], why: str, slate: dict[str, list[str]] | None = None,
          parent: VotingRound | None = None) -> VotingRound:
    """Open a voting round on the ballot model: each post a name-choice contest whose seats
    are the names going on, round 2 listing the slate and continuing round 1, a re-run
    continuing the void round."""
    key = f"{nomination.ref}:{round_no}" + (f":{attempt}" if attempt > 1 else "")
    title = f"{nomination.title} · " + (_("round 1 (open)") if round_no == OPEN
                                        else _("round 2 (conference)"))
    places = nomination.settings.advance[round_no - 1]
    vround = ballots.create_round(change, key, title, posts, seats=dict.fromkeys(posts, places),
                                  kind=_ROUND_KINDS[why], parent=parent, candidates=slate)
    change.db.execute(
        "INSERT INTO nomination_rounds (nomination, round_no, attempt, voting_round, opened_on)"
        " VALUES (?, ?, ?, ?, ?)",
        (nomination.id, round_no, attempt, vround.id, change.office.today().isoformat()))
    change.record(RoundOpened(nomination=nomination.id, round=round_no, attempt=attempt,
                              voting_round=key, why=why, slate=slate))
    return vround


def load_roll(office: Office, rnd: Round, path: str | Path) -> dict[str, int]:
    _require_changer(office, _("load a roll"))
    rnd.require_open()
    with office.change() as change:
        return ballots.load_roll(change, rnd.vround, path)


def attend(office: Office, rnd: Round, codes: Iterable[str] | None,
           present: bool = True) -> int:
    _require_changer(office, _("record attendance"))
    rnd.require_open()
    with office.change() as change:
        return ballots.set_attendance(change, rnd.vround, codes, present)


def close_attendance(office: Office, rnd: Round) -> dict[str, Any]:
    """Close the round's attendance: the number present is final, ballots may be entered."""
    _require_changer(office, _("close attendance"))
    rnd.require_open()
    with office.change() as change:
        return ballots.close_attendance(change, rnd.vround)


def record_figures(office: Office, rnd: Round, issued: int, returned: int) -> None:
    _require_changer(office, _("record ballots issued and returned"))
    rnd.require_open()
    with office.change() as change:
        ballots.record_figures(change, rnd.vround, issued, returned)


def import_ballots(office: Office, nomination: Nomination, rnd: Round,
                   path: str | Path) -> dict[str, Any]:
    _require_changer(office, _("import ballots"))
    rnd.require_open()
    resolve = resolver(office, nomination, rnd)
    with office.change() as change:
        result = ballots.import_ballots(change, rnd.vround, path, resolve)
        # Over-marked sections count for nobody: said at import, by post, not at the count.
        result["over_voted"] = ballots.over_voted(
            change.db, rnd.vround, nomination.settings.marks[rnd.round_no - 1])
    return result


def enter_ballots(office: Office, nomination: Nomination, rnd: Round,
                  stack: Iterable[tuple[int, Mapping[str, list[str]]]]) -> dict[str, Any]:
    """A stack of ballots keyed at the terminal, saved as one audited batch."""
    _require_changer(office, _("enter ballots"))
    rnd.require_open()
    resolve = resolver(office, nomination, rnd)
    with office.change() as change:
        return ballots.enter_ballots(change, rnd.vround, stack, resolve)


def delete_ballot(office: Office, rnd: Round, number: int, *, reason: str,
                  cosigner: Operator | None) -> int:
    """Take a wrongly entered ballot out, for a reason, co-signed by a supervisor."""
    _require_changer(office, _("delete a ballot"))
    rnd.require_open()
    with office.change() as change:
        return ballots.delete_ballot(change, rnd.vround, number, reason=reason,
                                     cosigner=cosigner)


def adjudicate(office: Office, nomination: Nomination, rnd: Round, *, position: str,
               written: str, person: str | None = None, invalid: bool = False,
               reverse: bool = False, note: str = "") -> int:
    """Decide what a written name means for one post in one round; returns marks affected.

    Exactly one of `person` (assign), `invalid` (intent not clear) or `reverse` (undo the
    decision in force). Audited; a certified round refuses it.
    """
    _require_changer(office, _("adjudicate a write-in"))
    rnd.require_open()
    db = office.db
    if sum((person is not None, invalid, reverse)) != 1:
        raise CivicError(_("Give one of: a person, --invalid, or --reverse."))
    if position not in rnd.vround.positions:
        raise CivicError(_("Position {code} is not voted on in this round.").format(
            code=position))
    norm = ballots.normalise(written)
    texts = [r["text"] for r in ballots.written(db, rnd.vround, position=position)
             if ballots.normalise(r["text"]) == norm]
    if not texts:
        raise CivicError(_("Nobody wrote {text} for {position} in this round.").format(
            text=written, position=position))
    in_force = decisions(db, rnd).get((position, norm))
    if reverse and in_force is None:
        raise CivicError(_("No decision on {text} for {position} to reverse.").format(
            text=written, position=position))
    if person is not None:
        from civic.registry import get_person

        get_person(db, person)
        if rnd.round_no == CONFERENCE and person not in slates(db, nomination).get(position, {}):
            raise CivicError(_("{person} is not on the slate for {position}.").format(
                person=person, position=position))
    action = "assign" if person is not None else "invalid" if invalid else "reverse"
    with office.change() as change:
        marks = sum(r["marks"] for r in ballots.written(db, rnd.vround, position=position)
                    if r["text"] in texts)
        entry = change.record(WriteInAdjudicated(
            nomination=nomination.id, round=rnd.round_no, position=position, written=norm,
            action=action, person=person, note=note, marks=marks))
        db.execute(
            "INSERT INTO nomination_adjudications (round, position, written, action, person,"
            " note, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rnd.id, position, norm, action, person, note, entry.id))
        ballots.re_resolve(db, rnd.vround, resolver(office, nomination, rnd),
                           position=position, texts=texts)
    return marks


def record_revote(office: Office, nomination: Nomination, rnd: Round, position: str,
                  votes: Mapping[str, int]) -> PostCount:
    """The result of a re-vote among those tied at the cut-off of one post."""
    _require_changer(office, _("record a re-vote"))
    rnd.require_open()
    if nomination.settings.tie_policy == rules.MEETING:
        raise CivicError(_("Nomination {id} settles ties by the department's meeting: record "
                           "its decision (civic nomination decide-tie).").format(
                               id=nomination.id))
    db = office.db
    _figures, counts = count(db, nomination, rnd)
    if position not in counts:
        raise CivicError(_("Position {code} is not voted on in this round.").format(
            code=position))
    settled = apply_revote(counts[position], dict(votes))
    with office.change() as change:
        entry = change.record(RevoteRecorded(
            nomination=nomination.id, round=rnd.round_no, position=position, votes=dict(votes),
            advancing=list(settled.advancing), still_tied=list(settled.tie_at_cutoff)))
        db.execute("INSERT INTO nomination_revotes (round, position, votes, audit_id)"
                   " VALUES (?, ?, ?, ?)",
                   (rnd.id, position, audit.canonical_json(dict(votes)), entry.id))
    return settled


def _require_meeting_policy(nomination: Nomination) -> None:
    if nomination.settings.tie_policy != rules.MEETING:
        raise CivicError(_("Nomination {id} settles ties by {policy}, not by the department's "
                           "meeting.").format(id=nomination.id,
                                              policy=label(nomination.settings.tie_policy)))


def decide_tie(office: Office, nomination: Nomination, rnd: Round, position: str,
               advancing: Iterable[str], *, meeting: str, cosigner: Operator | None,
               decided_on: dt.date | None = None) -> PostCount:
    """Record the department meeting's decision (部务会研究决定) on a tie at the cut-off of one
    post, under tie policy `meeting`: which of the tied go on, and which meeting decided it,
    co-signed by a supervisor."""
    from civic.auth import require_cosigner

    action = _("record the department meeting's decision on a tie")
    _require_changer(office, action)
    require_cosigner(office, cosigner, action)
    rnd.require_open()
    _require_meeting_policy(nomination)
    meeting = " ".join(meeting.split())
    if not meeting:
        raise CivicError(_("Name the meeting that decided (e.g. 2008年7月5日部务会)."))
    decided_on = decided_on or office.today()
    if decided_on > office.today():
        raise CivicError(_("A decision cannot be recorded for {date}, after today.").format(
            date=decided_on.isoformat()))
    db = office.db
    _figures, counts = count(db, nomination, rnd)
    if position not in counts:
        raise CivicError(_("Position {code} is not voted on in this round.").format(
            code=position))
    chosen = list(dict.fromkeys(advancing))
    settled = rules.apply_decision(counts[position], chosen)
    with office.change() as change:
        entry = change.record(TieDecided(
            nomination=nomination.id, round=rnd.round_no, position=position,
            tied=list(counts[position].tie_at_cutoff), advancing=chosen, meeting=meeting,
            decided_on=decided_on.isoformat()), cosigner)
        db.execute("INSERT INTO nomination_tie_decisions (round, position, advancing, meeting,"
                   " decided_on, audit_id) VALUES (?, ?, ?, ?, ?, ?)",
                   (rnd.id, position, audit.canonical_json(chosen), meeting,
                    decided_on.isoformat(), entry.id))
    return settled


def certify(office: Office, nomination: Nomination, rnd: Round,
            cosigner: Operator | None) -> dict[str, Any]:
    """Certify the count with a supervisor's co-signature: the round locks, the report and the
    audit chain head are kept. Round 2's top names enter the reserve pool after the 考察对象公示
    (`name_reserve`, notice first), or now when the office's rule says so."""
    action = _("certify a count")
    _require_changer(office, action)
    if cosigner is None or cosigner.role != "supervisor" or (
            office.actor is not None and office.actor.name == cosigner.name):
        raise PermissionDenied(_("{action} needs a supervisor's co-signature.").format(
            action=action))
    rnd.require_open()
    db = office.db
    problems = certify_problems(db, nomination, rnd)
    if problems:
        raise CivicError("\n".join(problems))
    data = report(db, nomination, rnd, office.pm)  # certified with any candidate's warning
    advancing = {p["position"]: [r["person"] for r in p["results"] if r["advances"]]
                 for p in data["positions"]}
    text = audit.canonical_json(data)
    sha = hashlib.sha256(text.encode()).hexdigest()
    with office.change() as change:
        chain_entry, chain_head = audit.head(db)
        digest = ballots.lock_round(change, rnd.vround)
        entry = change.record(RoundCertified(
            nomination=nomination.id, round=rnd.round_no, attempt=rnd.attempt,
            report_sha256=sha, chain_entry=chain_entry, chain_head=chain_head,
            ballots_digest=digest, advancing=advancing), cosigner)
        db.execute("UPDATE nomination_rounds SET status = 'certified', report = ?,"
                   " report_sha256 = ?, chain_head = ?, certified_audit = ? WHERE id = ?",
                   (text, sha, chain_head, entry.id, rnd.id))
        if rnd.round_no == CONFERENCE and not notice_first(db):
            _add_reserve(change, nomination, advancing, None)
    return data


def notice_first(db: Any) -> bool:
    """Whether reserve candidates wait for the inspection notice (rules.NOTICE_FIRST)."""
    from civic.rule_settings import value

    return bool(value(db, rules.NOTICE_FIRST))


def _add_reserve(change: Any, nomination: Nomination, advancing: Mapping[str, list[str]],
                 notice: int | None) -> None:
    from civic.registry import add_reserve

    for post, people in advancing.items():
        for person in people:
            add_reserve(change, person=person, position=post, basis_kind=BASIS,
                        basis_ref=str(nomination.id), added_on=change.office.today())
    change.record(ReserveNamed(nomination=nomination.id, notice=notice,
                               reserve={p: list(c) for p, c in advancing.items()}))


def name_reserve(office: Office, nomination: Nomination) -> dict[str, list[str]]:
    """Enter round 2's names in the reserve pool once the 考察对象公示 is confirmed (its period
    over, every objection handled, co-signed: `civic notice confirm`). Returns post -> codes."""
    from civic import notices

    _require_changer(office, _("name the reserve candidates"))
    db = office.db
    rnd = get_round(db, nomination)
    if rnd.round_no != CONFERENCE or rnd.status != "certified" or rnd.report is None:
        raise CivicError(_("Certify round 2 of nomination {id} first.").format(
            id=nomination.id))
    if reserve_named(db, nomination):
        raise CivicError(_("The reserve candidates of nomination {id} are named already.")
                         .format(id=nomination.id))
    if rnd.notice is None:
        raise CivicError(_("Draft and publish the notice of the candidates for inspection "
                           "(考察对象公示) first: civic nomination notice {id} --round 2.")
                         .format(id=nomination.id))
    found = notices.get(db, rnd.notice)
    if found.status != "confirmed":
        blockers = notices.notice_blockers(db, found, office.today())
        raise CivicError("\n".join([_(
            "Notice {notice} is not confirmed yet: the reserve candidates follow the notice "
            "(考察对象公示).").format(notice=found.id), *blockers]))
    advancing = {p["position"]: [r["person"] for r in p["results"] if r["advances"]]
                 for p in rnd.report["positions"]}
    with office.change() as change:
        _add_reserve(change, nomination, advancing, found.id)
    return advancing


def open_round(office: Office, nomination: Nomination, *, rerun: bool = False,
               today: dt.date | None = None) -> Round:
    """Open round 2 once round 1's notice period is over with no objection open; or, with
    `rerun`, hold a void round again (same roll, everyone absent, no ballots)."""
    from civic import notices

    _require_changer(office, _("open a round"))
    db = office.db
    last = get_round(db, nomination)
    if rerun:
        return _rerun(office, nomination, last)
    if last.round_no == CONFERENCE:
        raise CivicError(_("Round 2 of nomination {id} is open already.").format(
            id=nomination.id))
    if last.status != "certified":
        raise CivicError(_("Certify round 1 of nomination {id} first.").format(
            id=nomination.id))
    blockers = notices.blockers(db, f"{nomination.ref}:1", today or office.today())
    if blockers:
        raise CivicError("\n".join([_("Round 2 cannot open yet:"), *blockers]))
    slate = {p: list(people) for p, people in slates(db, nomination).items() if people}
    with office.change() as change:
        _open(change, nomination, CONFERENCE, 1, [p for p in nomination.positions if p in slate],
              "second", slate, parent=last.vround)
    return get_round(db, nomination, CONFERENCE)


def _rerun(office: Office, nomination: Nomination, last: Round) -> Round:
    last.require_open()
    vround = last.vround
    if vround.issued is None or vround.returned is None or vround.returned <= vround.issued:
        raise CivicError(_("Round {round} is not void; only a void round is held again.")
                         .format(round=last.round_no))
    with office.change() as change:
        change.record(RoundVoided(nomination=nomination.id, round=last.round_no,
                                  attempt=last.attempt, issued=vround.issued,
                                  returned=vround.returned))
        office.db.execute("UPDATE nomination_rounds SET status = 'void' WHERE id = ?",
                          (last.id,))
        ballots.lock_round(change, vround)
        again = _open(change, nomination, last.round_no, last.attempt + 1,
                      list(vround.positions), "rerun", listed(office.db, vround) or None,
                      parent=vround)
        ballots.copy_roll(change, vround, again)
    return get_round(office.db, nomination, last.round_no)
