"""What the evaluation plugin has open: evaluations not yet certified (civic status)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import _


def open_workflows(db: Any) -> list:
    from civic.plugins.evaluation import notice, store
    from civic.workflows import Workflow

    found = []
    for ev in store.evaluations(db):
        if ev["certified_on"]:
            posted = notice.current(db, ev["id"])
            if posted is None or posted.status == "draft":
                found.append(Workflow("evaluation", str(ev["id"]), ev["title"],
                                      _("results notice to publish"), mode="evaluation"))
            continue
        state = (_("awaiting data") if not ev["units"] else
                 _("awaiting a run") if not ev["run"] else _("awaiting certification"))
        due = db.execute("SELECT due FROM evaluation_evaluations WHERE id = ?",
                         (ev["id"],)).fetchone()[0]
        found.append(Workflow("evaluation", str(ev["id"]), ev["title"], state,
                              mode="evaluation", due=dt.date.fromisoformat(due) if due else None))
    return found
