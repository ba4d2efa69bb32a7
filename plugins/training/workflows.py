"""What the training plugin shows elsewhere: open workflows (delegation reports due), the
section of a person's record, and the eligibility condition when the office makes a shortfall
block promotion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import _


def open_workflows(db: Any) -> list:
    from civic.plugins.training.store import delegations_due
    from civic.workflows import Workflow

    return [Workflow("training", str(r["id"]), r["title"], _("delegation report due"),
                     mode="training", due=dt.date.fromisoformat(r["report_due"]))
            for r in delegations_due(db)]


def _fact(db: Any, code: str, on: dt.date):
    from civic.plugins.training.store import current_status

    return current_status(db, on).get(code) if code else None


def promotion_problems(db: Any, person: dict, position: dict, on: dt.date) -> list:
    """A recorded shortfall past its due day bars a post above the person's rank, when the
    office's setting says so (default: it is shown on the record, not a block)."""
    from civic.eligibility import Problem
    from civic.plugins.training.rules import BLOCK_SETTING, RANK_LEVELS
    from civic.rule_settings import value

    if not value(db, BLOCK_SETTING):
        return []
    fact = _fact(db, person.get("code") or "", on)
    if fact is None or fact.value != "short":
        return []
    due = fact.data.get("due")
    if due and dt.date.fromisoformat(due) >= on:
        return []  # inside the catch-up year or the calendar year: not yet overdue
    mine = RANK_LEVELS.get(person.get("rank") or "", 0)
    post = RANK_LEVELS.get(position.get("rank_level") or "", 0)
    if post <= mine:
        return []
    return [Problem("training.short", fact.rule, due,
                    _("training short of the requirement since {due} ({source})").format(
                        due=due or fact.valid_from.isoformat(), source=fact.rule))]


def person_section(db: Any, person: dict) -> list:
    from civic.plugins.training.rules import CATEGORIES
    from civic.registry import Section

    rows = [(_(CATEGORIES[cat]), _("{hours} hours in {times} sessions").format(
                hours=round(hours, 1), times=times))
            for cat, hours, times in db.execute(
                "SELECT p.category, sum(s.hours), count(*) FROM training_attendance a"
                " JOIN training_sessions s ON s.id = a.session JOIN training_programmes p"
                " ON p.id = s.programme WHERE a.person = ? GROUP BY p.category"
                " ORDER BY p.category", [person["code"]])]
    warning = shortfall_row(db, person["code"])
    if warning:
        rows.append(warning)
    return [Section(_("Training"), rows)] if rows else []


def shortfall_row(db: Any, code: str) -> tuple[str, str] | None:
    """The person's recorded shortfall (the latest training_status fact still holding) as a
    row of their record: a warning by default, or said to bar promotion once due when the
    office's setting makes it block. Core eligibility has no warning level (a Problem bars),
    so the warning lives on the record and the bar in `promotion_problems`."""
    from civic.facts import facts_of
    from civic.plugins.training.rules import BLOCK_SETTING
    from civic.rule_settings import value

    mine = [f for f in facts_of(db, code, kind="training_status")
            if f.source_plugin == "training" and f.effective_until is None]
    if not mine or mine[-1].value != "short":
        return None
    data = mine[-1].data
    short = _("short by {hours} hours / {days} days, due {due}").format(
        hours=data.get("short_hours") or "-", days=data.get("short_days") or "-",
        due=data.get("due") or "-")
    if value(db, BLOCK_SETTING):
        return _("Training shortfall"), short + _("; bars promotion once due (the office's "
                                                  "setting)")
    return _("Training shortfall"), short + _("; a warning, not a bar to promotion")
