"""The schema of a blank database, after core's migrations and every plugin's."""

from __future__ import annotations

import sqlite3

import pytest

from civic.db import migrate, open_db
from civic.pm import make_plugin_manager

CORE_TABLES = {"ranks", "education_levels", "units", "positions", "people", "operators",
               "audit_log", "appointments", "reserve_pool", "notices", "notice_objections"}


def test_blank_database_schema(tmp_path):
    db = open_db(tmp_path / "blank.db")
    applied = migrate(db, make_plugin_manager(only=[]))
    assert applied[0] == "civic.core:m001_registry"
    assert CORE_TABLES <= set(db.table_names())
    assert set(db["people"].columns_dict) >= {
        "code", "name", "gender", "birth_date", "ethnicity", "native_place", "party",
        "party_joined", "education", "work_start", "rank", "rank_since", "unit", "position",
        "status", "tags", "id_number"}
    assert set(db["positions"].columns_dict) >= {
        "code", "title", "unit", "rank_level", "headcount", "min_rank", "min_years_in_rank",
        "max_age", "min_education", "party_required", "notes"}
    assert [r["code"] for r in db.query("SELECT code FROM ranks ORDER BY level")] == [
        "clerk", "deputy_section", "section", "deputy_division", "division", "deputy_bureau",
        "bureau"]
    assert [r["name_zh"] for r in db.query("SELECT name_zh FROM education_levels"
                                           " ORDER BY level")] == ["高中", "大专", "本科", "硕士",
                                                                   "博士"]
    triggers = {t.name for t in db.triggers}
    assert {"audit_log_no_update", "audit_log_no_delete"} <= triggers


def test_pragmas(tmp_path):
    db = open_db(tmp_path / "p.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrating_twice_applies_nothing(tmp_path, pm):
    db = open_db(tmp_path / "m.db")
    first = migrate(db, pm)
    assert first and migrate(db, pm) == []


def test_foreign_keys_are_enforced(tmp_path):
    db = open_db(tmp_path / "fk.db")
    migrate(db, make_plugin_manager(only=[]))
    try:
        db.execute("INSERT INTO people (code, name, unit) VALUES ('A', 'a', 'NOPE')")
    except sqlite3.IntegrityError:
        return
    raise AssertionError("a person in an unknown unit was accepted")


def test_m006_upgrades_a_file_with_ballots_in_place(tmp_path, pm, monkeypatch):
    """A file whose ballots were entered before m006_ballot_model (schema and writer as then)
    counts the same after the upgrade, keeps its digests, and its locked round stays locked."""
    from civic import ballots
    from civic.migrations import core_migrations
    from civic.voting import CountRules, Invalid, Unresolved

    db = open_db(tmp_path / "old.db")
    core_migrations.apply(db.utils, stop_before="m006_ballot_model")
    assert "kind" not in db["voting_rounds"].columns_dict
    rid = db.execute("INSERT INTO voting_rounds (key, title) VALUES ('n:1:1', 'old')").lastrowid
    db.conn.executemany("INSERT INTO voting_posts (round, position, seq) VALUES (?, ?, ?)",
                        [(rid, "X", 1), (rid, "Y", 2)])
    old = ballots.VotingRound(rid, "n:1:1", "old", "open", 3, 3, ("X", "Y"))
    meaning = {"A": "A", "B": "B", "u": Unresolved("u"), "z": Invalid("unknown_name", "z")}
    # Written as then: before ballots waited for attendance to close.
    monkeypatch.setattr(ballots, "require_attendance_closed", lambda _db, _round: None)
    writer = ballots.BallotWriter(db, old, lambda _post, text: meaning[text])
    writer.add(1, [("X", "A"), ("Y", "B"), ("Y", "u")])
    writer.add(2, [("X", "A"), ("X", "B"), ("Y", "z")])
    writer.add(3, [("X", "B")])
    entered = writer.close()
    rules = CountRules(places=1)
    before = ballots.count(db, old, rules)
    written = db.execute("SELECT id, position, text, mark_key FROM voting_written"
                         " ORDER BY id").fetchall()
    db.execute("UPDATE voting_rounds SET status = 'locked' WHERE id = ?", (rid,))
    db.conn.commit()

    applied = migrate(db, pm)
    assert "civic.core:m006_ballot_model" in applied
    vround = ballots.get_round(db, "n:1:1")
    assert (vround.kind, vround.parent, vround.locked) == ("first", None, True)
    assert ballots.count(db, vround, rules) == before
    assert ballots.ballots_digest(db, vround) == entered["rows_digest"]
    assert db.execute("SELECT id, position, text, mark_key FROM voting_written"
                      " ORDER BY id").fetchall() == written
    assert {r[0] for r in db.execute("SELECT value FROM voting_written")} == {"choice"}
    with pytest.raises(sqlite3.DatabaseError, match="locked"):
        db.execute("UPDATE voting_written SET mark_key = '=B' WHERE round = ?", (rid,))
