"""The batch's public notice (公示): ranking, each officer's score breakdown, placements.

Written as a transfer office posts it: the governing documents named, the officers' original
rank, score columns headed as scores, pre-assignments (照顾安置) listed apart with their basis,
and an officer left without a post (who passed, or found nothing acceptable) stated as
re-assigned by the city's transfer office (由市军转办另行调剂安置). It is signed by the office in
the `placement.signer.*` settings. Nothing technical (digests, commands) is on it: those go on
the archive copy (`civic notice render ID --archive`).

Drafted through core notices (`civic.notices.draft`) with the plugin's templates
(`templates/notice.<lang>.j2`, reached as `placement/notice`); published, objected to and
confirmed with core's `civic notice` commands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from civic import notices
from civic.errors import CivicError
from civic.i18n import _
from civic.office import Office
from civic.plugins.placement import store
from civic.plugins.placement.rules import NO_ACCEPTABLE_POST, PASSED, PREASSIGNED, TAG
from civic.scoring import DRAW, SCORE, display

KIND = "placement.result"
TEMPLATE = "placement/notice"

# An officer without a post, by his status: the post column says why, and who places him.
_REASSIGNED = {
    PASSED: {"zh_CN": "本人未选岗，由市军转办另行调剂安置",
             "en": "chose none; to be placed by the city's transfer office"},
    NO_ACCEPTABLE_POST: {"zh_CN": "无可选职位，由市军转办另行调剂安置",
                         "en": "no post left to choose; to be placed by the city's transfer "
                               "office"},
}

_DIRECTION = {True: {"zh_CN": "从高到低", "en": "highest first"},
              False: {"zh_CN": "从低到高", "en": "lowest first"}}


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh_CN": zh, "en": en}


# English headings of the shipped schemes' components (a scheme's own label is Chinese).
_EN_COMPONENT = {"rank": "Rank", "service_years": "Service years", "rank_years": "Years in rank",
                 "awards": "Peacetime awards", "wartime_awards": "Wartime awards",
                 "hard_region_years": "Hard or remote regions",
                 "flying_ship_years": "Flying or ship service", "disability": "Disability",
                 "assessment": "Assessment", "exam": "Exam"}
# Original ranks as the officers file gives them, for the English notice.
_EN_RANK = {"正团": "Regiment commander grade", "副团": "Deputy regiment commander grade"}


def _component_name(comp: Any) -> dict[str, str]:
    en = _EN_COMPONENT.get(comp.name, comp.name.replace("_", " ").capitalize())
    return _text(comp.label, en)


def _score_heading(comp: Any) -> dict[str, str]:
    """A score column is headed as a score (职务等级分, 军龄分): the cell is points, not years."""
    name = _component_name(comp)
    zh = name["zh_CN"] if name["zh_CN"].endswith("分") else name["zh_CN"] + "分"
    return _text(zh, f"{name['en']} points")


def _link(key: Any, scheme: Any, seed: int, public: bool = False) -> dict[str, str]:
    """One link of the tie-break chain in words, for the notice. The last link is the public
    draw held on site when there was one (公开抽签), else the seeded random order, named as
    the fallback it is."""
    if key.field == DRAW and public:
        return _text("现场公开抽签（纪委监督人员在场，按抽签号先后）",
                     "a public draw held on site before the supervisor (lower draw number "
                     "first)")
    if key.field == DRAW:
        return _text(f"随机排序（未现场抽签时的备用办法；随机数种子（抽签号）{seed}）",
                     f"a random order (the fallback when no public draw is held; random seed "
                     f"{seed})")
    if key.field == "birth_date" and not key.descending:
        return _text("出生日期（年长者在先）", "birth date (older first)")
    comp = next((c for c in scheme.components if c.name == key.field), None)
    name = _component_name(comp) if comp else _text(key.field, key.field)
    if key.field == SCORE:
        name = _text("总分", "total score")
    way = _DIRECTION[key.descending]
    return _text(f"{name['zh_CN']}（{way['zh_CN']}）", f"{name['en'].lower()} ({way['en']})")


def _ranks(records: dict[str, dict[str, Any]]) -> dict[str, int]:
    """How many officers of each original rank (正团, 副团), in the file's order."""
    out: dict[str, int] = {}
    for record in records.values():
        rank = str(record.get("rank") or "")
        if rank:
            out[rank] = out.get(rank, 0) + 1
    return out


