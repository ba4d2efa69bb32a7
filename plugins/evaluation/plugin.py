"""The evaluation plugin's hook implementations (entry point `evaluation`)."""

from __future__ import annotations

from typing import Any

from civic import hookimpl
from civic.i18n import N_, _
from civic.wiring import ModeSpec, StandardHooks


def _actions() -> tuple:
    from civic.actions import change, read

    return (read("evaluation.read", N_("read evaluations")),
            change("evaluation.framework", N_("import an evaluation framework")),
            change("evaluation.prepare", N_("create an evaluation and import its data")),
            change("evaluation.run", N_("score an evaluation")),
            change("evaluation.conclude", N_("record the committee's conclusion")),
            change("evaluation.certify", N_("certify an evaluation's grades"), cosign=True),
            change("evaluation.draft_notice", N_("draft an evaluation's public notice")),
            change("evaluation.publish_notice", N_("publish an evaluation's public notice"),
                   cosign=True))


StandardHooks(
    "evaluation", "civic.plugins.evaluation",
    help=N_("Evaluation scoring (考核评价): indicator frameworks, veto gates, grades with "
            "quotas, ranks and their sensitivity."),
    actions=_actions,
    # F10 is reserved for evaluation by name (civic.tui.modes.RESERVED_KEYS).
    mode=ModeSpec(N_("Evaluation"), "screens:EvaluationScreen", key="f10", order=150,
                  action="evaluation.read"),
    palette=[(N_("Evaluation"), N_("Evaluation frameworks, rankings, grades and quotas"))],
).install(globals())


@hookimpl
def register_notice_kinds(register: Any) -> None:
    from pathlib import Path  # here, not at import: a read command never loads pathlib

    from civic.templating import NoticeKind

    # Files grades.zh_CN.j2 and grades.en.j2 in templates/, reached as evaluation/grades.
    register(NoticeKind("evaluation.grades", N_("Evaluation results notice"),
                        "evaluation/grades", period_days=5,
                        folder=Path(__file__).parent / "templates"))


@hookimpl
def ballot_form_validity(db: Any, round_key: str) -> Any:
    """The rating pack's form rules (all ratees alike, too many top grades) for the rating round
    of an evaluation: core's count voids such a form's section and reports it by reason."""
    if not round_key.startswith("evaluation:"):
        return None
    from civic.plugins.evaluation import rules

    row = db.execute("SELECT pack FROM evaluation_ratings WHERE round_key = ?",
                     (round_key,)).fetchone()
    return None if row is None else rules.form_validity(rules.rating_pack(row[0]))


@hookimpl
def person_sections(db: Any, person: dict) -> list:
    """The grades of the leadership teams the person stands for in an evaluation, shown as the
    team's, beside (never as) the person's own grade facts."""
    from civic.plugins.evaluation import store
    from civic.registry import Section

    rows = [(_("{year} {team}").format(year=g["year"], team=g["name"] or g["unit"]),
             _("{grade} (the team's grade, not the person's own)").format(grade=g["grade"]))
            for g in store.person_team_grades(db, person["code"])]
    return [Section(_("Leadership team grades"), rows)] if rows else []


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`evaluation:N` (and `evaluation:N:rating`, its democratic rating's forms) and
    `evaluation-framework:N`."""
    from civic.subjects import lookup

    parts = subject.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    if parts[0] == "evaluation-framework" and len(parts) == 2:
        row = lookup(db, "SELECT name FROM evaluation_frameworks WHERE id = ?", int(parts[1]))
        return row[0] if row else None
    if parts[0] != "evaluation" or len(parts) > 3:
        return None
    row = lookup(db, "SELECT title FROM evaluation_evaluations WHERE id = ?", int(parts[1]))
    if row is None or len(parts) == 2:
        return row[0] if row else None
    return _("{title}, democratic rating").format(title=row[0]) \
        if parts[2] == "rating" else None
