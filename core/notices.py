"""Public notices (公示): draft, publish with a supervisor's co-signature, objections, confirm.

Rules (defaults; periods come from the notice-period pack, by edition):
- A notice's period is its kind's in the edition in force on the day of publication
  (`packs/notice_periods.toml`): 任前公示 at least 5 working days from 2014 (选拔任用条例 2014
  art. 41, kept in 2019), 一般为7至15天 (calendar days) in the 2002 text in force in 2008; a
  推荐结果公示 or a placement result follows local rules (the office's). The period counts from
  the day after publication, on the official calendar (civic.workdays) for working days.
- Objections (异议/举报) received meanwhile are recorded and must be handled before the result is
  confirmed; a notice's subject cannot be confirmed while its period runs.

Storage: one `notices` row per notice, and its rendered text in `notice_bodies`, one row per
language (a plugin's result usually in zh_CN and en; a notice typed by the office in the one
language it was typed in), in the notice's format. Drafts are re-rendered freely; publication
renders them once more with the dates and the audit chain head and freezes them (triggers).
The context given by the creator is kept as JSON, with a snapshot of the office's contact
settings at publication, so the notice can be rendered again in another format.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civic import audit
from civic.auth import CHANGE_ROLES, require_cosigner
from civic.checkpoint import latest_signed
from civic.db import Database
from civic.errors import CivicError, PermissionDenied
from civic.events import (
    NoticeConfirmed,
    NoticeDrafted,
    NoticePublished,
    ObjectionRecorded,
    ObjectionResolved,
    SettingChanged,
)
from civic.i18n import N_, _, ngettext
from civic.office import Office, Operator
from civic.rule_settings import Source
from civic.templating import (
    FORMATS,
    LANGS,
    TemplateMissing,
    localize,
    notice_kinds,
    override_dir,
    render_document,
)
from civic.workdays import WorkCalendar, default_calendar

CHANNELS = {"letter": N_("letter"), "phone": N_("telephone"), "visit": N_("visit in person"),
            "email": N_("e-mail"), "online": N_("website (12380)"), "other": N_("other")}
# Shown through _(status); listed here so the catalogs have them.
STATUSES = (N_("draft"), N_("published"), N_("confirmed"), N_("open"), N_("resolved"))
RESERVED_KEYS = frozenset({"lang", "fmt", "kit", "notice", "office", "title"})

# Office settings: key -> (demo default, what it is). Code holds the defaults; the `settings`
# table holds what the office has set, so a new key needs no migration.
SETTINGS: dict[str, tuple[str, str]] = {
    "office.name.zh_CN": ("中共昆明市委组织部", N_("Issuing office (Chinese)")),
    "office.name.en": ("Organization Department of the CPC Kunming Municipal Committee",
                       N_("Issuing office (English)")),
    "office.address.zh_CN": ("昆明市示范路1号市委组织部干部监督科（演示地址）",
                             N_("Address for objections (Chinese)")),
    "office.address.en": ("Cadre Supervision Section, 1 Demo Road, Kunming (demo address)",
                          N_("Address for objections (English)")),
    "office.postcode": ("650000", N_("Postcode")),
    "office.phone": ("0871-12380", N_("Telephone for objections")),
    "office.mailbox": ("12380@kmzzb.example", N_("E-mail for objections")),
    "office.website": ("www.12380.gov.cn", N_("Reporting website")),
    # A contact is printed only on notices published on or after the day it opened: the
    # national reporting website 12380 opened in 2009, so a 2008 notice cannot carry it.
    "office.website.since": ("2009-10-01", N_("Reporting website in service since (date)")),
    "office.phone.since": ("", N_("Telephone for objections in service since (date)")),
    "office.mailbox.since": ("", N_("E-mail for objections in service since (date)")),
    # The office that receives objections (e.g. 市委组织部干部监督科), printed in the paragraph.
    "office.receiver.zh_CN": ("中共昆明市委组织部干部监督科",
                              N_("Office receiving objections (Chinese)")),
    "office.receiver.en": ("Cadre Supervision Section of the Organization Department",
                           N_("Office receiving objections (English)")),
    # Who signs a placement notice (the transfer office, or 组织部 with 人事局).
    "placement.signer.zh_CN": ("昆明市军队转业干部安置工作领导小组办公室",
                               N_("Signer of placement notices (Chinese)")),
    "placement.signer.en": ("Kunming Military Transfer Cadre Placement Office",
                            N_("Signer of placement notices (English)")),
    # 选拔任用条例 2014 art. 41: at least 5 working days. Also the minimum for any notice.
    "notice.period_days": ("5", N_("Notice period in working days (default and minimum)")),
}


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    subject: str
    title: str
    lang: str
    format: str
    template: str
    context: dict[str, Any]
    status: str
    created_on: str
    period_days: int
    langs: tuple[str, ...] = ()
    titles: dict[str, str] = dataclasses.field(default_factory=dict)
    office: dict[str, str] | None = None
    published_on: str | None = None
    ends_on: str | None = None
    chain_entry: int | None = None
    chain_head: str | None = None
    confirmed_on: str | None = None

    @property
    def period_unit(self) -> str:
        """"workdays" or "days" (calendar), fixed at publication; a draft's is "workdays"
        until then (`period_unit()` gives what the pack says for a day)."""
        return (self.office or {}).get("notice.period_unit", "workdays")

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["langs"] = list(self.langs)
        d["period_unit"] = self.period_unit
        return d


# --- settings ------------------------------------------------------------------------------

def settings(db: Database) -> dict[str, str]:
    """Every known setting: the office's value, else the demo default."""
    values = {k: default for k, (default, _what) in SETTINGS.items()}
    values.update({k: v for k, v in db.execute("SELECT key, value FROM settings")})
    return values