def context(office: Office, batch_id: int) -> dict[str, Any]:
    """What the notice shows, in both languages (core localizes it per body)."""
    db = office.db
    batch = store.get_batch(db, batch_id)
    if batch["status"] not in ("ran", "certified"):
        raise CivicError(_("Batch {id} has not run yet; there is nothing to post.").format(
            id=batch_id))
    scheme = store.scheme_of(batch)
    assert scheme is not None
    rows = store.results(db, batch_id)
    records = store.officers(db, batch_id)
    columns = [_text("排序", "Order"), _text("姓名", "Name"), _text("原职务等级", "Former rank"),
               *[_score_heading(c) for c in scheme.components],
               _text("总分", "Total score"), _text("安置职位", "Post"),
               _text("志愿序号", "Choice no.")]
    preassigned = store.overrides(db, batch_id)
    reasons = {o["officer"]: o["reason"] for o in store.override_log(db, batch_id)}
    table_rows = []
    for r in rows:
        # The layout's fields (store.results): `status` says why an officer has no post (he
        # passed, or nothing he could take was left), `reassigned` that the plan still places
        # him: the city's transfer office re-assigns him (由市军转办另行调剂安置).
        choice: Any = r["choice"] if r["choice"] is not None else ""
        if r["status"] == PREASSIGNED:
            choice = _text("照顾安置", "placed by policy")
        post = _REASSIGNED[r["status"]] if r["reassigned"] else r["position_title"]
        rank = str(records.get(r["officer"], {}).get("rank") or "")
        table_rows.append([
            r["rank"], r["name"], _text(rank, _EN_RANK.get(rank, rank)),
            *[display(_dec(r["breakdown"][c.name]), scheme.places) for c in scheme.components],
            display(_dec(r["score"]), scheme.places), post,
            choice,
        ])
    by_rank = _ranks(records)
    by_code = {r["officer"]: r for r in rows}
    drawn = store.draws(db, batch_id)
    draws = []
    for r in rows:
        group = r["draw_group"]
        if group and group[0] == r["officer"]:
            names = _text("、".join(by_code[c]["name"] + (f"（抽签号{drawn[c]}）" if c in drawn
                                                         else "") for c in group),
                          ", ".join(by_code[c]["name"] + (f" (draw number {drawn[c]})"
                                                          if c in drawn else "")
                                    for c in group))
            draws.append({"names": names, "public": all(c in drawn for c in group),
                          "ranks": f"{by_code[group[0]]['rank']}-{by_code[group[-1]]['rank']}"})
    # The first link is what "equal" means (the total); the notice lists what follows it.
    links = list(scheme.tie_break)
    if links and links[0].field == SCORE:
        links = links[1:]
    chain = [_link(key, scheme, batch['seed'], bool(drawn)) for key in links]
    posts = store.posts(db, batch_id)
    return {
        "batch": {"id": batch_id, "title": batch["title"], "cutoff": batch["cutoff"],
                  "seed": batch["seed"], "mode": batch["mode"], "scheme": scheme.name,
                  "result_digest": batch["result_digest"], "effective": batch["effective"]},
        "counts": {"officers": len(rows), "posts": len(posts),
                   "seats": sum(p["capacity"] for p in posts),
                   "placed": sum(1 for r in rows if r["position"]),
                   "ranks": [_text(f"{rank}职{n}名", f"{n} {_EN_RANK.get(rank, rank).lower()}")
                             for rank, n in by_rank.items()]},
        "chain": chain,
        "ranking": {"columns": columns, "rows": table_rows},
        "draws": draws,
        # 照顾安置, listed apart with the policy basis the office recorded.
        "preassigned": [_text(f"{_name(by_code, code)}：{_post(rows, code)}（依据：{reasons.get(code) or '见记录'}）",
                              f"{_name(by_code, code)}: {_post(rows, code)} (basis: "
                              f"{reasons.get(code) or 'on record'})") for code in preassigned],
        "unplaced": [r["name"] for r in rows if r["reassigned"]],
        "tag": TAG,
    }


def _name(by_code: dict[str, Any], code: str) -> str:
    return by_code[code]["name"] if code in by_code else code


def _post(rows: list[dict[str, Any]], code: str) -> str:
    return next((r["position_title"] or "" for r in rows if r["officer"] == code), "")


def _dec(value: str) -> Decimal:
    return Decimal(value)


def _title(office: Office, batch: dict[str, Any]) -> dict[str, str]:
    """The issuer names what it posts (…关于…的公示)."""
    values = notices.settings(office.db)
    zh = notices.office_details(values, "zh_CN")["placement_signer"]
    en = notices.office_details(values, "en")["placement_signer"]
    return _text(f"{zh}关于{batch['title']}考核排序和选岗结果的公示",
                 f"{en}: public notice of the ranking and placements, {batch['title']}")


def existing(office: Office, batch_id: int) -> notices.Notice | None:
    found = notices.list_notices(office.db, subject=store.subject(batch_id))
    return found[-1] if found else None


def draft(office: Office, batch_id: int, fmt: str = "md") -> notices.Notice:
    """Draft the batch's notice (once; later calls return the one there is)."""
    found = existing(office, batch_id)
    if found is not None:
        return found
    batch = store.get_batch(office.db, batch_id)
    if batch["status"] != "certified":
        raise CivicError(_("Batch {id} must be certified before its notice is drafted.")
                         .format(id=batch_id))
    return notices.draft(office, kind=KIND, subject=store.subject(batch_id), title=_title(office, batch),
                         context=context(office, batch_id), template=TEMPLATE, fmt=fmt)


def preview(office: Office, batch_id: int, lang: str = "zh_CN", fmt: str = "md") -> str:
    """The notice as it would be drafted now, stored nowhere (for the preview screen)."""
    found = existing(office, batch_id)
    if found is not None:
        return notices.render(office, found, lang=lang, fmt=fmt)
    batch = store.get_batch(office.db, batch_id)
    title = _title(office, batch)
    unsaved = notices.Notice(
        id=0, kind=KIND, subject=store.subject(batch_id), title=title["zh_CN"], lang="zh_CN",
        format=fmt, template=TEMPLATE, context=context(office, batch_id), status="draft",
        created_on=office.today().isoformat(), period_days=notices.period_for(office, KIND),
        langs=("zh_CN", "en"), titles=title)
    return notices.render(office, unsaved, lang=lang, fmt=fmt)
