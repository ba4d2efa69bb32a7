"""Elections through the CLI on the sample registry (civic.testing): a party branch from roll to
certified terms and its results notice; a principal by constituencies from a tally file; the
count contract; refusals that write nothing; runoffs; recall."""

from __future__ import annotations

import json

import pytest

from .conftest import ELECTIONS, TALLIES

ROLL = "编号,姓名\n" + "".join(f"E{i:03d},选民{i}\n" for i in range(1, 11))


def _new(cli, *extra):
    result = cli("election", "new", "机关党支部委员会选举", "--pack", "party-base-1990",
                 "--held-on", "2008-07-10", "--office-title", "支部委员", *extra)
    assert result.exit_code == 0, result.output
    return result.output.split()[1]


def _ballots(path, rows):
    lines = ["票号,选举项目,候选人,表决,另选他人"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _audit_count(office):
    return office.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def test_party_branch_from_roll_to_terms(civic_registry, civic_cli, tmp_path):
    # 2 seats need 3 candidates (20% of 2 rounds up to 1 more); listed in stroke order:
    # 王丽 (王 4 strokes), 李明 (李 7), 张建华 (张 7, after 李 by stroke order).
    eid = _new(civic_cli, "--contest", "committee:2:C0001,C0002*,C0003")
    slate = json.loads(civic_cli("election", "slate", eid, "--json").output)
    assert [c["name"] for c in slate] == ["王丽", "李明", "张建华"]
    assert [c["incumbent"] for c in slate] == [False, True, False]
    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    assert civic_cli("election", "roll", eid, str(roll)).exit_code == 0
    present = [f"E{i:03d}" for i in range(1, 10)]  # 9 of 10: more than 4/5
    assert civic_cli("election", "attend", eid, *present, "--close").exit_code == 0
    assert civic_cli("election", "figures", eid, "--issued", "9", "--returned", "9"
                     ).exit_code == 0
    rows = []
    for n in range(1, 10):
        rows.append((str(n), "committee", "C0001", "for" if n <= 6 or n == 9 else "against", ""))
        rows.append((str(n), "committee", "C0002", "for" if n <= 5 or n == 9 else "abstain", ""))
    # ballot 9 also writes in C0004: three for-votes for two seats, invalid for the contest
    # (选举法 art. 42): 6 and 5 valid for-votes remain
    rows.append(("9", "committee", "", "", "C0004"))
    assert civic_cli("election", "ballots", "import", eid,
                     _ballots(tmp_path / "b.csv", rows)).exit_code == 0
    data = json.loads(civic_cli("election", "count", eid, "--json").output)
    assert data["quorum"] == {"met": True, "due": 10, "present": 9}
    assert data["ballots"] == {"issued": 9, "returned": 9}
    (contest,) = data["contests"]
    assert contest["threshold"] == {"base": "present", "of": 9}
    assert contest["ballots"] == {"valid": 8, "invalid": 1}
    top = {r["candidate"]: (r["for"], r["elected"], r["weighted_share"])
           for r in contest["results"]}
    # 6 for-votes of 9 present and 5 of 9: both more than half
    assert top["C0001"] == (6, True, None) and top["C0002"] == (5, True, None)
    assert contest["shortfall"] == 0 and contest["tie_for_seat"] == []
    refused = civic_cli("election", "certify", eid)
    assert refused.exit_code != 0
    done = civic_cli("election", "certify", eid, "--supervisor", "sup", "--on", "2008-07-11")
    assert done.exit_code == 0, done.output
    terms = json.loads(civic_cli("election", "terms", "--json").output)
    assert [(t["person"], t["starts"], t["ends"]) for t in terms] == [
        ("C0001", "2008-07-11", "2011-07-11"), ("C0002", "2008-07-11", "2011-07-11")]
    person = json.loads(civic_cli("people", "show", "C0001", "--json").output)
    assert any(f["kind"] == "term" for f in person["facts"])
    notice = civic_cli("election", "notice", eid)
    assert notice.exit_code == 0, notice.output
    nid = notice.output.split()[1]
    shown = civic_cli("notice", "show", nid, "--lang", "zh_CN")
    assert "张建华" in shown.output and "纪委监督人员签字确认" in shown.output
    assert "委员会委员（应选2名）" in shown.output  # the contest in words, not its code
    english = civic_cli("notice", "show", nid, "--lang", "en")
    assert "co-signed by the discipline commission" in english.output
    assert "committee members (2 seats)" in english.output
    assert "(1990) 第二十二条" in english.output  # the threshold's source, on the notice


def test_without_the_required_difference_nothing_is_written(civic_registry, civic_cli,
                                                            civic_office):
    before = _audit_count(civic_office)
    result = civic_cli("election", "new", "x", "--pack", "party-base-1990", "--held-on",
                       "2008-07-10", "--contest", "committee:2:C0001,C0002")
    assert result.exit_code != 0 and "at least 3" in result.output
    assert _audit_count(civic_office) == before


TALLY = """选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效
teachers,,,,,,55,50,50,
teachers,principal,,,,,,,,2
teachers,principal,C0001,30,10,8,,,,
teachers,principal,C0002,16,20,12,,,,
parents,,,,,,260,250,250,
parents,principal,,,,,,,,0
parents,principal,C0001,101,100,49,,,,
parents,principal,C0002,140,60,50,,,,
"""


def test_principal_by_weighted_constituencies_from_a_tally(civic_registry, civic_cli,
                                                           tmp_path):
    eid = _new(civic_cli, "--contest", "principal:1:C0001,C0002",
               "--constituency", "teachers:60:1/2", "--constituency", "parents:300:1/2")
    # the principal pack, not the party one, is what this test is about
    assert eid
    result = civic_cli("election", "new", "第一中学校长选举", "--pack", "principal-kunming-2008",
                       "--held-on", "2008-07-10", "--contest", "principal:1:C0001,C0002",
                       "--constituency", "teachers:60:1/2", "--constituency",
                       "parents:300:1/2")
    eid = result.output.split()[1]
    path = tmp_path / "tally.csv"
    path.write_text(TALLY, encoding="utf-8")
    assert civic_cli("election", "tallies", "import", eid, str(path)).exit_code == 0
    data = json.loads(civic_cli("election", "count", eid, "--json").output)
    assert data["constituencies"] == [
        {"code": "teachers", "weight": "1/2", "due": 60, "present": 55, "returned": 50},
        {"code": "parents", "weight": "1/2", "due": 300, "present": 260, "returned": 250}]
    results = {r["candidate"]: r for r in data["contests"][0]["results"]}
    # 1/2 x 30/50 + 1/2 x 101/250 = 0.502; 1/2 x 16/50 + 1/2 x 140/250 = 0.44
    assert results["C0001"]["weighted_share"] == "0.5020"
    assert results["C0001"]["elected"] is True
    assert results["C0002"]["weighted_share"] == "0.4400"
    assert results["C0001"]["by_constituency"]["teachers"] == {"for": 30, "valid": 48}


def test_a_shortfall_opens_a_runoff_on_its_slate(civic_registry, civic_cli, tmp_path):
    result = civic_cli("election", "new", "村委会主任选举", "--pack", "village-2018",
                       "--held-on", "2008-07-10", "--contest", "director:1:C0001,C0002,C0003",
                       "--constituency", "villagers:20:1")
    eid = result.output.split()[1]
    path = tmp_path / "t.csv"
    path.write_text("选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效\n"
                    "villagers,,,,,,15,15,15,\nvillagers,director,,,,,,,,0\n"
                    "villagers,director,C0001,7,0,8,,,,\nvillagers,director,C0002,5,0,10,,,,\n"
                    "villagers,director,C0003,3,0,12,,,,\n", encoding="utf-8")
    assert civic_cli("election", "tallies", "import", eid, str(path)).exit_code == 0
    data = json.loads(civic_cli("election", "count", eid, "--json").output)
    assert data["contests"][0]["shortfall"] == 1
    assert data["contests"][0]["runoff_slate"] == ["C0001", "C0002"]
    early = civic_cli("election", "runoff", eid)
    assert early.exit_code != 0 and "Certify" in early.output
    assert civic_cli("election", "certify", eid, "--supervisor", "sup").exit_code == 0
    opened = civic_cli("election", "runoff", eid)
    assert opened.exit_code == 0, opened.output
    shown = json.loads(civic_cli("election", "show", eid, "--json").output)
    assert [(r["round"], r["kind"]) for r in shown["rounds"]] == [(1, "first"), (2, "runoff")]


def test_a_tally_file_returning_more_ballots_than_issued_voids_the_round(civic_registry,
                                                                        civic_cli, tmp_path):
    """15 returned of 14 issued (15 present): recorded as the sheet says, the round void (重选),
    the command says so and how to hold it again."""
    result = civic_cli("election", "new", "x", "--pack", "village-2018", "--held-on",
                       "2008-07-10", "--contest", "director:1:C0001,C0002",
                       "--constituency", "villagers:20:1")
    eid = result.output.split()[1]
    path = tmp_path / "t.csv"
    path.write_text("选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效\n"
                    "villagers,,,,,,15,14,15,\n", encoding="utf-8")
    imported = civic_cli("election", "tallies", "import", eid, str(path))
    assert imported.exit_code == 0, imported.output
    assert f"civic election revote {eid}" in imported.output
    data = json.loads(civic_cli("election", "count", eid, "--json").output)
    assert data["void"] is True and data["void_reason"] == "returned_exceeds_issued"
    assert data["ballots"] == {"issued": 14, "returned": 15}


def test_figures_issuing_more_ballots_than_electors_present_are_refused(civic_registry,
                                                                       civic_cli, civic_office,
                                                                       tmp_path):
    """Ballots are issued to the electors present (选举法's counting article; 党内 暂行条例
    1990 arts. 19-21): with 9 of 10 present on the closed roll, 10 issued is refused and
    nothing is written; a constituency's figures likewise."""
    eid = _new(civic_cli, "--contest", "committee:2:C0001,C0002*,C0003")
    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    assert civic_cli("election", "roll", eid, str(roll)).exit_code == 0
    present = [f"E{i:03d}" for i in range(1, 10)]
    assert civic_cli("election", "attend", eid, *present, "--close").exit_code == 0
    before = _audit_count(civic_office)
    refused = civic_cli("election", "figures", eid, "--issued", "10", "--returned", "10")
    assert refused.exit_code != 0 and "10 ballots issued but 9 electors present" in (
        refused.output), refused.output
    assert _audit_count(civic_office) == before
    result = civic_cli("election", "new", "x", "--pack", "village-2018", "--held-on",
                       "2008-07-10", "--contest", "director:1:C0001,C0002",
                       "--constituency", "villagers:20:1")
    ward = result.output.split()[1]
    refused = civic_cli("election", "figures", ward, "--constituency", "villagers",
                        "--present", "14", "--issued", "15", "--returned", "15")
    assert refused.exit_code != 0 and "15 ballots issued but 14" in refused.output


def test_void_round_is_reported_and_certification_refused(civic_registry, civic_cli, tmp_path):
    result = civic_cli("election", "new", "x", "--pack", "village-2018", "--held-on",
                       "2008-07-10", "--contest", "director:1:C0001,C0002",
                       "--constituency", "villagers:20:1")
    eid = result.output.split()[1]
    assert civic_cli("election", "figures", eid, "--constituency", "villagers", "--present",
                     "15", "--issued", "14", "--returned", "15").exit_code == 0
    data = json.loads(civic_cli("election", "count", eid, "--json").output)
    assert data["void"] is True and data["void_reason"] == "returned_exceeds_issued"
    assert civic_cli("election", "certify", eid, "--supervisor", "sup").exit_code != 0
    assert civic_cli("election", "revote", eid).exit_code == 0  # 重选: the whole round again




def _batch_import(cli, tmp_path, tallies=TALLIES):
    """`civic election batch import` of ELECTIONS and `tallies`, as files in tmp_path."""
    (tmp_path / "e.csv").write_text(ELECTIONS, encoding="utf-8")
    (tmp_path / "t.csv").write_text(tallies, encoding="utf-8")
    return cli("election", "batch", "import", str(tmp_path / "e.csv"), str(tmp_path / "t.csv"),
               "--title", "2008", "--held-on", "2008-07-10")


def test_batch_import_and_count(civic_registry, civic_cli, tmp_path):
    result = _batch_import(civic_cli, tmp_path)
    assert result.exit_code == 0, result.output
    data = json.loads(civic_cli("election", "batch", "count", "1", "--json").output)
    assert data["summary"] == {"elections": 2, "held": 1, "elected": 1, "with_elected": 1,
                               "not_elected": {"not_held": 1}, "incumbents_reelected": 1,
                               "new": 0}
    assert [e["outcome"] for e in data["elections"]] == ["elected", "not_held"]


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ["2 elections, 1 held, 1 with principals elected",
            "  fewer than two candidates: no election held: 1",
            "1 elected: 1 incumbents re-elected, 0 new"]),
    ("zh_CN", ["2 场选举，举行 1 场，1 场选出当选人",
               "  候选人不足两名，未举行选举：1",  # a Chinese colon after Chinese words
               "共 1 人当选：现任连任 1 人，新任 0 人"]),
])
def test_batch_count_names_each_reason_in_the_language(civic_registry, civic_cli, tmp_path,
                                                       lang, lines):
    """The elections, why the others elected nobody, who was elected: each line within 80
    columns (as one line the summary ran to 88 cells in Chinese on the demo)."""
    from civic.i18n import set_language

    assert _batch_import(civic_cli, tmp_path).exit_code == 0
    try:
        result = civic_cli("--lang", lang, "election", "batch", "count", "1")
    finally:
        set_language("en")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == lines


