"""Each mechanism's mode screen and its "new" dialog at both office sizes (80x24, 120x40) and in
both languages (issue 17: "snapshot tests ... for every screen and dialog"). Each plugin is loaded
alone, so a picture changes only when that plugin's screen does."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from civic.pm import make_plugin_manager
from civic.tui.modes import RESERVED_KEYS

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh_CN"]
PLUGINS = ["nomination", "placement", "election", "evaluation", "accountability", "training"]


def plugin_app(driver, plugin, lang):
    return driver.app(pm=make_plugin_manager(only=[plugin]), lang=lang)


async def still(pilot):
    # A still cursor in every box: the picture must not depend on the blink.
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("plugin", PLUGINS)
def test_mode_screen(registry, driver, snap_compare, plugin, size, lang):
    async def open_mode(pilot):
        await driver.login(pilot, "op")
        await pilot.press(RESERVED_KEYS[plugin])
        await driver.settle(pilot)

    assert snap_compare(plugin_app(driver, plugin, lang), terminal_size=size,
                        run_before=open_mode)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("plugin", PLUGINS)
def test_new_dialog(registry, driver, snap_compare, plugin, size, lang):
    async def open_new(pilot):
        await driver.login(pilot, "op")
        await pilot.press(RESERVED_KEYS[plugin])
        await driver.settle(pilot)
        await pilot.press("n")
        await driver.settle(pilot)
        await still(pilot)

    assert snap_compare(plugin_app(driver, plugin, lang), terminal_size=size, run_before=open_new)


# The chart reports, in core's one layout (civic.tui.widgets.chart_report): the summary line,
# the charts in a scroll, the choosing key and x in the footer. Each with a little data: the
# accountability test's case (a May 2008 case, a task overdue), the training test's March days.
REPORTS = {"accountability": ("f11", "r"), "training": ("f12", "c", "m")}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("plugin", list(REPORTS))
def test_chart_report(registry, driver, snap_compare, plugin, size, lang):
    if plugin == "accountability":
        from tests.accountability.test_accountability_tui import _case

        _case(registry)
    else:
        from tests.training.test_training_charts import _records

        _records(registry)

    async def open_report(pilot):
        await driver.login(pilot, "op")
        for key in REPORTS[plugin]:
            await pilot.press(key)
            await driver.settle(pilot)

    assert snap_compare(plugin_app(driver, plugin, lang), terminal_size=size,
                        run_before=open_report)
