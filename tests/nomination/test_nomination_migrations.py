"""m003_meeting_decides upgrades a file in place: m001's CHECK on the tie policy is widened to
the department meeting's (部务会研究决定) by rebuilding nomination_nominations; its rows, the
rounds pointing at it and the foreign keys survive, and the released m001 stays as it was."""

from __future__ import annotations

import sqlite3

import pytest

from civic.db import migrate, open_db
from civic.migrations import core_migrations
from civic.plugins.nomination.migrations import migrations as nomination_migrations
from civic.pm import make_plugin_manager


def test_m003_widens_the_tie_policy_in_place(tmp_path):
    db = open_db(tmp_path / "old.db")
    core_migrations.apply(db.utils)
    nomination_migrations.apply(db.utils, stop_before="m003_meeting_decides")
    # A nomination and its round as a file written before m003 holds them.
    db.execute("INSERT INTO audit_log (id, time, actor, type, subject, payload, prev_hash, hash)"
               " VALUES (1, '2008-07-04T09:00:00+08:00', 'op', 'nomination.created',"
               " 'nomination:1', '{}', 'genesis', 'h1')")
    db.execute("INSERT INTO nomination_nominations (id, title, reference_date, tie_policy,"
               " created_on, audit_id) VALUES (1, '七月推荐', '2008-07-04', 'include',"
               " '2008-07-04', 1)")
    vround = db.execute("INSERT INTO voting_rounds (key, title) VALUES ('nomination:1:1', 't')"
                        ).lastrowid
    db.execute("INSERT INTO nomination_rounds (nomination, round_no, voting_round, opened_on)"
               " VALUES (1, 1, ?, '2008-07-04')", (vround,))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE nomination_nominations SET tie_policy = 'meeting' WHERE id = 1")
    db.conn.commit()

    applied = migrate(db, make_plugin_manager(only=["nomination"]))
    assert "civic.nomination:m003_meeting_decides" in applied
    assert db.execute("SELECT title, tie_policy FROM nomination_nominations").fetchall() == [
        ("七月推荐", "include")]
    db.execute("UPDATE nomination_nominations SET tie_policy = 'meeting' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE nomination_nominations SET tie_policy = 'draw' WHERE id = 1")
    # Foreign keys are on again, and the rounds still point at the rebuilt table.
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    other = db.execute("INSERT INTO voting_rounds (key, title) VALUES ('nomination:9:1', 't')"
                       ).lastrowid
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO nomination_rounds (nomination, round_no, voting_round,"
                   " opened_on) VALUES (9, 1, ?, '2008-07-04')", (other,))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("DELETE FROM nomination_nominations WHERE id = 1")
