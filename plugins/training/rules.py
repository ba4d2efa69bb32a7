"""Training requirements, credited hours, the leave rule and the training-day rule: pure.

Rules are data (packs/*.toml, each with its regulation, edition and article); this module reads
them and decides, without I/O beyond reading the packs:

- a requirement by rank: 县处级 and above, time over a rolling 5-year window with a catch-up
  year after a promotion; 乡科级 and below, time per calendar year (干部教育培训工作条例);
- credited hours: per category, capped by the pack (hours beyond a cap never raise the credit);
- withdrawal: leave over a fraction (1/7 by Party-school practice) of a programme's hours;
- Kunming's 2008 training day: at least four half-days a month on rest days.

Hours and days are `Fraction`s: a half-day is 1/2, and sums never drift.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path

from civic.i18n import N_

PACKS = Path(__file__).parent / "packs"
TRAINING_DAY_PACK = "kunming-training-day-2008"

# Categories of training, as the issue and the 条例 name them (the msgid is the English label).
CATEGORIES = {
    "full_time": N_("full-time / centralised"),
    "online": N_("online"),
    "lecture": N_("lecture"),
    "training_day": N_("training day"),
    "delegation": N_("study delegation"),
}
# A person's standing against the requirement (Status.value), as the operator reads it.
STATUS_WORDS = {"met": N_("requirement met"), "short": N_("short of the requirement")}
# Leave over 1/7 of a programme's hours withdraws the person (Party-school student rules:
# 请假超过总学时七分之一的，按退学处理). A setting of the office, never above 1/7.
LEAVE_FRACTION = Fraction(1, 7)
# Rank levels as civic.ladders numbers them: 副处 is 4 (the first county level).
RANK_LEVELS = {"clerk": 1, "deputy_section": 2, "section": 3, "deputy_division": 4,
               "division": 5, "deputy_bureau": 6, "bureau": 7}


@dataclass(frozen=True)
class Requirement:
    band: str  # "county" (县处级 and above) or "township" (乡科级 and below)
    min_level: int
    max_level: int
    window: str  # "rolling" (years back from the day) or "calendar_year"
    years: int
    days: Fraction | None
    hours: Fraction | None
    catch_up_years: int
    source: str  # regulation (edition) article
    note: str

    def met_by(self, hours: Fraction, days: Fraction) -> bool:
        """Either measure suffices: '3 months or 550 hours'."""
        return ((self.hours is not None and hours >= self.hours)
                or (self.days is not None and days >= self.days))


@dataclass(frozen=True)
class Pack:
    key: str
    regulation: str
    edition: str
    effective: dt.date
    requirements: tuple[Requirement, ...]
    caps: dict[str, Fraction] = field(default_factory=dict)

    def requirement_for(self, rank: str | None) -> Requirement | None:
        level = RANK_LEVELS.get(rank or "")
        if level is None:
            return None
        return next((r for r in self.requirements if r.min_level <= level <= r.max_level),
                    None)


@dataclass(frozen=True)
class TrainingDayRule:
    key: str
    source: str
    effective: dt.date
    min_half_days: int
    min_level: int


def _fraction(value: object) -> Fraction | None:
    return None if value is None else Fraction(str(value))


def _read(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


@cache
def packs() -> tuple[Pack, ...]:
    """The requirement packs shipped, oldest edition first."""
    out = []
    for path in sorted(PACKS.glob("gbjypx-*.toml")):
        data = _read(path)
        reqs = tuple(Requirement(
            band=r["band"], min_level=RANK_LEVELS[r.get("min_rank", "clerk")],
            max_level=RANK_LEVELS[r.get("max_rank", "bureau")], window=r["window"],
            years=int(r["years"]), days=_fraction(r.get("days")), hours=_fraction(r.get("hours")),
            catch_up_years=int(r.get("catch_up_years", 0)),
            source=f"{data['regulation']} ({data['edition']}) {r['article']}", note=r["note"])
            for r in data["requirement"])
        out.append(Pack(data["key"], data["regulation"], data["edition"], data["effective"],
                        reqs, {k: Fraction(v) for k, v in data.get("caps", {}).items()}))
    return tuple(sorted(out, key=lambda p: p.effective))


def pack_on(day: dt.date, key: str | None = None) -> Pack:
    """The pack in force on `day` (the latest effective on or before it), or the one named."""
    if key:
        for pack in packs():
            if pack.key == key:
                return pack
        raise KeyError(key)
    in_force = [p for p in packs() if p.effective <= day]
    return in_force[-1] if in_force else packs()[0]


@cache
def training_day_rule() -> TrainingDayRule:
    data = _read(PACKS / f"{TRAINING_DAY_PACK}.toml")
    return TrainingDayRule(data["key"], f"{data['regulation']} ({data['edition']}) "
                           f"{data['article']}", data["effective"], int(data["min_half_days"]),
                           RANK_LEVELS[data["min_rank"]])


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 Feb for 29 Feb in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: dt.date, years: int) -> dt.date:
    return years_before(day, -years)


def window(req: Requirement, on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day counted on `on`: a rolling window of `years` ending on `on`, or the
    calendar year so far."""
    if req.window == "calendar_year":
        return dt.date(on.year, 1, 1), on
    return years_before(on, req.years) + dt.timedelta(days=1), on


