"""Reads of the evaluation plugin: frameworks, evaluations, their data and runs."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import numpy as np

from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.evaluation import rules


def framework_row(db: Any, key: str) -> dict[str, Any]:
    """The latest import of framework `key` (or its id)."""
    row = next(iter(db.query(
        "SELECT * FROM evaluation_frameworks WHERE key = ? OR CAST(id AS TEXT) = ?"
        " ORDER BY id DESC LIMIT 1", (key, key))), None)
    if row is None:
        raise CivicError(_("No evaluation framework {key}; import it first "
                           "(civic evaluation framework import).").format(key=key))
    return dict(row)


def framework_of(content: str) -> rules.Framework:
    return rules.parse_framework(tomllib.loads(content))


def frameworks(db: Any) -> list[dict[str, Any]]:
    return [{"id": r[0], "key": r[1], "name": r[2], "imported_on": r[3]} for r in db.execute(
        "SELECT id, key, name, imported_on FROM evaluation_frameworks ORDER BY id")]


def framework_tree(fw: rules.Framework) -> dict[str, Any]:
    """A framework as JSON: its tree with weights, its gates and grades, with sources."""
    return {
        "key": fw.key, "name": fw.name, "ratee": fw.ratee, "source": fw.source,
        "availability": f"{float(fw.availability) * 100:g}%", "aggregation": fw.aggregation,
        "illustrative": fw.illustrative,
        "grades": [{"grade": g, "min": m} for g, m in zip(
            fw.grades, [*fw.minimums, None], strict=True)],
        "categories": [{
            "code": c.code, "name": c.name, "weight": f"{float(c.weight):g}",
            "aggregation": c.aggregation,
            "indicators": [{"code": i.code, "name": i.name, "unit": i.unit,
                            "direction": i.direction, "weight": f"{float(i.weight):g}",
                            "normalisation": i.normalisation, "params": dict(i.params),
                            "data_source": i.data_source, "illustrative": i.illustrative}
                           for i in c.indicators]} for c in fw.categories],
        "gates": [{"code": g.code, "name": g.name, "condition": g.condition,
                   "consequence": g.consequence, "does": g.describe(), "stage": g.stage,
                   "cap": g.cap,
                   "category": g.category, "source": g.source} for g in fw.gates],
    }


def evaluation(db: Any, number: int) -> dict[str, Any]:
    row = db.execute(
        "SELECT e.id, e.year, e.title, e.edition, e.rounding, e.created_on, e.due, f.key,"
        " f.name, f.content, c.run, c.certified_on FROM evaluation_evaluations e"
        " JOIN evaluation_frameworks f ON f.id = e.framework"
        " LEFT JOIN evaluation_certifications c ON c.evaluation = e.id WHERE e.id = ?",
        (number,)).fetchone()
    if row is None:
        raise CivicError(_("No evaluation {number}.").format(number=number))
    keys = ("id", "year", "title", "edition", "rounding", "created_on", "due", "framework_key",
            "framework_name", "content", "certified_run", "certified_on")
    return dict(zip(keys, row, strict=True))


def evaluations(db: Any) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT e.id, e.year, e.title, f.key, e.edition,"
        " (SELECT count(*) FROM evaluation_units u WHERE u.evaluation = e.id),"
        " (SELECT max(id) FROM evaluation_runs r WHERE r.evaluation = e.id),"
        " c.certified_on, f.name FROM evaluation_evaluations e"
        " JOIN evaluation_frameworks f ON f.id = e.framework"
        " LEFT JOIN evaluation_certifications c ON c.evaluation = e.id ORDER BY e.id")
    return [dict(zip(("id", "year", "title", "framework", "edition", "units", "run",
                      "certified_on", "framework_name"), r, strict=True)) for r in rows]


def units(db: Any, number: int) -> list[dict[str, Any]]:
    return [{"unit": r[0], "name": r[1], "person": r[2]} for r in db.execute(
        "SELECT unit, name, person FROM evaluation_units WHERE evaluation = ? ORDER BY unit",
        (number,))]


def matrix(db: Any, number: int, fw: rules.Framework) -> tuple[list[str], np.ndarray,
                                                                 dict[str, dict[str, str]]]:
    """The evaluation's units, their values (units x indicators, NaN missing) and the gates
    that fired for each, with why. A survey's index stands for its indicator's value."""
    codes = [u["unit"] for u in units(db, number)]
    row_of = {c: n for n, c in enumerate(codes)}
    col_of = {i.code: n for n, i in enumerate(fw.indicators)}
    values = np.full((len(codes), len(col_of)), np.nan)
    for unit, indicator, value in db.execute(
            "SELECT unit, indicator, value FROM evaluation_values WHERE evaluation = ?"
            " UNION ALL SELECT unit, indicator, index_value FROM evaluation_surveys"
            " WHERE evaluation = ?", (number, number)):
        values[row_of[unit], col_of[indicator]] = value
    fired: dict[str, dict[str, str]] = {}
    for unit, gate, reason in db.execute(
            "SELECT unit, gate, reason FROM evaluation_gates WHERE evaluation = ?"
            " ORDER BY unit, gate", (number,)):
        fired.setdefault(unit, {})[gate] = reason
    return codes, values, fired


def completeness(db: Any, number: int) -> list[dict[str, Any]]:
    """Data completeness per unit: indicators present of the framework's."""
    ev = evaluation(db, number)
    fw = framework_of(ev["content"])
    codes, values, _fired = matrix(db, number, fw)
    k = len(fw.indicators)
    ok = rules.availability(values, fw.availability)
    return [{"unit": c, "present": int((~np.isnan(values[n])).sum()), "of": k,
             "scored": bool(ok[n])} for n, c in enumerate(codes)]


