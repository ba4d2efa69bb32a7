"""Writes: each step one `office.change()` with its audit event; a sheet is refused whole."""

from __future__ import annotations

import datetime as dt
import sqlite3
from fractions import Fraction
from pathlib import Path

from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.training import events, rules, store

# A study day's hours when a delegation's programme gives none: 3 months ~ 550 hours in the
# 2015 条例 (art. 13) puts a day at about six hours.
HOURS_PER_DAY = 6


def _check_category(category: str) -> None:
    if category not in rules.CATEGORIES:
        raise CivicError(_("Unknown category {category!r}; expected one of {known}.").format(
            category=category, known=", ".join(rules.CATEGORIES)))


def create_programme(office, title: str, category: str, starts: dt.date, ends: dt.date,
                     organiser: str = "") -> int:
    _check_category(category)
    if not title.strip():
        raise CivicError(_("A programme needs a title."))
    if ends < starts:
        raise CivicError(_("A programme cannot end ({ends}) before it starts ({starts}).")
                         .format(ends=ends.isoformat(), starts=starts.isoformat()))
    with office.change() as change:
        cur = change.db.execute(
            "INSERT INTO training_programmes (title, category, starts, ends, organiser)"
            " VALUES (?, ?, ?, ?, ?)", (title, category, starts.isoformat(), ends.isoformat(),
                                        organiser))
        change.record(events.ProgrammeCreated(programme=cur.lastrowid, title=title,
                                              category=category, starts=starts.isoformat(),
                                              ends=ends.isoformat()))
    return cur.lastrowid


def add_session(office, programme: int, day: dt.date, half_days: int, hours: Fraction,
                title: str = "") -> int:
    prog = store.get_programme(office.db, programme)
    if not prog["starts"] <= day.isoformat() <= prog["ends"]:
        raise CivicError(_("Session day {day} is outside the programme ({starts} to {ends}).")
                         .format(day=day.isoformat(), starts=prog["starts"], ends=prog["ends"]))
    if half_days < 1 or hours < 0:
        raise CivicError(_("A session lasts at least a half-day and its hours are not "
                           "negative."))
    with office.change() as change:
        cur = change.db.execute(
            "INSERT INTO training_sessions (programme, day, half_days, hours, title)"
            " VALUES (?, ?, ?, ?, ?)", (programme, day.isoformat(), half_days, float(hours),
                                        title))
        change.record(events.SessionAdded(programme=programme, session=cur.lastrowid,
                                          day=day.isoformat(), half_days=half_days,
                                          hours=str(hours)))
    return cur.lastrowid


def _sheet_schema():
    from civic.tabular import Column, Schema

    return Schema([Column("session", ("课次", "课次编号")),
                   Column("person", ("code", "人员编号", "编号"), required=True),
                   Column("name", ("姓名",)),
                   Column("signed", ("签到", "签名"))], allow_extra=True)


def import_attendance(office, path: str | Path, session: int | None = None) -> int:
    """A sign-in sheet (CSV or XLSX): one row a person present, at `session` or at the session
    its own column names. An unknown person or session, a name that is not the person's, a
    person twice at a session or already recorded there: the whole sheet is refused with
    file:row:column, nothing written. One audit entry for the sheet (its digest).

    The rows go straight into the table, whose keys check them as they go in (a person and a
    session that exist, a person once a session); the session column and the names are
    checked in the stream. A sheet they refuse is undone and read again by
    `import_attendance_plain`, which names every problem: the answer is always that path's
    (tests/training/test_training_import.py holds the two equal)."""
    try:
        return _import_fast(office, Path(path), session)
    except _Refused:
        return import_attendance_plain(office, path, session)


class _Refused(Exception):  # noqa: N818 - a signal, not an error anyone sees
    """A row the fast path does not answer for: the checked path reads the sheet again."""


class _SessionOf(dict):
    """The session each text of a sheet's session column names, worked out once a text; a
    text naming no session (or not the one given) refuses the sheet."""

    def __init__(self, sessions: set[int], given: int | None) -> None:
        super().__init__()
        self.sessions, self.given = sessions, given

    def __missing__(self, text: str) -> int:
        at = _session_number(text)
        if at not in self.sessions or (self.given is not None and at != self.given):
            raise _Refused
        self[text] = at
        return at


def _session_number(text: str) -> int:
    """A session column's cell as a session number; -1 if it is not one."""
    try:
        return int(text) if text.isdigit() else -1
    except ValueError:  # a digit int() does not read ("²")
        return -1