@dataclass(frozen=True)
class Attended:
    """One session a person attended: its day, category, hours and days (1/2 for a half-day)."""

    day: dt.date
    category: str
    hours: Fraction
    days: Fraction
    withdrawn: bool = False  # the person was withdrawn from the session's programme


@dataclass(frozen=True)
class Credit:
    raw: dict[str, Fraction]  # hours attended per category
    credited: dict[str, Fraction]  # hours credited per category (capped)
    days: Fraction  # days credited, scaled in a capped category like its hours

    @property
    def hours(self) -> Fraction:
        return _total(self.credited)

    @property
    def raw_hours(self) -> Fraction:
        return _total(self.raw)


def _total(by_category: dict[str, Fraction]) -> Fraction:
    # Most people have one category or none: no Fraction arithmetic for those.
    if len(by_category) == 1:
        return next(iter(by_category.values()))
    return sum(by_category.values(), Fraction(0))


def credit(records: Iterable[Attended], caps: dict[str, Fraction]) -> Credit:
    """Hours per category, each category capped; a withdrawn programme credits nothing."""
    raw: dict[str, Fraction] = {}
    raw_days: dict[str, Fraction] = {}
    for r in records:
        if r.withdrawn:
            continue
        # A category's first record is taken as it is (no addition to a zero Fraction).
        if r.category in raw:
            raw[r.category] += r.hours
            raw_days[r.category] += r.days
        else:
            raw[r.category] = r.hours
            raw_days[r.category] = r.days
    credited: dict[str, Fraction] = {}
    days = Fraction(0)
    for cat, hours in raw.items():
        cap = caps.get(cat)
        got = min(hours, cap) if cap is not None else hours
        credited[cat] = got
        # Scaled only when the cap cut the hours (most people's categories are not capped).
        days += raw_days[cat] * (got / hours) if hours and got != hours else raw_days[cat]
    return Credit(dict(raw), credited, days)


def withdrawn(programme_hours: Fraction, leave_hours: Fraction,
              fraction: Fraction = LEAVE_FRACTION) -> bool:
    """Leave over `fraction` of the programme's hours withdraws the person (exactly 1/7 does
    not: 超过 is 'more than')."""
    return programme_hours > 0 and leave_hours > programme_hours * fraction


@functools.lru_cache(maxsize=8192)
def _number_text(v: Fraction | None) -> str | None:
    """Hours or days as shown (two decimals at most); remembered, as a report words the same
    few figures for many people."""
    return None if v is None else str(round(float(v), 2)).removesuffix(".0")