def settings_at_default(db: Database) -> list[str]:
    """Keys of the office's contact details still at their demo values (warn before posting)."""
    stored = {k for (k,) in db.execute("SELECT key FROM settings")}
    return [k for k in SETTINGS if k.startswith("office.") and k not in stored]


def set_setting(office: Office, key: str, value: str | None, *,
                cosigner: Operator | None = None) -> None:
    """Set (or with None, reset to its default) one setting, audited. A rule setting
    (civic.rule_settings: core's or a plugin's) stays within its declared range and needs a
    supervisor's co-signature."""
    from civic.rule_settings import rule_settings

    rules = rule_settings(office.pm)
    if key not in SETTINGS and key not in rules:
        raise CivicError(_("Unknown setting {key}; known: {keys}.").format(
            key=key, keys=", ".join([*SETTINGS, *(k for k in rules if k not in SETTINGS)])))
    action = _("change a setting")
    _require_changer(office, action)
    rule = rules.get(key)
    if rule is not None:
        if value is not None:
            value = rule.check(value)
        require_cosigner(office, cosigner, _("change {key}").format(key=key))
    row = office.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    with office.change() as change:
        if value is None:
            office.db.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            office.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                              (key, value))
        change.record(SettingChanged(key=key, value=value, old=row[0] if row else None),
                      cosigner if rule is not None else None)


def minimum_period(office: Office) -> int:
    """notice.period_days in force: the office's value, never below the regulation's floor."""
    from civic.rule_settings import NOTICE_PERIOD, value

    return int(value(office.db, NOTICE_PERIOD))


def office_details(values: dict[str, str], lang: str,
                   on: str | None = None) -> dict[str, str]:
    """The issuing office as the templates see it, in one language. A contact with a
    `.since` date later than `on` (the day of publication) is left off: it did not exist."""
    def pick(name: str, fallback: str = "zh_CN") -> str:
        return values.get(f"office.{name}.{lang}") or values.get(f"office.{name}.{fallback}", "")

    def dated(name: str) -> str:
        since = values.get(f"office.{name}.since") or ""
        if on and since and str(on) < since:
            return ""
        return values.get(f"office.{name}", "")

    return {"name": pick("name"), "address": pick("address"),
            "receiver": pick("receiver") or pick("name"),
            "postcode": values.get("office.postcode", ""), "phone": dated("phone"),
            "mailbox": dated("mailbox"), "website": dated("website"),
            "placement_signer": values.get(f"placement.signer.{lang}")
            or values.get("placement.signer.zh_CN", "")}


# --- periods by edition (packs/notice_periods.toml) ----------------------------------------

PACK_NAME = "notice_periods.toml"
UNITS = {"workdays": N_("working days"), "days": N_("days")}


@dataclass(frozen=True)
class PeriodRule:
    """A notice kind's period in one edition: unit, minimum, maximum, default and source."""

    kind: str
    edition: str
    unit: str  # "workdays" or "days" (calendar)
    minimum: int
    maximum: int | None
    default: int
    source: Source
    local: bool = False

    def cite(self) -> str:
        return self.source.text()


def _pack_path() -> Path:
    return Path(__file__).parent / "packs" / PACK_NAME


