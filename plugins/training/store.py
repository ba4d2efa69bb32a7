"""Reads: programmes, sessions, attendance, each person's credited hours and compliance, and
the reports. Bulk reads are one query each, never one per person."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from fractions import Fraction
from typing import Any

from civic.bulk import collector_paused
from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.training import rules
from civic.plugins.training.rules import Attended


@functools.lru_cache(maxsize=8192)
def _hours(value: float) -> Fraction:
    # Hours are stored as REAL; sheets carry whole or half hours, so limit the denominator.
    # Remembered: a compliance run over 100,000 people meets the same few sums again and
    # again, and limit_denominator was a third of its time.
    return Fraction(value).limit_denominator(100)


@functools.lru_cache(maxsize=1024)
def _half_days(count: int) -> Fraction:
    return Fraction(count, 2)


def leave_fraction(db) -> Fraction:
    from civic.rule_settings import value

    return Fraction(value(db, rules.LEAVE_SETTING))


def get_programme(db, programme: int) -> dict:
    rows = list(db.query("SELECT * FROM training_programmes WHERE id = ?", [programme]))
    if not rows:
        raise CivicError(_("No training programme {number}.").format(number=programme))
    return rows[0]


def get_session(db, session: int) -> dict:
    rows = list(db.query("SELECT * FROM training_sessions WHERE id = ?", [session]))
    if not rows:
        raise CivicError(_("No training session {number}.").format(number=session))
    return rows[0]


def programme_hours(db, programme: int) -> Fraction:
    row = db.execute("SELECT coalesce(sum(hours), 0) FROM training_sessions WHERE programme = ?",
                     [programme]).fetchone()
    return _hours(row[0])


def withdrawals(db, fraction: Fraction | None = None) -> set[tuple[int, str]]:
    """(programme, person) pairs withdrawn by the leave rule."""
    fraction = leave_fraction(db) if fraction is None else fraction
    out = set()
    for prog, person, leave, total in db.execute(
            "SELECT l.programme, l.person, sum(l.hours), (SELECT coalesce(sum(hours), 0)"
            " FROM training_sessions s WHERE s.programme = l.programme)"
            " FROM training_leave l GROUP BY l.programme, l.person"):
        if rules.withdrawn(_hours(total), _hours(leave), fraction):
            out.add((prog, person))
    return out


def records(db, start: dt.date, end: dt.date, people: list[str] | None = None
            ) -> dict[str, list[Attended]]:
    """Each person's attendance between `start` and `end` (inclusive), summed in SQL per
    category and per side of the calendar year's first day (the two windows the packs use:
    rolling years and the calendar year), withdrawn programmes left out. An aggregate's day is
    its last session's, so a window test on it gives the same answer as on each session."""
    out: dict[str, list[Attended]] = defaultdict(list)
    year_start = dt.date(end.year, 1, 1).isoformat()
    # The withdrawn pairs (few: leave slips) as a VALUES list, decided by rules.withdrawn.
    gone = sorted(withdrawals(db))
    args: list[Any] = [x for pair in gone for x in pair]
    sql = ("WITH w(programme, person) AS (VALUES " + ", ".join(["(?, ?)"] * len(gone))
           + ") " if gone else "")
    sql += ("SELECT a.person, max(s.day), p.category, sum(s.hours), sum(s.half_days)"
            " FROM training_attendance a JOIN training_sessions s ON s.id = a.session"
            " JOIN training_programmes p ON p.id = s.programme WHERE s.day BETWEEN ? AND ?")
    if gone:
        sql += (" AND NOT EXISTS (SELECT 1 FROM w WHERE w.programme = p.id"
                " AND w.person = a.person)")
    args += [start.isoformat(), end.isoformat()]
    if people is not None:
        sql += f" AND a.person IN ({','.join('?' * len(people))})"
        args += people
    sql += " GROUP BY a.person, p.category, s.day >= ?"
    args.append(year_start)
    for person, day, category, hours, half_days in db.execute(sql, args):
        out[person].append(Attended(dt.date.fromisoformat(day), category, _hours(hours),
                                    _half_days(half_days)))
    return out


def _longest_start(on: dt.date) -> dt.date:
    return min(rules.window(r, on)[0] for r in rules.pack_on(on).requirements)


