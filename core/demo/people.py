"""One plausible cadre record at a time: age, schooling, career and rank that fit together.

Every draw comes from the `rng` passed in, in a fixed order, so a seed gives the same people.
Dates are as of the records' date AS_OF (1 June 2008), the eve of the demo's first entry.
"""

from __future__ import annotations

import datetime as dt
import random

from civic.demo import names

AS_OF = dt.date(2008, 6, 1)
YEAR = 365.25

RANK_ORDER = ("clerk", "deputy_section", "section", "deputy_division", "division",
              "deputy_bureau", "bureau")
# Ages on AS_OF by rank (lowest, highest), and the share of men (leadership was mostly male).
AGES = {"bureau": (50, 59), "deputy_bureau": (44, 58), "division": (39, 58),
        "deputy_division": (33, 56), "section": (29, 57), "deputy_section": (27, 57),
        "clerk": (25, 50)}
MALE_SHARE = {"bureau": 0.92, "deputy_bureau": 0.86, "division": 0.85,
              "deputy_division": 0.78, "section": 0.68, "deputy_section": 0.6, "clerk": 0.5}
LEADERS = ("deputy_division", "division", "deputy_bureau", "bureau")

EDUCATION_WEIGHTS = {
    "leader": (("college", 10), ("bachelor", 60), ("master", 26), ("doctor", 4)),
    "section": (("high_school", 3), ("college", 25), ("bachelor", 60), ("master", 12)),
    "staff": (("high_school", 4), ("college", 28), ("bachelor", 60), ("master", 8)),
}
# Age on starting work, by education: (earliest, latest).
START_AGE = {"high_school": (18, 20), "college": (20, 22), "bachelor": (21, 23),
             "master": (24, 26), "doctor": (27, 29)}
OTHER_PARTIES = ("中国民主同盟盟员", "中国民主建国会会员", "中国民主促进会会员",
                 "中国农工民主党党员", "中国致公党党员", "九三学社社员", "无党派人士")
PARTY_SHARE = {"leader": 0.93, "section": 0.85, "deputy_section": 0.75, "clerk": 0.5}

# When each Kunming code was in use, as python-stdnum checks it against the birth year.
REGION_YEARS = {"530100": (0, 9999), "530102": (1983, 9999), "530103": (1983, 9999),
                "530111": (1983, 9999), "530112": (1983, 9999), "530113": (1998, 9999),
                "530121": (0, 2011), "530122": (0, 2016), "530123": (0, 1995),
                "530124": (0, 9999), "530125": (1983, 9999), "530126": (1998, 9999),
                "530127": (1983, 9999), "530128": (1985, 9999), "530129": (1998, 9999),
                "530181": (1995, 9999)}
# Before a code existed, people were registered under the code of the day.
REGION_BEFORE = {"530181": "530123"}
URBAN = ("530102", "530103", "530111", "530112")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def years(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n * YEAR))


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def id_number(rng: random.Random, region: str, born: dt.date, male: bool,
              taken: set[str]) -> str:
    """A resident ID number with a valid ISO 7064 MOD 11-2 check digit (GB 11643-1999)."""
    if region == "530100":
        region = rng.choice(URBAN)
    first, last = REGION_YEARS[region]
    if not first <= born.year <= last:
        region = REGION_BEFORE.get(region, "530100")
        if not REGION_YEARS[region][0] <= born.year <= REGION_YEARS[region][1]:
            region = "530100"
    while True:
        serial = rng.randrange(1, 499) * 2 + (1 if male else 0)
        body = f"{region}{born:%Y%m%d}{serial:03d}"
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
                              % 11]
        number = body + check
        if number not in taken:
            taken.add(number)
            return number


def tier(rank: str) -> str:
    if rank in LEADERS:
        return "leader"
    return rank if rank in ("section", "deputy_section") else "clerk"


def make_person(rng: random.Random, *, code: str, rank: str, unit: str, county: str | None,
                local_place: str, region: str, party_required: bool = False,
                ethnicities: tuple[str, ...] = (), ages: tuple[int, int] | None = None,
                taken_ids: set[str]) -> dict:
    """A `people` row for someone holding `rank` in `unit` on AS_OF."""
    male = rng.random() < MALE_SHARE[rank]
    gender = "男" if male else "女"
    lo, hi = ages or AGES[rank]
    if ages is None and not male and RANK_ORDER.index(rank) < RANK_ORDER.index("division"):
        hi = min(hi, 54)  # women below county level retired at 55
    age = rng.triangular(lo, hi + 0.999, lo + (hi - lo) * 0.55)
    born = AS_OF - dt.timedelta(days=int(age * YEAR))
    ethnic = rng.choice(ethnicities) if ethnicities else names.ethnicity(rng, county)
    name = names.full_name(rng, gender, ethnic)
    military = male and born.year <= 1972 and rng.random() < (0.2 if "GAJ" in unit else 0.06)
    education = names.weighted(rng, EDUCATION_WEIGHTS[
        tier(rank) if tier(rank) in EDUCATION_WEIGHTS else "staff"])
    if born.year < 1958 and education in ("master", "doctor") and rng.random() < 0.6:
        education = "bachelor"  # the older cohorts studied before graduate schools reopened
    if military:
        education = rng.choice(("college", "bachelor", "bachelor"))
        start_age = rng.uniform(17, 19)  # service counts as work from enlistment
    else:
        start_age = rng.uniform(*START_AGE[education]) + rng.random()
    work_start = min(born + years(start_age), AS_OF - years(1))
    tags = []
    if military:
        tags.append("军转干部")
    elif education != "high_school" and work_start.year >= 1996 and rng.random() < 0.12:
        tags.append("选调生")
    step = RANK_ORDER.index(rank)
    latest = AS_OF - dt.timedelta(days=60)
    if step == 0:
        rank_since = min(work_start + years(1), latest)  # 科员 after the probation year
    else:
        earliest = work_start + years(step * 3)
        if earliest > latest:
            earliest = work_start + (latest - work_start) * 0.7
        span = min((latest - earliest).days, int(10 * YEAR))
        rank_since = latest - dt.timedelta(days=int(span * rng.random() ** 1.3))
    party, joined = _party(rng, rank, party_required, born, work_start)
    return {
        "code": code, "name": name, "gender": gender, "birth_date": born.isoformat(),
        "ethnicity": ethnic, "native_place": names.native_place(rng, local_place, ethnic),
        "id_number": id_number(rng, region, born, male, taken_ids)
        if rng.random() < 0.85 else None,
        "party": party, "party_joined": joined, "education": education,
        "work_start": work_start.isoformat(), "rank": rank,
        "rank_since": rank_since.isoformat(), "unit": unit, "position": None,
        "status": "serving", "tags": ";".join(tags),
    }


def _party(rng: random.Random, rank: str, required: bool, born: dt.date,
           work_start: dt.date) -> tuple[str, str | None]:
    share = PARTY_SHARE["leader" if rank in LEADERS else tier(rank)]
    if required or rng.random() < share:
        earliest = max(born + years(18), work_start - years(2))
        latest = min(AS_OF - years(1), work_start + years(12))
        return "中共党员", _between(rng, earliest, latest).isoformat()
    if rank in LEADERS:
        return rng.choice(OTHER_PARTIES), None
    roll = rng.random()
    if roll < 0.1:
        return "中共预备党员", _between(rng, AS_OF - years(1), AS_OF).isoformat()
    if roll < 0.4 and AS_OF.year - born.year <= 28:
        return "共青团员", None
    return "群众", None
