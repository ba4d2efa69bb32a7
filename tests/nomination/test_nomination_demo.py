"""The demo's July 2008 nomination (issue 4 "Demo"): 260 electors in the seed's categories,
11 posts, round 1 certified with one tie at the cut-off settled by a re-vote, its notice
published, round 2 counted and certified, 22 reserve candidates; walkable in the TUI."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from textual.widgets import Input, TabbedContent

from civic import audit, ballots, notices, registry
from civic.db import open_db
from civic.demo import DEMO_TODAY, build_demo
from civic.demo.clock import session_clock
from civic.plugins.nomination import store
from civic.plugins.nomination.demo import HELD, NOMINATION_CODES, OPEN_ROLL, TIE_POST
from civic.plugins.nomination.screens import NominationScreen
from civic.pm import make_plugin_manager
from civic.tui.app import CivicApp


@pytest.fixture(scope="module")
def nomination_pm():
    return make_plugin_manager(only=["nomination"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory, nomination_pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path, nomination_pm)
    db = open_db(path)
    yield path, db, summary
    db.close()


def test_the_nomination_is_the_2008_one(demo):
    _path, db, summary = demo
    assert "nomination" in summary.plugins
    row = store.list_all(db)[0]  # the first; the later ones are held part-way (below)
    nom = store.get(db, row["id"])
    assert nom.positions == NOMINATION_CODES and len(nom.positions) == 11
    assert nom.reference_date == dt.date(2008, 7, 4)
    first, second = store.rounds(db, nom.id)
    assert (first.status, second.status, row["stage"]) == ("certified", "certified", "done")
    roll = ballots.electors(db, first.vround)
    assert len(roll) == 260
    assert Counter(e["category"] for e in roll) == dict(OPEN_ROLL)
    data = first.report
    assert data["electors"] == {"registered": 260, "present": 252}
    for post in data["positions"]:
        assert sum(r["advances"] for r in post["results"]) == 5
        assert post["marks"]["unresolved"] == 0 and post["tie_at_cutoff"] == []


def test_the_announcement_set_the_eleven_posts_conditions(demo):
    _path, db, _summary = demo
    posts = {code: registry.get_position(db, code) for code in NOMINATION_CODES}
    titles = {p["title"] for p in posts.values()}
    assert {"市政府秘书长", "市财政局局长", "西山区委书记", "安宁市委书记"} <= titles
    assert posts[TIE_POST]["title"] == "西山区委书记" and posts[TIE_POST]["max_age"] == 52
    assert all(p["notes"] for p in posts.values())
    [announced] = [e for e in audit.entries(db, type_prefix="core.records_imported")
                   if e.data()["file"] == "announcement-2008-07-04.csv"]
    # The announcement updated each nominated post (its entry counts them, the posts above
    # show what changed) and added none.
    assert (announced.data()["added"], announced.data()["updated"]) == (0, len(NOMINATION_CODES))
    for code in NOMINATION_CODES:  # the conditions bite, and leave a field to choose from
        report = registry.eligibility_report(db, make_plugin_manager(only=[]), code,
                                             dt.date(2008, 7, 1))
        assert len(report["eligible"]) >= 2 and report["ineligible"], code


def test_one_tie_settled_by_a_revote_and_one_write_in_adjudicated(demo):
    _path, db, _summary = demo
    nom = store.get(db, 1)
    first = store.get_round(db, nom, 1)
    held = store.revotes(db, first)
    assert list(held) == [TIE_POST]
    post = next(p for p in first.report["positions"] if p["position"] == TIE_POST)
    fifth = [r for r in post["results"] if r["rank"] >= 5]
    assert fifth[0]["votes"] == fifth[1]["votes"]  # tied in votes, split by the re-vote
    adjudicated = audit.entries(db, type_prefix="nomination.write_in_adjudicated")
    assert len(adjudicated) == 1 and adjudicated[0].data()["action"] == "assign"


def test_notice_and_reserve(demo):
    _path, db, _summary = demo
    nom = store.get(db, 1)
    first = store.get_round(db, nom, 1)
    posted = notices.get(db, first.notice)
    assert (posted.status, posted.published_on, posted.ends_on) == (
        "confirmed", "2008-07-07", "2008-07-14")
    assert len(notices.objections(db, posted.id)) == 1
    reserve = store.reserve(db, nom)
    assert len(reserve) == 22
    assert Counter(r["position"] for r in reserve) == dict.fromkeys(NOMINATION_CODES, 2)
    # Notice first: the 考察对象公示 of 17 July ran 5 working days; confirmed on the 25th.
    inspection = notices.get(db, store.get_round(db, nom, 2).notice)
    assert (inspection.kind, inspection.status, inspection.ends_on) == (
        "nomination.inspection", "confirmed", "2008-07-24")
    assert {r["added_on"] for r in reserve} == {"2008-07-25"}
    assert audit.verify(db).ok


# The held nominations on the demo's day (20 October 2008), in the order they were created:
# (stage, round 1's notice, round 2's notice, what the operator can do next). Notice periods:
# 5 working days from the day after posting (civic.workdays; 1-7 October off).
HELD_STAGES = (
    ("round2", "confirmed", None, "certify round 2"),
    ("inspection", "confirmed", "published", "confirm, then name the reserve"),
    ("notice", "published", None, "confirm, then open round 2"),
    ("notice", "published", None, "wait: the period runs to 24 October"),
)


def test_later_nominations_are_held_for_the_operator(demo):
    _path, db, _summary = demo
    held = store.list_all(db)[1:]
    assert [r["title"] for r in held] == [h.title for h in HELD]
    for row, (stage, first, second, _next) in zip(held, HELD_STAGES, strict=True):
        nom = store.get(db, row["id"])
        assert row["stage"] == stage, row["title"]
        rounds = store.rounds(db, nom.id)
        assert notices.get(db, rounds[0].notice).status == first
        if second is not None:
            assert notices.get(db, rounds[1].notice).status == second
        assert store.reserve(db, nom) == []
    # What the operator can do on the demo's day: confirm the notices whose period is over,
    # not the one still running; certify the round counted.
    waiting = {n.id: notices.notice_blockers(db, n, DEMO_TODAY)
               for n in notices.list_notices(db, status="published")}
    over = [i for i, problems in waiting.items() if not problems]
    assert len(waiting) == 3 and len(over) == 2
    second = store.get(db, held[0]["id"])
    counted = store.get_round(db, second, 2)
    assert counted.status == "open" and store.certify_problems(db, second, counted) == []
    assert audit.verify(db).ok


def test_a_session_on_the_demo_starts_on_its_day(demo):
    path, _db, _summary = demo
    assert session_clock(path)().date() == DEMO_TODAY


async def test_walk_through_in_the_tui(demo, nomination_pm):
    path, _db, _summary = demo
    now = dt.datetime(2008, 7, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    app = CivicApp(nomination_pm, path, clock=lambda: now, lang="en")
    async with app.run_test(size=(150, 45)) as pilot:
        for _ in range(2):
            await pilot.pause()
        screen = app.screen
        screen.query_one("#login-name", Input).value = "viewer"
        screen.query_one("#login-password", Input).value = "demo1234"
        screen.query_one("#login-password", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        nomination = app.screen
        assert isinstance(nomination, NominationScreen)
        assert nomination.rnd.round_no == 2
        for tab in ("tab-roll", "tab-queue", "tab-count", "tab-notice"):
            nomination.query_one(TabbedContent).active = tab
            await pilot.pause()
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert nomination.rnd.round_no == 1 and len(nomination.electors) == 260
        assert nomination.report["electors"]["present"] == 252
        await pilot.press("c")  # a viewer may not certify (and the round is certified)
        await pilot.pause()
        assert nomination.rnd.status == "certified"
