"""The batch dashboard read at the office's two sizes (80x24, 120x40) in both languages: a
school's title, outcome, the elected, the share, ballots returned of due and the group all on
screen (a long title cut to what the others leave, never the other columns squeezed), the
summary's reasons wrapped so the schools keep their rows, the filter over the outcomes the
batch has. Pictured as tests/election/test_keying_snapshots.py pictures the keying screens."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Static

from civic.plugins.election import actions
from civic.plugins.election.screens import TITLE_MIN, BatchScreen
from civic.pm import make_plugin_manager
from civic.tui.text import ItemsParagraph

from .test_keying_snapshots import opened

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh_CN"]
GROUP = "市教育局直属"
# school number -> what its tally says: elected (A wins), void (returned > issued), no quorum
VOID, NO_QUORUM = {3}, {5}


def _batch(office, tmp_path, schools=14, alone=(), split=(), short=NO_QUORUM) -> int:
    """`schools` principals' elections, two candidates each, one constituency of 100 teachers;
    school 3 void, school 5 (or those in `short`) short of its quorum, the rest elect A with
    60 of 80 for. Schools in `alone` have one candidate (not held), in `split` A and B 40 for,
    40 against (nobody elected)."""
    elections = ["学校,学校名称,类别,应选,候选人编号,姓名,现任,选区,应到,权重"]
    tallies = ["学校,选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效"]
    for i in range(1, schools + 1):
        code = f"S{i:03d}"
        elections += [f"{code},昆明市第{i}中小学校长选举,{GROUP},1,{code}-A,韩玲涛,是,,,",
                      *([] if i in alone else [f"{code},,,1,{code}-B,罗军,否,,,"]),
                      f"{code},,,,,,,teachers,100,1"]
        if i in VOID:
            tallies.append(f"{code},teachers,,,,,,80,79,80,")
            continue
        if i in alone:
            continue
        present = 40 if i in short else 80
        won = present // 2 if i in split else present * 3 // 4
        tallies += [f"{code},teachers,,,,,,{present},{present},{present},",
                    f"{code},teachers,principal,,,,,,,,0",
                    f"{code},teachers,principal,{code}-A,{won},{present - won},0,,,,",
                    f"{code},teachers,principal,{code}-B,{present - won},{won},0,,,,"]
    e, t = tmp_path / "e.csv", tmp_path / "t.csv"
    e.write_text("\n".join(elections) + "\n", encoding="utf-8")
    t.write_text("\n".join(tallies) + "\n", encoding="utf-8")
    return actions.import_batch(office, e, t, title="2008", pack="principal-kunming-2008",
                                held_on=dt.date(2008, 7, 1))["batch"]


def _opened(civic_app, batch):
    return opened(civic_app, lambda: BatchScreen(batch))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_column_reads_whole(civic_registry, civic_app, tmp_path, size, lang):
    batch = _batch(civic_registry, tmp_path)
    app = civic_app.app(pm=make_plugin_manager(only=["election"]), lang=lang)
    async with app.run_test(size=size) as pilot:
        await _opened(civic_app, batch)(pilot)
        table = app.screen.query_one("#election-batch", DataTable)
        assert table.columns_off_screen() == (0, 0)  # no "▸ N more": nothing off to the right
        widths = [c.width for c in table.ordered_columns]
        title = widths[0]
        # the title (24 cells at the most) is cut only where the screen is narrow, and then
        # to TITLE_MIN at least
        if size[0] == 80:
            assert TITLE_MIN <= title < 24
        else:
            assert title == 24
        row = [str(c) for c in table.get_row_at(0)]
        # A elected with 60 of 80 for; 80 ballots returned of 100 due
        assert row[1:] == [{"en": "elected", "zh_CN": "当选"}[lang], "韩玲涛", "0.7500",
                           "80/100", GROUP]
        # every other cell whole: each column as wide as its widest cell
        for i, width in enumerate(widths[1:], 1):
            assert all(table.get_row_at(r)[i].cell_len <= width for r in range(table.row_count))
        summary = app.screen.query_one("#election-batch-summary", Static)
        # the summary leaves the schools their rows: 14 schools whole at 120x40, 10 at 80x24
        # (its reasons wrapped in one paragraph, not a line each)
        assert summary.size.height <= 4
        assert table.scrollable_content_region.height - 1 >= (14 if size[1] == 40 else 10)


async def test_the_filter_cycles_over_the_outcomes_the_batch_has(civic_registry, civic_app,
                                                                 tmp_path):
    batch = _batch(civic_registry, tmp_path)
    app = civic_app.app(pm=make_plugin_manager(only=["election"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await _opened(civic_app, batch)(pilot)
        table = app.screen.query_one("#election-batch", DataTable)
        seen = []
        for _ in range(4):
            await pilot.press("f")
            await civic_app.settle(pilot)
            seen.append((table.row_count, {str(table.get_row_at(r)[1])
                                           for r in range(table.row_count)}))
        # elected, no quorum, void, then all again: no empty filter (not held, tie, pending)
        assert seen == [(12, {"elected"}), (1, {"no quorum"}), (1, {"void"}),
                        (14, {"elected", "no quorum", "void"})]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_batch_dashboard(civic_registry, civic_app, snap_compare, tmp_path, size, lang):
    """Fourteen schools: twelve elected, one void, one short of its quorum."""
    batch = _batch(civic_registry, tmp_path)
    app = civic_app.app(pm=make_plugin_manager(only=["election"]), lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=_opened(civic_app, batch))


async def test_the_reasons_wrap_between_them_at_80_columns_in_chinese(civic_registry, civic_app,
                                                                     tmp_path):
    # All four reasons do not fit one line at 80 columns: wrapped as one text, the first line
    # filled the panel's 78 cells up to the third count and the second began with "；" (a
    # Chinese punctuation mark must not start a line). Ten schools for each reason, as on the
    # demo's 528 schools: the counts' two digits bring the line to 78 cells.
    batch = _batch(civic_registry, tmp_path, schools=40, alone=range(10, 20),
                   short=range(20, 30), split=range(30, 40))
    app = civic_app.app(pm=make_plugin_manager(only=["election"]), lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _opened(civic_app, batch)(pilot)
        summary = app.screen.query_one("#election-batch-summary", Static)
        lines = [strip.text.strip("│ ") for strip in summary.render_lines(
            summary.region.reset_offset)]
        assert lines[3:5] == ["未选出：候选人不足两名，未举行选举：10；到会人数不足：10；",
                              "无人达到当选票数：10；无效：收回选票多于发出选票：1"]
        assert not any(line.startswith("；") for line in lines)


# (items, width, lines): the items whole on each line, the separator at a line's end.
@pytest.mark.parametrize(("items", "width", "expected"), [
    (["a: 1", "b: 2", "c: 3"], 80, ["Not: a: 1; b: 2; c: 3."]),
    # the separator's space is dropped at a line's end, and not counted against the width
    (["a: 1", "b: 2", "c: 3"], 16, ["Not: a: 1; b: 2;", "c: 3."]),
    (["a: 1", "b: 2", "c: 3"], 0, ["Not: a: 1;", "b: 2;", "c: 3."]),
    ([], 80, ["Not: ."]),
])
def test_items_paragraph_lines(items, width, expected):
    assert ItemsParagraph("Not: {items}.", items, "; ").lines(width) == expected


def test_items_paragraph_keeps_chinese_punctuation_at_line_ends():
    items = ["候选人不足两名，未举行选举：14", "到会人数不足：31", "无人达到当选票数：37"]
    lines = ItemsParagraph("未选出：{reasons}", items, "；", key="reasons").lines(40)
    assert lines == ["未选出：候选人不足两名，未举行选举：14；", "到会人数不足：31；无人达到当选票数：37"]
