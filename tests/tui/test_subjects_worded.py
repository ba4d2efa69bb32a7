"""Issue 17 "Say it right": no raw identifier on a screen. Every subject the demo office's
audit log and notices hold (core's and every built-in plugin's) is worded by
`civic.subjects.describe`, and the notices list and audit list show those words, in both
languages."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input

from civic import audit
from civic.db import open_db
from civic.demo import DEMO_PASSWORD, build_demo
from civic.i18n import set_language
from civic.pm import make_plugin_manager
from civic.subjects import describe, payload_rows
from civic.testing import AppDriver
from civic.tui.widgets.paged_table import PagedTable

RAW = re.compile(r"\b[a-z][a-z_-]*:[A-Za-z]*\d")  # nomination:1:1, person:C00001, round:...
MECHANISMS = ("nomination", "placement", "election", "evaluation", "training", "accountability")


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, pm)
    return path


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_subject_in_the_demo_is_worded(demo, pm, lang):
    db = open_db(demo)
    subjects = {r[0] for r in db.execute("SELECT DISTINCT subject FROM audit_log")}
    subjects |= {r[0] for r in db.execute("SELECT subject FROM notices")}
    kinds = {s.split(":")[0] for s in subjects}
    assert set(MECHANISMS) <= kinds and "person" in kinds
    set_language(lang)
    try:
        raw = sorted(s for s in subjects if RAW.search(describe(db, pm, s)))
        assert raw == []
        # The plugins word their own (the nomination's title, not its number).
        title = db.execute("SELECT title FROM nomination_nominations WHERE id = 1").fetchone()[0]
        assert describe(db, pm, "nomination:1:1") == (
            f"{title}第1轮" if lang == "zh_CN" else f"{title}, round 1")
        # A payload: every field labelled, a person's code as their name.
        entry = audit.entries(db, type_prefix="core.fact_recorded", limit=1)[0]
        rows = dict(payload_rows(db, pm, entry.type, entry.data()))
        person = db.execute("SELECT name FROM people WHERE code = ?",
                            [entry.data()["person"]]).fetchone()[0]
        assert rows["人员" if lang == "zh_CN" else "person"].startswith(person)
    finally:
        set_language("en")
        db.close()


def _column(table: DataTable, col: int) -> list[str]:
    return [str(table.get_row_at(r)[col]) for r in range(table.row_count)]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_notices_and_audit_lists_show_no_raw_subject(demo, pm, lang):
    driver = AppDriver(pm, demo)
    app = driver.app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "admin", DEMO_PASSWORD)
        latest = app.screen.query_one("#dash-audit", DataTable)
        assert latest.row_count and not [s for s in _column(latest, 5) if RAW.search(s)]
        await pilot.press("f6")
        await driver.settle(pilot)
        notices = app.screen.query_one("#notices-table", DataTable)
        related = _column(notices, 3)
        assert len(related) >= 9 and not [s for s in related if RAW.search(s)]
        await pilot.press("f5")
        await driver.settle(pilot)
        table = app.screen.query_one("#audit-table", PagedTable)
        for prefix in ("core.", *(m + "." for m in MECHANISMS)):
            # Each mechanism's entries, filtered as the operator does (its newest page).
            app.screen.query_one("#audit-type", Input).value = prefix
            app.screen.refresh_data()  # at once, not after the pause that ends typing
            await driver.settle(pilot)
            shown = [str(table.get_row_at(r)[5]) for r in range(table.row_count)]
            assert shown, prefix
            assert [s for s in shown if RAW.search(s)] == [], prefix
