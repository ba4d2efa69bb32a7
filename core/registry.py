"""Reading the registry (people, units, positions) and recording its outcomes.

Every mechanism ends by changing who holds or is reserved for what: `appoint` and
`add_reserve` are the only ways plugins do that, inside their `Office.change()`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from civic.db import Database
from civic.errors import CivicError
from civic.i18n import _

if TYPE_CHECKING:
    from civic.office import Change


# Resident ID numbers (公民身份号码, GB 11643-1999): region code (GB/T 2260), birth date,
# sequence, ISO 7064 MOD 11-2 check character. No one alive was born before 1900.
ID_NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
ID_NUMBER_EARLIEST_BIRTH = dt.date(1900, 1, 1)


def normalise_id_number(text: str) -> str:
    """How ID numbers are stored and compared: NFKC (full-width digits from a Chinese input
    method become ASCII), no surrounding space, upper-case X."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def check_id_number(text: str, today: dt.date | None = None) -> str:
    """The number, normalised; ValueError naming what is wrong with it.

    Checked: the shape, the check character, a real birth date from 1900 to today, and a
    region code that exists. The region is not tied to the birth year (python-stdnum's
    `cn.ric` does tie them): a number keeps the code of the district that issued it, and a
    person born in 1962 in a district created in 1983 carries the 1983 code.
    """
    # Text already in normal form (as nearly every cell is) is its own NFKC form.
    number = text if ID_NUMBER_SHAPE.fullmatch(text) else normalise_id_number(text)
    if number is not text and not ID_NUMBER_SHAPE.fullmatch(number):
        raise ValueError(_("not a valid resident ID number: 17 digits and a digit or X "
                           "expected"))
    if _check_character(number) != number[17]:
        raise ValueError(_("not a valid resident ID number: the check character is wrong"))
    if today is None:
        _possible_birth(number[6:14])
    elif not _possible_on(number[6:14], today):
        raise _impossible_birth(number[6:14])
    if number[:6] not in region_codes():
        raise ValueError(_("not a valid resident ID number: no region has the code {code}")
                         .format(code=number[:6]))
    return number


def _impossible_birth(digits: str) -> ValueError:
    return ValueError(_("not a valid resident ID number: {text} is not a possible birth "
                        "date").format(text=digits))


def _possible_on(digits: str, today: dt.date) -> bool:
    born = _birth_date(digits)
    return born is not None and ID_NUMBER_EARLIEST_BIRTH <= born <= today


@functools.lru_cache(maxsize=1 << 16)  # some 45,000 birth dates since 1900: one check each
def _possible_birth(digits: str) -> bool:
    """True if YYYYMMDD is a possible birth date today, else ValueError. Only True is cached
    (lru_cache keeps no exception), and a date possible today stays possible: an import no
    longer asks the clock once a row."""
    if not _possible_on(digits, dt.date.today()):
        raise _impossible_birth(digits)
    return True


@functools.lru_cache(maxsize=1 << 16)
def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


# The check character for each weighted sum modulo 11: (1 - 2 * sum) mod 11, 10 written X.
_CHECK_CHARACTERS = "".join("X" if (1 - 2 * k) % 11 == 10 else str((1 - 2 * k) % 11)
                            for k in range(11))


def _check_character(number: str) -> str:
    """The ISO 7064 MOD 11-2 check character of GB 11643-1999 (digit i from the left weighs
    2^(17-i) mod 11). Read in base 13 the 17 digits weigh 13^(17-i), and 13 = 2 (mod 11), so
    one int() gives the weighted sum: python-stdnum's cn.ric does the same."""
    return _CHECK_CHARACTERS[int(number[:17], 13) % 11]


# The county-level region codes of GB/T 2260 that resident ID numbers carry, past and
# present, as python-stdnum's table (stdnum/cn/loc.dat) lists them: one code a line.
# Shipped as a table because loading stdnum's took 0.44 s, a tenth of an import of 100,000
# people; tests/test_id_numbers.py checks it against the installed python-stdnum, and
# `python -c "import civic.registry as r; r.write_region_codes()"` writes it again.
# A plain path: pathlib stays out of a read command's imports (tests/test_database.py).
REGION_CODES = os.path.join(os.path.dirname(__file__), "data", "region_codes.txt")


@functools.cache
def region_codes() -> frozenset[str]:
    """The region codes an ID number may begin with (REGION_CODES)."""
    with open(REGION_CODES, encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line[:1].isdigit())


