"""civic.contests: the ballot model stored: contests, constituencies, value ballots, rating
forms, tally files, the count, chained rounds. Figures worked by hand in the comments; rules
sourced in civic.tally."""

from __future__ import annotations

import tempfile
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import audit, ballots, contests
from civic.db import migrate, open_db, table_checksums
from civic.errors import CivicError, InputError
from civic.office import Office
from civic.pm import make_plugin_manager
from civic.tally import (
    ANNUAL_GRADES,
    GRADES,
    NAMES,
    RUNOFF,
    Constituency,
    Contest,
)
from civic.voting import Unresolved

EXAMPLES = Path(__file__).parent.parent / "examples" / "ballots"
PRINCIPAL = Contest("principal", 1, ("P1", "P2"))
DEPUTY = Contest("deputy", 2, ("D1", "D2", "D3"))
WARDS = (Constituency("teachers", 5, F(3, 5)), Constituency("parents", 6, F(2, 5)))
WRITTEN = {"王五": "P9", "王": Unresolved("王")}


def resolve(_contest, text):
    return WRITTEN[text]


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])


@pytest.fixture
def office(core_pm):
    db = open_db(":memory:")
    migrate(db, core_pm)
    return Office(db, core_pm)


def declare(office, key="election:1:1", items=(PRINCIPAL, DEPUTY), wards=WARDS, **kw):
    with office.change() as change:
        return contests.declare(change, key, "校长选举", items, constituencies=wards, **kw)


def figures(office, vround, **by_ward):
    with office.change() as change:
        for code, (present, issued, returned) in by_ward.items():
            contests.record_constituency_figures(change, vround, code, present=present,
                                                 issued=issued, returned=returned)


def import_ballots(office, vround, path):
    with office.change() as change:
        return contests.import_value_ballots(change, vround, path, resolve)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_declared_round_reads_back(office):
    vround = declare(office)
    assert contests.contests(office.db, vround) == (PRINCIPAL, DEPUTY)
    assert [(w.code, w.registered, w.weight) for w in
            contests.constituencies(office.db, vround, need_figures=False)] == [
        ("teachers", 5, F(3, 5)), ("parents", 6, F(2, 5))]
    assert (vround.kind, vround.parent) == ("first", None)
    entry = audit.entries(office.db, newest_first=True)[0]
    assert entry.type == "core.contests_declared"


@pytest.mark.parametrize("items,wards,message", [
    ((PRINCIPAL, Contest("x", 1, (), NAMES)), WARDS, "not both"),
    ((Contest("x", 1, ()),), WARDS, "list of candidates"),
    ((PRINCIPAL,), (Constituency("a", 5, F(1, 2)), Constituency("b", 5, F(1, 3))),
     "add up to 5/6"),
    ((PRINCIPAL,), (Constituency("a", 5, F(1, 2)), Constituency("a", 5, F(1, 2))), "twice"),
])
def test_declare_refuses(office, items, wards, message):
    with pytest.raises(CivicError, match=message):
        declare(office, items=items, wards=wards)


def test_value_ballots_counted_by_constituency(office):
    vround = declare(office)
    figures(office, vround, teachers=(4, 3, 3), parents=(5, 2, 2))
    result = import_ballots(office, vround, EXAMPLES / "principal-ballots.csv")
    assert (result["ballots"], result["marks"]) == (5, 11)
    counted = contests.count(office.db, vround)
    principal, deputy = counted.results["principal"], counted.results["deputy"]
    # Teachers (3 ballots): P1 for, against (with 王五 = P9 written in), blank; P2 against,
    # -, blank. Parents (2): P2 for; P1 for.
    teachers, parents = principal.tallies
    assert (teachers.candidates["P1"], teachers.write_ins) == ((1, 1, 1, 0), {"P9": 1})
    assert parents.candidates["P2"] == (1, 0, 1, 0)
    # Shares: P1 3/5*1/3 + 2/5*1/2 = 2/5; P2 2/5*1/2 = 1/5; P9 3/5*1/3 = 1/5. None over 1/2:
    # 另行选举 for the seat among the runners-up, the tie at 1/5 taken whole.
    assert [(s.candidate, s.share) for s in principal.standings] == [
        ("P1", F(2, 5)), ("P2", F(1, 5)), ("P9", F(1, 5))]
    assert (principal.elected, principal.shortfall, principal.runoff_slate) == (
        (), 1, ("P1", "P2", "P9"))
    # Deputy: ballot 1 marks three for two seats: void for this contest only.
    assert (deputy.tallies[0].invalid, deputy.tallies[0].valid) == (1, 2)
    assert deputy.standings[0][:2] == ("D1", 1)
    data = contests.report(counted, {"P1": "张三"})
    assert data["contests"][0]["results"][0]["share"] == {"fraction": "2/5",
                                                          "decimal": "0.4000"}
    assert data["contests"][0]["results"][0]["name"] == "张三"


