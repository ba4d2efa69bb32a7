"""Writes of the evaluation plugin: each step one `office.change()` with its audit event; a
file is refused whole with file:row:column, nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from civic.errors import CivicError
from civic.i18n import _
from civic.plugins.evaluation import events, rules, store

PLUGIN = "evaluation"


def import_framework(office, source: str) -> int:
    """A framework file (TOML), or a shipped pack by its key; refused naming the node at
    fault. The same content imported twice is the same framework."""
    path = Path(source)
    if not path.is_file() and source in rules.shipped():
        path = rules.PACKS / f"{source}.toml"
    fw, _data = rules.read_framework(path)
    content = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(content.encode()).hexdigest()
    found = office.db.execute("SELECT id FROM evaluation_frameworks WHERE key = ? AND"
                              " sha256 = ?", (fw.key, digest)).fetchone()
    if found:
        return found[0]
    with office.change() as change:
        cur = change.db.execute(
            "INSERT INTO evaluation_frameworks (key, name, content, sha256, imported_on)"
            " VALUES (?, ?, ?, ?, ?)", (fw.key, fw.name, content, digest,
                                        office.today().isoformat()))
        change.record(events.FrameworkImported(framework=cur.lastrowid, key=fw.key,
                                               sha256=digest))
    return cur.lastrowid


def create(office, framework: str, year: int, title: str, edition: str = "2007",
           rounding: str = "half_up", due: dt.date | None = None) -> int:
    """A year's evaluation under a framework, with the quota's edition and rounding rule."""
    row = store.framework_row(office.db, framework)
    if edition not in rules.quota_editions():
        raise CivicError(_("Unknown quota edition {edition}; one of {known}.").format(
            edition=edition, known=", ".join(rules.quota_editions())))
    if rounding not in rules.ROUNDING:
        raise CivicError(_("Unknown rounding rule {rule}; one of {known}.").format(
            rule=rounding, known=", ".join(rules.ROUNDING)))
    if not title.strip():
        raise CivicError(_("An evaluation needs a title."))
    with office.change() as change:
        cur = change.db.execute(
            "INSERT INTO evaluation_evaluations (framework, year, title, edition, rounding,"
            " created_on, due) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row["id"], year, title.strip(), edition, rounding, office.today().isoformat(),
             due.isoformat() if due else None))
        change.record(events.EvaluationCreated(evaluation=cur.lastrowid, framework=row["id"],
                                               year=year, edition=edition, rounding=rounding))
    return cur.lastrowid


def _open(db, number: int) -> tuple[dict[str, Any], rules.Framework]:
    ev = store.evaluation(db, number)
    if ev["certified_on"]:
        raise CivicError(_("Evaluation {number} was certified on {day}; it is closed.").format(
            number=number, day=ev["certified_on"]))
    return ev, store.framework_of(ev["content"])


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _data_schema(fw: rules.Framework):
    from civic.tabular import Column, Schema

    return Schema([Column("unit", ("单位编码", "编码", "code"), required=True),
                   Column("name", ("单位", "单位名称", "名称")),
                   Column("person", ("人员编号", "负责人编号")),
                   *(Column(i.code, (i.name,), parse=_finite) for i in fw.indicators),
                   *(Column(g.code, (g.name,)) for g in fw.gates)])


def import_data(office, number: int, path: str | Path) -> dict[str, int]:
    """A data file (CSV or XLSX): a row per unit, a column per indicator (its code or name;
    an empty cell is missing data) and per veto gate (a cell with text: the gate fired, the
    text says why). A unit already in the evaluation or twice in the file, a person not in the
    registry, a value that is not a number: the whole file is refused with file:row:column."""
    from civic.tabular import TableReader, file_sha256

    db = office.db
    _ev, fw = _open(db, number)
    known = {u["unit"] for u in store.units(db, number)}
    people = {r[0] for r in db.execute("SELECT code FROM people")}
    reader = TableReader(path, _data_schema(fw))
    seen: dict[str, int] = {}
    rows = []
    for row in reader:
        unit = row["unit"]
        if unit in known:
            reader.report(row, "unit", _("unit {unit} already has data in evaluation {number}")
                          .format(unit=unit, number=number))
            continue
        first = seen.setdefault(unit, row.number)
        if first != row.number:
            reader.report(row, "unit", _("unit {unit} is already on row {row}").format(
                unit=unit, row=first))
            continue
        if row["person"] and row["person"] not in people:
            reader.report(row, "person", _("no person {code} in the registry").format(
                code=row["person"]))
            continue
        rows.append(row)
    units = [(number, r["unit"], r["name"] or r["unit"], r["person"]) for r in rows]
    values = [(number, r["unit"], i.code, r[i.code]) for r in rows for i in fw.indicators
              if r[i.code] is not None]
    gates = [(number, r["unit"], g.code, r[g.code]) for r in rows for g in fw.gates
             if r[g.code]]
    if not units:
        raise CivicError(_("{file}: no units in the file.").format(file=Path(path).name))
    with office.change() as change:
        change.db.executemany("INSERT INTO evaluation_units (evaluation, unit, name, person)"
                              " VALUES (?, ?, ?, ?)", units)
        change.db.executemany("INSERT INTO evaluation_values (evaluation, unit, indicator,"
                              " value) VALUES (?, ?, ?, ?)", values)
        change.db.executemany("INSERT INTO evaluation_gates (evaluation, unit, gate, reason)"
                              " VALUES (?, ?, ?, ?)", gates)
        change.record(events.DataImported(evaluation=number, file=Path(path).name,
                                          sha256=file_sha256(path), units=len(units),
                                          values=len(values), gates=len(gates)))
    return {"units": len(units), "values": len(values), "gates": len(gates)}


def _likert(text: str) -> int:
    value = int(text)
    if not 1 <= value <= rules.LIKERT:
        raise ValueError(text)
    return value


def _survey_schema():
    from civic.tabular import Column, Schema

    return Schema([Column("unit", ("单位编码", "编码"), required=True),
                   Column("channel", ("渠道", "方式"), required=True),
                   Column("happiness", ("幸福感",), required=True, parse=_likert),
                   Column("satisfaction", ("满意度",), required=True, parse=_likert),
                   Column("safety", ("安全感",), required=True, parse=_likert)])


def import_survey(office, number: int, path: str | Path, indicator: str) -> dict[str, Any]:
    """An opinion survey's responses (a row a respondent: unit, channel, and the happiness,
    satisfaction and safety answers 1-5): per unit, each index and their mean on 0-100, which
    stands as the unit's value of the public-evaluation `indicator`. Refused whole on any bad
    row, a unit not in the evaluation, or a unit with a value of that indicator already."""
    from civic.tabular import TableReader, file_sha256

    db = office.db
    _ev, fw = _open(db, number)
    if indicator not in {i.code for i in fw.indicators}:
        raise CivicError(_("No indicator {code} in the framework.").format(code=indicator))
    known = {u["unit"] for u in store.units(db, number)}
    taken = {r[0] for r in db.execute(
        "SELECT unit FROM evaluation_values WHERE evaluation = ? AND indicator = ? UNION"
        " SELECT unit FROM evaluation_surveys WHERE evaluation = ? AND indicator = ?",
        (number, indicator, number, indicator))}
    reader = TableReader(path, _survey_schema())
    answers: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    channels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in reader:
        unit = row["unit"]
        if unit not in known:
            reader.report(row, "unit", _("unit {unit} is not in evaluation {number}").format(
                unit=unit, number=number))
            continue
        if unit in taken:
            reader.report(row, "unit", _("unit {unit} already has a value of {code}").format(
                unit=unit, code=indicator))
            continue
        for key in rules.SURVEY_INDICES:
            answers[unit][key].append(row[key])
        channels[unit][row["channel"]] += 1
    digest, name = file_sha256(path), Path(path).name
    rows = []
    for unit, by in sorted(answers.items()):
        indices = {k: rules.likert_index(v) for k, v in by.items()}
        rows.append((number, unit, indicator, len(by["happiness"]),
                     sum(indices.values()) / len(indices), indices["happiness"],
                     indices["satisfaction"], indices["safety"], name, digest,
                     json.dumps(dict(sorted(channels[unit].items())), ensure_ascii=False)))
    if not rows:
        raise CivicError(_("{file}: no responses in the file.").format(file=name))
    respondents = sum(r[3] for r in rows)
    with office.change() as change:
        change.db.executemany(
            "INSERT INTO evaluation_surveys (evaluation, unit, indicator, respondents,"
            " index_value, happiness, satisfaction, safety, file, sha256, channels)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        change.record(events.SurveyImported(evaluation=number, file=name, sha256=digest,
                                            respondents=respondents, units=len(rows)))
    return {"respondents": respondents, "units": len(rows)}


def run(office, number: int, panel: tuple[int, ...] = ()) -> tuple[int, dict[str, Any]]:
    """Score the evaluation from its data: the report (the JSON contract) is stored, one run
    appended per call, with its digest in the audit entry. `panel`: other evaluations under
    the same framework (other years) whose values join this one's to fix each indicator's
    scale, so that 100 means the same every year."""
    ev, fw = _open(office.db, number)
    codes, values, fired = store.matrix(office.db, number, fw)
    if not codes:
        raise CivicError(_("Evaluation {number} has no data yet.").format(number=number))
    reference = None
    if panel:
        stacked = [values]
        for other in panel:
            row = store.evaluation(office.db, other)
            if row["framework_key"] != ev["framework_key"] or other == number:
                raise CivicError(_("Evaluation {other} is not another year under framework "
                                   "{key}.").format(other=other, key=ev["framework_key"]))
            stacked.append(store.matrix(office.db, other, fw)[1])
        reference = np.vstack(stacked)
    share = rules.quota_editions()[ev["edition"]].top_share
    result = rules.score(fw, codes, values, fired, top_share=share, rounding=ev["rounding"],
                         reference=reference)
    data = rules.report(result, number, fw.name, ev["year"])
    text = json.dumps(data, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with office.change() as change:
        cur = change.db.execute("INSERT INTO evaluation_runs (evaluation, ran_at, report,"
                                " sha256) VALUES (?, ?, ?, ?)",
                                (number, office.now().isoformat(), text, digest))
        change.record(events.EvaluationRun(
            evaluation=number, run=cur.lastrowid, sha256=digest,
            scored=result.base, not_scored=len(codes) - result.base, panel=list(panel)))
    return cur.lastrowid, data


def conclude(office, number: int, unit: str, grade: str, reason: str = "") -> int:
    """The committee's qualitative conclusion beside the number: a grade of the framework's
    scale; where it differs from the number's grade, a written reason is required."""
    _ev, fw = _open(office.db, number)
    run_id, data = store.require_run(office.db, number)
    found = next((u for u in data["units"] if u["unit"] == unit), None)
    if found is None:
        raise CivicError(_("No unit {unit} in evaluation {number}.").format(unit=unit,
                                                                          number=number))
    if grade not in fw.grades:
        raise CivicError(_("Grade {grade} is not one of {known}.").format(
            grade=grade, known=", ".join(fw.grades)))
    if rules.needs_reason(found["grade"], grade) and not reason.strip():
        raise CivicError(_("The committee's grade {grade} differs from the score's {scored}: "
                           "give the reason.").format(grade=grade, scored=found["grade"] or "-"))
    with office.change() as change:
        cur = change.db.execute(
            "INSERT INTO evaluation_conclusions (evaluation, unit, run, grade, reason,"
            " concluded_on) VALUES (?, ?, ?, ?, ?, ?)",
            (number, unit, run_id, grade, reason.strip(), office.today().isoformat()))
        change.record(events.Concluded(evaluation=number, unit=unit, run=run_id, grade=grade,
                                       reason=reason.strip()))
    return cur.lastrowid


