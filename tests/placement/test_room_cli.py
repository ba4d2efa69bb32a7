"""The live room from the CLI: `civic placement room ID` opens and shows it, `civic placement
pick ID POST | --pass | --undo --reason` records turns, as the TUI's room screen does."""

from __future__ import annotations

import json

import pytest

from civic import audit
from civic.plugins.placement import store


@pytest.fixture
def placement(registry, run_cli):
    def run(*args: str, env: dict | None = None):
        return run_cli("placement", *args, env=env)

    return run


@pytest.fixture
def live(registry, helpers):
    return helpers.make_batch(registry, mode="live")


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def room_json(placement, batch: int, **kw) -> dict:
    return json.loads(ok(placement("room", str(batch), "--json", **kw)))


def test_live_through_the_cli_equals_the_sealed_run(registry, helpers, placement):
    """The same true preferences give the same placements and ranking, sealed or picked live
    one CLI call at a time; each officer takes the first open post on their list they may
    take, else passes."""
    sealed = helpers.make_batch(registry)
    live = helpers.make_batch(registry, mode="live")
    prefs = store.preferences(registry.db, sealed)
    sealed_run = json.loads(ok(placement("run", str(sealed), "--json")))
    ok(placement("room", str(live)))
    turns = 0
    while (view := room_json(placement, live))["now"] is not None:
        officer = view["now"]["officer"]
        may = {p["position"] for p in view["open"] if p["may_take"]}
        post = next((p for p in prefs.get(officer, ()) if p in may), None)
        step = [post] if post else ["--pass"]
        done = json.loads(ok(placement("pick", str(live), *step, "--officer", officer,
                                       "--json")))
        assert (done["officer"], done["position"]) == (officer, post)
        turns += 1
    assert turns == 8 and view["seats_left"] == 1
    live_run = json.loads(ok(placement("run", str(live), "--json")))

    def placed(data):
        return {a["officer"]: a["position"] for a in data["assignments"]}

    assert placed(live_run) == placed(sealed_run)
    assert live_run["ranking"] == sealed_run["ranking"]
    again = placement("run", str(live), "--json", env={"CIVIC_USER": "view"})
    assert json.loads(ok(again)) == live_run  # a reader re-runs the recorded picks
    closed = room_json(placement, live, env={"CIVIC_USER": "view"})
    assert closed["status"] == "ran" and closed["now"] is None
    assert [p["officer"] for p in closed["picks"]] == [r["officer"] for r in
                                                       sealed_run["ranking"]]
    assert audit.verify(registry.db).ok


def test_a_viewer_may_look_but_not_open_or_pick(live, registry, placement):
    viewer = {"CIVIC_USER": "view"}
    refused = placement("room", str(live), env=viewer)
    assert refused.exit_code == 1 and "may not open the choosing room" in refused.output
    assert store.get_batch(registry.db, live)["status"] == "setup"
    ok(placement("room", str(live)))
    assert room_json(placement, live, env=viewer)["now"]["officer"] == "J004"
    for step in (["JZ-01"], ["--pass"], ["--undo", "--reason", "x"]):
        result = placement("pick", str(live), *step, env=viewer)
        assert result.exit_code == 1 and "may not record a pick" in result.output
    wrong = placement("pick", str(live), "JZ-01", env={"CIVIC_PASSWORD": "not-it"})
    assert wrong.exit_code == 1 and "Wrong operator name or password" in wrong.output
    assert store.picks(registry.db, live) == []
    refusals = audit.entries(registry.db, type_prefix="core.access_refused")
    assert len(refusals) >= 5


def test_the_room_shows_who_chooses_what_is_left_and_the_ranking(live, placement):
    opened = ok(placement("room", str(live)))
    assert (f"The room of batch {live} is open: the order of choosing is fixed (seed 2008)."
            in opened)
    assert "Now choosing: No. 1 杨海涛 (J004), score 174.50" in opened
    assert "Next: No. 2 王建军 (J001)" in opened
    assert "0 of 8 have chosen · 7 seats left" in opened
    assert "Order  Code  Name" in opened and "► choosing now" in opened
    # Once open, `room` only shows (it is open already: no second opening, nothing written).
    shown = ok(placement("room", str(live), env={"CIVIC_USER": "view"}))
    assert "is open: the order" not in shown and "Now choosing: No. 1" in shown
    view = room_json(placement, live)
    assert set(view) >= {"batch", "status", "seed", "now", "next", "open", "ranking", "picks",
                         "chosen", "to_choose", "seats_left"}
    assert view["now"] == {"officer": "J004", "name": "杨海涛", "rank": 1, "score": 174.5,
                           "breakdown": view["now"]["breakdown"]}
    assert view["now"]["breakdown"]["rank"] == 60
    assert [(p["position"], p["seats_left"]) for p in view["open"]][:4] == [
        ("JZ-01", 1), ("JZ-02", 1), ("JZ-03", 1), ("JZ-04", 2)]
    jz02 = next(p for p in view["open"] if p["position"] == "JZ-02")
    assert jz02["may_take"] is False and "specialty" in jz02["why_not"][0]  # J004 is 后勤
    assert [r["state"] for r in view["ranking"][:2]] == ["choosing", "waiting"]
    drawn = [r["officer"] for r in view["ranking"] if r["drawn"]]
    assert drawn == ["J007", "J008"]


