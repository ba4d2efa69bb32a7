"""The desk in the app: DOCX export of a notice, backup from the audit screen, tab keys,
the full-text viewer, dialogs that scroll, pinyin search."""

from __future__ import annotations

from docx import Document
from textual.widgets import DataTable, Input

from civic.tui.dialogs.form import FormDialog
from civic.tui.dialogs.viewer import TextViewer
from civic.tui.screens.audit import AuditScreen


async def press_and_settle(driver, pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await driver.settle(pilot)


async def submit_path(driver, pilot, path) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    box = dialog.query_one(Input)
    box.value = str(path)
    box.focus()
    await pilot.press("enter", "enter")  # Enter moves to the Export button, Enter presses it
    await driver.settle(pilot)


async def test_w_exports_the_notice_as_docx(drafted, driver, tmp_path):
    async with driver.app().run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f6", "w")
        await submit_path(driver, pilot, tmp_path / "n.docx")
    doc = Document(str(tmp_path / "n.docx"))
    # The app runs in English here: the notice's English text, in the official layout.
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Notice before appointment"]
    assert doc.styles["Normal"].font.size.pt == 16


async def test_full_text_opens_the_highlighted_row(drafted, driver):
    async with driver.app().run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f6")
        assert isinstance(pilot.app.focused, DataTable)
        await press_and_settle(driver, pilot, "ctrl+t")
        viewer = pilot.app.screen
        assert isinstance(viewer, TextViewer)
        assert "干部任前公示" in viewer.text or "Notice before appointment" in viewer.text
        await press_and_settle(driver, pilot, "escape")
        assert not isinstance(pilot.app.screen, TextViewer)


async def test_backup_from_the_audit_screen(registry, driver, tmp_path):
    async with driver.app().run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f5")
        assert isinstance(pilot.app.screen, AuditScreen)
        await press_and_settle(driver, pilot, "b")
        await submit_path(driver, pilot, tmp_path / "copy.db")
    assert (tmp_path / "copy.db").stat().st_size > 0


async def test_tab_keys_walk_the_inner_tabs_and_digits_pick_one(registry, driver):
    """`[` / `]` walk a screen's inner tabs, wrapping round; 1-9 open the tab of that number
    (issue 17). A focused Input keeps its digits; the help lists the keys only where there
    are tabs."""
    from textual.widgets import Static, TabbedContent, TabPane

    from civic.tui.screens.base import CivicScreen
    from civic.tui.screens.help import HelpScreen

    class Tabbed(CivicScreen):
        def compose_body(self):
            yield Input(id="box")
            with TabbedContent(id="tabs"):
                for name in ("overview", "roll", "adjudication", "count"):
                    with TabPane(name.title(), id=name):
                        yield Static(name)

    async with driver.app().run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f1")
        home_help = driver.text(pilot.app.screen.query_one("#help-text", Static))
        assert "1…9" not in home_help and "Next tab" not in home_help  # no tabs on home
        await press_and_settle(driver, pilot, "escape")
        screen = Tabbed()
        await pilot.app.push_screen(screen)
        await driver.settle(pilot)
        tabs = screen.query_one(TabbedContent)
        tabs.query_one("Tabs").focus()
        seen = []
        for key in ("right_square_bracket", "right_square_bracket", "3", "9", "4",
                    "right_square_bracket", "left_square_bracket", "1", "2"):
            await press_and_settle(driver, pilot, key)
            seen.append(tabs.active)
        assert seen == ["roll", "adjudication", "adjudication", "adjudication", "count",
                        "overview", "count", "overview", "roll"]
        screen.query_one("#box", Input).focus()
        await press_and_settle(driver, pilot, "3", "1")
        assert screen.query_one("#box", Input).value == "31" and tabs.active == "roll"
        tabs.query_one("Tabs").focus()  # an Input's printable keys are its own, even in help
        await press_and_settle(driver, pilot, "f1")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = driver.text(pilot.app.screen.query_one("#help-text", Static))
        assert "1…9" in text and "The tab of this number" in text and "Next tab" in text


async def test_palette_offers_the_screens_actions(drafted, driver):
    from civic.tui.commands import palette_entries

    async with driver.app().run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f6")
        titles = [t for t, _h, _cb in palette_entries(pilot.app, pilot.app.screen)]
        # The notices screen's keys, for an operator (publish needs a co-signature, not a role).
        assert {"Publish", "Objection", "DOCX"} <= set(titles)
        assert titles.index("Publish") < titles.index("Log out")
    async with driver.app().run_test(size=(120, 40)) as pilot:
        await driver.login(pilot, "view")
        await press_and_settle(driver, pilot, "f6")
        titles = [t for t, _h, _cb in palette_entries(pilot.app, pilot.app.screen)]
        assert "Publish" not in titles and "DOCX" in titles  # a viewer may read and export


async def test_x_exports_the_people_the_search_shows(registry, driver, tmp_path):
    import openpyxl

    async with driver.app().run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await press_and_settle(driver, pilot, "f3", "slash", "l", "m")
        pilot.app.screen.query_one("#people-table").focus()  # keys act on the list again
        await press_and_settle(driver, pilot, "x")
        await submit_path(driver, pilot, tmp_path / "people.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "people.xlsx").active.iter_rows(
        values_only=True))
    assert rows[0][:2] == ("code", "name") and [r[1] for r in rows[1:]] == ["李明"]
