"""A third-party plugin written against the public API alone (docs/plugin_hooks.md).

Commendations and admonitions (表彰, 诫勉): a table, commands, audit events, a restriction on
the person's record that core eligibility reads for every mechanism, a section on the person's
record, a TUI mode, a notice kind with its own templates, and a catalog of its own (locale/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import click
from sqlite_utils import Migrations

from civic import hookimpl
from civic.audit import Event
from civic.i18n import N_, _
from civic.wiring import ModeSpec, StandardHooks

HERE = Path(__file__).parent
NOTICE_KIND = "commendations.award"
# 诫勉: no promotion for six months (关于对党员领导干部进行诫勉的规定, 2019, art. 11; the
# pack would carry the article; here it is only the example's data).
ADMONITION_MONTHS = 6
ADMONITION_RULE = "诫勉规定 2019 art. 11"

migrations = Migrations("civic.commendations")


@migrations()
def m001_commendations(db) -> None:
    db.execute("CREATE TABLE commendations_awards (id INTEGER PRIMARY KEY,"
               " person TEXT NOT NULL REFERENCES people(code), title TEXT NOT NULL)")


@migrations()
def m002_admonitions(db) -> None:
    db.execute("CREATE TABLE commendations_admonitions (id INTEGER PRIMARY KEY,"
               " person TEXT NOT NULL REFERENCES people(code), decided_on TEXT NOT NULL,"
               " reason TEXT NOT NULL, fact INTEGER NOT NULL)")


@dataclass
class Commended(Event):
    type = "commendations.commended"
    TITLE = N_("Commendation awarded")  # translated by the plugin's own catalog
    LABELS: ClassVar[dict[str, str]] = {"title": N_("honour")}  # the audit entry's label
    person: str
    title: str

    def subject(self) -> str:
        return f"person:{self.person}"


@dataclass
class Admonished(Event):
    type = "commendations.admonished"
    TITLE = N_("Admonition decided")
    person: str
    decided_on: str
    reason: str

    def subject(self) -> str:
        return f"person:{self.person}"


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    import calendar

    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def admonish(office, person: str, decided_on: dt.date, reason: str) -> int:
    """Record an admonition and the restriction it carries, in one audited change."""
    from civic import facts

    with office.change() as change:
        change.record(Admonished(person=person, decided_on=decided_on.isoformat(),
                                 reason=reason))
        row = office.db.execute(
            "INSERT INTO commendations_admonitions (person, decided_on, reason, fact)"
            " VALUES (?, ?, ?, 0)", (person, decided_on.isoformat(), reason))
        fact = facts.record(change, person=person, kind="restriction", value="no_promotion",
                            valid_from=decided_on,
                            until=months_later(decided_on, ADMONITION_MONTHS),
                            source=("commendations", f"admonition-{row.lastrowid}"),
                            rule=ADMONITION_RULE)
        office.db.execute("UPDATE commendations_admonitions SET fact = ? WHERE id = ?",
                          (fact, row.lastrowid))
    return row.lastrowid


EVENTS = (Commended, Admonished)


def declared_actions():
    from civic.actions import change, read

    # Titles are msgids of the plugin's own catalog, translated where they are shown.
    return (change("commendations.award", N_("award a commendation")),
            change("commendations.admonish", N_("admonish a person")),
            read("commendations.read", N_("list commendations")))


def award_workflows(db):
    """Award notices posted and not yet confirmed: confirmation falls due as the period ends."""
    from civic.workflows import Workflow

    return [Workflow("commendations", str(id_), title, _("notice period"),
                     mode="commendations", due=dt.date.fromisoformat(ends))
            for id_, title, ends in db.execute(
                "SELECT id, title, ends_on FROM notices WHERE kind = ? AND status = 'published'"
                " ORDER BY id", [NOTICE_KIND])]


def add_demo_data(office, rng):
    pass


# The standard wiring (civic.wiring): everything here is in this one module, so each part names
# it; its commands are top-level ones, written below rather than a group of its own. No key is
# asked for the mode: F-keys belong to core and the built-in mechanisms; the mode menu (ctrl+g)
# and the palette reach it.
StandardHooks(
    "commendations", __package__, actions=declared_actions,
    migrations="plugin:migrations", events="plugin:EVENTS", cli=None,
    workflows="plugin:award_workflows", demo="plugin:add_demo_data",
    mode=ModeSpec(N_("Commendations"), "screens:CommendationsScreen", key=None, order=300,
                  action="commendations.read"),
    palette=[(N_("Commendations"), N_("Awards and admonitions"))],
).install(globals())


@hookimpl
def register_commands(cli):
    from civic.actions import performs
    from civic.cli.context import State, emit, json_option, pass_state

    @performs("commendations.read")
    @cli.command("commendations", help=_("List the commendations awarded."))
    @json_option
    @pass_state
    def commendations(state: State, as_json: bool) -> None:
        rows = list(state.db().query("SELECT person, title FROM commendations_awards"))
        emit(rows, as_json, lambda rs: "\n".join(f"{r['person']} {r['title']}" for r in rs))

    @performs("commendations.award")

    @cli.command("commend", help=_("Award a commendation to a person."))
    @click.argument("person")
    @click.argument("title")
    @pass_state
    def commend(state: State, person: str, title: str) -> None:
        office = state.office_for("commendations.award")
        with office.change() as change:
            office.db["commendations_awards"].insert({"person": person, "title": title})
            change.record(Commended(person=person, title=title))
        click.echo(f"commended {person}")

    @performs("commendations.admonish")
    @cli.command("admonish", help=_("Admonish a person: no promotion for six months."))
    @click.argument("person")
    @click.option("--on", "on", required=True, help=_("Day of the decision."))
    @click.option("--reason", required=True, help=_("Why, as the decision says."))
    @pass_state
    def admonish_command(state: State, person: str, on: str, reason: str) -> None:
        from civic.dates import parse_date
        from civic.errors import CivicError

        try:
            day = parse_date(on)
        except ValueError as exc:
            raise CivicError(_("--on: {reason}").format(reason=exc)) from exc
        number = admonish(state.office_for("commendations.admonish"), person, day, reason)
        click.echo(_("Admonition {number} recorded.").format(number=number))


@hookimpl
def eligibility_problems(db, person, position, on_date):
    from civic.eligibility import Problem

    if "blocked" in (person.get("tags") or ""):
        return [Problem("commendations.blocked", None, None, "blocked by test plugin")]
    return []


@hookimpl
def eligibility_problems_many(db, pairs, on_date):
    # The bulk form: one answer for a whole batch of (person, position) pairs.
    from civic.eligibility import Problem

    return {n: [Problem("commendations.suspended", None, None, "suspended by test plugin")]
            for n, (person, _position) in enumerate(pairs)
            if "suspended" in (person.get("tags") or "")}


@hookimpl
def describe_fact_source(source_plugin, source_ref):
    if source_plugin != "commendations" or not source_ref.startswith("admonition-"):
        return None
    return _("admonition No. {number}").format(number=source_ref.removeprefix("admonition-"))


@hookimpl
def describe_subject(db, subject):
    # The plugin's notices are about a year's commendations (commendations:2008).
    kind, _sep, year = subject.partition(":")
    if kind != "commendations" or not year.isdigit():
        return None
    return _("commendations of {year}").format(year=year)


@hookimpl
def person_sections(db, person):
    from civic.registry import Section

    awards = [(_("Commendation"), r[0]) for r in db.execute(
        "SELECT title FROM commendations_awards WHERE person = ? ORDER BY id", [person["code"]])]
    admonitions = [(_("Admonition"), f"{r[0]}  {r[1]}") for r in db.execute(
        "SELECT decided_on, reason FROM commendations_admonitions WHERE person = ?"
        " ORDER BY id", [person["code"]])]
    rows = awards + admonitions
    return [Section(_("Commendations and admonitions"), rows)] if rows else []


@hookimpl
def notice_period(kind):
    return 7 if kind == NOTICE_KIND else None


@hookimpl
def register_notice_kinds(register):
    from civic.templating import NoticeKind

    # Files award.zh_CN.j2 and award.en.j2 in templates/, reached as commendations/award.
    register(NoticeKind(NOTICE_KIND, N_("Commendation notice"), "commendations/award",
                        period_days=7, folder=HERE / "templates"))


@hookimpl
def register_rule_settings(register):
    from civic.rule_settings import RuleSetting, Source

    register(RuleSetting("commendations.quota", "3", "count", "Commendations a year at most",
                         Source("Example rules", "2008", "art. 1"), floor="1", ceiling="10"))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["shout"] = lambda text: str(text).upper()


@hookimpl
def track_event(db, event, entry):
    tracked.append((event.type, entry.id))


@hookimpl
def register_demo_stages(office, rng, today):
    # Nothing held part-way: the example's demo part (add_demo_data) adds nothing.
    return []


@hookimpl
def add_hookspecs(pm):
    pass


tracked: list[tuple[str, int]] = []


@hookimpl
def ballot_form_validity(db, round_key):
    # A commendation vote's form (commendations:* rounds) naming nobody 优秀 is void.
    if not round_key.startswith("commendations:"):
        return None

    def void(contest, section):
        return None if any(g == "优秀" for _r, g in section.marks) else _("no one commended")

    return void
