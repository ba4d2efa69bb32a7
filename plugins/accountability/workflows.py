"""Open work for `civic status` and the dashboard: a served decision's appeal deadline, an
appeal's answer deadline, and open tasks by their deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import _


def open_workflows(db: Any) -> list:
    from civic.plugins.accountability import store
    from civic.workdays import default_calendar
    from civic.workflows import Workflow

    is_workday = default_calendar().is_workday
    found = []
    # One pack per name, not one per case: each is a TOML file parsed and the office's
    # deadline settings read (18 parses on the demo's dashboard, most of its Enter wait).
    packs: dict[str, Any] = {}
    for case in store._rows(db, "SELECT * FROM accountability_cases"
                            " WHERE status IN ('served', 'appealed')"):
        pack = packs.get(case["pack"])
        if pack is None:
            pack = packs[case["pack"]] = store.office_pack(db, case["pack"])
        name = "appeal" if case["status"] == "served" else "answer"
        due = store.open_deadlines(pack, case, is_workday)[name]
        state = _("appeal period") if name == "appeal" else _("appeal to answer")
        found.append(Workflow("accountability", f"case:{case['id']}",
                              _("Accountability case {number}").format(number=case["id"]),
                              state, mode="accountability",
                              due=dt.date.fromisoformat(due["last_day"])))
    for task_id, title, deadline in db.execute(
            "SELECT id, title, deadline FROM accountability_tasks WHERE status = 'open'"):
        found.append(Workflow("accountability", f"task:{task_id}", title, _("supervised task"),
                              mode="accountability", due=dt.date.fromisoformat(deadline)))
    return found
