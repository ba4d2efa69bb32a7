"""What the demo office holds, drawn from one `random.Random` before anything is written."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from civic.demo import org
from civic.demo.people import AS_OF, LEADERS, RANK_ORDER, make_person, years


@dataclass(frozen=True)
class Move:
    """One historical appointment or removal, recorded through `registry.appoint`."""

    effective: dt.date
    person: str
    position: str | None
    action: str = "appoint"
    note: str | None = None


@dataclass
class Plan:
    units: list[dict]
    positions: list[dict]
    people: list[dict]
    moves: list[Move] = field(default_factory=list)
    reserve: list[tuple[str, str]] = field(default_factory=list)  # (person, note)
    final_status: dict[str, str] = field(default_factory=dict)  # after their last move


# Eleven 正县级 posts fell vacant in the first months of 2008 (the report's July 2008 nomination
# filled them; that is the nomination plugin's part of the demo). (unit, role) -> how: promoted
# or moved to the post named by (unit, role), retired, or transferred to the province.
VACATED: dict[tuple[str, str], tuple[str, tuple[str, str] | None, str]] = {
    ("KM-GOV", "secretary_general"): ("promoted", ("KM-GOV", "deputy"), "提任副市长"),
    ("KM-FGW", "head"): ("promoted", ("KM-SW", "member"), "提任市委常委"),
    ("KM-XS-SW", "head"): ("promoted", ("KM-RD", "deputy"), "提任市人大常委会副主任"),
    ("KM-GHJ", "head"): ("promoted", ("KM-ZX", "deputy"), "提任市政协副主席"),
    ("KM-GD-GOV", "head"): ("moved", ("KM-RD", "secretary_general"), "交流任职"),
    ("KM-GZW", "head"): ("moved", ("KM-GZW-E01", "chair"), "交流任职"),
    ("KM-CZJ", "head"): ("retired", None, "到龄退休"),
    ("KM-WSJ", "head"): ("retired", None, "到龄退休"),
    ("KM-CG-SW", "head"): ("retired", None, "到龄退休"),
    ("KM-AN-SW", "head"): ("transferred", None, "调任省级机关工作"),
    ("KM-JYJ", "head"): ("transferred", None, "调任省级机关工作"),
}
OTHER_STATUSES = (("retired", 30, (56, 60)), ("transferred", 20, None), ("removed", 4, None))
NON_LEADING = (("clerk", 50), ("deputy_section", 30), ("section", 20))  # 非领导职务
OFFICE_KINDS = ("party", "government", "department", "congress", "cppcc", "discipline",
                "mass_org")


# 籍贯 as locals write it: the city for its urban districts, else the county.
LOCAL_PLACE = {code: "云南昆明" if kind == "district" and code != "KM-DC" else "云南" + name[:2]
               for code, name, _region, kind in org.COUNTIES}


def local_place(unit: org.Unit) -> str:
    return LOCAL_PLACE.get(unit.county or "", "云南昆明")


class People:
    """The people drawn so far, numbered in order (C00001, ...), ID numbers kept unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict] = []
        self._serial = itertools.count(1)
        self._ids: set[str] = set()

    def add(self, rank: str, unit: org.Unit, **kw: Any) -> dict:
        row = make_person(self.rng, code=f"C{next(self._serial):05d}", rank=rank,
                          unit=unit.code, county=unit.county, local_place=local_place(unit),
                          region=unit.region, taken_ids=self._ids, **kw)
        self.rows.append(row)
        return row


Holders = dict[str, list[dict]]  # position code -> people rows holding it


