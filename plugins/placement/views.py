"""What `show` and `run` print, and what the screens show: plain data, then text."""

from __future__ import annotations

from typing import Any

from civic.cli.context import table
from civic.i18n import N_, _
from civic.office import Office
from civic.plugins.placement import store
from civic.plugins.placement.rules import explain

WORDS = {"sealed": N_("sealed"), "live": N_("live"), "setup": N_("setup"), "ran": N_("ran"),
         "certified": N_("certified")}


def word(code: str) -> str:
    """The translated label of a stored mode or status."""
    return _(WORDS[code]) if code in WORDS else code


def batch_view(office: Office, batch_id: int) -> dict[str, Any]:
    db = office.db
    batch = store.get_batch(db, batch_id)
    batch = {k: v for k, v in batch.items() if k != "scheme_text"}
    prefs = store.preferences(db, batch_id)
    officers = [{"code": code, "name": rec.get("name"), "listed": len(prefs.get(code, ()))}
                for code, rec in store.officers(db, batch_id).items()]
    return {
        "batch": batch,
        "officers": officers,
        "posts": store.posts(db, batch_id),
        "overrides": store.override_log(db, batch_id),
        "picks": len(store.picks(db, batch_id)),
        "results": store.results(db, batch_id),
    }


def batch_text(d: dict[str, Any]) -> str:
    b = d["batch"]
    out = [_("Batch {id}: {title}").format(id=b["id"], title=b["title"]),
           _("Mode {mode}, status {status}, cut-off {cutoff}, seed {seed}").format(
               mode=word(b["mode"]), status=word(b["status"]), cutoff=b["cutoff"],
               seed=b["seed"] if b["seed"] is not None else "-"),
           _("Scheme: {name}").format(name=b["scheme_name"] or "-"),
           _("{officers} officers, {posts} posts, {seats} seats.").format(
               officers=len(d["officers"]), posts=len(d["posts"]),
               seats=sum(p["capacity"] for p in d["posts"]))]
    if d["overrides"]:
        out.append("\n" + _("Overrides") + ":")
        out += [f"  {o['officer']} -> {o['position'] or '-'}  ({o['reason']}; {o['actor']})"
                for o in d["overrides"]]
    if d["results"]:
        out.append("")
        out.append(results_table(d["results"]))
    return "\n".join(out)


def results_table(rows: list[dict[str, Any]]) -> str:
    shown = [{**r, "post": f"{r['position']} {r['position_title']}" if r["position"]
              else _("not placed"), "drawn": "*" if r["draw_group"] else ""} for r in rows]
    return table(shown, [("rank", _("Rank")), ("officer", _("Code")), ("name", _("Name")),
                         ("score", _("Score")), ("drawn", _("Draw")), ("post", _("Post")),
                         ("choice", _("Choice"))])


def run_text(office: Office, run: Any) -> str:
    db = office.db
    names = {c: r.get("name") for c, r in run.inputs.officers.items()}
    titles = dict(db.execute("SELECT code, title FROM positions"))
    rows = []
    for r in run.outcome.ranking:
        post, choice = run.outcome.assignments[r.key]
        rows.append({"rank": r.rank, "officer": r.key, "name": names.get(r.key),
                     "score": str(r.breakdown.total) if r.breakdown else "",
                     "drawn": "*" if r.draw_group else "",
                     "post": f"{post} {titles.get(post, '')}" if post else _("not placed"),
                     "choice": _("pre-assigned") if r.key in run.inputs.preassigned
                     else choice})
    head = (_("Batch {id} re-run: the result matches the stored one.") if run.verified
            else _("Batch {id} decided.")).format(id=run.batch["id"])
    lines = [head, _("Seed {seed}.").format(seed=run.inputs.seed)]
    for group in run.outcome.draw_groups():
        lines.append(_("The draw decided the order of: {codes}.").format(codes=", ".join(group)))
    lines.append(table(rows, [("rank", _("Rank")), ("officer", _("Code")), ("name", _("Name")),
                              ("score", _("Score")), ("drawn", _("Draw")), ("post", _("Post")),
                              ("choice", _("Choice"))]))
    return "\n".join(lines)


def officer_view(office: Office, batch_id: int, code: str) -> dict[str, Any]:
    """One officer: record, score breakdown, rank, list, result, and why not each post above."""
    from civic.errors import CivicError
    from civic.plugins.placement.decide import compute

    db = office.db
    batch = store.get_batch(db, batch_id)
    records = store.officers(db, batch_id)
    if code not in records:
        raise CivicError(_("Officer {code} is not in batch {id}.").format(code=code, id=batch_id))
    data: dict[str, Any] = {"batch": batch_id, "officer": code, "record": records[code],
                            "preferences": store.preferences(db, batch_id).get(code, [])}
    scheme = store.scheme_of(batch)
    data["labels"] = {c.name: c.label for c in scheme.components} if scheme else {}
    if batch["status"] in ("ran", "certified"):
        run = compute(office, batch)
        ranked = next(r for r in run.outcome.ranking if r.key == code)
        post, choice = run.outcome.assignments[code]
        data.update(
            rank=ranked.rank, score=str(ranked.breakdown.total),
            breakdown={k: str(v) for k, v in ranked.breakdown.components.items()},
            measures={k: (list(v) if isinstance(v, tuple) else str(v))
                      for k, v in ranked.breakdown.measures.items()},
            capped=sorted(ranked.breakdown.capped), draw_group=list(ranked.draw_group),
            ticket=ranked.ticket, position=post, choice=choice,
            position_title=db.execute("SELECT title FROM positions WHERE code = ?",
                                      [post]).fetchone()[0] if post else None,
            why_not=explain(code, run.inputs, run.outcome))
    return data


def officer_text(d: dict[str, Any]) -> str:
    out = [_("Officer {code} ({name}) in batch {batch}").format(
        code=d["officer"], name=d["record"].get("name"), batch=d["batch"])]
    if "rank" not in d:
        out.append(_("The batch has not run yet."))
        return "\n".join(out)
    out.append(_("Rank {rank}, score {score}").format(rank=d["rank"], score=d["score"]))
    for name, value in d["breakdown"].items():
        capped = _(" (capped)") if name in d["capped"] else ""
        measure = d["measures"][name]
        counted = "、".join(measure) if isinstance(measure, list) else measure
        out.append(f"  {d['labels'].get(name, name)}: {value}  [{counted}]{capped}")
    if d["draw_group"]:
        out.append(_("Tied with {codes}; the draw decided (ticket {ticket}).").format(
            codes=", ".join(d["draw_group"]), ticket=d["ticket"]))
    if not d["position"]:
        out.append(_("Post: {post}").format(post=_("not placed")))
    else:
        post = f"{d['position']} {d['position_title']}"
        out.append(_("Post: {post} (choice {choice})").format(post=post, choice=d["choice"])
                   if d["choice"] else _("Post: {post}").format(post=post))
    for item in d["why_not"]:
        if item["reason"] == "full":
            who = ", ".join(_("{code} (rank {rank})").format(code=t["officer"], rank=t["rank"])
                            + (_(", pre-assigned") if t["preassigned"] else "")
                            for t in item["taken_by"])
            why = _("every seat taken by {who}").format(who=who)
        elif item["reason"] == "ineligible":
            why = _("not eligible: {reasons}").format(reasons="; ".join(item["conditions"]))
        else:
            why = _("not offered in this batch")
        out.append(_("  choice {n} {position}: {why}").format(
            n=item["choice"], position=item["position"], why=why))
    return "\n".join(out)