def latest_run(db: Any, number: int) -> tuple[int, dict[str, Any]] | None:
    row = db.execute("SELECT id, report FROM evaluation_runs WHERE evaluation = ?"
                     " ORDER BY id DESC LIMIT 1", (number,)).fetchone()
    return None if row is None else (row[0], json.loads(row[1]))


def require_run(db: Any, number: int) -> tuple[int, dict[str, Any]]:
    found = latest_run(db, number)
    if found is None:
        raise CivicError(_("Evaluation {number} has not been scored yet "
                           "(civic evaluation run {number}).").format(number=number))
    return found


def conclusions(db: Any, number: int) -> dict[str, dict[str, Any]]:
    """The committee's latest conclusion per unit."""
    return {r[0]: {"grade": r[1], "reason": r[2], "run": r[3], "on": r[4]} for r in db.execute(
        "SELECT unit, grade, reason, run, concluded_on FROM evaluation_conclusions c"
        " WHERE evaluation = ? AND id = (SELECT max(id) FROM evaluation_conclusions d"
        " WHERE d.evaluation = c.evaluation AND d.unit = c.unit)", (number,))}


def grades(db: Any, number: int) -> dict[str, Any]:
    """The grades of the latest run with the committee's conclusions beside them, the quota
    line and the boundary ties."""
    run, data = require_run(db, number)
    ev = evaluation(db, number)
    fw = framework_of(ev["content"])
    names = {u["unit"]: u["name"] for u in units(db, number)}
    concluded = conclusions(db, number)
    rows = []
    for u in data["units"]:
        c = concluded.get(u["unit"])
        rows.append({"unit": u["unit"], "name": names.get(u["unit"], ""), "score": u["score"],
                     "rank": u["rank"], "grade": u["grade"],
                     "committee": c["grade"] if c else None,
                     "reason": c["reason"] if c else None,
                     "final": c["grade"] if c else u["grade"],
                     # Each gate's consequence in the reader's language.
                     "gates": [{**g, "consequence": fw.gate(g["gate"]).describe()}
                               for g in u["gates"]], "not_scored": u["not_scored"]})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["unit"]))
    return {"evaluation": number, "run": run, "edition": ev["edition"],
            "rounding": ev["rounding"], "certified_on": ev["certified_on"],
            "quota": data["quota"], "grades": data["grades"], "units": rows}


def rating_round(db: Any, number: int) -> str | None:
    row = db.execute("SELECT round_key FROM evaluation_ratings WHERE evaluation = ?",
                     (number,)).fetchone()
    return row[0] if row else None


def require_rating(db: Any, number: int) -> str:
    key = rating_round(db, number)
    if key is None:
        raise CivicError(_("Evaluation {number} has no rating round; declare it first "
                           "(civic evaluation forms declare).").format(number=number))
    return key


