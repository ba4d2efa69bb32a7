"""`civic units|people|positions import|list|show`, `civic export`, `civic eligible`."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import click

from civic.action_names import performs
from civic.cli.context import (
    State,
    dry_run_option,
    emit,
    json_option,
    pass_state,
    run_import,
    table,
)
from civic.i18n import _
from civic.vocabulary import label


def _import(state: State, kind: str, file: str, as_json: bool, dry_run: bool) -> None:
    from civic.importers import import_file

    office = state.office_for("registry.import")
    run_import(office, lambda o: import_file(o, kind, file), file=file, dry_run=dry_run,
               as_json=as_json, text=lambda r: _(
        "{file}: {added} added, {updated} updated, {unchanged} unchanged (audit entry {id})."
    ).format(file=os.path.basename(file), added=r["added"], updated=r["updated"],
             unchanged=r["unchanged"], id=r["audit_id"]))


def _file_argument(f):
    return click.argument("file", type=click.Path(dir_okay=False))(f)


# --- units -----------------------------------------------------------------------------------

@click.group(help=_("Org units: the city, its counties and districts, departments."))
def units() -> None:
    pass


@performs("registry.import")
@units.command("import", help=_("Import units from CSV or XLSX (code, name, parent, kind)."))
@_file_argument
@dry_run_option
@json_option
@pass_state
def units_import(state: State, file: str, dry_run: bool, as_json: bool) -> None:
    _import(state, "units", file, as_json, dry_run)


@performs("registry.read")
@units.command("list", help=_("List units as a tree."))
@json_option
@pass_state
def units_list(state: State, as_json: bool) -> None:
    from civic.registry import units as all_units

    rows = all_units(state.db())
    emit(rows, as_json, lambda rs: table(
        [{**r, "name": "  " * r["depth"] + r["name"]} for r in rs],
        [("code", _("Code")), ("name", _("Unit name")), ("kind", _("Kind"))]))


@performs("registry.read")
@units.command("show", help=_("Show one unit."))
@click.argument("code")
@json_option
@pass_state
def units_show(state: State, code: str, as_json: bool) -> None:
    from civic.record_fields import unit_fields
    from civic.registry import get_unit

    db = state.db()
    emit(get_unit(db, code), as_json, lambda u: _fields_text(unit_fields(db, u)))


# --- people ----------------------------------------------------------------------------------

@click.group(help=_("People (cadres) in the registry."))
def people() -> None:
    pass


@performs("registry.import")
@people.command("import", help=_("Import people from CSV or XLSX; see docs/formats.md."))
@_file_argument
@dry_run_option
@json_option
@pass_state
def people_import(state: State, file: str, dry_run: bool, as_json: bool) -> None:
    _import(state, "people", file, as_json, dry_run)


@performs("registry.read")
@people.command("list", help=_("List or search people."))
@click.option("--search", "text", default="", help=_("Part of a name, or a code prefix."))
@click.option("--unit", help=_("Only this unit (code)."))
@click.option("--rank", help=_("Only this rank (code or name)."))
@click.option("--status", help=_("Only this status."))
@click.option("--limit", type=int, default=100, show_default=True)
@click.option("--offset", type=int, default=0)
@json_option
@pass_state
def people_list(state: State, text: str, unit: str | None, rank: str | None,
                status: str | None, limit: int, offset: int, as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.ladders import parse_rank
    from civic.registry import PeopleQuery, count_people, people_page

    try:
        rank_code = parse_rank(rank) if rank else None
    except ValueError as exc:
        raise CivicError(str(exc)) from exc
    db = state.db()
    query = PeopleQuery(text, unit, rank_code, status)
    rows = people_page(db, query, offset=offset, limit=limit)
    total = count_people(db, query)

    def text_out(d: dict) -> str:
        from civic.record_fields import gender_label, rank_label

        shown = [{**r, "rank": rank_label(r["rank"]), "status": label(r["status"]),
                  "gender": gender_label(r["gender"])} for r in d["people"]]
        return table(shown, [("code", _("Code")), ("name", _("Name")), ("gender", _("Gender")),
                             ("birth_date", _("Born")), ("rank", _("Rank")),
                             ("unit", _("Unit")), ("position", _("Position")),
                             ("status", _("Status"))]) + "\n" + _(
            "{shown} of {total} shown.").format(shown=len(d["people"]), total=d["total"])

    emit({"total": total, "offset": offset, "people": rows}, as_json, text_out)


@performs("registry.read")
@people.command("show", help=_("Show a person's record, appointments, reserve entries, "
                                 "facts and each mechanism's section."))
@click.argument("code")
@json_option
@pass_state
def people_show(state: State, code: str, as_json: bool) -> None:
    from civic.eligibility import fact_source
    from civic.facts import facts_of
    from civic.record_fields import mask_id, person_fields
    from civic.registry import appointments_of, get_person, person_sections, reserve_of

    db = state.db()
    person = get_person(db, code)
    sections = person_sections(state.pm, db, person)
    person["id_number"] = mask_id(person.get("id_number")) or None
    data = {"person": person, "appointments": appointments_of(db, code),
            "reserve": reserve_of(db, code),
            "facts": [{**f.as_dict(), "source_text": fact_source(state.pm, f)}
                      for f in facts_of(db, code)],
            "sections": [s.as_dict() for s in sections]}

    def text_out(d: dict) -> str:
        out = [_fields_text(person_fields(db, d["person"], state.office().today()))]
        if d["appointments"]:
            out.append("\n" + _("Appointments") + ":")
            out += [f"  {a['effective']}  {label(a['action'])}  {a['position'] or ''} "
                    f"{a['position_title'] or ''}  ({a['basis_kind']} {a['basis_ref']})"
                    for a in d["appointments"]]
        if d["reserve"]:
            out.append("\n" + _("Reserve pool") + ":")
            out += [f"  {r['added_on']}  {r['position'] or ''} {r['position_title'] or ''}  "
                    f"({r['basis_kind']} {r['basis_ref']}, {label(r['status'])})"
                    for r in d["reserve"]]
        if d["facts"]:
            out.append("\n" + _("Facts") + ":")
            out += ["  " + _fact_line(f) for f in d["facts"]]
        for section in d["sections"]:
            out.append("\n" + section["title"] + ":")
            out += [f"  {k}  {v}" for k, v in section["rows"]]
        return "\n".join(out)

    emit(data, as_json, text_out)


def _fact_line(fact: dict) -> str:
    """One fact: its validity, kind and value, source; an early end or replacement said."""
    from civic.facts import fact_label

    span = f"{fact['valid_from']} – {fact['until'] or '…'}"
    # The source carries its own bracketed rule: a dash, not more brackets around it.
    line = f"{span}  {fact_label(fact)}  — {fact['source_text']}"
    if fact["ended_on"]:
        line += "  " + _("ended {date}: {reason}").format(date=fact["ended_on"],
                                                         reason=fact["end_reason"])
    return line


# --- positions -------------------------------------------------------------------------------

@click.group(help=_("Positions and their qualification conditions."))
def positions() -> None:
    pass


@performs("registry.import")
@positions.command("import", help=_("Import positions from CSV or XLSX; see docs/formats.md."))
@_file_argument
@dry_run_option
@json_option
@pass_state
def positions_import(state: State, file: str, dry_run: bool, as_json: bool) -> None:
    _import(state, "positions", file, as_json, dry_run)


@performs("registry.read")
@positions.command("list", help=_("List positions with holders and vacancies."))
@click.option("--vacant", is_flag=True, help=_("Only positions with a vacancy."))
@click.option("--unit", help=_("Only this unit (code)."))
@json_option
@pass_state
def positions_list(state: State, vacant: bool, unit: str | None, as_json: bool) -> None:
    from civic.registry import positions as all_positions

    rows = all_positions(state.db(), vacant_only=vacant, unit=unit)
    emit(rows, as_json, lambda rs: table(rs, [
        ("code", _("Code")), ("title", _("Title")), ("unit_name", _("Unit")),
        ("headcount", _("Headcount")), ("holders", _("Holders")),
        ("vacancies", _("Vacancies"))]))


@performs("registry.read")
@positions.command("show", help=_("Show a position, its conditions and holders."))
@click.argument("code")
@json_option
@pass_state
def positions_show(state: State, code: str, as_json: bool) -> None:
    from civic.record_fields import position_fields
    from civic.registry import get_position, holders

    db = state.db()
    data = {"position": get_position(db, code), "holders": holders(db, code)}
    emit(data, as_json, lambda d: _fields_text(position_fields(d["position"])) + "\n"
         + _("Holders") + ": "
         + (", ".join(f"{h['name']} ({h['code']})" for h in d["holders"]) or "-"))


# --- export and eligibility ------------------------------------------------------------------

@performs("registry.export")
@click.command(help=_("Export people or positions to CSV or XLSX (formula-safe)."))
@click.argument("what", type=click.Choice(["people", "positions", "units"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help=_("Output file (default: WHAT.csv or WHAT.xlsx)."))
@pass_state
def export(state: State, what: str, fmt: str, output: str | None) -> None:
    from pathlib import Path

    from civic.cli.progress import Progress
    from civic.exports import export_list

    out = Path(output or f"{what}.{fmt}")
    with Progress(_("Exporting {what}").format(what=_(what)), False) as progress:
        count = export_list(state.db(), what, out, fmt=fmt, progress=progress)
    click.echo(_("Wrote {count} rows to {path}.").format(count=count, path=out))


@performs("registry.read")
@click.command(help=_("Who meets a position's conditions on a date, and why others do not."))
@click.argument("position")
@click.option("--on", "on", help=_("Reference date (default today)."))
@click.option("--all", "show_all", is_flag=True, help=_("List everyone who fails, too."))
@json_option
@pass_state
def eligible(state: State, position: str, on: str | None, show_all: bool,
             as_json: bool) -> None:
    from civic.dates import parse_date
    from civic.errors import CivicError
    from civic.registry import eligibility_checks, eligibility_report, get_position

    try:
        day = parse_date(on) if on else dt.date.today()
    except ValueError as exc:
        raise CivicError(_("--on: {reason}").format(reason=exc)) from exc
    db = state.db()  # a read: no office (and none of its audit machinery) to load
    if as_json:  # streamed: 100,000 people never sit in memory at once
        pos = get_position(db, position)
        _eligible_json(pos, day, eligibility_checks(db, state.pm, pos, day))
        return
    report = eligibility_report(db, state.pm, position, day)

    def text_out(r: dict) -> str:
        out = [_("{title} ({code}) on {date}: {n} eligible of {total}.").format(
            title=r["position"]["title"], code=r["position"]["code"], date=r["on"],
            n=len(r["eligible"]), total=r["checked"])]
        for p in r["eligible"]:
            out.append(f"  ✓ {p['code']}  {p['name']}" + _warned(p))
        if show_all:
            for p in r["ineligible"]:
                reasons = "; ".join(x["message"] for x in p["problems"])
                out.append(f"  ✗ {p['code']}  {p['name']}: {reasons}" + _warned(p))
        else:
            out.append(_("{n} others fail a condition (--all lists them).").format(
                n=len(r["ineligible"])))
        return "\n".join(out)

    emit(report, as_json, text_out)


def _warned(entry: dict) -> str:
    """A report entry's warnings, after its line: they bar nothing."""
    if not entry.get("warnings"):
        return ""
    return "  " + _("(warning: {reasons})").format(
        reasons="; ".join(x["message"] for x in entry["warnings"]))


