"""What `show` and `run` print, and what the screens show: plain data, then text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from civic.cli.context import table
from civic.i18n import _
from civic.office import Office
from civic.plugins.placement import store
from civic.plugins.placement.rules import (
    PASSED,
    REASSIGNED_BY,
    explain,
    number,
    officer_status,
    reason_text,
    reassigned,
    status_text,
    word,
)


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
        "preassignments": store.preassignments(db, batch_id),
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
    if d.get("preassignments"):
        out.append("\n" + _("Pre-assignments (listed apart)") + ":")
        out += [f"  {p['officer']} {p['name']} -> {p['position']} {p['position_title'] or ''}  "
                + _("basis: {basis}").format(basis=p["basis"] or _("not recorded"))
                for p in d["preassignments"]]
    if d["results"]:
        out.append("")
        out.append(results_table(d["results"]))
        out += reassigned_lines(d["results"])
    return "\n".join(out)


def reassigned_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The officers the city's transfer office places (由市军转办另行调剂安置), by name."""
    gone = [f"{r['officer']} {r['name']}" for r in rows if r.get("reassigned")]
    if not gone:
        return []
    return ["", _("{n} officers are {who}: {names}.").format(
        n=len(gone), who=_(REASSIGNED_BY), names=", ".join(gone))]


def results_table(rows: list[dict[str, Any]]) -> str:
    shown = [{**r, "post": f"{r['position']} {r['position_title']}" if r["position"]
              else status_text(r["status"]), "drawn": "*" if r["draw_group"] else ""}
             for r in rows]
    return table(shown, [("rank", _("Order")), ("officer", _("Code")), ("name", _("Name")),
                         ("score", _("Score")), ("drawn", _("Draw")), ("post", _("Post")),
                         ("choice", _("Choice"))])


def results_rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """A batch's stored result as a table (`--out`, the batch screen's export): a row per
    officer in rank order, the post by code, title and unit, or why none."""
    columns = [_("Order"), _("Code"), _("Name"), _("Score"), _("Public draw"), _("Post"),
               _("Post title"), _("Unit"), _("Choice"), _("Status")]
    return columns, [[r["rank"], r["officer"], r["name"], r["score"],
                      _("yes") if r["draw_group"] else "", r["position"] or "",
                      r["position_title"] or "", r["unit_name"] or "", r["choice"] or "",
                      status_text(r["status"])] for r in rows]


def run_text(office: Office, run: Any) -> str:
    db = office.db
    names = {c: r.get("name") for c, r in run.inputs.officers.items()}
    titles = dict(db.execute("SELECT code, title FROM positions"))
    gone = store.passed(db, run.batch["id"])
    rows = []
    for r in run.outcome.ranking:
        post, choice = run.outcome.assignments[r.key]
        status = officer_status(post, r.key in run.inputs.preassigned, r.key in gone)
        rows.append({"rank": r.rank, "officer": r.key, "name": names.get(r.key),
                     "score": str(r.breakdown.total) if r.breakdown else "",
                     "drawn": "*" if r.draw_group else "", "reassigned": reassigned(status),
                     "post": f"{post} {titles.get(post, '')}" if post else status_text(status),
                     "choice": _("pre-assigned") if r.key in run.inputs.preassigned
                     else choice})
    head = (_("Batch {id} re-run: the result matches the stored one.") if run.verified
            else _("Batch {id} decided.")).format(id=run.batch["id"])
    lines = [head, _("Seed {seed}.").format(seed=run.inputs.seed)]
    for group in run.outcome.draw_groups():
        lines.append(_("A seeded random order (the fallback; not a public draw held on site) decided the "
                       "order of: {codes}.").format(codes=", ".join(group)))
    lines.append(table(rows, [("rank", _("Order")), ("officer", _("Code")), ("name", _("Name")),
                              ("score", _("Score")), ("drawn", _("Draw")), ("post", _("Post")),
                              ("choice", _("Choice"))]))
    lines += reassigned_lines(rows)
    return "\n".join(lines)


def officer_view(office: Office, batch_id: int, code: str) -> dict[str, Any]:
    """One officer: record, score breakdown, rank, list, result, and why not each post above."""
    from civic.errors import CivicError
    from civic.plugins.placement.actions import compute

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
            status=officer_status(post, code in run.inputs.preassigned,
                                  code in store.passed(db, batch_id)),
            position_title=db.execute("SELECT title FROM positions WHERE code = ?",
                                      [post]).fetchone()[0] if post else None,
            why_not=[_worded(item) for item in explain(code, run.inputs, run.outcome)])
    return data


def _worded(item: dict[str, Any]) -> dict[str, Any]:
    """A why-not item with its conditions in the reader's language (`problems`: as stored)."""
    if item["reason"] != "ineligible":
        return item
    return {**item, "conditions": [reason_text(r) for r in item["conditions"]],
            "problems": _problems(item["conditions"])}


