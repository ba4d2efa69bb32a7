"""Open workflows a plugin reports through `open_workflows` (dashboard, `civic status`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Workflow:
    """One piece of work still open: a round being counted, a case awaiting a decision.

    `ref` is the plugin's own key (a round id, a case number); `mode` names the TUI mode that
    opens it, when the plugin has one; `due` is the day the next step falls due (a notice
    period's end, a decision's deadline), None when no date binds it.
    """

    plugin: str
    ref: str
    title: str
    state: str
    mode: str | None = None
    due: dt.date | None = None

    def as_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"plugin": self.plugin, "ref": self.ref, "title": self.title,
               "state": self.state, "mode": self.mode,
               "due": self.due.isoformat() if self.due else None}
        if today is not None:
            out["overdue"] = self.due is not None and self.due < today
        return out


def open_work(pm: Any, db: Any, today: dt.date) -> list[Workflow]:
    """Every plugin's open workflows on `today`, the soonest due first, undated ones last."""
    found = [w for listed in pm.hook.open_workflows(db=db, today=today)
             for w in (listed or [])]
    return sorted(found, key=lambda w: (w.due is None, w.due or dt.date.min, w.plugin, w.ref))
