"""Writing the demo office: core's part in one audited transaction, then each plugin's part.

The file is built beside its destination and moved into place only when complete, so a failed
build (a plugin raising, say) leaves an existing demo as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from civic import registry
from civic.audit import canonical_json
from civic.auth import add_operator
from civic.bulk import collector_paused
from civic.db import migrate, open_db
from civic.demo.clock import CST, DEMO_TODAY, DemoClock
from civic.demo.plan import Plan, make_plan
from civic.errors import CivicError
from civic.events import DatabaseCreated, DemoBuilt, RecordsImported
from civic.i18n import _
from civic.importers import KINDS, rows_digest
from civic.office import Office, Operator

DEFAULT_SEED = 2008
DEFAULT_PEOPLE = 3000
DEMO_PASSWORD = "demo1234"
DEMO_OPERATORS = (("admin", "admin"), ("operator", "operator"), ("supervisor", "supervisor"),
                  ("viewer", "viewer"))
BASIS_KIND = "demo"
RESERVE_LIST = "昆明市2007年度后备干部名单"
RESERVE_DAY = dt.date(2007, 12, 20)
LEADING_LEVELS = ("division", "deputy_bureau", "bureau")


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    seed: int
    counts: dict[str, int]
    plugins: list[str]
    seconds: float
    vacant_posts: tuple[str, ...] = ()  # county level and up, vacant when the build ended


def build_demo(path: str | os.PathLike, pm: pluggy.PluginManager, *, seed: int = DEFAULT_SEED,
               people: int = DEFAULT_PEOPLE) -> DemoSummary:
    """Build the demo office at `path`, replacing whatever is there (callers ask first)."""
    path = Path(path)
    started = time.perf_counter()
    tmp = path.with_name(f".{path.name}.building")
    _remove(tmp)
    # The build makes hundreds of thousands of short-lived rows and almost no reference
    # cycles: the cyclic collector ran 800 times in it, found some 2,000 objects and took a
    # tenth of the build. Reference counting frees the rows as before (the peak memory is the
    # same); the collector runs again when the build is done (the app may open on it next).
    with collector_paused():
        return _build_file(path, pm, seed, people, tmp, started)


def _build_file(path: Path, pm: pluggy.PluginManager, seed: int, people: int, tmp: Path,
                started: float) -> DemoSummary:
    try:
        db = open_db(tmp)
        try:
            # The file being built is no office's record until it is moved into place whole,
            # and a build cut short is thrown away: syncing each of its two thousand commits
            # to the disk (synchronous FULL, as an office's file must) protects nothing here
            # and was a third of the build's time. The same transactions, audit entries and
            # chain are written; the finished file is synced once below, before the move.
            db.execute("PRAGMA synchronous = OFF")
            clock = DemoClock()
            counts, plugins = _build(Office(db, pm, clock=clock), clock, seed, people)
            vacant = tuple(p["code"] for p in registry.positions(db, vacant_only=True)
                           if p["rank_level"] in LEADING_LEVELS)
            db.execute("PRAGMA synchronous = FULL")  # the checkpoint syncs the file it writes
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        _remove(path, main=False)  # a stale -wal beside the new file would be replayed into it
        os.replace(tmp, path)  # atomic: the old demo stays whole until the new one is done
    except OSError as exc:
        raise CivicError(_("Cannot write the demo to {path}: {error}").format(
            path=path, error=exc.strerror or exc)) from exc
    finally:
        _remove(tmp)
    return DemoSummary(path, seed, counts, plugins, time.perf_counter() - started, vacant)


def _remove(path: Path, main: bool = True) -> None:
    for name in ((path,) if main else ()) + (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            name.unlink()


def _build(office: Office, clock: DemoClock, seed: int,
           people: int) -> tuple[dict[str, int], list[str]]:
    from civic import __version__

    db = office.db
    migrate(db, office.pm)
    # sqlite-utils stamps migrations with the wall clock; the demo's own time keeps the file
    # the same on every build.
    db.execute("UPDATE _sqlite_migrations SET applied_at = ?",
               [clock.peek().astimezone(dt.UTC).isoformat(sep=" ", timespec="microseconds")])
    admin_name = DEMO_OPERATORS[0][0]
    with office.change() as change:
        change.record(DatabaseCreated(admin=admin_name, version=__version__))
        for name, role in DEMO_OPERATORS:  # seeded as `civic init` seeds, not by the admin
            add_operator(office, name, role, DEMO_PASSWORD, salt=demo_salt(seed, name))
    admin = office.as_actor(Operator(admin_name, "admin"))
    plan = make_plan(random.Random(seed), people)
    _write_registry(admin, plan, seed)
    plugins = _plugins_add_theirs(admin, seed)
    if _plugins_hold_stages(admin, clock, seed):
        clock.jump_to(dt.datetime.combine(DEMO_TODAY, dt.time(9), tzinfo=CST))
    counts = _counts(db)
    with admin.change() as change:
        change.record(DemoBuilt(seed=seed, operators=[n for n, _r in DEMO_OPERATORS],
                                password=DEMO_PASSWORD, plugins=plugins, counts=counts))
    return counts, plugins


def demo_salt(seed: int, name: str) -> bytes:
    """The demo's password salts follow the seed: the demo password is public (README, login
    screen), so an unguessable salt protects nothing there, and the audit log, which vouches
    for each operator's row with its digest, stays the same build to build."""
    return hashlib.sha256(f"civic demo {seed} {name}".encode()).digest()[:16]