def _problems(reasons: list[Any]) -> list[dict[str, Any]]:
    # A snapshot older than reasons-as-data holds only words (see migrations.py).
    return [{"message": r} if isinstance(r, str) else r for r in reasons]


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
    if d["draw_group"] and str(d["ticket"] or "").startswith("drawn:"):
        out.append(_("Tied with {codes}; the public draw held on site decided (draw number "
                     "{number}).").format(codes=", ".join(d["draw_group"]),
                                          number=d["ticket"].split(":", 1)[1]))
    elif d["draw_group"]:
        out.append(_("Tied with {codes}; a seeded random order decided (ticket {ticket}; the "
                     "fallback, not a public draw).").format(
            codes=", ".join(d["draw_group"]), ticket=d["ticket"]))
    if not d["position"]:
        out.append(_("Post: {post}").format(post=status_text(d["status"])))
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


# --- the live room ----------------------------------------------------------------------------

# What each officer's row of the room's ranking says: the state is for scripts, the text for
# the wall (see `ranking_note`).
ROOM_STATES = ("chosen", "passed", "preassigned", "choosing", "waiting")


def room_view(office: Office, batch_id: int) -> dict[str, Any]:
    """The live room as the room screen shows it, as plain data (`placement room --json`).

    `now` is the officer choosing (null once everyone has chosen), `next` the one after;
    `open` the posts with a seat left, with whether `now` may take each and why not; `ranking`
    the whole order with what each officer did; `picks` the picks so far, in turn order (a
    pass has a null position). Numbers are as in `run --json`.
    """
    from civic.plugins.placement.actions import room

    current = room(office, batch_id)
    inputs, session = current.inputs, current.session
    names = {c: r.get("name") for c, r in inputs.officers.items()}
    posts = {p["position"]: p for p in store.posts(office.db, batch_id)}
    ranked = {r.key: r for r in current.ranking}
    now = session.current()
    queue = [r.key for r in current.ranking if r.key not in inputs.preassigned]
    turn = len(session.history)

    def who(code: str | None) -> dict[str, Any] | None:
        if code is None:
            return None
        r = ranked[code]
        return {"officer": code, "name": names.get(code), "rank": r.rank,
                "score": number(r.breakdown.total) if r.breakdown else None,
                "breakdown": {k: number(v) for k, v in r.breakdown.components.items()}
                if r.breakdown else {}}

    remaining = session.remaining()
    open_posts = []
    for code, left in remaining.items():
        if left <= 0:
            continue
        why = list(inputs.ineligible.get((now, code), ())) if now else []
        open_posts.append({"position": code, "title": posts[code]["title"],
                           "unit": posts[code]["unit_name"], "seats_left": left,
                           "may_take": None if now is None else not why,
                           "why_not": [reason_text(r) for r in why], "problems": _problems(why)})
    took = dict(session.history)
    ranking = []
    for r in current.ranking:
        if r.key in inputs.preassigned:
            state, post = "preassigned", inputs.preassigned[r.key]
        elif r.key in took:
            post = took[r.key]
            state = "chosen" if post else "passed"
        else:
            state, post = ("choosing" if r.key == now else "waiting"), None
        ranking.append({"rank": r.rank, "officer": r.key, "name": names.get(r.key),
                        "score": number(r.breakdown.total) if r.breakdown else None,
                        "drawn": bool(r.draw_group), "state": state, "position": post,
                        "position_title": posts[post]["title"] if post else None})
    scheme = inputs.scheme
    return {
        "batch": batch_id, "title": current.batch["title"], "status": current.batch["status"],
        "seed": inputs.seed,
        "labels": {c.name: c.label for c in scheme.components}, "places": scheme.places,
        "chosen": turn, "to_choose": len(queue), "seats_left": sum(remaining.values()),
        "now": who(now),
        "next": who(queue[turn + 1]) if now is not None and turn + 1 < len(queue) else None,
        "open": open_posts,
        "ranking": ranking,
        "picks": [{"turn": n, "officer": o, "name": names.get(o), "position": p,
                   "position_title": posts[p]["title"] if p else None}
                  for n, (o, p) in enumerate(session.history, 1)],
    }


def who_text(d: dict[str, Any]) -> str:
    """`No. 3 李卫东 (J002)`: how the room names an officer."""
    return _("No. {rank} {name} ({code})").format(rank=d["rank"], name=d["name"] or "",
                                                 code=d["officer"])


def points(value: float | int | None, places: int) -> str:
    """A score as the notice and the breakdowns print it (`174.50`, not `174.5`)."""
    return "" if value is None else f"{value:.{places}f}"