def _eligible_json(pos: dict, day: dt.date, checks: Any) -> None:
    """`civic eligible --json`, written as the people are checked: the same object as
    `registry.eligibility_report` (read back by `json.load`), "checked" last since it is
    known only at the end, the failing people held back until the eligible are out (in
    memory up to SPOOL_CHARS, then in a temporary file)."""
    import json
    import sys

    from civic.registry import report_entry

    out = sys.stdout
    # One encoder for every entry, as json.dumps(value, ensure_ascii=False, default=str)
    # would build afresh for each of 100,000 people.
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode

    head = {"position": {"code": pos["code"], "title": pos["title"]}, "on": day.isoformat()}
    out.write("{\n" + "".join(f"  {dumps(k)}: {dumps(v)},\n" for k, v in head.items()))
    out.write('  "eligible": [')
    total = written = 0
    passed: list[str] = []  # written a block at a time: one write per entry is a tenth of it
    failing = _Spool()

    def flush() -> None:
        nonlocal written
        out.write(("\n    " if not written else ",\n    ") + ",\n    ".join(passed))
        written += len(passed)
        passed.clear()

    for brief, found in checks:
        total += 1
        entry = report_entry(brief, found) if found else brief
        if "problems" in entry:
            failing.add(dumps(entry))
            continue
        passed.append(dumps(entry))
        if len(passed) >= 1024:
            flush()
    if passed:
        flush()
    out.write("\n  ],\n" if written else "],\n")
    out.write('  "ineligible": [')
    failing.write_to(out)
    out.write("\n  ],\n" if failing.count else "],\n")
    out.write(f'  "checked": {total}\n}}\n')
    out.flush()


