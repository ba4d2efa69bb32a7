"""The nomination screens with Pilot: the list, a new nomination, attendance, keying a stack of
ballots, the adjudication queue, a re-vote, certification through the co-signature dialog,
the notice, and round 2 opening (issue 4 "TUI")."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent
from textual.widgets._footer import FooterKey

from civic import audit, ballots, notices
from civic.i18n import _ as translated
from civic.plugins.nomination import actions, notice, store
from civic.plugins.nomination.screens import NominationScreen, NominationsScreen
from civic.plugins.nomination.screens.entry import BallotEntryScreen, NameSuggester, split_names
from civic.testing import PASSWORD, AppDriver
from civic.tui.app import CivicApp
from civic.tui.dialogs.confirm import ConfirmDialog
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import FormDialog
from civic.tui.dialogs.picker import PickerDialog
from civic.tui.dialogs.unsaved import UnsavedDialog

from .conftest import POSTS, SUP, ready

NOW = dt.datetime(2008, 7, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
XS, AN = POSTS
# civic.testing's driver: the same login, settling and reading a third-party plugin's tests use.
settle = AppDriver.settle
shown = AppDriver.text


async def login(pilot, name: str = "op") -> None:
    await AppDriver(pilot.app.pm, pilot.app.db_path).login(pilot, name)


def app_for(pm, db_path, now=NOW) -> CivicApp:
    return CivicApp(pm, db_path, clock=lambda: now, lang="en")


async def open_nomination(pilot) -> NominationScreen:
    await login(pilot)
    await pilot.press("f8")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NominationsScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NominationScreen)
    return pilot.app.screen


async def cosign(pilot) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, CosignDialog)
    dialog.query_one("#supervisor", Input).value = "sup"
    dialog.query_one("#password", Input).value = PASSWORD
    dialog.query_one("#password", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def test_split_names():
    assert split_names("李红、张勇, 王 伟；") == ["李红", "张勇", "王 伟"]
    assert split_names("  ") == []


async def test_name_completion():
    suggest = NameSuggester(["李红", "李明", "N03", "张勇"])
    assert await suggest.get_suggestion("李") == "李明"
    assert await suggest.get_suggestion("张勇、李红") is None  # complete already
    assert await suggest.get_suggestion("张勇、N0") == "张勇、N03"
    assert await suggest.get_suggestion("") is None


async def test_new_nomination(registry, pm, db_path):
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-title", Input).value = "七月推荐"
        form.query_one("#field-positions", Input).value = "P-XSSJ，P-ANSJ"
        form.query_one("#field-tie", Select).value = "include"
        form.submit()
        await settle(pilot)
        assert isinstance(pilot.app.screen, NominationScreen)
    nom = store.get(registry.db, 1)
    assert nom.positions == POSTS and nom.settings.tie_policy == "include"
    assert nom.reference_date == NOW.date()


async def test_round_one_at_the_terminal(registry, pm, db_path, tmp_path):
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=4, present=3, issued=3, returned=3, close=False)
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        screen = await open_nomination(pilot)
        # Attendance: the fourth elector comes after all.
        screen.query_one(TabbedContent).active = "tab-roll"
        await settle(pilot)
        screen.query_one("#roll-table", DataTable).move_cursor(row=3)
        await pilot.press("a")
        await settle(pilot)
        roll = screen.query_one("#roll-table", DataTable)
        assert "4 present of 4" in str(roll.border_title)
        assert "A all present · r roll file" in str(roll.border_subtitle)  # off the footer
        # No ballot before attendance closes; C closes it, after a question.
        await pilot.press("e")
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert "4 present of 4, attendance closed" in str(roll.border_title)
        await pilot.press("a")  # refused now: the number present is final
        await settle(pilot)
        assert sum(e["present"] for e in screen.electors) == 4
        # Key three ballots; the number moves on by itself; one is taken back and keyed again.
        await pilot.press("e")
        await settle(pilot)
        entry = pilot.app.screen
        assert isinstance(entry, BallotEntryScreen)
        assert entry.query_one("#number", Input).value == "1"
        for xs, an in ((["李红"], "杨林"), (["王伟"], ""), (["张勇", "comma", "李红"], "N07"),
                       (["李红"], "马林")):
            for part in xs:
                await pilot.press(*(part if len(part) < 5 else [part]))
            await pilot.press("enter")
            if an:
                await pilot.press(*an)
            await pilot.press("enter")
            await settle(pilot)
        assert [n for n, _s in entry.stack] == [1, 2, 3, 4]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert entry.query_one("#number", Input).value == "4"
        assert entry.stack[-1] == (3, {XS: ["张勇", "李红"], AN: ["N07"]})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert entry.stack == []
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen
        # The one keyed stack is one audit entry, not one per ballot.
        entries = audit.entries(registry.db, type_prefix="core.ballots_entered")
        assert len(entries) == 1 and entries[0].data()["ballots"] == 3
        # Adjudicate 王伟 (two people of that name) from the queue.
        screen.query_one(TabbedContent).active = "tab-queue"
        await settle(pilot)
        queue = screen.query_one("#queue-table", DataTable)
        queue.focus()
        queue.move_cursor(row=[q["text"] for q in screen.queue].index("王伟"))
        await pilot.press("enter")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, PickerDialog)
        picker.dismiss("N02")
        await settle(pilot)
        rnd = store.get_round(registry.db, nom)
        assert store.queue(registry.db, rnd) == []
        # The count; certification through the co-signature dialog.
        screen.query_one(TabbedContent).active = "tab-count"
        await settle(pilot)
        count = shown(screen.query_one("#count-view", Static))
        assert "P-XSSJ: 2 counted, 0 blank, 2 invalid, 0 waiting" in count
        assert "李红" in count and "█" in count
        assert {r["person"] for r in screen.report["positions"][0]["results"]} == {"N02", "N03"}
        await pilot.press("c")
        await settle(pilot)
        await cosign(pilot)
        assert store.get_round(registry.db, nom).status == "certified"
        # Draft the notice, publish it co-signed.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        # It asks first the day the notice went up (today unless typed), then the co-signature.
        form = pilot.app.screen
        assert isinstance(form, FormDialog)
        posted = form.query_one("#field-posted_on", Input).value
        await pilot.press("ctrl+s")
        await settle(pilot)
        await cosign(pilot)
        first = store.get_round(registry.db, nom, 1)
        published = notices.get(registry.db, first.notice)
        assert (published.status, published.published_on) == ("published", posted)
        screen.query_one(TabbedContent).active = "tab-notice"
        await settle(pilot)
        assert "西山区委书记" in shown(screen.query_one("#notice-view", Static))


async def test_revote_and_round_two(registry, pm, db_path, tmp_path):
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=7)
    rnd = store.get_round(registry.db, nom)
    marks = ["李红", "张勇", "王丽", "杨林", "马林", "孙丽", "吴军"]  # 7 names, 1 vote each
    with registry.change() as change:
        ballots.enter_ballots(change, rnd.vround,
                              [(i, {XS: [m]}) for i, m in enumerate(marks, 1)],
                              store.resolver(registry, nom, rnd))
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        screen = await open_nomination(pilot)
        screen.query_one(TabbedContent).active = "tab-count"
        await settle(pilot)
        assert len(screen.report["positions"][0]["tie_at_cutoff"]) == 6
        await pilot.press("v")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormDialog)
        for i, field in enumerate(form.fields):
            form.query_one(f"#field-{field.name}", Input).value = str(10 - i)
        form.submit()
        await settle(pilot)
        post = screen.report["positions"][0]
        assert post["tie_at_cutoff"] == [] and sum(r["advances"] for r in post["results"]) == 5
        await pilot.press("c")
        await settle(pilot)
        await cosign(pilot)
    notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 6, 20))  # period over by 4 July
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        screen = await open_nomination(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert screen.rnd.round_no == 2
        assert "round 2 · " in shown(screen.query_one("#nom-summary", Static))
        assert "nomination:1:2" not in shown(screen.query_one("#nom-summary", Static))
        await pilot.press("g")
        await settle(pilot)
        assert screen.rnd.round_no == 1


async def test_viewer_cannot_key_ballots(registry, pm, db_path, tmp_path):
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=2)
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        await login(pilot, "view")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"李红")
        await pilot.press("enter", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(pilot.app.screen.stack) == 1  # refused: the stack stays
    assert registry.db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0] == 0


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
async def test_the_keys_fit_the_footer_at_120_columns(registry, pm, db_path, tmp_path, lang):
    """Every key the nomination screen shows fits left of the palette key; the keys it hides
    from the footer still work and are on the help screen (F1)."""
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=2, close=False)
    app = CivicApp(pm, db_path, clock=lambda: NOW, lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_nomination(pilot)
        keys = list(screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        footer = [k for k in keys if k is not palette]
        assert {k.key for k in footer} >= {"escape", "g", "a", "e", "c", "o", "f1"}
        assert max(k.region.right for k in footer) <= palette.region.x
        await pilot.press("f1")
        await settle(pilot)
        help_text = shown(pilot.app.screen.query_one("#help-text", Static))
        for hidden in ("All present", "Roll file", "Close attendance", "Issued/returned",
                       "Import ballots", "Delete a ballot",
                       "Re-vote", "Draft notice", "Publish notice", "Language"):
            assert translated(hidden) in help_text, hidden
        await pilot.press("escape")
        await settle(pilot)
        screen.query_one(TabbedContent).active = "tab-roll"
        await settle(pilot)
        await pilot.press("A")  # hidden from the footer, still bound
        await settle(pilot)
        assert all(e["present"] for e in ballots.electors(registry.db, screen.rnd.vround))


# --- nothing typed is lost without asking ------------------------------------------------------
def saved(registry) -> int:
    return registry.db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0]


async def key_ballot(pilot, xs: str, an: str = "") -> None:
    await pilot.press(*xs, "enter", *an, "enter")
    await settle(pilot)


async def answer(pilot, choice: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, UnsavedDialog)
    assert dialog.focused.id == "stay"  # the safe choice: nothing written, nothing lost
    await pilot.click(f"#{choice}")
    await settle(pilot)


async def test_leaving_the_entry_screen_asks_before_keyed_ballots_are_lost(
        registry, pm, db_path, tmp_path):
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=4)
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        await open_nomination(pilot)
        await pilot.press("e")
        await settle(pilot)
        entry = pilot.app.screen
        assert isinstance(entry, BallotEntryScreen)
        await key_ballot(pilot, "李红")
        # ctrl+q asks; Enter (on Stay) stays with the stack whole.
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert "1 keyed ballot" in shown(pilot.app.screen.query_one("#question", Static))
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is entry and len(entry.stack) == 1 and pilot.app.is_running
        # Another mode: save, then the mode opens.
        await pilot.press("f2")
        await settle(pilot)
        await answer(pilot, "save")
        assert pilot.app.current_mode == "home" and saved(registry) == 1
        # The mode key lands on the mode's main screen (issue 17: never a stale
        # sub-screen); the entry opens again from it. A second ballot; logging out and
        # discarding it.
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NominationsScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        entry = pilot.app.screen
        assert isinstance(entry, BallotEntryScreen) and entry.stack == []
        await key_ballot(pilot, "张勇")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await answer(pilot, "discard")
        assert pilot.app.current_mode == "login" and saved(registry) == 1
        # Log in again: a ballot half typed, then Escape asks too (Escape saves only whole
        # ballots); a stack and quitting: saved.
        await open_nomination(pilot)
        await pilot.press("e")
        await settle(pilot)
        entry = pilot.app.screen
        await key_ballot(pilot, "王伟")
        await pilot.press(*"杨林")
        await pilot.press("escape")
        await settle(pilot)
        assert "a ballot being typed" in shown(pilot.app.screen.query_one("#question", Static))
        await pilot.press("escape")  # Escape in the question: stay
        await settle(pilot)
        assert pilot.app.screen is entry and entry.query_one("#post-0", Input).value == "杨林"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await answer(pilot, "save")
    assert saved(registry) == 2  # 李红's and 王伟's; the half-typed one was said to be left out


async def test_a_refused_form_keeps_what_was_typed(registry, pm, db_path):
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        await login(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#field-title", Input).value = "七月推荐"
        form.query_one("#field-positions", Input).value = "P-XSSJ, P-NOPE"
        form.query_one("#field-quorum", Input).value = "3/2"
        form.submit()
        await settle(pilot)
        # Still open, everything as typed, the refusal under the field it is about.
        assert pilot.app.screen is form
        assert "No position with code P-NOPE" in shown(form.query_one("#error-positions"))
        assert form.focused is form.query_one("#field-positions", Input)
        assert form.query_one("#field-title", Input).value == "七月推荐"
        form.query_one("#field-positions", Input).value = "P-XSSJ"
        form.submit()
        await settle(pilot)
        assert "A quorum is a fraction from 0 to 1" in shown(form.query_one("#error-quorum"))
        assert shown(form.query_one("#error-positions")).strip() == ""
        form.query_one("#field-quorum", Input).value = "2/3"
        form.submit()
        await settle(pilot)
        assert isinstance(pilot.app.screen, NominationScreen)
    assert store.get(registry.db, 1).positions == ("P-XSSJ",)


async def test_delete_a_ballot_with_a_reason_and_a_cosignature(registry, pm, db_path, tmp_path):
    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    ready(registry, nom, tmp_path, electors=3)
    rnd = store.get_round(registry.db, nom)
    with registry.change() as change:
        ballots.enter_ballots(change, rnd.vround, [(1, {XS: ["李红"]}), (2, {XS: ["张勇"]})],
                              store.resolver(registry, nom, rnd))
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        await open_nomination(pilot)
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormDialog)
        form.query_one("#field-number", Input).value = "7"
        form.query_one("#field-reason").text = "同一张选票录入两次"
        form.submit()
        await settle(pilot)
        assert "No ballot 7" in shown(form.query_one("#error-number"))  # asked no supervisor
        form.query_one("#field-number", Input).value = "2"
        form.submit()
        await settle(pilot)
        await cosign(pilot)
    assert ballots.ballot(registry.db, rnd.vround, 2) is None
    [entry] = audit.entries(registry.db, type_prefix="core.ballot_deleted")
    assert (entry.cosigner, entry.data()["reason"]) == ("sup", "同一张选票录入两次")


async def test_the_inspection_notice_then_the_reserve(registry, pm, db_path):
    """After round 2: d drafts the candidates for inspection (考察对象公示), and R names the
    reserve candidates only once that notice is confirmed (notice first)."""
    from .conftest import NOMINATION

    nom = actions.create(registry, title="七月推荐", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    first = store.get_round(registry.db, nom)
    actions.load_roll(registry, first, NOMINATION / "roll-round1.csv")
    actions.close_attendance(registry, first)
    actions.record_figures(registry, first, 11, 11)
    actions.import_ballots(registry, nom, first, NOMINATION / "ballots-round1.csv")
    actions.adjudicate(registry, nom, first, position=XS, written="王伟", person="N01")
    actions.record_revote(registry, nom, first, XS, {"N05": 3, "N06": 5, "N07": 4, "N01": 1})
    actions.certify(registry, nom, first, SUP)
    notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 6, 16))  # over by 4 July
    second = actions.open_round(registry, nom)
    actions.load_roll(registry, second, NOMINATION / "roll-round2.csv")
    actions.close_attendance(registry, second)
    actions.record_figures(registry, second, 8, 8)
    actions.import_ballots(registry, nom, second, NOMINATION / "ballots-round2.csv")
    actions.certify(registry, nom, second, SUP)
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        screen = await open_nomination(pilot)
        assert screen.rnd.round_no == 2
        await pilot.press("R")  # no notice yet: refused, nothing named
        await settle(pilot)
        assert store.reserve(registry.db, nom) == []
        await pilot.press("d")
        await settle(pilot)
        drafted = notices.get(registry.db, store.get_round(registry.db, nom, 2).notice)
        assert drafted.kind == "nomination.inspection"
        screen.query_one(TabbedContent).active = "tab-notice"
        await settle(pilot)
        assert "candidates for inspection" in shown(screen.query_one("#notice-view", Static))
    # Posted on 20 June (5 working days, to 27 June) and confirmed on 4 July.
    notice.publish(registry, nom, SUP, on=dt.date(2008, 6, 20), round_no=2)
    notices.confirm(registry, drafted.id, cosigner=SUP)
    async with app_for(pm, db_path).run_test(size=(150, 45)) as pilot:
        screen = await open_nomination(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert {(r["position"], r["person"]) for r in store.reserve(registry.db, nom)} == {
            (XS, "N03"), (XS, "N06"), (AN, "N12"), (AN, "N10")}
        assert store.stage(registry.db, nom) == "done"
