"""Reading a nomination as a whole: its stage, an overview, text for the CLI, open workflows."""

from __future__ import annotations

from typing import Any

from civic import ballots
from civic.db import Database
from civic.i18n import N_, _
from civic.plugins.nomination import store
from civic.plugins.nomination.rules import MEETING
from civic.vocabulary import label

STAGES = {
    "round1": N_("Round 1 (open): roll, ballots, count"),
    "notice": N_("Round 1 certified: public notice"),
    "round2": N_("Round 2 (conference): roll, ballots, count"),
    "inspection": N_("Round 2 certified: notice of the candidates for inspection"),
    "done": N_("Done: reserve candidates named"),
}


def stage_text(code: str) -> str:
    return _(STAGES[code])


def overview(db: Database, nid: int) -> dict[str, Any]:
    """Everything `civic nomination show` prints."""
    from civic import notices
    from civic.registry import get_position

    nom = store.get(db, nid)
    rounds = []
    for rnd in store.rounds(db, nid):
        entered = db.execute("SELECT count(*) FROM voting_ballots WHERE round = ?",
                             (rnd.vround.id,)).fetchone()[0]
        people = ballots.electors(db, rnd.vround)
        notice = notices.get(db, rnd.notice) if rnd.notice else None
        rounds.append({
            "round": rnd.round_no, "attempt": rnd.attempt, "key": rnd.key,
            "status": rnd.status, "opened_on": rnd.opened_on,
            "registered": len(people), "present": sum(p["present"] for p in people),
            "attendance_closed": ballots.attendance_closed(db, rnd.vround),
            "issued": rnd.vround.issued, "returned": rnd.vround.returned, "entered": entered,
            "waiting": sum(r["marks"] for r in store.queue(db, rnd)),
            "report_sha256": rnd.report_sha256, "chain_head": rnd.chain_head,
            "notice": None if notice is None else {
                "id": notice.id, "status": notice.status, "published_on": notice.published_on,
                "ends_on": notice.ends_on},
        })
    return {
        "id": nom.id, "title": nom.title, "reference_date": nom.reference_date.isoformat(),
        "created_on": nom.created_on, "settings": nom.settings.as_dict(),
        "stage": store.stage(db, nom),
        "positions": [{"code": p, "title": get_position(db, p)["title"]}
                      for p in nom.positions],
        "rounds": rounds,
        "reserve": [{"person": r["person"], "name": r["name"], "position": r["position"],
                     "added_on": r["added_on"], "status": r["status"]}
                    for r in store.reserve(db, nom)],
    }


def overview_text(d: dict[str, Any]) -> str:
    s = d["settings"]
    out = [f"{d['id']}  {d['title']}",
           _("Stage: {stage}").format(stage=stage_text(d["stage"])),
           _("Reference date {date}; {first} per post go on from round 1, {second} from round "
             "2; marks allowed {m1} and {m2}; ties: {tie}; quorum {quorum}.").format(
               date=d["reference_date"], first=s["advance"][0], second=s["advance"][1],
               m1=s["marks"][0], m2=s["marks"][1], tie=label(s["tie_policy"]), quorum=s["quorum"]),
           "", _("Posts:")]
    out += [f"  {p['code']}  {p['title']}" for p in d["positions"]]
    for r in d["rounds"]:
        out += ["", _("Round {round} (attempt {attempt}, {key}): {status}").format(
            round=r["round"], attempt=r["attempt"], key=r["key"], status=label(r["status"])),
            "  " + _("electors {present} present of {registered}; ballots issued {issued}, "
                     "returned {returned}, entered {entered}; {waiting} marks wait for "
                     "adjudication").format(**{k: "-" if v is None else v
                                                for k, v in r.items()}),
            "  " + (_("attendance closed") if r["attendance_closed"] else
                    _("attendance open: close it before entering ballots"))]
        if r["report_sha256"]:
            out.append("  " + _("certified; report sha256 {sha}").format(sha=r["report_sha256"]))
        if r["notice"]:
            n = r["notice"]
            out.append("  " + _("notice {id}: {status} {start} - {end}").format(
                id=n["id"], status=_(n["status"]), start=n["published_on"] or "",
                end=n["ends_on"] or ""))
    if d["reserve"]:
        out += ["", _("Reserve candidates:")]
        out += [f"  {r['position']}  {r['person']}  {r['name']}" for r in d["reserve"]]
    return "\n".join(out)