def _read_pack(path: Path) -> list[tuple[str, str, dict[str, PeriodRule]]]:
    """(edition id, in force from, rules by kind), oldest first; a CivicError names the file
    and the entry that is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CivicError(_("Cannot read the notice-period pack {path}: {error}").format(
            path=path, error=exc)) from None
    editions = []
    for i, ed in enumerate(data.get("edition", []), 1):
        try:
            eid, since = str(ed["id"]), str(dt.date.fromisoformat(str(ed["in_force"])))
            rules = {}
            for kind, r in ed.get("kinds", {}).items():
                unit = str(r["unit"])
                if unit not in UNITS:
                    raise ValueError(f"unit {unit!r}")
                minimum, maximum = int(r["minimum"]), r.get("maximum")
                rules[kind] = PeriodRule(
                    kind, eid, unit, minimum, int(maximum) if maximum is not None else None,
                    int(r.get("default", minimum)),
                    Source(str(r["regulation"]), str(r.get("edition", eid)),
                           str(r.get("article", "")), str(r.get("note", ""))),
                    bool(r.get("local", False)))
        except (KeyError, TypeError, ValueError) as exc:
            raise CivicError(_("{path}: edition {n} is not valid ({error}).").format(
                path=path, n=i, error=exc)) from None
        editions.append((eid, since, rules))
    return sorted(editions, key=lambda e: e[1])


def period_pack(user_dir: str | None = None) -> list[tuple[str, str, dict[str, PeriodRule]]]:
    """The pack in force: the office's copy in its template folder, else the shipped one. A
    copy may change local periods, never lower a regulation's minimum below the shipped one."""
    shipped = _read_pack(_pack_path())
    folder = override_dir(user_dir)
    copy = folder / PACK_NAME if folder is not None else None
    if copy is None or not copy.is_file():
        return shipped
    office_pack = _read_pack(copy)
    floors = {(eid, kind): rule for eid, _since, rules in shipped
              for kind, rule in rules.items() if not rule.local}
    for eid, _since, rules in office_pack:
        for kind, rule in rules.items():
            floor = floors.get((eid, kind))
            if floor is not None and (rule.unit != floor.unit or rule.minimum < floor.minimum
                                      or rule.default < floor.minimum):
                raise CivicError(_(
                    "{path}: {kind} in edition {edition} may not be shorter than {n} {unit} "
                    "({source}).").format(path=copy, kind=kind, edition=eid,
                                          n=floor.minimum, unit=_(UNITS[floor.unit]),
                                          source=floor.cite()))
    return office_pack


def period_rule(kind: str, on: dt.date, *, user_dir: str | None = None) -> PeriodRule | None:
    """The rule for `kind` in the edition in force on `on`; None when the pack has none."""
    found = None
    for _eid, since, rules in period_pack(user_dir):
        if since <= on.isoformat():
            found = rules.get(kind)
    return found


# --- reading -------------------------------------------------------------------------------

_COLUMNS = ("id, kind, subject, title, lang, format, template, context, status, created_on,"
            " period_days, office, published_on, ends_on, chain_entry, chain_head, confirmed_on")


def _from_row(db: Database, row: tuple) -> Notice:
    (id_, kind, subject, title, lang, fmt, template, context, status, created_on, period_days,
     office, published_on, ends_on, chain_entry, chain_head, confirmed_on) = row
    titles = dict(db.execute(
        "SELECT lang, title FROM notice_bodies WHERE notice = ? ORDER BY lang", (id_,)))
    return Notice(id_, kind, subject, title, lang, fmt, template, json.loads(context), status,
                  created_on, period_days, tuple(titles), titles,
                  json.loads(office) if office else None, published_on, ends_on, chain_entry,
                  chain_head, confirmed_on)


def get(db: Database, notice_id: int) -> Notice:
    row = db.execute(f"SELECT {_COLUMNS} FROM notices WHERE id = ?", (notice_id,)).fetchone()
    if row is None:
        raise CivicError(_("No notice {id}.").format(id=notice_id))
    return _from_row(db, row)


def list_notices(db: Database, *, status: str | None = None,
                 subject: str | None = None) -> list[Notice]:
    where, params = [], []
    if status:
        where.append("status = ?")
        params.append(status)
    if subject:
        where.append("subject = ?")
        params.append(subject)
    sql = f"SELECT {_COLUMNS} FROM notices"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_from_row(db, row) for row in db.execute(sql + " ORDER BY id", params)]


