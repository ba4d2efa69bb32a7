"""Paper ballots and tally sheets keyed at the terminal (issue 12, "ballot entry at a clerk's
speed"): a keyed ballot counts exactly as the same ballot imported from a file; over-votes,
write-ins known and unknown, a draft kept across leaving, returned > issued refused; a tally
sheet checked as the tally file is."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable, Input, Static

from civic import contests
from civic.errors import CivicError
from civic.i18n import set_language
from civic.plugins.election import actions, rules, store
from civic.plugins.election.keying import BallotKeyingScreen, TallyKeyingScreen
from civic.plugins.election.screens import ElectionScreen
from civic.tally import Constituency
from civic.tui.dialogs.form import FormDialog
from civic.tui.dialogs.unsaved import UnsavedDialog

CANDIDATES = (("C0001", "张建华"), ("C0002", "李明"), ("C0003", "王丽"))


def _election(office, *, present=9, issued=9, returned=9, figures=True) -> int:
    """Two seats, three candidates (差额 of the 1990 party rules), one constituency of 10."""
    spec = actions.ContestSpec("committee", 2, tuple(actions.Candidate(c, n)
                                                     for c, n in CANDIDATES))
    eid = actions.create(office, title="机关党支部选举", pack=rules.pack("party-base-1990"),
                         held_on=dt.date(2008, 7, 1), contests_=[spec],
                         constituencies=[Constituency("members", 10, 1)])
    if figures:
        actions.record_figures(office, eid, issued=issued, returned=returned,
                               constituency="members", present=present)
    return eid


# Each paper ballot as (marks by candidate, names written in the spaces for another person).
# The rules (civic.tally.tally_values, 村委会组织法 2010 art. 15 and the party rules' art. 7):
# more for-votes than the 2 seats, written names included, voids the contest on that ballot;
# a written name that is no eligible person is an invalid mark; a blank is an abstention.
BALLOTS = [
    ({"C0001": "for", "C0002": "for", "C0003": "against"}, []),       # valid
    ({"C0001": "for", "C0002": "against"}, []),                       # C0003 blank: abstain
    ({"C0001": "for", "C0002": "for", "C0003": "for"}, []),           # over-voted: void
    ({"C0001": "for"}, ["赵强"]),                                      # write-in, known
    ({"C0002": "for"}, ["无此人"]),                                     # write-in, unknown
    ({"C0001": "for", "C0002": "for"}, ["陈静"]),                      # over-voted by a name
    ({}, []),                                                         # blank ballot
]


def _marks(by, written):
    return ([("committee", c, v, None) for c, v in by.items()]
            + [("committee", None, None, w) for w in written])


def _report(office, eid):
    election = store.get_election(office.db, eid)
    data = store.count(office.db, election, store.get_round(office.db, eid))
    return [(r["candidate"], r["for"], r["against"], r["abstain"])
            for c in data["contests"] for r in c["results"]], data["contests"][0]["ballots"]


@pytest.mark.parametrize("upto", [1, 3, 5, len(BALLOTS)])
def test_keyed_ballots_count_as_the_same_ballots_imported(civic_registry, tmp_path, upto):
    office = civic_registry
    keyed, imported = _election(office), _election(office)
    lines = ["票号,选区,选举项目,候选人,表决,另选他人"]
    for number, (by, written) in enumerate(BALLOTS[:upto], 1):
        actions.key_ballot(office, keyed, number, "members", _marks(by, written))
        lines += [f"{number},members,committee,{c},{v}," for c, v in by.items()]
        lines += [f"{number},members,committee,,,{w}" for w in written]
        if not by and not written:
            lines.append(f"{number},members,committee,,,")
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actions.import_ballots(office, imported, path)
    assert _report(office, keyed) == _report(office, imported)


def test_over_voted_and_write_ins_as_counted(civic_registry):
    office = civic_registry
    eid = _election(office)
    for number, (by, written) in enumerate(BALLOTS, 1):
        actions.key_ballot(office, eid, number, "members", _marks(by, written))
    results, ballots = _report(office, eid)
    # two over-voted sections (ballots 3 and 6) count for nobody; 5 valid
    assert ballots == {"valid": 5, "invalid": 2}
    by = {r[0]: r[1:] for r in results}
    assert by["C0001"] == (3, 0, 2) and by["C0002"] == (2, 1, 2)
    assert by["C0004"][0] == 1  # 赵强, written in on ballot 4


def test_returned_more_than_issued_and_more_ballots_than_returned_are_refused(civic_registry):
    office = civic_registry
    void = _election(office, present=9, issued=8, returned=9)
    with pytest.raises(CivicError, match=r"returned \(9\) than issued \(8\)"):
        actions.key_ballot(office, void, 1, "members", [])
    eid = _election(office, issued=9, returned=2)
    actions.key_ballot(office, eid, 1, "members", [])
    actions.key_ballot(office, eid, 2, "members", [])
    with pytest.raises(CivicError, match="would be ballot 3, but 2 ballots were returned"
                                         r" \(9 issued\)"):
        actions.key_ballot(office, eid, 3, "members", [])
    assert office.db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0] == 2


def test_one_audit_entry_per_filed_ballot(civic_registry):
    office = civic_registry
    eid = _election(office)
    before = office.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for number in (1, 2, 3):
        actions.key_ballot(office, eid, number, "members", _marks({"C0001": "for"}, []))
    rows = office.db.execute("SELECT type FROM audit_log ORDER BY id").fetchall()
    assert [t for (t,) in rows[before:]] == ["core.ballots_entered"] * 3


async def _open_keying(app, civic_app, pilot, eid):
    await civic_app.login(pilot)
    app.push_screen(ElectionScreen(eid))
    await civic_app.settle(pilot)
    await pilot.press("k")
    await civic_app.settle(pilot)
    assert isinstance(app.screen, BallotKeyingScreen)
    return app.screen


async def test_ballots_keyed_at_the_terminal(civic_registry, civic_app):
    office = civic_registry
    eid = _election(office, issued=9, returned=4)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_keying(app, civic_app, pilot, eid)
        validity = screen.query_one("#election-keying-validity", Static)
        head = screen.query_one("#election-keying-head", Static)
        assert "ballot No. 1" in civic_app.text(head)
        assert "returned 4 of 9 issued" in civic_app.text(head)
        # Ballot 1: for, against, abstain down the list as the paper prints it, in surname
        # stroke order: 王丽 (王, 4 strokes), 李明 (李, 7), 张建华 (张, 7; by code after 李).
        table = screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["王丽", "李明", "张建华"]
        await pilot.press("1", "2", "3")
        await civic_app.settle(pilot)
        assert [str(table.get_row_at(i)[2]) for i in range(3)] == [
            "in favour", "against", "abstention"]
        assert "valid, 1 for of 2 seats" in civic_app.text(validity)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert "ballot No. 2" in civic_app.text(head)
        assert str(table.get_row_at(0)[2]) == "·"  # the next blank form
        # Ballot 2: three for-votes on two seats voids the contest, said as it is keyed.
        await pilot.press("1", "1", "1")
        await civic_app.settle(pilot)
        assert "void: more names than allowed (3 for-votes, 2 seats)" in civic_app.text(
            validity)
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        # Ballot 3: a known name and an unknown one written in.
        await pilot.press("1", "w")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-name", Input).value = "赵强"
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert str(table.get_row_at(3)[2]) == "in favour · 赵强"
        await pilot.press("w")
        await civic_app.settle(pilot)
        app.screen.query_one("#field-name", Input).value = "无此人"
        await pilot.press("enter")
        await civic_app.settle(pilot)
        assert str(table.get_row_at(4)[2]) == "无此人: invalid mark (no such person)"
        assert "void: more names than allowed (3 for-votes, 2 seats)" in civic_app.text(
            validity)
        await pilot.press("d")  # the cursor is on the last written name: take it out
        await civic_app.settle(pilot)
        assert table.row_count == 4
        assert "valid, 2 for of 2 seats" in civic_app.text(validity)
        # Leaving keeps the ballot being keyed; k brings it back as it was.
        await pilot.press("escape")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ElectionScreen)
        await pilot.press("k")
        await civic_app.settle(pilot)
        screen = app.screen
        assert isinstance(screen, BallotKeyingScreen)
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "in favour"
        assert str(table.get_row_at(3)[2]) == "in favour · 赵强"
        assert "ballot No. 3" in civic_app.text(screen.query_one("#election-keying-head"))
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        await pilot.press("ctrl+s")  # ballot 4: blank, still cast
        await civic_app.settle(pilot)
        # Ballot 5 is one more than the 4 returned: refused, with the round's figures; kept.
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert screen.draft.marks == {("committee", "C0003"): "against"}
        # Leaving the election with the ballot still kept asks first; certifying is refused
        # while a keyed ballot is not filed (the count would leave it out).
        await pilot.press("escape")
        await civic_app.settle(pilot)
        await pilot.press("c")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, ElectionScreen)
        await pilot.press("escape")
        await civic_app.settle(pilot)
        assert isinstance(app.screen, UnsavedDialog)
        assert "ballot No. 5" in civic_app.text(app.screen.query_one("#question", Static))
    db = office.db
    assert db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0] == 4
    results, ballots = _report(office, eid)
    assert ballots == {"valid": 3, "invalid": 1}
    by = {r[0]: r[1:] for r in results}
    # ballot 1: 王丽 for, 李明 against, 张建华 abstain; 3: 王丽 for + 赵强; 4 blank
    assert by["C0003"] == (2, 0, 1) and by["C0002"] == (0, 1, 2) and by["C0001"] == (0, 0, 3)
    assert by["C0004"][0] == 1


async def test_the_count_after_keying_shows_the_keyed_ballots(civic_registry, civic_app):
    office = civic_registry
    eid = _election(office, present=9, issued=3, returned=3)
    for number in (1, 2, 3):
        actions.key_ballot(office, eid, number, "members",
                           _marks({"C0001": "for", "C0002": "for", "C0003": "against"}, []))
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await civic_app.login(pilot)
        app.push_screen(ElectionScreen(eid))
        await civic_app.settle(pilot)
        text = civic_app.text(app.screen.query_one("#election-count", Static))
        assert "valid 3, invalid 0" in text and "3/0/0" in text and "0/3/0" in text


async def test_keying_labels_in_chinese(civic_registry, civic_app):
    eid = _election(civic_registry, issued=9, returned=9)
    app = civic_app.app(lang="zh_CN")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_keying(app, civic_app, pilot, eid)
        await pilot.press("1", "1", "1")
        await civic_app.settle(pilot)
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "赞成"
        validity = civic_app.text(screen.query_one("#election-keying-validity", Static))
        assert "无效：超过应选人数（赞成3人，应选2人）" in validity
        head = civic_app.text(screen.query_one("#election-keying-head", Static))
        assert "第1轮 · 第1号选票" in head and "发出9张，收回9张" in head


async def _key_sheet(app, civic_app, pilot, eid, figures, totals, invalid="0"):
    await civic_app.login(pilot)
    app.push_screen(ElectionScreen(eid))
    await civic_app.settle(pilot)
    await pilot.press("s")
    await civic_app.settle(pilot)
    screen = app.screen
    assert isinstance(screen, TallyKeyingScreen)
    for name, value in zip(("present", "issued", "returned"), figures, strict=True):
        screen.query_one(f"#tally-{name}", Input).value = value
    screen.query_one("#tally-0-invalid", Input).value = invalid
    for pi, row in enumerate(totals):
        for value, v in zip(row, ("for", "against", "abstain"), strict=True):
            screen.query_one(f"#tally-0-{pi}-{v}", Input).value = value
    await pilot.press("ctrl+s")
    await civic_app.settle(pilot)
    return screen


# A tally sheet's checks, as a tally file's (civic.tally.figure_problems, tally_problems): for
# + against + abstain per candidate = the valid ballots; ballots are issued to the electors
# present (选举法's counting article; 党内 暂行条例 1990 arts. 19-21), so more issued than present
# or more present than the 10 registered is the sheet's error, named by its box, with nothing
# written. The sheet's candidate rows are the ballot's: 王丽, 李明, 张建华 (surname stroke order).
TOTALS = [("7", "2", "0"), ("6", "3", "0"), ("2", "7", "0")]
SHEETS = [
    (("9", "9", "9"), TOTALS, None, None),
    (("9", "9", "9"), [("7", "2", "0"), ("6", "2", "0"), ("2", "7", "0")],
     "李明 (C0002) is 8, but 9", "tally-0-1-for"),
    # 40 returned of 38 present, at the scale of a branch of 10: 9 issued to 8 present
    (("8", "9", "9"), TOTALS, "Ballots issued: 9 ballots issued but 8 electors present",
     "tally-issued"),
    (("11", "9", "9"), TOTALS, "Present: 11 electors present, more than the 10 registered",
     "tally-present"),
]


@pytest.mark.parametrize(("figures", "totals", "refused", "box"), SHEETS)
async def test_tally_sheet_keyed(civic_registry, civic_app, figures, totals, refused, box):
    office = civic_registry
    eid = _election(office, figures=False)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _key_sheet(app, civic_app, pilot, eid, figures, totals)
        if refused:
            assert app.screen is screen  # kept, with what was typed, at the box at fault
            assert screen.query_one("#tally-0-0-for", Input).value == "7"
            assert app.focused is screen.query_one(f"#{box}", Input)
            shown = " ".join(str(n.message) for n in app._notifications)
            assert refused in shown, shown
    db = office.db
    tallied = db.execute("SELECT count(*) FROM voting_tallies").fetchone()[0]
    if refused:
        assert tallied == 0
        assert db.execute("SELECT count(*) FROM voting_constituencies WHERE issued IS NOT"
                          " NULL").fetchone()[0] == 0
        return
    assert tallied == 3
    results, ballots = _report(office, eid)
    assert ballots == {"valid": 9, "invalid": 0}
    assert sorted(results) == [("C0001", 2, 7, 0), ("C0002", 6, 3, 0), ("C0003", 7, 2, 0)]
    rnd = store.get_round(db, eid)
    assert [w.returned for w in contests.constituencies(db, rnd.vround)] == [9]


async def test_a_void_sheet_is_keyed_by_its_figures(civic_registry, civic_app):
    """9 returned of 8 issued is what the sheet says: filed with its figures alone, the
    round void (重选), as for a round of individual ballots."""
    office = civic_registry
    eid = _election(office, figures=False)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _key_sheet(app, civic_app, pilot, eid, ("9", "8", "9"), [("", "", "")] * 3,
                         invalid="")
        shown = " ".join(str(n.message) for n in app._notifications)
        assert "the round is void" in shown, shown
    rnd = store.get_round(office.db, eid)
    assert [(w.issued, w.returned) for w in contests.constituencies(office.db, rnd.vround)
            ] == [(8, 9)]
    data = store.count(office.db, store.get_election(office.db, eid), rnd)
    assert data["void"] and data["void_reason"] == "returned_exceeds_issued"


# The sheet's problems in words, naming the box, nothing written (as for a file).
TALLY_PROBLEMS = [
    ((9, 9, 9), {"C0001": (7, 2, 0), "C0002": (6, 2, 0), "C0003": (2, 7, 0)},
     r"for 李明 \(C0002\) is 8, but 9 ballots are valid", ("committee", "C0002", "for")),
    ((8, 9, 9), {"C0001": (7, 2, 0), "C0002": (6, 3, 0), "C0003": (2, 7, 0)},
     r"Ballots issued: 9 ballots issued but 8 electors present", (None, None, "issued")),
    ((11, 9, 9), {"C0001": (7, 2, 0), "C0002": (6, 3, 0), "C0003": (2, 7, 0)},
     r"Present: 11 electors present, more than the 10 registered", (None, None, "present")),
    ((9, 9, 9), {"C0001": (7, -2, 4), "C0002": (6, 3, 0), "C0003": (2, 7, 0)},
     "cannot be negative", ("committee", "C0001", "against")),
]


@pytest.mark.parametrize(("figures", "rows", "reason", "field"), TALLY_PROBLEMS)
def test_tally_sheet_problems_are_worded(civic_registry, figures, rows, reason, field):
    office = civic_registry
    eid = _election(office, figures=False)
    present, issued, returned = figures
    with pytest.raises(actions.SheetError, match=reason) as caught:
        actions.enter_tally(office, eid, "members", present=present, issued=issued,
                            returned=returned, sheet={"committee": (0, rows)})
    assert caught.value.fields[0] == field
    assert office.db.execute("SELECT count(*) FROM voting_tallies").fetchone()[0] == 0


def test_tally_sheet_problems_in_chinese(civic_registry):
    office = civic_registry
    eid = _election(office, figures=False)
    set_language("zh_CN")
    try:
        with pytest.raises(actions.SheetError) as caught:
            actions.enter_tally(office, eid, "members", present=9, issued=9, returned=9,
                                sheet={"committee": (0, {"C0001": (7, 2, 0), "C0002": (6, 2, 0),
                                                         "C0003": (2, 7, 0)})})
        with pytest.raises(actions.SheetError) as figures:
            actions.enter_tally(office, eid, "members", present=8, issued=9, returned=9,
                                sheet={})
    finally:
        set_language("en")
    assert "李明 (C0002) 的赞成、反对、弃权票之和为 8" in str(caught.value)
    assert str(figures.value).startswith("发出选票数：")


async def test_figures_recorded_at_the_keying_screen(civic_registry, civic_app):
    """g records the constituency's figures; then no more ballots are keyed than returned."""
    office = civic_registry
    eid = _election(office, figures=False)
    app = civic_app.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_keying(app, civic_app, pilot, eid)
        head = screen.query_one("#election-keying-head", Static)
        assert "figures not recorded yet" in civic_app.text(head)
        await pilot.press("g")
        await civic_app.settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        for name, value in (("present", "9"), ("issued", "9"), ("returned", "1")):
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await civic_app.settle(pilot)
        assert app.screen is screen
        assert "returned 1 of 9 issued" in civic_app.text(head)
        await pilot.press("1", "ctrl+s")
        await civic_app.settle(pilot)
        await pilot.press("1", "ctrl+s")  # a second ballot, of one returned: refused, kept
        await civic_app.settle(pilot)
        assert screen.draft.marks == {("committee", "C0003"): "for"}
    rnd = store.get_round(office.db, eid)
    assert store.keying_figures(office.db, rnd.vround, "members") == store.KeyingFigures(9, 1, 1)


