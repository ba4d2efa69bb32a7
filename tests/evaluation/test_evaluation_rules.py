"""Evaluation rules, table-driven with hand-computed values (the formulas: docs/evaluation.md)
and the properties the method promises: scores in 0-100, shared ranks, the quota never
exceeded but by flagged ties, results independent of row order."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.plugins.evaluation import rules

NAN = math.nan


def close(got, want):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    assert np.allclose(got, want, equal_nan=True), (got, want)


@pytest.mark.parametrize("values, method, direction, params, want", [
    # min-max: (x - min) / (max - min) x 100; lower is better flips it.
    ([10, 20, 30], "minmax", "higher", {}, [0, 50, 100]),
    ([10, 20, 30], "minmax", "lower", {}, [100, 50, 0]),
    ([5, 5], "minmax", "higher", {}, [100, 100]),  # all equal: every unit is the best
    ([10, NAN, 30], "minmax", "higher", {}, [0, NAN, 100]),  # missing stays missing
    # z-score: 50 + 10 z with the sample sd; mean 2, sd 1.
    ([1, 2, 3], "zscore", "higher", {}, [40, 50, 60]),
    ([1, 2, 3], "zscore", "lower", {}, [60, 50, 40]),
    ([7, 7, 7], "zscore", "higher", {}, [50, 50, 50]),
    # 29 zeros and a one: z = 5.29 for the one, clamped to 100.
    ([0] * 29 + [1], "zscore", "higher", {}, [50 - 10 * (1 / 30) / math.sqrt(1 / 30)] * 29
     + [100]),
    # rank: the share of the others a unit beats; ties share.
    ([10, 20, 20, 40], "rank", "higher", {}, [0, 100 / 3, 100 / 3, 100]),
    ([10, 20, 20, 40], "rank", "lower", {}, [100, 100 / 3, 100 / 3, 0]),
    # goalposts 0-70, clamped.
    ([35, 80, -5], "goalposts", "higher", {"low": 0, "high": 70}, [50, 100, 0]),
    ([14], "goalposts", "lower", {"low": 0, "high": 70}, [80]),
    # distance to target 60 from the worst (40): (x - 40) / 20, capped at 100.
    ([40, 50, 70], "target", "higher", {"target": 60}, [0, 50, 100]),
    # lower is better, target 2 from the worst (6).
    ([2, 4, 6], "target", "lower", {"target": 2}, [100, 50, 0]),
])
def test_normalisation(values, method, direction, params, want):
    close(rules.normalise(np.array(values, dtype=float), method, direction, params), want)


def test_a_panel_reference_fixes_the_scale_across_years():
    # 2008's 15 on the 2007-2009 panel's 10..30 scale is 25, whatever 2008 alone spans.
    close(rules.normalise(np.array([15.0]), "minmax", reference=np.array([10, 20, 30.0])), [25])
    close(rules.normalise(np.array([20.0, 15.0]), "rank",
                          reference=np.array([10, 20, 30.0])), [50, 50])


@pytest.mark.parametrize("x, weights, how, want", [
    ([[80, 60]], [75, 25], "arithmetic", [75]),
    ([[80, NAN]], [75, 25], "arithmetic", [80]),  # the missing one's weight rescaled away
    ([[90, NAN, 40]], [50, 30, 20], "arithmetic", [(45 + 8) / 0.7]),
    ([[100, 25]], [50, 50], "geometric", [50]),  # sqrt(100 x 25)
    ([[100, 0]], [50, 50], "geometric", [0]),  # no compensation for a zero
    ([[64, NAN, 4]], [25, 50, 25], "geometric", [16]),
    ([[NAN, NAN]], [50, 50], "arithmetic", [NAN]),
])
def test_aggregation(x, weights, how, want):
    close(rules.aggregate(np.array(x, dtype=float), np.array(weights, dtype=float), how), want)


@pytest.mark.parametrize("x, want", [
    (82.125, 82.13), (82.124999, 82.12), (0.005, 0.01), (2.675, 2.68), (99.994, 99.99),
    (100.0, 100.0), (0.0, 0.0)])
def test_rounding_half_up_at_two_places(x, want):
    assert float(rules.round_half_up(x)) == want
    assert rules.money(float(rules.round_half_up(x))) == f"{want:.2f}"


@pytest.mark.parametrize("scores, want", [
    ([90, 80, 80, 70], [1, 2, 2, 4]),
    ([50, 50, 50], [1, 1, 1]),
    ([70, NAN, 90], [2, 0, 1]),  # no score, no rank
])
def test_shared_ranks(scores, want):
    assert list(rules.shared_ranks(np.array(scores, dtype=float))) == want


@pytest.mark.parametrize("base, share, rounding, want", [
    # 14 counties: 10% is 1.4, 15% 2.1, 20% 2.8.
    (14, F(10, 100), "half_up", 1), (14, F(10, 100), "up", 2),
    (14, F(15, 100), "half_up", 2), (14, F(15, 100), "up", 3),
    (14, F(20, 100), "half_up", 3), (14, F(20, 100), "up", 3),
    (25, F(10, 100), "half_up", 3),  # 2.5 rounds up under 四舍五入
    (4, F(10, 100), "half_up", 0), (4, F(10, 100), "up", 1),
])
def test_quota_limit(base, share, rounding, want):
    assert rules.quota_limit(base, share, rounding) == want


def test_quota_editions_are_sourced():
    editions = rules.quota_editions()
    assert {e: q.top_share for e, q in editions.items()} == {
        "1994": F(1, 10), "2007": F(15, 100), "2020": F(20, 100)}
    assert all(q.source and q.note for q in editions.values())
    # No article could be confirmed against the published text: each says it is to be checked.
    assert all(not q.checked and q.source.endswith("（条款待核）") for q in editions.values())


@pytest.mark.parametrize("scores, limit, kept, tied", [
    ([95, 92, 92, 90], 2, [0, 1, 2], [1, 2]),  # the tie straddles the limit: both kept, flagged
    ([95, 93, 92, 92], 2, [0, 1], []),  # the tie is below the line: no flag
    ([95, 92, 92], 3, [0, 1, 2], []),
    ([95, 92], 0, [], []),
    ([90, 90, 90], 1, [0, 1, 2], [0, 1, 2]),
])
def test_quota_boundary(scores, limit, kept, tied):
    got_kept, got_tied = rules.apply_quota(scores, limit)
    assert sorted(got_kept) == kept and sorted(got_tied) == tied


def framework(availability="90/100", gates=(), b_aggregation="arithmetic"):
    return rules.parse_framework({
        "key": "t", "name": "test", "ratee": "team", "availability": availability,
        "grades": {"scale": ["好", "较好", "一般", "较差"], "min": ["80", "65", "50"]},
        "category": [
            {"code": "A", "name": "a", "weight": "60", "indicator": [
                {"code": "A1", "name": "a1", "weight": "50"},
                {"code": "A2", "name": "a2", "weight": "50"}]},
            {"code": "B", "name": "b", "weight": "40", "aggregation": b_aggregation,
             "indicator": [{"code": "B1", "name": "b1", "weight": "100"}]}],
        "gate": list(gates)})


# A1 10/20/30 -> 0/50/100; A2 all 5 -> 100; B1 1/3/2 -> 0/100/50.
# A = 50, 75, 100; total = 0.6 A + 0.4 B = 30, 85, 80.
VALUES = np.array([[10, 5, 1], [20, 5, 3], [30, 5, 2]], dtype=float)
UNITS = ["U1", "U2", "U3"]


def by_unit(result):
    return {r.unit: r for r in result.units}


def test_a_small_evaluation_by_hand():
    result = rules.score(framework(), UNITS, VALUES, top_share=F(20, 100))
    units = by_unit(result)
    assert [units[u].score for u in UNITS] == [30.0, 85.0, 80.0]
    assert [units[u].rank for u in UNITS] == [3, 1, 2]
    assert units["U1"].categories == {"A": 50.0, "B": 0.0}
    # 20% of 3 is 0.6, 1 by 四舍五入: U3's 好 (80) is cut to 较好 by the quota.
    assert [units[u].grade for u in UNITS] == ["较差", "好", "较好"]
    assert units["U3"].quota_cut and not units["U2"].quota_cut
    assert result.grades == {"好": 1, "较好": 1, "一般": 0, "较差": 1}
    assert (result.quota_limit, result.tied_at_boundary) == (1, [])


def test_a_unit_below_the_availability_threshold_is_not_scored_nor_normalised():
    # U4 has 2 of 3 indicators (67% < 90%): not scored, and its A1 of 1000 does not stretch
    # the others' min-max scale (their scores are those of the three alone).
    values = np.vstack([VALUES, [1000, NAN, 9]])
    result = rules.score(framework(), [*UNITS, "U4"], values, top_share=F(20, 100))
    units = by_unit(result)
    assert [units[u].score for u in UNITS] == [30.0, 85.0, 80.0]
    assert units["U4"].score is None and units["U4"].rank is None
    assert "2 of 3" in units["U4"].not_scored
    assert result.base == 3 and sum(result.grades.values()) == 3


def test_above_the_threshold_a_missing_indicator_rescales_its_siblings():
    # At 60%, U4 (A2 5, B1 3, A1 missing) is scored: A = A2 alone = 100; B1 1/3/2/3 -> U4 100.
    values = np.vstack([VALUES, [NAN, 5, 3]])
    units = by_unit(rules.score(framework("60/100"), [*UNITS, "U4"], values))
    assert units["U4"].score == 100.0 and units["U4"].indicators["A1"] is None
    assert (units["U4"].rank, units["U2"].rank, units["U2"].score) == (1, 2, 85.0)


GATE = {"name": "g", "source": "a rule", "condition": "an accident"}


@pytest.mark.parametrize("gate, u2_score, grades, rank_u2", [
    # Before aggregation: category B zeroed for U2: 0.6 x 75 = 45.
    ({"code": "Z", "consequence": "zero_category", "category": "B"}, 45.0,
     ["较差", "较差", "好"], 2),
    # After: U2 keeps its 85 but not the top grade; U3's 80 takes the one place.
    ({"code": "N", "consequence": "no_top_grade"}, 85.0, ["较差", "较好", "好"], 1),
    ({"code": "C", "consequence": "grade_cap", "cap": "一般"}, 85.0, ["较差", "一般", "好"], 1),
    ({"code": "X", "consequence": "exclude_ranking"}, 85.0, ["较差", "较好", "好"], None),
])
def test_veto_gates(gate, u2_score, grades, rank_u2):
    fw = framework(gates=[{**GATE, **gate}])
    result = rules.score(fw, UNITS, VALUES, {"U2": {gate["code"]: "2008-05 事故"}},
                         top_share=F(20, 100))
    units = by_unit(result)
    assert units["U2"].score == u2_score
    assert [units[u].grade for u in UNITS] == grades
    assert units["U2"].rank == rank_u2
    assert units["U2"].gates[0][0] == gate["code"] and units["U2"].gates[0][2] == "2008-05 事故"
    report = rules.report(result, 1, "test", 2008)
    assert report["units"][1]["gates"][0]["gate"] == gate["code"]


@pytest.mark.parametrize("change, where", [
    (lambda d: d["category"][0]["indicator"][0].update(weight="45"), "t/A"),
    (lambda d: d["category"][1].update(weight="30"), "t:"),
    (lambda d: d["category"][0]["indicator"][0].update(normalisation="log"), "t/A/A1"),
    (lambda d: d["category"][0]["indicator"][0].update(normalisation="goalposts", low="5",
                                                       high="1"), "t/A/A1"),
    (lambda d: d.update(gate=[{**GATE, "code": "Z", "consequence": "zero_category",
                               "category": "Q"}]), "t/gate/Z"),
    (lambda d: d.update(gate=[{**GATE, "code": "Z", "consequence": "no_top_grade",
                               "stage": "before"}]), "t/gate/Z"),
    (lambda d: d["category"][1]["indicator"][0].update(code="A1"), "t/B"),
])
def test_a_bad_framework_is_refused_naming_the_node(change, where):
    data = {"key": "t", "name": "test", "category": [
        {"code": "A", "name": "a", "weight": "60", "indicator": [
            {"code": "A1", "name": "a1", "weight": "55"},
            {"code": "A2", "name": "a2", "weight": "45"}]},
        {"code": "B", "name": "b", "weight": "40", "indicator": [
            {"code": "B1", "name": "b1", "weight": "100"}]}],
        "grades": {"min": ["80", "65", "50"]}}
    rules.parse_framework(data)  # as written, accepted
    change(data)
    with pytest.raises(CivicError, match=f"Framework {where}"):
        rules.parse_framework(data)


def test_the_shipped_kunming_frameworks():
    county = rules.pack("kunming-county-2008")
    # 4 categories, 20 indicators, 35/25/20/20 (the 2008 report).
    assert [c.weight for c in county.categories] == [35, 25, 20, 20]
    assert [c.name for c in county.categories] == ["经济发展", "资源环境", "人民生活", "社会进步"]
    assert len(county.indicators) == 20 and all(i.illustrative for i in county.indicators)
    city = rules.pack("kunming-city-2008")
    # 5 categories, 30 indicators, plus 1 public-evaluation indicator.
    assert [c.name for c in city.categories][:5] == ["经济发展", "科技创新", "社会进步",
                                                     "生态文明", "民生改善"]
    assert len(city.indicators) == 31 and city.categories[-1].indicators[0].code == "PUB1"
    assert rules.shipped() == ("kunming-city-2008", "kunming-county-2008")


def test_sensitivity_intervals_are_reproducible_and_contain_the_rank():
    rng = np.random.default_rng(3)
    fw = rules.pack("kunming-county-2008")
    values = rng.uniform(0, 100, (14, 20))
    units = [f"U{i:02}" for i in range(14)]
    first, ranks = rules.sensitivity(fw, units, values, runs=200, seed=7)
    again, _ranks = rules.sensitivity(fw, units, values, runs=200, seed=7)
    assert first == again and ranks.shape == (200, 14)
    for iv in first:
        assert 1 <= iv.low <= iv.high <= 14
    assert first[0].label() == f"{first[0].rank} ({first[0].low}-{first[0].high})"


# --- properties ----------------------------------------------------------------------------

cells = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))
tables = st.integers(1, 9).flatmap(lambda n: st.lists(st.lists(cells, min_size=3, max_size=3),
                                                      min_size=n, max_size=n))
methods = st.sampled_from(rules.NORMALISATIONS)


def _fw(method, how):
    extra = {"goalposts": {"low": "-100", "high": "100"}, "target": {"target": "50"}}
    data = {"key": "p", "name": "p", "availability": "60/100",
            "grades": {"min": ["80", "65", "50"]}, "category": [
                {"code": "A", "name": "a", "weight": "70", "aggregation": how, "indicator": [
                    {"code": "A1", "name": "a1", "weight": "50", "normalisation": method,
                     **extra.get(method, {})},
                    {"code": "A2", "name": "a2", "weight": "50", "direction": "lower"}]},
                {"code": "B", "name": "b", "weight": "30", "indicator": [
                    {"code": "B1", "name": "b1", "weight": "100", "normalisation": "rank"}]}]}
    return rules.parse_framework(data)


def _array(rows):
    return np.array([[NAN if v is None else v for v in row] for row in rows], dtype=float)


@settings(max_examples=150, deadline=None)
@given(tables, methods, st.sampled_from(rules.AGGREGATIONS),
       st.sampled_from([F(10, 100), F(15, 100), F(20, 100)]), st.sampled_from(["half_up", "up"]))
def test_scores_ranks_and_quota_properties(rows, method, how, share, rounding):
    fw = _fw(method, how)
    units = [f"U{i}" for i in range(len(rows))]
    result = rules.score(fw, units, _array(rows), top_share=share, rounding=rounding)
    scored = [r for r in result.units if r.score is not None]
    for r in scored:
        assert 0 <= r.score <= 100
        assert all(v is None or 0 <= v <= 100 for v in r.categories.values())
        # Competition ranks: one more than those strictly ahead (1, 2, 2, 4).
        assert r.rank == 1 + sum(o.score > r.score for o in scored)
    top = sum(r.grade == fw.grades[0] for r in result.units)
    assert top <= result.quota_limit or (
        result.tied_at_boundary and top - len(result.tied_at_boundary) < result.quota_limit)
    assert result.base == len(scored)


@settings(max_examples=80, deadline=None)
@given(tables, methods, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(rows, method, random):
    fw = _fw(method, "arithmetic")
    units = [f"U{i}" for i in range(len(rows))]
    order = list(range(len(rows)))
    random.shuffle(order)
    first = by_unit(rules.score(fw, units, _array(rows)))
    second = by_unit(rules.score(fw, [units[i] for i in order], _array([rows[i] for i in order])))
    for unit, r in first.items():
        s = second[unit]
        assert (r.score, r.rank, r.grade, r.indicators) == (s.score, s.rank, s.grade,
                                                            s.indicators)


POINTS = {"优秀": F(100), "称职": F(80), "基本称职": F(60), "不称职": F(0)}


@pytest.mark.parametrize("counts, trim, want", [
    # 10 forms, 10% trimmed: one 不称职 (0) and one 优秀 (100) dropped; 8 x 80 -> 80.
    ({"优秀": 1, "称职": 8, "基本称职": 0, "不称职": 1}, F(1, 10), F(80)),
    # Untrimmed: (100 + 640 + 0) / 10 = 74.
    ({"优秀": 1, "称职": 8, "基本称职": 0, "不称职": 1}, F(0), F(74)),
    # 20 forms, 10% = 2 each end: drop 2 优秀 and 2 不称职 of 3; 10x80 + 5x60 + 0 = 1100 / 16.
    ({"优秀": 2, "称职": 10, "基本称职": 5, "不称职": 3}, F(1, 10), F(1100, 16)),
    ({"优秀": 0, "称职": 0, "基本称职": 0, "不称职": 0}, F(1, 10), None),
])
def test_trimmed_mean_of_grade_points(counts, trim, want):
    assert rules.trimmed_mean(counts, POINTS, trim) == want


def test_rating_summary_rates_index_and_flag():
    pack = rules.rating_pack()
    counts = {"优秀": 10, "称职": 5, "基本称职": 0, "不称职": 10}
    shares = {g: F(n, 25) for g, n in counts.items()}
    entered = {c: 25 for c, _n, _w in pack.categories}
    got = rules.rating_summary(counts, shares, entered, pack)
    # 10/25 = 40% 不称职 > 1/3: flagged; index (10 x 100 + 5 x 80) / 25 = 56.
    assert got["rates"] == {"优秀": "40.00", "称职": "20.00", "基本称职": "0.00",
                            "不称职": "40.00"}
    assert got["index"] == "56.00" and [f["flag"] for f in got["flags"]] == ["fail_third"]
    # 25 > 20 forms: trimmed 2 at each end: (8 x 100 + 5 x 80 + 8 x 0) / 21.
    assert got["trimmed_mean"] == rules.money(float(rules.round_half_up(1200 / 21)))
    assert "fewer than 5" in rules.rating_summary(counts, shares, {"leaders": 4}, pack)[
        "withheld"]


@pytest.mark.parametrize("grades, ratees, want", [
    (["称职", "称职", "称职"], 3, "every ratee graded 称职"),  # 3 alike: invalid
    (["称职", "称职"], 3, None),  # two graded: below same_min
    (["优秀", "优秀", "称职", "称职", "基本称职"], 14, None),  # 2 top of ceil(2.1) = 3
    (["优秀"] * 4 + ["称职"] * 10, 14, "4 top grades, more than the 3 allowed"),
    (["优秀", "称职", "称职"], 3, None),  # ceil(0.45) = 1 top allowed
])
def test_form_validity(grades, ratees, want):
    # rating-2008: same_min 3, top_share 15% rounded up.
    assert rules.form_problem(grades, ratees, rules.rating_pack()) == want