# A batch's tally file is checked as a school's own (civic.tally.figure_problems and
# tally_problems): ballots are issued to the electors present (选举法's counting article; 党内
# 暂行条例 1990 arts. 19-21), so more issued than present or present than due (应到) is the
# file's error, named by file:row:column as the file spells its columns.
@pytest.mark.parametrize("bad, where", [
    (TALLIES.replace("S001,teachers,principal,S001-A,30,5,0", "S001,teachers,principal,"
                     "S001-A,31,5,0"), "t.csv:4:候选人: S001: teachers: principal: for + against"
     " + abstain for 甲 (S001-A) is 36, but 35"),  # 36 votes for 35 valid ballots
    # 40 returned of 38 present: 40 issued to 38 present
    (TALLIES.replace("35,35,35", "38,40,40"), "t.csv:2:发出: S001: 40 ballots issued but 38"),
    (TALLIES.replace("150,150,150", "201,150,150"), "t.csv:6:实到: S001: 201 electors present,"
     " more than the 200 registered"),
    (TALLIES.replace("S001,parents,principal,S001-B,50", "S009,parents,principal,S001-B,50"),
     "t.csv:9:学校"),
])
def test_a_batch_with_bad_rows_is_refused_whole(civic_registry, civic_cli, civic_office,
                                                tmp_path, bad, where):
    before = _audit_count(civic_office)
    result = _batch_import(civic_cli, tmp_path, bad)
    assert result.exit_code != 0 and where in result.output, result.output
    assert _audit_count(civic_office) == before
    assert json.loads(civic_cli("election", "list", "--json").output) == []