def test_value_ballots_digest_and_lock(office):
    vround = declare(office)
    figures(office, vround, teachers=(4, 3, 3), parents=(5, 2, 2))
    result = import_ballots(office, vround, EXAMPLES / "principal-ballots.csv")
    # The batch's digest is recomputed from the stored ballots, constituencies included.
    assert ballots.ballots_digest(office.db, vround, result["first_ballot"],
                                  result["last_ballot"]) == result["rows_digest"]
    with office.change() as change:
        ballots.lock_round(change, vround)
    with pytest.raises(CivicError, match="locked"):
        import_ballots(office, ballots.get_round(office.db, vround.key),
                       EXAMPLES / "principal-ballots.csv")


def test_bad_value_ballots_refused_whole(office, tmp_path):
    vround = declare(office)
    before = table_checksums(office.db)
    path = write(tmp_path, "bad.csv", "\n".join([
        "ballot,constituency,contest,candidate,value,write_in",
        "1,teachers,principal,P1,maybe,",  # row 2: not a value
        "1,teachers,nope,P1,for,",  # row 3: not a contest
        "2,students,principal,P1,for,",  # row 4: not a constituency
        "3,parents,principal,P7,for,",  # row 5: not a candidate
        "4,parents,principal,P1,for,王五",  # row 6: a write-in beside a for
        "5,parents,principal,,for,",  # row 7: a value without its candidate
        "1,teachers,principal,P2,for,",  # row 8: ballot 1 again, after others
        "x,parents,principal,P1,for,",  # row 9: not a ballot number
    ]) + "\n")
    with pytest.raises(InputError) as caught:
        import_ballots(office, vround, path)
    where = [(p.row, p.column) for p in caught.value.problems]
    assert where == [(2, "value"), (3, "contest"), (4, "constituency"), (5, "candidate"),
                     (6, "write_in"), (7, "value"), (8, "ballot"), (9, "ballot")]
    assert str(caught.value).startswith("bad.csv:2:value: ")
    assert table_checksums(office.db) == before


def test_void_round_counts_nothing(office):
    vround = declare(office)
    figures(office, vround, teachers=(4, 3, 4), parents=(5, 2, 2))  # 4 returned, 3 issued
    import_ballots(office, vround, EXAMPLES / "principal-ballots.csv")
    counted = contests.count(office.db, vround)
    assert counted.void and counted.results == {}


def test_count_refused_below_quorum_and_without_figures(office):
    vround = declare(office)
    with pytest.raises(CivicError, match="figures of constituency teachers"):
        contests.count(office.db, vround)
    figures(office, vround, teachers=(2, 2, 2), parents=(3, 2, 2))  # 5 of 11: not over half
    with pytest.raises(CivicError, match="Quorum not met: 5 of 11"):
        contests.count(office.db, vround)


def test_runoff_continues_its_round(office):
    vround = declare(office)
    figures(office, vround, teachers=(4, 3, 3), parents=(5, 2, 2))
    import_ballots(office, vround, EXAMPLES / "principal-ballots.csv")
    counted = contests.count(office.db, vround)
    with office.change() as change:
        runoff = contests.follow_on(change, vround, "election:1:2", "另行选举", RUNOFF,
                                    contests.runoff_contests(counted.results.values()))
    assert (runoff.kind, runoff.parent) == (RUNOFF, vround.id)
    assert contests.contests(office.db, runoff) == (
        Contest("principal", 1, ("P1", "P2", "P9")), Contest("deputy", 2, ("D1", "D2", "D3")))
    assert [w.code for w in contests.constituencies(office.db, runoff, need_figures=False)
            ] == ["teachers", "parents"]
    figures(office, runoff, teachers=(4, 0, 0), parents=(5, 0, 0))
    assert contests.count(office.db, runoff).parent == "election:1:1"


