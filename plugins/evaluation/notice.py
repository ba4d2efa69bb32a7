"""The evaluation's public notice (考核结果公示): each unit's final grade in rank order, once
the results are certified. Drafted and published through core's notices (`civic.notices`),
subject `evaluation:<id>`, kind `evaluation.grades` (templates `grades.<lang>.j2`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic import notices
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.evaluation import store

KIND = "evaluation.grades"


def subject(number: int) -> str:
    return f"evaluation:{number}"


def current(db: Any, number: int) -> notices.Notice | None:
    found = notices.list_notices(db, subject=subject(number))
    return found[-1] if found else None


def context(db: Any, number: int) -> dict[str, Any]:
    ev = store.evaluation(db, number)
    if not ev["certified_on"]:
        raise CivicError(_("Evaluation {number} is not certified yet: its notice waits for "
                           "the certified results.").format(number=number))
    data = store.grades(db, number)
    columns = [{"zh_CN": "名次", "en": "Rank"}, {"zh_CN": "单位", "en": "Unit"},
               {"zh_CN": "考核等次", "en": "Grade"}]
    rows = [[u["rank"] or "", u["name"] or u["unit"], u["final"] or ""]
            for u in data["units"] if u["final"]]
    return {"evaluation": {"title": ev["title"], "year": ev["year"],
                           "certified_on": ev["certified_on"]},
            "table": {"columns": columns, "rows": rows}}


def draft(office, number: int) -> notices.Notice:
    """Draft the notice (once)."""
    db = office.db
    if current(db, number) is not None:
        raise CivicError(_("Evaluation {number} has its notice already.").format(number=number))
    values = context(db, number)
    settings = notices.settings(db)
    issuer = {lang: notices.office_details(settings, lang)["name"] for lang in ("zh_CN", "en")}
    title = values["evaluation"]["title"]
    heading = {"zh_CN": f"{issuer['zh_CN']}关于{title}结果的公示",
               "en": f"{issuer['en']}: public notice of the results of {title}"}
    return notices.draft(office, kind=KIND, subject=subject(number), title=heading,
                         context=values, template="evaluation/grades")


def publish(office, number: int, cosigner, on: dt.date | None = None) -> notices.Notice:
    found = current(office.db, number)
    if found is None:
        raise CivicError(_("Draft the evaluation's notice first."))
    return notices.publish(office, found.id, cosigner=cosigner, on=on)
