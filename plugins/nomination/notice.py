"""Round 1's public notice (公示): those going on, per post, in surname stroke order.

Drafted and published through core's notices (`civic.notices`), subject `nomination:<id>:1`;
round 2 opens only when `notices.blockers` for that subject is empty (issue 4, steps 7 and 8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic import notices
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _
from civic.office import Office, Operator
from civic.plugins.nomination import rules, store
from civic.plugins.nomination.rules import OPEN

KIND = "nomination.round1"
_GENDER_EN = {"男": "M", "女": "F"}


def subject(nomination: store.Nomination) -> str:
    return f"{nomination.ref}:{OPEN}"


def context(db: Database, nomination: store.Nomination, rnd: store.Round) -> dict[str, Any]:
    """The template's variables, from the certified report and the registry."""
    from civic.registry import get_person, get_position

    if rnd.report is None:
        raise CivicError(_("Round 1 of nomination {id} is not certified.").format(
            id=nomination.id))
    counts = nomination.settings.show_counts
    columns: list[Any] = [{"zh_CN": "序号", "en": "No."}, {"zh_CN": "姓名", "en": "Name"},
                          {"zh_CN": "性别", "en": "Sex"}, {"zh_CN": "出生年月", "en": "Born"},
                          {"zh_CN": "现任职务", "en": "Current post"}]
    if counts:
        columns.append({"zh_CN": "得票", "en": "Votes"})
    posts = []
    for post in rnd.report["positions"]:
        position = get_position(db, post["position"])
        going = [{**get_person(db, r["person"]), "votes": r["votes"]}
                 for r in post["results"] if r["advances"]]
        rows = []
        for i, person in enumerate(rules.published_order(going), 1):
            current = _post_title(db, person.get("position"))
            gender = person.get("gender") or ""
            row: list[Any] = [i, person["name"], {"zh_CN": gender,
                                                  "en": _GENDER_EN.get(gender, gender)},
                              (person.get("birth_date") or "")[:7].replace("-", "."), current]
            if counts:
                row.append(person["votes"])
            rows.append(row)
        posts.append({"code": position["code"], "title": position["title"],
                      "unit": position.get("unit_name") or "", "rows": rows})
    from civic.audit import require_entry

    certified = require_entry(db, rnd.certified_audit).time[:10] if rnd.certified_audit \
        else rnd.opened_on
    return {"nomination": {"id": nomination.id, "title": nomination.title,
                           "reference_date": nomination.reference_date.isoformat(),
                           "advance": nomination.settings.advance[0],
                           "certified_on": certified},
            "counts": counts, "columns": columns, "posts": posts}


def _post_title(db: Database, code: str | None) -> str:
    if not code:
        return ""
    row = db.execute("SELECT title FROM positions WHERE code = ?", (code,)).fetchone()
    return row[0] if row else code


def draft(office: Office, nomination: store.Nomination) -> notices.Notice:
    """Draft round 1's notice (once); returns it."""
    db = office.db
    rnd = store.get_round(db, nomination, OPEN)
    if rnd.notice is not None:
        raise CivicError(_("Round 1 of nomination {id} has notice {notice} already.").format(
            id=nomination.id, notice=rnd.notice))
    values = context(db, nomination, rnd)
    title = {"zh_CN": f"{nomination.title}第一轮推荐提名结果公示",
             "en": f"{nomination.title}: open-round nomination results"}
    with office.change():
        notice = notices.draft(office, kind=KIND, subject=subject(nomination), title=title,
                               context=values, template="nomination/round1")
        db.execute("UPDATE nomination_rounds SET notice = ? WHERE id = ?", (notice.id, rnd.id))
    return notice


def publish(office: Office, nomination: store.Nomination, cosigner: Operator | None,
            on: dt.date | None = None) -> notices.Notice:
    rnd = store.get_round(office.db, nomination, OPEN)
    if rnd.notice is None:
        raise CivicError(_("Draft round 1's notice first."))
    return notices.publish(office, rnd.notice, cosigner=cosigner, on=on)
