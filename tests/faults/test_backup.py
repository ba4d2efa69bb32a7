"""`civic backup` while another process keeps writing: every copy is one consistent moment.

A child process imports small batches of people, one change each, as fast as it can. Backups
taken meanwhile must pass `integrity_check`, verify their audit chain, agree with the live file
on every entry they hold (a prefix of its chain), and hold exactly the people their import
entries account for: the domain rows and the audit rows come from the same instant.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

import sqlite_utils

from civic import audit

WRITER = r"""
import csv, sys
from civic.auth import login
from civic.db import migrate, open_db
from civic.importers import import_file
from civic.office import Office
from civic.pm import make_plugin_manager

db_path, folder = sys.argv[1], sys.argv[2]
pm = make_plugin_manager()
db = open_db(db_path)
migrate(db, pm)
office = Office(db, pm)
office = office.as_actor(login(office, "op", "secret-pass", "backup test"))
for batch in range(100_000):
    path = f"{folder}/batch.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "姓名", "单位"])
        for i in range(25):
            w.writerow([f"B{batch:05d}-{i:02d}", f"批{batch}", "KM"])
    import_file(office, "people", path)
    if batch == 2:
        print("ready", flush=True)
"""


def _people_by_chain(db) -> int:
    rows = db.execute("SELECT payload FROM audit_log WHERE type = 'core.records_imported'")
    return sum(json.loads(p)["added"] for (p,) in rows if json.loads(p)["table"] == "people")


def test_backup_during_writes_is_consistent(copy_office, tmp_path, pm, run_cli):
    live = copy_office("live.db")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(live), str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "CIVIC_LANG": "en"})
    copies = []
    try:
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        for n in range(6):
            dest = tmp_path / f"copy-{n}.db"
            result = run_cli("--db", str(live), "backup", str(dest), "--json")
            assert result.exit_code == 0, result.output
            copies.append((dest, json.loads(result.output)))
            time.sleep(0.05)
        assert writer.poll() is None, "the writer stopped: the backups were not concurrent"
    finally:
        writer.kill()
        writer.communicate()

    live_conn = sqlite3.connect(str(live))
    live_db = sqlite_utils.Database(live_conn, execute_plugins=False)
    assert audit.verify(live_db).ok
    heads = []
    for dest, reported in copies:
        conn = sqlite3.connect(str(dest))
        db = sqlite_utils.Database(conn, execute_plugins=False)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # standalone
        chain = audit.verify(db)
        assert chain.ok and chain.head == reported["head"]
        entry = live_conn.execute("SELECT hash FROM audit_log WHERE id = ?",
                                  (chain.entries,)).fetchone()
        assert entry is not None and entry[0] == chain.head  # a prefix of the live chain
        people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
        assert people == _people_by_chain(db)
        heads.append(chain.entries)
        conn.close()
    live_conn.close()
    assert len(set(heads)) > 1, "every copy saw the same moment: the writer was not writing"


def test_backup_refuses_an_existing_file_and_leaves_no_part(copy_office, tmp_path, run_cli):
    live = copy_office("live.db")
    dest = tmp_path / "exists.db"
    dest.write_bytes(b"keep me")
    result = run_cli("--db", str(live), "backup", str(dest))
    assert result.exit_code == 1
    assert "exists" in result.output and "Traceback" not in result.output
    assert dest.read_bytes() == b"keep me"
    missing = run_cli("--db", str(live), "backup", str(tmp_path / "no" / "such" / "x.db"))
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert not list(tmp_path.glob(".*.part"))
