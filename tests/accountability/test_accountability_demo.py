"""The demo's accountability work (issue 14 "Demo"): 165 cases of January-June 2008 under the
four headings, counted by the report from the data; some under appeal; tasks some overdue; a
restricted person blocked in the July nomination's eligibility."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import registry
from civic.db import open_db
from civic.demo import build_demo
from civic.demo.org import slot_code
from civic.plugins.accountability import store
from civic.plugins.accountability.demo import BLOCKED_POST, NOMINATION_DAY, PER_HEADING
from civic.pm import make_plugin_manager


@pytest.fixture(scope="module")
def demo_pm():
    return make_plugin_manager(only=["nomination", "accountability"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path, demo_pm)
    db = open_db(path)
    yield db, summary
    db.close()


def test_the_report_gives_165_by_the_four_headings(demo):
    db, summary = demo
    assert "accountability" in summary.plugins
    data = store.report(db, dt.date(2008, 1, 1), dt.date(2008, 6, 30), dt.date(2008, 7, 7))
    assert data["total"] == 165
    assert {h["heading"]: h["cases"] for h in data["by_heading"]} == PER_HEADING
    assert [h["name"] for h in data["by_heading"]] == [
        "责任意识淡漠，造成严重失误", "不认真履职，执行力低下", "办事拖拉，推诿扯皮",
        "内部管理松懈，群众反映强烈"]
    assert set(data["by_month"]) == {f"2008-0{m}" for m in range(1, 7)}
    assert data["overdue_tasks_by_unit"]


def test_some_cases_under_appeal_and_some_tasks_overdue(demo):
    db, _summary = demo
    statuses = {r["status"] for r in store.list_cases(db)}
    assert {"appealed", "closed", "served"} <= statuses
    levels = {t["level"] for t in store.list_tasks(db, dt.date(2008, 7, 7), open_only=True)}
    assert levels - {None}


def test_the_restricted_person_is_blocked_in_the_nomination(demo, demo_pm):
    db, _summary = demo
    [(person,)] = db.execute(
        "SELECT c.person FROM accountability_cases c JOIN accountability_case_forms f"
        " ON f.case_id = c.id WHERE f.form = 'gov_demerit' AND c.person IN"
        " (SELECT code FROM people WHERE rank = 'deputy_division')"
        " AND EXISTS (SELECT 1 FROM accountability_case_factors x WHERE x.case_id = c.id"
        " AND x.text = '隐瞒事实')").fetchall()
    report = registry.eligibility_report(db, demo_pm, slot_code(*BLOCKED_POST), NOMINATION_DAY)
    blocked = {p["code"]: p["problems"] for p in report["ineligible"]}
    assert blocked[person][0]["message"].startswith("blocked by accountability case No. ")


def test_two_inspection_rounds_with_a_reserve_entry_and_a_demotion_proposed(demo):
    db, _summary = demo
    data = store.report(db, dt.date(2008, 1, 1), dt.date(2008, 6, 30), dt.date(2008, 7, 7))
    rounds = data["rectification_by_round"]
    assert [(r["kind"], r["items"], r["done"]) for r in rounds] == [("daily", 3, 2),
                                                                    ("special", 1, 0)]
    proposals = {p["kind"]: p for r in store.list_inspections(db)
                 for p in store.inspection_view(db, r["id"])["proposals"]}
    assert proposals["reserve"]["status"] == "decided"
    assert proposals["demote"]["status"] == "proposed"
    [(basis,)] = db.execute("SELECT basis_ref FROM reserve_pool WHERE basis_kind = 'inspection'"
                            ).fetchall()
    assert basis == f"accountability:inspection:1:proposal:{proposals['reserve']['id']}"


def test_the_report_charts_give_the_165_by_heading_per_month(demo):
    """The reports screen's first chart (Jan-Jun 2008 stacked by the four headings) counts
    the demo's data: each heading's months add up to its count, the months to 165."""
    from civic.plugins.accountability.screens.reports import charts

    db, _summary = demo
    assert store.report_period(db) == (dt.date(2008, 1, 1), dt.date(2008, 6, 30))
    data = store.report(db, dt.date(2008, 1, 1), dt.date(2008, 6, 30), dt.date(2008, 7, 7))
    chart = charts(db, data)["report-by-month"]
    assert chart.labels == ("2008-01", "2008-02", "2008-03", "2008-04", "2008-05", "2008-06")
    assert [sum(s.values) for s in chart.series] == list(PER_HEADING.values())
    assert sum(chart.total(i) for i in range(len(chart.labels))) == 165
    assert sum(charts(db, data)["report-by-form"].series[0].values) == sum(
        f["cases"] for f in data["by_form"])


def test_open_work_reads_each_pack_once_and_matches_the_plain_read(demo, monkeypatch):
    # The dashboard's open work: one pack read per pack name, not one per case (issue 16,
    # Enter to the dashboard), with the same deadlines as reading the pack for each case.
    from civic.plugins.accountability import rules
    from civic.plugins.accountability.workflows import open_workflows
    from civic.workdays import default_calendar

    db, _summary = demo
    cases = list(store._rows(db, "SELECT * FROM accountability_cases"
                                 " WHERE status IN ('served', 'appealed')"))
    assert len(cases) > 1 and len({c["pack"] for c in cases}) == 1
    calls = []
    real = rules.load_pack

    def load_pack(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, "load_pack", load_pack)
    found = {w.ref: w.due for w in open_workflows(db) if w.ref.startswith("case:")}
    assert len(calls) == 1
    is_workday = default_calendar().is_workday
    for case in cases:
        name = "appeal" if case["status"] == "served" else "answer"
        due = store.open_deadlines(store.office_pack(db, case["pack"]), case,
                                   is_workday)[name]["last_day"]
        assert found[f"case:{case['id']}"] == dt.date.fromisoformat(due)