def certify(office, number: int, cosigner) -> int:
    """Certify the latest run's grades, co-signed by a supervisor. Every unit tied at the quota
    boundary needs the committee's conclusion first. A leader's annual grade (an individual
    scale) becomes a person fact; a leadership team's (the team scale) is the unit's record
    (evaluation_team_grades), never a fact on a member's record. Returns the number of grades
    recorded."""
    from civic import facts
    from civic.auth import require_cosigner

    require_cosigner(office, cosigner, _("certify an evaluation's grades"))
    ev, fw = _open(office.db, number)
    run_id, data = store.require_run(office.db, number)
    concluded = store.conclusions(office.db, number)
    open_ties = [u for u in data["quota"]["tied_at_boundary"] if u not in concluded]
    if open_ties:
        raise CivicError(_("Units tied at the quota boundary need the committee's conclusion "
                           "first: {units}.").format(units=", ".join(open_ties)))
    persons = {u["unit"]: u["person"] for u in store.units(office.db, number)}
    today = office.today()
    count = 0
    with office.change() as change:
        change.db.execute("INSERT INTO evaluation_certifications (evaluation, run,"
                          " certified_on, cosigner) VALUES (?, ?, ?, ?)",
                          (number, run_id, today.isoformat(), cosigner.name))
        if fw.grades == rules.SCALES["individual"]:
            for u in data["units"]:
                grade = concluded[u["unit"]]["grade"] if u["unit"] in concluded else u["grade"]
                person = persons.get(u["unit"])
                if person and grade:
                    # A decision that capped the year's grade (accountability) holds here.
                    cap = facts.grade_cap_of(change.db, person, ev["year"])
                    final = rules.capped(grade, cap.data.get("grade") if cap else None,
                                         fw.grades)
                    data = {"year": ev["year"]}
                    if final != grade:
                        data.update(capped_from=grade, cap_fact=cap.id if cap else None)
                    facts.record(change, person=person, kind="grade", value=final,
                                 valid_from=today, source=(PLUGIN, f"{number}:{u['unit']}"),
                                 rule=fw.source, data=data)
                    count += 1
        elif fw.grades == rules.SCALES["team"]:
            names = {u["unit"]: u["name"] for u in store.units(change.db, number)}
            rows = [(number, u["unit"], names.get(u["unit"], ""), ev["year"],
                     concluded[u["unit"]]["grade"] if u["unit"] in concluded else u["grade"],
                     today.isoformat(), fw.source)
                    for u in data["units"] if u["grade"] or u["unit"] in concluded]
            change.db.executemany("INSERT INTO evaluation_team_grades (evaluation, unit, name,"
                                  " year, grade, certified_on, rule) VALUES (?, ?, ?, ?, ?, ?,"
                                  " ?)", rows)
            count = len(rows)
        change.record(events.Certified(evaluation=number, run=run_id, grades=count), cosigner)
    return count