# What the keying screen says of a contest as it is keyed is what the count will decide: the
# property over any ballot (marks, written names: codes, names, the same person twice, unknown).
_WRITTEN = {"C0004": "C0004", "赵强": "C0004", "陈静": "C0005"}


def _stub_resolve(_contest, text):
    from civic.voting import Invalid

    return _WRITTEN.get(text.strip(), Invalid("unknown_name", text.strip()))


@settings(max_examples=100, deadline=None)  # no deadline: a loaded machine is no failure
@given(seats=st.integers(1, 3),
       marks=st.dictionaries(st.sampled_from([c for c, _n in CANDIDATES]),
                             st.sampled_from(["for", "against", "abstain"])),
       written=st.lists(st.sampled_from([*_WRITTEN, "无此人", "某某"]), max_size=4))
def test_validity_shown_as_keyed_is_the_counts(seats, marks, written):
    from civic.plugins.election.keying import BallotDraft, contest_problem
    from civic.tally import Contest, Section, tally_values

    contest = Contest("committee", seats, tuple(c for c, _n in CANDIDATES))
    draft = BallotDraft("election:1:1", 1, 0, {("committee", c): v for c, v in marks.items()},
                        {"committee": list(written)})
    section = Section(tuple(marks.items()),
                      tuple(_stub_resolve("committee", t) for t in written))
    counted = tally_values(contest, [section])
    assert (contest_problem(contest, draft, _stub_resolve) is not None) == (counted.invalid == 1)