def _write_registry(office: Office, plan: Plan, seed: int) -> None:
    """Bulk rows with one import entry per table, then history through `registry`."""
    db = office.db
    with office.change() as change:
        for table, rows in (("units", plan.units), ("positions", plan.positions),
                            ("people", plan.people)):
            columns = [c.name for c in KINDS[table].schema.columns]
            db.conn.executemany(
                f"INSERT INTO [{table}] ({', '.join(columns)})"
                f" VALUES ({', '.join('?' for _c in columns)})",
                [tuple(r[c] for c in columns) for r in rows])
            # The same digest an import of these rows from a file would record.
            digest = rows_digest(columns, (tuple(r[c] for c in columns) for r in rows))
            text = canonical_json([[r[c] for c in columns] for r in rows]).encode()
            change.record(RecordsImported(
                table=table, file=f"civic demo --seed {seed}",
                file_sha256=hashlib.sha256(text).hexdigest(), rows=len(rows), added=len(rows),
                updated=0, unchanged=0, fields={}, rows_digest=digest))
        numbers: dict[int, int] = {}
        for move in sorted(plan.moves, key=lambda m: (m.effective, m.person)):
            year = move.effective.year
            numbers[year] = numbers.get(year, 0) + 1
            registry.appoint(change, person=move.person, position=move.position,
                             effective=move.effective, basis_kind=BASIS_KIND,
                             basis_ref=f"昆任〔{year}〕{numbers[year]}号", action=move.action,
                             note=move.note)
        # appoint() marks everyone it touches serving; those who left keep their status.
        for person, status in plan.final_status.items():
            db.execute("UPDATE people SET status = ? WHERE code = ?", (status, person))
        for person, note in plan.reserve:
            registry.add_reserve(change, person=person, position=None, basis_kind=BASIS_KIND,
                                 basis_ref=RESERVE_LIST, added_on=RESERVE_DAY, note=note)


def _plugins_add_theirs(office: Office, seed: int) -> list[str]:
    """Call each plugin's `register_demo_data` with a `random.Random` of its own.

    Seeded by the demo seed and the plugin's name, so adding or removing one plugin does not
    change what the others draw. Plugins run in pluggy's call order.
    """
    done = []
    for impl in reversed(office.pm.hook.register_demo_data.get_hookimpls()):
        name = impl.plugin_name
        args: dict[str, Any] = {"office": office, "rng": random.Random(f"{seed}:{name}")}
        _guarded(name, impl.function, *(args[a] for a in impl.argnames))
        done.append(name)
    return done


def _plugins_hold_stages(office: Office, clock: DemoClock, seed: int) -> int:
    """Each plugin's held stages (`register_demo_stages`), run together in time order: one
    plugin's October steps come after another's September ones, as they would in an office,
    and the clock, which never goes back, dates each on its day. Returns how many ran."""
    steps: list[tuple[dt.datetime, int, str, Any]] = []
    for impl in reversed(office.pm.hook.register_demo_stages.get_hookimpls()):
        name = impl.plugin_name
        args: dict[str, Any] = {"office": office, "rng": random.Random(f"{seed}:{name}:stages"),
                                "today": DEMO_TODAY}
        for when, step in _guarded(name, impl.function,
                                   *(args[a] for a in impl.argnames)) or ():
            when = when if when.tzinfo else when.replace(tzinfo=CST)
            steps.append((when, len(steps), name, step))  # ties keep the plugins' order
    for when, _n, name, step in sorted(steps, key=lambda s: (s[0], s[1])):
        clock.jump_to(when)
        _guarded(name, step)
    return len(steps)


def _guarded(name: str, call: Any, *args: Any) -> Any:
    """`call(*args)`; a plugin's failure other than a CivicError is worded with its name."""
    try:
        return call(*args)
    except CivicError:
        raise
    except Exception as exc:
        raise CivicError(_("Plugin {name} failed to add its demo data: {error}").format(
            name=name, error=exc)) from exc


def _counts(db) -> dict[str, int]:
    counts = registry.summary(db)
    for table in ("appointments", "operators", "audit_log"):
        counts[table] = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    return counts


def demo_state(path: str | os.PathLike) -> str:
    """What is at `path`: 'absent', 'empty', 'demo' (built by civic demo) or 'other'."""
    path = Path(path)
    if not path.exists():
        return "absent"
    if path.is_file() and path.stat().st_size == 0:
        return "empty"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT 1 FROM audit_log WHERE type = ? LIMIT 1",
                               (DemoBuilt.type,)).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return "other"
    return "demo" if row else "other"