@pytest.mark.parametrize("figures_only", [True, False])
def test_a_batch_school_returning_more_ballots_than_issued_is_void(civic_registry, civic_cli,
                                                                   tmp_path, figures_only):
    """150 returned of 149 issued is no error of the file: it voids the school's round (重选),
    with or without the totals of a count that should have stopped at the figures."""
    tallies = TALLIES.replace("150,150,150", "150,149,150")
    if figures_only:
        tallies = "\n".join(line for line in tallies.splitlines()
                            if line.startswith("学校") or line.split(",")[2] == "") + "\n"
    result = _batch_import(civic_cli, tmp_path, tallies)
    assert result.exit_code == 0, result.output
    data = json.loads(civic_cli("election", "batch", "count", "1", "--json").output)
    assert [(e["outcome"], e["void"]) for e in data["elections"]][0] == ("void", True)
    assert data["elections"][0]["void_reason"] == "returned_exceeds_issued"


def test_bad_weights_in_a_batch_name_the_row(civic_registry, civic_cli, tmp_path):
    (tmp_path / "e.csv").write_text(ELECTIONS.replace("parents,200,1/2", "parents,200,1/3"),
                                    encoding="utf-8")
    result = civic_cli("election", "batch", "import", str(tmp_path / "e.csv"), "--title", "x",
                       "--held-on", "2008-07-10")
    assert result.exit_code != 0 and "e.csv:4:weight" in result.output, result.output


