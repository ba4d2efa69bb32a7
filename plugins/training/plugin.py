"""The training plugin's hook implementations (entry point `training`)."""

from __future__ import annotations

from typing import Any

from civic import hookimpl


@hookimpl
def register_migrations() -> Any:
    from civic.plugins.training.migrations import migrations

    return migrations


@hookimpl
def register_event_types(register: Any) -> None:
    from civic.plugins.training.events import EVENTS

    for cls in EVENTS:
        register(cls)


@hookimpl
def register_actions(register: Any) -> None:
    from civic.actions import change, read
    from civic.i18n import N_

    for action in (
        read("training.read", N_("read training records")),
        change("training.plan", N_("plan training programmes and sessions")),
        change("training.attend", N_("record attendance")),
        change("training.leave", N_("record leave from training")),
        change("training.report_delegation", N_("file a delegation's report")),
        change("training.assess", N_("record training compliance")),
        change("training.certify", N_("draft a certificate of training hours")),
    ):
        register(action)


@hookimpl
def register_commands(cli: Any) -> None:
    from civic.cli.lazy import LazyCommand
    from civic.i18n import _

    cli.add_command(LazyCommand("training", "civic.plugins.training.cli:build_group",
                                help=_("Cadre training (干部教育培训): programmes, attendance, "
                                       "hours against the requirement by rank.")))


@hookimpl
def register_rule_settings(register: Any) -> None:
    from civic.plugins.training.rules import BLOCK_SETTING, LEAVE_SETTING

    register(LEAVE_SETTING)
    register(BLOCK_SETTING)


@hookimpl
def register_notice_kinds(register: Any) -> None:
    from pathlib import Path

    from civic.i18n import N_
    from civic.plugins.training.notice import KIND, TEMPLATE
    from civic.templating import NoticeKind

    register(NoticeKind(KIND, N_("Certificate of training hours (培训学时证明)"), TEMPLATE,
                        folder=Path(__file__).parent / "templates"))


@hookimpl
def eligibility_problems_many(db: Any, pairs: list, on_date: Any) -> dict:
    from civic.plugins.training.workflows import promotion_problems

    return promotion_problems(db, pairs, on_date)


@hookimpl
def person_sections(db: Any, person: dict) -> list:
    from civic.plugins.training.workflows import person_section

    return person_section(db, person)


@hookimpl
def open_workflows(db: Any) -> list:
    from civic.plugins.training.workflows import open_workflows as found

    return found(db)


@hookimpl
def register_demo_data(office: Any, rng: Any) -> None:
    from civic.plugins.training.demo import add_demo

    add_demo(office, rng)


@hookimpl
def register_modes(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import RESERVED_KEYS, Mode

    def make(app: Any) -> Any:
        from civic.plugins.training.screens import TrainingScreen

        return TrainingScreen()

    register(Mode("training", N_("Training"), RESERVED_KEYS["training"], make, order=160,
                  action="training.read"))


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`training:N` (a programme), `training-session:N`, `training-assessment:DATE` and
    `training:certificate:PERSON:DATE` (a certificate's notice)."""
    from civic.i18n import _
    from civic.subjects import lookup

    kind, _sep, rest = subject.partition(":")
    if kind == "training" and rest.startswith("certificate:"):
        person, _sep, day = rest.removeprefix("certificate:").partition(":")
        row = lookup(db, "SELECT name FROM people WHERE code = ?", person)
        return _("training certificate of {name}, {date}").format(
            name=row[0] if row else person, date=day)
    if kind == "training" and rest.isdigit():
        row = lookup(db, "SELECT title FROM training_programmes WHERE id = ?", int(rest))
        return row[0] if row else None
    if kind == "training-session" and rest.isdigit():
        row = lookup(db, "SELECT p.title, s.title FROM training_sessions s JOIN "
                         "training_programmes p ON p.id = s.programme WHERE s.id = ?", int(rest))
        return f"{row[0]} {row[1]}" if row else None
    if kind == "training-assessment" and rest:
        return _("training assessment on {date}").format(date=rest)
    return None
