"""`civic evaluation ...`: framework import|list|show, new, list, show, data import, survey
import, run, grades, sensitivity, conclude, certify, export. Reads take `--json`; changes log
an operator in; certifying is co-signed by a supervisor."""

from __future__ import annotations

from typing import Any

import click

from civic.actions import performs
from civic.cli.context import State, emit, json_option, pass_state, supervisor_option, table
from civic.i18n import _


@click.group("evaluation", help=_("Evaluation scoring (考核评价): indicator frameworks, veto "
                                  "gates, grades with quotas, ranks and their sensitivity."))
def evaluation() -> None:
    pass


@evaluation.group("framework", help=_("Indicator frameworks: categories, indicators, weights, "
                                      "gates."))
def framework() -> None:
    pass


@performs("evaluation.framework")
@framework.command("import", help=_("Import a framework file (TOML), or a shipped one by its "
                                    "key (kunming-county-2008, kunming-city-2008)."))
@click.argument("source")
@pass_state
def framework_import(state: State, source: str) -> None:
    from civic.plugins.evaluation import actions

    number = actions.import_framework(state.office_for("evaluation.framework"), source)
    click.echo(_("Framework {number} imported.").format(number=number))


@performs("evaluation.read")
@framework.command("list", help=_("List the imported frameworks."))
@json_option
@pass_state
def framework_list(state: State, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    emit(store.frameworks(state.db()), as_json, lambda rs: table(rs, [
        ("id", _("No.")), ("key", _("Key")), ("name", _("Name")),
        ("imported_on", _("Imported"))]))


def _tree_text(data: dict[str, Any]) -> str:
    from civic.plugins.evaluation.rules import NORMALISATION_LABELS

    lines = [f"{data['name']}  ({data['source']})"]
    if data["illustrative"]:
        lines.append(_("Illustrative: {what}").format(what=data["illustrative"]))
    for c in data["categories"]:
        lines.append(f"{c['code']:<6}{c['name']}  {c['weight']}%")
        for i in c["indicators"]:
            mark = " *" if i["illustrative"] else ""
            lines.append(f"  {i['code']:<6}{i['name']}  {i['weight']}%  "
                         f"{_(NORMALISATION_LABELS[i['normalisation']])}"
                         f"  {i['direction']}  {i['unit']}{mark}")
    for g in data["gates"]:
        lines.append(_("Gate {code} {name}: {consequence}; {source}").format(
            code=g["code"], name=g["name"], consequence=g["does"], source=g["source"]))
    return "\n".join(lines)


@performs("evaluation.read")
@framework.command("show", help=_("A framework's tree with its weights, gates and grades; a "
                                  "shipped one by key even before it is imported."))
@click.argument("key", metavar="FRAMEWORK")
@json_option
@pass_state
def framework_show(state: State, key: str, as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.plugins.evaluation import rules, store

    try:
        fw = store.framework_of(store.framework_row(state.db(), key)["content"])
    except CivicError:
        if key not in rules.shipped():
            raise
        fw = rules.pack(key)
    emit(store.framework_tree(fw), as_json, _tree_text)


@performs("evaluation.prepare")
@evaluation.command("new", help=_("Create a year's evaluation under an imported framework."))
@click.option("--framework", "framework_key", required=True, help=_("The framework's key."))
@click.option("--year", type=int, required=True, help=_("The year evaluated."))
@click.option("--title", required=True, help=_("What is evaluated."))
@click.option("--edition", type=click.Choice(["1994", "2007", "2020"]), default="2007",
              show_default=True, help=_("The edition fixing the top grade's quota."))
@click.option("--rounding", type=click.Choice(["half_up", "up"]), default="half_up",
              show_default=True, help=_("The quota's rounding: half_up (四舍五入) or up (进一法)."))
@click.option("--due", help=_("The day the results are due (YYYY-MM-DD), shown in civic "
                              "status."))
@pass_state
def new(state: State, framework_key: str, year: int, title: str, edition: str,
        rounding: str, due: str | None) -> None:
    import datetime as dt

    from civic.plugins.evaluation import actions

    office = state.office_for("evaluation.prepare")
    try:
        day = dt.date.fromisoformat(due) if due else None
    except ValueError:
        raise click.BadParameter(_("A date as YYYY-MM-DD, not {text}.").format(text=due),
                                 param_hint="--due") from None
    number = actions.create(office, framework_key, year, title, edition, rounding, day)
    click.echo(_("Evaluation {number} created.").format(number=number))


@performs("evaluation.read")
@evaluation.command("list", help=_("List the evaluations."))
@json_option
@pass_state
def list_(state: State, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    emit(store.evaluations(state.db()), as_json, lambda rs: table(rs, [
        ("id", _("No.")), ("year", _("Year")), ("title", _("Title")),
        ("framework_name", _("Framework")), ("units", _("Units")), ("run", _("Run")),
        ("certified_on", _("Certified"))]))


@performs("evaluation.read")
@evaluation.command("show", help=_("An evaluation's units and their data completeness."))
@click.argument("number", type=int)
@json_option
@pass_state
def show(state: State, number: int, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    db = state.db()
    ev = store.evaluation(db, number)
    data = {k: v for k, v in ev.items() if k != "content"}
    data["units"] = store.completeness(db, number)
    emit(data, as_json, lambda d: "\n".join([
        f"{d['title']} ({d['year']}): {d['framework_name']}",
        table(d["units"], [("unit", _("Unit")), ("present", _("Indicators")),
                           ("of", _("Of")), ("scored", _("Scored"))])]))


@evaluation.group("data", help=_("Indicator data of an evaluation."))
def data() -> None:
    pass


@performs("evaluation.prepare")
@data.command("import", help=_("Import a data file (CSV or XLSX): a row per unit, a column per "
                               "indicator and per veto gate; a file with any bad row is "
                               "refused whole."))
@click.argument("number", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@pass_state
def data_import(state: State, number: int, file: str) -> None:
    from civic.plugins.evaluation import actions

    found = actions.import_data(state.office_for("evaluation.prepare"), number, file)
    click.echo(_("{units} units, {values} values and {gates} fired gates imported.").format(
        **found))


@evaluation.group("survey", help=_("Opinion surveys (民意调查)."))
def survey() -> None:
    pass


@performs("evaluation.prepare")
@survey.command("import", help=_("Import a survey's responses (a row a respondent); each "
                                 "unit's index becomes its public-evaluation indicator."))
@click.argument("number", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--indicator", required=True, help=_("The public-evaluation indicator's code."))
@pass_state
def survey_import(state: State, number: int, file: str, indicator: str) -> None:
    from civic.plugins.evaluation import actions

    found = actions.import_survey(state.office_for("evaluation.prepare"), number, file,
                                  indicator)
    click.echo(_("{respondents} respondents for {units} units imported.").format(**found))


@performs("evaluation.read")
@survey.command("show", help=_("Each unit's survey: respondents per channel, the happiness, "
                               "satisfaction and safety indices and their mean (0-100)."))
@click.argument("number", type=int)
@json_option
@pass_state
def survey_show(state: State, number: int, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    def text(rows: list[dict[str, Any]]) -> str:
        shown = [{**r, "channels": "  ".join(f"{k} {v}" for k, v in r["channels"].items())}
                 for r in rows]
        return table(shown, [("unit", _("Unit")), ("name", _("Name")),
                             ("respondents", _("Respondents")), ("index", _("Index")),
                             ("happiness", _("happiness")),
                             ("satisfaction", _("satisfaction")), ("safety", _("safety")),
                             ("channels", _("Channels"))])

    emit(store.surveys(state.db(), number), as_json, text)


def _ranking_text(d: dict[str, Any]) -> str:
    rows = [{"rank": u["rank"] or "-", "unit": u["unit"], "score": u["score"] or "-",
             "grade": u["grade"] or "-",
             "gates": ", ".join(g["gate"] for g in u["gates"]) or "",
             "note": u["not_scored"] or ""} for u in sorted(
        d["units"], key=lambda u: (u["rank"] is None, u["rank"] or 0, u["unit"]))]
    quota = d["quota"]
    tail = _("Quota of {grade}: at most {limit}.").format(grade=quota["grade"],
                                                          limit=quota["limit"])
    if quota["tied_at_boundary"]:
        tail += " " + _("Tied at the boundary, for the committee: {units}.").format(
            units=", ".join(quota["tied_at_boundary"]))
    return "\n".join([table(rows, [("rank", _("#")), ("unit", _("Unit")),
                                   ("score", _("Score")), ("grade", _("Grade")),
                                   ("gates", _("Gates")), ("note", _("Not scored"))]), tail])


@performs("evaluation.run")
@evaluation.command("run", help=_("Score an evaluation from its data; the report is kept "
                                  "(see docs/evaluation.md for its JSON)."))
@click.argument("number", type=int)
@click.option("--panel", "panel", type=int, multiple=True,
              help=_("Another year's evaluation under the same framework whose values join "
                     "this one's to fix the scale (repeat)."))
@json_option
@pass_state
def run(state: State, number: int, panel: tuple[int, ...], as_json: bool) -> None:
    from civic.plugins.evaluation import actions

    _run, report = actions.run(state.office_for("evaluation.run"), number, panel)
    emit(report, as_json, _ranking_text)


@performs("evaluation.read")
@evaluation.command("grades", help=_("The latest run's grades, the committee's conclusions, "
                                     "the quota line and the boundary ties."))
@click.argument("number", type=int)
@json_option
@pass_state
def grades(state: State, number: int, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    def text(d: dict[str, Any]) -> str:
        quota = d["quota"]
        lines = [table(d["units"], [("rank", _("#")), ("unit", _("Unit")),
                                    ("name", _("Name")), ("score", _("Score")),
                                    ("grade", _("Grade")), ("committee", _("Committee")),
                                    ("reason", _("Reason"))]),
                 _("Quota of {grade}: at most {limit}.").format(grade=quota["grade"],
                                                               limit=quota["limit"])]
        if quota["tied_at_boundary"]:
            lines.append(_("Tied at the boundary, for the committee: {units}.").format(
                units=", ".join(quota["tied_at_boundary"])))
        for u in d["units"]:
            for g in u["gates"]:
                lines.append(_("{unit}: gate {gate} fired ({reason}): {consequence}").format(
                    unit=u["unit"], gate=g["gate"], reason=g["reason"],
                    consequence=g["consequence"]))
        return "\n".join(lines)

    emit(store.grades(state.db(), number), as_json, text)


@performs("evaluation.read")
@evaluation.command("sensitivity", help=_("Monte Carlo over the weights, the normalisation and "
                                          "the gates: each unit's rank interval (5th-95th "
                                          "percentile)."))
@click.argument("number", type=int)
@click.option("--runs", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@json_option
@pass_state
def sensitivity(state: State, number: int, runs: int, seed: int, as_json: bool) -> None:
    from civic.plugins.evaluation import rules, store

    db = state.db()
    ev = store.evaluation(db, number)
    fw = store.framework_of(ev["content"])
    codes, values, fired = store.matrix(db, number, fw)
    intervals, _ranks = rules.sensitivity(fw, codes, values, fired, runs=runs, seed=seed)
    data = {"evaluation": number, "runs": runs, "seed": seed,
            "units": [{"unit": i.unit, "rank": i.rank, "low": i.low, "high": i.high,
                       "interval": i.label()} for i in intervals]}

    def text(d: dict[str, Any]) -> str:
        n = max([u["high"] or 0 for u in d["units"]] + [1])
        lines = []
        for u in sorted(d["units"], key=lambda u: (u["rank"] is None, u["rank"] or 0)):
            bar = ""
            if u["low"]:
                # The interval drawn on the ranks 1..n: a dash per rank, the rank itself as o.
                bar = "".join("o" if r == u["rank"] else "-" if u["low"] <= r <= u["high"]
                              else " " for r in range(1, n + 1))
            lines.append(f"{u['unit']:<10}{u['interval']:<12}|{bar}|")
        return "\n".join(lines)

    emit(data, as_json, text)


@performs("evaluation.conclude")
@evaluation.command("conclude", help=_("Record the committee's conclusion on a unit; a grade "
                                       "other than the score's needs a reason."))
@click.argument("number", type=int)
@click.argument("unit")
@click.option("--grade", required=True)
@click.option("--reason", default="", help=_("Why the committee's grade differs."))
@pass_state
def conclude(state: State, number: int, unit: str, grade: str, reason: str) -> None:
    from civic.plugins.evaluation import actions

    actions.conclude(state.office_for("evaluation.conclude"), number, unit, grade, reason)
    click.echo(_("Conclusion on {unit} recorded.").format(unit=unit))


@performs("evaluation.certify")
@evaluation.command("certify", help=_("Certify the latest run's grades, co-signed by a "
                                      "supervisor; leaders' annual grades go on their record."))
@click.argument("number", type=int)
@supervisor_option
@pass_state
def certify(state: State, number: int, supervisor: str | None) -> None:
    from civic.plugins.evaluation import actions

    office = state.office_for("evaluation.certify")
    signer = state.cosigner(office, supervisor, "evaluation.certify")
    count = actions.certify(office, number, signer)
    click.echo(_("Evaluation {number} certified; {count} annual grades recorded.").format(
        number=number, count=count))


@performs("evaluation.read")
@evaluation.command("team-grades", help=_("Leadership teams' certified grades (好/较好/一般/"
                                          "较差): each unit's record, not a grade of any "
                                          "member's own."))
@click.option("--unit", default=None, help=_("One unit's grades over the years."))
@json_option
@pass_state
def team_grades(state: State, unit: str | None, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    def text(rows: list[dict[str, Any]]) -> str:
        return table(rows, [("year", _("Year")), ("unit", _("Unit")), ("name", _("Name")),
                            ("grade", _("Grade")), ("certified_on", _("Certified"))])

    emit(store.team_grades(state.db(), unit), as_json, text)


@performs("evaluation.read")
@evaluation.command("export", help=_("Export the latest run's grades as XLSX (or CSV)."))
@click.argument("number", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@pass_state
def export(state: State, number: int, file: str) -> None:
    from civic.plugins.evaluation import actions

    count = actions.export(state.db(), number, file)
    click.echo(_("{count} units written to {file}.").format(count=count, file=file))


@evaluation.group("forms", help=_("Democratic rating forms (民主测评) on the core ballot model."))
def forms() -> None:
    pass


def _registered(values: tuple[str, ...]) -> dict[str, int]:
    out = {}
    for text in values:
        code, _sep, number = text.partition("=")
        if not number.strip().isdigit():
            raise click.BadParameter(_("Give a rater category and its registered raters as "
                                       "CODE=N, not {text}.").format(text=text))
        out[code.strip()] = int(number)
    return out


@performs("evaluation.prepare")
@forms.command("declare", help=_("Declare the evaluation's rating round: a graded contest per "
                                 "dimension, its units as ratees, the pack's rater categories "
                                 "with their weights."))
@click.argument("number", type=int)
@click.option("--registered", multiple=True, help=_("A rater category's registered raters: "
                                                    "CODE=N (repeat)."))
@click.option("--pack", default="rating-2008", show_default=True,
              help=_("The rating pack: rating-2008 (one overall grade) or "
                     "rating-2008-dimensions (a grade for each of 德、能、勤、绩、廉)."))
@pass_state
def forms_declare(state: State, number: int, registered: tuple[str, ...], pack: str) -> None:
    from civic.plugins.evaluation import actions

    key = actions.declare_rating(state.office_for("evaluation.prepare"), number,
                                 _registered(registered), pack)
    click.echo(_("Rating round {key} declared.").format(key=key))


@performs("evaluation.prepare")
@forms.command("figures", help=_("A rater category's raters present and forms issued and "
                                 "returned."))
@click.argument("number", type=int)
@click.argument("category")
@click.option("--present", type=click.IntRange(0), required=True)
@click.option("--issued", type=click.IntRange(0), required=True)
@click.option("--returned", type=click.IntRange(0), required=True)
@pass_state
def forms_figures(state: State, number: int, category: str, present: int, issued: int,
                  returned: int) -> None:
    from civic.plugins.evaluation import actions

    actions.rating_figures(state.office_for("evaluation.prepare"), number, category, present,
                           issued, returned)
    click.echo(_("Figures of {category} recorded.").format(category=category))


@performs("evaluation.prepare")
@forms.command("import", help=_("Import rating forms (a row per grade given; the format of "
                                "value ballots); a file with any bad row is refused whole."))
@click.argument("number", type=int)
@click.argument("file", type=click.Path(dir_okay=False))
@pass_state
def forms_import(state: State, number: int, file: str) -> None:
    from civic.plugins.evaluation import actions

    found = actions.import_forms(state.office_for("evaluation.prepare"), number, file)
    click.echo(_("{count} forms imported.").format(count=found.get("ballots", 0)))
    for f in found.get("invalid_forms", ()):
        click.echo(_("Form {form}, {dimension}: void ({reason}).").format(
            form=f["form"], dimension=f["dimension_name"], reason=f["reason"]))


@performs("evaluation.read")
@forms.command("results", help=_("Forms per grade and rates per ratee, weighted by rater "
                                 "category, with the pack's flags; a category with too few "
                                 "raters withholds the result."))
@click.argument("number", type=int)
@json_option
@pass_state
def forms_results(state: State, number: int, as_json: bool) -> None:
    from civic.plugins.evaluation import store

    def text(d: dict[str, Any]) -> str:
        named = dict(d.get("dimensions", ()))
        rows = [{"ratee": r["ratee"], "name": r["name"],
                 "dimension": named.get(r["dimension"], r["dimension"]),
                 "index": r.get("index") or "-",
                 "rates": "  ".join(f"{g} {v}%" for g, v in (r.get("rates") or {}).items()
                                    if v is not None),
                 "note": r["withheld"] or "; ".join(f["text"] for f in r.get("flags", ()))}
                for r in d["ratees"]]
        out = table(rows, [("ratee", _("Unit")), ("name", _("Name")),
                           ("dimension", _("Dimension")), ("index", _("Index")),
                           ("rates", _("Rates")), ("note", _("Flags"))])
        for f in d.get("invalid", ()):
            out += "\n" + _("{dimension}: {forms} forms void ({reason}), counted as forms"
                            " grading nobody.").format(dimension=f["dimension_name"],
                                                       forms=f["forms"], reason=f["reason"])
        return out

    emit(store.ratings(state.db(), number, state.pm), as_json, text)


@performs("evaluation.publish_notice", "evaluation.draft_notice", "evaluation.read")
@evaluation.command("notice", help=_("Draft the certified results' public notice (公示) and "
                                     "print it; --publish posts it with a supervisor's "
                                     "co-signature."))
@click.argument("number", type=int)
@click.option("--publish", is_flag=True)
@click.option("--on", "on", help=_("Day it was posted (default today)."))
@click.option("--lang", "lang", type=click.Choice(["zh_CN", "en"]))
@supervisor_option
@json_option
@pass_state
def notice_cmd(state: State, number: int, publish: bool, on: str | None, lang: str | None,
               supervisor: str | None, as_json: bool) -> None:
    import datetime as dt

    from civic import notices
    from civic.plugins.evaluation import notice

    if publish:  # who publishes and who co-signs, before anything is looked up
        office = state.office_for("evaluation.publish_notice")
        signer = state.cosigner(office, supervisor, "evaluation.publish_notice")
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise click.BadParameter(_("A date as YYYY-MM-DD, not {text}.").format(text=on),
                                     param_hint="--on") from None
        if notice.current(office.db, number) is None:
            notice.draft(office, number)
        notice.publish(office, number, signer, day)
    else:
        office = state.office()
        if notice.current(office.db, number) is None:
            office = state.office_for("evaluation.draft_notice")
            notice.draft(office, number)
    found = notice.current(office.db, number)
    assert found is not None  # drafted above if it was not
    emit(found.as_dict(), as_json, lambda _d: notices.render(office, found, lang=lang))
