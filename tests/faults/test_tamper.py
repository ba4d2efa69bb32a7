"""Tampering with the audit log, as someone with the file and a hex editor or sqlite3 would.

hypothesis flips a byte, edits a column, deletes, swaps or truncates rows; `audit.verify`
must name the first changed entry. Cutting the newest entries and rewriting the whole chain
leave a log that verifies on its own; a signed checkpoint kept outside the file catches them.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic import audit
from civic import checkpoint as cpt
from civic.events import AccessRefused, SettingChanged

COLUMNS = ("time", "actor", "cosigner", "type", "subject", "payload", "prev_hash", "hash")
TEXT_COLUMNS = ("time", "actor", "type", "subject", "payload", "prev_hash", "hash")


@pytest.fixture(scope="module")
def chain_bytes(tmp_path_factory, pm, office_builder) -> bytes:
    """A log of ~25 varied entries (imports, operators, refusals, co-signed settings), as a
    serialized database so each example starts from a fresh in-memory copy."""
    path = tmp_path_factory.mktemp("tamper") / "chain.db"
    office = office_builder(path, pm)
    for i in range(8):
        # Resets (value None, no row): the settings table agrees with the log however it is cut.
        office.record(SettingChanged(key=f"k{i}", value=None, old="值" * i),
                      cosigner="sup" if i % 3 == 0 else None)
        office.record(AccessRefused(name="view", action="import", reason=f"why {i}"))
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(office.db.conn.serialize())
    office.db.close()
    data[18:20] = b"\x01\x01"  # rollback-journal format: an in-memory copy cannot use WAL
    return bytes(data)


def _open(data: bytes) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(data)
    # The attacker edits the file directly; the append-only triggers do not bind them.
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def _verify(conn: sqlite3.Connection) -> audit.VerifyResult:
    return audit.verify(sqlite_utils.Database(conn, execute_plugins=False))


def _size(conn) -> int:
    return conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]


def _settings(long: bool, n: int):
    return settings(max_examples=n * 5 if long else n, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_untouched_chain_verifies(chain_bytes):
    result = _verify(_open(chain_bytes))
    assert result.ok and result.entries >= 20


def test_flipped_byte_is_caught_at_its_entry(chain_bytes, long_faults):
    @_settings(long_faults, 120)
    @given(data=st.data())
    def run(data):
        conn = _open(chain_bytes)
        entry = data.draw(st.integers(1, _size(conn)), label="entry")
        column = data.draw(st.sampled_from(TEXT_COLUMNS), label="column")
        raw = conn.execute(f"SELECT CAST([{column}] AS BLOB) FROM audit_log WHERE id = ?",
                           (entry,)).fetchone()[0]
        at = data.draw(st.integers(0, len(raw) - 1), label="byte")
        bit = data.draw(st.integers(0, 7), label="bit")
        flipped = bytearray(raw)
        flipped[at] ^= 1 << bit
        # Stored as TEXT whatever the bytes: a flip may leave text that is not UTF-8.
        conn.execute(f"UPDATE audit_log SET [{column}] = CAST(? AS TEXT) WHERE id = ?",
                     (bytes(flipped), entry))
        result = _verify(conn)
        assert not result.ok and result.broken_at == entry, (column, at, bit, result)

    run()


def test_edited_column_is_caught_at_its_entry(chain_bytes, long_faults):
    @_settings(long_faults, 120)
    @given(data=st.data())
    def run(data):
        conn = _open(chain_bytes)
        entry = data.draw(st.integers(1, _size(conn)), label="entry")
        column = data.draw(st.sampled_from(COLUMNS), label="column")
        old = conn.execute(f"SELECT [{column}] FROM audit_log WHERE id = ?",
                           (entry,)).fetchone()[0]
        new = data.draw(st.one_of(st.text(max_size=40), st.integers(-2**63, 2**63 - 1), st.none())
                        if column == "cosigner" else st.text(max_size=40), label="new")
        # NULL and '' both mean "no co-signer" and hash alike: not a change of meaning.
        same = (new == old or (column == "cosigner" and not new and not old)
                or str(new) == old)
        if same:
            return
        conn.execute(f"UPDATE audit_log SET [{column}] = ? WHERE id = ?", (new, entry))
        result = _verify(conn)
        assert not result.ok and result.broken_at == entry, (column, new, result)

    run()


def test_deleted_row_is_caught_where_it_was(chain_bytes, long_faults):
    @_settings(long_faults, 40)
    @given(data=st.data())
    def run(data):
        conn = _open(chain_bytes)
        last = _size(conn)
        entry = data.draw(st.integers(1, last - 1), label="entry")  # the last: truncation
        conn.execute("DELETE FROM audit_log WHERE id = ?", (entry,))
        result = _verify(conn)
        assert not result.ok and result.broken_at == entry

    run()


def test_swapped_rows_are_caught_at_the_first(chain_bytes, long_faults):
    @_settings(long_faults, 60)
    @given(data=st.data())
    def run(data):
        conn = _open(chain_bytes)
        last = _size(conn)
        a = data.draw(st.integers(1, last - 1), label="a")
        b = data.draw(st.integers(a + 1, last), label="b")
        swap_ids = data.draw(st.booleans(), label="renumber")
        if swap_ids:  # the rows trade places and numbers: ids stay 1..n
            conn.execute("UPDATE audit_log SET id = -1 WHERE id = ?", (a,))
            conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (a, b))
            conn.execute("UPDATE audit_log SET id = ? WHERE id = -1", (b,))
        else:  # contents trade places under the same ids
            cols = ", ".join(COLUMNS)
            row_a = conn.execute(f"SELECT {cols} FROM audit_log WHERE id = ?", (a,)).fetchone()
            row_b = conn.execute(f"SELECT {cols} FROM audit_log WHERE id = ?", (b,)).fetchone()
            sets = ", ".join(f"{c} = ?" for c in COLUMNS)
            conn.execute("UPDATE audit_log SET prev_hash = 'x' || id WHERE id IN (?, ?)", (a, b))
            conn.execute(f"UPDATE audit_log SET {sets} WHERE id = ?", (*row_b, a))
            conn.execute(f"UPDATE audit_log SET {sets} WHERE id = ?", (*row_a, b))
        result = _verify(conn)
        assert not result.ok and result.broken_at == a

    run()


def test_truncation_verifies_alone_but_fails_the_checkpoint(chain_bytes, long_faults, tmp_path):
    key = tmp_path / "office.key"
    cpt.create_key(key, "a long passphrase")
    private = cpt.load_private_key(key, "a long passphrase")
    public = cpt.load_public_key(cpt.public_path(key))
    conn = _open(chain_bytes)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    entry, head = audit.head(db)
    checkpoint = cpt.sign(private, entry, head, "2008-07-01T09:00:00+08:00")
    assert cpt.check(db, checkpoint, public).ok

    @_settings(long_faults, 20)
    @given(cut=st.integers(1, entry - 1))
    def run(cut):
        conn = _open(chain_bytes)
        conn.execute("DELETE FROM audit_log WHERE id > ?", (entry - cut,))
        db = sqlite_utils.Database(conn, execute_plugins=False)
        # A cut log is a valid shorter chain (though a cut that drops the entries vouching for
        # an operator or a setting leaves that row unvouched, which verify also reports) ...
        assert audit.verify(db).broken_at is None
        result = cpt.check(db, checkpoint, public)  # ... but not the one that was signed
        assert not result.ok and "gone" in result.reason

    run()


def _rewrite_from(conn: sqlite3.Connection, start: int) -> None:
    """Recompute every hash from `start` on, as a forger who knows the scheme would."""
    rows = conn.execute(
        "SELECT id, time, actor, cosigner, type, subject, payload FROM audit_log"
        " WHERE id >= ? ORDER BY id", (start,)).fetchall()
    prev = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (start - 1,)).fetchone()
    prev_hash = prev[0] if prev else audit.GENESIS
    conn.execute("UPDATE audit_log SET prev_hash = 'tmp' || id, hash = '' WHERE id >= ?",
                 (start,))  # prev_hash is UNIQUE: clear the old values first
    for id_, time, actor, cosigner, type_, subject, payload in rows:
        new = audit.entry_hash(prev_hash, id_, time, actor, cosigner, type_, subject, payload)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev_hash, new, id_))
        prev_hash = new


def test_whole_chain_rewrite_verifies_alone_but_fails_the_checkpoint(chain_bytes, tmp_path,
                                                                     long_faults):
    key = tmp_path / "office.key"
    cpt.create_key(key, "a long passphrase")
    private = cpt.load_private_key(key, "a long passphrase")
    public = cpt.load_public_key(cpt.public_path(key))
    db = sqlite_utils.Database(_open(chain_bytes), execute_plugins=False)
    entry, head = audit.head(db)
    checkpoint = cpt.sign(private, entry, head, "2008-07-01T09:00:00+08:00")

    @_settings(long_faults, 30)
    @given(data=st.data())
    def run(data):
        conn = _open(chain_bytes)
        target = data.draw(st.integers(1, entry), label="entry")
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE id = ?", (target,))
        _rewrite_from(conn, target)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        assert audit.verify(db).ok  # every hash recomputed: the chain alone cannot tell
        result = cpt.check(db, checkpoint, public)
        assert not result.ok and "rewritten" in result.reason

    run()


def test_checkpoint_from_another_key_or_edited_is_refused(chain_bytes, tmp_path):
    db = sqlite_utils.Database(_open(chain_bytes), execute_plugins=False)
    entry, head = audit.head(db)
    cpt.create_key(tmp_path / "office.key", "a long passphrase")
    cpt.create_key(tmp_path / "forger.key", "another passphrase")
    office_public = cpt.load_public_key(tmp_path / "office.key.pub")
    forged = cpt.sign(cpt.load_private_key(tmp_path / "forger.key", "another passphrase"),
                      entry, head, "2008-07-01T09:00:00+08:00")
    assert not cpt.check(db, forged, office_public).ok
    genuine = cpt.sign(cpt.load_private_key(tmp_path / "office.key", "a long passphrase"),
                       entry, head, "2008-07-01T09:00:00+08:00")
    edited = cpt.Checkpoint(entry - 1, genuine.head, genuine.time, genuine.key_id,
                            genuine.signature)
    result = cpt.check(db, edited, office_public)
    assert not result.ok and "signature" in result.reason
    with pytest.raises(cpt.CivicError, match="passphrase"):
        cpt.load_private_key(tmp_path / "office.key", "wrong passphrase")


def test_checkpoint_commands_catch_truncation(copy_office, run_cli, tmp_path, monkeypatch):
    """The same through the CLI: sign, cut the file's newest entries, check, exit 1."""
    live = copy_office("live.db")
    monkeypatch.setenv("CIVIC_CHECKPOINT_PASSPHRASE", "a long passphrase")
    key = tmp_path / "keys" / "office.key"
    out = tmp_path / "cp.json"
    made = run_cli("--db", str(live), "audit", "checkpoint", "--key", str(key), "-o", str(out))
    assert made.exit_code == 0, made.output
    held = run_cli("--db", str(live), "audit", "check-checkpoint", str(out), "--key", str(key))
    assert held.exit_code == 0 and "holds" in held.output
    conn = sqlite3.connect(str(live))
    conn.execute("DROP TRIGGER audit_log_no_delete")
    # The signing is itself entry N + 1; cutting back past N is what the checkpoint catches.
    conn.execute("DELETE FROM audit_log WHERE id >= (SELECT max(id) - 1 FROM audit_log)")
    conn.commit()
    conn.close()
    cut = run_cli("--db", str(live), "audit", "check-checkpoint", str(out), "--key", str(key))
    assert cut.exit_code == 1 and "FAILS" in cut.output and "Traceback" not in cut.output
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    bad = run_cli("--db", str(live), "audit", "check-checkpoint", str(junk), "--key", str(key))
    assert bad.exit_code == 1 and "not a civic checkpoint" in bad.output


