"""civic's handle on an office file (civic.db): plain SQL with sqlite-utils' semantics, and the
schema stamp: an up-to-date file opens without loading any migration set, and any change to the
code that defines migrations (a new migration, a plugin added or removed) brings back the full
check, which then applies what is pending."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap

import pluggy
import pytest

from civic.db import Database, _stamp_matches, migrate, open_db
from civic.pm import make_plugin_manager

PLUGIN_V1 = '''
from sqlite_utils import Migrations
from civic import hookimpl

migrations = Migrations("civic.stamptest")


@migrations()
def m001_things(db):
    db.execute("CREATE TABLE stamptest_things (id INTEGER PRIMARY KEY)")


@hookimpl
def register_migrations():
    return migrations
'''

PLUGIN_V2 = PLUGIN_V1.replace('''

@hookimpl''', '''

@migrations()
def m002_more(db):
    db.execute("ALTER TABLE stamptest_things ADD COLUMN name TEXT")


@hookimpl''')


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "stamptest_plugin.py").write_text(PLUGIN_V1, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    module = importlib.import_module("stamptest_plugin")
    yield module
    sys.modules.pop("stamptest_plugin", None)


def _pm(*plugins) -> pluggy.PluginManager:
    pm = make_plugin_manager(only=[])
    for plugin in plugins:
        pm.register(plugin, name=plugin.__name__)
    return pm


def test_an_up_to_date_file_is_not_checked_again(tmp_path, plugin_module):
    db = open_db(tmp_path / "s.db")
    pm = _pm(plugin_module)
    assert "civic.stamptest:m001_things" in migrate(db, pm)
    assert _stamp_matches(db, pm)
    assert migrate(db, pm) == []


def test_a_new_migration_in_the_code_is_applied(tmp_path, plugin_module):
    db = open_db(tmp_path / "s.db")
    migrate(db, _pm(plugin_module))
    path = plugin_module.__file__
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(PLUGIN_V2)
    # Same size and mtime would hide an edit; a real edit changes one of them. Make sure.
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    module = importlib.reload(plugin_module)
    pm = _pm(module)
    assert not _stamp_matches(db, pm)
    assert migrate(db, pm) == ["civic.stamptest:m002_more"]
    assert "name" in {r[1] for r in db.execute("PRAGMA table_info(stamptest_things)")}
    assert _stamp_matches(db, pm)


def test_adding_or_removing_a_plugin_brings_back_the_full_check(tmp_path, plugin_module):
    db = open_db(tmp_path / "s.db")
    without = _pm()
    migrate(db, without)
    with_plugin = _pm(plugin_module)
    assert not _stamp_matches(db, with_plugin)
    assert migrate(db, with_plugin) == ["civic.stamptest:m001_things"]
    assert not _stamp_matches(db, without)


def test_a_file_from_before_the_stamp_is_checked_in_full(tmp_path):
    db = open_db(tmp_path / "s.db")
    pm = make_plugin_manager()
    migrate(db, pm)
    db.execute("DELETE FROM schema_stamp")
    assert not _stamp_matches(db, pm)
    assert migrate(db, pm) == []  # nothing pending: the check finds the schema whole
    assert _stamp_matches(db, pm)


def test_a_read_only_copy_opens_without_writing_a_stamp(tmp_path):
    path = tmp_path / "s.db"
    db = open_db(path)
    migrate(db, make_plugin_manager(only=[]))
    db.execute("DELETE FROM schema_stamp")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    os.chmod(path, 0o444)
    try:
        import sqlite3

        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        ro = Database(conn)
        assert migrate(ro, make_plugin_manager(only=[])) == []
        assert ro.execute("SELECT count(*) FROM schema_stamp").fetchone()[0] == 0
        conn.close()
    finally:
        os.chmod(path, 0o644)


def test_a_read_command_on_an_up_to_date_file_loads_no_migrations(tmp_path):
    """`civic people list` on a current file: no migration set, no sqlite-utils, no events."""
    path = tmp_path / "office.db"
    db = open_db(path)
    migrate(db, make_plugin_manager())
    db.close()
    probe = textwrap.dedent("""
        import json, sys
        sys.argv = ["civic", "people", "list"]
        from civic.cli.main import main
        try:
            main()
        except SystemExit:
            pass
        sys.stdout.write("\\n@@" + json.dumps(sorted(sys.modules)) + "\\n")
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**env, "CIVIC_DB": str(path), "CIVIC_LANG": "en"}, timeout=60)
    out, _sep, modules = done.stdout.rpartition("\n@@")
    loaded = set(json.loads(modules))
    assert "0 of 0 shown." in out
    assert not {"sqlite_utils", "civic.migrations", "civic.events", "civic.audit",
                "civic.plugins.nomination.migrations"} & loaded
    if not any(m.startswith("__editable__") for m in loaded):  # setuptools' finder uses it
        assert "pathlib" not in loaded



def test_plain_sql_behaves_as_sqlite_utils_does(tmp_path):
    """civic's Database runs SQL straight on the connection with sqlite-utils' semantics: a
    write outside a transaction is committed, a write inside one waits for it, and a query
    runs when it is called."""
    import sqlite3

    path = tmp_path / "q.db"
    db = open_db(path)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    db.execute("INSERT INTO t (v) VALUES (?)", ["a"])
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # committed
    rows = db.query("INSERT INTO t (v) VALUES ('b') RETURNING id")  # not iterated
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    assert [r["id"] for r in rows] == [2]
    db.conn.execute("BEGIN")
    db.execute("INSERT INTO t (v) VALUES ('c')")
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2  # still the caller's
    db.conn.execute("ROLLBACK")
    with pytest.raises(sqlite3.OperationalError):
        db.execute("INSERT INTO nowhere VALUES (1)")
    assert not db.conn.in_transaction
    assert list(db.query("SELECT v FROM t ORDER BY id")) == [{"v": "a"}, {"v": "b"}]
    assert db["t"].count == 2  # sqlite-utils' table API on the same connection
    assert db.triggers == []
