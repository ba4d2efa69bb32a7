"""`civic accountability ...`: case new|import|list|show|investigate|decide|serve|appeal|
review|close, task new|list|progress|close|propose, report. Reads take `--json`; changes log
an operator in; a decision is co-signed by a supervisor."""

from __future__ import annotations

import datetime as dt

import click

from civic.actions import performs
from civic.cli.context import (
    State,
    dry_run_option,
    emit,
    json_option,
    pass_state,
    run_import,
    supervisor_option,
    table,
)
from civic.errors import CivicError
from civic.i18n import _


def _date(value: str | None, default: dt.date | None = None) -> dt.date:
    from civic.dates import parse_date

    if value is None:
        if default is None:
            raise CivicError(_("A date is needed."))
        return default
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CivicError(str(exc)) from exc


on_option = click.option("--on", "on", required=True, help=_("Day of the step (YYYY-MM-DD)."))
case_argument = click.argument("case_id", metavar="CASE", type=int)


@click.group(help=_("Accountability (问责): cases, decisions, deadlines, supervised tasks, "
                    "reports."))
def accountability() -> None:
    pass


@accountability.group(help=_("Accountability cases: open, investigate, decide, serve, "
                             "appeal, review, close."))
def case() -> None:
    pass


@performs("accountability.open")
@case.command("new", help=_("Open a case (立案) against a person or a team."))
@click.option("--person", help=_("The person's code."))
@click.option("--team", help=_("The team (领导班子), when the case is against one."))
@click.option("--unit", help=_("The unit (default: the person's)."))
@click.option("--trigger", required=True, help=_("The trigger's code in the pack."))
@click.option("--source", required=True, help=_("inspection, task, complaint, audit or media."))
@click.option("--summary", required=True, help=_("What happened, in a sentence."))
@on_option
@pass_state
def case_new(state: State, person, team, unit, trigger, source, summary, on) -> None:
    from civic.plugins.accountability import actions

    office = state.office_for("accountability.open")
    number = actions.open_case(office, person=person, team=team, unit=unit, trigger=trigger,
                               source=source, summary=summary, opened_on=_date(on))
    click.echo(_("Case {number} opened.").format(number=number))


@performs("accountability.open")
@case.command("import", help=_("Open every case of a CSV or XLSX file, all or none."))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@dry_run_option
@json_option
@pass_state
def case_import(state: State, path: str, dry_run: bool, as_json: bool) -> None:
    from civic.plugins.accountability import actions

    run_import(state.office_for("accountability.open"),
               lambda o: {"cases": actions.import_cases(o, path)}, file=path,
               dry_run=dry_run, as_json=as_json,
               text=lambda r: _("{count} cases opened.").format(count=r["cases"]))


@performs("accountability.read")
@case.command("list", help=_("The case register: who, where, status and dates."))
@click.option("--status", help=_("Only cases with this status."))
@click.option("--person", help=_("Only this person's cases."))
@json_option
@pass_state
def case_list(state: State, status, person, as_json: bool) -> None:
    from civic.plugins.accountability import store

    rows = store.list_cases(state.db(), status=status, person=person)
    # A case has no escalation level (a task has): the text shows the unit by its name.
    emit(rows, as_json, lambda rs: table([{**r, "unit": r["unit_name"] or r["unit"]}
                                          for r in rs], [
        ("id", _("Case")), ("person", _("Person")), ("name", _("Name")), ("team", _("Team")),
        ("unit", _("Unit")), ("status", _("Status")), ("opened_on", _("Opened")),
        ("decided_on", _("Decided"))]))


@performs("accountability.read")
@case.command("show", help=_("One case, with its deadlines and restrictions; its content "
                             "only to the roles the office allows, and every such read is "
                             "audited."))
@case_argument
@json_option
@pass_state
def case_show(state: State, case_id: int, as_json: bool) -> None:
    from civic.actions import declared, roles_for
    from civic.plugins.accountability import actions, rules, store

    office = state.office_for("accountability.read")
    store.get_case(office.db, case_id)  # a missing case says so before anything is read
    roles = roles_for(office.db, declared(state.pm)[rules.CONTENT_ACTION])
    view = actions.read_case(office, case_id, office.actor.role, roles)
    emit(view, as_json, store.case_text)


@performs("accountability.document")
@case.command("document", help=_("The decision document (问责决定书) of a decided case, with "
                                 "its forms, factors, effects and the appeal right: printed, "
                                 "or written to -o FILE (.docx for Word/WPS)."))
