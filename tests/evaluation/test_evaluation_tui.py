"""The evaluation mode at the terminal (F10): the ranking with category bars and the quota
line, scoring from the screen, rank intervals, a unit's breakdown and the framework tree."""

from __future__ import annotations

from textual.widgets import DataTable, Select, Static, Tree

from civic.plugins.evaluation import actions
from civic.plugins.evaluation.screens import (
    CompletenessScreen,
    EvaluationScreen,
    FrameworkScreen,
    OpinionScreen,
    RankingScreen,
    UnitScreen,
    bar,
)
from civic.tui.dialogs.form import FormDialog


def test_bars_are_eighths_of_a_cell():
    assert bar("100.00") == "██████" and bar(None) == "······"
    assert bar("50.00", 4) == "██  " and bar("12.5", 1) == "▏"  # 1/8 of one cell


async def test_ranking_breakdown_and_framework(civic_registry, civic_app, tmp_path):
    office = civic_registry
    actions.import_framework(office, "kunming-county-2008")
    number = actions.create(office, "kunming-county-2008", 2008, "2008年度考核", edition="2007")
    from civic.plugins.evaluation import rules

    codes = [i.code for i in rules.pack("kunming-county-2008").indicators]
    rows = [f"U{n},单位{n}," + ",".join(str(10 + n * 7 + j) for j in range(20)) + ","
            + ("事故" if n == 2 else "") + ",," for n in range(5)]
    data = tmp_path / "d.csv"
    data.write_text("单位编码,单位名称," + ",".join(codes) + ",SAFETY,POLLUTION,FALSIFY\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")
    actions.import_data(office, number, data)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f10")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, EvaluationScreen)
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, RankingScreen)
        assert app.screen.query_one(DataTable).row_count == 0  # not scored yet
        await pilot.press("d")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, CompletenessScreen)
        assert app.screen.query_one(DataTable).get_row_at(0)[2] == "20/20"
        await pilot.press("escape")
        await civic_app.settle(pilot)
        await pilot.press("r")
        await civic_app.settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 5
        first = table.get_row_at(0)
        # The best unit (U4: highest on every indicator but the "lower" ones) leads.
        assert str(first[1]) == "单位4" and first[0] == 1
        quota = civic_app.text(app.screen.query_one("#evaluation-quota", Static))
        assert "at most 1" in quota  # 15% of 5 = 0.75 -> 1
        await pilot.press("s")
        await civic_app.settle(pilot)
        assert "(" in str(app.screen.query_one(DataTable).get_row_at(0)[-2])  # "1 (1-2)"
        await pilot.press("down", "down")
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, UnitScreen)
        head = civic_app.text(app.screen.query_one("#evaluation-unit-head", Static))
        assert "SAFETY" in head and "事故" in head
        await pilot.press("escape")
        await civic_app.settle(pilot)
        await pilot.press("f")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, FrameworkScreen)
        labels = [str(n.label) for n in app.screen.query_one(Tree).root.children]
        assert labels[0].startswith("经济发展  35%")
        await pilot.press("escape")
        await civic_app.settle(pilot)
        await pilot.press("m")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, OpinionScreen)
        assert app.screen.query_one("#evaluation-ratings", DataTable).row_count == 0
        await pilot.press("escape")
        await civic_app.settle(pilot)
        # The committee grades the leader (U4) 较好, other than its score's grade: a reason.
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("c")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-grade", Select).value = "较好"
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, FormDialog)  # refused: the reason is missing
        app.screen.query_one("#field-reason").text = "年内群众反映问题较多"  # a TextArea
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, RankingScreen)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[3]).endswith("→较好")


async def test_rating_forms_keyed_at_the_terminal(civic_registry, civic_app, tmp_path):
    """Forms keyed one by one: validity shown as keyed, a form refused keeps its grades, leaving
    with a form unfiled asks first, and the count after voids the form the pack's rule voids."""
    from civic.plugins.evaluation import rules, store
    from civic.plugins.evaluation.screens import FormKeyingScreen
    from civic.tui.dialogs.unsaved import UnsavedDialog

    office = civic_registry
    actions.import_framework(office, "kunming-county-2008")
    number = actions.create(office, "kunming-county-2008", 2008, "2008年度考核", edition="2007")
    codes = [i.code for i in rules.pack("kunming-county-2008").indicators]
    data = tmp_path / "d.csv"
    data.write_text("单位编码,单位名称," + ",".join(codes) + "\n" + "\n".join(
        f"U{n},单位{n}," + ",".join(str(10 + n + j) for j in range(20)) for n in range(3))
        + "\n", encoding="utf-8")
    actions.import_data(office, number, data)
    actions.declare_rating(office, number, {"leaders": 5, "cadres": 5, "public": 5})
    actions.rating_figures(office, number, "leaders", 5, 5, 5)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        app.push_screen(OpinionScreen(number))
        await civic_app.settle(pilot)
        # Not countable yet, and the screen says what is missing, in words.
        assert "of 干部职工、群众代表" in app.screen.query_one(
            "#evaluation-ratings", DataTable).border_subtitle
        await pilot.press("k")
        await civic_app.settle(pilot)
        screen = app.screen
        assert isinstance(screen, FormKeyingScreen)
        validity = screen.query_one("#evaluation-keying-validity", Static)
        # Form 1 (leaders): 单位0 优秀, 单位1 称职, 单位2 基本称职, keyed down the column.
        await pilot.press("1", "2", "3")
        await civic_app.settle(pilot)
        assert "valid, 3 graded" in str(validity.render())
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        # Form 2: everyone 称职, void under the pack's rule, shown before it is filed.
        await pilot.press("2", "2", "2")
        await civic_app.settle(pilot)
        assert "void (every ratee graded 称职)" in str(validity.render())
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        # A slip: form 3 keyed under the number of form 1 is refused, its grades kept.
        await pilot.press("4")
        screen.number = 1
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert screen.grades["overall"] == {"U0": "不称职"}
        await pilot.press("escape")  # leaving with the form unfiled asks
        await civic_app.settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")  # stay
        await civic_app.settle(pilot)
        assert app.screen is screen
        screen.number = 3
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert screen.filed == [1, 2, 3] and screen.number == 4
    for category in ("cadres", "public"):
        actions.rating_figures(office, number, category, 5, 5, 5)
    found = store.ratings(office.db, number, office.pm)
    assert found["forms"]["leaders"] == 3
    assert found["invalid"] == [{"dimension": "overall", "dimension_name": "综合评价",
                                 "reason": "every ratee graded 称职", "forms": 1}]
    from civic import ballots, contests

    counted = contests.count(office.db, ballots.get_round(office.db, store.rating_round(
        office.db, number)), pm=office.pm)
    u0, u1, _u2 = counted.grades["overall"]
    # Form 2 void: 单位1 graded 称职 once (form 1), blank on form 3; 单位0 优秀 then 不称职.
    assert (u1.counts["称职"], u1.blank, u1.invalid) == (1, 1, 1)
    assert u0.counts == {"优秀": 1, "称职": 0, "基本称职": 0, "不称职": 1}