def person_hours(db, code: str, on: dt.date) -> dict:
    """Hours by category against the requirement for the person's rank on `on`."""
    from civic.registry import get_person

    person = get_person(db, code)
    pack = rules.pack_on(on)
    mine = records(db, _longest_start(on), on, [code]).get(code, [])
    status = rules.assess(person["rank"], _day(person["rank_since"]), mine, on, pack)
    out: dict[str, Any] = {"person": code, "name": person["name"], "rank": person["rank"],
                           "unit": person["unit"], "on": on.isoformat(), "pack": pack.key}
    if status is None:
        out["status"] = None
        return out
    start, end = status.window_from, status.window_to
    got = rules.credit([r for r in mine if start <= r.day <= end], pack.caps)
    out.update(status.as_dict())
    out["categories"] = [{"category": cat, "hours": _num(got.raw.get(cat, Fraction(0))),
                          "credited": _num(got.credited.get(cat, Fraction(0))),
                          "cap": _num(pack.caps[cat]) if cat in pack.caps else None}
                         for cat in rules.CATEGORIES]
    return out


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _num(v: Fraction | None) -> str | None:
    return None if v is None else str(round(float(v), 2)).removesuffix(".0")


# Whom the training rules bind: active people on a unit's staff. One with no unit (a 军转干部
# waiting to be placed, say) has taken up no post here yet, and what they did before is not
# this office's record to count.
ON_STAFF = "status IN ('serving', 'reserve') AND coalesce(unit, '') != ''"


def compliance_plain(db, on: dt.date, unit: str | None = None,
                     people: list[str] | None = None) -> list[dict]:
    """`compliance` worked out person by person (`rules.assess` over each one's records): the
    plain reference the bulk path must always agree with, and its path for the few people
    whose figures floats cannot carry exactly. `people`: only these codes."""
    pack = rules.pack_on(on)
    sql = f"SELECT code, name, unit, rank, rank_since FROM people WHERE {ON_STAFF}"
    args: list[Any] = []
    if unit:
        sql += " AND unit = ?"
        args.append(unit)
    if people is not None and len(people) <= _FEW:
        sql += f" AND code IN ({','.join('?' * len(people))})"
        args += people
    rows = list(db.execute(sql + " ORDER BY code", args))
    if people is not None and len(people) > _FEW:
        wanted = set(people)
        rows = [r for r in rows if r[0] in wanted]
    few = [r[0] for r in rows] if len(rows) <= _FEW else None
    recs = records(db, _longest_start(on), on, few)
    out = []
    for code, name, unit_, rank, since in rows:
        status = rules.assess(rank, _day(since), recs.get(code, ()), on, pack)
        if status is not None:
            out.append({"person": code, "name": name, "unit": unit_, "rank": rank,
                        **status.as_dict()})
    return out


# Up to this many people are read by code (an IN list); more are read whole and filtered.
_FEW = 500
# Hours that are whole multiples of 1/64 (whole, half and quarter hours: what sheets carry)
# add up exactly in floats, and limit_denominator(100) leaves their sums as they are; a person
# who attended a session with other hours is worked out with Fractions (`compliance_plain`).
_EXACT_STEP = 64
_EXACT_LIMIT = 2.0 ** 40


def _exact(hours: float) -> bool:
    scaled = hours * _EXACT_STEP
    return scaled.is_integer() and abs(hours) < _EXACT_LIMIT


_FLOAT_TEXT: dict[float, str] = {}


def _float_text(value: float | None) -> str | None:
    """`rules._number_text` for a float, remembered by the float itself (a Fraction-keyed
    cache compares each float with Fractions, which costs more than the wording)."""
    if value is None:
        return None
    text = _FLOAT_TEXT.get(value)
    if text is None:
        if len(_FLOAT_TEXT) > 65536:  # bounded: sums are few, but a process may live long
            _FLOAT_TEXT.clear()
        text = _FLOAT_TEXT[value] = str(round(value, 2)).removesuffix(".0")
    return text


@functools.lru_cache(maxsize=16384)
def _catch_up_end(since: str, years: int) -> str:
    return rules.years_after(dt.date.fromisoformat(since), years).isoformat()


def _shape(rank: str, plan: tuple, hours: float, half_days: float) -> dict:
    """A compliance row of `rank` with these sums, without its person (see `compliance`):
    due and overdue as for someone outside any catch-up years."""
    (_fast, _both, need_h, need_d, _catch_years, short_due, fixed, (first, last), req_h,
     req_d) = plan
    text = _float_text
    days = half_days / 2
    met = (need_h is not None and hours >= need_h) or (need_d is not None and days >= need_d)
    due = None if met else short_due
    return {"person": None, "name": None, "unit": None, "rank": rank,
            "status": "met" if met else "short", **fixed, "window": [first, last],
            "hours": text(hours), "days": text(days), "required_hours": req_h,
            "required_days": req_d,
            "short_hours": None if need_h is None or met else text(max(need_h - hours, 0.0)),
            "short_days": None if need_d is None or met else text(max(need_d - days, 0.0)),
            "due": due, "catch_up": False,
            "overdue": not met and due is not None and due < last}