@case_argument
@click.option("--lang", type=click.Choice(["zh_CN", "en"]), help=_("Language of the text."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help=_("Write to this file (.docx: an official document) instead of printing."))
@pass_state
def case_document(state: State, case_id: int, lang: str | None, output: str | None) -> None:
    from civic.actions import declared, roles_for
    from civic.plugins.accountability import notice, rules, store

    office = state.office_for("accountability.document")
    store.get_case(office.db, case_id)
    roles = roles_for(office.db, declared(state.pm)[rules.CONTENT_ACTION])
    drafted = notice.draft_decision(office, case_id, office.actor.role, roles)
    # Printed or written exactly as `civic notice render` does it (DOCX included).
    from civic.cli.notice_cmds import render

    click.get_current_context().invoke(
        render, notice_id=drafted.id, lang=lang, templates=None, archive=False, output=output,
        fmt="docx" if output and output.lower().endswith(".docx") else None)


def _step_command(name: str, step: str, help_text: str, outcome: bool = False):
    @performs("accountability.step")
    @case.command(name, help=help_text)
    @case_argument
    @on_option
    @pass_state
    def command(state: State, case_id: int, on: str, outcome: str | None = None) -> None:
        from civic.plugins.accountability import actions

        office = state.office_for("accountability.step")
        actions.step(office, case_id, step, _date(on), outcome=outcome)
        click.echo(_("Case {number}: {step}.").format(number=case_id, step=step))

    if outcome:
        command = click.option("--outcome", required=True,
                               type=click.Choice(["upheld", "revoked"]),
                               help=_("Whether the review upholds or revokes the decision."))(
                                   command)
    return command


_step_command("investigate", "investigated", _("Record the investigation as done."))
_step_command("serve", "served", _("Record the day the decision was received: the appeal "
                                   "period runs from it."))
_step_command("appeal", "appealed", _("Record an appeal (within its deadline); execution is "
                                      "not suspended."))
_step_command("review", "reviewed", _("Record the answer to the appeal."), outcome=True)
_step_command("close", "closed", _("Close the case."))


@performs("accountability.decide")
@case.command("decide", help=_("Decide a case: its forms and factors, co-signed by a "
                               "supervisor; restrictions go on the person's record."))
@case_argument
@on_option
@click.option("--form", "forms", multiple=True, required=True,
              help=_("A form's code in the pack (repeat for several)."))
@click.option("--aggravating", multiple=True, help=_("An aggravating factor."))
@click.option("--mitigating", multiple=True, help=_("A mitigating factor."))
@click.option("--exempting", multiple=True, help=_("An exempting factor."))
@supervisor_option
@pass_state
def case_decide(state: State, case_id: int, on: str, forms, aggravating, mitigating,
                exempting, supervisor) -> None:
    from civic.plugins.accountability import actions

    office = state.office_for("accountability.decide")
    signer = state.cosigner(office, supervisor, "accountability.decide")
    factors = ([("aggravating", t) for t in aggravating] + [("mitigating", t) for t in mitigating]
               + [("exempting", t) for t in exempting])
    found = actions.decide(office, case_id, _date(on), list(forms), factors, signer)
    click.echo(_("Case {number} decided; {count} restrictions recorded.").format(
        number=case_id, count=len(found)))


@accountability.group(help=_("Supervised tasks (督查督办): deadlines, progress, escalation."))
def task() -> None:
    pass


@performs("accountability.task")
@task.command("new", help=_("Set a supervised task with its deadline."))
@click.option("--title", required=True)
@click.option("--unit", required=True, help=_("The owner unit's code."))
@click.option("--owner", help=_("The person responsible."))
@click.option("--type", "type_", type=click.Choice(["regular", "urgent", "key", "follow_up"]),
              default="regular", show_default=True)
@click.option("--deadline", required=True)
@on_option
@pass_state
def task_new(state: State, title, unit, owner, type_, deadline, on) -> None:
    from civic.plugins.accountability import actions

    number = actions.new_task(state.office_for("accountability.task"), title=title, unit=unit,
                              owner=owner, type=type_, deadline=_date(deadline),
                              created_on=_date(on))
    click.echo(_("Task {number} set.").format(number=number))


@performs("accountability.read")
@task.command("list", help=_("Tasks by urgency: days overdue and level of escalation."))
@click.option("--on", "on", help=_("The day to count from (default today)."))
@click.option("--open", "open_only", is_flag=True, help=_("Only open tasks."))
@json_option
@pass_state
def task_list(state: State, on, open_only: bool, as_json: bool) -> None:
    from civic.plugins.accountability import store

    rows = store.list_tasks(state.db(), _date(on, dt.date.today()), open_only=open_only)
    from civic.plugins.accountability.rules import level_text

    emit(rows, as_json, lambda rs: table([{**r, "unit": r["unit_name"] or r["unit"],
                                           "level": level_text(r["level"])} for r in rs], [
        ("id", _("Task")), ("title", _("Title")), ("unit", _("Unit")), ("owner", _("Owner")),
        ("type", _("Type")), ("deadline", _("Deadline")), ("status", _("Status")),
        ("days_overdue", _("Days overdue")), ("level", _("Level"))]))


def _task_log_command(name: str, kind: str, help_text: str):
    @performs("accountability.task")
    @task.command(name, help=help_text)
    @click.argument("task_id", metavar="TASK", type=int)
    @on_option
    @click.option("--text", required=True, help=_("What was done."))
    @pass_state
    def command(state: State, task_id: int, on: str, text: str) -> None:
        from civic.plugins.accountability import actions

        actions.log_task(state.office_for("accountability.task"), task_id, kind, _date(on), text)
        click.echo(_("Task {number}: {kind}.").format(number=task_id, kind=kind))

    return command


_task_log_command("progress", "progress", _("Report progress on a task."))
_task_log_command("close", "closed", _("Close a task as done."))


@performs("accountability.open")
@task.command("propose", help=_("Open a case from an overdue task (the operator confirms by "
                                "running this)."))
@click.argument("task_id", metavar="TASK", type=int)
@on_option
@pass_state
def task_propose(state: State, task_id: int, on: str) -> None:
    from civic.plugins.accountability import actions

    number = actions.propose_case(state.office_for("accountability.open"), task_id, _date(on))
    click.echo(_("Case {number} opened from task {task}.").format(number=number, task=task_id))


@performs("accountability.read")
@accountability.command("report", help=_("Cases by heading, trigger, form, unit and month; "
                                         "overdue tasks by unit."))
@click.option("--from", "start", required=True, help=_("First day (YYYY-MM-DD)."))
@click.option("--to", "end", required=True, help=_("Last day (YYYY-MM-DD)."))
@click.option("--on", "on", help=_("The day tasks are counted overdue on (default today)."))
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help=_("Also write the report to this XLSX or CSV file."))
@json_option
@pass_state
def report(state: State, start: str, end: str, on, out, as_json: bool) -> None:
    from civic.plugins.accountability import store

    data = store.report(state.db(), _date(start), _date(end), _date(on, dt.date.today()))
    if out:
        from civic.tabular import write_table

        write_table(out, [_("Table"), _("Key"), _("Name"), _("Count")], store.report_rows(data))

    def text(d: dict) -> str:
        lines = [_("Cases opened {start} to {end}: {total}").format(
            start=d["from"], end=d["to"], total=d["total"])]
        lines += [f"  {h['name']}: {h['cases']}" for h in d["by_heading"]]
        lines.append(_("By form:"))
        lines += [f"  {f['name']}: {f['cases']}" for f in d["by_form"]]
        lines.append(_("Overdue tasks by unit:"))
        lines += [f"  {u}: {n}" for u, n in d["overdue_tasks_by_unit"].items()]
        return "\n".join(lines)

    emit(data, as_json, text)


