"""The decision document (问责决定书) of a decided case, kind `accountability.decision`, its
templates `decision.<lang>.j2`: who, what happened and under which trigger, the factors
(aggravating, mitigating, exempting), the forms with their sources, the effects on the
person's record with their dates, the appeal right (the office's deadline setting) and the
supervisor's co-signature.

Drafted through core's notices (`civic.notices`), subject `accountability:case:<id>`, so it
renders as text, HTML or DOCX (`civic.docx.write_notice`) as every notice does, and an office
overrides its wording in its template folder. It says what the case is about: only the roles
that may read a case's content draft it (the read is audited with the draft).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic import notices
from civic.errors import CivicError
from civic.i18n import _

KIND = "accountability.decision"
TEMPLATE = "accountability/decision"


def subject(case_id: int) -> str:
    return f"accountability:case:{case_id}"


def _last_day(until: str | None) -> str | None:
    """A restriction's `until` is the first day it no longer holds; a document names the
    last day it does."""
    if until is None:
        return None
    return (dt.date.fromisoformat(until) - dt.timedelta(days=1)).isoformat()


def context(db: Any, view: dict[str, Any]) -> dict[str, Any]:
    """The template's variables, from the case as its content readers see it (store.case_view
    with content) and the registry."""
    from civic.plugins.accountability import rules, store
    from civic.registry import get_person, get_position

    if not view["content"]:
        raise CivicError(_("The decision document says what the case is about: only the "
                           "roles the office allows may draft it."))
    if not view["dates"]["decided"]:
        raise CivicError(_("Case {number} is not decided: no decision document yet.").format(
            number=view["id"]))
    person: dict[str, Any] = {}
    if view["person"]:
        row = get_person(db, view["person"])
        post = row.get("position")
        born = str(row.get("birth_date") or "")
        person = {"code": row["code"], "name": row["name"], "gender": row.get("gender") or "",
                  "birth_year": int(born[:4]) if born[:4].isdigit() else None,
                  "birth_month": int(born[5:7]) if born[5:7].isdigit() else None,
                  "post": get_position(db, post)["title"] if post else ""}
    signed = db.execute("SELECT id, cosigner FROM audit_log WHERE type ="
                        " 'accountability.case_decided' AND subject = ? ORDER BY id DESC",
                        (subject(view["id"]),)).fetchone()
    pack = store.office_pack(db, view["pack"])
    appeal = pack.deadlines.get("appeal")
    answer = pack.deadlines.get("answer")
    return {
        "case": {"number": view["id"], "team": view["team"] or "",
                 "unit": view.get("unit_name") or view["unit"] or "",
                 "trigger": view["trigger_name"], "heading": view["heading_name"],
                 "trigger_article": pack.triggers.get(view["trigger"], ("", ""))[1],
                 "trigger_regulation": pack.trigger_regulation,
                 "summary": view["summary"], "source": view["source"],
                 "opened_on": view["dates"]["opened"], "decided_on": view["dates"]["decided"]},
        "person": person,
        "forms": [{"name": f["name"], "family": f["family"], "source": f["source"]}
                  for f in view["forms"]],
        "factors": [{"kind": f["kind"], "text": f["text"]} for f in view["factors"]],
        # The effects as decided (a later revocation on review does not rewrite the
        # decision served); a team's case puts none on a person's record.
        "restrictions": [{"value": e.kind, "from": e.start.isoformat(),
                          "last": _last_day(e.until.isoformat() if e.until else None)}
                         for e in rules.effects(pack, [f["code"] for f in view["forms"]],
                                                dt.date.fromisoformat(view["dates"]["decided"]))
                         if e.kind != "grade_cap" and view["person"]],
        "grade_caps": [{"year": c["year"], "cap": c["cap"]} for c in view["grade_caps"]],
        "appeal": {"days": appeal.days if appeal else None,
                   "answer_days": answer.days if answer else None,
                   "source": str(appeal.source) if appeal else ""},
        "decision": {"audit": signed[0] if signed else None,
                     "cosigner": signed[1] if signed else None},
    }


def title(db: Any, ctx: dict[str, Any]) -> dict[str, str]:
    """「<issuer>关于对<name>同志问责的决定」 and its English."""
    values = notices.settings(db)
    issuer = {lang: notices.office_details(values, lang)["name"] for lang in ("zh_CN", "en")}
    who = ctx["person"].get("name") or ctx["case"]["team"]
    zh_who = f"{who}同志" if ctx["person"] else who
    return {"zh_CN": f"{issuer['zh_CN']}关于对{zh_who}问责的决定",
            "en": f"{issuer['en']}: accountability decision on {who}"
                  f" (case {ctx['case']['number']})"}


def draft_decision(office: Any, case_id: int, role: str | None,
                   roles: frozenset[str]) -> Any:
    """The case's decision document as a core notice: the one drafted before when there is
    one (a decision is taken once), else a new draft (audited, with the read of the case)."""
    from civic.plugins.accountability import actions

    view = actions.read_case(office, case_id, role, roles)
    ctx = context(office.db, view)
    found = office.db.execute("SELECT id FROM notices WHERE kind = ? AND subject = ?"
                              " ORDER BY id DESC", (KIND, subject(case_id))).fetchone()
    if found:
        return notices.get(office.db, found[0])
    return notices.draft(office, kind=KIND, subject=subject(case_id),
                         title=title(office.db, ctx), context=ctx, template=TEMPLATE)
