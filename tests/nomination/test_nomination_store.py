"""The nomination end to end on a database: rounds, quorum, void rounds, validity, ties,
adjudication, certification, the notice, round 2 and the reserve pool (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import audit, notices
from civic.db import table_checksums
from civic.errors import CivicError, PermissionDenied
from civic.office import Operator
from civic.plugins.nomination import actions, notice, store
from civic.plugins.nomination.rules import CONFERENCE
from civic.registry import reserve_pool

from .conftest import (
    NOMINATION,
    POSTS,
    SUP,
    enter,
    going,
    later,
    posts,
    ready,
    votes,
    write_csv,
)

XS, AN = POSTS


def test_create_opens_round_one(registry):
    nom = actions.create(registry, title="七月推荐", positions=["P-XSSJ", "P-ANSJ", "P-XSSJ"],
                         reference_date=dt.date(2008, 7, 4))
    assert nom.positions == POSTS
    rnd = store.get_round(registry.db, nom)
    assert (rnd.key, rnd.round_no, rnd.status, rnd.vround.positions) == (
        "nomination:1:1", 1, "open", POSTS)
    assert store.stage(registry.db, nom) == "round1"
    types = [e.type for e in audit.entries(registry.db, newest_first=False)][-3:]
    assert types == ["nomination.created", "core.voting_round_created",
                     "nomination.round_opened"]


@pytest.mark.parametrize("kwargs,message", [
    ({"title": " "}, "needs a title"),
    ({"positions": []}, "at least one position"),
    ({"positions": ["NOPE"]}, "No position with code NOPE"),
])
def test_create_refused(registry, kwargs, message):
    args = {"title": "t", "positions": POSTS, "reference_date": dt.date(2008, 7, 4), **kwargs}
    with pytest.raises(CivicError, match=message):
        actions.create(registry, **args)


def test_viewer_may_not_change(registry):
    viewer = registry.as_actor(Operator("view", "viewer"))
    with pytest.raises(PermissionDenied):
        actions.create(viewer, title="t", positions=POSTS, reference_date=dt.date(2008, 7, 4))


# --- validity of marks in the open round (issue 4 steps 4-5), one ballot each -----------------
# (what is written for P-XSSJ, expected figures for that post)
VALIDITY = [
    ("code", ["N03"], {"counted": 1}),
    ("unique name", ["李红"], {"counted": 1}),
    ("name written with a space", ["李 红"], {"counted": 1}),
    ("blank", [], {"blank": 1}),
    ("two names, one allowed: over-vote", ["李红", "张勇"], {"over_vote": 2}),
    ("same person twice counts once", ["李红", "N03"], {"counted": 1, "duplicate": 1}),
    ("name matching nobody", ["无名氏"], {"unknown_name": 1}),
    ("too old on the reference date", ["赵刚"], {"not_eligible": 1}),
    ("too few years at rank", ["周敏"], {"not_eligible": 1}),
    ("several people of that name", ["王伟"], {"unresolved": 1}),
]


@pytest.mark.parametrize("written,expected", [c[1:] for c in VALIDITY],
                         ids=[c[0] for c in VALIDITY])
def test_validity(make, registry, tmp_path, written, expected):
    nom = make(electors=1)
    enter(registry, nom, tmp_path, {1: {XS: written, AN: ["杨林"]}})
    post = posts(store.report(registry.db, nom, store.get_round(registry.db, nom)))
    figures = {**post[XS]["marks"], **post[XS]["invalid"]}
    want = {"counted": 0, "blank": 0, "invalid": sum(v for k, v in expected.items()
                                                      if k in post[XS]["invalid"]),
            "unresolved": 0, "duplicate": 0, "over_vote": 0, "unknown_name": 0,
            "not_eligible": 0, "not_on_slate": 0, **expected}
    assert figures == want
    assert post[AN]["marks"]["counted"] == 1  # the rest of the ballot stays valid


# --- quorum and void rounds (暂行条例 arts. 19-20; issue 4 step 2) -------------------------------
def test_below_quorum_counting_is_refused(make, registry):
    nom = make(electors=12, present=7)  # 2/3 of 12 is 8
    with pytest.raises(CivicError, match="Quorum not met: 7 of 12 .* 8 needed"):
        store.report(registry.db, nom, store.get_round(registry.db, nom))


def test_quorum_setting(make, registry):
    nom = make(electors=12, present=9, quorum="3/4")  # stricter than the office's 2/3: allowed
    assert store.report(registry.db, nom, store.get_round(registry.db, nom))["void"] is False
    with pytest.raises(CivicError, match="below the office's minimum"):  # looser: never
        make(electors=12, present=7, quorum="1/2")


def test_void_round_is_held_again(make, registry, tmp_path):
    nom = make(electors=12, issued=10, returned=11)
    enter(registry, nom, tmp_path, {1: {XS: ["李红"]}})
    rnd = store.get_round(registry.db, nom)
    data = store.report(registry.db, nom, rnd)
    assert data["void"] is True and data["positions"] == []
    with pytest.raises(CivicError, match="the round is\\s+void"):
        actions.certify(registry, nom, rnd, SUP)
    again = actions.open_round(registry, nom, rerun=True)
    assert (again.key, again.attempt, again.status) == ("nomination:1:1:2", 2, "open")
    assert store.rounds(registry.db, nom.id)[0].status == "void"
    people = {p["code"]: p["present"] for p in
              store.ballots.electors(registry.db, again.vround)}
    assert len(people) == 12 and not any(people.values())  # same roll, nobody present yet
    with pytest.raises(CivicError, match="not void"):
        actions.open_round(registry, nom, rerun=True)


# --- ties at the cut-off (暂行条例 art. 21; issue 4 step 5) ------------------------------------
def tied_ballots() -> dict[int, dict[str, list[str]]]:
    """P-XSSJ, 2 places: 李红 3, then 张勇, 刘涛, 陈敏 with 2 each."""
    marks = ["李红"] * 3 + ["张勇", "刘涛", "陈敏"] * 2
    return {i: {XS: [m], AN: ["杨林"]} for i, m in enumerate(marks, 1)}


def test_revote_policy(make, registry, tmp_path):
    nom = make(electors=9, advance=(2, 1))
    enter(registry, nom, tmp_path, tied_ballots())
    rnd = store.get_round(registry.db, nom)
    post = posts(store.report(registry.db, nom, rnd))[XS]
    assert going(post) == {"N03"} and post["tie_at_cutoff"] == ["N04", "N05", "N06"]
    with pytest.raises(CivicError, match="tie at the cut-off"):
        actions.certify(registry, nom, rnd, SUP)
    settled = actions.record_revote(registry, nom, rnd, XS, {"N04": 3, "N05": 5, "N06": 1})
    assert settled.advancing == ("N03", "N05")
    post = posts(store.report(registry.db, nom, rnd))[XS]
    assert going(post) == {"N03", "N05"} and post["tie_at_cutoff"] == []
    assert votes(post)["N05"] == 2  # round votes stay as counted; only ranks change
    with pytest.raises(CivicError, match="no tie"):
        actions.record_revote(registry, nom, rnd, XS, {"N04": 1})


def test_include_policy(make, registry, tmp_path):
    nom = make(electors=9, advance=(2, 1), tie_policy="include")
    enter(registry, nom, tmp_path, tied_ballots())
    post = posts(store.report(registry.db, nom, store.get_round(registry.db, nom)))[XS]
    assert going(post) == {"N03", "N04", "N05", "N06"} and post["tie_at_cutoff"] == []


def test_meeting_policy(make, registry, tmp_path):
    """Tie policy `meeting`: the department's meeting decides between the tied, co-signed; the
    decision and the meeting are in the report and the audit log."""
    nom = make(electors=9, advance=(2, 1), tie_policy="meeting")
    enter(registry, nom, tmp_path, tied_ballots())
    rnd = store.get_round(registry.db, nom)
    assert store.certify_problems(registry.db, nom, rnd) == [
        f"{XS}: a tie at the cut-off among N04, N05, N06; the department's meeting decides "
        "(civic nomination decide-tie)."]
    with pytest.raises(CivicError, match="department's meeting"):
        actions.record_revote(registry, nom, rnd, XS, {"N04": 3})
    with pytest.raises(PermissionDenied, match="co-signature"):
        actions.decide_tie(registry, nom, rnd, XS, ["N05"], meeting="部务会", cosigner=None)
    with pytest.raises(CivicError, match="Name the meeting"):
        actions.decide_tie(registry, nom, rnd, XS, ["N05"], meeting="  ", cosigner=SUP)
    with pytest.raises(CivicError, match="names 1 of the tied"):
        actions.decide_tie(registry, nom, rnd, XS, ["N04", "N05"], meeting="部务会",
                           cosigner=SUP)
    today = registry.today()
    with pytest.raises(CivicError, match="after today"):
        actions.decide_tie(registry, nom, rnd, XS, ["N05"], meeting="部务会", cosigner=SUP,
                           decided_on=today + dt.timedelta(days=1))
    settled = actions.decide_tie(registry, nom, rnd, XS, ["N05"], meeting="2008年7月5日部务会",
                                 cosigner=SUP)
    assert settled.advancing == ("N03", "N05")
    data = store.report(registry.db, nom, rnd)
    assert going(posts(data)[XS]) == {"N03", "N05"} and posts(data)[XS]["tie_at_cutoff"] == []
    assert data["tie_decisions"] == {XS: {"advancing": ["N05"], "meeting": "2008年7月5日部务会",
                                          "decided_on": today.isoformat()}}
    [entry] = audit.entries(registry.db, type_prefix="nomination.tie_decided")
    assert entry.cosigner == "sup" and entry.data()["tied"] == ["N04", "N05", "N06"]
    actions.certify(registry, nom, rnd, SUP)
    with pytest.raises(CivicError, match="certified"):
        actions.decide_tie(registry, nom, store.get_round(registry.db, nom), XS, ["N04"],
                           meeting="部务会", cosigner=SUP)


def test_a_revote_policy_nomination_takes_no_meeting_decision(make, registry, tmp_path):
    nom = make(electors=9, advance=(2, 1))
    enter(registry, nom, tmp_path, tied_ballots())
    with pytest.raises(CivicError, match="not by the department's meeting"):
        actions.decide_tie(registry, nom, store.get_round(registry.db, nom), XS, ["N05"],
                           meeting="部务会", cosigner=SUP)


# --- adjudication (issue 4 step 4): audited, reversible, locked by certification --------------
def test_adjudication(make, registry, tmp_path):
    nom = make(electors=3)
    enter(registry, nom, tmp_path, {1: {XS: ["王伟"]}, 2: {XS: ["王 伟"]}, 3: {XS: ["无名氏"]}})
    rnd = store.get_round(registry.db, nom)
    waiting = store.queue(registry.db, rnd)
    assert [(q["text"], q["state"], q["marks"]) for q in waiting] == [
        ("王 伟", "unresolved", 1), ("王伟", "unresolved", 1)]
    assert [c["code"] for c in store.candidates_for(registry.db, "王伟")] == ["N01", "N02"]
    assert actions.adjudicate(registry, nom, rnd, position=XS, written="王伟", person="N02",
                              note="选票上注明安宁") == 2
    post = posts(store.report(registry.db, nom, rnd))[XS]
    assert votes(post) == {"N02": 2} and post["marks"]["unresolved"] == 0
    entry = audit.entries(registry.db, type_prefix="nomination.write_in", limit=1)[0]
    assert entry.data()["person"] == "N02" and entry.actor == "op"
    actions.adjudicate(registry, nom, rnd, position=XS, written="无名氏", person="N01")
    assert votes(posts(store.report(registry.db, nom, rnd))[XS]) == {"N02": 2, "N01": 1}
    actions.adjudicate(registry, nom, rnd, position=XS, written="王伟", reverse=True)
    post = posts(store.report(registry.db, nom, rnd))[XS]
    assert votes(post) == {"N01": 1} and post["marks"]["unresolved"] == 2
    actions.adjudicate(registry, nom, rnd, position=XS, written="王伟", invalid=True)
    post = posts(store.report(registry.db, nom, rnd))[XS]
    assert post["invalid"]["unknown_name"] == 2
    assert [(q["text"], q["decision"]) for q in store.queue(registry.db, rnd,
                                                             everything=True)] == [
        ("无名氏", "N01"), ("王 伟", "invalid"), ("王伟", "invalid")]


@pytest.mark.parametrize("kwargs,message", [
    ({"written": "王伟"}, "Give one of"),
    ({"written": "王伟", "person": "N01", "invalid": True}, "Give one of"),
    ({"written": "刘德华", "person": "N01"}, "Nobody wrote"),
    ({"written": "王伟", "reverse": True}, "No decision"),
    ({"written": "王伟", "person": "NOBODY"}, "No person with code"),
])
def test_adjudication_refused(make, registry, tmp_path, kwargs, message):
    nom = make(electors=1)
    enter(registry, nom, tmp_path, {1: {XS: ["王伟"]}})
    with pytest.raises(CivicError, match=message):
        actions.adjudicate(registry, nom, store.get_round(registry.db, nom), position=XS,
                           **kwargs)


def test_certification_waits_for_adjudication_and_ballots(make, registry, tmp_path):
    nom = make(electors=3)
    enter(registry, nom, tmp_path, {1: {XS: ["王伟"]}, 2: {XS: ["李红"]}})
    problems = store.certify_problems(registry.db, nom, store.get_round(registry.db, nom))
    assert problems == ["2 ballots entered but 3 returned.", "1 marks wait for adjudication."]


# --- certification: co-signed, locks the round, keeps the report ------------------------------
def run_round_one(registry, tmp_path):
    """The example files: roll, attendance from the file, ballots, one adjudication."""
    nom = actions.create(registry, title="2008年7月两轮推荐提名", positions=POSTS,
                         reference_date=dt.date(2008, 7, 4))
    rnd = store.get_round(registry.db, nom)
    actions.load_roll(registry, rnd, NOMINATION / "roll-round1.csv")
    actions.close_attendance(registry, rnd)
    actions.record_figures(registry, rnd, 11, 11)
    actions.import_ballots(registry, nom, rnd, NOMINATION / "ballots-round1.csv")
    actions.adjudicate(registry, nom, rnd, position=XS, written="王伟", person="N01")
    actions.record_revote(registry, nom, rnd, XS, {"N05": 3, "N06": 5, "N07": 4, "N01": 1})
    return nom, rnd


def test_example_round_one(registry, tmp_path):
    nom, rnd = run_round_one(registry, tmp_path)
    data = store.report(registry.db, nom, rnd)
    assert data["electors"] == {"registered": 12, "present": 11}
    xs, an = posts(data)[XS], posts(data)[AN]
    assert votes(xs) == {"N03": 3, "N04": 2, "N05": 1, "N06": 1, "N07": 1, "N01": 1}
    assert going(xs) == {"N03", "N04", "N05", "N06", "N07"}
    assert xs["invalid"]["not_eligible"] == 1 and xs["marks"]["blank"] == 1
    assert going(an) == {"N07", "N12", "N10", "N11", "N06"}
    assert an["invalid"] == {"over_vote": 2, "unknown_name": 1, "not_eligible": 0,
                             "not_on_slate": 0}


def test_certify(registry, tmp_path):
    nom, rnd = run_round_one(registry, tmp_path)
    with pytest.raises(PermissionDenied, match="co-signature"):
        actions.certify(registry, nom, rnd, None)
    with pytest.raises(PermissionDenied, match="co-signature"):
        actions.certify(registry, nom, rnd, Operator("op2", "operator"))
    head = audit.head(registry.db)[1]
    data = actions.certify(registry, nom, rnd, SUP)
    done = store.get_round(registry.db, nom, 1)
    assert done.status == "certified" and done.vround.locked and done.report == data
    assert done.chain_head == head
    entry = audit.require_entry(registry.db, done.certified_audit)
    assert (entry.type, entry.cosigner) == ("nomination.round_certified", "sup")
    assert entry.data()["report_sha256"] == done.report_sha256
    assert store.stage(registry.db, nom) == "notice"
    # A certified round refuses changes, and writes nothing trying.
    before = table_checksums(registry.db)
    for step in (
        lambda: actions.import_ballots(registry, nom, done, NOMINATION / "ballots-round1.csv"),
        lambda: actions.adjudicate(registry, nom, done, position=XS, written="王伟",
                                   reverse=True),
        lambda: actions.record_revote(registry, nom, done, XS, {"N05": 1}),
        lambda: actions.record_figures(registry, done, 1, 1),
        lambda: actions.attend(registry, done, None),
        lambda: actions.delete_ballot(registry, done, 1, reason="录错", cosigner=SUP),
        lambda: actions.close_attendance(registry, done),
        lambda: actions.certify(registry, nom, done, SUP),
    ):
        with pytest.raises(CivicError, match="certified"):
            step()
    assert table_checksums(registry.db) == before


# --- the notice, round 2, the reserve pool (issue 4 steps 7-8) --------------------------------
def test_notice_round_two_and_reserve(registry, tmp_path):
    nom, rnd = run_round_one(registry, tmp_path)
    actions.certify(registry, nom, rnd, SUP)
    with pytest.raises(CivicError, match="No notice for nomination:1:1 has been published"):
        actions.open_round(registry, nom)
    drafted = notice.draft(registry, nom)
    assert drafted.subject == "nomination:1:1" and drafted.status == "draft"
    text = notices.render(registry, drafted, lang="zh_CN")
    assert "1. 西山区委书记（西山区）" in text
    # Surname stroke order: 刘 6, then 李 杨 张 陈 with 7 each, by their strokes in order:
    # 李 1234521 before 杨 1234533 (sixth stroke 竖 before 撇); 张 5153154 and 陈 5215234
    # begin with 折.
    names = [line.split("|")[2].strip() for line in text.splitlines()
             if line.startswith("| ") and line.split("|")[2].strip() not in ("姓名", "---")]
    assert names[:5] == ["刘涛", "李红", "杨林", "张勇", "陈敏"]
    with pytest.raises(CivicError, match="has notice"):
        notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 7, 1))  # ends 8 July
    objection = notices.record_objection(registry, drafted.id, channel="letter",
                                         content="反映问题")
    after = later(registry, dt.date(2008, 7, 9))
    with pytest.raises(CivicError, match="1 objection is not resolved"):
        actions.open_round(after, nom)
    notices.resolve_objection(after, objection, handling="经核查不属实")
    in_period = later(registry, dt.date(2008, 7, 8))
    with pytest.raises(CivicError, match="period runs until 2008-07-08"):
        actions.open_round(in_period, nom)
    second = actions.open_round(after, nom)
    assert (second.key, second.round_no) == ("nomination:1:2", 2)
    assert store.stage(registry.db, nom) == "round2"
    actions.load_roll(after, second, NOMINATION / "roll-round2.csv")
    actions.close_attendance(after, second)
    actions.record_figures(after, second, 8, 8)
    actions.import_ballots(after, nom, second, NOMINATION / "ballots-round2.csv")
    data = store.report(registry.db, nom, second)
    xs, an = posts(data)[XS], posts(data)[AN]
    assert data["electors"] == {"registered": 9, "present": 8}
    assert votes(xs) == {"N03": 5, "N06": 4, "N04": 1, "N05": 1, "N07": 0}
    assert xs["invalid"]["not_on_slate"] == 1 and xs["invalid"]["over_vote"] == 3
    assert going(xs) == {"N03", "N06"} and going(an) == {"N12", "N10"}
    assert an["marks"]["duplicate"] == 1 and an["marks"]["blank"] == 1
    with pytest.raises(CivicError, match="not on the slate"):
        actions.adjudicate(after, nom, second, position=XS, written="王伟", person="N02")
    actions.certify(after, nom, second, SUP)
    # Notice first (nomination.notice_first, default 1): round 2's names are posted as the
    # candidates for inspection (考察对象公示) and become reserve candidates only once that
    # notice is confirmed.
    assert reserve_pool(registry.db, basis_kind="nomination") == []
    assert store.stage(registry.db, nom) == "inspection"
    with pytest.raises(CivicError, match="考察对象公示"):
        actions.name_reserve(after, nom)
    inspection = notice.draft(after, nom, CONFERENCE)
    assert (inspection.kind, inspection.subject) == ("nomination.inspection", "nomination:1:2")
    text = notices.render(after, inspection, lang="zh_CN")
    assert "关于西山区委书记等2个正县级领导职位考察对象的公示" in text
    assert "得票" not in text  # the inspection list names, never counts
    notice.publish(after, nom, SUP, on=dt.date(2008, 7, 9), round_no=CONFERENCE)  # to 16 July
    with pytest.raises(CivicError, match="not confirmed yet"):
        actions.name_reserve(later(registry, dt.date(2008, 7, 16)), nom)
    done = later(registry, dt.date(2008, 7, 17))
    notices.confirm(done, inspection.id, cosigner=SUP)
    assert actions.name_reserve(done, nom) == {XS: ["N03", "N06"], AN: ["N12", "N10"]}
    pool = {(r["position"], r["person"]) for r in reserve_pool(registry.db,
                                                               basis_kind="nomination")}
    assert pool == {(XS, "N03"), (XS, "N06"), (AN, "N12"), (AN, "N10")}
    assert {r["basis_ref"] for r in store.reserve(registry.db, nom)} == {"1"}
    assert {r["added_on"] for r in store.reserve(registry.db, nom)} == {"2008-07-17"}
    assert store.stage(registry.db, nom) == "done"
    with pytest.raises(CivicError, match="named already"):
        actions.name_reserve(done, nom)
    assert audit.verify(registry.db).ok


def test_reserve_at_certification_when_the_office_says_so(registry, tmp_path):
    """nomination.notice_first 0: the office names the reserve when round 2 is certified."""
    notices.set_setting(registry, "nomination.notice_first", "0", cosigner=SUP)
    nom, rnd = run_round_one(registry, tmp_path)
    actions.certify(registry, nom, rnd, SUP)
    notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 7, 1))
    after = later(registry, dt.date(2008, 7, 9))
    second = actions.open_round(after, nom)
    actions.load_roll(after, second, NOMINATION / "roll-round2.csv")
    actions.close_attendance(after, second)
    actions.record_figures(after, second, 8, 8)
    actions.import_ballots(after, nom, second, NOMINATION / "ballots-round2.csv")
    actions.certify(after, nom, second, SUP)
    assert len(store.reserve(registry.db, nom)) == 4
    assert store.stage(registry.db, nom) == "done"
    [named] = audit.entries(registry.db, type_prefix="nomination.reserve_named")
    assert named.data()["notice"] is None


def test_round_two_needs_round_one_certified(make, registry):
    nom = make()
    with pytest.raises(CivicError, match="Certify round 1"):
        actions.open_round(registry, nom)


def test_roll_for_round_two_is_a_new_body(registry, tmp_path):
    nom, rnd = run_round_one(registry, tmp_path)
    actions.certify(registry, nom, rnd, SUP)
    notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 7, 1))
    second = actions.open_round(later(registry, dt.date(2008, 7, 9)), nom)
    assert store.ballots.electors(registry.db, second.vround) == []
    ready(registry, nom, tmp_path, electors=4)
    assert len(store.ballots.electors(registry.db, second.vround)) == 4
    assert len(store.ballots.electors(registry.db, rnd.vround)) == 12


def test_workflows(make, registry):
    from civic.plugins.nomination.workflows import open_workflows

    make()
    [flow] = open_workflows(registry.db)
    assert (flow.plugin, flow.ref, flow.mode) == ("nomination", "1", "nomination")
    assert flow.state == "Round 1 (open): roll, ballots, count"


def test_roll_file_with_problems_writes_nothing(make, registry, tmp_path):
    nom = make(close=False)
    before = table_checksums(registry.db)
    bad = write_csv(tmp_path / "bad.csv", ["code", "name"], [["E1", ""], ["E2", "乙"]])
    with pytest.raises(CivicError, match="a value is required"):
        actions.load_roll(registry, store.get_round(registry.db, nom), bad)
    assert table_checksums(registry.db) == before


# --- on core's ballot model (m006_ballot_model) -------------------------------------------------
def test_rounds_are_chained_name_contests(registry, tmp_path):
    """Each post is a name-choice contest whose seats are the names going on (5, then 2);
    round 2 lists its slate in rank order and continues round 1; a re-run continues the void
    round with the same contests."""
    from civic.contests import contests
    from civic.tally import NAMES, Contest

    nom, first = run_round_one(registry, tmp_path)
    assert contests(registry.db, first.vround) == (Contest(XS, 5, (), NAMES),
                                                  Contest(AN, 5, (), NAMES))
    assert (first.vround.kind, first.vround.parent) == ("first", None)
    actions.certify(registry, nom, first, SUP)
    notice.draft(registry, nom)
    notice.publish(registry, nom, SUP, on=dt.date(2008, 7, 1))
    after = later(registry, dt.date(2008, 7, 9))
    second = actions.open_round(after, nom)
    assert (second.vround.kind, second.vround.parent) == ("next", first.vround.id)
    certified = store.get_round(registry.db, nom, 1).report
    slate = {p["position"]: tuple(r["person"] for r in p["results"] if r["advances"])
             for p in certified["positions"]}
    assert contests(registry.db, second.vround) == (Contest(XS, 2, slate[XS], NAMES),
                                                   Contest(AN, 2, slate[AN], NAMES))
    actions.load_roll(after, second, NOMINATION / "roll-round2.csv")
    actions.record_figures(after, second, 8, 9)  # more returned than issued: void
    again = actions.open_round(after, nom, rerun=True)
    assert (again.vround.kind, again.vround.parent) == ("revote", second.vround.id)
    assert contests(registry.db, again.vround) == contests(registry.db, second.vround)
