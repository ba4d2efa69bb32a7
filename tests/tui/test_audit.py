"""The audit mode: newest first, paged, filtered; an entry's payload; verification."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from civic import audit
from civic.events import OperatorAdded
from civic.tui.widgets.paged_table import PagedTable


async def test_browse_newest_first_and_read_the_payload(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        table = app.screen.query_one("#audit-table", PagedTable)
        assert [r["id"] for r in table.rows_data] == [7, 6, 5, 4, 3, 2, 1]
        payload = driver.text(app.screen.query_one("#audit-payload"))
        assert "Records imported (core.records_imported)" in payload
        # The payload in words (field labels, a table by its name); the subject too.
        assert "the people register (table:people)" in payload
        assert "file SHA-256" in payload and '"table"' not in payload
        # The table says what each entry records; the stored type is in the entry's view.
        assert table.get_row_at(0)[4] == "Records imported"
        assert table.get_row_at(0)[5] == "the people register"
        await pilot.press("down")
        await driver.settle(pilot)
        assert "the positions register" in driver.text(app.screen.query_one("#audit-payload"))
        # j: the payload as stored and hashed, for the supervisor who checks the chain.
        await pilot.press("j")
        await driver.settle(pilot)
        assert '"table": "positions"' in driver.text(app.screen.query_one("#audit-payload"))
        await pilot.press("j")
        await driver.settle(pilot)
        assert '"table"' not in driver.text(app.screen.query_one("#audit-payload"))


async def test_filter_by_type_and_subject(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        table = app.screen.query_one("#audit-table", PagedTable)
        await pilot.press("slash", *"core.operator", "enter")
        await driver.settle(pilot)
        assert table.total == 4
        subject = app.screen.query_one("#audit-subject", Input)
        subject.value = "operator:sup"
        await pilot.pause(0.4)
        await driver.settle(pilot)
        assert [r["subject"] for r in table.rows_data] == ["operator:sup"]


@pytest.mark.parametrize(("lang", "words"), [("en", "operator ADDED"), ("zh_CN", "添加经办人")])
async def test_filter_by_the_event_s_words_in_the_operator_s_language(registry, driver, lang,
                                                                     words):
    """The operator filters by what the Event column says, not only by the stored type."""
    app = driver.app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        table = app.screen.query_one("#audit-table", PagedTable)
        await pilot.press("slash", *words, "enter")
        await driver.settle(pilot)
        added = audit.entries(app.db, type_prefix=OperatorAdded.type)
        assert table.total == len(added) > 0
        assert {r["type"] for r in table.rows_data} == {OperatorAdded.type}
        app.screen.query_one("#audit-type", Input).value = "no such event"
        app.screen.refresh_data()
        await driver.settle(pilot)
        assert table.total == 0


async def test_many_entries_are_paged(registry, driver):
    with registry.change() as change:
        for i in range(250):
            change.record(OperatorAdded(name=f"n{i}", role="viewer"))
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        table = app.screen.query_one("#audit-table", PagedTable)
        assert table.row_count == 100 and table.total == 257
        assert table.rows_data[0]["id"] == 257
        await pilot.press("ctrl+end")
        await driver.settle(pilot)
        assert table.rows_data[-1]["id"] == 1


async def test_verify_from_the_audit_mode(registry, driver):
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        app.chain = None
        await pilot.press("v")
        await driver.settle(pilot)
        assert app.chain is not None and app.chain.ok
        assert app.chain.entries == len(audit.entries(registry.db))
        assert app.chain_progress == (app.chain.entries, app.chain.entries)
        assert "verified" in driver.text(app.screen.query_one("#audit-chain #chain-text"))


async def test_sign_a_checkpoint_from_the_audit_screen(registry, driver, tmp_path,
                                                       monkeypatch):
    # The first checkpoint makes the office's key (passphrase typed twice); the file it
    # writes is the one `civic audit check-checkpoint` accepts.
    from civic import checkpoint as cpt
    from civic.tui.dialogs.form import FormDialog

    key = tmp_path / "office.key"
    monkeypatch.setenv("CIVIC_CHECKPOINT_KEY", str(key))
    out = tmp_path / "cp.json"
    app = driver.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await driver.login(pilot)
        await pilot.press("f5")
        await driver.settle(pilot)
        await pilot.press("k")
        await driver.settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        assert form.query_one("#field-key", Input).value == str(key)
        assert form.query_one("#field-passphrase", Input).password
        form.query_one("#field-passphrase", Input).value = "long enough"
        form.query_one("#field-again", Input).value = "long enougj"
        form.query_one("#field-path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await driver.settle(pilot)
        assert app.screen is form and not key.exists()
        assert "differ" in driver.text(form.query_one("#error-again"))
        form.query_one("#field-again", Input).value = "long enough"
        await pilot.press("ctrl+s")
        await driver.settle(pilot)
        assert not isinstance(app.screen, FormDialog)
    signed = cpt.Checkpoint.from_json(out.read_text(encoding="utf-8"))
    assert signed.entry == 7  # the head when it was signed; the signing is entry 8
    result = cpt.check(registry.db, signed, cpt.load_public_key(cpt.public_path(key)))
    assert result.ok, result.reason
    last = audit.entries(registry.db, limit=1)[0]
    assert (last.type, last.actor) == ("core.checkpoint_signed", "op")