SPOOL_CHARS = 1 << 21  # about 2 million characters of failing entries kept in memory (~10 MB)


class _Spool:
    """JSON texts kept in order, joined by commas: in memory, then in a temporary file once
    they pass SPOOL_CHARS (a million people's reasons would not fit)."""

    def __init__(self) -> None:
        self.count = 0
        self._held: list[str] = []
        self._chars = 0
        self._file: Any = None

    def add(self, text: str) -> None:
        self._held.append(text)
        self.count += 1
        self._chars += len(text)
        if self._chars >= SPOOL_CHARS:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            import tempfile

            self._file = tempfile.TemporaryFile("w+", encoding="utf-8")
        first = self.count == len(self._held)
        self._file.write(("\n    " if first else ",\n    ") + ",\n    ".join(self._held))
        self._held.clear()
        self._chars = 0

    def write_to(self, out: Any) -> None:
        if self._file is None:
            if self._held:
                out.write("\n    " + ",\n    ".join(self._held))
            return
        if self._held:
            self._spill()
        with self._file as spooled:
            spooled.seek(0)
            for chunk in iter(lambda: spooled.read(1 << 16), ""):
                out.write(chunk)


def _fields_text(fields: list[tuple[str, Any]]) -> str:
    """A record's labelled fields, the labels padded to one width (CJK counts double)."""
    from civic.textwidth import pad, width

    w = max((width(k) for k, _v in fields), default=0)
    return "\n".join(f"{pad(k, w)}  {'' if v is None else v}" for k, v in fields)