def stored_body(db: Database, notice_id: int, lang: str) -> str | None:
    """The text as stored: for a published notice, what was posted."""
    row = db.execute("SELECT body FROM notice_bodies WHERE notice = ? AND lang = ?",
                     (notice_id, lang)).fetchone()
    return row[0] if row else None


def objections(db: Database, notice_id: int | None = None, *,
               open_only: bool = False) -> list[dict[str, Any]]:
    sql = ("SELECT o.id, o.notice, o.received_on, o.channel, o.content, o.status, o.handling,"
           " o.resolved_by, o.resolved_on, n.ends_on FROM notice_objections o"
           " JOIN notices n ON n.id = o.notice WHERE 1")
    params: list[Any] = []
    if notice_id is not None:
        sql += " AND o.notice = ?"
        params.append(notice_id)
    if open_only:
        sql += " AND o.status = 'open'"
    rows = []
    for r in db.execute(sql + " ORDER BY o.id", params):
        row = dict(zip(("id", "notice", "received_on", "channel", "content", "status",
                        "handling", "resolved_by", "resolved_on"), r[:9], strict=True))
        row["late"] = bool(r[9] and r[2] > r[9])  # received after the period ended
        rows.append(row)
    return rows


# --- rendering -----------------------------------------------------------------------------

def render(office: Office, notice: Notice | int, *, lang: str | None = None,
           fmt: str | None = None, user_dir: str | None = None, archive: bool = False) -> str:
    """The notice's text. A published notice in its own format is what was posted (stored);
    any other format is rendered again from the frozen context. `archive`: the archive copy
    (存档页) instead, kept by the discipline commission with the posted notice: the notice's
    record, the audit chain head at publication and how to check it."""
    if isinstance(notice, int):
        notice = get(office.db, notice)
    lang = lang or notice.lang
    fmt = fmt or notice.format
    if lang not in notice.langs:
        raise CivicError(_("Notice {id} has no {lang} text; it has {langs}.").format(
            id=notice.id, lang=lang, langs=", ".join(notice.langs)))
    if archive:
        return render_archive(office, notice, lang, fmt)
    if notice.status != "draft" and fmt == notice.format:
        body = stored_body(office.db, notice.id, lang)
        if body is not None:
            return body
    values = notice.office if notice.office is not None else settings(office.db)
    try:
        return _render(office, notice, lang, fmt, values, user_dir)
    except TemplateMissing:
        # Its plugin (and template) is gone: a published notice is still what was posted.
        posted = stored_body(office.db, notice.id, lang) if notice.status != "draft" else None
        if posted is None:
            raise
        if fmt == "html":
            from html import escape

            return f"<pre>{escape(posted)}</pre>\n"
        return posted


def first_counted_day(notice: Notice, calendar: WorkCalendar | None = None) -> str | None:
    """The first day the period counts (the day after publication; for working days, the first
    working day after it), so the period line reads as it is counted."""
    if notice.published_on is None:
        return None
    day = dt.date.fromisoformat(notice.published_on) + dt.timedelta(days=1)
    if notice.period_unit == "workdays":
        try:
            cal = calendar or default_calendar()
            while not cal.is_workday(day):
                day += dt.timedelta(days=1)
        except CivicError:  # outside the calendar's years: the day after is still right
            day = dt.date.fromisoformat(notice.published_on) + dt.timedelta(days=1)
    return day.isoformat()


def _notice_vars(office: Office, notice: Notice, user_dir: str | None = None) -> dict[str, Any]:
    unit = (notice.period_unit if notice.published_on else
            period_unit(notice.kind, office.today(), user_dir))
    return {"id": notice.id, "kind": notice.kind, "subject": notice.subject,
            "status": notice.status, "published_on": notice.published_on,
            "starts_on": first_counted_day(notice), "ends_on": notice.ends_on,
            "period_days": notice.period_days, "period_unit": unit,
            "chain_entry": notice.chain_entry, "chain_head": notice.chain_head}


def _render(office: Office, notice: Notice, lang: str, fmt: str, values: dict[str, str],
            user_dir: str | None) -> str:
    context: dict[str, Any] = {"intro": None, "table": None, "body": None}
    context.update(localize(notice.context, lang))
    context.update(
        title=notice.titles.get(lang, notice.title),
        office=office_details(values, lang, notice.published_on or office.today().isoformat()),
        notice=_notice_vars(office, notice, user_dir),
        checkpoint={k.split(".", 1)[1]: v for k, v in values.items()
                    if k.startswith("checkpoint.")} or None,
    )
    return render_document(office.pm, notice.template, lang, fmt, context, user_dir=user_dir)


