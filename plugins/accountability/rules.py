"""Pure accountability rules: the pack, the case's steps, deadlines, effects, escalation and
who may read a case. No I/O but reading a pack file."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civic.errors import CivicError
from civic.i18n import N_, _

# The escalation levels a pack may name, worded for the operator (the pack stores the code).
LEVEL_WORDS = {"overdue": N_("overdue"), "warning": N_("warning"),
               "escalated": N_("escalated"), "propose_case": N_("case to be proposed")}


def level_text(level: str | None) -> str:
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else (level or "")

PACKS = Path(__file__).parent / "packs"
DEFAULT_PACK = "kunming-2008"

# The case's steps in order; each maps to the steps that may follow it. A case investigated
# and found without fault is closed; a decision served and not appealed is closed.
STEPS = ("opened", "investigated", "decided", "served", "appealed", "reviewed", "closed")
NEXT = {"opened": ("investigated",), "investigated": ("decided", "closed"),
        "decided": ("served",), "served": ("appealed", "closed"), "appealed": ("reviewed",),
        "reviewed": ("closed",), "closed": ()}
STEP_LABELS = {"opened": N_("opened"), "investigated": N_("investigated"),
               "decided": N_("decided"), "served": N_("served"), "appealed": N_("appealed"),
               "reviewed": N_("reviewed"), "closed": N_("closed")}
SOURCES = ("inspection", "task", "complaint", "audit", "media")
SOURCE_LABELS = {"inspection": N_("inspection finding"), "task": N_("overdue task"),
                 "complaint": N_("complaint"), "audit": N_("audit"), "media": N_("media report")}
FACTOR_KINDS = ("aggravating", "mitigating", "exempting")
FACTOR_LABELS = {"aggravating": N_("aggravating"), "mitigating": N_("mitigating"),
                 "exempting": N_("exempting")}
# The case's deadlines by the pack's names, as an operator reads them.
DEADLINE_LABELS = {"appeal": N_("appeal"), "answer": N_("answer to the appeal")}
# The effects a form has for a period of `months`, each a core restriction (civic.facts) that
# every mechanism's eligibility reads: no promotion, no post of the level left, no candidacy.
RESTRICTING = ("no_promotion", "no_equivalent_post", "no_candidacy")
OUTCOMES = ("upheld", "revoked")  # a review upholds the decision or revokes it
OUTCOME_LABELS = {"upheld": N_("upheld"), "revoked": N_("revoked")}
TASK_TYPES = ("regular", "urgent", "key", "follow_up")
# Who reads a case's content by default (the office may give it to others: `civic permission`).
CONTENT_ACTION = "accountability.content"


@dataclass(frozen=True)
class Source:
    regulation: str
    edition: str
    article: str

    def __str__(self) -> str:
        # As an official document cites: 《规定》（2009）第十条; the measure alone when the
        # pack leaves the article empty (a local measure not numbered in the pack).
        return f"《{self.regulation}》（{self.edition}）{self.article}"


@dataclass(frozen=True)
class Form:
    code: str
    name: str
    family: str
    source: Source
    effect: str | None = None  # one of RESTRICTING (for `months`), or grade_cap
    months: int | None = None
    cap: str | None = None


@dataclass(frozen=True)
class Deadline:
    name: str
    days: int
    after: str  # the step whose date starts the count
    source: Source
    # "floor": a right of the person (an office may give more days, never fewer);
    # "ceiling": a duty of the office (it may take fewer days, never more).
    bound: str = "floor"


@dataclass(frozen=True)
class Pack:
    name: str
    title: str
    triggers: dict[str, tuple[str, str]]  # code -> (name, article)
    headings: dict[str, tuple[str, tuple[str, ...]]]  # code -> (name, trigger codes)
    forms: dict[str, Form]
    deadlines: dict[str, Deadline]
    escalation: tuple[tuple[int, str], ...]  # (days overdue from, level), ascending
    escalation_source: Source
    trigger_regulation: str = ""  # the regulation the triggers' articles belong to

    def heading_of(self, trigger: str) -> str | None:
        for code, (_name, triggers) in self.headings.items():
            if trigger in triggers:
                return code
        return None

    def form(self, code: str) -> Form:
        if code not in self.forms:
            raise CivicError(_("Unknown form {form!r}; the pack has {forms}.").format(
                form=code, forms=", ".join(self.forms)))
        return self.forms[code]


def _source(table: dict[str, Any]) -> Source:
    return Source(str(table["regulation"]), str(table["edition"]), str(table["article"]))


def load_pack(name: str = DEFAULT_PACK, path: Path | None = None) -> Pack:
    """The pack `name` from packs/ (or the file `path`); a bad pack is a CivicError."""
    file = path or PACKS / f"{name}.toml"
    try:
        stat = file.stat()
    except FileNotFoundError:
        raise CivicError(_("No accountability pack {name!r}.").format(name=name)) from None
    # Read once per version of the file: every case step asks for the pack (the demo's 165
    # cases parsed it 338 times), and an office that edits its copy gets the edit.
    return _parsed(name, file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parsed(name: str, file: Path, _mtime_ns: int, _size: int) -> Pack:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        triggers = {t["code"]: (t["name"], t["article"]) for t in data["triggers"]}
        headings = {h["code"]: (h["name"], tuple(h["triggers"])) for h in data["headings"]}
        forms = {f["code"]: Form(f["code"], f["name"], f["family"], _source(f),
                                 f.get("effect"), f.get("months"), f.get("cap"))
                 for f in data["forms"]}
        deadlines = {key: Deadline(key, int(d["days"]), d["from"], _source(d),
                                   d.get("bound", "floor"))
                     for key, d in data["deadlines"].items()}
        escalation = tuple(sorted((int(e["days"]), e["level"]) for e in data["escalation"]))
        pack = Pack(data["pack"]["name"], data["pack"]["title"], triggers, headings, forms,
                    deadlines, escalation, _source(data["escalation_source"]),
                    str(data["pack"].get("trigger_regulation", "")))
    except FileNotFoundError:
        raise CivicError(_("No accountability pack {name!r}.").format(name=name)) from None
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise CivicError(_("{file}: not a usable accountability pack ({reason}).").format(
            file=file.name, reason=exc)) from None
    for code, (_name, listed) in pack.headings.items():
        unknown = [t for t in listed if t not in pack.triggers]
        if unknown:
            raise CivicError(_("{file}: heading {heading} names unknown triggers {triggers}.")
                             .format(file=file.name, heading=code, triggers=", ".join(unknown)))
    for form in pack.forms.values():
        if form.effect in RESTRICTING and not form.months:
            raise CivicError(_("{file}: form {form} has an effect but no period.").format(
                file=file.name, form=form.code))
    return pack


def deadline_settings(pack: Pack | None = None) -> list[Any]:
    """One office rule setting per deadline of the pack (`accountability.<name>_days`), its
    default and bound the regulation's number of days, with the pack's source."""
    from civic.rule_settings import RuleSetting
    from civic.rule_settings import Source as SettingSource

    pack = pack or load_pack()
    titles = {"appeal": N_("Days to appeal an accountability decision, from its service"),
              "answer": N_("Days to answer an appeal against an accountability decision")}
    out = []
    for name, rule in pack.deadlines.items():
        days = str(rule.days)
        out.append(RuleSetting(
            f"accountability.{name}_days", days, "count",
            titles.get(name, N_("Days of an accountability deadline")),
            SettingSource(rule.source.regulation, rule.source.edition, rule.source.article),
            floor=days if rule.bound == "floor" else "1",
            ceiling=days if rule.bound == "ceiling" else None))
    return out


def with_days(pack: Pack, days: dict[str, int]) -> Pack:
    """The pack with the office's number of days for the deadlines named in `days`."""
    from dataclasses import replace

    return replace(pack, deadlines={
        name: replace(rule, days=days.get(name, rule.days))
        for name, rule in pack.deadlines.items()})


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def deadline(start: dt.date, days: int, is_workday) -> dt.date:
    """The last day of a period of `days` calendar days counted from the day after `start`;
    a last day that is not a working day moves to the next working day."""
    last = start + dt.timedelta(days=days)
    while not is_workday(last):
        last += dt.timedelta(days=1)
    return last