_INSERT = "INSERT INTO training_attendance (session, person) VALUES (?, ?)"


def _import_fast(office, path: Path, session: int | None) -> int:
    from civic.importers import import_cache
    from civic.tabular import TableReader, file_sha256

    db = office.db
    if session is not None:
        store.get_session(db, session)
    if not db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise _Refused  # the table's keys would not check the people and sessions
    session_of = _SessionOf({r[0] for r in db.execute("SELECT id FROM training_sessions")},
                            session)
    names: dict[str, str] = {}
    reader = TableReader(path, _sheet_schema())

    def rows():
        for _number, (text, code, name, _signed) in reader.tuples():
            if text is not None:
                at = session_of[text]
            elif session is None:
                raise _Refused
            else:
                at = session
            if name:
                if not names:
                    names.update(db.execute("SELECT code, name FROM people"))
                if names.get(code, name) != name:
                    raise _Refused
            yield at, code

    with office.change() as change, import_cache(change.db):
        try:
            count = change.db.conn.executemany(_INSERT, rows()).rowcount
        except sqlite3.IntegrityError:
            # An unknown person or session (the foreign keys) or a person twice at a
            # session (the primary key): undone with the change, named by the plain path.
            raise _Refused from None
        change.record(events.AttendanceImported(session=session or 0, file=path.name,
                                                sha256=file_sha256(path), rows=count))
    return count


def import_attendance_plain(office, path: str | Path, session: int | None = None) -> int:
    """`import_attendance` checking each row in Python before it is written: every problem of
    the sheet named, in row order. The reference the fast path agrees with."""
    from civic.importers import import_cache
    from civic.tabular import TableReader, file_sha256

    db = office.db
    if session is not None:
        store.get_session(db, session)
    sessions = {r[0] for r in db.execute("SELECT id FROM training_sessions")}
    names = dict(db.execute("SELECT code, name FROM people"))
    seen: dict[tuple[int, str], int] = {(s, p): 0 for s, p in db.execute(
        "SELECT session, person FROM training_attendance"
        + ("" if session is None else " WHERE session = ?"),
        [] if session is None else [session])}
    reader = TableReader(path, _sheet_schema())
    # The session as each text of its column names it (-1: none), worked out once a text.
    session_of: dict[str, int] = {}

    def rows():
        for number, (sheet_session, code, name, _signed) in reader.tuples():
            at = session
            if sheet_session is not None:
                at = session_of.get(sheet_session)
                if at is None:
                    at = session_of[sheet_session] = _session_number(sheet_session)
                if at not in sessions or (session is not None and at != session):
                    reader.report(number, "session",
                                  _("no training session {number}").format(number=sheet_session))
                    continue
            elif at is None:
                reader.report(number, "session", _("which session: give --session or a "
                                                   "session column"))
                continue
            if code not in names:
                reader.report(number, "person",
                              _("no person {code} in the registry").format(code=code))
                continue
            if name and name != names[code]:
                reader.report(number, "name", _("{code} is {name}, not {written}").format(
                    code=code, name=names[code], written=name))
                continue
            first = seen.setdefault((at, code), number)
            if first != number:
                reader.report(number, "person", (
                    _("{code} is already recorded at this session") if first == 0 else
                    _("{code} already signed in on row {row}")).format(code=code, row=first))
                continue
            yield at, code

    with office.change() as change, import_cache(change.db):
        # Rows stream into the transaction; the InputError raised after the last row undoes
        # them all.
        count = change.db.conn.executemany(_INSERT, rows()).rowcount
        change.record(events.AttendanceImported(session=session or 0, file=Path(path).name,
                                                sha256=file_sha256(path), rows=count))
    return count


def record_attendance(office, session: int, people: list[str]) -> int:
    """Attendance keyed at the terminal or by the demo: the same checks as a sheet."""
    store.get_session(office.db, session)
    known = {r[0] for r in office.db.execute("SELECT code FROM people")}
    unknown = [p for p in people if p not in known]
    if unknown:
        raise CivicError(_("No person {code} in the registry.").format(code=unknown[0]))
    with office.change() as change:
        change.db.conn.executemany(
            "INSERT OR IGNORE INTO training_attendance (session, person) VALUES (?, ?)",
            ((session, p) for p in people))
        change.record(events.AttendanceImported(session=session, file="", sha256="",
                                                rows=len(set(people))))
    return len(set(people))