def _certified_branch(cli, tmp_path) -> str:
    """A village committee (the village pack's recall rule) certified with C0001 and C0002."""
    result = cli("election", "new", "村委会选举", "--pack", "village-2018", "--held-on",
                 "2008-07-01", "--contest", "committee:2:C0001,C0002,C0003",
                 "--constituency", "villagers:100:1", "--office-title", "村委会委员")
    eid = result.output.split()[1]
    path = tmp_path / "t.csv"
    path.write_text("选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效\n"
                    "villagers,,,,,,80,80,80,\nvillagers,committee,,,,,,,,0\n"
                    "villagers,committee,C0001,60,20,0,,,,\n"
                    "villagers,committee,C0002,50,30,0,,,,\n"
                    "villagers,committee,C0003,20,60,0,,,,\n", encoding="utf-8")
    assert cli("election", "tallies", "import", eid, str(path)).exit_code == 0
    assert cli("election", "certify", eid, "--supervisor", "sup", "--on", "2008-07-02"
               ).exit_code == 0
    return eid


def test_targets_extension_and_status(civic_registry, civic_cli, tmp_path):
    _certified_branch(civic_cli, tmp_path)
    assert civic_cli("election", "target", "1", "道路硬化", "--due", "2009-06-30"
                     ).exit_code == 0
    status = json.loads(civic_cli("status", "--json").output)
    refs = [w["ref"] for w in status["open"] if w["plugin"] == "election"]
    assert "target-1" in refs and "term-1" in refs
    # On a given day only what falls due within SOON_DAYS (90) shows, named with its holder.
    def listed(on):
        found = json.loads(civic_cli("status", "--on", on, "--json").output)["open"]
        return {w["ref"]: w["title"] for w in found if w["plugin"] == "election"}
    assert "target-1" not in listed("2008-07-03")
    assert listed("2009-05-01")["target-1"].startswith("道路硬化（")
    # 村委会组织法 (2018): no extension past five years; refused with its source
    refused = civic_cli("election", "extend", "1", "--ends", "2013-12-31", "--approval", "x")
    assert refused.exit_code != 0 and "村民委员会组织法" in refused.output
    terms = json.loads(civic_cli("election", "terms", "--json").output)
    assert terms[0]["targets"][0]["text"] == "道路硬化"
    assert terms[0]["ends"] == "2013-07-02"  # five years (村委会组织法 2018 art. 11)


