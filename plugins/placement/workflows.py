"""Batches still open, for the dashboard and `civic status`."""

from __future__ import annotations

from datetime import date
from typing import Any

from civic.i18n import N_, _
from civic.workflows import Workflow

_NEXT = {
    "setup": N_("set up"),
    "live": N_("choosing in the room"),
    "ran": N_("awaiting certification"),
}


def open_workflows(db: Any) -> list[Workflow]:
    """Batches not yet certified, and certified ones whose notice is not yet confirmed."""
    if "placement_batches" not in db.table_names():
        return []
    out = []
    for id_, title, status in db.execute(
            "SELECT id, title, status FROM placement_batches ORDER BY id"):
        due = None
        if status != "certified":
            state = _(_NEXT[status])
        else:
            row = db.execute("SELECT status, ends_on FROM notices WHERE subject = ?"
                             " ORDER BY id DESC", (f"placement:{id_}",)).fetchone()
            if row is not None and row[0] == "confirmed":
                from civic.plugins.placement.store import get_batch, waits_for_notice

                if not waits_for_notice(db, get_batch(db, id_)):
                    continue
                out.append(Workflow("placement", str(id_), title,
                                    _("appointments to record"), mode="placement"))
                continue
            state = _("notice to publish") if row is None or row[0] == "draft" else _(
                "notice period")
            if row is not None and row[1]:  # confirmation falls due when the period ends
                due = date.fromisoformat(row[1])
        out.append(Workflow("placement", str(id_), title, state, mode="placement", due=due))
    return out