@dataclass(frozen=True)
class Status:
    value: str  # "met" or "short"
    band: str
    source: str
    window_from: dt.date
    window_to: dt.date
    hours: Fraction
    days: Fraction
    required_hours: Fraction | None
    required_days: Fraction | None
    short_hours: Fraction | None
    short_days: Fraction | None
    due: dt.date | None  # the day by which the shortfall must be made up
    catch_up: bool  # inside the year after a promotion

    @property
    def overdue(self) -> bool:
        return self.value == "short" and self.due is not None and self.due < self.window_to

    def as_dict(self) -> dict:
        num = _number_text
        return {"status": self.value, "band": self.band, "source": self.source,
                "window": [self.window_from.isoformat(), self.window_to.isoformat()],
                "hours": num(self.hours), "days": num(self.days),
                "required_hours": num(self.required_hours),
                "required_days": num(self.required_days),
                "short_hours": num(self.short_hours), "short_days": num(self.short_days),
                "due": self.due.isoformat() if self.due else None, "catch_up": self.catch_up,
                "overdue": self.overdue}


def assess(rank: str | None, rank_since: dt.date | None, records: Iterable[Attended],
           on: dt.date, pack: Pack) -> Status | None:
    """The person's standing against the pack's requirement for their rank on `on`.

    Only records inside the window count. A person promoted within the catch-up years is
    short until the day the catch-up ends (`due`), not overdue; anyone else short is due on
    `on` itself (rolling) or at the year's end (calendar year).
    """
    req = pack.requirement_for(rank)
    if req is None:
        return None
    start, end = window(req, on)
    got = credit((r for r in records if start <= r.day <= end), pack.caps)
    met = req.met_by(got.hours, got.days)
    catch_up = bool(req.catch_up_years and rank_since
                    and on < years_after(rank_since, req.catch_up_years))
    if met:
        due = None
    elif catch_up:
        assert rank_since is not None
        due = years_after(rank_since, req.catch_up_years)
    elif req.window == "calendar_year":
        due = dt.date(on.year, 12, 31)
    else:
        due = on
    short_h = None if req.hours is None or met else max(req.hours - got.hours, Fraction(0))
    short_d = None if req.days is None or met else max(req.days - got.days, Fraction(0))
    return Status("met" if met else "short", req.band, req.source, start, end, got.hours,
                  got.days, req.hours, req.days, short_h, short_d, due, catch_up)


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    half_days: int  # half-days attended on rest days
    required: int
    not_counted: int  # half-days attended on working days (they do not count)

    @property
    def met(self) -> bool:
        return self.half_days >= self.required

    def as_dict(self) -> dict:
        return {"month": self.month, "half_days": self.half_days, "required": self.required,
                "not_counted": self.not_counted, "met": self.met}


def training_day_month(attended: Iterable[tuple[dt.date, Fraction]], month: str,
                       is_workday: Callable[[dt.date], bool],
                       rule: TrainingDayRule | None = None) -> Month:
    """Kunming's training day: half-days of training-day sessions attended in `month` on rest
    days of the official calendar (a day session is two half-days)."""
    rule = rule or training_day_rule()
    rest = work = 0
    for day, days in attended:
        if day.strftime("%Y-%m") != month:
            continue
        halves = int(days * 2)
        if is_workday(day):
            work += halves
        else:
            rest += halves
    return Month(month, rest, rule.min_half_days, work)


def _settings() -> tuple:
    from civic.rule_settings import RuleSetting, Source

    leave = RuleSetting(
        "training.leave_fraction", "1/7", "fraction",
        N_("Leave above this share of a programme's hours withdraws the person"),
        # The Party school's own student rules, as the office's school has them in force
        # (DOMAIN.md: "a setting, sourced as such"); the office may only be stricter.
        Source("党校学员管理规定", "本地党校现行", "请假条款",
               "请假超过总学时七分之一的，按退学处理"),
        floor="0", ceiling="1/7")
    block = RuleSetting(
        "training.short_blocks_promotion", "0", "count",
        N_("Training short of the requirement blocks promotion (1) or is shown only (0)"),
        Source("干部教育培训工作条例", "2015", "第十三条",
               "培训情况作为干部考核和任职的依据之一；是否阻止提拔由本单位决定"),
        floor="0", ceiling="1")
    return leave, block


LEAVE_SETTING, BLOCK_SETTING = _settings()