def export(db, number: int, path: str | Path) -> int:
    """The latest run as a spreadsheet (XLSX or CSV): a row per unit with its score, rank,
    grade, the committee's grade, category scores and gates."""
    from civic.tabular import write_table

    data = store.grades(db, number)
    _run, report = store.require_run(db, number)
    by_unit = {u["unit"]: u for u in report["units"]}
    cats = list(next((u["categories"] for u in report["units"] if u["categories"]), {}))
    columns = [_("Unit"), _("Name"), _("Score"), _("Rank"), _("Grade"), _("Committee"),
               _("Reason"), *cats, _("Gates"), _("Not scored")]
    rows = [[u["unit"], u["name"], u["score"], u["rank"], u["grade"], u["committee"],
             u["reason"], *(by_unit[u["unit"]]["categories"].get(c) for c in cats),
             "; ".join(f"{g['gate']}: {g['consequence']} ({g['reason']})" for g in u["gates"]),
             u["not_scored"]] for u in data["units"]]
    return write_table(path, columns, rows)


# --- democratic rating (民主测评): forms are core ballots ------------------------------------


def _no_write_ins(post: str, text: str):
    raise CivicError(_("A rating form grades the listed ratees only; {text} is not one.")
                     .format(text=text))


def declare_rating(office, number: int, registered: dict[str, int],
                   pack: str = "rating-2008") -> str:
    """The evaluation's rating round on the core ballot model: a graded contest per dimension
    of the pack, the evaluation's units as ratees, the pack's rater categories (with their
    registered numbers) as constituencies with their weights."""
    from civic import contests
    from civic.tally import ANNUAL_GRADES, GRADES, Constituency, Contest

    _ev, _fw = _open(office.db, number)
    rating = rules.rating_pack(pack)
    ratees = tuple(u["unit"] for u in store.units(office.db, number))
    if not ratees:
        raise CivicError(_("Evaluation {number} has no data yet.").format(number=number))
    if store.rating_round(office.db, number):
        raise CivicError(_("Evaluation {number} has its rating round already.").format(
            number=number))
    unknown = set(registered) - {c for c, _n, _w in rating.categories}
    if unknown:
        raise CivicError(_("No rater category {code} in the pack.").format(
            code=", ".join(sorted(unknown))))
    key = f"evaluation:{number}:rating"
    titles = {**{c: n for c, n, _w in rating.categories}, **dict(rating.dimensions)}
    with office.change() as change:
        contests.declare(
            change, key, _("Democratic rating of evaluation {number}").format(number=number),
            [Contest(code, candidates=ratees, kind=GRADES, scale=ANNUAL_GRADES)
             for code, _name in rating.dimensions],
            constituencies=[Constituency(c, registered.get(c, 0), w)
                            for c, _n, w in rating.categories], titles=titles)
        change.db.execute("INSERT INTO evaluation_ratings (evaluation, round_key, pack)"
                          " VALUES (?, ?, ?)", (number, key, pack))
    return key


