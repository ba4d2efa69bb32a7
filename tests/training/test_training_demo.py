"""The demo's 2008 training (issue 15 "Demo"): every figure counted from its records."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import facts
from civic.db import open_db
from civic.demo import build_demo
from civic.plugins.training import store
from civic.plugins.training.demo import DELEGATIONS, SHORT_LEADERS
from civic.pm import make_plugin_manager

ON = dt.date(2008, 6, 2)  # the demo clock's first day, when the assessment is recorded


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, make_plugin_manager(only=["training"]))
    db = open_db(path)
    yield db
    db.close()


def test_the_report_figures_come_from_the_records(demo):
    report = store.report(demo, "2008-01-01", "2008-12-31")
    # 21 training days held, 8,300+ person-times (the report's words).
    assert report["training_days"]["sessions"] == 21
    assert report["training_days"]["person_times"] >= 8300
    by_place: dict[str, int] = {}
    for d in report["delegations"]:
        by_place[d["destination"]] = by_place.get(d["destination"], 0) + d["participants"]
    assert by_place == {"成都": 102, "苏州": 196, "新加坡": 60, "扬州": 84, "常州": 52,
                        "上海黄浦": 100, "无锡": 79, "赣州": 52, "南通": 51}
    assert len(DELEGATIONS) == 9


def test_training_days_fall_on_rest_days(demo):
    from civic.workdays import WorkCalendar

    cal = WorkCalendar()
    days = store.training_day_sessions(demo, "2008-01-01", "2008-12-31")
    assert not [d for _s, d, _h, _t in days if cal.is_workday(dt.date.fromisoformat(d))]


def test_a_few_leaders_short_and_one_catching_up(demo):
    short = [r for r in store.compliance(demo, ON) if r["band"] == "county"
             and r["status"] == "short"]
    catching_up = [r for r in short if r["catch_up"]]
    assert len(short) == SHORT_LEADERS + 1 and len(catching_up) == 1
    assert catching_up[0]["due"] > ON.isoformat()
    # Recorded as facts on each record, with the rule as their source.
    status = facts.facts_on(demo, ON, kind="training_status")
    assert {r["person"] for r in short} <= set(status)
    assert all(status[r["person"]][-1].value == "short" for r in short)
