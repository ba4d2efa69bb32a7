"""Reads: cases (with their computed deadlines and restrictions), tasks (with their level of
escalation), the reports. A case's content is given only when the caller says the reader may
see it (rules.may_read_content); the actions audit that read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.accountability import rules

DATES = ("opened_on", "investigated_on", "decided_on", "served_on", "appealed_on",
         "reviewed_on", "closed_on")
PUBLIC = ("id", "person", "team", "unit", "status", "opened_on", "decided_on", "closed_on")


def _rows(db: Database, sql: str, params: Any = ()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def get_case(db: Database, case_id: int) -> dict:
    found = _rows(db, "SELECT * FROM accountability_cases WHERE id = ?", (case_id,))
    if not found:
        raise CivicError(_("No accountability case {number}.").format(number=case_id))
    return found[0]


def forms_of(db: Database, case_id: int) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT form FROM accountability_case_forms WHERE case_id = ? ORDER BY rowid",
        (case_id,))]


def factors_of(db: Database, case_id: int) -> list[dict]:
    return _rows(db, "SELECT kind, text FROM accountability_case_factors WHERE case_id = ?"
                 " ORDER BY id", (case_id,))


def restrictions_of(db: Database, case_id: int, *, caps: bool = False) -> list[dict]:
    """The restrictions the case's decision put on the person's record, as they stand: an
    ended one (a decision revoked on review) carries the day it ended. `caps`: the grade
    caps too (shown apart, as the case's grade_caps, otherwise)."""
    from civic import facts

    out = []
    for (fact_id,) in db.execute("SELECT fact FROM accountability_case_facts WHERE case_id = ?"
                                 " ORDER BY fact", (case_id,)).fetchall():
        fact = facts.get_fact(db, fact_id)
        if fact.value == facts.GRADE_CAP and not caps:
            continue  # shown as the case's grade_caps, with the year and the cap
        until = fact.effective_until
        out.append({"fact": fact_id, "restriction": fact.value,
                    "from": fact.valid_from.isoformat(),
                    "until": until.isoformat() if until else None})
    return out


def dates_of(case: dict) -> dict[str, dt.date | None]:
    return {key.removesuffix("_on"): dt.date.fromisoformat(case[key]) if case[key] else None
            for key in DATES}


def office_pack(db: Database, name: str = rules.DEFAULT_PACK) -> rules.Pack:
    """The pack `name` with the office's deadline settings (accountability.<name>_days) in
    force: a value the regulation fixes is never taken below its floor."""
    from civic.rule_settings import value

    pack = rules.load_pack(name)
    settings = {s.key: s for s in rules.deadline_settings(pack)}
    return rules.with_days(pack, {
        name: int(value(db, settings[key])) for name in pack.deadlines
        if (key := f"accountability.{name}_days") in settings})


def open_deadlines(pack: rules.Pack, case: dict, is_workday) -> dict[str, Any]:
    """The case's deadlines: appeal (from service), answer (from the appeal)."""
    found = rules.case_deadlines(pack, dates_of(case), is_workday)
    if "appeal" in found:  # once appealed or closed, the appeal deadline is history
        found["appeal"]["open"] = case["status"] == "served"
    if "answer" in found:
        found["answer"]["open"] = case["status"] == "appealed"
    return found


def case_view(db: Database, case_id: int, *, content: bool, is_workday) -> dict[str, Any]:
    """The case as shown: everyone sees who, the status, the dates, the deadlines and that a
    restriction exists; with `content` the trigger, heading, source, summary, forms, factors
    and the effects (a grade capped) too."""
    case = get_case(db, case_id)
    pack = office_pack(db, case["pack"])
    view: dict[str, Any] = {key: case[key] for key in PUBLIC}
    view["unit_name"] = unit_name(db, case["unit"])
    # Who, by name: the register shows it to every reader, so the case does too.
    row = db.execute("SELECT name FROM people WHERE code = ?", (case["person"],)).fetchone() \
        if case["person"] else None
    view["name"] = row[0] if row else None
    view["dates"] = {key.removesuffix("_on"): case[key] for key in DATES}
    view["deadlines"] = open_deadlines(pack, case, is_workday)
    view["restrictions"] = restrictions_of(db, case_id)
    view["content"] = content
    if content:
        forms = forms_of(db, case_id)
        trigger = pack.triggers.get(case["trigger"], (case["trigger"], ""))
        heading = pack.headings.get(case["heading"] or "", ("", ()))
        view.update({
            "pack": case["pack"], "trigger": case["trigger"], "trigger_name": trigger[0],
            "heading": case["heading"], "heading_name": heading[0], "source": case["source"],
            "summary": case["summary"], "outcome": case["outcome"], "task": case["task"],
            "forms": [{"code": f, "name": pack.form(f).name, "family": pack.form(f).family,
                       "source": str(pack.form(f).source)} for f in forms],
            "factors": factors_of(db, case_id),
            "grade_caps": [{"year": e.year, "cap": e.cap, "source": e.rule}
                           for e in rules.effects(pack, forms,
                                                  dt.date.fromisoformat(case["decided_on"]))
                           if e.kind == "grade_cap"] if case["decided_on"] else []})
    return view


def list_cases(db: Database, *, status: str | None = None,
               person: str | None = None) -> list[dict]:
    """The register: who, where, the status and dates (no content)."""
    where, params = [], []
    if status:
        where.append("c.status = ?")
        params.append(status)
    if person:
        where.append("c.person = ?")
        params.append(person)
    # The unit's name beside its code: operators know 西山区委, not KM-XS.
    sql = ("SELECT c.id, c.person, p.name, c.team, c.unit, u.name AS unit_name, c.status,"
           " c.opened_on, c.decided_on, c.closed_on FROM accountability_cases c"
           " LEFT JOIN people p ON p.code = c.person LEFT JOIN units u ON u.code = c.unit"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.id")
    return _rows(db, sql, params)


def unit_name(db: Database, code: str | None) -> str | None:
    """The unit's name as the registry has it (None for no unit or an unknown code)."""
    if not code:
        return None
    row = db.execute("SELECT name FROM units WHERE code = ?", (code,)).fetchone()
    return row[0] if row else None


def get_task(db: Database, task_id: int) -> dict:
    found = _rows(db, "SELECT * FROM accountability_tasks WHERE id = ?", (task_id,))
    if not found:
        raise CivicError(_("No supervised task {number}.").format(number=task_id))
    return found[0]


def list_tasks(db: Database, today: dt.date, *, open_only: bool = False,
               pack: rules.Pack | None = None) -> list[dict]:
    """Tasks, each with its days overdue and level (rules.escalation_level), most urgent
    first."""
    pack = pack or rules.load_pack()
    tasks = _rows(db, "SELECT t.*, u.name AS unit_name FROM accountability_tasks t"
                  " LEFT JOIN units u ON u.code = t.unit"
                  + (" WHERE t.status = 'open'" if open_only else "") + " ORDER BY t.id")
    for task in tasks:
        due = dt.date.fromisoformat(task["deadline"])
        is_open = task["status"] == "open"
        task["days_overdue"] = max(0, (today - due).days) if is_open else 0
        task["level"] = rules.escalation_level(pack, due, today) if is_open else None
        task["log"] = _rows(db, "SELECT day, kind, text FROM accountability_task_log"
                            " WHERE task = ? ORDER BY id", (task["id"],))
    tasks.sort(key=lambda t: (t["status"] != "open", -t["days_overdue"], t["deadline"]))
    return tasks


def report(db: Database, start: dt.date, end: dt.date, today: dt.date) -> dict[str, Any]:
    """Cases opened in [start, end] by heading, by trigger, by form, by unit and by month;
    overdue tasks by unit."""
    pack = rules.load_pack()
    cases = _rows(db, "SELECT id, heading, trigger, unit, opened_on FROM accountability_cases"
                  " WHERE opened_on BETWEEN ? AND ?", (start.isoformat(), end.isoformat()))
    forms = Counter(r[0] for r in db.execute(
        "SELECT f.form FROM accountability_case_forms f JOIN accountability_cases c"
        " ON c.id = f.case_id WHERE c.opened_on BETWEEN ? AND ?",
        (start.isoformat(), end.isoformat())))
    by_heading = Counter(c["heading"] for c in cases)
    month_heading = Counter((c["opened_on"][:7], c["heading"]) for c in cases)
    overdue = Counter(t["unit"] for t in list_tasks(db, today, open_only=True, pack=pack)
                      if t["days_overdue"] > 0)
    return {
        "from": start.isoformat(), "to": end.isoformat(), "total": len(cases),
        "by_heading": [{"heading": code, "name": name, "cases": by_heading.get(code, 0)}
                       for code, (name, _t) in pack.headings.items()],
        "by_trigger": dict(sorted(Counter(c["trigger"] for c in cases).items())),
        "by_form": [{"form": code, "name": pack.forms[code].name if code in pack.forms
                     else code, "cases": n} for code, n in sorted(forms.items())],
        "by_unit": dict(sorted(Counter(c["unit"] or "" for c in cases).items())),
        "by_month": dict(sorted(Counter(c["opened_on"][:7] for c in cases).items())),
        # Each month of the period (none left out for having no case) by heading, in the
        # pack's order of headings: what the reports screen charts.
        "by_month_heading": {month: {code: month_heading.get((month, code), 0)
                                     for code in pack.headings}
                             for month in months(start, end)},
        "overdue_tasks_by_unit": dict(sorted(overdue.items())),
        "rectification_by_round": [
            {"inspection": r["id"], "title": r["title"], "kind": r["kind"], **r["progress"]}
            for r in list_inspections(db)],
    }


def months(start: dt.date, end: dt.date) -> list[str]:
    """Every month (YYYY-MM) from `start`'s to `end`'s."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def report_period(db: Database) -> tuple[dt.date, dt.date] | None:
    """The period a report shows first: from 1 January of the latest case's year to the end
    of its month (the demo: January-June 2008); None when there is no case."""
    (latest,) = db.execute("SELECT max(opened_on) FROM accountability_cases").fetchone()
    if not latest:
        return None
    day = dt.date.fromisoformat(latest)
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return dt.date(day.year, 1, 1), following - dt.timedelta(days=1)


def report_rows(data: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The report as one table (what it counts, the key, its name, the count) for a file."""
    rows: list[tuple[str, str, str, Any]] = [("total", "", "", data["total"])]
    rows += [("heading", h["heading"], h["name"], h["cases"]) for h in data["by_heading"]]
    rows += [("trigger", k, "", n) for k, n in data["by_trigger"].items()]
    rows += [("form", f["form"], f["name"], f["cases"]) for f in data["by_form"]]
    rows += [("unit", k, "", n) for k, n in data["by_unit"].items()]
    rows += [("month", k, "", n) for k, n in data["by_month"].items()]
    rows += [("overdue_tasks", k, "", n) for k, n in data["overdue_tasks_by_unit"].items()]
    rows += [("rectification", str(r["inspection"]), r["title"], f"{r['done']}/{r['items']}")
             for r in data["rectification_by_round"]]
    return rows


def case_text(view: dict) -> str:
    """A case view (case_view) as text, for the CLI and the case screen: every stored code
    (status, step, deadline, restriction, source, factor) in the operator's words."""
    from civic.facts import RESTRICTION_LABELS

    label = rules.label
    lines = [_("Case {number}: {status}").format(number=view["id"],
                                                 status=label(rules.STEP_LABELS,
                                                              view["status"]))]
    # Labels outside the f-strings: the catalog's extractor does not look inside them.
    who = [(_("Person") + f": {view['person']} {view.get('name') or ''}").rstrip()
           if view["person"] else "", _("Team") + f": {view['team']}" if view["team"] else "",
           _("Unit") + f": {view.get('unit_name') or view['unit'] or ''}"]
    lines.append("  " + "  ".join(part for part in who if part))
    for step, day in view["dates"].items():
        if day:
            lines.append(f"  {label(rules.STEP_LABELS, step)}: {day}")
    for name, due in view["deadlines"].items():
        lines.append("  " + _("{name} due by {day} ({source})").format(
            name=label(rules.DEADLINE_LABELS, name), day=due["last_day"], source=due["source"]))
    for item in view["restrictions"]:
        lines.append("  " + _("restriction {value} from {start} until {end}").format(
            value=label(RESTRICTION_LABELS, item["restriction"]), start=item["from"],
            end=item["until"] or "-"))
    if not view["content"]:
        lines.append("  " + _("What the case is about is shown only to the roles the office "
                              "allows."))
        return "\n".join(lines)
    lines.append("  " + _("Trigger") + f": {view['trigger_name']}  ({view['heading_name']})")
    lines.append("  " + _("Source") + f": {label(rules.SOURCE_LABELS, view['source'])}")
    lines.append("  " + _("Summary") + f": {view['summary']}")
    for form in view["forms"]:
        lines.append("  " + _("Form") + f": {form['name']}  ({form['source']})")
    for factor in view["factors"]:
        lines.append(f"  {label(rules.FACTOR_LABELS, factor['kind'])}: {factor['text']}")
    for cap in view["grade_caps"]:
        lines.append("  " + _("grade for {year} at most {cap}").format(**cap))
    return "\n".join(lines)


# --- inspection (巡察) ----------------------------------------------------------------------

def _one(db: Database, sql: str, number: int, missing: str) -> dict:
    found = _rows(db, sql, (number,))
    if not found:
        raise CivicError(missing.format(number=number))
    return found[0]


def get_inspection(db: Database, number: int) -> dict:
    return _one(db, "SELECT * FROM accountability_inspections WHERE id = ?", number,
                _("No inspection round {number}."))


def get_finding(db: Database, number: int) -> dict:
    return _one(db, "SELECT * FROM accountability_findings WHERE id = ?", number,
                _("No finding {number}."))


def get_rectification(db: Database, number: int) -> dict:
    return _one(db, "SELECT r.*, f.inspection FROM accountability_rectifications r JOIN"
                " accountability_findings f ON f.id = r.finding WHERE r.id = ?", number,
                _("No rectification item {number}."))


def get_proposal(db: Database, number: int) -> dict:
    return _one(db, "SELECT * FROM accountability_proposals WHERE id = ?", number,
                _("No proposal {number}."))


def inspection_progress(db: Database, number: int) -> dict[str, int]:
    """Rectification items of a round: all, done, not done."""
    total, done = db.execute(
        "SELECT count(*), count(r.done_on) FROM accountability_rectifications r JOIN"
        " accountability_findings f ON f.id = r.finding WHERE f.inspection = ?",
        (number,)).fetchone()
    return {"items": total, "done": done, "open": total - done}


def list_inspections(db: Database) -> list[dict]:
    rounds = _rows(db, "SELECT * FROM accountability_inspections ORDER BY id")
    for row in rounds:
        row["units"] = [r[0] for r in db.execute(
            "SELECT unit FROM accountability_inspection_units WHERE inspection = ?"
            " ORDER BY unit", (row["id"],))]
        row["progress"] = inspection_progress(db, row["id"])
    return rounds


def inspection_view(db: Database, number: int) -> dict[str, Any]:
    view = get_inspection(db, number)
    view["units"] = [r[0] for r in db.execute(
        "SELECT unit FROM accountability_inspection_units WHERE inspection = ? ORDER BY unit",
        (number,))]
    view["findings"] = _rows(db, "SELECT * FROM accountability_findings WHERE inspection = ?"
                             " ORDER BY id", (number,))
    for finding in view["findings"]:
        finding["rectifications"] = _rows(
            db, "SELECT id, text, due, done_on FROM accountability_rectifications"
            " WHERE finding = ? ORDER BY id", (finding["id"],))
    view["proposals"] = _rows(db, "SELECT id, person, kind, position, reason, status,"
                              " decided_on FROM accountability_proposals WHERE inspection = ?"
                              " ORDER BY id", (number,))
    view["progress"] = inspection_progress(db, number)
    return view
