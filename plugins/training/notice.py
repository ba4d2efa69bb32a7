"""The certificate of a person's training hours (培训学时证明), kind `training.certificate`,
its templates `certificate.<lang>.j2`: the person, the requirement's window and source, the
programmes attended in it, hours by category raw and credited (caps applied), the total
against the requirement and any shortfall with its due day.

Drafted through core's notices (`civic.notices`), subject `training:certificate:<person>:<day>`,
so it renders as text, HTML or DOCX (`civic.docx.write_notice`) as every notice does, and an
office rewords it in its template folder. Every figure comes from the records
(`store.person_hours`); none is typed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic import notices
from civic.errors import CivicError
from civic.i18n import _

KIND = "training.certificate"
TEMPLATE = "training/certificate"


def subject(person: str, on: dt.date) -> str:
    return f"training:certificate:{person}:{on.isoformat()}"


def programmes_attended(db: Any, person: str, start: str, end: str) -> list[dict[str, Any]]:
    """The programmes `person` attended between `start` and `end`, with the sessions' first
    and last days and hours; a programme the leave rule withdrew them from is left out (its
    hours are not credited)."""
    from civic.plugins.training.store import _hours, _num, withdrawals

    gone = withdrawals(db)
    rows = db.execute(
        "SELECT p.id, p.title, p.category, min(s.day), max(s.day), sum(s.hours), count(*)"
        " FROM training_attendance a JOIN training_sessions s ON s.id = a.session"
        " JOIN training_programmes p ON p.id = s.programme WHERE a.person = ?"
        " AND s.day BETWEEN ? AND ? GROUP BY p.id ORDER BY min(s.day), p.id",
        (person, start, end)).fetchall()
    return [{"programme": pid, "title": title, "category": category, "from": first,
             "to": last, "hours": _num(_hours(hours)), "sessions": sessions}
            for pid, title, category, first, last, hours, sessions in rows
            if (pid, person) not in gone]


def context(db: Any, person: str, on: dt.date) -> dict[str, Any]:
    """The template's variables: the person's hours on `on` (store.person_hours), the
    programmes behind them and the unit's name."""
    from civic.ladders import RANK_BY_CODE
    from civic.plugins.training import store

    hours = store.person_hours(db, person, on)
    rank = RANK_BY_CODE.get(hours["rank"] or "")
    if hours["status"] is None:
        raise CivicError(_("{name} ({person}) has no training requirement at this rank: no "
                           "certificate of hours.").format(name=hours["name"], person=person))
    start, end = hours["window"]
    unit = db.execute("SELECT name FROM units WHERE code = ?", (hours["unit"],)).fetchone()
    return {
        "person": {"code": person, "name": hours["name"],
                   "rank_zh": rank.name_zh if rank else (hours["rank"] or ""),
                   "rank_en": rank.name_en if rank else (hours["rank"] or ""),
                   "unit": unit[0] if unit else (hours["unit"] or "")},
        "on": on.isoformat(), "pack": hours["pack"],
        "requirement": {"band": hours["band"], "source": hours["source"],
                        "hours": hours["required_hours"], "days": hours["required_days"],
                        "from": start, "to": end, "catch_up": hours["catch_up"]},
        "total": {"hours": hours["hours"], "days": hours["days"]},
        "status": hours["status"],
        "short": {"hours": hours["short_hours"], "days": hours["short_days"],
                  "due": hours["due"]},
        "categories": [c for c in hours["categories"] if c["hours"] not in (None, "0")],
        "programmes": programmes_attended(db, person, start, end),
    }


def title(db: Any, ctx: dict[str, Any]) -> dict[str, str]:
    """「<name>同志培训学时证明」 and its English."""
    name = ctx["person"]["name"]
    return {"zh_CN": f"{name}同志培训学时证明",
            "en": f"Certificate of training hours: {name}"}


def draft_certificate(office: Any, person: str, on: dt.date) -> Any:
    """The person's certificate on `on` as a core notice: the one drafted before for that
    person and day when its figures are the same, else a new
    draft (audited): a sheet imported late for that period gives a new certificate, never a
    stale one."""
    import json

    from civic.audit import canonical_json

    ctx = context(office.db, person, on)
    same = json.loads(canonical_json(ctx))
    for (number,) in office.db.execute("SELECT id FROM notices WHERE kind = ? AND subject = ?"
                                       " ORDER BY id DESC", (KIND, subject(person, on))):
        drafted = notices.get(office.db, number)
        if drafted.context == same:
            return drafted
    return notices.draft(office, kind=KIND, subject=subject(person, on),
                         title=title(office.db, ctx), context=ctx, template=TEMPLATE)