def _fast_rows(rows, plans: dict[str, tuple], gone: set[str], on_iso: str,
               out: list[dict | None], slow: dict[str, int]) -> None:
    """`compliance`'s rows from its query, appended to `out`; a person the sums cannot answer
    gets None there and their place in `slow`."""
    catch_up_end = _catch_up_end
    # A row's figures follow from its rank and its two sums alone, and people share them
    # (sessions have few distinct hours): each (rank, hours, half-days) is worded once, as a
    # whole row that each person's row copies (a dict's copy, then its own few keys).
    shapes: dict[tuple[str, float, float], dict] = {}
    for code, name, unit_, rank, since, hours, half_days, other in rows:
        plan = plans[rank]
        if other or not plan[0] or code in gone:
            slow[code] = len(out)
            out.append(None)
            continue
        shape = shapes.get((rank, hours, half_days))
        if shape is None:
            shape = shapes[rank, hours, half_days] = _shape(rank, plan, hours, half_days)
        row = shape.copy()
        row["person"], row["name"], row["unit"] = code, name, unit_
        row["window"] = list(plan[7])
        catch_years = plan[4]
        if catch_years and since:
            end = catch_up_end(since, catch_years)
            if on_iso < end:
                row["catch_up"] = True
                if row["status"] == "short":
                    row["due"] = end
                    row["overdue"] = end < plan[7][1]
        out.append(row)


def compliance(db, on: dt.date, unit: str | None = None) -> list[dict]:
    """Every serving person with a requirement, their status on `on`: the same rows as
    `compliance_plain`, worked out in bulk.

    One query, driven by the people table in code order (no sort), sums each person's hours
    and half-days over their rank's window (the longest window, or the calendar year) and
    says whether a capped category passed its cap; Python only words each person's row from
    their two sums, without a Fraction. A person the sums cannot answer exactly (withdrawn from
    a programme, over a cap so that their days are scaled, at a session whose hours are not a
    multiple of 1/64, or of a rank whose window is neither) is worked out by
    `compliance_plain`.
    """
    pack = rules.pack_on(on)
    start = _longest_start(on)
    year_start = dt.date(on.year, 1, 1)
    on_iso, year_end = on.isoformat(), dt.date(on.year, 12, 31).isoformat()
    num = rules._number_text
    plans: dict[str, tuple] = {}  # rank: what its rows share
    for rank in rules.RANK_LEVELS:
        req = pack.requirement_for(rank)
        if req is None:
            continue
        first, last = rules.window(req, on)
        need_h = None if req.hours is None else float(req.hours)
        need_d = None if req.days is None else float(req.days)
        exact = (need_h is None or need_h == req.hours) and (need_d is None
                                                             or need_d == req.days)
        # Records are summed over the longest window or since 1 January (as `records`
        # splits them); any other window is left to the plain path.
        fast = exact and first in (start, year_start)
        plans[rank] = (fast, first == start, need_h, need_d, req.catch_up_years,
                       year_end if req.window == "calendar_year" else on_iso,
                       {"band": req.band, "source": req.source},
                       (first.isoformat(), last.isoformat()), num(req.hours), num(req.days))
    caps = {cat: float(cap) for cat, cap in pack.caps.items()}
    if any(caps[cat] != cap for cat, cap in pack.caps.items()):
        return compliance_plain(db, on, unit)
    odd: list[int] = []
    present: set[str] = set()
    for sid, hours, category in db.execute(
            "SELECT s.id, s.hours, p.category FROM training_sessions s JOIN training_programmes"
            " p ON p.id = s.programme WHERE s.day BETWEEN ? AND ?",
            [start.isoformat(), on_iso]):
        present.add(category)
        if not _exact(hours):
            odd.append(sid)
    capped = [cat for cat in rules.CATEGORIES if cat in caps and cat in present]
    # Per session: its hours and half-days, the same since 1 January, and per capped
    # category its hours (all, since 1 January). Categories are the migration's CHECKed
    # names, safe to write into the query.
    columns = ["s.hours AS h", "s.half_days AS d", "CASE WHEN s.day >= :year THEN s.hours"
               " END AS hy", "CASE WHEN s.day >= :year THEN s.half_days END AS dy"]
    over_all, over_year = [], []
    for i, cat in enumerate(capped):
        columns += [f"CASE WHEN p.category = '{cat}' THEN s.hours END AS c{i}",
                    f"CASE WHEN p.category = '{cat}' AND s.day >= :year THEN s.hours END"
                    f" AS cy{i}"]
        over_all.append(f"total(ss.c{i}) > :cap{i}")
        over_year.append(f"total(ss.cy{i}) > :cap{i}")
    year_ranks = [rank for rank, plan in plans.items() if not plan[1]]
    in_year = "+pe.rank IN ({})".format(",".join(f":y{i}" for i in range(len(year_ranks)))
                                        ) if year_ranks else "0"
    flags = []
    if odd:
        columns.append(f"s.id IN ({','.join(map(str, odd))}) AS odd")
        flags.append("max(ss.odd)")
    if capped:
        flags.append(f"CASE WHEN {in_year} THEN {' OR '.join(over_year)}"
                     f" ELSE {' OR '.join(over_all)} END")
    slow_sql = " OR ".join(flags) or "0"
    # `+pe.rank`, `+pe.status`: not through their indexes, whose order would need a sort
    # for the GROUP BY; the people are read in code order, each one's attendance by index.
    sql = ("WITH ss AS MATERIALIZED (SELECT s.id, " + ", ".join(columns)
           + " FROM training_sessions s JOIN training_programmes p ON p.id = s.programme"
           " WHERE s.day BETWEEN :start AND :on)"
           " SELECT pe.code, pe.name, pe.unit, pe.rank, pe.rank_since,"
           f" CASE WHEN {in_year} THEN total(ss.hy) ELSE total(ss.h) END,"
           f" CASE WHEN {in_year} THEN total(ss.dy) ELSE total(ss.d) END, {slow_sql}"
           " FROM people pe LEFT JOIN training_attendance a ON a.person = pe.code"
           # ON_STAFF, written for `pe` with the status's index left out (below).
           " LEFT JOIN ss ON ss.id = a.session WHERE +pe.status IN ('serving', 'reserve')"
           " AND coalesce(pe.unit, '') != ''"
           " AND +pe.rank IN ({})".format(",".join(f":r{i}" for i in range(len(plans)))))
    args: dict[str, Any] = {"start": start.isoformat(), "on": on_iso,
                            "year": year_start.isoformat()}
    args.update({f"r{i}": rank for i, rank in enumerate(plans)})
    args.update({f"y{i}": rank for i, rank in enumerate(year_ranks)})
    args.update({f"cap{i}": caps[cat] for i, cat in enumerate(capped)})
    if unit:
        sql += " AND pe.unit = :unit"
        args["unit"] = unit
    sql += " GROUP BY pe.code ORDER BY pe.code"
    gone = {person for _prog, person in withdrawals(db)}
    out: list[dict | None] = []
    slow: dict[str, int] = {}
    with collector_paused():
        _fast_rows(db.execute(sql, args), plans, gone, on_iso, out, slow)
    if slow:
        for row in compliance_plain(db, on, unit, sorted(slow)):
            out[slow[row["person"]]] = row
    return [row for row in out if row is not None]