def warning_line(result: dict[str, Any]) -> str:
    """A candidate going on with a warning (eligible: it bars nothing), as a line."""
    return _("Warning: {name} ({code}) is eligible, but {reasons}.").format(
        name=result["name"], code=result["person"], reasons="; ".join(result["warnings"]))


def report_text(d: dict[str, Any]) -> str:
    from civic.cli.context import table
    from civic.voting import reason_text

    e, b = d["electors"], d["ballots"]
    out = [_("Nomination {id}, round {round}: {present} of {registered} electors present; "
             "ballots issued {issued}, returned {returned}.").format(
        id=d["nomination"], round=d["round"], present=e["present"],
        registered=e["registered"], issued=b["issued"], returned=b["returned"])]
    if d["void"]:
        out.append(_("VOID: more ballots returned than issued. Hold the round again."))
    out += [_("Note: {reason}").format(reason=reason_text(r)) for r in d.get("irregular", ())]
    for p in d["positions"]:
        m = p["marks"]
        why = ", ".join(f"{label(k)} {v}" for k, v in p["invalid"].items() if v)
        out += ["", (_("{position}: {counted} counted, {blank} blank, {invalid} invalid "
                       "({why}), {unresolved} waiting, {duplicate} repeated") if why else _(
            "{position}: {counted} counted, {blank} blank, {invalid} invalid, {unresolved} "
            "waiting, {duplicate} repeated")).format(position=p["position"], why=why, **m)]
        out.append(table([{**r, "advances": r["advances"]} for r in p["results"][:12]],
                         [("rank", "#"), ("person", _("Code")), ("name", _("Name")),
                          ("votes", _("Votes")), ("advances", _("Goes on"))]))
        if len(p["results"]) > 12:
            out.append(_("... {n} more").format(n=len(p["results"]) - 12))
        out += [warning_line(r) for r in p["results"] if r.get("warnings")]
        if p["tie_at_cutoff"]:
            out.append((_("Tie at the cut-off: {codes}; the department's meeting decides "
                          "(civic nomination decide-tie).") if d.get("tie_policy") == MEETING
                        else _("Tie at the cut-off: {codes}; hold a re-vote (civic nomination "
                               "revote).")).format(codes=", ".join(p["tie_at_cutoff"])))
        decided = d.get("tie_decisions", {}).get(p["position"])
        if decided:
            out.append(_("Tie decided by {meeting} on {date}: {codes} go on.").format(
                meeting=decided["meeting"], date=decided["decided_on"],
                codes=", ".join(decided["advancing"])))
    return "\n".join(out)


def count_rows(db: Database, d: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A round's count as a table (`--out`, the count tab's export): a row per post and
    candidate, posts by title, in the operator's language."""
    titles = dict(db.execute("SELECT code, title FROM positions"))
    columns = [_("Round"), _("Post"), _("Post title"), _("Rank"), _("Code"), _("Name"),
               _("Votes"), _("Goes on")]
    rows = [[d["round"], p["position"], titles.get(p["position"], ""), r["rank"], r["person"],
             r["name"], r["votes"], _("yes") if r["advances"] else _("no")]
            for p in d["positions"] for r in p["results"]]
    return columns, rows


def open_workflows(db: Database) -> list[Any]:
    from civic.workflows import Workflow

    return [Workflow("nomination", str(n["id"]), n["title"], stage_text(n["stage"]),
                     mode="nomination")
            for n in store.list_all(db) if n["stage"] != "done"]
