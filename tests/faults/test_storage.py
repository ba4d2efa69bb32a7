"""Storage failures: a full disk, a read-only file, a locked database, a busy one.

Each failing change must end in one clear CivicError (no raw sqlite3 error, no traceback at
the CLI) with nothing half-written; a database that is busy only for a moment must make the
change wait and then succeed.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest
import sqlite_utils

from civic import audit
from civic.db import table_checksums
from civic.errors import CivicError
from civic.importers import import_file
from civic.office import Office


def _people_import(office: Office, folder, make_people) -> None:
    import_file(office, "people", make_people(folder / "people.csv", 3000))


def _add_operator(office: Office, folder, make_people) -> None:
    from civic.auth import invite_operator
    from civic.office import Operator

    invite_operator(office.as_actor(Operator("admin", "admin")), "newcomer", "operator")


OPERATIONS = [pytest.param(_people_import, id="registry-import"),
              pytest.param(_add_operator, id="add-operator")]


def _state(path) -> tuple[dict[str, str], str]:
    conn = sqlite3.connect(str(path))
    try:
        db = sqlite_utils.Database(conn, execute_plugins=False)
        chain = audit.verify(db)
        assert chain.ok
        return table_checksums(db), chain.head
    finally:
        conn.close()


def test_disk_full_fails_cleanly(fault_office, tmp_path, make_people):
    # Only a change that needs new pages can meet a full file; an import of 3000 people does.
    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    before = _state(path)
    pages = fault_office.db.execute("PRAGMA page_count").fetchone()[0]
    # max_page_count cannot go below the file's size: the file is now exactly full.
    fault_office.db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(CivicError, match="full"):
        _people_import(fault_office, tmp_path, make_people)
    assert not fault_office.db.conn.in_transaction
    assert _state(path) == before


@pytest.mark.parametrize("operation", OPERATIONS)
def test_read_only_uri_fails_cleanly(fault_office, operation, tmp_path, make_people):
    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    before = _state(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    office = Office(sqlite_utils.Database(conn, execute_plugins=False), fault_office.pm,
                    actor=fault_office.actor, clock=fault_office.clock)
    with pytest.raises(CivicError, match="read-only"):
        operation(office, tmp_path, make_people)
    conn.close()
    assert _state(path) == before


def test_read_only_through_the_cli(fault_office, tmp_path, make_people, pm, monkeypatch):
    """The CLI path: the connection it opens refuses writes (query_only, as a read-only
    mount would); the operator sees one line and exit status 1."""
    from click.testing import CliRunner

    import civic.db
    from civic.cli.main import build_cli

    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    fault_office.db.close()
    before = _state(path)
    real_open = civic.db.open_db

    def read_only_open(*args, **kwargs):
        db = real_open(*args, **kwargs)
        db.execute("PRAGMA query_only = ON")
        return db

    monkeypatch.setattr(civic.db, "open_db", read_only_open)
    people = make_people(tmp_path / "people.csv", 50)
    env = {"CIVIC_DB": path, "CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass"}
    result = CliRunner().invoke(build_cli(pm), ["people", "import", str(people)], env=env)
    assert result.exit_code == 1
    assert "read-only" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _state(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0444; the URI and "
                    "query_only tests above cover a read-only file")
def test_read_only_file_permissions(fault_office, tmp_path, make_people):
    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    fault_office.db.close()
    before = _state(path)
    os.chmod(path, 0o444)
    try:
        from civic.db import open_db

        office = Office(open_db(path), fault_office.pm, actor=fault_office.actor,
                        clock=fault_office.clock)
        with pytest.raises(CivicError):
            _people_import(office, tmp_path, make_people)
        office.db.close()
    finally:
        os.chmod(path, 0o644)
    assert _state(path) == before


def _hold_lock(path: str) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    return other


@pytest.mark.parametrize("operation", OPERATIONS)
def test_locked_database_fails_cleanly(fault_office, operation, tmp_path, make_people):
    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    before = _state(path)
    fault_office.db.execute("PRAGMA busy_timeout = 200")  # the office waits, then gives up
    other = _hold_lock(path)
    try:
        with pytest.raises(CivicError, match="locked"):
            operation(fault_office, tmp_path, make_people)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not fault_office.db.conn.in_transaction
    assert _state(path) == before


@pytest.mark.parametrize("other_writes", [False, True], ids=["released", "committed"])
def test_busy_database_waits_then_succeeds(fault_office, tmp_path, make_people, other_writes):
    """Another program holds the write lock briefly (and may commit a write of its own);
    the change waits for it within the busy timeout and then goes through."""
    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    fault_office.db.execute("PRAGMA busy_timeout = 10000")
    other = _hold_lock(path)
    if other_writes:
        # Not a security table (operators, settings): verify would rightly flag that write.
        other.execute("INSERT INTO units (code, name) VALUES ('elsewhere', 'x')")
    ready = threading.Event()

    def release() -> None:
        ready.wait()
        time.sleep(0.3)
        other.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    try:
        people = make_people(tmp_path / "people.csv", 500)
        ready.set()
        result = import_file(fault_office, "people", people)
    finally:
        thread.join()
        other.close()
    assert result.added == 500
    assert audit.verify(fault_office.db).ok
    assert audit.head(fault_office.db)[0] == result.audit_id
    has_other = fault_office.db.execute(
        "SELECT count(*) FROM units WHERE code = 'elsewhere'").fetchone()[0]
    assert has_other == int(other_writes)


def test_locked_through_the_cli(fault_office, tmp_path, make_people, pm, monkeypatch):
    from click.testing import CliRunner

    import civic.db
    from civic.cli.main import build_cli

    path = fault_office.db.conn.execute("PRAGMA database_list").fetchone()[2]
    fault_office.db.close()
    before = _state(path)
    monkeypatch.setattr(civic.db, "BUSY_TIMEOUT_MS", 200)
    people = make_people(tmp_path / "people.csv", 50)
    env = {"CIVIC_DB": path, "CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass"}
    other = _hold_lock(path)
    try:
        result = CliRunner().invoke(build_cli(pm), ["people", "import", str(people)], env=env)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1, result.output
    assert "locked" in result.output and "Traceback" not in result.output
    assert _state(path) == before


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_to_a_full_disk_fails_cleanly(office_template, tmp_path, fmt):
    """The export is written beside its target first: that file sits on a full disk here
    (/dev/full answers every write with ENOSPC). One message, no traceback (openpyxl's
    half-written archive used to print one as it was collected), no file left behind."""
    import shutil
    import subprocess
    import sys

    db = tmp_path / "office.db"
    shutil.copy(office_template, db)
    out = tmp_path / "out"
    out.mkdir()
    (out / f".people.{fmt}.part").symlink_to("/dev/full")
    target = out / f"people.{fmt}"
    env = {**os.environ, "CIVIC_DB": str(db), "CIVIC_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", "from civic.cli.main import main; main()",
                           "export", "people", "--format",
                           fmt, "--output", str(target)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert done.stderr.count("Error:") == 1 and "No space left" in done.stderr, done.stderr
    assert not target.exists()
