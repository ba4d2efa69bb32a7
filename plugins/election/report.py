"""The year's figures computed from the data (`civic election report`): the pilot
organisations with their terms, targets and recalls; each batch with its elected, the reasons
for the others and incumbents re-elected vs new, per group of schools; the electors."""

from __future__ import annotations

from typing import Any

from civic.db import Database
from civic.i18n import _
from civic.plugins.election import rules, store


def figures(db: Database) -> dict[str, Any]:
    single = [e for e in store.elections(db) if e["batch"] is None]
    certified = [e for e in single if e["status"] == "certified"]
    terms = store.terms(db)
    targets = store.targets(db)
    out: dict[str, Any] = {
        "elections": {"count": len(single), "certified": len(certified),
                      "terms": len(terms),
                      "targets": len(targets),
                      "targets_met": sum(t["status"] == "met" for t in targets),
                      "recalls": len(store.recalls(db))},
        "batches": []}
    for batch in store.batches(db):
        counted = store.batch_count(db, batch["id"])
        groups: dict[str, list[dict[str, Any]]] = {}
        for data in counted["elections"]:
            groups.setdefault(data["group"] or "", []).append(data)
        mine = store.incumbents(db, batch["id"])
        electors = db.execute(
            "SELECT coalesce(sum(c.registered), 0) FROM voting_constituencies c"
            " JOIN voting_rounds r ON r.id = c.round JOIN election_rounds e ON e.vround = r.key"
            " JOIN election_elections x ON x.id = e.election WHERE x.batch = ?"
            " AND e.round_no = 1", (batch["id"],)).fetchone()[0]
        out["batches"].append({
            "batch": batch["id"], "title": batch["title"], "electors": electors,
            "summary": counted["summary"],
            "groups": {g: rules.summary(rows, mine) for g, rows in groups.items()}})
    return out


def text(data: dict[str, Any]) -> str:
    e = data["elections"]
    lines = [_("Elections: {count} ({certified} certified), {terms} terms, {targets} term"
               " targets ({met} met), {recalls} recall petitions").format(
        count=e["count"], certified=e["certified"], terms=e["terms"], targets=e["targets"],
        met=e["targets_met"], recalls=e["recalls"])]
    for b in data["batches"]:
        s = b["summary"]
        lines.append(_("{title}: {n} elections, {held} held, {elected} elected by {electors}"
                       " registered electors").format(title=b["title"], n=s["elections"],
                                                      held=s["held"], elected=s["elected"],
                                                      electors=b["electors"]))
        for reason, n in s["not_elected"].items():
            lines.append(f"  {_(rules.OUTCOMES[reason])}: {n}")
        for group, g in b["groups"].items():
            lines.append("  " + _("{group}: {n} elections, {elected} elected, {re} incumbents"
                                  " re-elected, {new} new").format(
                group=group or "-", n=g["elections"], elected=g["elected"],
                re=g["incumbents_reelected"], new=g["new"]))
    return "\n".join(lines)
