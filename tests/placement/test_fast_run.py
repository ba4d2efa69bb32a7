"""The placement run's fast paths agree with the plain ones they replace (issue 16's
`civic placement run` figure): whatever the data, the run prints and stores the same."""

from __future__ import annotations

import gc
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.plugins.placement.views import json_chunks

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.decimals(allow_nan=False, places=2), st.dates())
keys = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.booleans(), st.none(),
                 st.floats(allow_nan=False))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300)
@given(data=st.one_of(values, st.dictionaries(st.text(max_size=6), values, max_size=5)),
       block=st.integers(1, 4))
def test_streamed_json_is_what_emit_printed(data, block):
    # `placement run --json` printed json.dumps(..., indent=2, default=str); streamed, the
    # same characters, whatever the values (control characters, Chinese, NaN, Decimal, dates).
    plain = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    assert "".join(json_chunks(data, block)) == plain


def test_streamed_json_of_a_run_shape():
    data = {"batch": 1, "seed": 2008,
            "ranking": [{"officer": f"J{n}", "score": 158.15, "rank": n,
                         "breakdown": {"rank": 60, "exam": Decimal("31.6")}} for n in range(7)],
            "assignments": [{"officer": "J0", "position": None, "choice": None}]}
    for block in (1, 2, 3, 512):
        assert "".join(json_chunks(data, block)) == json.dumps(
            data, ensure_ascii=False, indent=2, default=str)


def _plain_ineligible(office, batch_id: int, listed: dict[str, list[str]]) -> dict:
    """Every listed pair asked one at a time: the post's own conditions, then core's and the
    plugins' (`eligibility.problems`), bars only."""
    import datetime as dt

    from civic.eligibility import problems
    from civic.plugins.placement import store
    from civic.plugins.placement.rules import (
        condition_problems,
        parse_conditions,
        problem_reason,
    )

    db = office.db
    batch = store.get_batch(db, batch_id)
    on = dt.date.fromisoformat(batch["cutoff"])
    records = store.officers(db, batch_id)
    resolve = store.column_resolver(store.scheme_of(batch))
    out = {}
    for code, posts in listed.items():
        person = next(db.query("SELECT * FROM people WHERE code = ?", [code]), None)
        for post in dict.fromkeys(posts):
            row = next(db.query(
                "SELECT pp.eligibility, p.* FROM placement_posts pp JOIN positions p"
                " ON p.code = pp.position WHERE pp.batch = ? AND pp.position = ?",
                [batch_id, post]))
            reasons = condition_problems(parse_conditions(row.pop("eligibility"), resolve),
                                         records[code])
            if person is not None:
                reasons += [problem_reason(p) for p in problems(office.pm, db, person, row, on)
                            if p.bars]
            if reasons:
                out[(code, post)] = reasons
    return out


def test_bulk_snapshot_agrees_with_one_pair_at_a_time(registry, batch):
    # The run checks the listed pairs in bulk, asking a post's own conditions only of posts
    # that have some: the same reasons as asking every pair alone, for the lists as imported
    # and for every officer listing every post.
    from civic.plugins.placement import store

    db = registry.db
    found = store.compute_ineligible(db, registry.pm, store.get_batch(db, batch))
    listed = store.preferences(db, batch)
    assert found == _plain_ineligible(registry, batch, listed)
    every = {code: [p["position"] for p in store.posts(db, batch)]
             for code in store.officers(db, batch)}
    assert any(every.values())
    found = store.compute_ineligible(db, registry.pm, store.get_batch(db, batch), prefs=every)
    assert found == _plain_ineligible(registry, batch, every)
    # The example batch has both kinds: a post's own condition and core's.
    kinds = {r["condition"] for reasons in found.values() for r in reasons}
    assert "post_condition" in kinds and kinds - {"post_condition"}


def test_the_cycle_collector_is_back_after_a_run(registry, batch, helpers):
    # The run holds the cycle collector off while it builds its rows; after it, and after a
    # run refused with an error, the collector is on as before.
    from civic.errors import CivicError
    from civic.plugins.placement import actions

    assert gc.isenabled()
    actions.run_batch(registry, batch)
    assert gc.isenabled()
    empty = actions.new_batch(registry, "空", helpers.CUTOFF, "sealed", 1)
    with pytest.raises(CivicError):
        actions.run_batch(registry, empty)
    assert gc.isenabled()