def test_recall_from_petition_to_the_end_of_the_term(civic_registry, civic_cli, tmp_path):
    _certified_branch(civic_cli, tmp_path)
    few = civic_cli("election", "recall", "file", "1", "--signers", "19", "--registered",
                    "100", "--grounds", "长期不履职")
    assert few.exit_code != 0 and "at least 20" in few.output  # 村委会组织法 art. 16: 1/5
    assert civic_cli("election", "recall", "file", "1", "--signers", "20", "--registered",
                     "100", "--grounds", "长期不履职").exit_code == 0
    assert civic_cli("election", "recall", "reply", "1", "本人已履职").exit_code == 0
    assert civic_cli("election", "recall", "vote", "1").exit_code == 0
    path = tmp_path / "r.csv"
    # 60 of 100 voted (more than half), 31 for the recall: more than half of those voting
    path.write_text("选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效\n"
                    "voters,,,,,,60,60,60,\nvoters,recall,,,,,,,,0\n"
                    "voters,recall,C0001,31,29,0,,,,\n", encoding="utf-8")
    assert civic_cli("election", "recall", "tallies", "1", str(path)).exit_code == 0
    unsigned = civic_cli("election", "recall", "decide", "1")
    assert unsigned.exit_code != 0
    decided = civic_cli("election", "recall", "decide", "1", "--supervisor", "sup", "--on",
                        "2008-09-01", "--json")
    assert json.loads(decided.output) == {
        "recall": 1, "registered": 100, "present": 60, "returned": 60, "for": 31,
        "valid": True, "passed": True, "barred_until": None}
    terms = json.loads(civic_cli("election", "terms", "--json").output)
    assert terms[0]["status"] == "recalled"
    ended = civic_registry.db.execute(
        "SELECT e.ended_on FROM person_fact_ends e JOIN person_facts f ON f.id = e.fact"
        " WHERE f.kind = 'term' AND f.person = 'C0001'").fetchone()[0]
    assert ended == "2008-09-01"  # the term's fact ends the day the recall passed


