"""Why an officer may not take a post is stored as data (condition, required, actual) and worded
in the language of whoever shows it: the wall, the CLI and `show --officer` each read their
own, whoever opened the room. Snapshots that hold words (taken before) are shown as written."""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable

from civic.i18n import set_language
from civic.plugins.placement import actions, store
from civic.plugins.placement.rules import reason_text
from civic.tui.app import CivicApp

from .test_tui import NOW, open_batch, settle, text


@pytest.fixture
def live(registry, helpers):
    return helpers.make_batch(registry, mode="live")


def snapshot(db, batch: int) -> dict[tuple[str, str], list]:
    return {(o, p): json.loads(r) for o, p, r in db.execute(
        "SELECT officer, position, reasons FROM placement_ineligible WHERE batch = ?", [batch])}


def room_json(run_cli, batch: int, lang: str) -> dict:
    result = run_cli("placement", "room", str(batch), "--json", env={"CIVIC_LANG": lang})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_snapshot_holds_data_not_words(live, registry):
    actions.open_room(registry, live)  # in English (the tests' language)
    stored = snapshot(registry.db, live)
    assert stored[("J004", "JZ-02")] == [{"condition": "post_condition",
                                          "required": "specialty=审计|财务", "actual": "后勤"}]
    assert all(isinstance(r, dict) and "message" not in r
               for reasons in stored.values() for r in reasons)
    words = json.dumps(list(stored.values()))
    assert "not met" not in words and "below" not in words


def test_a_room_opened_in_english_reads_in_chinese(live, registry, run_cli):
    actions.open_room(registry, live)
    en = next(p for p in room_json(run_cli, live, "en")["open"] if p["position"] == "JZ-02")
    zh = next(p for p in room_json(run_cli, live, "zh_CN")["open"] if p["position"] == "JZ-02")
    assert en["why_not"] == ["post condition specialty=审计|财务 not met"]
    assert zh["why_not"] == ["不符合职位条件 specialty=审计|财务"]
    assert zh["problems"] == en["problems"] == [
        {"condition": "post_condition", "required": "specialty=审计|财务", "actual": "后勤"}]
    refused = run_cli("placement", "pick", str(live), "JZ-02", env={"CIVIC_LANG": "zh_CN"})
    assert refused.exit_code == 1 and "J004 不能选择 JZ-02：不符合职位条件" in refused.output


def test_a_core_condition_is_worded_for_each_reader(batch, registry, run_cli):
    """J003 (大专) listed JZ-04, which asks for a bachelor's degree: the run, in English, stored
    the condition; `show --officer` words it in the reader's language."""
    assert run_cli("placement", "run", str(batch)).exit_code == 0
    assert snapshot(registry.db, batch)[("J003", "JZ-04")] == [
        {"condition": "min_education", "required": "bachelor", "actual": "college"}]
    en = run_cli("placement", "show", str(batch), "--officer", "J003")
    assert "choice 2 JZ-04: not eligible: education below Bachelor" in en.output
    zh = run_cli("placement", "show", str(batch), "--officer", "J003",
                 env={"CIVIC_LANG": "zh_CN"})
    assert "不符合条件：学历低于本科" in zh.output and "Bachelor" not in zh.output
    data = json.loads(run_cli("placement", "show", str(batch), "--officer", "J003", "--json",
                              env={"CIVIC_LANG": "zh_CN"}).output)
    item = next(i for i in data["why_not"] if i["reason"] == "ineligible")
    assert item["conditions"] == ["学历低于本科"]
    assert item["problems"][0]["condition"] == "min_education"


def test_words_stored_before_are_shown_as_written(live, registry, run_cli, monkeypatch):
    """A room opened by the earlier code stored English words: they stay as they were (no
    migration rewrites the append-only snapshot), and its digest still checks out."""
    computed = store.compute_ineligible

    def as_words(*args, **kwargs):
        return {pair: [reason_text(r) for r in reasons]
                for pair, reasons in computed(*args, **kwargs).items()}

    monkeypatch.setattr(store, "compute_ineligible", as_words)
    actions.open_room(registry, live)
    monkeypatch.undo()
    assert snapshot(registry.db, live)[("J004", "JZ-02")] == [
        "post condition specialty=审计|财务 not met"]
    batch = store.get_batch(registry.db, live)
    assert store.load_inputs(registry.db, registry.pm, batch).digest() == batch["inputs_digest"]
    zh = next(p for p in room_json(run_cli, live, "zh_CN")["open"] if p["position"] == "JZ-02")
    assert zh["may_take"] is False
    assert zh["why_not"] == ["post condition specialty=审计|财务 not met"]
    assert zh["problems"] == [{"message": "post condition specialty=审计|财务 not met"}]


def test_a_plugin_condition_keeps_its_own_message():
    reason = {"condition": "commendations.blocked", "required": None, "actual": None,
              "message": "blocked by test plugin"}
    set_language("zh_CN")
    try:
        assert reason_text(reason) == "blocked by test plugin"
        assert reason_text({"condition": "party_required", "required": True,
                            "actual": "群众"}) == "不是正式党员"
    finally:
        set_language("en")


async def test_the_wall_reads_its_own_language(live, registry, pm, db_path):
    actions.open_room(registry, live)  # opened in English
    app = CivicApp(pm, db_path, clock=lambda: NOW, lang="zh_CN")
    async with app.run_test(size=(160, 50)) as pilot:
        await open_batch(pilot)
        await pilot.press("r")
        await settle(pilot)
        posts = app.screen.query_one("#room-posts", DataTable)
        codes = [posts.get_row_at(i)[0].plain for i in range(posts.row_count)]
        row = codes.index("JZ-02")
        assert posts.get_row_at(row)[3].plain == "✗ 不符合职位条件 specialty=审计|财务"
        posts.move_cursor(row=row)
        await settle(pilot)
        status = text(app.screen.query_one("#room-status"))
        assert "不能选择 JZ-02：不符合职位条件 specialty=审计|财务" in status


@pytest.mark.parametrize(("condition", "required", "actual"), [
    ("status", "serving", "retired"), ("min_rank", "division", "section"),
    ("min_years_in_rank", 2, 1), ("max_age", 50, None), ("max_age", 50, 55),
    ("min_education", "bachelor", "college"), ("party_required", True, "群众"),
    ("no_promotion", None, "case 1"), ("no_equivalent_post", "2009-01-01", "case 2"),
    ("no_candidacy", None, "case 3"), ("commendations.suspended", None, None),
])
def test_a_reason_keeps_a_message_exactly_when_core_cannot_word_it(condition, required, actual):
    # problem_reason asks by the condition's name, not by wording it: the two must agree.
    from civic.eligibility import Problem, problem_message
    from civic.plugins.placement.rules import problem_reason

    reason = problem_reason(Problem(condition, required, actual, "the plugin's words"))
    assert ("message" in reason) == (problem_message(condition, required, actual) is None)
