"""What the training plugin shows elsewhere: open workflows (delegation reports due), the
section of a person's record, and a shortfall in eligibility: a warning, or a bar to promotion
when the office's setting says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import _, ngettext


def open_workflows(db: Any) -> list:
    from civic.plugins.training.store import delegations_due
    from civic.workflows import Workflow

    return [Workflow("training", str(r["id"]), r["title"], _("delegation report due"),
                     mode="training", due=dt.date.fromisoformat(r["report_due"]))
            for r in delegations_due(db)]


# Up to this many people, each one's facts are read by code; more, everyone's in one query.
_FEW = 50


_READ: dict[str, Any] = {}  # the last everyone's read: (key, facts by person)


def _everyone(db: Any, on: dt.date) -> tuple[dict, frozenset[str]]:
    """`store.current_status`, read once for the batches of one eligibility run (a check of
    100,000 people asks batch by batch), and the people whose status is a shortfall: kept
    while the file is unchanged, by this connection (total_changes) or another
    (data_version)."""
    from civic.plugins.training.store import current_status

    conn = db.conn
    # The file too: a closed connection's id may be another file's connection's later.
    key = (id(conn), conn.execute("PRAGMA database_list").fetchone()[2], on,
           conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
    last = _READ.get("last")
    if last is not None and last[0] == key:
        return last[1], last[2]
    found = current_status(db, on)
    short = frozenset(code for code, fact in found.items() if fact.value == "short")
    _READ["last"] = (key, found, short)
    return found, short


def _status_of(db: Any, codes: set[str], on: dt.date) -> dict:
    """The training_status fact from this plugin holding on `on`, by person, for `codes`."""
    from civic.facts import facts_of

    if len(codes) > _FEW:
        return _everyone(db, on)[0]
    out = {}
    for code in codes:
        mine = [f for f in facts_of(db, code, on, kind="training_status")
                if f.source_plugin == "training"]
        if mine:
            out[code] = mine[-1]
    return out


def promotion_problems(db: Any, pairs: list, on: dt.date) -> dict[int, list]:
    """A recorded shortfall, for each pair whose post is above the person's rank: a warning
    (it bars nothing) by default; a bar once it is past its due day when the office's setting
    makes a shortfall block promotion (still a warning inside the catch-up year or the
    calendar year). {index in `pairs`: [Problem]} (`eligibility_problems_many`)."""
    from civic.eligibility import BAR, WARNING, Problem
    from civic.plugins.training.rules import BLOCK_SETTING, RANK_LEVELS

    def above(person: dict, position: dict) -> bool:
        return (RANK_LEVELS.get(position.get("rank_level") or "", 0)
                > RANK_LEVELS.get(person.get("rank") or "", 0))

    if len(pairs) > _FEW:
        # Many pairs (a placement run asks 200,000): only people whose status is a shortfall
        # can have a problem here, so the rank comparison runs for them alone (most offices
        # have none at all).
        short = _everyone(db, on)[1]
        promoted = [(i, person) for i, (person, position) in enumerate(pairs)
                    if person.get("code") in short and above(person, position)]
    else:
        promoted = [(i, person) for i, (person, position) in enumerate(pairs)
                    if person.get("code") and above(person, position)]
    if not promoted:
        return {}
    found = _status_of(db, {person["code"] for _i, person in promoted}, on)
    if not found:
        return {}
    from civic.rule_settings import value

    blocks = bool(value(db, BLOCK_SETTING))
    out: dict[int, list] = {}
    for i, person in promoted:
        fact = found.get(person["code"])
        if fact is None or fact.value != "short":
            continue
        due = fact.data.get("due")
        overdue = not due or dt.date.fromisoformat(due) < on
        if overdue:
            message = _("training short of the requirement since {due} ({source})").format(
                due=due or fact.valid_from.isoformat(), source=fact.rule)
        else:  # inside the catch-up year or the calendar year
            message = _("training short of the requirement, to be made up by {due} "
                        "({source})").format(due=due, source=fact.rule)
        # Required: the rule; has: the hours and days credited when it was assessed.
        has = _("{hours} hours, {days} days").format(hours=fact.data.get("hours") or "0",
                                                     days=fact.data.get("days") or "0")
        out[i] = [Problem("training.short", fact.rule, has, message,
                          BAR if blocks and overdue else WARNING)]
    return out


def person_section(db: Any, person: dict) -> list:
    from civic.plugins.training.rules import CATEGORIES
    from civic.registry import Section

    rows = [(_(CATEGORIES[cat]), ngettext("{hours} hours in {times} session",
                                          "{hours} hours in {times} sessions", times).format(
                hours=f"{hours:.1f}".removesuffix(".0"), times=times))
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
    office's setting makes it block (eligibility says the same: `promotion_problems`)."""
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
