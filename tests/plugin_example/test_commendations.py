"""The example plugin, tested the way a plugin author would, with civic.testing alone.

An admonition (诫勉) records a no_promotion restriction for six months: core eligibility reads
it for every mechanism (nomination's included), `civic eligible`, `civic people show` and the
person screen show it; the plugin's texts translate through its own catalog; its notice kind
brings its template and period, and its published notices still render once it is gone.
"""

from __future__ import annotations

import datetime as dt
import json

from textual.widgets import DataTable, Static

from civic import facts, notices
from civic.events import event_types
from civic.i18n import set_language
from civic.pm import make_plugin_manager
from civic.testing import FIXED_NOW, cli_runner

from . import plugin

DECIDED = dt.date(2008, 6, 2)
FREE = dt.date(2008, 12, 2)  # six months on: the first day the restriction no longer holds


def test_six_months_later_keeps_the_day_or_the_month_end():
    assert plugin.months_later(DECIDED, 6) == FREE
    assert plugin.months_later(dt.date(2008, 8, 31), 6) == dt.date(2009, 2, 28)


def test_admonition_blocks_promotion_in_civic_eligible(civic_registry, civic_cli):
    # 李明 (C0002) is 副处; 西山区委书记 (P-XSSJ) is a 正处 post he otherwise qualifies for.
    before = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-01", "--json").output)
    assert "C0002" in [p["code"] for p in before["eligible"]]
    result = civic_cli("admonish", "C0002", "--on", DECIDED.isoformat(), "--reason", "推诿扯皮")
    assert result.exit_code == 0, result.output
    during = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-01", "--json").output)
    blocked = {p["code"]: p["problems"] for p in during["ineligible"]}
    assert blocked["C0002"] == [{
        "condition": "no_promotion", "required": FREE.isoformat(),
        "actual": "admonition No. 1 (诫勉规定 2019 art. 11)",  # worded by describe_fact_source
        "message": "blocked by admonition No. 1 (诫勉规定 2019 art. 11) until 2008-12-02"}]
    text = civic_cli("eligible", "P-XSSJ", "--on", "2008-07-01", "--all").output
    assert "✗ C0002  李明: blocked by admonition No. 1" in text
    after = json.loads(civic_cli("eligible", "P-XSSJ", "--on", FREE.isoformat(),
                                 "--json").output)
    assert "C0002" in [p["code"] for p in after["eligible"]]


def test_admonition_blocks_a_write_in_in_nomination(civic_registry):
    from civic.plugins.nomination import actions, store
    from civic.plugins.nomination.rules import NOT_ELIGIBLE, OPEN

    office = civic_registry
    nomination = actions.create(office, title="2008年7月推荐", positions=["P-XSSJ"],
                                reference_date=dt.date(2008, 7, 4))
    resolve = store.resolver(office, nomination, store.get_round(office.db, nomination, OPEN))
    assert resolve("P-XSSJ", "李明") == "C0002"
    plugin.admonish(office, "C0002", DECIDED, "推诿扯皮")
    resolve = store.resolver(office, nomination, store.get_round(office.db, nomination, OPEN))
    mark = resolve("P-XSSJ", "李明")
    assert mark.reason == NOT_ELIGIBLE


def test_people_show_lists_the_fact_and_the_plugin_section(civic_registry, civic_cli,
                                                           civic_pm, civic_db_path):
    civic_cli("commend", "C0002", "优秀共产党员")
    civic_cli("admonish", "C0002", "--on", DECIDED.isoformat(), "--reason", "推诿扯皮")
    data = json.loads(civic_cli("people", "show", "C0002", "--json").output)
    [fact] = data["facts"]
    assert (fact["kind"], fact["value"], fact["until"], fact["source_plugin"]) == \
        ("restriction", "no_promotion", FREE.isoformat(), "commendations")
    assert data["sections"] == [{"title": "Commendations and admonitions", "rows": [
        ["Commendation", "优秀共产党员"], ["Admonition", "2008-06-02  推诿扯皮"]]}]
    text = civic_cli("people", "show", "C0002").output
    assert "restriction: no promotion  — admonition No. 1 (诫勉规定 2019 art. 11)" in text
    assert "Commendations and admonitions:\n  Commendation  优秀共产党员" in text
    zh = cli_runner(civic_pm, civic_db_path, lang="zh_CN")("people", "show", "C0002").output
    assert "表彰与诫勉:" in zh and "限制: 不得晋升" in zh


