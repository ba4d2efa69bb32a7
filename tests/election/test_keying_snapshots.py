"""The ballot and tally-sheet keying screens at both office sizes (80x24, 120x40) and in both
languages, as tests/tui/test_snapshots_plugins.py pictures each mode: the election plugin
loaded alone, so a picture changes only when these screens do."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from civic.plugins.election.screens import ElectionScreen
from civic.pm import make_plugin_manager

from .test_ballot_keying import _election

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh_CN"]


async def _still(pilot):
    # A still cursor in every box: the picture must not depend on the blink.
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def opened(civic_app, screen, keys=()):
    """A run_before: log in, push `screen()` (a screen made in the app), press `keys`."""
    async def run(pilot):
        await civic_app.login(pilot)
        pilot.app.push_screen(screen())
        await civic_app.settle(pilot)
        for key in keys:
            await pilot.press(key)
            await civic_app.settle(pilot)
        await _still(pilot)

    return run


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ballot_keying(civic_registry, civic_app, snap_compare, size, lang):
    """A ballot half keyed: a for and an against, the contest still valid."""
    eid = _election(civic_registry, issued=9, returned=9)
    app = civic_app.app(pm=make_plugin_manager(only=["election"]), lang=lang)
    assert snap_compare(app, terminal_size=size,
                        run_before=opened(civic_app, lambda: ElectionScreen(eid),
                                                  ["k", "1", "2"]))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tally_keying(civic_registry, civic_app, snap_compare, size, lang):
    """A blank tally sheet: its figures, the contest's invalid ballots, each candidate's row."""
    eid = _election(civic_registry, figures=False)
    app = civic_app.app(pm=make_plugin_manager(only=["election"]), lang=lang)
    assert snap_compare(app, terminal_size=size,
                        run_before=opened(civic_app, lambda: ElectionScreen(eid), ["s"]))