def test_recall_vote(office, tmp_path):
    # 村委会组织法 art. 16: more than half of the registered voting, more than half in favour.
    vround = declare(office, key="recall:1", items=(contests.recall_contest("P1"),),
                     wards=(Constituency("villagers", 10, F(1)),), kind="recall")
    figures(office, vround, villagers=(8, 6, 6))
    lines = ["ballot,constituency,contest,candidate,value,write_in"]
    lines += [f"{n},villagers,recall,P1,{'for' if n <= 4 else 'against'}," for n in range(1, 7)]
    import_ballots(office, vround, write(tmp_path, "recall.csv", "\n".join(lines) + "\n"))
    counted = contests.count(office.db, vround, contests.RECALL_RULES)
    assert counted.results["recall"].elected == ("P1",)  # 4 of 6 voting: recalled


def test_rating_forms(office):
    overall = Contest("overall", 1, ("R1", "R2"), GRADES, ANNUAL_GRADES)
    vround = declare(office, key="rating:1", items=(overall,),
                     wards=(Constituency("officials", 3, F(7, 10)),
                            Constituency("public", 2, F(3, 10))))
    figures(office, vround, officials=(3, 2, 2), public=(2, 1, 1))
    import_ballots(office, vround, EXAMPLES / "rating-forms.csv")
    r1, r2 = contests.count(office.db, vround).grades["overall"]
    # R1 优秀: officials 1 of 2 forms, public 1 of 1: 7/10*1/2 + 3/10*1 = 13/20
    assert (r1.counts["优秀"], r1.shares["优秀"]) == (2, F(13, 20))
    assert (r2.counts["称职"], r2.blank, r2.shares["不称职"]) == (1, 1, F(3, 10))


def test_tally_file_counts_like_ballots(office, tmp_path):
    principal = Contest("principal", 1, ("P001", "P002"))
    vround = declare(office, items=(principal,), wards=(
        Constituency("teachers", 60, F(1, 2)), Constituency("students", 200, F(1, 5)),
        Constituency("parents", 300, F(1, 5)), Constituency("residents", 100, F(1, 10))))
    with office.change() as change:
        done = contests.import_tally(change, vround, EXAMPLES / "principal-tally.csv")
    assert done["rows"] == 17
    result = contests.count(office.db, vround).results["principal"]
    # P001: 1/2*30/50 + 1/5*90/150 + 1/5*80/200 + 1/10*30/40 = .575
    # P002: 1/2*18/50 + 1/5*55/150 + 1/5*110/200 + 1/10*8/40 = .18+11/150+.11+.02 = 23/60
    # P009 (written in by one resident): 1/10*1/40 = 1/400
    assert [(s.candidate, s.share) for s in result.standings] == [
        ("P001", F(23, 40)), ("P002", F(23, 60)), ("P009", F(1, 400))]
    assert result.elected == ("P001",)
    assert [(t.constituency, t.valid) for t in result.tallies] == [
        ("teachers", 48), ("students", 150), ("parents", 196), ("residents", 40)]
    # A constituency is counted once: no ballots on top of its tally.
    with pytest.raises(InputError, match="counted from a tally file"):
        import_ballots(office, vround, write(
            tmp_path, "late.csv", "ballot,constituency,contest,candidate,value,write_in\n"
            "1,teachers,principal,P001,for,\n"))