# --- the security tables: operators and settings, edited behind civic's back ------------------
# The chain holds who did what; these rows decide who may do what. Before, an operator made
# admin with plain sqlite3 passed `civic audit verify`. Each edit below must fail it, naming
# the row, while the chain itself stays whole (broken_at None).

SECURITY_EDITS = [
    ("role", "UPDATE operators SET role = 'admin' WHERE name = 'view'", "operator view"),
    ("password hash", "UPDATE operators SET password_hash = (SELECT password_hash FROM"
     " operators WHERE name = 'op') WHERE name = 'sup'", "operator sup"),
    ("active flag", "UPDATE operators SET active = 0 WHERE name = 'admin'", "operator admin"),
    ("setup code", "UPDATE operators SET setup_hash = 'x', setup_expires = '2099-01-01'"
     " WHERE name = 'op'", "operator op"),
    ("added", "INSERT INTO operators (name, role, password_hash, created_at, active)"
     " VALUES ('mallory', 'supervisor', 'x', '2008-07-01', 1)", "operator mallory"),
    ("removed", "DELETE FROM operators WHERE name = 'sup'", "operator sup"),
    ("setting", "UPDATE settings SET value = '1' WHERE key = 'notice.period_days'",
     "setting notice.period_days"),
    ("setting added", "INSERT INTO settings (key, value) VALUES ('nomination.quorum', '1/2')",
     "setting nomination.quorum"),
    ("setting removed", "DELETE FROM settings WHERE key = 'notice.period_days'",
     "setting notice.period_days"),
]