def rating_figures(office, number: int, category: str, present: int, issued: int,
                   returned: int) -> None:
    """A rater category's raters present and forms issued and returned (core's figures)."""
    from civic import ballots, contests

    key = store.require_rating(office.db, number)
    vround = ballots.get_round(office.db, key)
    # core's check words ballots and electors; a rating's readers count forms and raters
    registered = {c.code: c.registered
                  for c in contests.constituencies(office.db, vround, need_figures=False)}
    if min(present, issued, returned) < 0:
        raise CivicError(_("Rater and form numbers cannot be negative."))
    if category in registered and present > registered[category]:
        raise CivicError(_("{present} raters present, more than the {registered} due to rate."
                           ).format(present=present, registered=registered[category]))
    if issued > present:
        raise CivicError(_("{issued} rating forms issued but {present} raters present: a form"
                           " is issued only to a rater present.").format(issued=issued,
                                                                         present=present))
    with office.change() as change:
        contests.record_constituency_figures(change, ballots.get_round(change.db, key),
                                             category, present=present, issued=issued,
                                             returned=returned)


def import_forms(office, number: int, path: str | Path) -> dict[str, Any]:
    """Rating forms (core's rating-form file, a row per grade given): checked row by row
    (file:row:column, the whole file refused on any problem) and entered as given, in one
    audited batch (core's entry and the plugin's). The pack's validity rules (all ratees
    alike, too many top grades) are applied by core's count (hook `ballot_form_validity`);
    the forms they void are listed here too, so the operator sees them at once."""
    from civic import ballots, contests
    from civic.tabular import TableReader, file_sha256

    db = office.db
    pack, vround, declared = _rating(db, number)
    categories = {c for c, _n, _w in pack.categories}
    # Every (dimension, ratee, grade) a row may give (None: left blank). A file holds 500,000
    # rows: a right one is one set lookup; any other takes the checks below, which name it.
    allowed = frozenset((d, r, g) for d, c in declared.items() for r in c.candidates
                        for g in (*c.scale, None))
    reader = TableReader(path, contests.VALUE_BALLOT_SCHEMA)
    report = reader.report
    forms: dict[int, tuple[str, dict[str, list[tuple[str, str]]]]] = {}
    cell: str | None = None  # the form number as written on the rows being read
    form, bad = 0, ""
    place = None  # (form, rater category, dimension) of the rows being read, and their list
    add: Any = None
    for row, (written_as, where, dimension, ratee, grade, write_in) in reader.tuples():
        if written_as != cell:  # a form's rows come together: its number is read once
            cell = written_as
            try:
                form, bad = ballots.ballot_number(written_as), ""
            except ValueError as exc:
                bad = str(exc)
        if bad:
            report(row, "ballot", bad)
            continue
        if write_in is None and (dimension, ratee, grade) in allowed and where in categories:
            if place != (form, where, dimension):
                entry = forms.get(form)
                if entry is None:
                    entry = forms[form] = (where, {})
                if entry[0] != where:
                    place = None
                    report(row, "constituency", _("form {number} is from one rater category "
                                                  "only").format(number=form))
                    continue
                place, add = (form, where, dimension), entry[1].setdefault(dimension, []).append
            add((ratee, grade or ""))
            continue
        where = where or ""
        contest = declared.get(dimension)
        if where not in categories:
            report(row, "constituency", _("no rater category {code}").format(code=where or "-"))
        elif contest is None:
            report(row, "contest", _("no dimension {code} on the form").format(code=dimension))
        elif ratee not in contest.candidates:
            report(row, "candidate", _("{code} is not rated on the form").format(
                code=ratee or "-"))
        elif grade and grade not in contest.scale:
            report(row, "value", _("{grade} is not a grade of the form").format(grade=grade))
        else:  # what is left for a row off the way above: a name written in
            report(row, "write_in", _("a rating form takes no written names"))
    stack, invalid = _stack(forms, declared, pack)
    _check_returned(db, vround, pack, stack)
    name = Path(path).name
    with office.change() as change:
        contests.enter_value_ballots(change, vround, stack, _no_write_ins, source=name)
        change.record(events.FormsImported(evaluation=number, file=name,
                                           sha256=file_sha256(path), forms=len(stack),
                                           invalid=len(invalid)))
    return {"ballots": len(stack), "invalid": len(invalid), "invalid_forms": invalid}


