"""Which files civic opens: only `civic init` (and `civic demo`) make a civic file.

Every other command refuses a file that is not one (missing, empty, another program's SQLite
file, not SQLite at all) with a message naming the file, and leaves it byte-for-byte as it was
with no -wal/-shm beside it. A file written by a newer civic is read with a warning and never
written; a read-only copy (a backup on a CD) can be read and verified; a damaged file gives
one worded message, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from civic.db import open_db

ENV = {"CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass", "CIVIC_LANG": "en"}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Reads, a change, the app and a backup: none may make a civic file of what is not one.
READS = [["people", "list"], ["audit", "verify"], ["positions", "list", "--json"],
         ["units", "list"], ["user", "list"], ["units", "import", str(EXAMPLES / "units.csv")],
         ["tui"], ["backup", "BACKUP"]]


def _invoke(pm, db: Path, *args: str, env: dict | None = None):
    from civic.cli.main import build_cli

    return CliRunner().invoke(build_cli(pm), list(args),
                              env={**ENV, "CIVIC_DB": str(db), **(env or {})})


def _clean_refusal(result, name: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.output
    assert result.output.count("Error:") == 1, result.output
    assert name in result.output, result.output


def _foreign_sqlite(path: Path, wal: bool = False) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()


def _sqlite_no_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")  # a valid SQLite file with a header, no tables
    conn.close()


NOT_CIVIC = {
    "empty": (lambda p: p.write_bytes(b""), "not a civic database"),
    "foreign-sqlite": (_foreign_sqlite, "not a civic database"),
    "foreign-sqlite-wal": (lambda p: _foreign_sqlite(p, wal=True), "not a civic database"),
    "sqlite-no-tables": (_sqlite_no_tables, "not a civic database"),
    "text": (lambda p: p.write_text("name,code\n张三,1\n", encoding="utf-8"),
             "not a SQLite database"),
    "random-bytes": (lambda p: p.write_bytes(os.urandom(8192)), "not a SQLite database"),
    "truncated-header": (lambda p: p.write_bytes(b"SQLite format 3\x00\x10"),
                         "not a SQLite database"),
}


@pytest.mark.parametrize("command", READS, ids=[" ".join(c[:2]) for c in READS])
@pytest.mark.parametrize("kind", NOT_CIVIC, ids=NOT_CIVIC)
def test_a_file_that_is_not_civic_is_refused_and_untouched(kind, command, tmp_path, pm):
    make, phrase = NOT_CIVIC[kind]
    path = tmp_path / "office.db"
    make(path)
    before = path.read_bytes()
    command = [str(tmp_path / "copy.db") if c == "BACKUP" else c for c in command]
    result = _invoke(pm, path, *command)
    _clean_refusal(result, str(path))
    assert phrase in result.output, result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.db"]


def test_a_missing_file_is_refused_and_not_created(tmp_path, pm):
    path = tmp_path / "office.db"
    result = _invoke(pm, path, "people", "list")
    _clean_refusal(result, str(path))
    assert list(tmp_path.iterdir()) == []


def test_init_refuses_another_programs_database(tmp_path, pm):
    path = tmp_path / "office.db"
    _foreign_sqlite(path)
    before = path.read_bytes()
    result = _invoke(pm, path, "init", "--admin", "root", "--supervisor", "jw")
    _clean_refusal(result, str(path))
    assert path.read_bytes() == before


def test_init_makes_a_civic_file_that_reads_then_open(tmp_path, pm):
    path = tmp_path / "office.db"
    assert _invoke(pm, path, "init", "--admin", "root", "--supervisor", "jw",
                   env={"CIVIC_SUPERVISOR_PASSWORD": "secret-pass"}).exit_code == 0
    result = _invoke(pm, path, "people", "list", "--json")
    assert result.exit_code == 0, result.output


def test_open_db_without_create_refuses_a_foreign_file(tmp_path):
    from civic.errors import CivicError

    path = tmp_path / "other.sqlite"
    _foreign_sqlite(path)
    with pytest.raises(CivicError, match="not a civic database"):
        open_db(path, create=False)


# --- a file from a newer civic ------------------------------------------------------------------

@pytest.fixture
def newer_file(copy_office):
    """The office file as a later civic would leave it: one core migration this one lacks."""
    path = copy_office()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('civic.core', 'm099_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    return path


def _digest(path: Path) -> dict[str, str]:
    from civic.db import table_checksums

    db = open_db(path, create=False)
    try:
        return table_checksums(db)
    finally:
        db.close()


def test_a_newer_file_is_read_with_a_warning(newer_file, pm):
    result = _invoke(pm, newer_file, "people", "list", "--json")
    assert result.exit_code == 0, result.output
    assert "newer" in result.stderr
    assert "m099_from_the_future" in result.stderr


def test_a_newer_file_is_never_written(newer_file, pm, make_people, tmp_path):
    before = _digest(newer_file)
    people = make_people(tmp_path / "people.csv", 5)
    result = _invoke(pm, newer_file, "people", "import", str(people))
    assert result.exit_code == 1, result.output
    assert "newer" in result.output and "Traceback" not in result.output
    assert _digest(newer_file) == before


# --- read-only media ----------------------------------------------------------------------------

def _chattr(flag: str, *paths: Path) -> bool:
    try:
        done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True)
    except FileNotFoundError:
        return False
    return done.returncode == 0


@pytest.fixture
def read_only_copy(copy_office, tmp_path):
    """A backup on write-protected media: neither the file nor its folder can be written
    (the immutable attribute holds even for root, who ignores permission bits)."""
    folder = tmp_path / "cdrom"
    folder.mkdir()
    path = folder / "office.db"
    shutil.copy(copy_office(), path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    if os.geteuid() == 0 and not _chattr("+i", path, folder):
        os.chmod(folder, 0o755)
        pytest.skip("root without chattr: cannot make a folder read-only")
    yield path
    if os.geteuid() == 0:
        _chattr("-i", path, folder)
    os.chmod(folder, 0o755)
    os.chmod(path, 0o644)


@pytest.mark.parametrize("command", [["audit", "verify"], ["people", "list"],
                                     ["people", "list", "--json"], ["positions", "list"]],
                         ids=["verify", "people", "people-json", "positions"])
def test_a_read_only_copy_can_be_read(read_only_copy, command, pm):
    before = read_only_copy.read_bytes()
    result = _invoke(pm, read_only_copy, *command)
    assert result.exit_code == 0, result.output
    assert "Error" not in result.output
    assert read_only_copy.read_bytes() == before
    assert sorted(p.name for p in read_only_copy.parent.iterdir()) == ["office.db"]


def test_a_read_only_copy_refuses_a_change_clearly(read_only_copy, pm, make_people,
                                                    tmp_path):
    people = make_people(tmp_path / "people.csv", 5)
    result = _invoke(pm, read_only_copy, "people", "import", str(people))
    _clean_refusal(result, "read-only")


# --- a damaged file ---------------------------------------------------------------------------

def _corrupt_people(path: Path, table: str = "people") -> None:
    """Overwrite the root page of a table's b-tree with junk (a bad sector, say)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                        (table,)).fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)