def render_archive(office: Office, notice: Notice, lang: str, fmt: str,
                   user_dir: str | None = None) -> str:
    """The archive copy (存档页): what the posted copy must not carry (chain head, digest of
    the posted text, how to verify), with lines for the signatures."""
    values = notice.office if notice.office is not None else settings(office.db)
    posted = stored_body(office.db, notice.id, lang)
    context = {
        "title": notice.titles.get(lang, notice.title),
        "office": office_details(values, lang, notice.published_on),
        "notice": {**_notice_vars(office, notice, user_dir), "format": notice.format,
                   "confirmed_on": notice.confirmed_on},
        "body_sha256": text_sha256(posted) if posted is not None else None,
        "objections": len(objections(office.db, notice.id)),
        "checkpoint": {k.split(".", 1)[1]: v for k, v in values.items()
                       if k.startswith("checkpoint.")} or None,
    }
    return render_document(office.pm, "archive", lang, fmt, context, user_dir=user_dir)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- changes -------------------------------------------------------------------------------

def _require_changer(office: Office, action: str, roles: frozenset[str] = CHANGE_ROLES) -> None:
    """Supervisors witness and viewers read; neither changes data alone (but a supervisor
    may enter an objection the discipline commission received: `civic.actions` receipt)."""
    actor = office.actor
    if actor is not None and actor.role not in roles:
        raise PermissionDenied(_("{name} is a {role} and may not {action}.").format(
            name=actor.name, role=_(actor.role), action=action))


def period_for(office: Office, kind: str, on: dt.date | None = None,
               user_dir: str | None = None) -> int:
    """The period of a notice of `kind` published on `on` (default today), in its unit
    (`period_unit`). Working days: a plugin's answer through `notice_period(kind)`, else the
    pack's default for the edition, else the office's setting; never shorter than that setting
    nor the pack's minimum. Calendar days (the 2002 text's 任前公示): the pack's default."""
    rule = period_rule(kind, on or office.today(), user_dir=user_dir)
    if rule is not None and rule.unit == "days":
        return rule.default
    minimum = max(minimum_period(office), rule.minimum if rule is not None else 0)
    answer = office.pm.hook.notice_period(kind=kind)
    if answer is None:  # the default the plugin registered with the kind (register_notice_kinds)
        registered = notice_kinds(office.pm).get(kind)
        answer = registered.period_days if registered is not None else None
    if answer is None and rule is not None:
        answer = rule.default
    return max(int(answer), minimum) if answer is not None else minimum


def period_unit(kind: str, on: dt.date, user_dir: str | None = None) -> str:
    rule = period_rule(kind, on, user_dir=user_dir)
    return rule.unit if rule is not None else "workdays"


def check_period(office: Office, kind: str, days: int, on: dt.date,
                 user_dir: str | None = None) -> str:
    """The unit of a `days` period for `kind` published on `on`; a CivicError citing the
    article of the edition in force when it is too short or too long."""
    rule = period_rule(kind, on, user_dir=user_dir)
    if rule is None or rule.unit == "workdays":
        minimum = max(minimum_period(office), rule.minimum if rule is not None else 0)
        source = (rule.cite() if rule is not None and not rule.local else
                  _("选拔任用条例 2014 art. 41; setting notice.period_days"))
        if days < minimum:
            raise CivicError(_("A notice period must be at least {n} working days "
                               "({source}).").format(n=minimum, source=source))
        if rule is not None and rule.maximum is not None and days > rule.maximum:
            raise CivicError(_("A notice period is at most {n} working days ({source}).")
                             .format(n=rule.maximum, source=rule.cite()))
        return "workdays"
    if days < rule.minimum or (rule.maximum is not None and days > rule.maximum):
        raise CivicError(_("In the {edition} edition a notice of this kind is posted for "
                           "{low} to {high} days ({source}).").format(
            edition=rule.edition, low=rule.minimum, high=rule.maximum or rule.minimum,
            source=rule.cite()))
    return "days"