@accountability.group(help=_("Inspection rounds (巡察): target units, work done, findings, "
                             "rectification, proposals."))
def inspection() -> None:
    pass


@performs("accountability.inspect")
@inspection.command("new", help=_("Open an inspection round (daily or special)."))
@click.option("--kind", type=click.Choice(["daily", "special"]), required=True)
@click.option("--title", required=True)
@click.option("--team", required=True, help=_("The inspection team, as named."))
@click.option("--unit", "units", multiple=True, required=True,
              help=_("A target unit's code (repeat)."))
@click.option("--from", "start", required=True, help=_("First day of the window."))
@click.option("--to", "end", required=True, help=_("Last day of the window."))
@pass_state
def inspection_new(state: State, kind, title, team, units, start, end) -> None:
    from civic.plugins.accountability import actions

    number = actions.new_inspection(state.office_for("accountability.inspect"), kind=kind,
                                    title=title, team=team, units=list(units),
                                    starts_on=_date(start), ends_on=_date(end))
    click.echo(_("Inspection round {number} opened.").format(number=number))


@performs("accountability.inspect")
@inspection.command("work", help=_("Add the work done: talks, questionnaires, documents "
                                   "reviewed, spot checks."))
@click.argument("number", type=int)
@click.option("--talks", type=int, default=0)
@click.option("--questionnaires", type=int, default=0)
@click.option("--documents", type=int, default=0)
@click.option("--spot-checks", "spot_checks", type=int, default=0)
@pass_state
def inspection_work(state: State, number: int, talks, questionnaires, documents,
                    spot_checks) -> None:
    from civic.plugins.accountability import actions

    actions.record_work(state.office_for("accountability.inspect"), number, {
        "talks": talks, "questionnaires": questionnaires, "documents": documents,
        "spot_checks": spot_checks})
    click.echo(_("Work recorded for round {number}.").format(number=number))


@performs("accountability.inspect")
@inspection.command("finding", help=_("Record a finding on a target unit."))
@click.argument("number", type=int)
@click.option("--unit", required=True)
@click.option("--text", required=True)
@on_option
@pass_state
def inspection_finding(state: State, number: int, unit: str, text: str, on: str) -> None:
    from civic.plugins.accountability import actions

    item = actions.add_finding(state.office_for("accountability.inspect"), number, unit, text,
                               _date(on))
    click.echo(_("Finding {number} recorded.").format(number=item))