def _stack(forms: Mapping[int, tuple[str, Mapping[str, Sequence[tuple[str, str]]]]],
           declared: Mapping[str, Any], pack: rules.RatingPack
           ) -> tuple[list[Any], list[dict[str, Any]]]:
    """Forms (number -> rater category, dimension -> (ratee, grade)) as core's keyed ballots,
    and the sections the pack's rules will void in the count, to show the operator now."""
    stack, invalid = [], []
    named = dict(pack.dimensions)
    for form, (where, sections) in forms.items():
        marks = []
        for dimension, given in sections.items():
            problem = rules.form_problem([g for _r, g in given if g],
                                         len(declared[dimension].candidates), pack)
            if problem:
                invalid.append({"form": form, "dimension": dimension, "reason": problem,
                                "dimension_name": named.get(dimension, dimension)})
            marks += [(dimension, r, g, None) for r, g in given if g]
        stack.append((form, where, marks))
    return stack, invalid


def _check_returned(db: Any, vround: Any, pack: rules.RatingPack, stack: Sequence[Any]) -> None:
    """No rater category gets more forms entered than it returned (its recorded figure): the
    count would refuse the round; refuse the entry instead, naming the category."""
    adding: dict[str, int] = defaultdict(int)
    for _form, where, _marks in stack:
        adding[where] += 1
    named = {c: n for c, n, _w in pack.categories}
    for code, returned, entered in db.execute(
            "SELECT c.code, c.returned, (SELECT count(*) FROM voting_ballots b WHERE"
            " b.round = c.round AND b.constituency = c.code) FROM voting_constituencies c"
            " WHERE c.round = ?", (vround.id,)):
        if returned is not None and entered + adding.get(code, 0) > returned:
            raise CivicError(_(
                "{category} returned {returned} forms; {entered} are entered already and "
                "{adding} more would exceed it. Correct the forms, or record the category's "
                "figures again first.").format(category=named.get(code, code),
                                               returned=returned, entered=entered,
                                               adding=adding[code]))


