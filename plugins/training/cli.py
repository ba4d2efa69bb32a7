"""`civic training ...`: programme new|list|show, session add, attendance import, leave,
delegation new|list|report, hours, compliance, assess, report. Reads take `--json`; changes
log an operator in."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import click

from civic.actions import performs
from civic.cli.context import (
    DATE,
    State,
    dry_run_option,
    emit,
    json_option,
    pass_state,
    run_import,
    table,
)
from civic.i18n import _


class _Hours(click.types.FloatParamType):
    """Hours as an exact Fraction (a half-hour is 1/2, never 0.4999...)."""

    name = "hours"

    # A float type to click and its tools (the role walk gives it a number); exact here.
    def convert(self, value: Any, param: Any, ctx: Any) -> Fraction:  # type: ignore[override]
        try:
            return Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            self.fail(_("{text} is not a number of hours.").format(text=value), param, ctx)


HOURS = _Hours()


def _on(state: State, on: dt.date | None) -> dt.date:
    return on or state.office().today()


def _on_option(f):
    return click.option("--on", "on", type=DATE, help=_("Reference day (default: today)."))(f)


def build_group() -> click.Group:  # noqa: C901 - one command per nested function
    from civic.plugins.training import actions, rules, store

    @click.group("training", help=_("Cadre training (干部教育培训): programmes, attendance, "
                                    "hours against the requirement by rank."))
    def training() -> None:
        pass

    @training.group("programme", help=_("Training programmes."))
    def programme() -> None:
        pass

    @performs("training.plan")
    @programme.command("new", help=_("Create a training programme."))
    @click.argument("title")
    @click.option("--category", type=click.Choice(list(rules.CATEGORIES)), required=True,
                  help=_("Category of training."))
    @click.option("--starts", type=DATE, required=True, help=_("First day."))
    @click.option("--ends", type=DATE, required=True, help=_("Last day."))
    @click.option("--organiser", default="", help=_("Who runs it (a Party school, a unit)."))
    @pass_state
    def programme_new(state: State, title: str, category: str, starts: dt.date, ends: dt.date,
                      organiser: str) -> None:
        office = state.office_for("training.plan")
        number = actions.create_programme(office, title, category, starts, ends, organiser)
        click.echo(_("Programme {number} created.").format(number=number))

    @performs("training.read")
    @programme.command("list", help=_("List the training programmes."))
    @json_option
    @pass_state
    def programme_list(state: State, as_json: bool) -> None:
        rows = store.programmes(state.db())
        emit(rows, as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("title", _("Title")), ("category", _("Category")),
            ("starts", _("From")), ("ends", _("To")), ("sessions", _("Sessions")),
            ("person_times", _("Person-times"))]))

    @performs("training.read")
    @programme.command("show", help=_("A programme's sessions, attendance and withdrawals."))
    @click.argument("number", type=int)
    @json_option
    @pass_state
    def programme_show(state: State, number: int, as_json: bool) -> None:
        data = store.programme_report(state.db(), number)

        def text(d: dict) -> str:
            head = _("{title} ({starts} to {ends}): {hours} hours, {enrolled} enrolled, "
                     "{times} person-times, attendance rate {rate}").format(
                title=d["title"], starts=d["starts"], ends=d["ends"], hours=d["hours"],
                enrolled=d["enrolled"], times=d["person_times"], rate=d["attendance_rate"])
            lines = [head, table(d["sessions"], [("id", _("No.")), ("day", _("Day")),
                                                 ("half_days", _("Half-days")),
                                                 ("hours", _("Hours")),
                                                 ("present", _("Present"))])]
            if d["withdrawn"]:
                lines.append(_("Withdrawn (leave over the limit): {people}").format(
                    people=", ".join(d["withdrawn"])))
            return "\n".join(lines)

        emit(data, as_json, text)

    @training.group("session", help=_("Sessions of a programme."))
    def session() -> None:
        pass

    @performs("training.plan")
    @session.command("add", help=_("Add a session: a half-day, a day or a block of days."))
    @click.argument("programme", type=int)
    @click.option("--day", type=DATE, required=True, help=_("Day of the session."))
    @click.option("--half-days", type=click.IntRange(1), default=1, show_default=True,
                  help=_("Length in half-days (2: a day)."))
    @click.option("--hours", type=HOURS, required=True, help=_("Hours credited."))
    @click.option("--title", default="", help=_("What is studied."))
    @pass_state
    def session_add(state: State, programme: int, day: dt.date, half_days: int,
                    hours: Fraction, title: str) -> None:
        office = state.office_for("training.plan")
        number = actions.add_session(office, programme, day, half_days, hours, title)
        click.echo(_("Session {number} added.").format(number=number))

    @training.group("attendance", help=_("Who came."))
    def attendance() -> None:
        pass

    @performs("training.attend")
    @attendance.command("import", help=_("Import a sign-in sheet (CSV or XLSX) for a session; "
                                         "a sheet with any bad row is refused whole."))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--session", type=int, help=_("The session (else the sheet's session "
                                                "column)."))
    @dry_run_option
    @json_option
    @pass_state
    def attendance_import(state: State, file: str, session: int | None, dry_run: bool,
                          as_json: bool) -> None:
        run_import(state.office_for("training.attend"),
                   lambda o: {"signed_in": actions.import_attendance(o, file, session)},
                   file=file, dry_run=dry_run, as_json=as_json,
                   text=lambda r: _("{count} signed in.").format(count=r["signed_in"]))

    @performs("training.leave")
    @training.command("leave", help=_("Record leave from a programme (over 1/7 of its hours "
                                      "withdraws the person)."))
    @click.argument("programme", type=int)
    @click.argument("person")
    @click.option("--hours", type=HOURS, required=True, help=_("Hours of leave."))
    @click.option("--reason", required=True, help=_("Why, as the leave slip says."))
    @pass_state
    def leave(state: State, programme: int, person: str, hours: Fraction, reason: str) -> None:
        office = state.office_for("training.leave")
        if actions.record_leave(office, programme, person, hours, reason):
            click.echo(_("Leave recorded; {person} is withdrawn from the programme.").format(
                person=person))
        else:
            click.echo(_("Leave recorded."))

    @training.group("delegation", help=_("Study delegations (考察学习)."))
    def delegation() -> None:
        pass

    @performs("training.plan")
    @delegation.command("new", help=_("Record a study delegation."))
    @click.argument("title")
    @click.option("--destination", required=True, help=_("Where it goes."))
    @click.option("--host", required=True, help=_("Who receives it."))
    @click.option("--theme", required=True, help=_("What it studies."))
    @click.option("--starts", type=DATE, required=True, help=_("First day."))
    @click.option("--ends", type=DATE, required=True, help=_("Last day."))
    @click.option("--report-due", type=DATE, help=_("Day the report is due (default: 30 "
                                                    "days after the return)."))
    @pass_state
    def delegation_new(state: State, title: str, destination: str, host: str, theme: str,
                       starts: dt.date, ends: dt.date, report_due: dt.date | None) -> None:
        office = state.office_for("training.plan")
        number = actions.create_delegation(office, title, destination, host, theme, starts,
                                           ends, report_due)
        click.echo(_("Programme {number} created.").format(number=number))

    @performs("training.read")
    @delegation.command("list", help=_("List the study delegations."))
    @json_option
    @pass_state
    def delegation_list(state: State, as_json: bool) -> None:
        rows = store.report(state.db())["delegations"]
        emit(rows, as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("destination", _("Destination")), ("starts", _("From")),
            ("ends", _("To")), ("participants", _("Participants")),
            ("report_due", _("Report due")), ("reported_on", _("Reported"))]))

    @performs("training.report_delegation")
    @delegation.command("report", help=_("File a delegation's report."))
    @click.argument("programme", type=int)
    @click.option("--on", "on", type=DATE, required=True, help=_("Day it was filed."))
    @click.option("--text", required=True, help=_("The report, or its summary."))
    @pass_state
    def delegation_report(state: State, programme: int, on: dt.date, text: str) -> None:
        office = state.office_for("training.report_delegation")
        actions.file_delegation_report(office, programme, on, text)
        click.echo(_("Report filed."))

    @performs("training.read")
    @training.command("hours", help=_("A person's hours by category against the requirement."))
    @click.argument("person")
    @_on_option
    @json_option
    @pass_state
    def hours(state: State, person: str, on: dt.date | None, as_json: bool) -> None:
        data = store.person_hours(state.db(), person, _on(state, on))

        def text(d: dict) -> str:
            if d["status"] is None:
                return _("{name}: no requirement for this rank.").format(name=d["name"])
            lines = [_("{name} ({person}), {window0} to {window1}: {hours} hours, {days} days; "
                       "required {rh} hours or {rd} days ({source}): {status}").format(
                name=d["name"], person=d["person"], window0=d["window"][0],
                window1=d["window"][1], hours=d["hours"], days=d["days"],
                rh=d["required_hours"] or "-", rd=d["required_days"] or "-",
                source=d["source"], status=d["status"])]
            if d["due"]:
                lines.append(_("Short by {hours} hours / {days} days; due {due}.").format(
                    hours=d["short_hours"] or "-", days=d["short_days"] or "-", due=d["due"]))
            cats = [{**c, "category": _(rules.CATEGORIES[c["category"]])}
                    for c in d["categories"]]
            lines.append(table(cats, [("category", _("Category")),
                                                 ("hours", _("Hours")),
                                                 ("credited", _("Credited")),
                                                 ("cap", _("Cap"))]))
            return "\n".join(lines)

        emit(data, as_json, text)

    @performs("training.certify")
    @training.command("certificate", help=_("A person's certificate of training hours (培训学时"
                                            "证明): printed, or written to -o FILE (.docx for "
                                            "Word/WPS)."))
    @click.argument("person")
    @_on_option
    @click.option("--lang", type=click.Choice(["zh_CN", "en"]), help=_("Language of the text."))
    @click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                  help=_("Write to this file (.docx: an official document) instead of "
                         "printing."))
    @pass_state
    def certificate(state: State, person: str, on: dt.date | None, lang: str | None,
                    output: str | None) -> None:
        from civic.plugins.training import notice

        office = state.office_for("training.certify")
        drafted = notice.draft_certificate(office, person, _on(state, on))
        # Printed or written exactly as `civic notice render` does it (DOCX included).
        from civic.cli.notice_cmds import render

        click.get_current_context().invoke(
            render, notice_id=drafted.id, lang=lang, templates=None, archive=False,
            output=output, fmt="docx" if output and output.lower().endswith(".docx") else None)

    @performs("training.read")
    @training.command("compliance", help=_("Who meets the requirement; with --month, the "
                                           "monthly training-day rule."))
    @click.option("--unit", help=_("Only this unit."))
    @click.option("--month", help=_("A month, YYYY-MM: the training-day rule."))
    @click.option("--short", "short_only", is_flag=True, help=_("Only those short."))
    @click.option("--out", type=click.Path(dir_okay=False),
                  help=_("Also write the table to this file (.xlsx or .csv)."))
    @_on_option
    @json_option
    @pass_state
    def compliance(state: State, unit: str | None, month: str | None, short_only: bool,
                   out: str | None, on: dt.date | None, as_json: bool) -> None:
        db = state.db()
        if month:
            rows = store.month_compliance(db, month, unit)
            if short_only:
                rows = [r for r in rows if not r["met"]]
            columns = store.month_columns()
        else:
            rows = store.compliance(db, _on(state, on), unit)
            if short_only:
                rows = [r for r in rows if r["status"] == "short"]
            columns = [("person", _("Code")), ("name", _("Name")), ("unit", _("Unit")),
                       ("hours", _("Hours")), ("days", _("Days")), ("status", _("Status")),
                       ("due", _("Due")), ("catch_up", _("Catch-up"))]
        # Read by people (the table, the file): each standing in words; --json keeps codes.
        worded = [{**r, "status": _(rules.STATUS_WORDS[r["status"]])} if "status" in r else r
                  for r in rows]
        if out:
            from civic.tabular import write_table

            write_table(out, [label for _key, label in columns],
                        ([r.get(key) for key, _label in columns] for r in worded))
        emit(rows, as_json, lambda _rs: table(worded, columns))

    @performs("training.assess")
    @training.command("assess", help=_("Record each person's compliance as a training-status "
                                       "fact on their record."))
    @_on_option
    @pass_state
    def assess(state: State, on: dt.date | None) -> None:
        office = state.office_for("training.assess")
        got = actions.assess(office, _on(state, on))
        click.echo(_("{met} met, {short} short; {changed} records changed ({pack}).").format(
            **got))

    @performs("training.read")
    @training.command("report", help=_("Sessions, person-times, training days and delegations, "
                                       "counted from the records."))
    @click.option("--from", "start", type=DATE, help=_("First day."))
    @click.option("--to", "end", type=DATE, help=_("Last day."))
    @json_option
    @pass_state
    def report(state: State, start: dt.date | None, end: dt.date | None, as_json: bool) -> None:
        data = store.report(state.db(), start.isoformat() if start else "0000-01-01",
                            end.isoformat() if end else "9999-12-31")

        def text(d: dict) -> str:
            lines = [_("Training days: {sessions} sessions, {times} person-times.").format(
                sessions=d["training_days"]["sessions"],
                times=d["training_days"]["person_times"])]
            lines.append(table([{"category": _(rules.CATEGORIES[c]), **v}
                                for c, v in d["categories"].items()],
                               [("category", _("Category")), ("sessions", _("Sessions")),
                                ("person_times", _("Person-times"))]))
            lines.append(table(d["delegations"], [
                ("destination", _("Destination")), ("starts", _("From")),
                ("participants", _("Participants"))]))
            return "\n".join(lines)

        emit(data, as_json, text)

    return training