def test_tally_from_xlsx_and_the_count_to_xlsx(civic_registry, civic_cli, tmp_path):
    """The tally file as an office keeps it in Excel, and the count back into Excel: the same
    figures as the CSV (the principal case above)."""
    import openpyxl

    result = civic_cli("election", "new", "第一中学校长选举", "--pack", "principal-kunming-2008",
                       "--held-on", "2008-07-10", "--contest", "principal:1:C0001,C0002",
                       "--constituency", "teachers:60:1/2", "--constituency",
                       "parents:300:1/2")
    eid = result.output.split()[1]
    book = openpyxl.Workbook()
    sheet = book.active
    for line in TALLY.strip().splitlines():
        sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    path = tmp_path / "tally.xlsx"
    book.save(path)
    imported = civic_cli("election", "tallies", "import", eid, str(path))
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "count.xlsx"
    counted = civic_cli("election", "count", eid, "--out", str(out))
    assert counted.exit_code == 0, counted.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Election", "Title", "Round", "Election result", "Contest")
    by_code = {r[6]: r for r in rows[1:]}
    # 1/2 x 30/50 + 1/2 x 101/250 = 0.502: elected, the contest in the pack's words
    assert by_code["C0001"][4] == "principal" and by_code["C0001"][8] == 30 + 101
    assert (by_code["C0001"][11], by_code["C0001"][13]) == ("0.5020", "yes")
    assert by_code["C0002"][13] == "no"


def test_batch_count_to_a_file(civic_registry, civic_cli, batch_files, tmp_path):
    elections, tallies = batch_files
    assert civic_cli("election", "batch", "import", str(elections), str(tallies), "--title",
                     "2008", "--held-on", "2008-07-01").exit_code == 0
    out = tmp_path / "batch.csv"
    counted = civic_cli("election", "batch", "count", "1", "--out", str(out))
    assert counted.exit_code == 0, counted.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    # a row per candidate of the held election, one for the election not held
    assert len(lines) == 1 + 2 + 1 and "一中" in lines[1]