def breakdown_text(d: dict[str, Any], labels: dict[str, str], places: int) -> str:
    return "  ".join(f"{labels.get(k, k)} {points(v, places)}"
                     for k, v in d["breakdown"].items())


def post_text(code: str | None, title: str | None) -> str:
    return f"{code} {title or ''}".strip() if code else ""


def ranking_note(r: dict[str, Any]) -> str:
    """What the room's ranking says an officer did."""
    post = post_text(r["position"], r["position_title"])
    if r["state"] == "preassigned":
        return _("{post} (pre-assigned)").format(post=post)
    if r["state"] == "chosen":
        return post
    if r["state"] == "passed":
        return status_text(PASSED)
    if r["state"] == "choosing":
        return _("► choosing now")
    return ""


def room_state_text(d: dict[str, Any]) -> str:
    if d["status"] != "live":
        return _("The room is closed: the result is stored ({status}).").format(
            status=word(d["status"]))
    return _("{done} of {total} have chosen · {seats} seats left").format(
        done=d["chosen"], total=d["to_choose"], seats=d["seats_left"])


def room_text(d: dict[str, Any]) -> str:
    out = [_("Batch {id}: {title}").format(id=d["batch"], title=d["title"]),
           room_state_text(d), ""]
    now = d["now"]
    if now is None:
        if d["status"] == "live":
            out.append(_("Everyone has chosen: close the room with `civic placement run {id}`.")
                       .format(id=d["batch"]))
    else:
        out.append(_("Now choosing: {who}, score {score}").format(
            who=who_text(now), score=points(now["score"], d["places"])))
        out.append("  " + breakdown_text(now, d["labels"], d["places"]))
        if d["next"]:
            out.append(_("Next: {who}").format(who=who_text(d["next"])))
    if d["open"]:
        out += ["", _("Open posts")]
        rows = [{**p, "may": ("✓" if p["may_take"] else "✗ " + "; ".join(p["why_not"]))
                 if p["may_take"] is not None else ""} for p in d["open"]]
        out.append(table(rows, [("position", _("Code")), ("title", _("Post")),
                                ("seats_left", _("Seats left")), ("may", _("May take")),
                                ("unit", _("Unit"))]))
    out += ["", _("Ranking so far")]
    out.append(table([{**r, "what": ranking_note(r), "drawn": "*" if r["drawn"] else "",
                       "score": points(r["score"], d["places"])} for r in d["ranking"]],
                     [("rank", _("Order")), ("officer", _("Code")), ("name", _("Name")),
                      ("score", _("Score")), ("drawn", _("Draw")), ("what", _("Post"))]))
    return "\n".join(out)


# --- `run --json`, streamed ----------------------------------------------------------------


def json_chunks(data: Any, block: int = 512) -> Iterator[str]:
    """`json.dumps(data, ensure_ascii=False, indent=2, default=str)` in pieces, character for
    character: a run of 10,000 officers is written a block of list entries at a time instead
    of one 3 MB string built by the pure-Python encoder that `indent` needs."""
    if isinstance(data, dict) and data and all(type(k) is str for k in data):
        yield "{"
        last = len(data) - 1
        for n, (key, value) in enumerate(data.items()):
            head = f"\n  {_string(key)}: "
            tail = "," if n < last else "\n}"
            if isinstance(value, (list, tuple)) and value:
                yield head + "["
                for start in range(0, len(value), block):
                    part = value[start:start + block]
                    yield ",".join("\n    " + _text(v, 2) for v in part) + (
                        "," if start + block < len(value) else "")
                yield "\n  ]" + tail
            else:
                yield head + _text(value, 1) + tail
    else:
        yield _text(data, 0)


def _text(value: Any, level: int) -> str:  # noqa: C901 - one branch a JSON type, as json's own
    """One value as `json.dumps(..., indent=2)` writes it nested `level` deep."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = "\n" + "  " * (level + 1)
        return "[" + ",".join(pad + _text(v, level + 1) for v in value) + \
            "\n" + "  " * level + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "\n" + "  " * (level + 1)
        # A run's breakdowns are flat: their numbers written without a call through _text.
        return "{" + ",".join(
            pad + _key(k) + ": " + (plain(v) if (plain := _PLAIN.get(type(v))) else
                                    _text(v, level + 1))
            for k, v in value.items()) + "\n" + "  " * level + "}"
    return _string(str(value))  # default=str


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  # json's own, in C


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_PLAIN: dict[type, Any] = {str: _string, int: int.__repr__, float: _float,
                           type(None): lambda _v: "null"}


def _key(key: Any) -> str:
    # As json converts a key: a string as it is, the scalars as their JSON text.
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, (bool, int, float)):
        return '"' + _text(key, 0) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
