"""The reusable dialogs plugins use: confirm, co-signature, file import."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from civic.importers import import_file
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.importer import ImportDialog

PASSWORD = "secret-pass"


async def test_confirm_dialog_answers(registry, driver):
    app = driver.app()
    answers = []
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        for key in ("y", "n", "escape"):
            app.push_screen(ConfirmDialog("Replace the file?"), answers.append)
            await driver.settle(pilot)
            await pilot.press(key)
            await driver.settle(pilot)
    assert answers == [True, False, False]


async def test_cosign_dialog_returns_the_supervisor(registry, driver):
    app = driver.app()
    signed = []
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        app.push_screen(CosignDialog("certify the count"), signed.append)
        await driver.settle(pilot)
        await pilot.press(*"sup", "enter")  # Enter in the name moves to the password
        await pilot.press(*PASSWORD, "enter")
        await driver.settle(pilot)
    assert [(s.name, s.role) for s in signed] == [("sup", "supervisor")]


async def _import_people(app, pilot, driver, path, results):
    """The people import dialog, its path typed and Enter pressed (which previews)."""
    app.push_screen(ImportDialog("Import people",
                                 lambda office, path: import_file(office, "people", path)),
                    results.append)
    await driver.settle(pilot)
    dialog = app.screen
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await driver.settle(pilot)
    return dialog


async def test_import_dialog_lists_every_problem(registry, driver, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,姓名,出生日期,职级\nX1,测试,19xx-01-01,正处\nX2,,1970-01-01,大官\n",
                   encoding="utf-8")
    app = driver.app()
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        dialog = await _import_people(app, pilot, driver, bad, results)
        assert app.screen is dialog and dialog.has_class("-failed")
        problems = dialog.query_one("#problems", OptionList)
        lines = [str(problems.get_option_at_index(i).prompt)
                 for i in range(problems.option_count)]
        assert lines == ["bad.csv:2:出生日期: not a date: 19xx-01-01",
                         "bad.csv:3:姓名: a value is required",
                         "bad.csv:3:职级: unknown rank '大官'"]
        assert "3 problems; nothing was imported." in driver.text(dialog.query_one("#error"))
        await pilot.press("escape")
        await driver.settle(pilot)
    assert results == [None]


async def test_import_dialog_imports_as_the_operator(registry, driver, tmp_path):
    good = tmp_path / "more.csv"
    good.write_text("编号,姓名,单位\nC0100,新人,KM-XS\n", encoding="utf-8")
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        await pilot.press("i")
        await driver.settle(pilot)
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("enter")
        await driver.settle(pilot)
        assert "No file at" in driver.text(app.screen.query_one("#error"))
        app.screen.query_one("#path", Input).value = str(good)
        await pilot.press("enter")  # a preview first: nothing written yet
        await driver.settle(pilot)
        dialog = app.screen
        assert dialog.has_class("-previewed")
        assert "nothing is written yet" in driver.text(dialog.query_one("#error"))
        rows = dialog.query_one("#problems", OptionList)
        assert str(rows.get_option_at_index(0).prompt) == "1 row to add"
        assert registry.db.execute(
            "SELECT count(*) FROM people WHERE code = 'C0100'").fetchone()[0] == 0
        await pilot.press("enter")  # on the Import button the preview focused
        await driver.settle(pilot)
        # Back on the people screen, which reloaded: six people now.
        assert app.screen.query_one("#people-table").total == 6
        assert any("1 added" in n.message for n in app._notifications)
    row = registry.db.execute("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "op"


async def test_import_dialog_previews_again_when_the_file_changes(registry, driver, tmp_path):
    # A preview vouches for the file it read: edited afterwards, the file is checked again
    # and the problems it now has are shown instead of importing it.
    path = tmp_path / "more.csv"
    path.write_text("编号,姓名,单位\nC0100,新人,KM-XS\n", encoding="utf-8")
    app = driver.app()
    results = []
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        dialog = await _import_people(app, pilot, driver, path, results)
        assert dialog.has_class("-previewed")
        path.write_text("编号,姓名,单位\nC0100,新人,NOWHERE\n", encoding="utf-8")
        await pilot.press("enter")
        await driver.settle(pilot)
        assert app.screen is dialog and dialog.has_class("-failed")
        assert "1 problem; nothing was imported." in driver.text(dialog.query_one("#error"))
    assert results == []
    assert registry.db.execute(
        "SELECT count(*) FROM people WHERE code = 'C0100'").fetchone()[0] == 0