def case_deadlines(pack: Pack, dates: dict[str, dt.date | None], is_workday) -> dict[str, Any]:
    """Each deadline of the pack whose starting step has a date: its last day and source."""
    out: dict[str, Any] = {}
    for name, rule in pack.deadlines.items():
        start = dates.get(rule.after)
        if start is not None:
            out[name] = {"last_day": deadline(start, rule.days, is_workday).isoformat(),
                         "days": rule.days, "from": rule.after, "source": str(rule.source)}
    return out


def check_step(status: str, step: str) -> None:
    if step not in NEXT.get(status, ()):
        allowed = ", ".join(_(STEP_LABELS[s]) for s in NEXT.get(status, ())) or _("none")
        raise CivicError(_("A case that is {status} cannot be {step}; next: {allowed}.").format(
            status=_(STEP_LABELS[status]), step=_(STEP_LABELS[step]), allowed=allowed))


@dataclass(frozen=True)
class Effect:
    """What a form does to a person: a core restriction from `start` until `until` (the first
    day it no longer holds), or a cap on the year's grade."""

    form: str
    kind: str  # no_promotion, no_equivalent_post, grade_cap
    start: dt.date
    until: dt.date | None
    rule: str
    cap: str | None = None
    year: int | None = None


def effects(pack: Pack, forms: list[str], decided: dt.date) -> list[Effect]:
    """The effects of a decision's forms, dated from the decision (execution is not
    suspended by an appeal)."""
    out: list[Effect] = []
    for code in forms:
        form = pack.form(code)
        if form.effect in RESTRICTING:
            assert form.months is not None  # load_pack checks it
            out.append(Effect(code, form.effect, decided, months_later(decided, form.months),
                              str(form.source)))
        elif form.effect == "grade_cap":
            out.append(Effect(code, "grade_cap", decided, dt.date(decided.year + 1, 1, 1),
                              str(form.source), cap=form.cap, year=decided.year))
    return out


