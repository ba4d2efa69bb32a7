"""`civic nomination ...` with click's CliRunner: the whole walk-through on the example files,
issue 4's JSON shape for `count --json`, and refusals as messages with a non-zero exit."""

from __future__ import annotations

import json

from .conftest import NOMINATION, POSTS, ballot_file, posts

XS, AN = POSTS
SUPERVISOR = {"CIVIC_SUPERVISOR": "sup", "CIVIC_SUPERVISOR_PASSWORD": "secret-pass"}


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def data(result) -> dict:
    return json.loads(ok(result))


def test_walk_through(registry, run_cli, tmp_path):
    created = data(run_cli("nomination", "new", "--title", "2008年7月两轮推荐提名",
                           "-p", "P-XSSJ,P-ANSJ", "--reference-date", "2008-07-04", "--json"))
    assert created == {"nomination": 1, "round": "nomination:1:1"}
    assert "Round 1 (open)" in ok(run_cli("nomination", "list"))
    ok(run_cli("nomination", "roll", "1", str(NOMINATION / "roll-round1.csv")))
    early = run_cli("nomination", "ballots", "import", "1",
                    str(NOMINATION / "ballots-round1.csv"))
    assert early.exit_code == 1 and "close attendance first" in early.output
    closed = data(run_cli("nomination", "attend", "1", "--close", "--json"))
    assert (closed["registered"], closed["present"]) == (12, 11)
    late = run_cli("nomination", "attend", "1", "R1-001", "--absent")
    assert late.exit_code == 1 and "Attendance of round nomination:1:1 is closed" in late.output
    ok(run_cli("nomination", "ballots", "record", "1", "--issued", "11", "--returned", "11"))
    imported = data(run_cli("nomination", "ballots", "import", "1",
                            str(NOMINATION / "ballots-round1.csv"), "--json"))
    assert (imported["ballots"], imported["marks"]) == (11, 21)  # 23 rows, 2 blank
    queue = data(run_cli("nomination", "adjudicate", "1", "--json"))
    assert [(q["position"], q["text"], q["candidates"]) for q in queue] == [
        (XS, "王伟", ["N01", "N02"])]
    assert queue[0]["state"] == "unresolved"  # the code for scripts, words for people:
    assert "waiting for a decision" in ok(run_cli("nomination", "adjudicate", "1"))
    assert "待认定" in ok(run_cli("--lang", "zh_CN", "nomination", "adjudicate", "1"))
    # A ballot deleted: a reason and a supervisor, or nothing happens.
    for args, env, refusal in ((("3",), SUPERVISOR, "Missing option '--reason'"),
                               (("3", "--reason", "重复录入"), {}, "co-signature"),
                               (("99", "--reason", "重复录入"), SUPERVISOR, "No ballot 99")):
        refused = run_cli("nomination", "ballots", "delete", "1", *args, env=env)
        assert refused.exit_code != 0 and refusal in refused.output, refused.output
    kept = data(run_cli("nomination", "ballots", "show", "1", "3", "--json"))
    assert "co-signed by sup" in ok(run_cli("nomination", "ballots", "delete", "1", "3",
                                            "--reason", "重复录入", env=SUPERVISOR))
    # Entered again (the same paper): the walk-through's figures stay those of the examples.
    ok(run_cli("nomination", "ballots", "import", "1",
               str(ballot_file(tmp_path / "again.csv", {3: kept["sections"]}))))
    refused = run_cli("nomination", "certify", "1", env=SUPERVISOR)
    assert refused.exit_code == 1 and "1 marks wait for adjudication" in refused.output
    ok(run_cli("nomination", "adjudicate", "1", "--position", XS, "--written", "王伟",
               "--person", "N01", "--note", "选票注明西山区"))
    count = data(run_cli("nomination", "count", "1", "--round", "1", "--json"))
    assert set(count) == {"nomination", "round", "void", "electors", "ballots", "positions",
                          "irregular"}
    xs = posts(count)[XS]
    assert set(xs) == {"position", "marks", "invalid", "results", "tie_at_cutoff"}
    assert set(xs["marks"]) == {"counted", "blank", "invalid", "unresolved", "duplicate"}
    assert set(xs["results"][0]) == {"person", "name", "votes", "rank", "advances"}
    assert xs["tie_at_cutoff"] == ["N01", "N05", "N06", "N07"]
    text = ok(run_cli("nomination", "count", "1"))
    assert "Tie at the cut-off: N01, N05, N06, N07" in text
    # The count as a spreadsheet: a row per post and candidate, as the JSON ranks them.
    from openpyxl import load_workbook

    ok(run_cli("nomination", "count", "1", "--out", str(tmp_path / "count.xlsx")))
    sheet = [list(r) for r in load_workbook(tmp_path / "count.xlsx").active.iter_rows(
        values_only=True)]
    assert sheet[0] == ["Round", "Post", "Post title", "Rank", "Code", "Name", "Votes",
                        "Goes on"]
    assert [(r[1], r[4], r[6]) for r in sheet[1:] if r[1] == XS] == [
        (XS, r["person"], r["votes"]) for r in xs["results"]]
    revote = data(run_cli("nomination", "revote", "1", "--position", XS, "N05=3", "N06=5",
                          "N07=4", "N01=1", "--json"))
    assert revote == {"advancing": ["N03", "N04", "N06", "N07", "N05"], "tie_at_cutoff": []}
    no_sup = run_cli("nomination", "certify", "1")
    assert no_sup.exit_code == 1 and "co-signature" in no_sup.output
    assert "certified, co-signed by sup" in ok(run_cli("nomination", "certify", "1",
                                                       env=SUPERVISOR))
    changed = run_cli("nomination", "ballots", "delete", "1", "3", "--reason", "重复录入",
                      env=SUPERVISOR)
    assert changed.exit_code == 1 and "certified" in changed.output
    draft = ok(run_cli("nomination", "notice", "1", "--lang", "zh_CN"))
    assert "草稿" in draft and "西山区委书记" in draft
    posted = data(run_cli("nomination", "notice", "1", "--publish", "--on", "2008-07-01",
                          "--json", env=SUPERVISOR))
    assert (posted["status"], posted["ends_on"]) == ("published", "2008-07-08")
    # The CLI's clock is today's: the 2008 period is long over.
    assert "Round 2" in ok(run_cli("nomination", "open-round", "1"))
    ok(run_cli("nomination", "roll", "1", str(NOMINATION / "roll-round2.csv")))
    ok(run_cli("nomination", "attend", "1", "--close"))
    ok(run_cli("nomination", "ballots", "record", "1", "--issued", "8", "--returned", "8"))
    ok(run_cli("nomination", "ballots", "import", "1", str(NOMINATION / "ballots-round2.csv")))
    shown = data(run_cli("nomination", "ballots", "show", "1", "6", "--json"))
    assert shown["sections"] == {XS: ["张勇", "陈敏", "杨林"], AN: ["马林", "马林"]}
    ok(run_cli("nomination", "certify", "1", env=SUPERVISOR))
    # Notice first: the candidates for inspection are posted (考察对象公示) before the reserve.
    assert data(run_cli("nomination", "show", "1", "--json"))["stage"] == "inspection"
    early = run_cli("nomination", "reserve", "1")
    assert early.exit_code == 1 and "nomination notice 1 --round 2" in early.output
    inspection = data(run_cli("nomination", "notice", "1", "--publish", "--on", "2008-07-17",
                              "--json", env=SUPERVISOR))
    assert (inspection["kind"], inspection["subject"]) == ("nomination.inspection",
                                                           "nomination:1:2")
    assert "考察对象的公示" in ok(run_cli("nomination", "notice", "1", "--lang", "zh_CN"))
    unconfirmed = run_cli("nomination", "reserve", "1")
    assert unconfirmed.exit_code == 1 and "not confirmed yet" in unconfirmed.output
    ok(run_cli("notice", "confirm", str(inspection["id"]), env=SUPERVISOR))
    assert data(run_cli("nomination", "reserve", "1", "--json")) == {
        XS: ["N03", "N06"], AN: ["N12", "N10"]}
    overview = data(run_cli("nomination", "show", "1", "--json"))
    assert overview["stage"] == "done"
    assert {(r["position"], r["person"]) for r in overview["reserve"]} == {
        (XS, "N03"), (XS, "N06"), (AN, "N12"), (AN, "N10")}
    assert "Reserve candidates" in ok(run_cli("nomination", "show", "1"))
    assert "Chain verified" in ok(run_cli("audit", "verify"))


