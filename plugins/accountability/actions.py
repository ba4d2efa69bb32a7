"""Writes: each step of a case and of a task is one `office.change()` with its audit event;
a decision is co-signed and records its restrictions as person facts in the same change; a
file of cases is imported whole or not at all."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from pathlib import Path
from typing import Any

from civic.dates import parse_date
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.accountability import rules, store
from civic.plugins.accountability.events import (
    CaseDecided,
    CaseOpened,
    CaseRead,
    CasesImported,
    CaseStepped,
    TaskCreated,
    TaskLogged,
)

PLUGIN = "accountability"


class _Lookup:
    """People (with their unit) and units looked up once per code: a file of cases names the
    same people and units again and again, and each lookup otherwise cost a query a row."""

    # After this many people looked up one by one, the file is large: the registry's people
    # are read in one query instead (when there are at most WHOLE of them, ~60 MB).
    ONE_BY_ONE = 10_000
    WHOLE = 300_000

    def __init__(self, db) -> None:
        self.conn = db.conn
        self.people: dict[str, tuple[bool, str | None]] = {}
        self.units: dict[str, bool] = {}
        self.headings: dict[str, str | None] = {}
        self.whole = False

    def heading(self, pack: rules.Pack, trigger: str) -> str | None:
        """The local heading of a trigger (the pack's map walked once per trigger)."""
        if trigger not in self.headings:
            self.headings[trigger] = pack.heading_of(trigger)
        return self.headings[trigger]

    def person(self, code: str) -> tuple[bool, str | None]:
        """(the person exists, their unit)."""
        found = self.people.get(code)
        if found is not None:
            return found
        if self.whole:
            return (False, None)
        if len(self.people) == self.ONE_BY_ONE and self.conn.execute(
                "SELECT count(*) FROM people").fetchone()[0] <= self.WHOLE:
            self.people = {c: (True, u) for c, u in self.conn.execute(
                "SELECT code, unit FROM people")}
            self.whole = True
            return self.person(code)
        row = self.conn.execute("SELECT unit FROM people WHERE code = ?", (code,)).fetchone()
        found = self.people[code] = (row is not None, row[0] if row else None)
        return found

    def unit(self, code: str) -> bool:
        found = self.units.get(code)
        if found is None:
            found = self.units[code] = self.conn.execute(
                "SELECT 1 FROM units WHERE code = ?", (code,)).fetchone() is not None
        return found


def _check_case(lookup: _Lookup, pack: rules.Pack, *, person: str | None, team: str | None,
                unit: str | None, trigger: str, source: str) -> list[tuple[str | None, str]]:
    """What is wrong with a new case, as (field, reason) pairs."""
    wrong: list[tuple[str | None, str]] = []
    if not person and not team:
        wrong.append(("person", _("a case names a person or a team")))
    if person and not lookup.person(person)[0]:
        wrong.append(("person", _("no person {code} in the registry").format(code=person)))
    if unit and not lookup.unit(unit):
        wrong.append(("unit", _("no unit {code} in the registry").format(code=unit)))
    if trigger not in pack.triggers:
        wrong.append(("trigger", _("unknown trigger {value!r}; the pack has {codes}").format(
            value=trigger, codes=", ".join(pack.triggers))))
    if source not in rules.SOURCES:
        wrong.append(("source", _("unknown source {value!r}; one of {codes}").format(
            value=source, codes=", ".join(rules.SOURCES))))
    return wrong


INSERT_CASE = ("INSERT INTO accountability_cases (pack, person, team, unit, trigger, heading,"
               " source, summary, status, opened_on, task) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
               " 'opened', ?, ?)")


def _case_row(lookup: _Lookup, pack: rules.Pack, *, person: str | None, team: str | None,
              unit: str | None, trigger: str, source: str, summary: str, opened_on: dt.date,
              task: int | None = None) -> tuple:
    """The values of INSERT_CASE; a person's case without a unit is filed under theirs."""
    if unit is None and person:
        unit = lookup.person(person)[1]
    return (pack.name, person, team, unit, trigger, lookup.heading(pack, trigger), source,
            summary, opened_on.isoformat(), task)


def _insert_case(change, pack: rules.Pack, **case: Any) -> int:
    cursor = change.db.execute(INSERT_CASE, _case_row(_Lookup(change.db), pack, **case))
    return int(cursor.lastrowid)


def open_case(office, *, person: str | None, team: str | None = None, unit: str | None = None,
              trigger: str, source: str, summary: str, opened_on: dt.date,
              task: int | None = None) -> int:
    """Open a case (立案): one audited change."""
    pack = rules.load_pack()
    wrong = _check_case(_Lookup(office.db), pack, person=person, team=team, unit=unit,
                        trigger=trigger, source=source)
    if wrong:
        raise CivicError("; ".join(f"{field}: {reason}" if field else reason
                                   for field, reason in wrong))
    with office.change() as change:
        case_id = _insert_case(change, pack, person=person, team=team, unit=unit,
                               trigger=trigger, source=source, summary=summary,
                               opened_on=opened_on, task=task)
        change.record(CaseOpened(case=case_id, person=person, team=team, unit=unit,
                                 trigger=trigger, source=source,
                                 opened_on=opened_on.isoformat()))
    return case_id


def _case_schema(day: Any = parse_date):
    """The columns of a file of cases; `day` parses the date column."""
    from civic.tabular import Column, Schema

    return Schema([
        Column("person", ("人员编号", "编号")),
        Column("team", ("班子",)),
        Column("unit", ("单位",)),
        Column("trigger", ("问责情形",), required=True),
        Column("source", ("来源",), required=True),
        Column("summary", ("事由",), required=True),
        Column("opened_on", ("立案日期",), required=True, parse=day),
    ])


def import_cases(office, path: str | Path) -> int:
    """Open every case of a CSV or XLSX file in one change; a bad row refuses the whole file
    with its file:row:column, and nothing is written. One audit entry for the file (its
    digest).

    The rows stream straight into the table, whose keys and CHECK test them as they go in (a
    person and a unit that exist, a person or a team named); the trigger and the source are
    looked up in the stream and a person's unit, when the row gives none, is read by the
    INSERT itself. A file they refuse is undone and read again by `import_cases_plain`,
    which names every problem: the answer is always that path's
    (tests/accountability/test_accountability_import.py holds the two equal)."""
    from civic.errors import InputError

    try:
        return _import_fast(office, Path(path))
    except (_Refused, InputError):
        return import_cases_plain(office, path)


class _Refused(Exception):  # noqa: N818 - a signal, not an error anyone sees
    """A row the fast path does not answer for: the checked path reads the file again."""


# INSERT_CASE with a person's own unit when the row names none (`coalesce` reads the
# person only then), the task always NULL: what `_case_row` does, in SQLite.
_INSERT_STREAMED = (
    "INSERT INTO accountability_cases (pack, person, team, unit, trigger, heading, source,"
    " summary, status, opened_on) VALUES (?1, ?2, ?3, coalesce(?4, (SELECT unit FROM people"
    " WHERE code = ?2)), ?5, ?6, ?7, ?8, 'opened', ?9)")


@functools.lru_cache(maxsize=4096)  # a file's cases fall on a few hundred days
def _iso_day(text: str) -> str:
    # A refusal raises and is not remembered; the reader then words it the general way.
    return parse_date(text).isoformat()


def _import_fast(office, path: Path) -> int:
    from civic.importers import import_cache
    from civic.tabular import TableReader, file_sha256

    db = office.db
    if not db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise _Refused  # the table's keys would not check the people and units
    pack = rules.load_pack()
    headings = {code: pack.heading_of(code) for code in pack.triggers}
    sources = frozenset(rules.SOURCES)
    name = pack.name
    reader = TableReader(path, _case_schema(_iso_day))

    def rows():
        for _number, (person, team, unit, trigger, source, summary, day) in reader.tuples():
            try:
                heading = headings[trigger]
            except KeyError:
                raise _Refused from None
            if source not in sources:
                raise _Refused
            yield name, person, team, unit, trigger, heading, source, summary, day

    with office.change() as change, import_cache(change.db):
        try:
            count = change.db.conn.executemany(_INSERT_STREAMED, rows()).rowcount
        except sqlite3.IntegrityError:
            # An unknown person or unit (the foreign keys) or a row naming neither a person
            # nor a team (the CHECK): undone with the change, named by the plain path.
            raise _Refused from None
        change.record(CasesImported(file=path.name, cases=count, digest=file_sha256(path)))
    return count


def import_cases_plain(office, path: str | Path) -> int:
    """`import_cases` checking each row in Python before it is written: every problem of the
    file named, in row order. The reference the fast path agrees with."""
    from civic.tabular import file_sha256, read_rows

    pack = rules.load_pack()
    lookup = _Lookup(office.db)

    def check(row):
        return _check_case(lookup, pack, person=row["person"], team=row["team"],
                           unit=row["unit"], trigger=row["trigger"], source=row["source"])

    count = 0
    with office.change() as change:
        # The rows go in by thousands (one executemany each), not one statement a row.
        batch: list[tuple] = []
        for row in read_rows(path, _case_schema(), check):
            batch.append(_case_row(lookup, pack, **row.values))
            if len(batch) >= 5000:
                change.db.conn.executemany(INSERT_CASE, batch)
                count += len(batch)
                batch = []
        change.db.conn.executemany(INSERT_CASE, batch)
        count += len(batch)
        change.record(CasesImported(file=Path(path).name, cases=count,
                                    digest=file_sha256(path)))
    return count


def _on_or_after(case: dict, on: dt.date) -> None:
    last = max(d for d in store.dates_of(case).values() if d is not None)
    if on < last:
        raise CivicError(_("Case {number}: {on} is before its last step ({last}).").format(
            number=case["id"], on=on.isoformat(), last=last.isoformat()))


def step(office, case_id: int, step: str, on: dt.date, *, outcome: str | None = None,
         is_workday=None) -> None:
    """Move a case on (investigated, served, appealed, reviewed, closed): one audited change.
    An appeal after its deadline is refused; a review revoking the decision ends its
    restrictions from the review's day (execution went on meanwhile)."""
    from civic import facts

    case = store.get_case(office.db, case_id)
    rules.check_step(case["status"], step)
    _on_or_after(case, on)
    if step == "decided":
        raise CivicError(_("A decision is taken with `decide`, co-signed."))
    if step == "appealed":
        pack = store.office_pack(office.db, case["pack"])
        due = store.open_deadlines(pack, case, is_workday or _workday())["appeal"]
        if on.isoformat() > due["last_day"]:
            raise CivicError(_("Case {number}: the appeal was due by {day} ({source}).").format(
                number=case_id, day=due["last_day"], source=due["source"]))
    if step == "reviewed" and outcome not in rules.OUTCOMES:
        raise CivicError(_("A review upholds or revokes the decision: --outcome upheld|"
                           "revoked."))
    with office.change() as change:
        change.record(CaseStepped(case=case_id, step=step, on=on.isoformat(),
                                  outcome=outcome if step == "reviewed" else None))
        change.db.execute(
            f"UPDATE accountability_cases SET status = ?, {step}_on = ?,"
            " outcome = coalesce(?, outcome) WHERE id = ?",
            (step, on.isoformat(), outcome if step == "reviewed" else None, case_id))
        if step == "reviewed" and outcome == "revoked":
            for item in store.restrictions_of(change.db, case_id, caps=True):
                if item["until"] is None or item["until"] > on.isoformat():
                    facts.end(change, item["fact"], on=on,
                              reason=_("decision revoked on review (case {number})").format(
                                  number=case_id))


def decide(office, case_id: int, on: dt.date, forms: list[str],
           factors: list[tuple[str, str]], cosigner) -> list[int]:
    """The decision, co-signed by a supervisor: its forms and factors, and for a person the
    restrictions its forms carry, recorded as person facts in the same change."""
    from civic import facts
    from civic.auth import require_cosigner

    require_cosigner(office, cosigner, _("decide an accountability case"))
    case = store.get_case(office.db, case_id)
    rules.check_step(case["status"], "decided")
    _on_or_after(case, on)
    pack = rules.load_pack(case["pack"])
    rules.check_forms(pack, forms)
    for kind, _text in factors:
        if kind not in rules.FACTOR_KINDS:
            raise CivicError(_("Unknown factor {kind!r}; one of {kinds}.").format(
                kind=kind, kinds=", ".join(rules.FACTOR_KINDS)))
    found = []
    with office.change() as change:
        change.record(CaseDecided(case=case_id, on=on.isoformat(), forms=list(forms),
                                  factors=[list(f) for f in factors]), cosigner)
        db = change.db
        db.execute("UPDATE accountability_cases SET status = 'decided', decided_on = ?"
                   " WHERE id = ?", (on.isoformat(), case_id))
        db.executemany("INSERT INTO accountability_case_forms (case_id, form) VALUES (?, ?)",
                       [(case_id, f) for f in forms])
        db.executemany("INSERT INTO accountability_case_factors (case_id, kind, text)"
                       " VALUES (?, ?, ?)", [(case_id, k, t) for k, t in factors])
        if case["person"]:
            for effect in rules.effects(pack, forms, on):
                # A grade cap is a core restriction too (civic.facts.GRADE_CAP): a mechanism
                # that grades the year reads it, as eligibility reads the others.
                cap = ({"year": effect.year, "grade": effect.cap}
                       if effect.kind == facts.GRADE_CAP else None)
                fact = facts.record(change, person=case["person"], kind="restriction",
                                    value=effect.kind, valid_from=effect.start,
                                    until=effect.until, source=(PLUGIN, f"case-{case_id}"),
                                    rule=effect.rule, data=cap)
                db.execute("INSERT INTO accountability_case_facts (case_id, fact)"
                           " VALUES (?, ?)", (case_id, fact))
                found.append(fact)
    return found


def read_case(office, case_id: int, role: str | None, roles: frozenset[str],
              is_workday=None) -> dict[str, Any]:
    """The case as `role` may see it; a read of its content is audited (one entry)."""
    content = rules.may_read_content(role, roles)
    view = store.case_view(office.db, case_id, content=content,
                           is_workday=is_workday or _workday())
    if content:
        with office.change() as change:
            change.record(CaseRead(case=case_id))
    return view


def _workday():
    from civic.workdays import default_calendar

    return default_calendar().is_workday


# --- tasks (督查督办) ---------------------------------------------------------------------

def new_task(office, *, title: str, unit: str, owner: str | None, type: str,
             deadline: dt.date, created_on: dt.date) -> int:
    if type not in rules.TASK_TYPES:
        raise CivicError(_("Unknown task type {value!r}; one of {types}.").format(
            value=type, types=", ".join(rules.TASK_TYPES)))
    wrong = _check_case(_Lookup(office.db), rules.load_pack(), person=owner, team=None if owner
                        else "-", unit=unit, trigger="other", source="task")
    if wrong:
        raise CivicError("; ".join(f"{field}: {reason}" for field, reason in wrong))
    if deadline < created_on:
        raise CivicError(_("A task's deadline comes after the day it is set."))
    with office.change() as change:
        cursor = change.db.execute(
            "INSERT INTO accountability_tasks (title, unit, owner, type, deadline, created_on)"
            " VALUES (?, ?, ?, ?, ?, ?)", (title, unit, owner, type, deadline.isoformat(),
                                           created_on.isoformat()))
        task_id = int(cursor.lastrowid)
        change.record(TaskCreated(task=task_id, title=title, unit=unit,
                                  deadline=deadline.isoformat()))
    return task_id


def log_task(office, task_id: int, kind: str, day: dt.date, text: str) -> None:
    """A progress report, or closing the task (kind `closed`)."""
    task = store.get_task(office.db, task_id)
    if task["status"] != "open":
        raise CivicError(_("Task {number} is closed.").format(number=task_id))
    if not text.strip():
        raise CivicError(_("Say what was done."))
    with office.change() as change:
        change.record(TaskLogged(task=task_id, kind=kind, day=day.isoformat(), text=text))
        change.db.execute("INSERT INTO accountability_task_log (task, day, kind, text)"
                          " VALUES (?, ?, ?, ?)", (task_id, day.isoformat(), kind, text))
        if kind == "closed":
            change.db.execute("UPDATE accountability_tasks SET status = 'closed', closed_on = ?"
                              " WHERE id = ?", (day.isoformat(), task_id))


def propose_case(office, task_id: int, on: dt.date) -> int:
    """An overdue task opens a case against its owner (or its unit's team), once an operator
    confirms: the case's source is the task."""
    task = store.get_task(office.db, task_id)
    level = rules.escalation_level(rules.load_pack(), dt.date.fromisoformat(task["deadline"]),
                                   on)
    if task["status"] != "open" or level is None:
        raise CivicError(_("Task {number} is not overdue: no case to propose.").format(
            number=task_id))
    taken = office.db.execute("SELECT id FROM accountability_cases WHERE task = ?",
                              (task_id,)).fetchone()
    if taken:
        raise CivicError(_("Task {number} has case {case} already.").format(
            number=task_id, case=taken[0]))
    return open_case(office, person=task["owner"], team=None if task["owner"] else task["unit"],
                     unit=task["unit"], trigger="abuse", source="task",
                     summary=_("Task {number} overdue: {title}").format(
                         number=task_id, title=task["title"]),
                     opened_on=on, task=task_id)



# --- inspection (巡察) ----------------------------------------------------------------------

def _record(change, inspection: int, what: str, item: int | None, detail: dict) -> None:
    from civic.plugins.accountability.events import InspectionRecorded

    change.record(InspectionRecorded(inspection=inspection, what=what, item=item,
                                     detail=detail))


def new_inspection(office, *, kind: str, title: str, team: str, units: list[str],
                   starts_on: dt.date, ends_on: dt.date) -> int:
    from civic.plugins.accountability.events import InspectionOpened

    if kind not in rules.INSPECTION_KINDS:
        raise CivicError(_("Unknown kind of inspection {kind!r}; daily or special.").format(
            kind=kind))
    if ends_on < starts_on or not units:
        raise CivicError(_("An inspection round names its units and a window that ends after "
                           "it starts."))
    for unit in units:
        if office.db.execute("SELECT 1 FROM units WHERE code = ?", (unit,)).fetchone() is None:
            raise CivicError(_("No unit {code} in the registry.").format(code=unit))
    with office.change() as change:
        cursor = change.db.execute(
            "INSERT INTO accountability_inspections (kind, title, team, starts_on, ends_on)"
            " VALUES (?, ?, ?, ?, ?)", (kind, title, team, starts_on.isoformat(),
                                        ends_on.isoformat()))
        number = int(cursor.lastrowid)
        change.db.executemany("INSERT INTO accountability_inspection_units (inspection, unit)"
                              " VALUES (?, ?)", [(number, u) for u in units])
        change.record(InspectionOpened(inspection=number, kind=kind, title=title,
                                       units=list(units), starts_on=starts_on.isoformat(),
                                       ends_on=ends_on.isoformat()))
    return number


def _open_inspection(db, number: int) -> dict:
    row = store.get_inspection(db, number)
    if row["status"] != "open":
        raise CivicError(_("Inspection round {number} is closed.").format(number=number))
    return row


def record_work(office, number: int, counts: dict[str, int]) -> None:
    """Add the work done (talks, questionnaires, documents reviewed, spot checks)."""
    _open_inspection(office.db, number)
    if any(key not in rules.WORK_COUNTS or value < 0 for key, value in counts.items()):
        raise CivicError(_("Work is counted in whole numbers of {kinds}.").format(
            kinds=", ".join(rules.WORK_COUNTS)))
    with office.change() as change:
        for key, value in counts.items():
            change.db.execute(f"UPDATE accountability_inspections SET {key} = {key} + ?"
                              " WHERE id = ?", (value, number))
        _record(change, number, "work", None, dict(counts))


def add_finding(office, number: int, unit: str, text: str, on: dt.date) -> int:
    _open_inspection(office.db, number)
    if office.db.execute("SELECT 1 FROM accountability_inspection_units WHERE inspection = ?"
                         " AND unit = ?", (number, unit)).fetchone() is None:
        raise CivicError(_("Unit {unit} is not a target of round {number}.").format(
            unit=unit, number=number))
    with office.change() as change:
        cursor = change.db.execute(
            "INSERT INTO accountability_findings (inspection, unit, text, found_on)"
            " VALUES (?, ?, ?, ?)", (number, unit, text, on.isoformat()))
        item = int(cursor.lastrowid)
        _record(change, number, "finding", item, {"unit": unit, "text": text})
    return item


def add_rectification(office, finding: int, text: str, due: dt.date) -> int:
    row = store.get_finding(office.db, finding)
    _open_inspection(office.db, row["inspection"])
    with office.change() as change:
        cursor = change.db.execute(
            "INSERT INTO accountability_rectifications (finding, text, due) VALUES (?, ?, ?)",
            (finding, text, due.isoformat()))
        item = int(cursor.lastrowid)
        _record(change, row["inspection"], "rectification", item,
                {"finding": finding, "text": text, "due": due.isoformat()})
    return item


def rectified(office, item: int, on: dt.date) -> None:
    row = store.get_rectification(office.db, item)
    if row["done_on"]:
        raise CivicError(_("Rectification item {number} was done on {day}.").format(
            number=item, day=row["done_on"]))
    with office.change() as change:
        change.db.execute("UPDATE accountability_rectifications SET done_on = ? WHERE id = ?",
                          (on.isoformat(), item))
        _record(change, row["inspection"], "rectified", item, {"on": on.isoformat()})


def propose(office, number: int, person: str, kind: str, position: str | None,
            reason: str) -> int:
    """A proposal of the round: nothing changes until it is decided, co-signed."""
    _open_inspection(office.db, number)
    wrong = _check_case(_Lookup(office.db), rules.load_pack(), person=person, team=None, unit=None,
                        trigger="other", source="inspection")
    if wrong:
        raise CivicError("; ".join(f"{field}: {text}" for field, text in wrong))
    if kind not in rules.PROPOSAL_KINDS or (kind in ("transfer", "demote") and not position):
        rules.proposal_change(kind, "-", position)  # says what is missing
    if position:
        from civic.registry import get_position

        get_position(office.db, position)
    with office.change() as change:
        cursor = change.db.execute(
            "INSERT INTO accountability_proposals (inspection, person, kind, position, reason)"
            " VALUES (?, ?, ?, ?, ?)", (number, person, kind, position, reason))
        item = int(cursor.lastrowid)
        _record(change, number, "proposal", item,
                {"person": person, "kind": kind, "position": position, "reason": reason})
    return item


def decide_proposal(office, item: int, on: dt.date, cosigner) -> int:
    """Decide a proposal, co-signed: a core reserve entry or appointment change, in the same
    change as the decision's audit entry."""
    from civic import registry
    from civic.auth import require_cosigner
    from civic.plugins.accountability.events import ProposalDecided

    require_cosigner(office, cosigner, _("decide an inspection proposal"))
    row = store.get_proposal(office.db, item)
    if row["status"] != "proposed":
        raise CivicError(_("Proposal {number} was decided on {day}.").format(
            number=item, day=row["decided_on"]))
    person = registry.get_person(office.db, row["person"])
    how, post = rules.proposal_change(row["kind"], person.get("position"), row["position"])
    if row["kind"] == "demote" and post is not None:
        rules.check_demotion(_level(office.db, person.get("rank")),
                             _level(office.db, registry.get_position(office.db, post)["rank_level"]))
    basis = f"accountability:inspection:{row['inspection']}:proposal:{item}"
    with office.change() as change:
        entry = change.record(ProposalDecided(
            inspection=row["inspection"], proposal=item, person=row["person"],
            kind=row["kind"], position=post, on=on.isoformat()), cosigner)
        if how == "reserve":
            registry.add_reserve(change, person=row["person"], position=post,
                                 basis_kind="inspection", basis_ref=basis, added_on=on)
        else:
            registry.appoint(change, person=row["person"], position=post, effective=on,
                             basis_kind="inspection", basis_ref=basis,
                             action="remove" if how == "remove" else "appoint")
        change.db.execute("UPDATE accountability_proposals SET status = 'decided',"
                          " decided_on = ?, audit_id = ? WHERE id = ?",
                          (on.isoformat(), entry.id, item))
    return entry.id


def _level(db, rank: str | None) -> int | None:
    if rank is None:
        return None
    row = db.execute("SELECT level FROM ranks WHERE code = ? OR name_zh = ?",
                     (rank, rank)).fetchone()
    return row[0] if row else None


def close_inspection(office, number: int, on: dt.date) -> None:
    """Close a round once every rectification item is done."""
    _open_inspection(office.db, number)
    left = store.inspection_progress(office.db, number)
    if left["open"]:
        raise CivicError(_("Round {number} has {count} rectification items not done.").format(
            number=number, count=left["open"]))
    with office.change() as change:
        change.db.execute("UPDATE accountability_inspections SET status = 'closed',"
                          " closed_on = ? WHERE id = ?", (on.isoformat(), number))
        _record(change, number, "closed", None, {"on": on.isoformat()})