def test_pick_pass_undo_and_the_turn_guard(live, registry, placement):
    ok(placement("room", str(live)))
    took = json.loads(ok(placement("pick", str(live), "JZ-01", "--json")))
    assert (took["action"], took["officer"], took["position"]) == ("choose", "J004", "JZ-01")
    assert took["room"]["now"]["officer"] == "J001" and took["room"]["seats_left"] == 6
    # The turn moved on: a pick meant for J004 is refused, not recorded for J001.
    late = placement("pick", str(live), "JZ-04", "--officer", "J004")
    assert late.exit_code == 1 and "It is J001's turn, not J004's." in late.output
    said = ok(placement("pick", str(live), "--pass"))
    # Nobody planned is left unplaced: the transfer office re-assigns him (issue 18).
    assert said.startswith("No. 2 王建军 (J001) passes; the city's transfer office re-assigns him.")
    assert "passed; re-assigned by the city's transfer office" in said
    need = placement("pick", str(live), "--undo")
    assert need.exit_code == 1 and "needs a reason" in need.output
    other = placement("pick", str(live), "--undo", "--reason", "x", "--officer", "J004")
    assert other.exit_code == 1 and "The last pick was J001's, not J004's." in other.output
    back = ok(placement("pick", str(live), "--undo", "--reason", "王建军口误"))
    assert "The pick of No. 2 王建军 (J001), passed, is taken back" in back
    full = placement("pick", str(live), "JZ-01")
    assert full.exit_code == 1 and "no seat" in full.output
    ok(placement("pick", str(live), "JZ-02"))  # J001 is 财务, as JZ-02 asks
    view = room_json(placement, live)
    assert [(p["officer"], p["position"]) for p in view["picks"]] == [("J004", "JZ-01"),
                                                                     ("J001", "JZ-02")]
    types = [e.type for e in audit.entries(registry.db, subject=f"placement:{live}",
                                           newest_first=False)]
    assert types[-5:] == ["placement.room_opened", "placement.picked", "placement.picked",
                          "placement.pick_undone", "placement.picked"]
    undone = audit.entries(registry.db, type_prefix="placement.pick_undone")[0].data()
    assert undone["reason"] == "王建军口误" and undone["officer"] == "J001"


@pytest.mark.parametrize("args,message", [
    ([], "Give a POST, or --pass, or --undo"),
    (["JZ-01", "--pass"], "Give a POST, or --pass, or --undo"),
    (["--pass", "--undo", "--reason", "x"], "Give a POST, or --pass, or --undo"),
    (["--pass", "--reason", "x"], "--reason goes with --undo"),
])
def test_pick_takes_one_step(live, placement, args, message):
    ok(placement("room", str(live)))
    result = placement("pick", str(live), *args)
    assert result.exit_code == 1 and message in result.output


def test_sealed_and_unopened_batches_have_no_room_to_pick_in(batch, live, placement):
    sealed = placement("room", str(batch))
    assert sealed.exit_code == 1 and "sealed" in sealed.output
    early = placement("pick", str(live), "JZ-01")
    assert early.exit_code == 1 and "no open room" in early.output
    ok(placement("room", str(live)))
    reseed = placement("room", str(live), "--seed", "7")
    assert reseed.exit_code == 1 and "cannot change" in reseed.output
    run = placement("run", str(live))
    assert run.exit_code == 1 and "not finished" in run.output


def test_the_ranking_column_is_the_order_not_the_grade(batch, placement):
    """zh_CN translates the core msgid "Rank" as 职级 (the official grade); the choosing
    order has its own msgid."""
    ok(placement("run", str(batch)))
    zh = {"CIVIC_LANG": "zh_CN"}
    for args in (["run", str(batch)], ["show", str(batch)]):
        head = ok(placement(*args, env=zh))
        assert "排序" in head and "职级" not in head
