"""Tampering with ballot rows, caught at the audit entry that vouches for them.

Ballots are audited per batch (one entry per file or keyed stack, never per ballot): each
`core.ballots_entered` entry holds a digest of its ballots' rows. hypothesis re-points, deletes,
adds, renumbers or swaps marks and ballots, or edits a written name, directly in the file; the
first batch entry whose digest no longer matches the stored rows must be the one holding the
first ballot touched. (`civic audit verify` checks the chain of entries; this is the check of
the rows behind them, built from `civic.ballots.ballots_digest`.)
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3

import pytest
import sqlite_utils
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from civic import ballots
from civic.errors import CivicError

POSTS = ["POS1", "POS2", "POS3"]
BATCHES = 4
PER_BATCH = 12


@pytest.fixture(scope="module")
def round_bytes(tmp_path_factory, pm, office_builder) -> bytes:
    folder = tmp_path_factory.mktemp("ballots")
    office = office_builder(folder / "office.db", pm)
    roll = folder / "roll.csv"
    roll.write_text("code,name,present\n" + "".join(
        f"E{e},选举人{e},1\n" for e in range(BATCHES * PER_BATCH)), encoding="utf-8")
    with office.change() as change:
        vround = ballots.create_round(change, "tamper:1:1", "tamper test", POSTS)
        ballots.load_roll(change, vround, roll)
        ballots.close_attendance(change, vround)  # ballots are entered only after it
    rng = random.Random(6)
    for batch in range(BATCHES):
        path = folder / f"batch{batch}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["ballot", "position", "choice"])
            for n in range(batch * PER_BATCH + 1, (batch + 1) * PER_BATCH + 1):
                for post in POSTS:
                    for _mark in range(rng.choice((1, 1, 2))):
                        out.writerow([n, post, f"{post}-{rng.randrange(5)}"])
        with office.change() as change:
            ballots.import_ballots(change, vround, path, lambda post, text: text)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(office.db.conn.serialize())
    office.db.close()
    data[18:20] = b"\x01\x01"  # an in-memory copy cannot use WAL
    return bytes(data)


def _open(data: bytes) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    return conn


def first_bad_batch(conn: sqlite3.Connection) -> int | None:
    """The audit id of the first batch whose rows no longer match its digest."""
    db = sqlite_utils.Database(conn, execute_plugins=False)
    vround = ballots.get_round(db, "tamper:1:1")
    for entry, payload in conn.execute("SELECT id, payload FROM audit_log WHERE type ="
                                       " 'core.ballots_entered' ORDER BY id"):
        batch = json.loads(payload)
        try:
            now = ballots.ballots_digest(db, vround, batch["first_ballot"],
                                         batch["last_ballot"])
        except CivicError:
            return entry  # a mark lost its ballot or text: changed outside civic
        if now != batch["rows_digest"]:
            return entry
    return None


def _batch_of(conn: sqlite3.Connection, ballot_id: int) -> int:
    for entry, payload in conn.execute("SELECT id, payload FROM audit_log WHERE type ="
                                       " 'core.ballots_entered' ORDER BY id"):
        batch = json.loads(payload)
        if batch["first_ballot"] <= ballot_id <= batch["last_ballot"]:
            return entry
    raise AssertionError(f"no batch holds ballot {ballot_id}")


def test_untouched_ballots_match_their_entries(round_bytes):
    assert first_bad_batch(_open(round_bytes)) is None


def _marks(conn) -> tuple[list[str], list[tuple]]:
    """The marks table's columns and rows, whatever its packing (it is tuned for speed)."""
    columns = [r[1] for r in conn.execute("PRAGMA table_info(voting_marks)")]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM voting_marks"
                        " ORDER BY ballot, seq").fetchall()
    return columns, rows


TAMPERS = ("repoint", "delete-mark", "add-mark", "delete-ballot", "renumber", "swap",
           "edit-written")


def test_tampered_ballot_rows_are_caught_at_their_batch(round_bytes, long_faults):
    @settings(max_examples=300 if long_faults else 60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(data=st.data())
    def run(data):
        conn = _open(round_bytes)
        columns, marks = _marks(conn)
        kind = data.draw(st.sampled_from(TAMPERS), label="tamper")
        pick = data.draw(st.integers(0, len(marks) - 1), label="mark")
        row = dict(zip(columns, marks[pick], strict=True))
        written, ballot = row["written"], row["ballot"]
        key = " AND ".join(f"{c} = ?" for c in columns)
        params = marks[pick]
        touched = [ballot]
        try:
            if kind == "repoint":  # the mark now names someone else written for that post
                others = [w for (w,) in conn.execute(
                    "SELECT id FROM voting_written WHERE position = (SELECT position FROM"
                    " voting_written WHERE id = ?) AND id != ?", (written, written))]
                assume(others)
                new = data.draw(st.sampled_from(others), label="to")
                conn.execute(f"UPDATE voting_marks SET written = ? WHERE {key}", (new, *params))
            elif kind == "delete-mark":
                conn.execute(f"DELETE FROM voting_marks WHERE {key}", params)
            elif kind == "add-mark":  # a stuffed mark on an existing ballot
                stuffed = {**row, "seq": 999}
                conn.execute(f"INSERT INTO voting_marks ({', '.join(columns)}) VALUES"
                             f" ({', '.join('?' for _c in columns)})",
                             [stuffed[c] for c in columns])
            elif kind == "delete-ballot":
                conn.execute("DELETE FROM voting_marks WHERE ballot = ?", (ballot,))
                conn.execute("DELETE FROM voting_ballots WHERE id = ?", (ballot,))
            elif kind == "renumber":
                conn.execute("UPDATE voting_ballots SET number = number + 10000 WHERE id = ?",
                             (ballot,))
            elif kind == "swap":  # two ballots trade one mark each
                other = marks[data.draw(st.integers(0, len(marks) - 1), label="other")]
                theirs = dict(zip(columns, other, strict=True))
                assume(theirs["ballot"] != ballot and theirs["written"] != written)
                conn.execute(f"UPDATE voting_marks SET written = ? WHERE {key}",
                             (theirs["written"], *params))
                conn.execute(f"UPDATE voting_marks SET written = ? WHERE {key}",
                             (written, *other))
                touched.append(theirs["ballot"])
            else:  # the text of a written name, shared by every mark that wrote it
                conn.execute("UPDATE voting_written SET text = text || 'x' WHERE id = ?",
                             (written,))
                touched = [b for (b,) in conn.execute(
                    "SELECT ballot FROM voting_marks WHERE written = ?", (written,))]
        except sqlite3.IntegrityError:
            assume(False)  # the edit collides with a row that exists: not a possible edit
        expected = min(_batch_of(conn, b) for b in touched)
        assert first_bad_batch(conn) == expected, kind

    run()
