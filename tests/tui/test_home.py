"""The dashboard: counts, plugins' open workflows, notices running, latest audit entries, and
the chain's state (verified, or broken at entry N) re-checked in a worker."""

from __future__ import annotations

import pytest
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from civic import hookimpl
from civic.pm import make_plugin_manager
from civic.registry import summary
from civic.tui.commands import palette_entries
from civic.tui.modes import Mode, PaletteCommand
from civic.tui.screens.base import CivicScreen
from civic.tui.widgets.wide_table import WideTable
from civic.workflows import Workflow


class CountingScreen(CivicScreen):
    SCREEN_TITLE = "Counting"

    def compose_body(self) -> ComposeResult:
        yield Static("the count", id="counting")


class CountingPlugin:
    """What a mechanism plugin adds to the app: a mode, a palette command, open work."""

    @hookimpl
    def register_modes(self, register):
        register(Mode("counting", "Counting", "f9", lambda app: CountingScreen(), order=100))

    @hookimpl
    def register_palette_commands(self, register):
        register(PaletteCommand("Certify the count", "Needs a supervisor",
                                lambda app: app.notify("certify")))

    @hookimpl
    def open_workflows(self, db):
        return [Workflow("counting", "r1", "Round 1 of 2008", "counting", mode="counting")]