def record_leave(office, programme: int, person: str, hours: Fraction, reason: str) -> bool:
    """Record leave; returns whether the person is now withdrawn from the programme."""
    from civic.registry import get_person

    store.get_programme(office.db, programme)
    get_person(office.db, person)
    if hours <= 0 or not reason.strip():
        raise CivicError(_("Leave needs its hours (more than 0) and its reason."))
    total = store.programme_hours(office.db, programme)
    taken = Fraction(office.db.execute(
        "SELECT coalesce(sum(hours), 0) FROM training_leave WHERE programme = ? AND person = ?",
        [programme, person]).fetchone()[0]).limit_denominator(100)
    out = rules.withdrawn(total, taken + hours, store.leave_fraction(office.db))
    with office.change() as change:
        change.db.execute("INSERT INTO training_leave (programme, person, hours, reason)"
                          " VALUES (?, ?, ?, ?)", (programme, person, float(hours), reason))
        change.record(events.LeaveRecorded(programme=programme, person=person,
                                           hours=str(hours), reason=reason, withdrawn=out))
    return out


def create_delegation(office, title: str, destination: str, host: str, theme: str,
                      starts: dt.date, ends: dt.date, report_due: dt.date | None = None,
                      hours_per_day: int = HOURS_PER_DAY) -> int:
    """A study delegation (考察学习): a programme of one block session over its days; the
    report is due a month after the return unless given."""
    if ends < starts:
        raise CivicError(_("A programme cannot end ({ends}) before it starts ({starts}).")
                         .format(ends=ends.isoformat(), starts=starts.isoformat()))
    due = report_due or ends + dt.timedelta(days=30)
    days = (ends - starts).days + 1
    with office.change():  # the programme, its session and the delegation: one transaction
        programme = create_programme(office, title, "delegation", starts, ends, host)
        add_session(office, programme, starts, 2 * days, Fraction(hours_per_day * days),
                    destination)
        with office.change() as change:
            change.db.execute(
                "INSERT INTO training_delegations (programme, destination, host, theme,"
                " report_due) VALUES (?, ?, ?, ?, ?)",
                (programme, destination, host, theme, due.isoformat()))
            change.record(events.DelegationCreated(programme=programme, destination=destination,
                                                   host=host, report_due=due.isoformat()))
    return programme


def file_delegation_report(office, programme: int, on: dt.date, text: str) -> None:
    rows = list(office.db.execute(
        "SELECT reported_on FROM training_delegations WHERE programme = ?", [programme]))
    if not rows:
        raise CivicError(_("Programme {number} is not a study delegation.").format(
            number=programme))
    if rows[0][0]:
        raise CivicError(_("The delegation's report was filed on {day}.").format(day=rows[0][0]))
    if not text.strip():
        raise CivicError(_("The report needs its text."))
    with office.change() as change:
        change.db.execute("UPDATE training_delegations SET reported_on = ?, report = ?"
                          " WHERE programme = ?", (on.isoformat(), text, programme))
        change.record(events.DelegationReported(programme=programme, reported_on=on.isoformat()))


def assess(office, on: dt.date, people: list[str] | None = None) -> dict:
    """Record each person's compliance on `on` as a training_status fact (everyone with a
    requirement, or only `people`); a person whose standing changed has the old fact
    superseded (history is kept)."""
    from civic import facts

    pack = rules.pack_on(on)
    rows = store.compliance(office.db, on)
    if people is not None:
        wanted = set(people)
        rows = [r for r in rows if r["person"] in wanted]
    current = store.current_status(office.db, on)
    changed = 0
    with office.change() as change:
        for row in rows:
            data = {k: row[k] for k in ("hours", "days", "short_hours", "short_days", "due",
                                        "catch_up", "window")}
            data["pack"] = pack.key
            old = current.get(row["person"])
            if old is not None and old.value == row["status"] and old.data == data:
                continue
            new = dict(person=row["person"], kind="training_status", value=row["status"],
                       valid_from=on, source=("training", f"assessment-{on.isoformat()}"),
                       rule=row["source"], data=data)
            if old is None:
                facts.record(change, **new)
            else:
                facts.supersede(change, old.id, reason=_("reassessed"), **new)
            changed += 1
        met = sum(r["status"] == "met" for r in rows)
        change.record(events.StatusAssessed(on=on.isoformat(), pack=pack.key, met=met,
                                            short=len(rows) - met, changed=changed))
    return {"on": on.isoformat(), "pack": pack.key, "met": met, "short": len(rows) - met,
            "changed": changed}