def test_quorum_refusal_is_a_message(registry, run_cli, tmp_path):
    ok(run_cli("nomination", "new", "--title", "t", "-p", "P-XSSJ"))
    ok(run_cli("nomination", "roll", "1", str(NOMINATION / "roll-round1.csv")))
    ok(run_cli("nomination", "attend", "1", "R1-001", "R1-002", "R1-003", "R1-004", "R1-005",
               "R1-006", "R1-007", "R1-008", "R1-009", "R1-010", "R1-011", "--absent"))
    ok(run_cli("nomination", "attend", "1", "--close"))
    ok(run_cli("nomination", "ballots", "record", "1", "--issued", "1", "--returned", "1"))
    result = run_cli("nomination", "count", "1")
    assert result.exit_code == 1
    assert "Quorum not met: 0 of 12 registered electors present, 8 needed" in result.output


def test_bad_arguments(registry, run_cli):
    ok(run_cli("nomination", "new", "--title", "t", "-p", "P-XSSJ"))
    for args, message in (
        (("attend", "1"), "Give electors' codes, or --all"),
        (("attend", "1", "--all", "--close"), "--close takes no electors"),
        (("revote", "1", "--position", "P-XSSJ", "N01"), "CODE=VOTES"),
        (("adjudicate", "1", "--written", "王伟"), "Give --position and --written"),
        (("show", "9"), "No nomination 9"),
        (("count", "1", "--round", "2"), "has no round 2"),
    ):
        result = run_cli("nomination", *args)
        assert result.exit_code != 0 and message in result.output, result.output


