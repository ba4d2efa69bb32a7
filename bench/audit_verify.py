"""`audit verify` over 1,000,000 entries, against reading the same rows and chaining sha256
over the stored bytes with nothing else; and the peak memory of `civic audit verify`."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from bench.harness import CIVIC, Figure, env, interleaved, median, run_child

SQL = ("SELECT id, CAST(time AS BLOB), CAST(actor AS BLOB), CAST(cosigner AS BLOB),"
       " CAST(type AS BLOB), CAST(subject AS BLOB), CAST(payload AS BLOB),"
       " CAST(prev_hash AS BLOB), CAST(hash AS BLOB) FROM audit_log ORDER BY id")


def build_log(path: Path, entries: int) -> None:
    """A migrated office whose log holds `entries` chained entries, inserted directly.

    Payloads look like an import's (a few hundred bytes of canonical JSON); every tenth is
    co-signed. Built with `audit.entry_hash`, so `audit.verify` must accept it.
    """
    from civic.audit import GENESIS, entry_hash
    from civic.db import migrate, open_db
    from civic.pm import make_plugin_manager

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    migrate(db, make_plugin_manager(only=[]))
    prev = GENESIS
    rows = []
    for i in range(1, entries + 1):
        time = f"2008-07-{1 + i % 28:02d}T09:{i % 60:02d}:{(i // 60) % 60:02d}+08:00"
        cosigner = "sup" if i % 10 == 0 else None
        payload = (f'{{"added":["C{i:07d}","C{i + 1:07d}"],"file":"批次{i % 97}.csv",'
                   f'"file_sha256":"{i:064x}","rows_digest":"{i * 7:064x}",'
                   f'"table":"people","unchanged":{i % 13},"updated":{{}}}}')
        h = entry_hash(prev, i, time, "op", cosigner, "core.records_imported", "table:people",
                       payload)
        rows.append((i, time, "op", cosigner, "core.records_imported", "table:people",
                     payload, prev, h))
        prev = h
        if len(rows) == 50_000:
            _insert(db.conn, rows)
            rows = []
    _insert(db.conn, rows)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def _insert(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    with conn:
        conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def bare_chain(conn: sqlite3.Connection) -> str:
    """The baseline: the same rows, the same bytes hashed, no checks, no reporting."""
    sha = hashlib.sha256
    prev = b"0" * 64
    for id_, time, actor, cosigner, type_, subject, payload, _prev, _hash in conn.execute(SQL):
        body = b"\x1f".join((b"%d" % id_, time, actor, cosigner or b"", type_, subject, payload))
        prev = sha(prev + b"\n" + body).hexdigest().encode()
    return prev.decode()


def figures(work: Path, quick: bool) -> list[Figure]:
    from civic import audit
    from civic.db import open_db

    entries = 100_000 if quick else 1_000_000
    runs = 5 if quick else 3
    path = work / "audit.db"
    build_log(path, entries)
    db = open_db(path, create=False)
    raw = sqlite3.connect(str(path))
    results: dict[str, str] = {}

    def civic_verify() -> None:
        result = audit.verify(db)
        assert result.ok and result.entries == entries, result
        results["civic"] = result.head

    times = interleaved(runs, baseline=lambda: results.__setitem__("bare", bare_chain(raw)),
                        civic=civic_verify)
    assert results["civic"] == results["bare"], "the baseline hashed something else"
    db.close()
    raw.close()
    label = f"{entries:,}"
    out = [Figure(f"audit verify, {label} entries", median(times["civic"]), "s", 2.0,
                  median(times["baseline"]), runs, samples=times)]
    _wall, peak, text = run_child([CIVIC, "--db", str(path), "audit", "verify", "--json"],
                                  env())
    assert '"ok": true' in text
    out.append(Figure(f"peak memory, civic audit verify ({label})", peak, "MB", 300))
    return out
