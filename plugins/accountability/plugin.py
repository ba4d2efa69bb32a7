"""Hook implementations of the accountability plugin (问责, 督查督办)."""

from __future__ import annotations

from typing import Any

from civic import hookimpl


@hookimpl
def register_migrations() -> Any:
    from civic.plugins.accountability.migrations import migrations

    return migrations


@hookimpl
def register_event_types(register: Any) -> None:
    from civic.plugins.accountability.events import EVENTS

    for cls in EVENTS:
        register(cls)


@hookimpl
def register_actions(register: Any) -> None:
    from civic.actions import change, read
    from civic.i18n import N_
    from civic.plugins.accountability.rules import CONTENT_ACTION

    for action in (
        read("accountability.read", N_("list accountability cases and tasks")),
        # Who reads what a case is about: admins and supervisors unless the office says
        # otherwise (`civic permission set accountability.content ...`).
        read(CONTENT_ACTION, N_("read an accountability case's content"),
             roles={"admin", "supervisor"}),
        change("accountability.open", N_("open an accountability case")),
        change("accountability.step", N_("move an accountability case on")),
        change("accountability.decide", N_("decide an accountability case"), cosign=True),
        # The document says what the case is about: by default the admin only (the content's
        # readers who may change data); the office may give it to operators.
        change("accountability.document", N_("draft an accountability decision document"),
               roles={"admin"}),
        change("accountability.task", N_("set or report on a supervised task")),
        change("accountability.inspect", N_("record an inspection round's work")),
        change("accountability.propose_decide", N_("decide an inspection proposal"),
               cosign=True),
    ):
        register(action)


@hookimpl
def register_commands(cli: Any) -> None:
    from civic.cli.lazy import LazyCommand
    from civic.i18n import _

    cli.add_command(LazyCommand(
        "accountability", "civic.plugins.accountability.cli:accountability",
        help=_("Accountability (问责): cases, decisions, deadlines, supervised tasks, "
               "reports.")))


@hookimpl
def register_rule_settings(register: Any) -> None:
    """The case deadlines (appeal, answer) as office settings with their sources; the pack's
    days are the regulation's bound."""
    from civic.plugins.accountability.rules import deadline_settings

    for setting in deadline_settings():
        register(setting)


@hookimpl
def register_notice_kinds(register: Any) -> None:
    from pathlib import Path

    from civic.i18n import N_
    from civic.plugins.accountability.notice import KIND, TEMPLATE
    from civic.templating import NoticeKind

    register(NoticeKind(KIND, N_("Accountability decision (问责决定书)"), TEMPLATE,
                        folder=Path(__file__).parent / "templates"))


@hookimpl
def open_workflows(db: Any) -> list:
    from civic.plugins.accountability.workflows import open_workflows as found

    return found(db)


@hookimpl
def person_sections(db: Any, person: dict) -> list:
    """The person's cases by number and status; what they are about is the case's to show
    to those who may read it."""
    from civic.i18n import _
    from civic.plugins.accountability.rules import STEP_LABELS
    from civic.registry import Section

    rows = [(_("Case {number}").format(number=r[0]), f"{_(STEP_LABELS[r[1]])}  {r[2]}")
            for r in db.execute("SELECT id, status, opened_on FROM accountability_cases"
                                " WHERE person = ? ORDER BY id", (person["code"],))]
    # A capped grade shown with its case, not its reasons (the cap itself is a core
    # restriction fact, civic.facts.GRADE_CAP, which the evaluation reads).
    rows += [(_("Grade cap"), _("grade for {year} at most {cap}").format(year=year, cap=cap)
              + f"  ({_('Case {number}').format(number=case)})")
             for case, year, cap in grade_caps(db, person["code"])]
    return [Section(_("Accountability"), rows)] if rows else []


def grade_caps(db: Any, person: str) -> list[tuple[int, int | None, str | None]]:
    """(case, year, cap) of each decided case of `person` whose forms cap the year's grade,
    unless revoked on review."""
    import datetime as dt

    from civic.plugins.accountability import rules, store

    found = []
    for case_id, pack, decided in db.execute(
            "SELECT id, pack, decided_on FROM accountability_cases WHERE person = ? AND"
            " decided_on IS NOT NULL AND coalesce(outcome, '') != 'revoked' ORDER BY id",
            (person,)).fetchall():
        for effect in rules.effects(rules.load_pack(pack), store.forms_of(db, case_id),
                                    dt.date.fromisoformat(decided)):
            if effect.kind == "grade_cap":
                found.append((case_id, effect.year, effect.cap))
    return found


@hookimpl
def describe_fact_source(source_plugin: str, source_ref: str) -> str | None:
    """The facts a decision records are worded by their case: 第12号问责案件."""
    from civic.i18n import _

    if source_plugin != "accountability" or not source_ref.startswith("case-"):
        return None
    return _("accountability case No. {number}").format(number=source_ref.removeprefix("case-"))


@hookimpl
def register_demo_data(office: Any, rng: Any) -> None:
    from civic.plugins.accountability.demo import add_demo

    add_demo(office, rng)


@hookimpl
def register_modes(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import Mode

    def make(app: Any) -> Any:
        from civic.plugins.accountability.screens import AccountabilityScreen

        return AccountabilityScreen()

    # F11 is reserved for accountability by name (civic.tui.modes.RESERVED_KEYS).
    register(Mode("accountability", N_("Accountability"), "f11", make, order=140,
                  action="accountability.read"))


@hookimpl
def register_palette_commands(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import PaletteCommand

    register(PaletteCommand(N_("Accountability"),
                            N_("Accountability cases, deadlines and supervised tasks"),
                            lambda app: app.action_open_mode("accountability"),
                            action="accountability.read"))


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`accountability:case:N`, `accountability:inspection:N`, `accountability:task:N` and
    `accountability:cases` (an import of many)."""
    from civic.i18n import _
    from civic.subjects import lookup

    parts = subject.split(":")
    if parts[0] != "accountability":
        return None
    if parts[1:] == ["cases"]:
        return _("accountability cases")
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    kind, number = parts[1], int(parts[2])
    if kind == "case":
        row = lookup(db, "SELECT coalesce(p.name, u.name, '') FROM accountability_cases c "
                         "LEFT JOIN people p ON p.code = c.person "
                         "LEFT JOIN units u ON u.code = c.unit WHERE c.id = ?", number)
        case = _("accountability case No. {number}").format(number=number)
        return f"{case} ({row[0]})" if row and row[0] else case
    table = {"inspection": "accountability_inspections", "task": "accountability_tasks"}
    if kind in table:
        row = lookup(db, f"SELECT title FROM {table[kind]} WHERE id = ?", number)
        return row[0] if row else None
    return None