async def test_person_screen_shows_the_fact_and_the_section(civic_registry, civic_app):
    plugin.admonish(civic_registry, "C0002", DECIDED, "推诿扯皮")
    app = civic_app.app()
    async with app.run_test(size=(160, 50)) as pilot:
        await civic_app.login(pilot)
        from civic.tui.screens.person import PersonScreen

        await app.push_screen(PersonScreen("C0002"))
        await civic_app.settle(pilot)
        table = app.screen.query_one("#person-facts", DataTable)
        assert table.get_row_at(0)[:3] == ["2008-06-02", "2008-12-02",
                                            "restriction: no promotion"]
        sections = civic_app.text(app.screen.query_one("#person-sections", Static))
        assert "Commendations and admonitions" in sections and "推诿扯皮" in sections


async def test_the_mode_has_no_f_key_and_opens_from_the_mode_menu(civic_registry, civic_app):
    app = civic_app.app()
    async with app.run_test(size=(140, 44)) as pilot:
        await civic_app.login(pilot)
        mode = next(m for m in app.modes if m.name == "commendations")
        assert mode.key is None
        await pilot.press("ctrl+g")
        await civic_app.settle(pilot)
        await pilot.press(*"Commendations", "enter")
        await civic_app.settle(pilot)
        assert app.current_mode == "commendations"


def test_event_titles_translate_through_the_plugin_catalog(civic_pm):
    types = event_types(civic_pm)
    set_language("zh_CN")
    try:
        assert types.title("commendations.commended") == "予以表彰"
        assert types.title("commendations.admonished") == "作出诫勉决定"
        assert types.title("core.fact_recorded") == "记录干部事实"  # core's catalog still first
    finally:
        set_language("en")
    assert types.title("commendations.commended") == "Commendation awarded"


def _award_notice(office):
    return notices.draft(office, kind=plugin.NOTICE_KIND, subject="commendations:2008",
                         title={"zh_CN": "表彰公示", "en": "Commendations"},
                         context={"table": {"columns": ["姓名"], "rows": [["李明"]]}})


def test_the_notice_kind_brings_its_template_and_period(civic_registry):
    notice = _award_notice(civic_registry)
    assert notice.template == "commendations/award" and notice.period_days == 7
    text = notices.render(civic_registry, notice.id, lang="zh_CN")
    assert "决定，对下列同志予以表彰" in text and "李明" in text


def test_a_published_notice_renders_after_its_plugin_is_gone(civic_registry, civic_db_path):
    from civic.office import Office, Operator

    notice = _award_notice(civic_registry)
    notices.publish(civic_registry, notice.id, cosigner=Operator("sup", "supervisor"))
    posted = notices.render(civic_registry, notice.id, lang="zh_CN")
    without = Office(civic_registry.db, make_plugin_manager(only=[]), clock=lambda: FIXED_NOW)
    assert notices.render(without, notice.id, lang="zh_CN") == posted
    html = notices.render(without, notice.id, lang="zh_CN", fmt="html")
    assert "李明" in html and html.startswith("<pre>")


def test_civic_status_lists_the_notice_period_with_its_due_date(civic_registry, civic_cli):
    from civic.office import Operator

    assert "No open work" in civic_cli("status", "--on", "2008-07-01").output
    notice = _award_notice(civic_registry)
    published = notices.publish(civic_registry, notice.id,
                                cosigner=Operator("sup", "supervisor"))
    data = json.loads(civic_cli("status", "--on", "2008-07-01", "--json").output)
    assert data["open"] == [{"plugin": "commendations", "ref": str(notice.id),
                             "title": "表彰公示", "state": "notice period",
                             "mode": "commendations", "due": published.ends_on,
                             "overdue": False}]
    late = civic_cli("status", "--on", "2008-12-31").output
    assert f"{published.ends_on} overdue" in late


def test_facts_recorded_by_the_plugin_are_history(civic_registry):
    plugin.admonish(civic_registry, "C0002", DECIDED, "推诿扯皮")
    [fact] = facts.facts_of(civic_registry.db, "C0002")
    with civic_registry.change() as change:  # lifted on review
        facts.end(change, fact.id, on=dt.date(2008, 9, 1), reason="复查撤销")
    assert facts.facts_of(civic_registry.db, "C0002", dt.date(2008, 9, 1)) == []
    assert facts.get_fact(civic_registry.db, fact.id).end_reason == "复查撤销"
