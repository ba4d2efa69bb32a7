"""`civic notice ...`: public notices (公示) from draft to confirmation, and the office settings
printed on them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import click

from civic.actions import performs
from civic.cli.context import State, emit, json_option, pass_state, supervisor_option, table
from civic.errors import CivicError
from civic.i18n import _


class DateType(click.ParamType):
    """A full date as offices write it (2008-09-26, 2008/9/26, 2008年9月26日)."""

    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        from civic.dates import parse_date

        if isinstance(value, dt.date):
            return value
        # parse_date also takes month-only dates; a notice date needs its day.
        if not re.search(r"\d{4}\D+\d{1,2}\D+\d{1,2}|^\d{8}$", value.strip()):
            self.fail(_("not a full date (YYYY-MM-DD): {text}").format(text=value), param, ctx)
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()
format_option = click.option("--format", "fmt", type=click.Choice(["md", "txt", "html"]),
                             help=_("Output format (default: the notice's own)."))
lang_option = click.option("--lang", "lang", type=click.Choice(["zh_CN", "en"]),
                           help=_("Language of the notice text (default: the notice's own)."))
templates_option = click.option("--templates", "templates", type=click.Path(file_okay=False),
                                help=_("Template override folder (else $CIVIC_TEMPLATES)."))


@click.group(help=_("Public notices (公示): draft, publish, objections, confirm."))
def notice() -> None:
    pass


@performs("notice.read")
@notice.command("list", help=_("List notices, with working days left and open objections."))
@click.option("--status", type=click.Choice(["draft", "published", "confirmed"]))
@click.option("--subject", help=_("Only notices about this subject."))
@json_option
@pass_state
def list_cmd(state: State, status: str | None, subject: str | None, as_json: bool) -> None:
    from civic import notices

    office = state.office()
    today = office.today()
    rows = []
    for n in notices.list_notices(office.db, status=status, subject=subject):
        rows.append({**_summary(n), "days_left": notices.days_left(n, today),
                     "objections_open": len(notices.objections(office.db, n.id,
                                                                open_only=True))})
    from civic.subjects import describer
    from civic.vocabulary import label

    # JSON keeps the codes; the table says them in the operator's language.
    word = describer(office.db, state.pm)
    emit(rows, as_json, lambda rs: table([{**r, "status": _(r["status"]), "kind": label(r["kind"]),
                                           "subject": word(r["subject"])}
                                          for r in rs], [
        ("id", "#"), ("status", _("Status")), ("kind", _("Kind")), ("subject", _("Related matter")),
        ("title", _("Title")), ("published_on", _("Published")), ("ends_on", _("Ends")),
        ("days_left", _("Days left")), ("objections_open", _("Open objections"))]))


def _summary(n: Any) -> dict[str, Any]:
    return {"id": n.id, "status": n.status, "kind": n.kind, "subject": n.subject,
            "title": n.title, "published_on": n.published_on, "ends_on": n.ends_on}


@performs("notice.read")
@notice.command("show", help=_("A notice: its record, objections, what blocks it, its text."))
@click.argument("notice_id", type=int)
@lang_option
@format_option
@templates_option
@json_option
@pass_state
def show(state: State, notice_id: int, lang: str | None, fmt: str | None,
         templates: str | None, as_json: bool) -> None:
    from civic import notices

    office = state.office()
    n = notices.get(office.db, notice_id)
    today = office.today()
    data = {**n.as_dict(), "days_left": notices.days_left(n, today),
            "objections": notices.objections(office.db, n.id),
            "blockers": notices.notice_blockers(office.db, n, today),
            "text": notices.render(office, n, lang=lang, fmt=fmt, user_dir=templates)}
    from civic.subjects import describe

    # --json keeps the stored subject; the text says what it is.
    emit(data, as_json, lambda d: _show_text(d, describe(office.db, state.pm, d["subject"])))


def _show_text(d: dict[str, Any], subject: str | None = None) -> str:
    from civic.vocabulary import label

    lines = [
        _("Notice {id} · {status}").format(id=d["id"], status=_(d["status"])),
        _("Kind: {kind}   Subject: {subject}").format(kind=label(d["kind"]),
                                                       subject=subject or d["subject"]),
        _("Title: {title}").format(title=d["title"]),
        _("Languages: {langs}   Format: {fmt}   Template: {template}").format(
            langs=", ".join(d["langs"]), fmt=d["format"], template=d["template"]),
    ]
    if d["published_on"]:
        lines.append(_("Published {start}, {n} working days, ends {end} ({left} left).").format(
            start=d["published_on"], n=d["period_days"], end=d["ends_on"],
            left="?" if d["days_left"] is None else d["days_left"]))
        lines.append(_("Audit chain head at publication: entry {entry}, {hash}").format(
            entry=d["chain_entry"], hash=d["chain_head"]))
    if d["confirmed_on"]:
        lines.append(_("Confirmed {date}.").format(date=d["confirmed_on"]))
    if d["objections"]:
        lines += ["", _("Objections:"), _objection_table(d["objections"])]
    if d["blockers"]:
        lines += ["", _("Cannot be confirmed yet:")] + [f"- {b}" for b in d["blockers"]]
    lines += ["", "-" * 72, d["text"].rstrip("\n")]
    return "\n".join(lines)


def _objection_table(rows: list[dict[str, Any]]) -> str:
    from civic.notices import CHANNELS

    shown = [{**r, "channel": _(CHANNELS.get(r["channel"], r["channel"])),
              "status": _(r["status"]) + (" " + _("(late)") if r["late"] else "")}
             for r in rows]
    return table(shown, [("id", "#"), ("received_on", _("Received")),
                         ("channel", _("Channel")), ("status", _("Status")),
                         ("content", _("Content")), ("handling", _("Handling")),
                         ("resolved_by", _("Resolved by"))])


@performs("notice.read")
@notice.command("render", help=_("Print a notice's text, ready to post or print; "
                                   "--format docx writes an official document for Word/WPS."))
@click.argument("notice_id", type=int)
@lang_option
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "html", "docx"]),
              help=_("Output format (default: the notice's own); docx needs -o."))
@templates_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help=_("Write to this file instead of printing."))
@click.option("--archive", is_flag=True,
              help=_("The archive copy (存档页) kept by the discipline commission: the audit "
                     "chain head at publication and how to check it."))
@pass_state
def render(state: State, notice_id: int, lang: str | None, fmt: str | None,
           templates: str | None, output: str | None, archive: bool) -> None:
    from civic import notices

    if fmt == "docx":
        from civic.docx import write_notice

        if not output:
            raise CivicError(_("--format docx writes a file: name it with -o FILE."))
        write_notice(state.office(), notice_id, output, lang=lang, user_dir=templates)
        click.echo(_("Wrote {path}.").format(path=output))
        return
    text = notices.render(state.office(), notice_id, lang=lang, fmt=fmt, user_dir=templates,
                          archive=archive)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(_("Wrote {path}.").format(path=output))
    else:
        click.echo(text, nl=False)


@performs("notice.draft")
@notice.command("draft", help=_("Draft a notice typed by the office (e.g. an appointment)."))
@click.option("--kind", default="general", show_default=True,
              help=_("Kind of notice (e.g. appointment for a 任前公示); it sets the period."))
@click.option("--subject", required=True, help=_("What the notice is about, e.g. appointment:12."))
@click.option("--title", required=True, help=_("The notice's title, naming the issuer "
                                                "and what is posted."))
@click.option("--body-file", type=click.File("r", encoding="utf-8"), required=True,
              help=_("The notice's text (Markdown); '-' reads standard input."))
@click.option("--intro", help=_("An opening paragraph before the text."))
@lang_option
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "html"]), default="md",
              show_default=True, help=_("Format the notice is kept and posted in."))
@click.option("--template", default="notice", show_default=True,
              help=_("Template to lay the notice out with (see templates/README.md)."))
@templates_option
@json_option
@pass_state
def draft(state: State, kind: str, subject: str, title: str, body_file: Any,
          intro: str | None, lang: str | None, fmt: str, template: str, templates: str | None,
          as_json: bool) -> None:
    from civic import notices

    office = state.office_for("notice.draft")
    body = body_file.read()
    context = {"intro": intro} if intro else {}
    n = notices.draft(office, kind=kind, subject=subject, title=title, body=body,
                      context=context, langs=(lang or "zh_CN",), fmt=fmt, template=template,
                      user_dir=templates)
    emit(n.as_dict(), as_json, _("Drafted notice {id}.").format(id=n.id))


@performs("notice.publish")
@notice.command("publish", help=_("Publish a draft, co-signed by a supervisor."))
@click.argument("notice_id", type=int)
@supervisor_option
@click.option("--on", "on", type=DATE,
              help=_("Day it was posted, if earlier than today (e.g. posted on paper)."))
@click.option("--days", type=click.IntRange(min=1),
              help=_("Period in its kind's unit, working or calendar days (default: the "
                     "period of the kind in the edition in force)."))
@templates_option
@json_option
@pass_state
def publish(state: State, notice_id: int, supervisor: str | None, on: dt.date | None,
            days: int | None, templates: str | None, as_json: bool) -> None:
    from civic import notices

    action = "notice.publish"
    office = state.office_for(action)
    if notices.get(office.db, notice_id).status != "draft":  # before asking for a password
        raise CivicError(_("Notice {id} is published already.").format(id=notice_id))
    signer = state.cosigner(office, supervisor, action)
    n = notices.publish(office, notice_id, cosigner=signer, on=on, days=days,
                        user_dir=templates)
    stale = notices.settings_at_default(office.db)
    if stale and not as_json:
        click.echo(_("Warning: the office's {keys} are still the demo values; set them with "
                     "`civic notice settings set`.").format(keys=", ".join(stale)), err=True)
    emit(n.as_dict(), as_json, _(
        "Published notice {id} on {start}: {n} working days, ends {end}. "
        "Chain head {hash} (entry {entry}).").format(
        id=n.id, start=n.published_on, n=n.period_days, end=n.ends_on, hash=n.chain_head,
        entry=n.chain_entry))


@performs("notice.object")
@notice.command("object", help=_("Record an objection received about a published notice."))
@click.argument("notice_id", type=int)
@click.option("--channel", required=True,
              type=click.Choice(["letter", "phone", "visit", "email", "online", "other"]))
@click.option("--content", help=_("What the objection says."))
@click.option("--content-file", type=click.File("r", encoding="utf-8"),
              help=_("Read the content from a file ('-' for standard input)."))
@click.option("--on", "on", type=DATE, help=_("Day it was received (default today)."))
@json_option
@pass_state
def object_cmd(state: State, notice_id: int, channel: str, content: str | None,
               content_file: Any, on: dt.date | None, as_json: bool) -> None:
    from civic import notices

    if (content is None) == (content_file is None):
        raise CivicError(_("Give the content with --content or --content-file."))
    text = content if content is not None else content_file.read()
    office = state.office_for("notice.object")
    oid = notices.record_objection(office, notice_id, received_on=on, channel=channel,
                                   content=text)
    emit({"objection": oid, "notice": notice_id}, as_json,
         _("Recorded objection {id} on notice {notice}.").format(id=oid, notice=notice_id))


@performs("notice.resolve")
@notice.command("resolve", help=_("Record how an objection was handled."))
@click.argument("objection_id", type=int)
@click.option("--handling", required=True, help=_("What was checked and found (查核结果)."))
@click.option("--by", "by", help=_("Who handled it (default: the operator)."))
@click.option("--on", "on", type=DATE, help=_("Day it was resolved (default today)."))
@json_option
@pass_state
def resolve(state: State, objection_id: int, handling: str, by: str | None,
            on: dt.date | None, as_json: bool) -> None:
    from civic import notices

    office = state.office_for("notice.resolve")
    notices.resolve_objection(office, objection_id, handling=handling, resolved_by=by, on=on)
    emit({"objection": objection_id, "status": "resolved"}, as_json,
         _("Objection {id} resolved.").format(id=objection_id))


@performs("notice.confirm")
@notice.command("confirm", help=_("Confirm a notice's result, co-signed by a supervisor."))
@click.argument("notice_id", type=int)
@supervisor_option
@click.option("--on", "on", type=DATE,
              help=_("Day it was confirmed, if earlier than today (default today)."))
@json_option
@pass_state
def confirm(state: State, notice_id: int, supervisor: str | None, on: dt.date | None,
            as_json: bool) -> None:
    from civic import notices

    action = "notice.confirm"
    office = state.office_for(action)
    n = notices.get(office.db, notice_id)
    # Say why before asking a supervisor for a password that cannot help.
    problems = notices.notice_blockers(office.db, n, on or office.today())
    if problems:
        raise CivicError("\n".join(problems))
    signer = state.cosigner(office, supervisor, action)
    n = notices.confirm(office, notice_id, cosigner=signer, on=on)
    emit(n.as_dict(), as_json, _("Notice {id} confirmed.").format(id=n.id))


@notice.group("settings", help=_("The office details printed on notices, and the period."))
def settings_group() -> None:
    pass


@performs("notice.read")
@settings_group.command("list", help=_("Show every setting and whether it is still the default."))
@json_option
@pass_state
def settings_list(state: State, as_json: bool) -> None:
    from civic import notices
    from civic.rule_settings import rule_settings

    db = state.db()
    values = notices.settings(db)
    stale = set(notices.settings_at_default(db))
    stored = dict(db.execute("SELECT key, value FROM settings").fetchall())
    rules = rule_settings(state.pm)
    rows = [{"key": k, "value": values[k], "default": k not in stored,
             "description": _(what)} for k, (_d, what) in notices.SETTINGS.items()]
    rows += [{"key": k, "value": stored.get(k, r.default), "default": k not in stored,
              "description": _(r.title)} for k, r in rules.items() if k not in notices.SETTINGS]
    for row in rows:  # a rule setting: its range and its source, and a co-signature to change
        rule = rules.get(str(row["key"]))
        if rule is not None:
            row["value"] = str(rule.effective(stored.get(rule.key)))
            row["rule"] = rule.as_dict()
    emit(rows, as_json, lambda rs: table(
        [{**r, "default": _("demo") if r["key"] in stale else
          (_("default") if r["default"] else ""),
          "description": r["description"] + (_(" (at least {floor}; {source}; co-signed)").format(
              floor=r["rule"]["floor"], source=rules[r["key"]].source.text())
              if "rule" in r else "")} for r in rs],
        [("key", _("Setting")), ("value", _("Value")), ("default", ""),
         ("description", _("What it is"))]))


def _setting_cosigner(state: State, office, key: str, supervisor: str | None):
    """A rule setting's change is co-signed by a supervisor; other settings need none."""
    from civic.rule_settings import rule_settings

    if key not in rule_settings(state.pm):
        return None
    return state.cosigner(office, supervisor, "settings.change")


@performs("settings.change")
@settings_group.command("set", help=_("Set a setting (audited; a rule setting is co-signed "
                                      "by a supervisor and never below its floor)."))
@click.argument("key")
@click.argument("value")
@supervisor_option
@pass_state
def settings_set(state: State, key: str, value: str, supervisor: str | None) -> None:
    from civic import notices

    office = state.office_for("settings.change")
    signer = _setting_cosigner(state, office, key, supervisor)
    notices.set_setting(office, key, value, cosigner=signer)
    click.echo(_("{key} = {value}").format(key=key, value=value))


@performs("settings.change")
@settings_group.command("reset", help=_("Reset a setting to its default (audited; a rule "
                                        "setting is co-signed by a supervisor)."))
@click.argument("key")
@supervisor_option
@pass_state
def settings_reset(state: State, key: str, supervisor: str | None) -> None:
    from civic import notices

    office = state.office_for("settings.change")
    signer = _setting_cosigner(state, office, key, supervisor)
    notices.set_setting(office, key, None, cosigner=signer)
    click.echo(_("{key} reset to its default.").format(key=key))
