"""The batch's public notice (公示): ranking, each officer's score breakdown, placements.

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
from civic.plugins.placement.rules import TAG
from civic.scoring import DRAW, SCORE, display

KIND = "placement.result"
TEMPLATE = "placement/notice"

_DIRECTION = {True: {"zh_CN": "从高到低", "en": "highest first"},
              False: {"zh_CN": "从低到高", "en": "lowest first"}}


def _text(zh: str, en: str) -> dict[str, str]:
    return {"zh_CN": zh, "en": en}


def _link(key: Any, scheme: Any, seed: int) -> dict[str, str]:
    """One link of the tie-break chain in words, for the notice."""
    if key.field == DRAW:
        return _text(f"公开抽签（种子{seed}）", f"a public draw (seed {seed})")
    if key.field == "birth_date" and not key.descending:
        return _text("出生日期（年长者在先）", "birth date (older first)")
    comp = next((c for c in scheme.components if c.name == key.field), None)
    zh = "总分" if key.field == SCORE else (comp.label if comp else key.field)
    en = "total score" if key.field == SCORE else key.field
    way = _DIRECTION[key.descending]
    return _text(f"{zh}（{way['zh_CN']}）", f"{en} ({way['en']})")


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
    labels = [c.label for c in scheme.components]
    columns = [_text("排序", "Order"), _text("编号", "Code"), _text("姓名", "Name"),
               *[_text(label, c.name) for label, c in zip(labels, scheme.components,
                                                         strict=True)],
               _text("总分", "Total"), _text("选定职位", "Post chosen"),
               _text("志愿", "Choice")]
    preassigned = store.overrides(db, batch_id)
    table_rows = []
    for r in rows:
        choice = r["choice"] if r["choice"] is not None else ""
        if r["officer"] in preassigned:
            choice = _text("预先安排", "pre-assigned")
        post = (f"{r['unit_name'] or ''} {r['position_title']}".strip() if r["position"]
                else _text("未安置", "not placed"))
        table_rows.append([
            r["rank"], r["officer"], r["name"],
            *[display(_dec(r["breakdown"][c.name]), scheme.places) for c in scheme.components],
            display(_dec(r["score"]), scheme.places), post,
            choice,
        ])
    by_code = {r["officer"]: r for r in rows}
    draws = []
    for r in rows:
        group = r["draw_group"]
        if group and group[0] == r["officer"]:
            draws.append({"names": "、".join(by_code[c]["name"] for c in group),
                          "ranks": f"{by_code[group[0]]['rank']}-{by_code[group[-1]]['rank']}"})
    # The first link is what "equal" means (the total); the notice lists what follows it.
    links = list(scheme.tie_break)
    if links and links[0].field == SCORE:
        links = links[1:]
    chain = [_link(key, scheme, batch['seed']) for key in links]
    posts = store.posts(db, batch_id)
    return {
        "batch": {"id": batch_id, "title": batch["title"], "cutoff": batch["cutoff"],
                  "seed": batch["seed"], "mode": batch["mode"], "scheme": scheme.name,
                  "result_digest": batch["result_digest"], "effective": batch["effective"]},
        "counts": {"officers": len(rows), "posts": len(posts),
                   "seats": sum(p["capacity"] for p in posts),
                   "placed": sum(1 for r in rows if r["position"])},
        "chain": chain,
        "ranking": {"columns": columns, "rows": table_rows},
        "draws": draws,
        "unplaced": [r["name"] for r in rows if not r["position"]],
        "tag": TAG,
    }


def _dec(value: str) -> Decimal:
    return Decimal(value)


def _title(batch: dict[str, Any]) -> dict[str, str]:
    return _text(f"{batch['title']}排序及选岗结果公示",
                 f"{batch['title']}: ranking and placements (public notice)")


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
    return notices.draft(office, kind=KIND, subject=store.subject(batch_id), title=_title(batch),
                         context=context(office, batch_id), template=TEMPLATE, fmt=fmt)


def preview(office: Office, batch_id: int, lang: str = "zh_CN", fmt: str = "md") -> str:
    """The notice as it would be drafted now, stored nowhere (for the preview screen)."""
    found = existing(office, batch_id)
    if found is not None:
        return notices.render(office, found, lang=lang, fmt=fmt)
    batch = store.get_batch(office.db, batch_id)
    title = _title(batch)
    unsaved = notices.Notice(
        id=0, kind=KIND, subject=store.subject(batch_id), title=title["zh_CN"], lang="zh_CN",
        format=fmt, template=TEMPLATE, context=context(office, batch_id), status="draft",
        created_on=office.today().isoformat(), period_days=notices.period_for(office, KIND),
        langs=("zh_CN", "en"), titles=title)
    return notices.render(office, unsaved, lang=lang, fmt=fmt)