def draft(office: Office, *, kind: str, subject: str, title: str | dict[str, str],
          context: dict[str, Any] | None = None, body: str | dict[str, str] | None = None,
          template: str | None = None, langs: tuple[str, ...] | list[str] = LANGS,
          lang: str | None = None, fmt: str = "md", user_dir: str | None = None) -> Notice:
    """Create a draft notice. `title`, `body` and any text in `context` may be a plain string
    or a {"zh_CN": ..., "en": ...} mapping; `context` feeds the template (core's `notice`
    template shows `intro`, `table` {"columns": [...], "rows": [[...]]} and `body`).
    `template` defaults to the one registered for `kind`, else core's `notice`."""
    _require_changer(office, _("draft a notice"))
    if template is None:
        registered = notice_kinds(office.pm).get(kind)
        template = registered.template if registered is not None else "notice"
    langs = tuple(dict.fromkeys(langs))
    lang = lang or (langs[0] if langs else "")
    if not langs or any(x not in LANGS for x in langs) or lang not in langs:
        raise CivicError(_("Languages must be among {langs}, and include the notice's own.")
                         .format(langs=", ".join(LANGS)))
    if fmt not in FORMATS:
        raise CivicError(_("Unknown format {fmt}; choose one of {formats}.").format(
            fmt=fmt, formats=", ".join(FORMATS)))
    context = dict(context or {})
    if body is not None:
        context["body"] = body
    clash = RESERVED_KEYS & set(context)
    if clash:
        raise CivicError(_("A notice's context may not use the names {names}.").format(
            names=", ".join(sorted(clash))))
    titles = {x: localize(title, x) for x in langs}
    if not all(isinstance(t, str) and t.strip() for t in titles.values()):
        raise CivicError(_("A notice needs a title in each of its languages."))
    context_json = audit.canonical_json(context)  # refuses what JSON cannot keep
    if not kind.strip() or not subject.strip():
        raise CivicError(_("A notice needs a kind and a subject."))
    period = period_for(office, kind)
    values = settings(office.db)
    with office.change() as change:
        cur = office.db.execute(
            "INSERT INTO notices (kind, subject, title, lang, format, template, context, status,"
            " created_on, period_days) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
            (kind, subject, titles[lang], lang, fmt, template, context_json,
             office.today().isoformat(), period))
        notice = Notice(cur.lastrowid, kind, subject, titles[lang], lang, fmt, template,
                        json.loads(context_json), "draft", office.today().isoformat(), period,
                        langs, titles)
        shas = _store_bodies(office, notice, values, user_dir)
        entry = change.record(NoticeDrafted(notice=notice.id, kind=kind, subject_ref=subject,
                                            title=titles[lang], bodies=shas))
        office.db.execute("UPDATE notices SET created_audit = ? WHERE id = ?",
                          (entry.id, notice.id))
    return notice


def _store_bodies(office: Office, notice: Notice, values: dict[str, str],
                  user_dir: str | None) -> dict[str, str]:
    shas = {}
    for lang in notice.langs:
        text = _render(office, notice, lang, notice.format, values, user_dir)
        shas[lang] = text_sha256(text)
        office.db.execute(
            "INSERT OR REPLACE INTO notice_bodies (notice, lang, title, body, sha256)"
            " VALUES (?, ?, ?, ?, ?)", (notice.id, lang, notice.titles[lang], text, shas[lang]))
    return shas


def publish(office: Office, notice_id: int, *, cosigner: Operator | None,
            on: dt.date | None = None, days: int | None = None,
            calendar: WorkCalendar | None = None, user_dir: str | None = None) -> Notice:
    """Publish a draft: fix its period, print the audit chain head on it, freeze its text.

    `on` is the day it was posted (default today; earlier for a notice posted on paper).
    Everything that can fail (the calendar above all) is settled before anything is written.
    """
    action = _("publish a notice")
    _require_changer(office, action)
    require_cosigner(office, cosigner, action)
    notice = get(office.db, notice_id)
    if notice.status != "draft":
        raise CivicError(_("Notice {id} is {status} already.").format(
            id=notice.id, status=_(notice.status)))
    today = office.today()
    on = on or today
    if on > today:
        raise CivicError(_("A notice cannot be recorded as published on {date}, after today.")
                         .format(date=on.isoformat()))
    values = settings(office.db)
    values.update(latest_signed(office.db))  # frozen with the notice, printed on it
    days = days if days is not None else period_for(office, notice.kind, on, user_dir)
    unit = check_period(office, notice.kind, days, on, user_dir)
    values["notice.period_unit"] = unit
    ends_on = ((calendar or default_calendar()).add_workdays(on, days) if unit == "workdays"
               else on + dt.timedelta(days=days))
    with office.change() as change:
        chain_entry, chain_head = audit.head(office.db)
        published = dataclasses.replace(
            notice, status="published", published_on=on.isoformat(), period_days=days,
            ends_on=ends_on.isoformat(), chain_entry=chain_entry, chain_head=chain_head,
            office=values)
        shas = _store_bodies(office, published, values, user_dir)
        entry = change.record(NoticePublished(
            notice=notice.id, subject_ref=notice.subject, published_on=on.isoformat(),
            period_days=days, ends_on=ends_on.isoformat(), chain_entry=chain_entry,
            chain_head=chain_head, bodies=shas), cosigner)
        office.db.execute(
            "UPDATE notices SET status = 'published', published_on = ?, period_days = ?,"
            " ends_on = ?, chain_entry = ?, chain_head = ?, office = ?, published_audit = ?"
            " WHERE id = ?",
            (on.isoformat(), days, ends_on.isoformat(), chain_entry, chain_head,
             audit.canonical_json(values), entry.id, notice.id))
    return published