def make_plan(rng: random.Random, target: int = 3000) -> Plan:
    units = org.all_units()
    slots = org.slots(units)
    by_unit = {u.code: u for u in units}
    people = People(rng)
    person = people.add
    holders: Holders = {}
    slot_of = {(s.unit.code, s.post.key): s.row["code"] for s in slots}
    for slot in slots:
        row = slot.row
        if (slot.unit.code, slot.post.key) in VACATED:
            continue
        count = row["headcount"]
        if row["rank_level"] in ("clerk", "deputy_section"):
            count -= sum(rng.random() < 0.04 for _i in range(count))  # a few junior vacancies
        ethnic = org.AUTONOMOUS.get(slot.unit.county or "", ()) \
            if slot.post.notes == org.AUTONOMOUS_NOTE else ()
        for _i in range(count):
            holder = person(row["rank_level"], slot.unit, ethnicities=ethnic,
                            party_required=bool(row["party_required"]))
            holder["position"] = row["code"]
            holders.setdefault(row["code"], []).append(holder)

    plan = Plan([_unit_row(u) for u in units], [s.row for s in slots], people.rows)
    done = _vacate(rng, plan, holders, slot_of, by_unit, people)
    _leader_history(rng, plan, holders, slots, done)
    for status, count, ages in OTHER_STATUSES:
        for _i in range(count):
            unit = rng.choice([u for u in units if u.kind in OFFICE_KINDS])
            rank = rng.choice(RANK_ORDER[:5])
            row = person(rank, unit, ages=ages)
            row["status"] = status
    offices = [u for u in units if u.kind in OFFICE_KINDS and u.posts]
    while len(people.rows) < target:
        rank = rng.choices([r for r, _w in NON_LEADING], [w for _r, w in NON_LEADING])[0]
        person(rank, rng.choice(offices))
    _reserve(rng, plan)
    return plan


def _unit_row(unit: org.Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "parent": unit.parent, "kind": unit.kind}


def _vacate(rng: random.Random, plan: Plan, holders: Holders,
            slot_of: dict[tuple[str, str], str], by_unit: dict[str, org.Unit],
            people: People) -> set[str]:
    """Give each of the 11 posts a former holder and the move that left it vacant."""
    done: set[str] = set()
    for vacated, (reason, target, note) in VACATED.items():
        code = slot_of[vacated]
        post = next(p for p in plan.positions if p["code"] == code)
        left = dt.date(2008, 1, 8) + dt.timedelta(days=rng.randrange(130))
        if target:
            holder = rng.choice(holders[slot_of[target]])
            came = max(left - years(rng.uniform(3, 7)),
                       dt.date.fromisoformat(holder["work_start"]) + years(12))
            came = min(came, left - years(1))
            holder["rank_since"] = (left if reason == "promoted" else came).isoformat()
            plan.moves += [Move(came, holder["code"], code),
                           Move(left, holder["code"], slot_of[target], note=note)]
        else:
            ages = (60, 60) if reason == "retired" else None
            holder = people.add("division", by_unit[post["unit"]], ages=ages,
                                party_required=True)
            came = min(dt.date.fromisoformat(holder["rank_since"]), left - years(2))
            holder["rank_since"] = came.isoformat()
            plan.final_status[holder["code"]] = holder["status"] = reason
            plan.moves += [Move(came, holder["code"], code),
                           Move(left, holder["code"], code, "remove", note)]
        done.add(holder["code"])
    return done


def _leader_history(rng: random.Random, plan: Plan, holders: Holders, slots: list[org.Slot],
                    done: set[str]) -> None:
    """County level and up: the current appointment on record, half with the post before."""
    shared: dict[str, list[str]] = {}  # earlier posts come from ranks with several places, so no post is held twice
    for slot in slots:
        if slot.row["headcount"] > 1:
            shared.setdefault(slot.row["rank_level"], []).append(slot.row["code"])
    for code, rows in holders.items():
        for row in rows:
            if row["rank"] not in LEADERS or row["code"] in done:
                continue
            since = dt.date.fromisoformat(row["rank_since"])
            before = RANK_ORDER[RANK_ORDER.index(row["rank"]) - 1]
            if rng.random() < 0.5 and shared.get(before):
                earlier = since - years(rng.uniform(2, 5))
                if earlier > dt.date.fromisoformat(row["work_start"]) + years(6):
                    plan.moves.append(Move(earlier, row["code"], rng.choice(shared[before])))
            plan.moves.append(Move(since, row["code"], code))


def _reserve(rng: random.Random, plan: Plan) -> None:
    """The 2007 reserve list: young deputy county-level and section-level cadres."""
    def young(rank: str, max_age: int) -> list[str]:
        born_after = AS_OF - years(max_age + 1)
        return [p["code"] for p in plan.people
                if p["rank"] == rank and p["status"] == "serving" and p["position"]
                and dt.date.fromisoformat(p["birth_date"]) > born_after
                and p["education"] in ("bachelor", "master", "doctor")]

    for rank, count, age, note in (("deputy_division", 30, 45, "正县级后备干部"),
                                   ("section", 50, 40, "副县级后备干部")):
        pool = young(rank, age)
        plan.reserve += [(code, note) for code in sorted(rng.sample(pool, min(count, len(pool))))]