# A paper count's sheet (计票单), line by line. Ballots are issued to the electors present
# (选举法, the counting article: 所投的票数多于投票人数的无效; 党内 暂行条例 (1990) arts. 19-21), so
# more issued than present, or more present than registered, is the sheet's error: named by
# file, row and column, nothing written. (More returned than issued voids the round instead:
# test_returned_more_than_issued_voids_the_round.)
@pytest.mark.parametrize("change,where,message", [
    # for + against + abstain must be the valid ballots (50 returned - 2 invalid = 48)
    (("teachers,principal,P001,30,10,8", "teachers,principal,P001,30,10,9"), (4, "candidate"),
     "for + against + abstain for P001 is 49, but 48"),
    # 50 issued to 48 present
    (("teachers,,,,,,55,50,50,", "teachers,,,,,,48,50,50,"), (2, "issued"),
     "50 ballots issued but 48 electors present"),
    # 40 returned of 38 present: 40 issued to 38 present
    (("residents,,,,,,45,40,40,", "residents,,,,,,38,40,40,"), (14, "issued"),
     "40 ballots issued but 38 electors present"),
    # 61 present of the teachers' 60 registered
    (("teachers,,,,,,55,50,50,", "teachers,,,,,,61,50,50,"), (2, "present"),
     "61 electors present, more than the 60 registered"),
    (("students,principal,P001,90,40,20", "students,principal,P001,-90,40,20"), (8, "for"),
     "whole number"),
    (("residents,principal,P009,1,,,", "residents,principal,P009,1,1,,"), (18, "candidate"),
     "for-votes only"),
    (("parents,principal,,,,,,,,4", "parents,principal,,,,,,,,"), (11, "invalid"), "needed"),
])
def test_bad_tally_files_refused_whole(office, tmp_path, change, where, message):
    principal = Contest("principal", 1, ("P001", "P002"))
    vround = declare(office, items=(principal,), wards=PRINCIPAL_WARDS)
    text = (EXAMPLES / "principal-tally.csv").read_text(encoding="utf-8")
    assert change[0] in text
    path = write(tmp_path, "tally.csv", text.replace(change[0], change[1]))
    before = table_checksums(office.db)
    with office.change() as ch, pytest.raises(InputError) as caught:
        contests.import_tally(ch, vround, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [where]
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"tally.csv:{where[0]}:{where[1]}: ")
    assert table_checksums(office.db) == before


PRINCIPAL_WARDS = (
    Constituency("teachers", 60, F(1, 2)), Constituency("students", 200, F(1, 5)),
    Constituency("parents", 300, F(1, 5)), Constituency("residents", 100, F(1, 10)))


def test_a_tally_problem_names_the_candidate(office, tmp_path):
    """The sum's problem names the person, as core names a person (civic.subjects): the
    mechanism's names first, then the registry's."""
    vround = declare(office, items=(Contest("principal", 1, ("P001", "P002")),),
                     wards=PRINCIPAL_WARDS)
    text = (EXAMPLES / "principal-tally.csv").read_text(encoding="utf-8")
    path = write(tmp_path, "tally.csv", text.replace("teachers,principal,P001,30,10,8",
                                                     "teachers,principal,P001,30,10,9"))
    with office.change() as ch, pytest.raises(InputError, match=r"for 张建华 \(P001\) is 49"):
        contests.import_tally(ch, vround, path, names={"P001": "张建华"})


@pytest.mark.parametrize("figures_only", [True, False])
def test_returned_more_than_issued_voids_the_round(office, tmp_path, figures_only):
    """41 returned of 40 issued is what the sheet truly says: it is recorded, and the count
    says the round is void (重选), as a round of individual ballots does. A paper count stops
    at the figures, so the contests' rows may be left out."""
    vround = declare(office, items=(Contest("principal", 1, ("P001", "P002")),),
                     wards=PRINCIPAL_WARDS)
    text = (EXAMPLES / "principal-tally.csv").read_text(encoding="utf-8")
    text = text.replace("residents,,,,,,45,40,40,", "residents,,,,,,45,40,41,")
    if figures_only:
        text = "\n".join(line for line in text.splitlines()
                         if line.split(",")[1] == "" or line.startswith("constituency")) + "\n"
    else:  # the totals agree with the 41 returned
        text = text.replace("residents,principal,P001,30,5,5", "residents,principal,P001,30,5,6")
        text = text.replace("residents,principal,P002,8,20,12", "residents,principal,P002,8,20,13")
    with office.change() as ch:
        contests.import_tally(ch, vround, write(tmp_path, "tally.csv", text))
    counted = contests.count(office.db, vround)
    assert counted.void and counted.results == {}
    assert [(w.code, w.issued, w.returned) for w in counted.constituencies][-1] == (
        "residents", 40, 41)