def record_objection(office: Office, notice_id: int, *, received_on: dt.date | None = None,
                     channel: str, content: str) -> int:
    """Record an objection received about a published notice; returns its id.

    One received after the period ended is kept too (and shown as late): a fact about the
    subject is not dropped for arriving a day after the deadline.
    """
    from civic.actions import MAY_RECEIVE

    _require_changer(office, _("record an objection"), MAY_RECEIVE)
    notice = get(office.db, notice_id)
    received_on = received_on or office.today()
    if notice.status != "published":
        raise CivicError(_("Notice {id} is {status}; objections are recorded on published "
                           "notices.").format(id=notice.id, status=_(notice.status)))
    if channel not in CHANNELS:
        raise CivicError(_("Unknown channel {channel}; choose one of {channels}.").format(
            channel=channel, channels=", ".join(CHANNELS)))
    if not content.strip():
        raise CivicError(_("An objection needs its content."))
    if received_on.isoformat() < str(notice.published_on) or received_on > office.today():
        raise CivicError(_("An objection to notice {id} is received between {start} and today.")
                         .format(id=notice.id, start=notice.published_on))
    with office.change() as change:
        cur = office.db.execute(
            "INSERT INTO notice_objections (notice, received_on, channel, content)"
            " VALUES (?, ?, ?, ?)", (notice.id, received_on.isoformat(), channel, content))
        objection = cur.lastrowid
        entry = change.record(ObjectionRecorded(
            notice=notice.id, objection=objection, received_on=received_on.isoformat(),
            channel=channel, content=content))
        office.db.execute("UPDATE notice_objections SET recorded_audit = ? WHERE id = ?",
                          (entry.id, objection))
    return objection


def resolve_objection(office: Office, objection_id: int, *, handling: str,
                      resolved_by: str | None = None, on: dt.date | None = None) -> None:
    """Record how an objection was handled (查核结果) and who handled it."""
    _require_changer(office, _("resolve an objection"))
    row = office.db.execute(
        "SELECT notice, status, received_on FROM notice_objections WHERE id = ?",
        (objection_id,)).fetchone()
    if row is None:
        raise CivicError(_("No objection {id}.").format(id=objection_id))
    notice_id, status, received_on = row
    if status != "open":
        raise CivicError(_("Objection {id} is resolved already.").format(id=objection_id))
    if not handling.strip():
        raise CivicError(_("Say how the objection was handled."))
    on = on or office.today()
    if on.isoformat() < received_on or on > office.today():
        raise CivicError(_("An objection is resolved between its receipt ({date}) and today.")
                         .format(date=received_on))
    by = resolved_by or (office.actor.name if office.actor else "system")
    with office.change() as change:
        entry = change.record(ObjectionResolved(
            notice=notice_id, objection=objection_id, handling=handling, resolved_by=by,
            resolved_on=on.isoformat()))
        office.db.execute(
            "UPDATE notice_objections SET status = 'resolved', handling = ?, resolved_by = ?,"
            " resolved_on = ?, resolved_audit = ? WHERE id = ?",
            (handling, by, on.isoformat(), entry.id, objection_id))


# --- the period, and what still blocks a result -------------------------------------------