def test_the_meeting_decides_a_tie(registry, run_cli, tmp_path):
    """--tie-policy meeting: the count says who decides; decide-tie records the department
    meeting's decision (部务会研究决定) with a supervisor's co-signature."""
    ok(run_cli("nomination", "new", "--title", "部务会定", "-p", "P-XSSJ,P-ANSJ",
               "--reference-date", "2008-07-04", "--advance1", "2", "--advance2", "1",
               "--tie-policy", "meeting"))
    roll = tmp_path / "roll.csv"
    roll.write_text("code,name,category\n" + "".join(f"E{i},人{i},代表\n" for i in range(9)),
                    encoding="utf-8")
    ok(run_cli("nomination", "roll", "1", str(roll)))
    ok(run_cli("nomination", "attend", "1", "--all"))
    ok(run_cli("nomination", "attend", "1", "--close"))
    ok(run_cli("nomination", "ballots", "record", "1", "--issued", "9", "--returned", "9"))
    # P-XSSJ, 2 places: 李红 3, then 张勇, 刘涛, 陈敏 with 2 each.
    marks = ["李红"] * 3 + ["张勇", "刘涛", "陈敏"] * 2
    ok(run_cli("nomination", "ballots", "import", "1", str(ballot_file(
        tmp_path / "b.csv", {i: {XS: [m], AN: ["杨林"]} for i, m in enumerate(marks, 1)}))))
    assert "the department's meeting decides (civic nomination decide-tie)" in ok(
        run_cli("nomination", "count", "1"))
    unsigned = run_cli("nomination", "decide-tie", "1", "--position", XS, "--meeting",
                       "2008年7月5日部务会", "N05")
    assert unsigned.exit_code != 0 and "co-signature" in unsigned.output
    decided = data(run_cli("nomination", "decide-tie", "1", "--position", XS, "--meeting",
                           "2008年7月5日部务会", "N05", "--json", env=SUPERVISOR))
    assert decided == {"advancing": ["N03", "N05"]}
    assert "Tie decided by 2008年7月5日部务会" in ok(run_cli("nomination", "count", "1"))


def test_over_marked_ballots_are_said_at_import_and_before_certifying(registry, run_cli,
                                                                       tmp_path):
    """An over-marked section counts for nobody: the import says how many, by post, and the
    certification warns when fewer go on than the round asks for (here 1 of 2 places)."""
    ok(run_cli("nomination", "new", "--title", "多选", "-p", "P-XSSJ,P-ANSJ",
               "--reference-date", "2008-07-04", "--advance1", "2", "--advance2", "1"))
    roll = tmp_path / "roll.csv"
    roll.write_text("code,name,category\n" + "".join(f"E{i},人{i},代表\n" for i in range(6)),
                    encoding="utf-8")
    ok(run_cli("nomination", "roll", "1", str(roll)))
    ok(run_cli("nomination", "attend", "1", "--all"))
    ok(run_cli("nomination", "attend", "1", "--close"))
    ok(run_cli("nomination", "ballots", "record", "1", "--issued", "6", "--returned", "6"))
    # One mark allowed a post: 李红 on two ballots; four ballots mark two names for XS.
    sections = {1: {XS: ["李红"], AN: ["杨林"]}, 2: {XS: ["李红"], AN: ["杨林"]}}
    sections |= {i: {XS: ["张勇", "刘涛"], AN: ["杨林"]} for i in range(3, 7)}
    text = ok(run_cli("nomination", "ballots", "import", "1",
                      str(ballot_file(tmp_path / "b.csv", sections))))
    assert (f"Warning: {XS}: 4 ballots mark more names than allowed; none of their marks for "
            "this post counts.") in text
    assert AN not in text.split("imported.")[1]
    imported = data(run_cli("nomination", "ballots", "import", "1", "--dry-run", "--json",
                            str(ballot_file(tmp_path / "none.csv", {}))))
    assert imported["result"]["over_voted"] == {XS: 4}
    certified = ok(run_cli("nomination", "certify", "1", env=SUPERVISOR))
    assert (f"Warning: {XS}: 1 goes on where the round asks for 2. 8 marks were not counted: "
            "their ballots marked more names than allowed.") in certified
