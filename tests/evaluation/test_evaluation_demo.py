"""The demo's 2008 evaluation: every figure counted from its records (the 14 counties under the
35/25/20/20 framework, 3,019 surveyed, 4,820 rating forms, the quota applied, one veto gate
fired, the four pilot units under the city framework)."""

from __future__ import annotations

import pytest

from civic.db import open_db
from civic.demo import build_demo
from civic.plugins.evaluation import store
from civic.pm import make_plugin_manager


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, make_plugin_manager(only=["evaluation"]))
    db = open_db(path)
    yield db
    db.close()


def test_the_counties_survey_forms_quota_and_gate(demo):
    county = store.grades(demo, 1)
    assert len(county["units"]) == 14 and all(u["score"] for u in county["units"])
    ev = store.evaluation(demo, 1)
    assert ev["framework_key"] == "kunming-county-2008" and ev["edition"] == "2007"
    # 15% of 14 = 2.1 -> 2 by 四舍五入; more than two reached 好 by score, so the quota cut.
    assert county["quota"]["limit"] == 2 and county["grades"]["好"] == 2
    _run, report = store.require_run(demo, 1)
    by_score = [u for u in report["units"] if float(u["score"]) >= 80]
    assert len(by_score) > 2
    fired = [(u["unit"], g["gate"]) for u in report["units"] for g in u["gates"]]
    assert fired == [("KM-XS", "SAFETY")]
    gated = next(u for u in report["units"] if u["unit"] == "KM-XS")
    # The gate mattered: 好 by its score, not eligible for it.
    assert float(gated["score"]) >= 80 and gated["grade"] == "较好"
    # And the quota cut someone else who reached 好 by score.
    cut = [u for u in by_score if not u["gates"] and u["grade"] != "好"]
    assert cut
    surveyed = demo.execute("SELECT sum(respondents) FROM evaluation_surveys").fetchone()[0]
    assert surveyed == 3019
    ratings = store.ratings(demo, 1, make_plugin_manager(only=["evaluation"]))
    assert sum(ratings["forms"].values()) == 4820
    assert len(ratings["ratees"]) == 14
    # The demo's forms grading every team alike are void in the count, by the pack's rule.
    assert sum(f["forms"] for f in ratings["invalid"]) > 0


def test_the_ranks_depend_on_the_choices(demo):
    from civic.plugins.evaluation import rules

    fw = store.framework_of(store.evaluation(demo, 1)["content"])
    codes, values, fired = store.matrix(demo, 1, fw)
    intervals, _ranks = rules.sensitivity(fw, codes, values, fired, runs=300, seed=1)
    assert any(i.high > i.low for i in intervals)  # some ranks move with the weights


def test_open_evaluations_are_workflows_with_their_due_day(demo):
    import datetime as dt

    from civic.plugins.evaluation.workflows import open_workflows

    found = open_workflows(demo)
    assert [w.ref for w in found] == ["1", "2"]
    assert all(w.due == dt.date(2009, 1, 31) for w in found)


def test_the_pilot_units_under_the_city_framework(demo):
    pilot = store.grades(demo, 2)
    assert store.evaluation(demo, 2)["framework_key"] == "kunming-city-2008"
    assert sorted(u["name"] for u in pilot["units"]) == sorted(
        ["石林县", "市级机关工委", "市农业局", "市规划局"])


def test_the_pilot_teams_are_rated_per_dimension(demo):
    """The pilot units' forms grade 德、能、勤、绩、廉 each: a result and rates per team per
    dimension, and the few forms grading all four alike in 绩 void in the count."""
    ratings = store.ratings(demo, 2, make_plugin_manager(only=["evaluation"]))
    assert [name for _code, name in ratings["dimensions"]] == ["德", "能", "勤", "绩", "廉"]
    assert sum(ratings["forms"].values()) == 210
    cells = {(r["ratee"], r["dimension"]) for r in ratings["ratees"]}
    assert len(cells) == 4 * 5
    assert all(r["withheld"] is None and sum(r["counts"].values()) > 0
               for r in ratings["ratees"])
    # The rates differ by dimension (the demo's leans): not one profile copied five times.
    shiling = {r["dimension"]: r["rates"]["称职"] for r in ratings["ratees"]
               if r["ratee"] == "P-SL"}
    assert len(set(shiling.values())) > 1
    void = {(f["dimension"], f["reason"]): f["forms"] for f in ratings["invalid"]}
    assert void[("ji", "every ratee graded 称职")] == 6  # 2 per rater category