@pytest.fixture(scope="module")
def office_bytes(tmp_path_factory, pm, office_builder) -> bytes:
    """The four operators and a co-signed rule setting (notice.period_days 7), serialized."""
    from civic import notices
    from civic.auth import cosign
    from civic.office import Operator

    path = tmp_path_factory.mktemp("security") / "office.db"
    office = office_builder(path, pm)
    signer = cosign(office, Operator("op", "operator"), "sup", "secret-pass", "test")
    notices.set_setting(office, "notice.period_days", "7", cosigner=signer)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(office.db.conn.serialize())
    office.db.close()
    data[18:20] = b"\x01\x01"
    return bytes(data)


def test_untouched_security_tables_verify(office_bytes):
    assert _verify(_open(office_bytes)).ok


@pytest.mark.parametrize(("what", "sql", "named"), SECURITY_EDITS,
                         ids=[e[0] for e in SECURITY_EDITS])
def test_security_row_edited_outside_civic_is_named(office_bytes, what, sql, named):
    conn = _open(office_bytes)
    conn.execute(sql)
    result = _verify(conn)
    assert not result.ok and result.broken_at is None, what
    assert any(named in problem for problem in result.security), result.security
    assert named in result.message()


def test_a_setting_edited_then_put_back_verifies(office_bytes):
    """The check compares states, not histories: the row as the last audited entry left it."""
    conn = _open(office_bytes)
    conn.execute("UPDATE settings SET value = '1' WHERE key = 'notice.period_days'")
    assert not _verify(conn).ok
    conn.execute("UPDATE settings SET value = '7' WHERE key = 'notice.period_days'")
    assert _verify(conn).ok