def training_day_sessions(db, start: str, end: str) -> list[tuple[int, str, int, int]]:
    """(session, day, half_days, person-times) of the training-day sessions in [start, end]."""
    return list(db.execute(
        "SELECT s.id, s.day, s.half_days, (SELECT count(*) FROM training_attendance a"
        " WHERE a.session = s.id) FROM training_sessions s JOIN training_programmes p"
        " ON p.id = s.programme WHERE p.category = 'training_day' AND s.day BETWEEN ? AND ?"
        " ORDER BY s.day", [start, end]))


def month_compliance(db, month: str, unit: str | None = None, calendar=None) -> list[dict]:
    """Kunming's training-day rule for `month` (YYYY-MM), per leader the rule covers."""
    from civic.workdays import default_calendar

    rule = rules.training_day_rule()
    cal = calendar or default_calendar()
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise CivicError(_("A month is written YYYY-MM, not {text}.").format(text=month)) \
            from None
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    attended: dict[str, list[tuple[dt.date, Fraction]]] = defaultdict(list)
    for person, day, half_days in db.execute(
            "SELECT a.person, s.day, s.half_days FROM training_attendance a"
            " JOIN training_sessions s ON s.id = a.session JOIN training_programmes p"
            " ON p.id = s.programme WHERE p.category = 'training_day'"
            " AND s.day BETWEEN ? AND ?", [first.isoformat(), last.isoformat()]):
        attended[person].append((dt.date.fromisoformat(day), Fraction(half_days, 2)))
    levels = [r for r, lvl in rules.RANK_LEVELS.items() if lvl >= rule.min_level]
    sql = (f"SELECT code, name, unit, rank FROM people WHERE {ON_STAFF} AND rank IN"
           f" ({','.join('?' * len(levels))})")
    args: list[Any] = list(levels)
    if unit:
        sql += " AND unit = ?"
        args.append(unit)
    out = []
    for code, name, unit_, rank in db.execute(sql + " ORDER BY code", args):
        got = rules.training_day_month(attended.get(code, ()), month, cal.is_workday, rule)
        out.append({"person": code, "name": name, "unit": unit_, "rank": rank,
                    "source": rule.source, **got.as_dict()})
    return out


