"""The demo's 2008 batch: 47 officers, 53 posts, chosen live, certified, its notice confirmed,
and re-runnable from the CLI with the same result."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from civic import audit, notices
from civic.cli.main import build_cli
from civic.db import open_db
from civic.demo import build_demo
from civic.plugins.placement import store
from civic.plugins.placement.demo import SCHEME
from civic.pm import make_plugin_manager


@pytest.fixture(scope="module")
def placement_pm():
    return make_plugin_manager(only=["placement"])


@pytest.fixture(scope="module")
def demo(tmp_path_factory, placement_pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path, placement_pm)
    db = open_db(path)
    yield path, db, summary
    db.close()


def test_the_batch_is_the_2008_one(demo):
    _path, db, summary = demo
    assert "placement" in summary.plugins
    batch, *held = store.list_batches(db)
    # The later batches are held part-way for the operator: certified with the notice's period
    # over (he confirms it, then records the appointments), and set up, not yet run.
    assert [(b["status"], b["officers"], b["placed"]) for b in held] == [
        ("certified", 8, 8), ("setup", 6, 0)]
    assert (batch["officers"], batch["posts"], batch["seats"]) == (47, 53, 53)
    assert (batch["mode"], batch["status"], batch["placed"]) == ("live", "certified", 47)
    people = db.execute("SELECT count(*) FROM people WHERE tags LIKE '%军转干部%'").fetchone()[0]
    assert people >= 47
    regiment = db.execute("SELECT count(*) FROM placement_officers WHERE batch = 1 AND"
                          " record LIKE '%\"rank\": \"正团\"%'").fetchone()[0]
    assert 10 <= regiment <= 20
    appointed = db.execute("SELECT count(*) FROM appointments WHERE basis_kind = 'placement'"
                           " AND action = 'transfer_in'").fetchone()[0]
    assert appointed == 47


def test_it_was_chosen_live_with_a_slip_undone_and_a_draw(demo):
    _path, db, _summary = demo
    types = [e.type for e in audit.entries(db, subject="placement:1", newest_first=False)]
    assert types.count("placement.picked") == 47  # 46 picks and one slip, undone
    assert types.count("placement.pick_undone") == 1
    # Notice first (任前公示): the appointments follow the confirmed notice (issue 18).
    assert types[-3:] == ["placement.run", "placement.certified", "placement.appointed"]
    run = audit.entries(db, type_prefix="placement.run", subject="placement:1")[0].data()
    assert len(run["draw_groups"]) == 1 and run["unplaced"] == []
    override = audit.entries(db, type_prefix="placement.override_set",
                             subject="placement:1")[0].data()
    assert "领导小组" in override["reason"]
    assert audit.verify(db).ok


def test_its_notice_is_published_and_confirmed(demo):
    _path, db, _summary = demo
    [notice] = notices.list_notices(db, subject="placement:1")
    assert notice.status == "confirmed" and notice.published_on == "2008-09-12"
    body = notices.stored_body(db, notice.id, "zh_CN")
    assert "47名团职军队转业干部（正团职16名、副团职31名）" in body and "53个职位" in body


def test_the_cli_re_runs_it_with_the_same_result(demo, placement_pm):
    path, db, _summary = demo
    env = {"CIVIC_DB": str(path), "CIVIC_LANG": "en"}
    result = CliRunner().invoke(build_cli(placement_pm), ["placement", "run", "1", "--json"],
                                env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == store.stored_json(db, store.get_batch(db, 1))
    assert len(data["ranking"]) == 47 and all(a["position"] for a in data["assignments"])


def test_the_demo_batch_is_deterministic(demo, placement_pm, tmp_path):
    _path, db, _summary = demo
    again = tmp_path / "again.db"
    build_demo(again, placement_pm)
    other = open_db(again)
    try:
        assert store.stored_json(other, store.get_batch(other, 1)) == store.stored_json(
            db, store.get_batch(db, 1))
    finally:
        other.close()


def test_the_example_scheme_is_the_shipped_one_without_the_art_19_factors(helpers):
    """The example scheme (examples/, for files without the art. 19 columns) scores what the
    shipped Kunming pack scores, as the pack scores it; the pack adds wartime awards, hard or
    remote regions, flying or ship service and disability (2001 暂行办法 art. 19)."""
    from civic.scoring import load_scheme

    pack, example = load_scheme(SCHEME), load_scheme(helpers.SCHEME)
    shipped = {c.name: c for c in pack.components}
    for c in example.components:
        assert (c.kind, c.column, c.weight, c.cap, c.rounding, dict(c.points), c.multiple) == (
            shipped[c.name].kind, shipped[c.name].column, shipped[c.name].weight,
            shipped[c.name].cap, shipped[c.name].rounding, dict(shipped[c.name].points),
            shipped[c.name].multiple), c.name
    assert set(shipped) - {c.name for c in example.components} == {
        "wartime_awards", "hard_region_years", "flying_ship_years", "disability"}
    assert (pack.tie_break, pack.places) == (example.tie_break, example.places)