def test_verify_command_names_the_row(copy_office, pm, tmp_path):
    from click.testing import CliRunner

    from civic.cli.main import build_cli

    path = copy_office()
    conn = sqlite3.connect(str(path))
    conn.execute("UPDATE operators SET role = 'admin' WHERE name = 'view'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(build_cli(pm), ["--db", str(path), "audit", "verify"],
                                env={"CIVIC_LANG": "en"})
    assert result.exit_code == 1
    assert "operator view" in result.output and "outside civic" in result.output


def test_a_file_from_before_the_digests_is_sealed_at_upgrade(tmp_path, pm):
    """m005 records the operators and settings it finds, so verify has a baseline."""
    from civic.db import migrate, open_db
    from civic.migrations import core_migrations

    db = open_db(tmp_path / "old.db")
    core_migrations.apply(db.utils, stop_before="m005_operator_security")
    db.execute("INSERT INTO operators (name, role, password_hash, created_at) VALUES"
               " ('old', 'admin', 'scrypt$x', '2008-01-01')")
    db.execute("INSERT INTO settings (key, value) VALUES ('office.phone', '123')")
    db.conn.commit()
    migrate(db, pm)
    sealed = audit.entries(db, type_prefix="core.security_sealed")
    assert len(sealed) == 1 and set(sealed[0].data()["operators"]) == {"old"}
    assert sealed[0].data()["settings"] == {"office.phone": "123"}
    assert audit.verify(db).ok
    db.execute("UPDATE operators SET role = 'viewer' WHERE name = 'old'")
    db.conn.commit()
    assert "operator old" in audit.verify(db).message()