def programmes(db) -> list[dict]:
    return list(db.query(
        "SELECT p.*, (SELECT count(*) FROM training_sessions s WHERE s.programme = p.id)"
        " AS sessions, (SELECT count(*) FROM training_attendance a JOIN training_sessions s"
        " ON s.id = a.session WHERE s.programme = p.id) AS person_times"
        " FROM training_programmes p ORDER BY p.starts, p.id"))


def programme_report(db, programme: int) -> dict:
    """Sessions, person-times, the attendance rate (person-times over sessions x people
    enrolled, enrolled = anyone who signed in once) and the withdrawals."""
    prog = get_programme(db, programme)
    sessions = list(db.query(
        "SELECT s.*, (SELECT count(*) FROM training_attendance a WHERE a.session = s.id)"
        " AS present FROM training_sessions s WHERE programme = ? ORDER BY day, id",
        [programme]))
    enrolled = db.execute(
        "SELECT count(DISTINCT a.person) FROM training_attendance a JOIN training_sessions s"
        " ON s.id = a.session WHERE s.programme = ?", [programme]).fetchone()[0]
    times = sum(s["present"] for s in sessions)
    gone = sorted(p for g, p in withdrawals(db) if g == programme)
    rate = Fraction(times, enrolled * len(sessions)) if enrolled and sessions else None
    delegation = list(db.query("SELECT * FROM training_delegations WHERE programme = ?",
                               [programme]))
    return {**prog, "hours": _num(programme_hours(db, programme)), "sessions": sessions,
            "enrolled": enrolled, "person_times": times,
            "attendance_rate": _num(rate) if rate is not None else None, "withdrawn": gone,
            "delegation": delegation[0] if delegation else None}


def month_columns() -> list[tuple[str, str]]:
    """The monthly training-day table's columns (key, header in the operator's language), as
    `civic training compliance --month --out` and the TUI's month chart write it."""
    return [("person", _("Code")), ("name", _("Name")), ("unit", _("Unit")),
            ("half_days", _("Half-days")), ("required", _("Required")), ("met", _("Met"))]


def report(db, start: str = "0000-01-01", end: str = "9999-12-31") -> dict:
    """Counts from the records: sessions and person-times per category, the training days
    (sessions and person-times), and the study delegations with their participants."""
    by_cat = {cat: {"sessions": n, "person_times": t} for cat, n, t in db.execute(
        "SELECT p.category, count(DISTINCT s.id), count(a.person) FROM training_sessions s"
        " JOIN training_programmes p ON p.id = s.programme LEFT JOIN training_attendance a"
        " ON a.session = s.id WHERE s.day BETWEEN ? AND ? GROUP BY p.category", [start, end])}
    days = training_day_sessions(db, start, end)
    delegations = list(db.query(
        "SELECT p.id, p.title, p.starts, p.ends, d.destination, d.host, d.theme, d.report_due,"
        " d.reported_on, (SELECT count(DISTINCT a.person) FROM training_attendance a"
        " JOIN training_sessions s ON s.id = a.session WHERE s.programme = p.id)"
        " AS participants FROM training_delegations d JOIN training_programmes p"
        " ON p.id = d.programme WHERE p.starts BETWEEN ? AND ? ORDER BY p.starts, p.id",
        [start, end]))
    return {"from": start, "to": end, "categories": by_cat,
            "training_days": {"sessions": len(days), "person_times": sum(d[3] for d in days)},
            "delegations": delegations}


def delegations_due(db) -> list[dict]:
    return list(db.query(
        "SELECT p.id, p.title, d.destination, d.report_due FROM training_delegations d"
        " JOIN training_programmes p ON p.id = d.programme WHERE d.reported_on IS NULL"
        " ORDER BY d.report_due, p.id"))


def current_status(db, on: dt.date) -> dict:
    """Each person's training_status fact from this plugin holding on `on`, by person."""
    from civic.facts import facts_on

    out = {}
    for person, found in facts_on(db, on, kind="training_status").items():
        mine = [f for f in found if f.source_plugin == "training"]
        if mine:
            out[person] = mine[-1]
    return out