# --- properties: the stored count is the pure count, whatever the order of the ballots -------
FOR_VALUES = ("for", "against", "abstain")
paper = st.tuples(
    st.sampled_from(("teachers", "parents")),
    st.lists(st.tuples(st.sampled_from(("principal", "deputy")),
                       st.sampled_from(("P1", "P2", "D1", "D2", "D3")),
                       st.sampled_from(FOR_VALUES)), max_size=5),
    st.lists(st.sampled_from(("principal", "deputy")), max_size=2),  # 王五 written in
)


def _csv(rows) -> str:
    lines = ["ballot,constituency,contest,candidate,value,write_in"]
    for number, (where, marks, written) in rows:
        # a candidate belongs to its contest: P* to principal, D* to deputy
        cells = [(c, p, v, "") for c, p, v in marks if p[0] == c[0].upper()]
        cells += [(c, "", "", "王五") for c in written]
        lines += [f"{number},{where},{c},{p},{v},{w}" for c, p, v, w in cells] or [
            f"{number},{where},principal,,,"]
    return "\n".join(lines) + "\n"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paper, max_size=12), st.randoms(use_true_random=False))
def test_stored_count_is_order_free_and_counts_each_ballot_once(core_pm, papers, rng):
    numbered = list(enumerate(papers, 1))
    shuffled = list(numbered)
    rng.shuffle(shuffled)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for i, order in enumerate((numbered, shuffled)):
            db = open_db(":memory:")
            migrate(db, core_pm)
            office = Office(db, core_pm)
            # ballots are issued to the electors present: 20 of each, room for every paper
            vround = declare(office, wards=(Constituency("teachers", 20, F(3, 5)),
                                            Constituency("parents", 20, F(2, 5))))
            figures(office, vround, teachers=(20, 20, 20), parents=(20, 20, 20))
            import_ballots(office, vround, write(Path(folder), f"{i}.csv", _csv(order)))
            results.append(contests.count(office.db, vround))
    one, two = results
    assert one.results == two.results
    for contest in one.results.values():
        for tally in contest.tallies:
            cast = sum(1 for where, _m, _w in papers if where == tally.constituency)
            assert tally.valid + tally.invalid == tally.ballots == cast
            assert all(sum(v) == tally.valid for v in tally.candidates.values())


def test_adjudicating_a_write_in_touches_only_written_names(office, tmp_path):
    vround = declare(office, items=(PRINCIPAL,))
    figures(office, vround, teachers=(4, 2, 2), parents=(5, 0, 0))
    import_ballots(office, vround, write(tmp_path, "b.csv", "\n".join([
        "ballot,constituency,contest,candidate,value,write_in",
        "1,teachers,principal,P1,against,王",  # 王 matches several people: waits
        "2,teachers,principal,P1,for,"]) + "\n"))
    before = contests.count(office.db, vround).results["principal"]
    assert (before.unresolved, before.tallies[0].candidates["P1"]) == (1, (1, 1, 0, 0))
    with office.change() as change:
        changed = ballots.re_resolve(change.db, vround, lambda _c, text: "P9")
    assert changed == 1  # the written name only, not the listed candidate's marks
    after = contests.count(office.db, vround).results["principal"]
    assert (after.unresolved, after.tallies[0].write_ins) == (0, {"P9": 1})
    assert after.tallies[0].candidates["P1"] == (1, 1, 0, 0)


def test_more_ballots_entered_than_returned_is_refused(office):
    vround = declare(office)
    figures(office, vround, teachers=(4, 3, 2), parents=(5, 2, 2))  # 3 teachers' ballots entered
    import_ballots(office, vround, EXAMPLES / "principal-ballots.csv")
    with pytest.raises(CivicError, match="3 ballots entered in constituency teachers but only 2"):
        contests.count(office.db, vround)


