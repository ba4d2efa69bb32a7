"""A unit's, person's or position's record as a reader sees it: each field's label in the
reader's language and its value worded (ranks, education, status, yes/no, the ID number
masked, unit and post by name). The CLI's `show` commands and the app's record screens both
read it, so a field is named the same wherever it is shown; JSON keeps the stored codes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from civic.i18n import N_, _, current_language
from civic.ladders import EDUCATION_BY_CODE, RANK_BY_CODE
from civic.vocabulary import label

if TYPE_CHECKING:
    from civic.db import Database

GENDERS = {"男": N_("male"), "女": N_("female")}


def rank_label(code: str | None) -> str:
    """A rank in the reader's language; a code no ladder knows is shown as stored (a record
    must still open), where civic.ladders' own lookup refuses it."""
    step = RANK_BY_CODE.get(code or "")
    return step.label(current_language()) if step else (code or "")


def education_label(code: str | None) -> str:
    step = EDUCATION_BY_CODE.get(code or "")
    return step.label(current_language()) if step else (code or "")


def gender_label(value: str | None) -> str:
    return _(GENDERS[value]) if value in GENDERS else (value or "")


def yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def mask_id(number: str | None) -> str:
    """Region (6) and the last 4 stay readable; the birth date and sequence are hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _name_of(db: Database, table: str, column: str, code: str | None) -> str:
    if not code:
        return ""
    row = db.execute(f"SELECT {column} FROM {table} WHERE code = ?", (code,)).fetchone()
    return row[0] if row else code


def person_fields(db: Database, person: dict, today: dt.date | None = None
                  ) -> list[tuple[str, Any]]:
    born = person.get("birth_date") or ""
    if born and today is not None:
        # Here, not at the top: `civic people list` words ranks with this module and never
        # needs a date parsed (civic.dates brings calendar and its patterns).
        from civic.dates import age_on, parse_date

        born = _("{date} (aged {age})").format(date=born, age=age_on(parse_date(born), today))
    return [
        (_("Code"), person["code"]),
        (_("Name"), person["name"]),
        (_("Gender"), gender_label(person.get("gender"))),
        (_("Born"), born),
        (_("Ethnicity"), person.get("ethnicity")),
        (_("Native place"), person.get("native_place")),
        (_("ID number"), mask_id(person.get("id_number"))),
        (_("Party"), person.get("party")),
        (_("Joined the party"), person.get("party_joined")),
        (_("Education"), education_label(person.get("education"))),
        (_("Started work"), person.get("work_start")),
        (_("Rank"), rank_label(person.get("rank"))),
        (_("At this rank since"), person.get("rank_since")),
        (_("Unit"), _name_of(db, "units", "name", person.get("unit"))),
        (_("Position"), _name_of(db, "positions", "title", person.get("position"))),
        (_("Status"), label(person.get("status"))),
        (_("Tags"), person.get("tags")),
    ]


def unit_fields(db: Database, unit: dict) -> list[tuple[str, Any]]:
    return [
        (_("Code"), unit["code"]),
        (_("Unit name"), unit["name"]),
        (_("Parent unit"), _name_of(db, "units", "name", unit.get("parent"))),
        (_("Kind"), label(unit.get("kind"))),
        (_("Number of positions"), unit.get("positions")),
        (_("Number of people"), unit.get("people")),
    ]


def position_fields(position: dict) -> list[tuple[str, Any]]:
    years = position.get("min_years_in_rank")
    return [
        (_("Code"), position["code"]),
        (_("Position"), position["title"]),
        (_("Unit"), position.get("unit_name") or position.get("unit")),
        (_("Rank"), rank_label(position.get("rank_level"))),
        (_("Headcount"), position.get("headcount")),
        (_("Vacancies"), position.get("vacancies")),
        (_("Minimum rank"), rank_label(position.get("min_rank"))),
        (_("Years at that rank"), years if years is not None else ""),
        (_("Maximum age"), position.get("max_age")),
        (_("Minimum education"), education_label(position.get("min_education"))),
        (_("Party member"), yes_no(position.get("party_required"))),
        (_("Other conditions"), position.get("notes")),
    ]