@pytest.mark.parametrize("command", [["people", "list"], ["audit", "verify"],
                                     ["people", "show", "C0001"]],
                         ids=["people-list", "audit-verify", "people-show"])
def test_a_damaged_page_gives_one_worded_message(copy_office, command, pm):
    path = copy_office()
    _corrupt_people(path)
    result = _invoke(pm, path, *command)
    if command == ["audit", "verify"] and result.exit_code == 0:
        return  # the audit table's pages are intact: verify may read them all
    _clean_refusal(result, str(path))
    assert "damaged" in result.output, result.output


def test_a_damaged_page_during_an_import_gives_one_worded_message(copy_office, pm,
                                                                   make_people, tmp_path):
    path = copy_office()
    _corrupt_people(path)
    people = make_people(tmp_path / "people.csv", 5)
    result = _invoke(pm, path, "people", "import", str(people))
    _clean_refusal(result, str(path))
    assert "damaged" in result.output, result.output


@pytest.mark.parametrize("command", [["audit", "verify"], ["audit", "verify", "--json"],
                                     ["audit", "log"]], ids=["verify", "verify-json", "log"])
def test_a_damaged_audit_log_gives_one_worded_message(copy_office, command, pm):
    path = copy_office()
    _corrupt_people(path, "audit_log")
    result = _invoke(pm, path, *command)
    _clean_refusal(result, str(path))
    assert "damaged" in result.output, result.output
