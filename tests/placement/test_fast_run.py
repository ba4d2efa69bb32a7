"""The placement run's fast paths agree with the plain ones they replace (issue 16's
`civic placement run` figure): whatever the data, the run prints and stores the same."""

from __future__ import annotations

import json
from decimal import Decimal

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
