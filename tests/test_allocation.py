"""civic.allocation: serial dictatorship, sealed and live, with brute-force properties."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.allocation import LiveSession, posts_only, serial_dictatorship
from civic.errors import CivicError
from civic.scoring import rank

# --- table-driven cases ----------------------------------------------------------------------


def test_each_takes_the_first_open_post_on_their_list() -> None:
    prefs = {"A": ["x", "y"], "B": ["x", "y"], "C": ["x", "y"], "D": ["y", "z"]}
    got = serial_dictatorship(["A", "B", "C", "D"], prefs, {"x": 1, "y": 2, "z": 0})
    # C finds x and y full and is left unplaced; D's y is gone and z has no seat.
    assert got == {"A": ("x", 1), "B": ("y", 2), "C": ("y", 2), "D": (None, None)}


def test_order_decides_not_list_position() -> None:
    prefs = {"A": ["x"], "B": ["x"]}
    assert serial_dictatorship(["B", "A"], prefs, {"x": 1}) == {"B": ("x", 1), "A": (None, None)}


def test_eligibility_is_checked_and_nobody_is_forced() -> None:
    eligible = {("A", "y"), ("B", "x"), ("B", "y")}
    got = serial_dictatorship(
        ["A", "B", "C"],
        {"A": ["x", "y"], "B": ["x", "y"], "C": ["y"]},
        {"x": 1, "y": 1},
        acceptable=lambda o, p: (o, p) in eligible,
    )
    assert got == {"A": ("y", 2), "B": ("x", 1), "C": (None, None)}


def test_preassignments_consume_capacity_first() -> None:
    prefs = {"A": ["x", "y"], "B": ["y"], "C": ["x"]}
    got = serial_dictatorship(["A", "B", "C"], prefs, {"x": 1, "y": 1}, preassigned={"C": "x"})
    assert got == {"C": ("x", 1), "A": ("y", 2), "B": (None, None)}
    # A post the officer never listed: placed, with no choice number.
    got = serial_dictatorship(["A"], {"A": ["x"]}, {"x": 1, "y": 1}, preassigned={"A": "y"})
    assert got == {"A": ("y", None)}


def test_officer_without_list_and_unknown_posts() -> None:
    got = serial_dictatorship(["A", "B"], {"B": ["nowhere", "x"]}, {"x": 1})
    assert got == {"A": (None, None), "B": ("x", 2)}


@pytest.mark.parametrize(
    ("order", "capacity", "preassigned", "message"),
    [
        (["A", "A"], {"x": 1}, None, "twice"),
        (["A"], {"x": -1}, None, "invalid capacity"),
        (["A"], {"x": 1.5}, None, "invalid capacity"),
        (["A"], {"x": 1}, {"A": "q"}, "unknown post"),
        (["A", "B"], {"x": 1}, {"A": "x", "B": "x"}, "exceed the capacity"),
    ],
)
def test_bad_inputs_are_refused(order, capacity, preassigned, message) -> None:
    with pytest.raises(CivicError, match=message):
        serial_dictatorship(order, {}, capacity, preassigned=preassigned)
    with pytest.raises(CivicError, match=message):
        LiveSession(order, capacity, preassigned=preassigned)


def test_live_session_step_by_step() -> None:
    s = LiveSession(["A", "B", "C"], {"x": 1, "y": 1, "z": 1}, acceptable=lambda o, p: p != "z")
    assert s.current() == "A" and s.open_posts() == ["x", "y"]
    with pytest.raises(CivicError, match="not eligible"):
        s.choose("z")
    with pytest.raises(CivicError, match="no post"):
        s.choose("w")
    s.choose("x")
    with pytest.raises(CivicError, match="no seat"):
        s.choose("x")
    assert s.current() == "B" and s.open_posts() == ["y"]
    s.choose("y")
    assert s.undo() == ("B", "y") and s.remaining()["y"] == 1
    s.pass_()
    assert s.current() == "C" and s.open_posts() == ["y"]
    s.choose("y")
    assert s.done and s.current() is None and s.open_posts() == ["z"]
    assert s.history == [("A", "x"), ("B", None), ("C", "y")]
    assert s.result() == {"A": "x", "B": None, "C": "y"}
    with pytest.raises(CivicError):
        s.pass_()


def test_live_session_skips_preassigned() -> None:
    s = LiveSession(["A", "B"], {"x": 2}, preassigned={"A": "x"})
    assert s.current() == "B" and s.remaining() == {"x": 1}
    s.choose("x")
    assert s.result() == {"A": "x", "B": "x"}


# --- small random markets --------------------------------------------------------------------


@dataclass
class Market:
    order: list[str]
    prefs: dict[str, list[str]]  # true preferences; the list is the acceptable set
    capacity: dict[str, int]
    banned: frozenset[tuple[str, str]]  # eligibility: (officer, post) pairs not allowed

    def acceptable(self) -> Callable[[str, str], bool] | None:
        banned = self.banned
        return (lambda o, p: (o, p) not in banned) if banned else None

    def utility(self, officer: str, post: str | None) -> int:
        """Lower is better: place on the true, eligible list; unplaced next; anything else last."""
        mine = [p for p in self.prefs[officer] if (officer, p) not in self.banned]
        if post is None:
            return len(mine)
        return mine.index(post) if post in mine else len(mine) + 1

    def run(self, prefs: dict[str, list[str]] | None = None) -> dict[str, str | None]:
        got = serial_dictatorship(self.order, prefs or self.prefs, self.capacity, self.acceptable())
        return posts_only(got)


@st.composite
def markets(draw, max_officers: int = 6, max_posts: int = 6, eligibility: bool = True) -> Market:
    n = draw(st.integers(1, max_officers))
    m = draw(st.integers(1, max_posts))
    officers = [f"O{i}" for i in range(n)]
    posts = [f"P{j}" for j in range(m)]
    prefs = {
        o: draw(st.permutations(posts).flatmap(lambda ps: st.integers(0, m).map(lambda k: ps[:k])))
        for o in officers
    }
    capacity = {p: draw(st.integers(0, 2)) for p in posts}
    pairs = list(itertools.product(officers, posts))
    banned = draw(st.frozensets(st.sampled_from(pairs))) if eligibility else frozenset()
    return Market(draw(st.permutations(officers)), prefs, capacity, banned)


def _pareto_improvement(market: Market, result: dict[str, str | None]) -> dict | None:
    """Brute force: an allocation every officer likes at least as much and one likes more."""
    officers = market.order
    current = [market.utility(o, result[o]) for o in officers]
    options = [
        [p for p in [*market.prefs[o], None] if market.utility(o, p) <= current[i]]
        for i, o in enumerate(officers)
    ]
    for combo in itertools.product(*options):
        used = Counter(p for p in combo if p is not None)
        if any(used[p] > market.capacity[p] for p in used):
            continue
        better = [market.utility(o, p) for o, p in zip(officers, combo, strict=True)]
        if better != current:
            return dict(zip(officers, combo, strict=True))
    return None


@settings(max_examples=300)
@given(markets())
def test_result_is_pareto_efficient(market: Market) -> None:
    result = market.run()
    assert _pareto_improvement(market, result) is None


def _all_lists(posts: list[str]):
    for k in range(len(posts) + 1):
        yield from itertools.permutations(posts, k)


@settings(max_examples=150, deadline=None)
@given(markets(max_officers=5, max_posts=4))
def test_no_officer_gains_by_misreporting(market: Market) -> None:
    truthful = market.run()
    posts = list(market.capacity)
    for officer in market.order:
        honest = market.utility(officer, truthful[officer])
        for lie in _all_lists(posts):
            got = market.run({**market.prefs, officer: list(lie)})
            assert market.utility(officer, got[officer]) >= honest, (officer, lie)


@given(markets(eligibility=False), st.randoms())
def test_everyone_placed_when_seats_suffice_and_all_posts_acceptable(market, rnd) -> None:
    posts = list(market.capacity)
    short = len(market.order) - sum(market.capacity.values())
    if short > 0:
        market.capacity[posts[0]] += short
    for o in market.order:  # every post on every list, in the officer's own order
        rest = [p for p in posts if p not in market.prefs[o]]
        rnd.shuffle(rest)
        market.prefs[o] = market.prefs[o] + rest
    assert None not in market.run().values()


@given(markets(), st.data())
def test_live_and_sealed_agree(market: Market, data) -> None:
    preassigned = _some_preassignments(market, data)
    sealed = serial_dictatorship(
        market.order, market.prefs, market.capacity, market.acceptable(), preassigned
    )
    live = LiveSession(market.order, market.capacity, market.acceptable(), preassigned)
    while (officer := live.current()) is not None:
        open_now = live.open_posts()
        first = next((p for p in market.prefs[officer] if p in open_now), None)
        live.choose(first) if first is not None else live.pass_()
    assert live.result() == posts_only(sealed)


def _some_preassignments(market: Market, data) -> dict[str, str]:
    seats = Counter(market.capacity)
    chosen: dict[str, str] = {}
    for o in data.draw(st.lists(st.sampled_from(market.order), unique=True, max_size=2)):
        open_posts = [p for p, n in seats.items() if n > 0]
        if open_posts:
            chosen[o] = data.draw(st.sampled_from(open_posts))
            seats[chosen[o]] -= 1
    return chosen


@given(markets(), st.data())
def test_capacity_never_exceeded_and_choices_are_honest(market: Market, data) -> None:
    preassigned = _some_preassignments(market, data)
    got = serial_dictatorship(
        market.order, market.prefs, market.capacity, market.acceptable(), preassigned
    )
    assert set(got) == set(market.order)
    used = Counter(post for post, _n in got.values() if post is not None)
    assert all(used[p] <= market.capacity[p] for p in used)
    for officer, (post, n) in got.items():
        if officer in preassigned:
            assert post == preassigned[officer]
        elif post is None:
            assert n is None
        else:
            assert market.prefs[officer][n - 1] == post
            assert (officer, post) not in market.banned


@given(markets(), st.randoms(), st.integers(0, 10**6), st.data())
def test_input_order_does_not_matter_for_a_fixed_seed(market: Market, rnd, seed, data) -> None:
    # Scores with many ties, so the seeded draw has work to do.
    scores = {o: {"score": data.draw(st.integers(0, 2))} for o in market.order}
    officers = list(scores)
    rnd.shuffle(officers)
    posts = list(market.capacity)
    rnd.shuffle(posts)

    def run(items, prefs, capacity):
        order = [r.key for r in rank(items, ["score desc", "draw"], seed)]
        return serial_dictatorship(order, prefs, capacity, market.acceptable())

    first = run(scores, market.prefs, market.capacity)
    again = run(
        {o: scores[o] for o in officers},
        {o: market.prefs[o] for o in reversed(officers)},
        {p: market.capacity[p] for p in posts},
    )
    assert first == again