def ratings(db: Any, number: int, pm: Any) -> dict[str, Any]:
    """The rating round counted by core (forms per grade per ratee, weighted by rater
    category), with the pack's rates, index and flags per ratee and dimension. `pm`: the
    office's plugin manager, through which core's count applies the pack's form validity
    rules (the forms they void: `invalid`, by dimension and reason)."""
    from civic import ballots, contests

    key = require_rating(db, number)
    pack = rules.rating_pack(db.execute("SELECT pack FROM evaluation_ratings WHERE"
                                        " evaluation = ?", (number,)).fetchone()[0])
    result = contests.count(db, ballots.get_round(db, key), pm=pm)
    if result.void:
        return {"evaluation": number, "void": True, "forms": result.entered, "ratees": []}
    names = {u["unit"]: u["name"] for u in units(db, number)}
    out = []
    for dimension, standings in result.grades.items():
        for s in standings:
            out.append({"ratee": s.ratee, "name": names.get(s.ratee, ""),
                        "dimension": dimension, "void": s.void, "blank": s.blank,
                        "invalid": s.invalid,
                        **rules.rating_summary(s.counts, s.shares, result.entered, pack)})
    # Forms voided by the pack's rules, as core's count found them (earlier imports entered
    # such a section blank and kept its reason in evaluation_invalid_forms: listed as well).
    named = dict(pack.dimensions)
    invalid = [{"dimension": d, "dimension_name": named.get(d, d), "reason": r, "forms": n}
               for d, reasons in result.invalid.items() for r, n in sorted(reasons.items())]
    invalid += [{"dimension": d, "dimension_name": named.get(d, d), "reason": r, "forms": 1}
                for d, r in db.execute(
        "SELECT dimension, reason FROM evaluation_invalid_forms WHERE evaluation = ?"
        " ORDER BY form, dimension", (number,))]
    return {"evaluation": number, "void": False, "forms": dict(result.entered),
            "invalid": invalid, "dimensions": [list(d) for d in pack.dimensions],
            "categories": [{"code": c.code, "weight": str(c.weight), "registered": c.registered,
                            "present": c.present, "issued": c.issued, "returned": c.returned}
                           for c in result.constituencies],
            "ratees": out}


def team_grades(db: Any, unit: str | None = None) -> list[dict[str, Any]]:
    """Leadership teams' certified grades (the unit's record, not any member's own), newest
    year first; `unit`: one unit's history."""
    sql = ("SELECT evaluation, unit, name, year, grade, certified_on, rule"
           " FROM evaluation_team_grades")
    params: tuple[Any, ...] = ()
    if unit:
        sql, params = sql + " WHERE unit = ?", (unit,)
    return [dict(zip(("evaluation", "unit", "name", "year", "grade", "certified_on", "rule"),
                     r, strict=True))
            for r in db.execute(sql + " ORDER BY year DESC, unit", params)]


def person_team_grades(db: Any, person: str) -> list[dict[str, Any]]:
    """The certified grades of the teams a person stands for (evaluation_units.person)."""
    return [dict(zip(("year", "unit", "name", "grade"), r, strict=True)) for r in db.execute(
        "SELECT g.year, g.unit, g.name, g.grade FROM evaluation_team_grades g"
        " JOIN evaluation_units u ON u.evaluation = g.evaluation AND u.unit = g.unit"
        " WHERE u.person = ? ORDER BY g.year DESC, g.unit", (person,))]


def rating_categories_waiting(db: Any, number: int) -> list[str]:
    """The rater categories (their names) whose figures (present, issued, returned) are not
    recorded yet: the rating round is not counted before they are."""
    key = require_rating(db, number)
    return [title or code for code, title in db.execute(
        "SELECT c.code, c.title FROM voting_constituencies c JOIN voting_rounds r"
        " ON r.id = c.round WHERE r.key = ? AND (c.present IS NULL OR c.issued IS NULL"
        " OR c.returned IS NULL) ORDER BY c.seq", (key,))]


def surveys(db: Any, number: int) -> list[dict[str, Any]]:
    """Each unit's survey: respondents per channel, the three indices and their mean, 0-100."""
    names = {u["unit"]: u["name"] for u in units(db, number)}
    return [{"unit": r[0], "name": names.get(r[0], ""), "indicator": r[1], "respondents": r[2],
             "index": rules.money(float(rules.round_half_up(r[3]))),
             "happiness": rules.money(float(rules.round_half_up(r[4]))),
             "satisfaction": rules.money(float(rules.round_half_up(r[5]))),
             "safety": rules.money(float(rules.round_half_up(r[6]))),
             "channels": json.loads(r[7])} for r in db.execute(
        "SELECT unit, indicator, respondents, index_value, happiness, satisfaction, safety,"
        " channels FROM evaluation_surveys WHERE evaluation = ? ORDER BY unit", (number,))]
