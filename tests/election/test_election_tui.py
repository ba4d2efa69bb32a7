"""The election mode (F9): the list, an election's count with a bar per candidate and the
threshold line, certification co-signed in its dialog, a new election refused without the
差额, and a batch dashboard filtered by outcome."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, ProgressBar, Static

from civic.plugins.election import actions, rules
from civic.plugins.election.screens import ElectionScreen, bar
from civic.tally import Constituency
from civic.testing import PASSWORD
from civic.tui.dialogs.cosign import CosignDialog

TALLY = """选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效
members,,,,,,9,9,9,
members,committee,,,,,,,,0
members,committee,C0001,7,2,0,,,,
members,committee,C0002,6,3,0,,,,
members,committee,C0003,2,7,0,,,,
"""


def _election(office, tmp_path) -> int:
    spec = actions.ContestSpec("committee", 2, (
        actions.Candidate("C0001", "张建华"), actions.Candidate("C0002", "李明", True),
        actions.Candidate("C0003", "王丽")))
    eid = actions.create(office, title="机关党支部选举", pack=rules.pack("party-base-1990"),
                         held_on=dt.date(2008, 7, 1), contests_=[spec],
                         constituencies=[Constituency("members", 10, 1)])
    path = tmp_path / "t.csv"
    path.write_text(TALLY, encoding="utf-8")
    actions.import_tallies(office, eid, path)
    return eid


def test_bar_marks_the_threshold():
    from fractions import Fraction

    text = bar(Fraction(1, 2), Fraction(1, 2), 10).plain
    assert text == "█████┃····"


async def test_f9_count_with_bars_and_certify(civic_registry, civic_app, tmp_path):
    _election(civic_registry, tmp_path)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f9")
        await civic_app.settle(pilot)
        assert app.current_mode == "election"
        table = app.screen.query_one("#election-list", DataTable)
        assert table.get_row_at(0)[0] == 1
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ElectionScreen)
        text = civic_app.text(app.screen.query_one("#election-count", Static))
        # 7 and 6 of 9 present are over half: elected; the threshold line on every bar
        assert "threshold 1/2 of those present (9)" in text
        # the pack's words for the contest and the constituency, never their codes
        assert "committee members: 2 seats" in text and "party members: weight" in text
        # a threshold mark on each of the 3 bars and in the legend; 2 rows + the heading elected
        assert text.count("┃") == 4 and text.count("elected") == 3
        await pilot.press("c")
        await civic_app.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CosignDialog)
        dialog.query_one("#supervisor", Input).value = "sup"
        dialog.query_one("#password", Input).value = PASSWORD
        dialog.query_one("#password", Input).focus()
        await pilot.press("enter")
        await civic_app.settle(pilot)
        terms = app.screen.query_one("#election-terms", DataTable)
        assert terms.row_count == 2
    status = civic_registry.db.execute("SELECT status FROM election_elections").fetchone()[0]
    assert status == "certified"


async def test_the_page_keys_reach_the_last_candidate_below_the_box(civic_registry, civic_app,
                                                                     tmp_path):
    # The demo's count runs below its box at 80x24; this small election does on 18 lines.
    _election(civic_registry, tmp_path)
    app = civic_app.app()
    async with app.run_test(size=(80, 18)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f9")
        await civic_app.settle(pilot)
        await pilot.press("enter")
        await civic_app.settle(pilot)
        box = app.screen.query_one("#election-count-box")
        assert box.has_focus and box.max_scroll_y > 0  # the rows run below the box
        await pilot.press("end")
        await civic_app.settle(pilot)
        assert box.scroll_y == box.max_scroll_y


async def test_new_election_refused_without_the_difference(civic_registry, civic_app):
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f9")
        await civic_app.settle(pilot)
        await pilot.press("n")
        await civic_app.settle(pilot)
        form = app.screen
        form.query_one("#field-title", Input).value = "支部选举"
        form.query_one("#field-seats", Input).value = "2"
        form.query_one("#field-candidates", Input).value = "C0001,C0002"
        form.query_one("#field-office_title", Input).value = "支部委员"
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert app.screen is form  # kept open with what was typed, the reason shown
        shown = civic_app.text(form.query_one("#error-candidates", Static))
        assert "needs at least 3" in shown  # 20% more than 2 seats (暂行条例 art. 7)
        count = civic_registry.db.execute("SELECT count(*) FROM election_elections")
        assert count.fetchone()[0] == 0


async def test_batch_dashboard_filters_by_outcome(civic_registry, civic_app, batch_files):
    actions.import_batch(civic_registry, *batch_files, title="2008",
                         pack="principal-kunming-2008", held_on=dt.date(2008, 7, 1))
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f9")
        await civic_app.settle(pilot)
        await pilot.press("b")
        await civic_app.settle(pilot)
        await pilot.press("enter")
        await civic_app.settle(pilot)
        schools = app.screen.query_one("#election-batch", DataTable)
        assert schools.row_count == 2
        summary = civic_app.text(app.screen.query_one("#election-batch-summary", Static))
        assert "2 elections, 1 held, 1 elected (1 incumbents re-elected, 0 new)" in summary
        # counted in a worker: its bar followed the elections decided, then hid
        progress = app.screen.query_one("#election-batch-progress", ProgressBar)
        assert (progress.total, progress.progress) == (2, 2)
        assert not app.screen.has_class("-counting")
        await pilot.press("f")  # the first outcome: elected
        await civic_app.settle(pilot)
        assert schools.row_count == 1 and str(schools.get_row_at(0)[0]) == "一中"  # its title, not its code


async def test_terms_targets_and_a_recall_at_the_terminal(civic_registry, civic_app, tmp_path):
    from textual.widgets import TextArea

    from civic.office import Operator
    from civic.plugins.election.screens import TermsScreen

    eid = _election(civic_registry, tmp_path)
    actions.certify(civic_registry, eid, Operator("sup", "supervisor"), dt.date(2008, 7, 11))
    db = civic_registry.db
    app = civic_app.app()

    async def submit(pilot, **values):
        form = app.screen
        for name, value in values.items():
            widget = form.query_one(f"#field-{name}")
            if isinstance(widget, TextArea):
                widget.text = value
            else:
                widget.value = value
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)

    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        await pilot.press("f9")
        await civic_app.settle(pilot)
        await pilot.press("t")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, TermsScreen)
        terms = app.screen.query_one("#election-term-list", DataTable)
        assert terms.row_count == 2  # the two elected of the certified count
        await pilot.press("a")
        await civic_app.settle(pilot)
        await submit(pilot, text="建成党员活动室", due="2009-07-01")
        await pilot.press("m")  # progress: the first target, met
        await civic_app.settle(pilot)
        await submit(pilot)
        assert db.execute("SELECT text, status FROM election_targets").fetchall() == [
            ("建成党员活动室", "met")]
        assert terms.get_row_at(0)[3] == "1/1"
        # a recall: 3 of 10 sign (the pack asks a fifth), the vote opens, 9 of 10 vote
        await pilot.press("p")
        await civic_app.settle(pilot)
        await submit(pilot, signers="3", registered="10", grounds="不履行职责")
        await pilot.press("o")
        await civic_app.settle(pilot)
        await pilot.press("g")
        await civic_app.settle(pilot)
        await submit(pilot, present="9", issued="9", returned="9")
        await pilot.press("d")
        await civic_app.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CosignDialog)
        dialog.query_one("#supervisor", Input).value = "sup"
        dialog.query_one("#password", Input).value = PASSWORD
        dialog.query_one("#password", Input).focus()
        await pilot.press("enter")
        await civic_app.settle(pilot)
        # nobody voted to recall: valid (9 of 10 voted) and failed, the bar recorded
        status, bar = db.execute("SELECT status, barred_until FROM election_recalls").fetchone()
        assert status == "failed" and bar is not None
        shown = civic_app.text(app.screen.query_one("#election-term-text", Static))
        assert "not recalled" in shown and "No new petition on these grounds before" in shown