def test_rating_forms_from_xlsx(office, tmp_path):
    from openpyxl import Workbook

    overall = Contest("overall", 1, ("R1", "R2"), GRADES, ANNUAL_GRADES)
    vround = declare(office, key="rating:2", items=(overall,),
                     wards=(Constituency("officials", 3, F(1)),))
    figures(office, vround, officials=(3, 2, 2))
    book = Workbook()
    sheet = book.active
    sheet.append(["表号", "测评类别", "测评项目", "被测评人", "等次"])
    sheet.append([1, "officials", "overall", "R1", "优秀"])
    sheet.append([2, "officials", "overall", "R1", "良好"])  # not a grade of the scale
    book.save(tmp_path / "forms.xlsx")
    with pytest.raises(InputError, match="forms.xlsx:3:等次: not a grade of the scale"):
        import_ballots(office, vround, tmp_path / "forms.xlsx")
    sheet["E3"] = "称 职"  # as typed, with a space
    book.save(tmp_path / "forms.xlsx")
    import_ballots(office, vround, tmp_path / "forms.xlsx")
    r1, _r2 = contests.count(office.db, vround).grades["overall"]
    assert (r1.counts["优秀"], r1.counts["称职"]) == (1, 1)


def test_keyed_ballots_are_the_file_ballots(core_pm, office):
    """The same papers keyed at the terminal and imported from the file: same marks, same
    digest, same count."""
    stack = [
        (1, "teachers", [("principal", "P1", "赞成", None), ("principal", "P2", "反对", None),
                         ("deputy", "D1", "for", None), ("deputy", "D2", "for", None),
                         ("deputy", "D3", "for", None)]),
        (2, "teachers", [("principal", "P1", "against", "王五"), ("deputy", "D1", "○", None)]),
        (3, "teachers", []),
        (4, "parents", [("principal", "P2", "for", None), ("deputy", "D2", "×", None)]),
        (5, "parents", [("principal", "P1", "for", None)]),
    ]
    keyed = declare(office)
    figures(office, keyed, teachers=(4, 3, 3), parents=(5, 2, 2))
    with office.change() as change:
        typed = contests.enter_value_ballots(change, keyed, stack, resolve)
    other = Office(open_db(":memory:"), core_pm)
    migrate(other.db, core_pm)
    filed = declare(other)
    figures(other, filed, teachers=(4, 3, 3), parents=(5, 2, 2))
    imported = import_ballots(other, filed, EXAMPLES / "principal-ballots.csv")
    assert typed["rows_digest"] == imported["rows_digest"]
    assert contests.count(office.db, keyed).results == contests.count(other.db, filed).results


@pytest.mark.parametrize("stack,message", [
    ([(1, "teachers", []), (1, "teachers", [])], "Ballot 1: ballot 1 is entered already"),
    ([(1, None, [])], "not a constituency of this round: -"),
    ([(1, "teachers", [("nope", "P1", "for", None)])], "not a contest of this round: nope"),
    ([(1, "teachers", [("principal", "P1", "maybe", None)])], "expected for, against"),
])
def test_keyed_ballots_refused_whole(office, stack, message):
    vround = declare(office)
    before = table_checksums(office.db)
    with pytest.raises(CivicError, match=message):
        with office.change() as change:
            contests.enter_value_ballots(change, vround, stack, resolve)
    assert table_checksums(office.db) == before


def test_present_from_the_roll_by_category(office, tmp_path):
    vround = declare(office)
    roll = write(tmp_path, "roll.csv", "编号,姓名,类别,出席\nT1,甲,teachers,是\nT2,乙,teachers,否\n"
                                       "T3,丙,teachers,是\nA1,丁,parents,是\n")
    with office.change() as change:
        ballots.load_roll(change, vround, roll)
        contests.record_constituency_figures(change, vround, "teachers", issued=2, returned=2)
    teachers = contests.constituencies(office.db, vround, need_figures=False)[0]
    assert (teachers.present, teachers.issued) == (2, 2)


def test_value_ballots_on_a_round_with_a_roll_wait_for_attendance_to_close(office, tmp_path):
    # Secrecy (civic.ballots): were ballots taken while attendance is still being recorded,
    # the log would order electors against ballots.
    vround = declare(office)
    roll = write(tmp_path, "roll.csv", "编号,姓名,类别,出席\nT1,甲,teachers,是\n")
    with office.change() as change:
        ballots.load_roll(change, vround, roll)
    stack = [(1, "teachers", [])]
    before = table_checksums(office.db)
    with pytest.raises(CivicError, match="close attendance first"):
        with office.change() as change:
            contests.enter_value_ballots(change, vround, stack, resolve)
    assert table_checksums(office.db) == before
