"""Pure placement rules: post conditions, military ranks, runs sealed and live, explanations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.allocation import posts_only
from civic.errors import CivicError
from civic.plugins.placement.rules import (
    BatchInputs,
    Condition,
    Outcome,
    Pick,
    civil_rank,
    completed_years,
    condition_problems,
    explain,
    number,
    parse_conditions,
    rank_officers,
    replay,
    resolve_live,
    resolve_sealed,
)
from civic.scoring import parse_scheme

COLUMNS = {"rank": "rank", "职务等级": "rank", "specialty": "specialty", "专业": "specialty"}


def resolve(text: str) -> str | None:
    return COLUMNS.get(text.strip())


# --- post conditions -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("", ()),
    ("rank=正团", (Condition("rank", frozenset({"正团"})),)),
    ("职务等级 = 正团|副团", (Condition("rank", frozenset({"正团", "副团"})),)),
    ("专业!=后勤；rank=正团", (Condition("specialty", frozenset({"后勤"}), True),
                               Condition("rank", frozenset({"正团"})))),
    ("专业＝财务｜审计", (Condition("specialty", frozenset({"财务", "审计"})),)),  # full-width
])
def test_conditions_parse(text, expected):
    assert parse_conditions(text, resolve) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("rank", "COLUMN=VALUE"),
    ("军衔=大校", "not a column"),
    ("rank=|", "names no value"),
])
def test_bad_conditions_say_why(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_conditions(text, resolve)


@pytest.mark.parametrize(("condition", "record", "holds"), [
    ("specialty=财务|审计", {"specialty": "审计"}, True),
    ("specialty=财务|审计", {"specialty": "工程、审计"}, True),  # a cell may list several
    ("specialty=财务|审计", {"specialty": "工程"}, False),
    ("specialty=财务", {}, False),
    ("specialty!=后勤", {}, True),
    ("specialty!=后勤", {"specialty": "后勤;通信"}, False),
])
def test_conditions_hold(condition, record, holds):
    conditions = parse_conditions(condition, resolve)
    assert (condition_problems(conditions, record) == []) is holds


# Source: 军队转业干部安置暂行办法 (2001) art. 24 — 团级 to 县(处)级, 营级 to 科级.
@pytest.mark.parametrize(("grade", "rank"), [
    ("正团", "division"), ("副团职", "deputy_division"), ("正营级", "section"),
    ("副营", "deputy_section"), ("大校", None), ("", None), (None, None),
])
def test_military_grades_count_as_civilian_ranks(grade, rank):
    assert civil_rank(grade) == rank


# Source: 2001 暂行办法 art. 24 as DOMAIN.md cites it: a 团职 officer who held the grade for the
# minimum years (placement.min_years_in_grade, 3) gets the matching post; one under it counts
# one grade down. Cut-off 2008-06-30; the anniversary day counts as a completed year.
@pytest.mark.parametrize(("grade", "since", "rank"), [
    ("正团", "2005-06-30", "division"),         # 3 years to the day
    ("正团", "2005-07-01", "deputy_division"),  # one day short: as 副团
    ("副团", "2004-01-01", "deputy_division"),
    ("副团职", "2007-12-01", "section"),        # as 正营
    ("正营", "2008-01-01", "section"),          # not 团职: no minimum-years step
    ("正团", None, "division"),                 # no date: the grade's own mapping
])
def test_minimum_years_in_grade(grade, since, rank):
    start = dt.date.fromisoformat(since) if since else None
    assert civil_rank(grade, start, dt.date(2008, 6, 30), 3) == rank


@pytest.mark.parametrize(("since", "cutoff", "years"), [
    ("2005-06-30", "2008-06-30", 3), ("2005-07-01", "2008-06-30", 2),
    ("2004-02-29", "2008-02-28", 3), ("2004-02-29", "2008-02-29", 4),
])
def test_completed_years(since, cutoff, years):
    assert completed_years(dt.date.fromisoformat(since), dt.date.fromisoformat(cutoff)) == years


# The art. 19 factors in the shipped Kunming pack (plugins/placement/schemes/kunming-2008.toml):
# each component's points from its source comment in the pack. Base record: 正团, service from
# 1982.10, 正团 since 2003-07-01, no awards, assessment 80, exam 70; cut-off 2008-06-30.
@pytest.mark.parametrize(("extra", "component", "points"), [
    ({}, "wartime_awards", "0"),
    ({"wartime_awards": "三等功"}, "wartime_awards", "10"),      # = 平时二等功 (art. 19)
    ({"wartime_awards": "一等功;二等功"}, "wartime_awards", "40"),  # 60, capped at 40
    ({"awards": "二等功"}, "awards", "10"),                       # peacetime, as before
    ({"hard_region_years": "4"}, "hard_region_years", "2"),       # 0.5 a completed year
    ({"hard_region_years": "12.5"}, "hard_region_years", "5"),    # 6, capped at 5 (10 years)
    ({"flying_ship_years": "3.9"}, "flying_ship_years", "1.5"),   # completed years only
    ({"disability": "因战致残"}, "disability", "6"),
    ({"disability": "因公致残"}, "disability", "4"),
])
def test_the_art_19_factors_score(extra, component, points):
    from civic.plugins.placement.demo import SCHEME as PACK
    from civic.scoring import load_scheme

    base = {"rank": "正团", "service_start": "1982.10", "rank_date": "2003-07-01",
            "awards": "", "assessment": "80", "exam": "70"}
    scored = load_scheme(PACK).score({**base, **extra}, dt.date(2008, 6, 30))
    assert scored.components[component] == Decimal(points)
    plain = load_scheme(PACK).score(base, dt.date(2008, 6, 30))
    assert scored.total - plain.total == scored.components[component] - plain.components[
        component]


def test_an_unknown_disability_is_an_error_not_zero():
    from civic.plugins.placement.demo import SCHEME as PACK
    from civic.scoring import load_scheme

    record = {"rank": "正团", "service_start": "1982.10", "rank_date": "2003-07-01",
              "awards": "", "assessment": "80", "exam": "70", "disability": "残疾"}
    assert load_scheme(PACK).problems(record, dt.date(2008, 6, 30)) == [
        ("disability", "'残疾' is not in the points table (因战致残、因公致残)")]


@pytest.mark.parametrize(("value", "json"), [
    (Decimal("158.15"), 158.15), (Decimal("60.00"), 60), (Decimal("0.10"), 0.1),
])
def test_numbers_in_json(value, json):
    assert number(value) == json and type(number(value)) is type(json)


# --- runs ----------------------------------------------------------------------------------

SCHEME = parse_scheme("""
tie_break = ["score desc", "draw"]
[[components]]
name = "exam"
kind = "numeric"
column = "exam"
""")


def inputs(scores: dict[str, int], capacity: dict[str, int], prefs=None, banned=(),
           preassigned=None, seed: int = 7) -> BatchInputs:
    return BatchInputs(
        batch=1, scheme=SCHEME, scheme_sha256="x", cutoff=dt.date(2008, 6, 30), seed=seed,
        officers={k: {"exam": v} for k, v in scores.items()}, capacity=capacity,
        prefs=prefs or {}, preassigned=preassigned or {},
        ineligible={pair: ["no"] for pair in banned})


def test_sealed_run_and_its_json():
    got = resolve_sealed(inputs({"A": 90, "B": 80, "C": 70}, {"x": 1, "y": 1},
                                {"A": ["x"], "B": ["x", "y"], "C": ["y"]}))
    assert got.as_json(1, 7) == {
        "batch": 1, "seed": 7,
        "ranking": [{"officer": "A", "score": 90, "rank": 1, "breakdown": {"exam": 90}},
                    {"officer": "B", "score": 80, "rank": 2, "breakdown": {"exam": 80}},
                    {"officer": "C", "score": 70, "rank": 3, "breakdown": {"exam": 70}}],
        "assignments": [{"officer": "A", "position": "x", "choice": 1},
                        {"officer": "B", "position": "y", "choice": 2},
                        {"officer": "C", "position": None, "choice": None}]}


def test_live_picks_replay_and_rerun():
    data = inputs({"A": 90, "B": 80, "C": 70}, {"x": 1, "y": 1}, banned={("C", "x")})
    picks = [Pick("choose", "A", "y"), Pick("choose", "B", "x"), Pick("undo", "B"),
             Pick("pass", "B"), Pick("pass", "C")]
    got = resolve_live(data, picks)
    assert got.assignments == {"A": ("y", 1), "B": (None, None), "C": (None, None)}


@pytest.mark.parametrize(("picks", "message"), [
    ([Pick("choose", "B", "x")], "turn"),
    ([Pick("choose", "A", "x"), Pick("choose", "B", "x")], "no seat"),
    ([Pick("choose", "A", "x"), Pick("choose", "B", "y")], "not eligible"),
    ([Pick("undo", "A")], "Nothing to undo"),
    ([Pick("choose", "A", "x")], "not finished"),
])
def test_illegal_or_unfinished_picks_are_refused(picks, message):
    data = inputs({"A": 90, "B": 80}, {"x": 1, "y": 1}, banned={("B", "y")})
    with pytest.raises(CivicError, match=message):
        resolve_live(data, picks)


def test_explain_names_who_took_the_seat_and_the_conditions():
    data = inputs({"A": 90, "B": 80, "C": 70}, {"x": 1, "y": 1, "z": 1},
                  {"A": ["x"], "C": ["x", "q", "y", "z"], "B": ["z"]}, banned={("C", "y")},
                  preassigned={"B": "z"})
    outcome = resolve_sealed(data)
    assert outcome.assignments["C"] == (None, None)
    assert explain("C", data, outcome) == [
        {"choice": 1, "position": "x", "reason": "full",
         "taken_by": [{"officer": "A", "rank": 1, "preassigned": False}]},
        {"choice": 2, "position": "q", "reason": "not_offered"},
        {"choice": 3, "position": "y", "reason": "ineligible", "conditions": ["no"]},
        {"choice": 4, "position": "z", "reason": "full",
         "taken_by": [{"officer": "B", "rank": 2, "preassigned": True}]},
    ]
    assert explain("A", data, outcome) == []


def test_inputs_digest_ignores_order_but_not_content():
    a = inputs({"A": 1, "B": 2}, {"x": 1, "y": 2}, {"A": ["x", "y"]})
    b = inputs({"B": 2, "A": 1}, {"y": 2, "x": 1}, {"A": ["x", "y"]})
    c = inputs({"B": 2, "A": 1}, {"y": 2, "x": 1}, {"A": ["y", "x"]})
    assert a.digest() == b.digest() != c.digest()


# --- properties ------------------------------------------------------------------------------

@st.composite
def batches(draw, max_officers: int = 7, max_posts: int = 5) -> BatchInputs:
    n = draw(st.integers(1, max_officers))
    m = draw(st.integers(1, max_posts))
    officers = [f"J{i:02d}" for i in range(n)]
    posts = [f"P{j}" for j in range(m)]
    scores = {o: draw(st.integers(60, 64)) for o in officers}  # many ties: the draw matters
    capacity = {p: draw(st.integers(0, 2)) for p in posts}
    prefs = {o: draw(st.permutations(posts).flatmap(
        lambda ps: st.integers(0, len(ps)).map(lambda k: ps[:k]))) for o in officers}
    banned = draw(st.sets(st.tuples(st.sampled_from(officers), st.sampled_from(posts))))
    return inputs(scores, capacity, prefs, banned, seed=draw(st.integers(0, 10**6)))


def simulate_room(data: BatchInputs) -> list[Pick]:
    """Officers in the room each take the first open post on their true list, else pass."""
    order = [r.key for r in rank_officers(data)]
    picks: list[Pick] = []
    session = replay(data, order, [])
    while not session.done:
        officer = session.current()
        open_now = set(session.open_posts())
        post = next((p for p in data.prefs.get(officer, ()) if p in open_now), None)
        if post is None:
            session.pass_()
            picks.append(Pick("pass", officer))
        else:
            session.choose(post)
            picks.append(Pick("choose", officer, post))
    return picks


@settings(max_examples=150, deadline=None)
@given(batches())
def test_live_room_and_sealed_lists_agree(data):
    sealed = resolve_sealed(data)
    live = resolve_live(data, simulate_room(data))
    assert posts_only(live.assignments) == posts_only(sealed.assignments)
    assert live.order == sealed.order


@settings(max_examples=100, deadline=None)
@given(batches(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_json(data, rnd):
    def shuffled(mapping):
        items = list(mapping.items())
        rnd.shuffle(items)
        return dict(items)

    again = BatchInputs(
        batch=1, scheme=SCHEME, scheme_sha256="x", cutoff=data.cutoff, seed=data.seed,
        officers=shuffled(data.officers), capacity=shuffled(data.capacity),
        prefs=shuffled(data.prefs), ineligible=shuffled(data.ineligible))
    assert resolve_sealed(again).as_json(1, data.seed) == resolve_sealed(data).as_json(
        1, data.seed)
    assert again.digest() == data.digest()


def test_outcome_lists_unplaced_in_rank_order():
    outcome = Outcome(rank_officers(inputs({"A": 1, "B": 2}, {})),
                      {"A": (None, None), "B": (None, None)})
    assert outcome.unplaced() == ["B", "A"]
