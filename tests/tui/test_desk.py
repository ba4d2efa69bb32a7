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


async def test_bracket_keys_walk_the_inner_tabs():
    """`[` and `]` (CivicScreen.action_tab) on a screen with a tabbed panel, wrapping round."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static, TabbedContent, TabPane

    from civic.tui.screens.base import CivicScreen

    class Tabbed(Screen):
        BINDINGS = [("left_square_bracket", "tab(-1)"), ("right_square_bracket", "tab(1)")]
        action_tab = CivicScreen.action_tab

        def compose(self):
            with TabbedContent(id="tabs"):
                for name in ("overview", "roll", "count"):
                    with TabPane(name, id=name):
                        yield Static(name)

    class Host(App):
        def on_mount(self):
            self.push_screen(Tabbed())

    async with Host().run_test() as pilot:
        tabs = pilot.app.screen.query_one(TabbedContent)
        seen = []
        for key in ("right_square_bracket", "right_square_bracket", "right_square_bracket",
                    "left_square_bracket"):
            await pilot.press(key)
            await pilot.pause()
            seen.append(tabs.active)
        assert seen == ["roll", "count", "overview", "count"]


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
