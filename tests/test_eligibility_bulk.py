"""The bulk eligibility check (`problems_many`) finds what the per-pair check finds.

`problems_many` is the fast path of `civic eligible` and of a placement run: it reads the
people's restrictions in one query and asks plugins once per batch. Whatever the data, it must
agree with `problems`, pair by pair and in order.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.plugin_example.plugin as example
from civic.db import migrate, open_db
from civic.eligibility import BATCH, problems, problems_many
from civic.facts import Fact
from civic.ladders import EDUCATION, RANKS
from civic.pm import make_plugin_manager

ON = dt.date(2008, 7, 1)
RANK_CODES = [s.code for s in RANKS]
EDU_CODES = [s.code for s in EDUCATION]


@pytest.fixture(scope="module")
def plugged(tmp_path_factory):
    # The example plugin implements both hook forms: one per pair, one per batch.
    pm = make_plugin_manager(only=[], extra=[example])
    db = open_db(tmp_path_factory.mktemp("bulk") / "p.db")
    migrate(db, pm)
    return pm, db


maybe_day = st.one_of(st.none(), st.dates(dt.date(1940, 1, 1), dt.date(2010, 1, 1)))
people = st.fixed_dictionaries({
    "code": st.sampled_from(["P1", "P2", "P3", "P4"]),
    "status": st.sampled_from(["serving", "reserve", "retired"]),
    "rank": st.one_of(st.none(), st.sampled_from(RANK_CODES)),
    "rank_since": maybe_day.map(lambda d: d and d.isoformat()),
    "birth_date": maybe_day.map(lambda d: d and d.isoformat()),
    "education": st.one_of(st.none(), st.sampled_from(EDU_CODES)),
    "party": st.sampled_from([None, "中共党员", "中共预备党员", "群众"]),
    "tags": st.sampled_from(["", "blocked", "suspended", "blocked suspended"]),
})
positions = st.fixed_dictionaries({
    "code": st.sampled_from(["X", "Y"]),
    "min_rank": st.one_of(st.none(), st.sampled_from(RANK_CODES)),
    "rank_level": st.one_of(st.none(), st.sampled_from(RANK_CODES)),
    "min_years_in_rank": st.sampled_from([None, 0, 1, 2, 3]),
    "max_age": st.sampled_from([None, 35, 45, 55]),
    "min_education": st.one_of(st.none(), st.sampled_from(EDU_CODES)),
    "party_required": st.sampled_from([0, 1]),
})
restriction = st.builds(
    lambda n, person, value, start, days, level: Fact(
        n, person, "restriction", value, start, start + dt.timedelta(days=days) if days
        else None, "test", f"t{n}", data={"level": level} if level else {}),
    st.integers(1, 10**6), st.sampled_from(["P1", "P2", "P3"]),
    st.sampled_from(["no_promotion", "no_equivalent_post", "no_candidacy"]),
    st.dates(dt.date(2006, 1, 1), dt.date(2009, 1, 1)), st.sampled_from([0, 30, 800]),
    st.one_of(st.none(), st.sampled_from(RANK_CODES)))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persons=st.lists(people, min_size=1, max_size=4),
       posts=st.lists(positions, min_size=1, max_size=3),
       picks=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), max_size=12),
       facts=st.lists(restriction, max_size=5))
def test_bulk_agrees_with_one_pair_at_a_time(plugged, persons, posts, picks, facts):
    # The same person dict comes back for several posts, as an officer's listed posts do:
    # what the bulk check works out once per person must hold for each post.
    pm, db = plugged
    pairs = [(persons[i % len(persons)], posts[j % len(posts)]) for i, j in picks]
    by_person: dict[str, list[Fact]] = {}
    for fact in facts:
        by_person.setdefault(fact.person, []).append(fact)
    slow = [problems(pm, db, person, position, ON, restrictions=by_person.get(person["code"], ()))
            for person, position in pairs]
    fast = list(problems_many(pm, db, pairs, ON, restrictions=by_person))
    assert [(p, q) for p, q, _found in fast] == pairs
    assert [found for _p, _q, found in fast] == slow


def test_a_plugin_is_asked_once_per_batch_not_once_per_pair(plugged, monkeypatch):
    pm, db = plugged
    calls: list[int] = []
    real = example.eligibility_problems_many

    def counting(db, pairs, on_date):
        calls.append(len(pairs))
        return real(db, pairs, on_date)

    # pluggy keeps the function it registered: count through the hook implementation.
    impl = next(i for i in pm.hook.eligibility_problems_many.get_hookimpls()
                if i.plugin is example)
    monkeypatch.setattr(impl, "function", counting)
    person = {"code": "P1", "status": "serving", "tags": "suspended"}
    found = list(problems_many(pm, db, [(person, {"code": "X"})] * (BATCH + 1), ON))
    assert calls == [BATCH, 1]
    assert all([p.condition for p in f] == ["commendations.suspended"] for _a, _b, f in found)


def test_restrictions_are_read_from_the_database_when_not_given(plugged):
    pm, db = plugged
    # No restriction recorded: the query finds none, and a serving person with no post
    # conditions passes (the case of a post without conditions).
    found = list(problems_many(pm, db, [({"code": "P9", "status": "serving"}, {})], ON))
    assert found[0][2] == []


@pytest.mark.parametrize("spool", [1 << 21, 1, 200])  # held in memory; spilled each entry, some
@pytest.mark.parametrize(("position", "on"), [
    ("P-MSZ", "2008-07-01"),  # some eligible, some not
    ("P-XSFQ", "1990-01-01"),  # nobody has the years at rank yet: an empty eligible list
])
def test_eligible_json_streams_the_same_report(civic_registry, civic_cli, monkeypatch,
                                               position, on, spool):
    # The streamed JSON is read back as the very object the report function builds, whether
    # the failing people wait in memory or in a temporary file.
    from civic.cli import registry_cmds
    from civic.registry import eligibility_report

    monkeypatch.setattr(registry_cmds, "SPOOL_CHARS", spool)
    office = civic_registry
    out = civic_cli("eligible", position, "--on", on, "--json")
    assert out.exit_code == 0, out.output
    report = eligibility_report(office.db, office.pm, position, dt.date.fromisoformat(on))
    assert json.loads(out.output) == report
    assert report["checked"] == len(report["eligible"]) + len(report["ineligible"]) > 0


def test_people_page_by_key_matches_the_plain_offset_read(civic_registry):
    from civic.registry import PeopleQuery, people_page

    db = civic_registry.db
    columns = "code, name, gender, birth_date, rank, unit, position, status"
    for query in (PeopleQuery(), PeopleQuery(unit="KM-XS"), PeopleQuery(text="C000")):
        where, params = query.where()
        plain = list(db.query(f"SELECT {columns} FROM people{where} ORDER BY code", params))
        for offset in range(len(plain) + 2):
            for limit in (1, 2, 100):
                assert people_page(db, query, offset=offset, limit=limit) == \
                    plain[offset:offset + limit]
        codes = [p["code"] for p in plain]
        for n, code in enumerate(codes):
            assert people_page(db, query, after=code, limit=2) == plain[n + 1:n + 3]


def _plain_core(person: dict, position: dict, on: dt.date) -> list:
    """The core conditions written plainly, one value worked out where it is read, nothing
    remembered (the code before the checks remembered values across people): the reference
    the fast path must agree with."""
    from civic.dates import age_on, full_years
    from civic.eligibility import ACTIVE_STATUSES, Problem, is_party_member, problem_message

    def problem(condition, required, actual):
        return Problem(condition, required, actual,
                       problem_message(condition, required, actual) or condition)

    def day(value):
        return None if value in (None, "") else dt.date.fromisoformat(str(value))

    levels = {s.code: s.level for s in RANKS}
    edus = {s.code: s.level for s in EDUCATION}
    out = []
    if person.get("status", "serving") not in ACTIVE_STATUSES:
        out.append(problem("status", "serving", person.get("status")))
    rank_failed = above = False
    if position.get("min_rank"):
        have = levels.get(person.get("rank") or "")
        need = levels[position["min_rank"]]
        if have is None or have < need:
            out.append(problem("min_rank", position["min_rank"], person.get("rank")))
            rank_failed = True
        above = have is not None and have > need
    years = position.get("min_years_in_rank")
    if years and not rank_failed and not above:
        since = day(person.get("rank_since"))
        served = full_years(since, on) if since else 0
        if since is None or served < years:
            out.append(problem("min_years_in_rank", years, served))
    if position.get("max_age"):
        born = day(person.get("birth_date"))
        age = None if born is None else age_on(born, on)
        if age is None or age > position["max_age"]:
            out.append(problem("max_age", position["max_age"], age))
    if position.get("min_education"):
        have_e = edus.get(person.get("education") or "")
        if have_e is None or have_e < edus[position["min_education"]]:
            out.append(problem("min_education", position["min_education"],
                               person.get("education")))
    if position.get("party_required") and not is_party_member(person.get("party")):
        out.append(problem("party_required", True, person.get("party")))
    return out


@settings(max_examples=300)
@given(person=people, position=positions,
       years=st.sampled_from([None, 0, 1, 2, 2.0, 2.5, 3]),
       on=st.dates(dt.date(1990, 1, 1), dt.date(2012, 12, 31)))
def test_core_check_agrees_with_the_plain_one(person, position, years, on):
    # The fast core check remembers values by what they are worked out from (a date, the
    # words of a party, a whole problem): whatever the data, it finds the same problems, with
    # the same values (2 and 2.0 kept apart) and the same messages.
    from civic.eligibility import core_problems

    position = {**position, "min_years_in_rank": years}
    found = core_problems(person, position, on)
    plain = _plain_core(person, position, on)
    assert found == plain
    assert [(type(p.required), type(p.actual)) for p in found] == \
        [(type(p.required), type(p.actual)) for p in plain]