async def test_dashboard_counts_match_the_registry(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        home = app.screen
        assert home.dashboard.counts == summary(registry.db)
        counts = driver.text(home.query_one("#dash-counts", Static))
        assert "Vacancies" in counts
        latest = home.query_one("#dash-audit", DataTable)
        assert latest.row_count == 7  # four operators added, three imports: all of them
        assert latest.get_row_at(0)[4] == "Records imported"  # newest first, in words
        assert latest.get_row_at(0)[5] == "the people register"  # its subject, in words


async def test_chain_verified_then_broken_at_the_changed_entry(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        assert app.chain is not None and app.chain.ok
        text = driver.text(app.screen.query_one("#chain-text", Label))
        assert "verified" in text
        # Someone edits the file behind civic's back (the trigger is dropped first).
        registry.db.execute("DROP TRIGGER audit_log_no_update")
        registry.db.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
        registry.db.conn.commit()
        await pilot.press("v")
        await driver.settle(pilot)
        assert app.chain is not None and not app.chain.ok and app.chain.broken_at == 3
        text = driver.text(app.screen.query_one("#chain-text", Label))
        assert "BROKEN at entry 3" in text


async def test_plugin_mode_palette_command_and_workflow(registry, driver):
    pm = make_plugin_manager(only=[], extra=[CountingPlugin()])
    app = driver.app(pm)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        flows = app.screen.query_one("#dash-workflows", DataTable)
        # The mechanism by the title of its mode, not the plugin's name.
        assert flows.get_row_at(0) == ["Round 1 of 2008", "counting", "Counting"]
        titles = [title for title, _help, _cb in palette_entries(app)]
        assert "Certify the count" in titles and "Go to Counting" in titles
        assert [m.name for m in app.modes][-1] == "counting"
        flows.focus()
        await pilot.press("enter")  # a workflow opens its plugin's mode
        await driver.settle(pilot)
        assert app.current_mode == "counting"
        assert app.screen.query_one("#counting", Static)
        await pilot.press("f2")
        await driver.settle(pilot)
        assert app.current_mode == "home"
        await pilot.press("f9")  # reserved for the election mechanism: not a third party's
        await driver.settle(pilot)
        assert app.current_mode == "home"
        app.action_open_mode("counting")  # the mode menu and the palette reach it instead
        await driver.settle(pilot)
        assert app.current_mode == "counting"


async def test_help_lists_the_screen_keys_and_the_modes(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f1")
        await driver.settle(pilot)
        text = driver.text(app.screen.query_one("#help-text", Static))
        assert "Verify chain" in text and "People" in text and "Log out" in text
        # Each key once: the palette's own binding is not listed beside its written-out line.
        keys = [line.split()[0] for line in text.splitlines() if line.strip()]
        assert keys.count("^p") == 1 and keys.count("^q") == 1
        await pilot.press("escape")
        await driver.settle(pilot)
        assert app.current_mode == "home" and len(app.screen_stack) == 1


async def from_palette(pilot, driver, words: str) -> None:
    """Open the palette, type `words` and take the first entry it offers."""
    await pilot.press("ctrl+p")
    await driver.settle(pilot)
    await pilot.press(*words)
    await pilot.pause(0.5)  # the palette searches as you type
    await pilot.press("enter")
    await driver.settle(pilot)


async def test_command_palette_runs_core_commands(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        app.chain = None
        await from_palette(pilot, driver, "verify the audit")
        assert app.chain is not None and app.chain.ok
        await from_palette(pilot, driver, "go to positions")
        assert app.current_mode == "positions"


async def test_the_chinese_palette_finds_a_command_by_its_english_name_or_pinyin(registry,
                                                                                 driver):
    """An operator working in Chinese types what they know: the English name, or pinyin."""
    app = driver.app(lang="zh_CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        app.chain = None
        await from_palette(pilot, driver, "verify the audit")  # 校验审计日志哈希链
        assert app.chain is not None and app.chain.ok
        await from_palette(pilot, driver, "zdzw")  # 转到职位 (zhuan dao zhi wei)
        assert app.current_mode == "positions"


async def test_the_palette_speaks_the_app_language(registry, pm, db_path):
    """Textual's own palette texts (its placeholder, its Quit/Screenshot entries, the footer's
    palette key) go through civic's catalog like the rest of the app."""
    from textual.command import CommandInput, CommandPalette

    from civic.i18n import set_language
    from civic.tui.app import CivicApp

    from .conftest import FIXED_NOW, Driver

    driver = Driver(pm, db_path)
    app = CivicApp(pm, db_path, clock=lambda: FIXED_NOW, lang="zh_CN")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await driver.login(pilot)
            assert app.screen.active_bindings["ctrl+p"].binding.description == "命令面板"
            await pilot.press("ctrl+p")
            await driver.settle(pilot)
            assert isinstance(app.screen, CommandPalette)
            assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
            titles = {c.title for c in app.get_system_commands(app.screen)}
            assert {"配色", "退出", "截图"} <= titles
    finally:
        set_language("en")


class OpenPlacementWork:
    """Open work as the placement plugin reports it: by its name, "placement"."""

    @hookimpl
    def open_workflows(self, db):
        return [Workflow("placement", "1", "2008年军转干部安置", "待运行", mode="placement")]


async def test_open_work_names_the_mechanism_in_the_operators_language(registry, driver):
    pm = make_plugin_manager(extra=[OpenPlacementWork()])
    app = driver.app(pm, lang="zh_CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        flows = app.screen.query_one("#dash-workflows", DataTable)
        rows = [flows.get_row_at(i) for i in range(flows.row_count)]
        assert ["2008年军转干部安置", "待运行", "军转安置"] in rows  # the mode's title, in Chinese
        assert all(row[2] != "placement" for row in rows)


class LongOpenWork:
    @hookimpl
    def open_workflows(self, db):
        return [Workflow("placement", "1", "2008年军转干部安置", "candidates for inspection: "
                         "notice running until the end of its period", mode="placement"),
                Workflow("placement", "2", "市民政局副局长等3个副县级领导职位第一轮推荐提名人选",
                         "open", mode="placement")]


async def test_open_work_shows_its_title_at_80_columns(registry, driver):
    # Issue 17: at 80 columns the mechanism and a long state left the title off to the right.
    # The title comes first and keeps at least half the panel; a long state is cut, not it.
    app = driver.app(make_plugin_manager(extra=[LongOpenWork()]))
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await driver.settle(pilot)
        flows = app.screen.query_one("#dash-workflows", DataTable)
        room = flows.scrollable_content_region.width - 3 * 2 * flows.cell_padding
        title, state, _mechanism = flows.ordered_columns
        assert str(title.label) == "Work" and title.width >= room // 2
        # The first title whole, then 16 cells of the long state, both in the panel.
        assert title.width >= 18 and state.width == 16 and title.width + state.width <= room


@pytest.fixture(scope="module")
def demo_office(tmp_path_factory):
    """The demo office (36 open works in every mechanism), built once for this module."""
    from civic.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, make_plugin_manager())
    return path


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_open_work_fits_its_panel_on_the_demo_at_120_columns(demo_office, lang):
    # The counts beside the panel widen once their numbers are shown, after the open work's
    # columns were laid out, and the rows then bring a vertical scrollbar: the mechanism was
    # cut ("▸ 1 more") at 120x40. Each change of the panel's size lays the columns out again.
    import datetime as dt

    from civic.demo import DEMO_PASSWORD, DEMO_TODAY
    from civic.testing import AppDriver

    now = dt.datetime.combine(DEMO_TODAY, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    driver = AppDriver(make_plugin_manager(), demo_office, clock=lambda: now)
    app = driver.app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "operator", DEMO_PASSWORD)
        await driver.settle(pilot)
        flows = app.screen.query_one("#dash-workflows", WideTable)
        assert flows.row_count > flows.scrollable_content_region.height  # it scrolls
        assert flows.show_vertical_scrollbar and not flows.show_horizontal_scrollbar
        widths = [column.get_render_width(flows) for column in flows.ordered_columns]
        assert sum(widths) <= flows.scrollable_content_region.width
        assert flows.off_screen_marks() == ("", "")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_open_work_is_laid_out_once_before_its_first_frame(demo_office, lang, size,
                                                                  monkeypatch):
    # Laid out after the first frame, the columns cost a second render of the dashboard in
    # the operator's wait after Enter (bench/tui.py), and the first frame showed the panel
    # empty. The panel's size is worked out ahead from the screen's and the counts' widths.
    import datetime as dt

    from civic.demo import DEMO_PASSWORD, DEMO_TODAY
    from civic.testing import AppDriver
    from civic.tui.screens import home

    laid: list[tuple[int, bool]] = []  # (the panel's width then, the columns changed)
    original = home.HomeScreen._lay_out_workflows

    def counted(screen, *args):
        before = getattr(screen, "_workflows_laid_out", None)
        original(screen, *args)
        flows = screen.query_one("#dash-workflows", WideTable)
        laid.append((flows.size.width, screen._workflows_laid_out != before))

    drawn: list[int] = []  # the panel's columns each time the compositor draws it
    render_lines = home.OpenWorkTable.render_lines

    def drawing(table, crop):
        drawn.append(len(table.ordered_columns))
        return render_lines(table, crop)

    monkeypatch.setattr(home.HomeScreen, "_lay_out_workflows", counted)
    monkeypatch.setattr(home.OpenWorkTable, "render_lines", drawing)
    now = dt.datetime.combine(DEMO_TODAY, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    driver = AppDriver(make_plugin_manager(), demo_office, clock=lambda: now)
    app = driver.app(lang=lang)
    async with app.run_test(size=size) as pilot:
        await driver.login(pilot, "operator", DEMO_PASSWORD)
        await driver.settle(pilot)
        flows = app.screen.query_one("#dash-workflows", WideTable)
        assert drawn and drawn[0] == 3  # its first frame has the three columns
        changed = [width for width, change in laid if change]
        assert len(changed) == 1, laid  # once: the panel's later resizes find it as it is
        widths = [column.get_render_width(flows) for column in flows.ordered_columns]
        assert sum(widths) >= flows.scrollable_content_region.width - 1  # it fills the panel
