"""Secret ballots, proven on the schema and on the audit log: nothing links who took part to
what was voted.

Participation is the roll and attendance (`voting_electors`, and any plugin table about
electors, rolls, attendance or participation); ballots are `voting_ballots`, `voting_marks`,
`voting_written` and any plugin table about ballots or marks. Both may point at the round
they belong to; neither may point at the other, directly or through a chain of foreign keys,
share a column that could match one to the other, carry a time or an entry order, or be
joined by a trigger or a view.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic import audit, ballots
from civic.db import migrate, open_db, table_checksums
from civic.errors import CivicError
from civic.office import Office, Operator
from civic.pm import make_plugin_manager

PARTICIPATION_WORDS = ("elector", "roll", "attend", "particip", "voter")
BALLOT_WORDS = ("ballot", "mark", "written")
# Tables both kinds may reference: the round, its posts, and the registry.
SHARED = {"voting_rounds", "voting_posts", "positions", "people", "units", "ranks",
          "education_levels"}
# Columns that would let someone line a ballot up with an elector or with a moment.
LINKING = re.compile(r"elector|voter|person|people|code|name|time|date|created|entered|"
                     r"_at$|_on$|seq_in_roll|present|category", re.I)


@pytest.fixture(scope="module")
def schema(tmp_path_factory, pm):
    db = open_db(tmp_path_factory.mktemp("secrecy") / "office.db")
    migrate(db, pm)  # core and every loaded plugin
    yield db
    db.close()


def _kind(table: str) -> str | None:
    name = table.lower()
    if any(w in name for w in PARTICIPATION_WORDS):
        return "participation"
    if any(w in name for w in BALLOT_WORDS) and name.startswith(("voting_", "nomination_",
                                                                 "election_", "rating_")):
        return "ballot"
    return None


def _groups(db) -> tuple[set[str], set[str]]:
    tables = db.table_names()
    part = {t for t in tables if _kind(t) == "participation"}
    ballots = {t for t in tables if _kind(t) == "ballot"}
    return part, ballots


def test_core_voting_tables_are_classified(schema):
    part, ballots = _groups(schema)
    assert "voting_electors" in part
    assert {"voting_ballots", "voting_marks", "voting_written"} <= ballots


def _references(db, table: str) -> set[str]:
    return {fk.other_table for fk in db[table].foreign_keys}


def _reachable(db, start: str) -> set[str]:
    """Tables reachable from `start` by foreign keys, not passing through shared parents."""
    seen, todo = set(), [start]
    while todo:
        table = todo.pop()
        for other in _references(db, table):
            if other not in seen and other not in SHARED:
                seen.add(other)
                todo.append(other)
    return seen


def test_no_foreign_key_path_between_them(schema):
    part, ballots = _groups(schema)
    for table in part:
        assert not _reachable(schema, table) & ballots, table
    for table in ballots:
        assert not _reachable(schema, table) & part, table
    # Nor does any third table tie one of each together (a join table).
    for table in set(schema.table_names()) - part - ballots:
        refs = _reachable(schema, table)
        assert not (refs & part and refs & ballots), f"{table} links electors to ballots"


def test_ballot_tables_hold_nothing_to_match_an_elector_or_a_moment(schema):
    part, ballots = _groups(schema)
    elector_columns = {c.name for t in part for c in schema[t].columns} - {"id", "round"}
    for table in ballots:
        columns = {c.name for c in schema[table].columns}
        assert not columns & elector_columns, (table, columns & elector_columns)
        assert not [c for c in columns if LINKING.search(c)], (table, columns)


def test_no_index_trigger_or_view_joins_them(schema):
    part, ballots = _groups(schema)
    rows = schema.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                          " WHERE sql IS NOT NULL").fetchall()
    for kind, name, table, sql in rows:
        mentioned = {t for t in part | ballots if re.search(rf"\b{t}\b", sql)}
        if mentioned & part and mentioned & ballots:
            pytest.fail(f"{kind} {name} on {table} names both {sorted(mentioned)}")



# --- the audit log: nothing in it orders an elector against a ballot ----------------------------
# Attendance closes before any ballot is entered (its own audited step), attendance entries name
# nobody, ballot batches carry digests, and a refused step writes nothing, in the log or
# anywhere else. Proven on the core round, by hypothesis over what an attacker might try.

ELECTORS = [f"E{i}" for i in range(1, 7)]
VOTE_POSTS = ("X", "Y")
SUPERVISOR = Operator("sup", "supervisor")
ATTENDANCE_TYPES = {"core.roll_loaded", "core.attendance_recorded"}
BALLOT_TYPES = {"core.ballots_entered", "core.ballot_deleted"}


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])


def _round(pm, folder: Path) -> tuple[Office, ballots.VotingRound]:
    """A round on VOTE_POSTS with ELECTORS on its roll, nobody present, attendance open."""
    db = open_db(":memory:")
    migrate(db, pm)
    office = Office(db, pm, actor=Operator("op", "operator"))
    with office.change() as change:
        vround = ballots.create_round(change, "secret:1:1", "secrecy", VOTE_POSTS)
        ballots.load_roll(change, vround, _roll_file(folder, [(c, "否") for c in ELECTORS]))
    return office, vround


def _roll_file(folder: Path, rows: list[tuple[str, str]]) -> Path:
    path = folder / f"roll-{len(list(folder.iterdir()))}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["编号", "姓名", "出席"])
        out.writerows([code, f"选举人{code}", present] for code, present in rows)
    return path


def _ballot_file(folder: Path, stack: list[tuple[int, dict[str, list[str]]]]) -> Path:
    path = folder / f"ballots-{len(list(folder.iterdir()))}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["ballot", "position", "choice"])
        for number, sections in stack:
            for post in VOTE_POSTS:
                out.writerows([[number, post, t] for t in sections.get(post, [])]
                              or [[number, post, ""]])
    return path


def _apply(office: Office, vround: ballots.VotingRound, folder: Path, op: tuple) -> None:
    """One step an operator (or an attacker at the terminal) may try; CivicError refuses."""
    kind, *args = op
    with office.change() as change:
        if kind == "attend":
            ballots.set_attendance(change, vround, args[0], args[1])
        elif kind == "roll":
            ballots.load_roll(change, vround, _roll_file(folder, args[0]))
        elif kind == "close":
            ballots.close_attendance(change, vround)
        elif kind == "key":
            ballots.enter_ballots(change, vround, args[0], lambda post, text: text)
        elif kind == "import":
            ballots.import_ballots(change, vround, _ballot_file(folder, args[0]),
                                   lambda post, text: text)
        elif kind == "delete":
            ballots.delete_ballot(change, vround, args[0], reason=args[1], cosigner=args[2])


# Small ballot numbers and mostly valid deletions, so that runs reach every kind of entry (at
# 60 examples: about 40% close attendance, 25% enter ballots, 10% delete one).
codes = st.lists(st.sampled_from([*ELECTORS, "E9"]), max_size=4)  # E9 is not on the roll
stacks_st = st.lists(st.tuples(st.integers(1, 6), st.fixed_dictionaries(
    {}, optional={p: st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=2)
                  for p in VOTE_POSTS})), min_size=1, max_size=4)
operations = st.lists(st.one_of(
    st.tuples(st.just("attend"), st.one_of(st.none(), codes), st.booleans()),
    st.tuples(st.just("roll"), st.lists(st.tuples(st.sampled_from(ELECTORS),
                                                  st.sampled_from(["是", "否"])),
                                        max_size=3, unique_by=lambda r: r[0])),
    st.tuples(st.just("close")),
    st.tuples(st.just("key"), stacks_st),
    st.tuples(st.just("import"), stacks_st),
    st.tuples(st.just("delete"), st.integers(1, 6), st.sampled_from(["", "录错", "重复录入"]),
              st.sampled_from([None, SUPERVISOR, SUPERVISOR, Operator("op", "operator")])),
), max_size=16)


def test_the_log_never_orders_electors_against_ballots(core_pm, tmp_path_factory, long_faults):
    @settings(max_examples=300 if long_faults else 60, deadline=None, database=None)
    @given(operations)
    def check(ops):
        folder = tmp_path_factory.mktemp("ops")
        office, vround = _round(core_pm, folder)
        db = office.db
        accepted = []
        for op in ops:
            before, head = table_checksums(db), audit.head(db)
            try:
                _apply(office, vround, folder, op)
            except CivicError:
                # Refused: nothing written, not even a log entry that could be ordered.
                assert (table_checksums(db), audit.head(db)) == (before, head), op
            else:
                accepted.append(op[0])
        log = audit.entries(db, subject=f"round:{vround.key}", newest_first=False)
        # Round created, first roll, then one entry per accepted step: nothing else.
        assert [e.type for e in log[:2]] == ["core.voting_round_created", "core.roll_loaded"]
        assert len(log) == 2 + len(accepted)
        types = [e.type for e in log]
        closed = [i for i, t in enumerate(types) if t == "core.attendance_closed"]
        assert len(closed) <= 1
        cut = closed[0] if closed else len(types)
        # Every attendance entry precedes the closing; every ballot entry follows it.
        assert not set(types[:cut]) & BALLOT_TYPES
        assert not set(types[cut:]) & ATTENDANCE_TYPES
        for entry in log:
            payload = entry.payload
            # No elector is named anywhere (the roll is vouched for by digests).
            assert not [c for c in ELECTORS if re.search(rf"\b{c}\b", payload)], entry
            data = entry.data()
            if entry.type == "core.ballots_entered":
                assert len(data["rows_digest"]) == 64 and "time" not in data
            if entry.type == "core.ballot_deleted":
                # Its content's digest, never its content; a reason; a supervisor's name.
                assert set(data) == {"round", "number", "marks", "reason", "content_digest"}
                assert data["reason"] and entry.cosigner == "sup"
        if closed:  # the closing vouches for the roll as it stands, for good
            data = log[cut].data()
            assert data["attendance_digest"] == ballots.attendance_digest(db, vround)
            assert data["present"] == sum(e["present"] for e in ballots.electors(db, vround))
        db.close()

    check()


def test_ballots_wait_for_attendance_to_close(core_pm, tmp_path):
    office, vround = _round(core_pm, tmp_path)
    _apply(office, vround, tmp_path, ("attend", ["E2"], True))
    before = table_checksums(office.db)
    stack = [(1, {"X": ["甲"]})]
    for op in (("key", stack), ("import", stack)):
        with pytest.raises(CivicError, match="close attendance first"):
            _apply(office, vround, tmp_path, op)
    with pytest.raises(CivicError, match="close attendance first"):
        ballots.figures(office.db, vround)  # nor is a round counted before
    assert table_checksums(office.db) == before
    _apply(office, vround, tmp_path, ("close",))
    _apply(office, vround, tmp_path, ("key", stack))
    assert ballots.ballot(office.db, vround, 1) == {"X": ["甲"], "Y": []}


def test_attendance_is_final_once_closed(core_pm, tmp_path):
    office, vround = _round(core_pm, tmp_path)
    _apply(office, vround, tmp_path, ("attend", ["E1", "E3"], True))
    _apply(office, vround, tmp_path, ("close",))
    before = table_checksums(office.db)
    for op in (("attend", ["E2"], True), ("attend", None, False), ("roll", [("E2", "是")]),
               ("close",)):
        with pytest.raises(CivicError, match="Attendance of round secret:1:1 is closed"):
            _apply(office, vround, tmp_path, op)
    assert table_checksums(office.db) == before
    closing = audit.entries(office.db, type_prefix="core.attendance_closed")[0].data()
    assert (closing["registered"], closing["present"]) == (6, 2)


def test_an_empty_roll_cannot_close(core_pm, tmp_path):
    db = open_db(":memory:")
    migrate(db, core_pm)
    office = Office(db, core_pm)
    with office.change() as change:
        vround = ballots.create_round(change, "secret:2:1", "no roll", VOTE_POSTS)
    with pytest.raises(CivicError, match="no roll of electors"), office.change() as change:
        ballots.close_attendance(change, vround)


def test_attendance_entries_name_nobody(core_pm, tmp_path):
    office, vround = _round(core_pm, tmp_path)
    _apply(office, vround, tmp_path, ("attend", ["E2"], True))  # one elector, at 9:01 ...
    _apply(office, vround, tmp_path, ("attend", ["E5", "E2"], True))
    entries = audit.entries(office.db, type_prefix="core.attendance_recorded",
                            newest_first=False)
    assert [e.data() for e in entries] == [
        {"round": "secret:1:1", "changed": 1, "present": True, "total_present": 1},
        {"round": "secret:1:1", "changed": 1, "present": True, "total_present": 2}]


def test_deleting_a_ballot_needs_a_reason_and_a_supervisor(core_pm, tmp_path):
    office, vround = _round(core_pm, tmp_path)
    _apply(office, vround, tmp_path, ("attend", None, True))
    _apply(office, vround, tmp_path, ("close",))
    _apply(office, vround, tmp_path, ("key", [(1, {"X": ["甲", "乙"]}), (2, {"Y": ["丙"]})]))
    bid = office.db.execute("SELECT id FROM voting_ballots WHERE number = 1").fetchone()[0]
    digest = ballots.ballots_digest(office.db, vround, bid, bid)
    before = table_checksums(office.db)
    for reason, signer, refusal in (
            ("录错", None, "co-signature is needed"),
            ("录错", Operator("op", "operator"), "not a supervisor"),
            ("录错", Operator("op", "supervisor"), "someone other than the operator"),
            ("  ", SUPERVISOR, "Give the reason")):
        with pytest.raises(CivicError, match=refusal):
            _apply(office, vround, tmp_path, ("delete", 1, reason, signer))
    assert table_checksums(office.db) == before
    _apply(office, vround, tmp_path, ("delete", 1, "同一张选票录入两次", SUPERVISOR))
    [entry] = audit.entries(office.db, type_prefix="core.ballot_deleted")
    assert entry.cosigner == "sup" and entry.actor == "op"
    assert entry.data() == {"round": "secret:1:1", "number": 1, "marks": 2,
                            "reason": "同一张选票录入两次", "content_digest": digest}
    assert "甲" not in entry.payload and "乙" not in entry.payload  # its digest, not its content
    assert ballots.ballot(office.db, vround, 1) is None



def test_a_roll_changed_behind_civic_after_closing_is_caught_at_certification(core_pm,
                                                                             tmp_path):
    office, vround = _round(core_pm, tmp_path)
    _apply(office, vround, tmp_path, ("attend", ["E1", "E2", "E3"], True))
    _apply(office, vround, tmp_path, ("close",))
    _apply(office, vround, tmp_path, ("key", [(1, {"X": ["甲"]})]))
    # Someone with the file adds a present elector by hand, to reach the quorum.
    office.db.execute("UPDATE voting_electors SET present = 1 WHERE code = 'E4'")
    with pytest.raises(CivicError, match="changed outside civic"), office.change() as change:
        ballots.lock_round(change, vround)
    office.db.execute("UPDATE voting_electors SET present = 0 WHERE code = 'E4'")
    with office.change() as change:
        ballots.lock_round(change, vround)  # as closed: certified
