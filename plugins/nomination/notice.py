"""Round 1's public notice (公示): those going on, per post, in surname stroke order; and the
notice of who will be examined after round 2 (考察对象公示, kind `nomination.inspection`, its
templates `inspection.<lang>.j2`).

Titles are the issuer's: 「中共昆明市委组织部关于市政府秘书长等11个正县级领导职位第一轮推荐
提名人选的公示」, from the office's name setting, the first post's full title and the posts'
level.

Drafted and published through core's notices (`civic.notices`), subject
`nomination:<id>:<round>`: round 2 opens only when `notices.blockers` for round 1's is empty;
notice first (`rules.NOTICE_FIRST`), round 2's names become reserve candidates only once the
考察对象公示 is confirmed (`actions.name_reserve`).
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
from civic.plugins.nomination.rules import CONFERENCE, OPEN

KIND = "nomination.round1"
INSPECTION_KIND = "nomination.inspection"  # 考察对象公示 after round 2 (templates: inspection)
_GENDER_EN = {"男": "Male", "女": "Female"}
# The trade's words for a post's level in a notice title (正县级, not the ladder's 正处).
_LEVEL = {"division": ("正县级", "county-level"),
          "deputy_division": ("副县级", "deputy county-level"),
          "section": ("正科级", "section-level"), "deputy_section": ("副科级", "deputy section-level"),
          "bureau": ("正厅级", "bureau-level"), "deputy_bureau": ("副厅级", "deputy bureau-level")}


def title(db: Database, nomination: store.Nomination, what: tuple[str, str]) -> dict[str, str]:
    """「<issuer>关于<first post>等N个<level>领导职位<what>的公示」 and its English."""
    from civic.registry import get_position

    values = notices.settings(db)
    issuer = {lang: notices.office_details(values, lang)["name"] for lang in ("zh_CN", "en")}
    posts = [get_position(db, code) for code in nomination.positions]
    first = posts[0]["title"] if posts else ""
    levels = {str(p.get("rank_level") or "") for p in posts}
    zh_level, en_level = _LEVEL.get(next(iter(levels)), ("", "")) if len(levels) == 1 \
        else ("", "")
    n = len(posts)
    many = f"等{n}个" if n > 1 else ""
    en_posts = f"{n} {en_level} leadership posts".replace("  ", " ") if n > 1 else first
    return {"zh_CN": f"{issuer['zh_CN']}关于{first}{many}{zh_level}领导职位{what[0]}的公示",
            "en": f"{issuer['en']}: public notice of {what[1]} for {en_posts}"
                  + (f" ({first} and others)" if n > 1 else "")}


# Per round: its notice kind, its template, and what the title says is posted (zh, en).
_ROUNDS = {OPEN: (KIND, "nomination/round1", ("第一轮推荐提名人选", "the nominees of the first round")),
           CONFERENCE: (INSPECTION_KIND, "nomination/inspection",
                        ("考察对象", "the candidates for inspection"))}


def subject(nomination: store.Nomination, round_no: int = OPEN) -> str:
    return f"{nomination.ref}:{round_no}"


def context(db: Database, nomination: store.Nomination, rnd: store.Round) -> dict[str, Any]:
    """The template's variables, from the certified report and the registry."""
    from civic.registry import get_person, get_position

    if rnd.report is None:
        raise CivicError(_("Round {round} of nomination {id} is not certified.").format(
            round=rnd.round_no, id=nomination.id))
    # Votes may go on round 1's list (a setting); the inspection list names, never counts.
    counts = nomination.settings.show_counts and rnd.round_no == OPEN
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


def draft(office: Office, nomination: store.Nomination,
          round_no: int = OPEN) -> notices.Notice:
    """Draft a round's notice (once), after its count is certified: round 1's nominees, or
    round 2's candidates for inspection (考察对象公示); returns it."""
    db = office.db
    rnd = store.get_round(db, nomination, round_no)
    if rnd.notice is not None:
        raise CivicError(_("Round {round} of nomination {id} has notice {notice} already.")
                         .format(round=round_no, id=nomination.id, notice=rnd.notice))
    values = context(db, nomination, rnd)
    kind, template, what = _ROUNDS[round_no]
    heading = title(db, nomination, what)
    with office.change():
        notice = notices.draft(office, kind=kind, subject=subject(nomination, round_no),
                               title=heading, context=values, template=template)
        db.execute("UPDATE nomination_rounds SET notice = ? WHERE id = ?", (notice.id, rnd.id))
    return notice


def publish(office: Office, nomination: store.Nomination, cosigner: Operator | None,
            on: dt.date | None = None, round_no: int = OPEN) -> notices.Notice:
    rnd = store.get_round(office.db, nomination, round_no)
    if rnd.notice is None:
        raise CivicError(_("Draft round {round}'s notice first.").format(round=round_no))
    return notices.publish(office, rnd.notice, cosigner=cosigner, on=on)
