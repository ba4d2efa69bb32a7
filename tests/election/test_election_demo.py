"""The demo's elections of 2008: the report computes every figure of the Kunming report from the
data (3 pilot organisations with terms, targets and a recall petition; 528 schools giving 439
principals, 7 of the bureau's 13 incumbents re-elected and 6 new; 14 county 换届 electing 256
by more than 6,000 deputies), and the recounted outcomes follow from the counts."""

from __future__ import annotations

import pytest

from civic.db import open_db
from civic.demo import build_demo
from civic.plugins.election import report, rules, store
from civic.plugins.election.demo import NOT_ELECTED
from civic.pm import make_plugin_manager


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path, make_plugin_manager(only=["election"]))
    db = open_db(path)
    yield db, summary
    db.close()


def test_the_report_reproduces_the_years_figures(demo):
    db, summary = demo
    assert "election" in summary.plugins
    data = report.figures(db)
    assert data["elections"]["count"] == 3 and data["elections"]["certified"] == 3
    assert data["elections"]["terms"] == 13 and data["elections"]["recalls"] == 1
    schools, counties = data["batches"]
    assert schools["summary"]["elections"] == 528
    assert schools["summary"]["elected"] == 439
    assert schools["summary"]["not_elected"] == NOT_ELECTED  # the other 89, with reasons
    assert sum(NOT_ELECTED.values()) == 89
    bureau = schools["groups"]["市教育局直属"]
    assert (bureau["elections"], bureau["incumbents_reelected"], bureau["new"]) == (13, 7, 6)
    assert counties["summary"]["elections"] == 14 and counties["summary"]["elected"] == 256
    assert counties["electors"] > 6000


def test_outcomes_follow_from_the_counts_not_a_label(demo):
    db, _summary = demo
    counted = store.batch_count(db, 1)
    for data in counted["elections"]:
        elected = [r for c in data["contests"] for r in c["results"] if r["elected"]]
        if data["outcome"] == rules.ELECTED:
            (winner,) = elected
            assert float(winner["weighted_share"]) > 0.5
        elif data["outcome"] == rules.NO_QUORUM:
            assert data["quorum"]["met"] is False and not elected
        elif data["outcome"] == rules.VOID:
            assert data["ballots"]["returned"] > data["ballots"]["issued"]


def test_pilot_terms_are_facts_on_the_record(demo):
    db, _summary = demo
    terms = store.terms(db)
    assert {t["ends"] for t in terms} == {"2011-07-16"}  # three years (党章 2007 art. 30)
    person = terms[0]["person"]
    kinds = [r[0] for r in db.execute("SELECT kind FROM person_facts WHERE person = ?",
                                      (person,))]
    assert "term" in kinds
