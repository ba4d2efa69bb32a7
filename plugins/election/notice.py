"""The results notice (当选公告, kind `election.result`) of a certified election: the elected
per contest in surname stroke order with their votes, the rule pack and its source. Drafted
through core's notices (subject `election:<id>`), published with `civic notice publish`."""

from __future__ import annotations

from typing import Any

from civic import notices
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _
from civic.office import Office
from civic.plugins.election import store

KIND = "election.result"


def context(db: Database, election: store.Election) -> dict[str, Any]:
    from civic.audit import require_entry
    from civic.strokes import by_strokes

    certified = [r for r in store.rounds(db, election.id) if r.report is not None]
    if not certified:
        raise CivicError(_("Election {id} is not certified.").format(id=election.id))
    columns = [{"zh_CN": "序号", "en": "No."}, {"zh_CN": "姓名", "en": "Name"},
               {"zh_CN": "赞成票", "en": "For"}]
    by_contest: dict[str, dict[str, Any]] = {}
    for rnd in certified:
        assert rnd.report is not None
        for contest in rnd.report["contests"]:
            code = contest["contest"]
            entry = by_contest.setdefault(code, {
                "code": code, "seats": contest["seats"], "elected": [],
                "title": {lang: election.pack.contest_label(code, lang)
                          for lang in ("zh_CN", "en")}})
            entry["elected"] += [r for r in contest["results"] if r["elected"]]
    for entry in by_contest.values():
        entry["rows"] = [[i, r["name"], r["for"]] for i, r in enumerate(
            by_strokes(entry.pop("elected"), lambda r: r["name"], lambda r: r["candidate"]), 1)]
    last = certified[-1]
    assert last.certified_audit is not None
    pack = election.pack
    return {"election": {"id": election.id, "title": election.title,
                         "held_on": election.held_on.isoformat(),
                         "certified_on": require_entry(db, last.certified_audit).time[:10],
                         "pack_title": pack.title, "pack_title_en": pack.name("en"),
                         "regulation": pack.regulation,
                         "edition": pack.edition,
                         "threshold_source": pack.source("threshold")},
            "columns": columns, "contests": list(by_contest.values())}


def draft(office: Office, election_id: int) -> notices.Notice:
    """Draft the results notice (once)."""
    db = office.db
    election = store.get_election(db, election_id)
    if election.notice is not None:
        raise CivicError(_("Election {id} has notice {notice} already.").format(
            id=election.id, notice=election.notice))
    values = context(db, election)
    title = {"zh_CN": f"关于{election.title}当选人的公告",
             "en": f"Notice of the elected: {election.title}"}
    with office.change():
        notice = notices.draft(office, kind=KIND, subject=election.ref, title=title,
                               context=values)
        db.execute("UPDATE election_elections SET notice = ? WHERE id = ?",
                   (notice.id, election.id))
    return notice