def stdnum_region_codes() -> list[str]:
    """python-stdnum's county-level codes: each six-digit code whose parts its table names
    with a county (what `numdb.get("cn/loc").info(code)` says of it)."""
    from stdnum import numdb

    codes: list[str] = []

    def walk(prefix: str, entries: list, county: bool) -> None:
        for length, low, high, props, children in entries:
            for value in range(int(low), int(high) + 1):
                code = prefix + f"{value:0{length}d}"
                here = county or "county" in props
                if len(code) == 6:
                    if here:
                        codes.append(code)
                else:
                    walk(code, children, here)

    walk("", numdb.get("cn/loc").prefixes, False)
    return sorted(set(codes))


def write_region_codes() -> None:
    from pathlib import Path

    import stdnum

    Path(REGION_CODES).write_text(
        f"# County-level region codes (GB/T 2260) of python-stdnum {stdnum.__version__}'s"
        " stdnum/cn/loc.dat,\n# as civic.registry.stdnum_region_codes lists them.\n"
        + "".join(f"{code}\n" for code in stdnum_region_codes()), encoding="utf-8")


class Section(NamedTuple):
    """A plugin's part of a person's record (`person_sections` hook): a title and rows of
    (label, value), texts already in the current language."""

    title: str
    rows: list[tuple[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "rows": [[str(k), "" if v is None else str(v)]
                                             for k, v in self.rows]}


class PeopleQuery(NamedTuple):
    """A people search: text matches name or code; filters match exactly."""

    text: str = ""
    unit: str | None = None
    rank: str | None = None
    status: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.text:
            from civic.pinyin import looks_like_pinyin

            if looks_like_pinyin(self.text):
                # wjj or wangjianjun finds 王建军 (keys kept by civic.pinyin).
                clauses.append("(name LIKE ? OR code LIKE ? OR code IN"
                               " (SELECT code FROM people_pinyin WHERE keys LIKE ?))")
                params += [f"%{self.text}%", f"{self.text}%",
                           f"% {self.text.strip().lower()}%"]
            else:
                clauses.append("(name LIKE ? OR code LIKE ?)")
                params += [f"%{self.text}%", f"{self.text}%"]
        if self.unit:
            # A unit means the unit and everything under it: 西山区 takes in its bureaus.
            clauses.append("unit IN (WITH RECURSIVE sub(code) AS (SELECT ? UNION"
                           " SELECT u.code FROM units u JOIN sub ON u.parent = sub.code)"
                           " SELECT code FROM sub)")
            params.append(self.unit)
        for column in ("rank", "status"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


EVERYONE = PeopleQuery()


def _keyed(db: Database, query: PeopleQuery) -> None:
    if query.text:
        from civic.pinyin import catch_up, looks_like_pinyin

        if looks_like_pinyin(query.text):
            catch_up(db)


def count_people(db: Database, query: PeopleQuery = EVERYONE) -> int:
    _keyed(db, query)
    where, params = query.where()
    return db.execute(f"SELECT count(*) FROM people{where}", params).fetchone()[0]


def people_page(db: Database, query: PeopleQuery = EVERYONE, *, offset: int = 0,
                limit: int = 100, after: str | None = None) -> list[dict]:
    """One page of people ordered by code, paged by key: the `limit` people whose code comes
    after `after`, or, given an `offset`, from the code found at that place.

    The place is found on the code index alone (no row is read to skip it), then the page is
    read from that key on, so the last page of 1,000,000 people costs about what the first does;
    LIMIT/OFFSET over the rows read and dropped every row before the page.
    """
    _keyed(db, query)
    where, params = query.where()
    columns = "code, name, gender, birth_date, rank, unit, position, status"
    if after is None and offset > 0:
        start = db.execute(f"SELECT code FROM people{where} ORDER BY code LIMIT 1 OFFSET ?",
                           [*params, offset]).fetchone()
        if start is None:
            return []
        return list(db.query(
            f"SELECT {columns} FROM people{_and(where)} code >= ? ORDER BY code LIMIT ?",
            [*params, start[0], limit]))
    if after is not None:
        return list(db.query(
            f"SELECT {columns} FROM people{_and(where)} code > ? ORDER BY code LIMIT ?",
            [*params, after, limit]))
    return list(db.query(f"SELECT {columns} FROM people{where} ORDER BY code LIMIT ?",
                         [*params, limit]))


def _and(where: str) -> str:
    """`where` with one more clause to come."""
    return f"{where} AND" if where else " WHERE"


def get_person(db: Database, code: str) -> dict:
    row = next(db.query("SELECT * FROM people WHERE code = ?", [code]), None)
    if row is None:
        raise CivicError(_("No person with code {code}.").format(code=code))
    return row


def find_people_by_name(db: Database, name: str) -> list[dict]:
    return list(db.query("SELECT * FROM people WHERE name = ? ORDER BY code", [name]))


def appointments_of(db: Database, person: str) -> list[dict]:
    return list(db.query(
        "SELECT a.*, p.title AS position_title FROM appointments a"
        " LEFT JOIN positions p ON p.code = a.position WHERE a.person = ? ORDER BY a.id",
        [person]))


def reserve_of(db: Database, person: str) -> list[dict]:
    return list(db.query(
        "SELECT r.*, p.title AS position_title FROM reserve_pool r"
        " LEFT JOIN positions p ON p.code = r.position WHERE r.person = ? ORDER BY r.id",
        [person]))


def person_sections(pm: Any, db: Database, person: dict) -> list[Section]:
    """Every plugin's sections of `person`'s record, in the plugins' call order."""
    out: list[Section] = []
    for found in pm.hook.person_sections(db=db, person=person):
        for section in found or []:
            out.append(section if isinstance(section, Section)
                       else Section(section[0], list(section[1])))
    return out


def reserve_pool(db: Database, *, basis_kind: str | None = None,
                 basis_ref: str | None = None) -> list[dict]:
    sql = ("SELECT r.*, pe.name, p.title AS position_title FROM reserve_pool r"
           " JOIN people pe ON pe.code = r.person LEFT JOIN positions p ON p.code = r.position")
    clauses, params = [], []
    if basis_kind:
        clauses.append("r.basis_kind = ?")
        params.append(basis_kind)
    if basis_ref:
        clauses.append("r.basis_ref = ?")
        params.append(basis_ref)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return list(db.query(sql + " ORDER BY r.id", params))


_POSITION_SELECT = (
    "SELECT p.*, u.name AS unit_name,"
    " (SELECT count(*) FROM people h WHERE h.position = p.code"
    "   AND h.status = 'serving') AS holders"
    " FROM positions p LEFT JOIN units u ON u.code = p.unit")


def positions(db: Database, *, vacant_only: bool = False, unit: str | None = None) -> list[dict]:
    """Positions with their holders and vacancies (headcount less serving holders)."""
    rows = list(db.query(_POSITION_SELECT + (" WHERE p.unit = ?" if unit else "")
                         + " ORDER BY p.code", [unit] if unit else []))
    for row in rows:
        row["vacancies"] = max(0, row["headcount"] - row["holders"])
    return [r for r in rows if r["vacancies"] > 0] if vacant_only else rows


def get_position(db: Database, code: str) -> dict:
    row = next(db.query(_POSITION_SELECT + " WHERE p.code = ?", [code]), None)
    if row is None:
        raise CivicError(_("No position with code {code}.").format(code=code))
    row["vacancies"] = max(0, row["headcount"] - row["holders"])
    return row


def holders(db: Database, position: str) -> list[dict]:
    return list(db.query("SELECT code, name, rank, rank_since FROM people WHERE position = ?"
                         " AND status = 'serving' ORDER BY code", [position]))


def units(db: Database) -> list[dict]:
    """Units in tree order (depth-first), each with its depth."""
    rows = list(db.query("SELECT * FROM units ORDER BY code"))
    children: dict[str | None, list[dict]] = {}
    for row in rows:
        children.setdefault(row["parent"], []).append(row)
    out: list[dict] = []

    def walk(parent: str | None, depth: int) -> None:
        for row in children.get(parent, []):
            out.append({**row, "depth": depth})
            walk(row["code"], depth + 1)

    walk(None, 0)
    return out


def get_unit(db: Database, code: str) -> dict:
    row = next(db.query("SELECT * FROM units WHERE code = ?", [code]), None)
    if row is None:
        raise CivicError(_("No unit with code {code}.").format(code=code))
    row["children"] = [r["code"] for r in db.query(
        "SELECT code FROM units WHERE parent = ? ORDER BY code", [code])]
    row["positions"] = db.execute("SELECT count(*) FROM positions WHERE unit = ?",
                                  [code]).fetchone()[0]
    row["people"] = db.execute("SELECT count(*) FROM people WHERE unit = ?",
                               [code]).fetchone()[0]
    return row


def summary(db: Database) -> dict[str, int]:
    """The dashboard's counts."""
    one = db.execute
    vacancies = one(
        "SELECT coalesce(sum(max(0, p.headcount - coalesce(h.n, 0))), 0) FROM positions p"
        " LEFT JOIN (SELECT position, count(*) AS n FROM people WHERE status = 'serving'"
        " AND position IS NOT NULL GROUP BY position) h ON h.position = p.code").fetchone()[0]
    return {
        "people": one("SELECT count(*) FROM people").fetchone()[0],
        "serving": one("SELECT count(*) FROM people WHERE status = 'serving'").fetchone()[0],
        "units": one("SELECT count(*) FROM units").fetchone()[0],
        "positions": one("SELECT count(*) FROM positions").fetchone()[0],
        "vacancies": vacancies,
        "reserve": one("SELECT count(*) FROM reserve_pool WHERE status = 'active'")
        .fetchone()[0],
    }


def appoint(change: Change, *, person: str, position: str | None, effective: dt.date,
            basis_kind: str, basis_ref: str, action: str = "appoint",
            note: str | None = None) -> int:
    """Record an appointment (or removal) with its basis and move the person's current post."""
    # Imported here: the event classes (dataclasses built at import) would otherwise be paid
    # by every read of the registry, `civic people list` included.
    from civic.events import AppointmentRecorded

    db = change.db
    get_person(db, person)
    if position is not None:
        get_position(db, position)
    entry = change.record(AppointmentRecorded(
        person=person, position=position, action=action, effective=effective.isoformat(),
        basis_kind=basis_kind, basis_ref=basis_ref, note=note))
    db.execute(
        "INSERT INTO appointments (person, position, action, effective, basis_kind, basis_ref,"
        " note, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (person, position, action, effective.isoformat(), basis_kind, basis_ref, note, entry.id))
    if action == "remove":
        db.execute("UPDATE people SET position = NULL WHERE code = ? AND position = ?",
                   (person, position))
    else:
        unit = db.execute("SELECT unit FROM positions WHERE code = ?", (position,)).fetchone()
        db.execute("UPDATE people SET position = ?, unit = coalesce(?, unit),"
                   " status = 'serving' WHERE code = ?", (position, unit[0] if unit else None,
                                                          person))
    return entry.id


def add_reserve(change: Change, *, person: str, position: str | None, basis_kind: str,
                basis_ref: str, added_on: dt.date, note: str | None = None) -> int:
    """Enter a person in the reserve pool (后备干部) for a position, with the basis."""
    from civic.events import ReserveAdded

    db = change.db
    get_person(db, person)
    entry = change.record(ReserveAdded(person=person, position=position, basis_kind=basis_kind,
                                       basis_ref=basis_ref))
    db.execute(
        "INSERT INTO reserve_pool (person, position, basis_kind, basis_ref, added_on, note,"
        " audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (person, position, basis_kind, basis_ref, added_on.isoformat(), note, entry.id))
    return entry.id


def eligibility_checks(db: Database, pm: Any, pos: dict, on: dt.date,
                       ) -> Iterator[tuple[dict, list[Any]]]:
    """Everyone serving or in reserve checked against the position row `pos` on `on`, in code
    order, one at a time: ({code, name}, problems). Checked in bulk (`problems_many`: the
    restrictions in one query, plugins once per batch), and lazily, so a caller can stream."""
    from civic.eligibility import problems_many
    from civic.facts import restrictions_on

    restricted = restrictions_on(db, on)  # one query for everyone, not one per person
    people = db.query("SELECT * FROM people WHERE status IN ('serving', 'reserve')"
                      " ORDER BY code")
    for person, _pos, found in problems_many(pm, db, ((p, pos) for p in people), on,
                                             restrictions=restricted):
        yield {"code": person["code"], "name": person["name"]}, found


def report_entry(brief: dict[str, Any], found: list[Any]) -> dict[str, Any]:
    """One person of an eligibility report: `brief` with "problems" (the bars) when any bar
    them, and "warnings" when any warn."""
    from civic.eligibility import split

    barred, warned = split(found)
    entry = dict(brief)
    if barred:
        entry["problems"] = [p.as_dict() for p in barred]
    if warned:
        entry["warnings"] = [p.as_dict() for p in warned]
    return entry


def eligibility_report(db: Database, pm: Any, position: str, on: dt.date) -> dict[str, Any]:
    """Everyone serving or in reserve checked against `position` on `on`: the eligible and the
    ineligible, each person's bars under "problems" and warnings (which bar nothing: a warned
    person is eligible) under "warnings", present only when there are some."""
    pos = get_position(db, position)
    eligible: list[dict[str, Any]] = []
    ineligible: list[dict[str, Any]] = []
    for brief, found in eligibility_checks(db, pm, pos, on):
        entry = report_entry(brief, found)
        (ineligible if "problems" in entry else eligible).append(entry)
    return {"position": {"code": pos["code"], "title": pos["title"]}, "on": on.isoformat(),
            "checked": len(eligible) + len(ineligible), "eligible": eligible,
            "ineligible": ineligible}