def parse_forms(pack: Pack, text: str) -> list[str]:
    """Forms typed as the operator knows them (names such as 诫勉 or the pack's codes),
    separated by commas or 、, as the pack's codes in the order typed."""
    import re

    by_name = {f.name: f.code for f in pack.forms.values()}
    forms = []
    for item in (p.strip() for p in re.split(r"[,，、;；]", text)):
        if item:
            code = by_name.get(item, item)
            pack.form(code)  # an unknown one names the pack's
            if code not in forms:
                forms.append(code)
    check_forms(pack, forms)
    return forms


def check_forms(pack: Pack, forms: list[str]) -> None:
    if not forms:
        raise CivicError(_("A decision names at least one form."))
    for code in forms:
        pack.form(code)


def escalation_level(pack: Pack, due: dt.date, today: dt.date) -> str | None:
    """The level of a task open on `today` and due on `due`: None while not overdue."""
    overdue = (today - due).days
    level = None
    for days, name in pack.escalation:
        if overdue >= days:
            level = name
    return level


def may_read_content(role: str | None, roles: frozenset[str]) -> bool:
    """Whether an operator of `role` reads a case's content; `roles` are the office's."""
    return role is not None and role in roles


# --- inspection (巡察, 2008 practice: 思想政治建设巡察规定, 2008-03-24) ----------------------

INSPECTION_KINDS = ("daily", "special")
PROPOSAL_KINDS = ("reserve", "transfer", "demote", "remove")
WORK_COUNTS = ("talks", "questionnaires", "documents", "spot_checks")


def proposal_change(kind: str, current: str | None, target: str | None) -> tuple[str, str | None]:
    """How a decided proposal is recorded in core: ("reserve", post or None) enters the
    reserve pool; ("appoint", post) moves the person (a transfer or a demotion); ("remove",
    post) removes them from the post they hold."""
    if kind not in PROPOSAL_KINDS:
        raise CivicError(_("Unknown proposal {kind!r}; one of {kinds}.").format(
            kind=kind, kinds=", ".join(PROPOSAL_KINDS)))
    if kind == "reserve":
        return "reserve", target
    if kind == "remove":
        if current is None:
            raise CivicError(_("The person holds no post to be removed from."))
        return "remove", current
    if target is None:
        raise CivicError(_("A transfer or a demotion names the post."))
    return "appoint", target


def check_demotion(current_level: int | None, target_level: int | None) -> None:
    """A demotion goes to a post below the person's level."""
    if current_level is not None and target_level is not None \
            and target_level >= current_level:
        raise CivicError(_("A demotion is to a post below the person's level."))


def label(labels: dict[str, str], code: str | None) -> str:
    """A stored code in the operator's words (an unknown one as it is)."""
    return _(labels[code]) if code in labels else (code or "")