def days_left(notice: Notice, today: dt.date,
              calendar: WorkCalendar | None = None) -> int | None:
    """Working days of the period not yet over on `today` (today counts while it is in the
    period); None for a draft, or when the calendar cannot answer for these dates."""
    if notice.published_on is None or notice.ends_on is None:
        return None
    start = dt.date.fromisoformat(notice.published_on)
    end = dt.date.fromisoformat(notice.ends_on)
    if today > end:
        return 0
    if today <= start:
        return notice.period_days
    if notice.period_unit == "days":
        return (end - today).days + 1
    try:
        return (calendar or default_calendar()).workdays_between(
            today - dt.timedelta(days=1), end)
    except CivicError:
        return None


def notice_blockers(db: Database, notice: Notice, today: dt.date,
                    calendar: WorkCalendar | None = None) -> list[str]:
    """Why this notice cannot be confirmed on `today`; empty when it can (or is confirmed)."""
    if notice.status == "confirmed":
        return []
    if notice.status == "draft":
        return [_("Notice {id} is a draft, not yet published.").format(id=notice.id)]
    problems = []
    if today <= dt.date.fromisoformat(str(notice.ends_on)):
        left = days_left(notice, today, calendar)
        if left is None:
            problems.append(_("Notice {id}: the notice period runs until {end}.").format(
                id=notice.id, end=notice.ends_on))
        else:
            problems.append(ngettext(
                "Notice {id}: the notice period runs until {end} ({n} working day left).",
                "Notice {id}: the notice period runs until {end} ({n} working days left).",
                left).format(id=notice.id, end=notice.ends_on, n=left))
    pending = len(objections(db, notice.id, open_only=True))
    if pending:
        problems.append(ngettext("Notice {id}: {n} objection is not resolved.",
                                 "Notice {id}: {n} objections are not resolved.",
                                 pending).format(id=notice.id, n=pending))
    return problems


def blockers(db: Database, subject: str, today: dt.date,
             calendar: WorkCalendar | None = None) -> list[str]:
    """Why `subject` (e.g. "nomination:3:1") cannot be confirmed on `today`: no published
    notice, a period still running, objections unresolved. Empty means it may go ahead."""
    found = list_notices(db, subject=subject)
    posted = [n for n in found if n.status != "draft"]
    if not posted:
        drafts = [n for n in found if n.status == "draft"]
        if drafts:
            return [notice_blockers(db, n, today, calendar)[0] for n in drafts]
        return [_("No notice for {subject} has been published.").format(subject=subject)]
    return [p for n in posted for p in notice_blockers(db, n, today, calendar)]


def confirm(office: Office, notice_id: int, *, cosigner: Operator | None,
            calendar: WorkCalendar | None = None, on: dt.date | None = None) -> Notice:
    """Confirm a notice's result once its period is over and every objection handled. `on`:
    the day it was confirmed, if earlier than today (after the period, never in the future)."""
    action = _("confirm a notice")
    _require_changer(office, action)
    require_cosigner(office, cosigner, action)
    notice = get(office.db, notice_id)
    if notice.status == "confirmed":
        raise CivicError(_("Notice {id} is confirmed already.").format(id=notice.id))
    today = office.today()
    if on is not None:
        if on > today:
            raise CivicError(_("A notice cannot be recorded as confirmed on {date}, after today.")
                             .format(date=on.isoformat()))
        today = on
    problems = notice_blockers(office.db, notice, today, calendar)
    if problems:
        raise CivicError("\n".join(problems))
    handled = len(objections(office.db, notice.id))
    with office.change() as change:
        entry = change.record(NoticeConfirmed(
            notice=notice.id, subject_ref=notice.subject, confirmed_on=today.isoformat(),
            objections=handled), cosigner)
        office.db.execute(
            "UPDATE notices SET status = 'confirmed', confirmed_on = ?, confirmed_audit = ?"
            " WHERE id = ?", (today.isoformat(), entry.id, notice.id))
    return dataclasses.replace(notice, status="confirmed", confirmed_on=today.isoformat())


def open_notices(db: Database, today: dt.date,
                 calendar: WorkCalendar | None = None) -> list[dict[str, Any]]:
    """Published, unconfirmed notices with working days left and objections pending (for the
    dashboard), those still in their period first."""
    rows = []
    for n in list_notices(db, status="published"):
        rows.append({"id": n.id, "kind": n.kind, "subject": n.subject, "title": n.title,
                     "published_on": n.published_on, "ends_on": n.ends_on,
                     "days_left": days_left(n, today, calendar),
                     "in_period": today <= dt.date.fromisoformat(str(n.ends_on)),
                     "objections_open": len(objections(db, n.id, open_only=True))})
    return sorted(rows, key=lambda r: (not r["in_period"], r["ends_on"], r["id"]))