@performs("accountability.inspect")
@inspection.command("rectify", help=_("Set a rectification item on a finding, with its due "
                                      "date; --done ITEM marks one done."))
@click.option("--finding", type=int, help=_("The finding to set an item on."))
@click.option("--text", help=_("What is to be put right."))
@click.option("--due", help=_("Due date of the item."))
@click.option("--done", "done", type=int, help=_("The item done (with --on)."))
@click.option("--on", "on", help=_("Day the item was done."))
@pass_state
def inspection_rectify(state: State, finding, text, due, done, on) -> None:
    from civic.plugins.accountability import actions

    office = state.office_for("accountability.inspect")
    if done is not None:
        actions.rectified(office, done, _date(on))
        click.echo(_("Rectification item {number} done.").format(number=done))
        return
    if finding is None or not text:
        raise CivicError(_("Name the finding (--finding) and the item (--text, --due)."))
    item = actions.add_rectification(office, finding, text, _date(due))
    click.echo(_("Rectification item {number} set.").format(number=item))


@performs("accountability.inspect")
@inspection.command("propose", help=_("Propose an outcome for a person: reserve, transfer, "
                                      "demote or remove (takes effect only when decided)."))
@click.argument("number", type=int)
@click.option("--person", required=True)
@click.option("--kind", type=click.Choice(["reserve", "transfer", "demote", "remove"]),
              required=True)
@click.option("--position", help=_("The post (for a reserve entry, a transfer, a demotion)."))
@click.option("--reason", required=True)
@pass_state
def inspection_propose(state: State, number: int, person, kind, position, reason) -> None:
    from civic.plugins.accountability import actions

    item = actions.propose(state.office_for("accountability.inspect"), number, person, kind,
                           position, reason)
    click.echo(_("Proposal {number} recorded.").format(number=item))


@performs("accountability.propose_decide")
@inspection.command("decide", help=_("Decide a proposal, co-signed: it is recorded as a "
                                     "reserve entry or an appointment change."))
@click.argument("proposal", type=int)
@on_option
@supervisor_option
@pass_state
def inspection_decide(state: State, proposal: int, on: str, supervisor) -> None:
    from civic.plugins.accountability import actions

    office = state.office_for("accountability.propose_decide")
    signer = state.cosigner(office, supervisor, "accountability.propose_decide")
    actions.decide_proposal(office, proposal, _date(on), signer)
    click.echo(_("Proposal {number} decided.").format(number=proposal))


@performs("accountability.inspect")
@inspection.command("close", help=_("Close a round once every rectification item is done."))
@click.argument("number", type=int)
@on_option
@pass_state
def inspection_close(state: State, number: int, on: str) -> None:
    from civic.plugins.accountability import actions

    actions.close_inspection(state.office_for("accountability.inspect"), number, _date(on))
    click.echo(_("Inspection round {number} closed.").format(number=number))


@performs("accountability.read")
@inspection.command("list", help=_("Inspection rounds with their rectification progress."))
@json_option
@pass_state
def inspection_list(state: State, as_json: bool) -> None:
    from civic.plugins.accountability import store

    rows = store.list_inspections(state.db())
    emit(rows, as_json, lambda rs: "\n".join(
        f"{r['id']}  {r['kind']}  {r['title']}  {r['starts_on']}..{r['ends_on']}  "
        f"{r['status']}  {r['progress']['done']}/{r['progress']['items']}" for r in rs))


@performs("accountability.read")
@inspection.command("show", help=_("One round: units, work, findings, rectification items, "
                                   "proposals."))
@click.argument("number", type=int)
@json_option
@pass_state
def inspection_show(state: State, number: int, as_json: bool) -> None:
    from civic.plugins.accountability import store

    view = store.inspection_view(state.db(), number)

    def text(v: dict) -> str:
        lines = [f"{v['id']}  {v['kind']}  {v['title']}  ({v['team']})  {v['status']}",
                 "  " + ", ".join(v["units"]),
                 "  " + ", ".join(f"{k}: {v[k]}" for k in
                                  ("talks", "questionnaires", "documents", "spot_checks"))]
        for f in v["findings"]:
            lines.append(f"  [{f['id']}] {f['unit']}: {f['text']}")
            lines += [f"      ({r['id']}) {r['text']}  {r['due']}  {r['done_on'] or ''}"
                      for r in f["rectifications"]]
        lines += [f"  {p['id']}. {p['person']} {p['kind']} {p['position'] or ''}  "
                  f"{p['status']}" for p in v["proposals"]]
        return "\n".join(lines)

    emit(view, as_json, text)