def _rating(db: Any, number: int) -> tuple[rules.RatingPack, Any, dict[str, Any]]:
    """The evaluation's rating pack, its core round, and the round's contests by code."""
    from civic import ballots, contests

    key = store.require_rating(db, number)
    pack = rules.rating_pack(db.execute("SELECT pack FROM evaluation_ratings WHERE"
                                        " evaluation = ?", (number,)).fetchone()[0])
    vround = ballots.get_round(db, key)
    return pack, vround, {c.code: c for c in contests.contests(db, vround)}


def rating_form(db: Any, number: int) -> dict[str, Any]:
    """What a rating form of the evaluation holds, for keying it: the pack, the rater
    categories, the dimensions and ratees (code, name), the grades, the next form number."""
    pack, vround, by_code = _rating(db, number)
    declared = list(by_code.values())
    names = {u["unit"]: u["name"] for u in store.units(db, number)}
    last = db.execute("SELECT coalesce(max(number), 0) FROM voting_ballots WHERE round = ?",
                      (vround.id,)).fetchone()[0]
    return {"pack": pack, "categories": [(c, n) for c, n, _w in pack.categories],
            "dimensions": list(pack.dimensions),
            "ratees": [(r, names.get(r, r)) for r in declared[0].candidates],
            "grades": list(declared[0].scale), "next": last + 1}


def enter_form(office, number: int, form: int, category: str,
               grades: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """One paper rating form keyed at the terminal: its number, rater category and a grade per
    dimension per ratee ('' or absent: left blank). Entered as given, in one audited change;
    the sections the pack's rules void are returned (and voided by core's count)."""
    from civic import contests

    db = office.db
    pack, vround, declared = _rating(db, number)
    if category not in {c for c, _n, _w in pack.categories}:
        raise CivicError(_("No rater category {code} in the pack.").format(code=category))
    sections = {d: [(r, g) for r, g in grades.get(d, {}).items() if g] for d in declared}
    stack, invalid = _stack({form: (category, sections)}, declared, pack)
    _check_returned(db, vround, pack, stack)
    with office.change() as change:
        contests.enter_value_ballots(change, vround, stack, _no_write_ins, source="keyed")
        change.record(events.FormKeyed(evaluation=number, form=form, category=category,
                                       invalid=len(invalid)))
    return {"form": form, "invalid_forms": invalid}
