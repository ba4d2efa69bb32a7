"""The live room against the database: order fixed at opening, picks audited, undo, and the
closing run reproducing what the room did; and the same true preferences give the same
placements sealed and live."""

from __future__ import annotations

import pytest

from civic import audit
from civic.errors import CivicError
from civic.plugins.placement import actions, store


def play(office, batch_id: int, prefs: dict[str, list[str]]) -> None:
    """Each officer in turn takes the first open post on their list, else passes."""
    while True:
        room = actions.room(office, batch_id)
        officer = room.session.current()
        if officer is None:
            return
        open_now = set(room.session.open_posts())
        post = next((p for p in prefs.get(officer, ()) if p in open_now), None)
        if post is None:
            actions.pass_turn(office, batch_id)
        else:
            actions.choose(office, batch_id, post)


def test_live_equals_sealed_for_the_same_true_preferences(registry, helpers):
    sealed = helpers.make_batch(registry)
    live = helpers.make_batch(registry, mode="live")
    prefs = store.preferences(registry.db, sealed)
    sealed_run = actions.run_batch(registry, sealed).data
    actions.open_room(registry, live)
    play(registry, live, prefs)
    live_run = actions.run_batch(registry, live).data

    def placed(data):
        return {a["officer"]: a["position"] for a in data["assignments"]}

    assert placed(live_run) == placed(sealed_run)
    assert live_run["ranking"] == sealed_run["ranking"]
    assert actions.run_batch(registry, live).verified  # the recorded picks re-run the same


def test_room_steps_undo_and_audit(registry, helpers):
    batch = helpers.make_batch(registry, mode="live")
    with pytest.raises(CivicError, match="open its room"):
        actions.run_batch(registry, batch)
    order = actions.open_room(registry, batch).order
    assert order[:3] == ["J004", "J001", "J002"]
    with pytest.raises(CivicError, match="can no longer change"):
        actions.import_posts(registry, batch, helpers.PLACEMENT / "posts.csv")
    actions.choose(registry, batch, "JZ-01")  # J004
    actions.choose(registry, batch, "JZ-04")  # J001
    with pytest.raises(CivicError, match="J002 may not take JZ-02: post condition specialty"):
        actions.choose(registry, batch, "JZ-02")  # J002 is 指挥, the post wants 财务 or 审计
    with pytest.raises(CivicError, match="no seat"):
        actions.choose(registry, batch, "JZ-01")
    with pytest.raises(CivicError, match="needs a reason"):
        actions.undo(registry, batch, "")
    actions.undo(registry, batch, "J001 misspoke")
    room = actions.room(registry, batch)
    assert room.session.current() == "J001" and room.session.remaining()["JZ-04"] == 2
    assert room.session.history == [("J004", "JZ-01")]
    types = [e.type for e in audit.entries(registry.db, subject=f"placement:{batch}",
                                           newest_first=False)]
    assert types[-4:] == ["placement.room_opened", "placement.picked", "placement.picked",
                          "placement.pick_undone"]
    undone = audit.entries(registry.db, type_prefix="placement.pick_undone")[0].data()
    assert undone == {"batch": batch, "officer": "J001", "position": "JZ-04",
                      "reason": "J001 misspoke"}
    with pytest.raises(CivicError, match="not finished"):
        actions.run_batch(registry, batch)


def test_room_order_is_recorded_with_the_draw(registry, helpers):
    batch = helpers.make_batch(registry, mode="live")
    actions.open_room(registry, batch)
    opened = audit.entries(registry.db, type_prefix="placement.room_opened")[0].data()
    assert opened["seed"] == 2008 and opened["draw_groups"] == [["J007", "J008"]]
    with pytest.raises(CivicError, match="open already"):
        actions.open_room(registry, batch)


def test_sealed_batches_have_no_room(batch, registry):
    with pytest.raises(CivicError, match="sealed"):
        actions.open_room(registry, batch)
    with pytest.raises(CivicError, match="no open room"):
        actions.room(registry, batch)


def test_preassigned_officers_do_not_choose_in_the_room(registry, helpers):
    batch = helpers.make_batch(registry, mode="live")
    actions.set_override(registry, batch, "J004", "JZ-05", "couple")
    actions.open_room(registry, batch)
    room = actions.room(registry, batch)
    assert room.session.current() == "J001" and room.session.remaining()["JZ-05"] == 0


def test_an_open_room_reads_its_frozen_inputs_once(registry, helpers, monkeypatch):
    # Frozen when the room opened and content-addressed by their stored digest, the inputs
    # are read and ranked once for all the picks; the picks themselves are read each time.
    batch = helpers.make_batch(registry, mode="live")
    actions.open_room(registry, batch)
    reads = []
    load = store.load_inputs
    monkeypatch.setattr(store, "load_inputs", lambda *a, **k: reads.append(1) or load(*a, **k))
    actions._OPEN_ROOM.clear()
    actions.choose(registry, batch, "JZ-01")  # J004
    actions.choose(registry, batch, "JZ-04")  # J001
    room = actions.room(registry, batch)
    assert len(reads) == 1
    assert room.session.history == [("J004", "JZ-01"), ("J001", "JZ-04")]


def test_inputs_that_differ_from_the_room_s_digest_are_not_kept(registry, helpers,
                                                                 monkeypatch):
    # Inputs read back that no longer give the digest stored at opening (a file changed
    # behind civic's back) are read afresh at each pick, never kept under that digest.
    from civic.plugins.placement.rules import BatchInputs

    batch = helpers.make_batch(registry, mode="live")
    actions.open_room(registry, batch)
    actions._OPEN_ROOM.clear()
    monkeypatch.setattr(BatchInputs, "digest", lambda self: "0" * 64)
    actions.room(registry, batch)
    assert actions._OPEN_ROOM == {}
