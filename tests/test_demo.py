"""The demo office: deterministic, plausible, audited, and careful with existing files."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import random
import sqlite3
from dataclasses import dataclass
from functools import partial

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from civic import audit, hookimpl, registry
from civic.audit import Event
from civic.auth import authenticate
from civic.cli.main import build_cli
from civic.dates import age_on
from civic.db import open_db, table_checksums
from civic.demo import (
    COUNTIES,
    DEMO_PASSWORD,
    DEMO_TODAY,
    DemoClock,
    build_demo,
    demo_state,
)
from civic.demo.org import slot_code
from civic.demo.plan import VACATED
from civic.errors import CivicError
from civic.importers import KINDS, rows_digest
from civic.ladders import RANK_BY_CODE
from civic.office import Office
from civic.pm import make_plugin_manager

NOMINATION_DAY = dt.date(2008, 7, 1)


@pytest.fixture(scope="module")
def core_pm():
    return make_plugin_manager(only=[])  # core alone: plugins' demo parts are theirs to test


@pytest.fixture(scope="module")
def built(tmp_path_factory, core_pm):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = build_demo(path, core_pm)
    db = open_db(path)
    yield summary, db
    db.close()


def _checksums(db) -> dict[str, str]:
    """Every table's digest; operators without their salted password hashes."""
    sums = table_checksums(db)
    rows = db.execute("SELECT name, role, created_at, active FROM operators ORDER BY rowid")
    sums["operators"] = hashlib.sha256(repr(rows.fetchall()).encode()).hexdigest()
    return sums


def test_same_seed_builds_identical_tables(built, core_pm, tmp_path):
    _summary, db = built
    other = tmp_path / "again.db"
    build_demo(other, core_pm)
    again = open_db(other)
    assert _checksums(again) == _checksums(db)
    assert audit.head(again) == audit.head(db)


def test_another_seed_builds_other_people(built, core_pm, tmp_path):
    _summary, db = built
    build_demo(tmp_path / "other.db", core_pm, seed=7)
    other = open_db(tmp_path / "other.db")
    assert _checksums(other)["people"] != _checksums(db)["people"]
    assert other.execute("SELECT count(*) FROM positions").fetchone() == \
        db.execute("SELECT count(*) FROM positions").fetchone()


def test_the_fourteen_counties_and_districts(built):
    _summary, db = built
    names = {r["name"] for r in db.query(
        "SELECT name FROM units WHERE parent = 'KM' AND kind IN ('district', 'county')")}
    assert names == {name for _code, name, _region, _kind in COUNTIES}
    assert len(names) == 14
    for code, _name, _region, _kind in COUNTIES:
        kinds = {r[0] for r in db.execute("SELECT kind FROM units WHERE parent = ?", [code])}
        assert {"party", "government", "congress", "cppcc", "discipline"} <= kinds


def test_the_eleven_posts_that_fell_vacant_in_2008_are_vacant(built):
    """The office's history; what the July 2008 nomination does with them is the nomination
    plugin's part (tests/nomination/test_nomination_demo.py)."""
    _summary, db = built
    codes = [slot_code(*key) for key in VACATED]
    posts = {code: registry.get_position(db, code) for code in codes}
    assert len(posts) == 11
    for post in posts.values():
        assert post["rank_level"] == "division" and post["headcount"] == 1
        assert post["holders"] == 0 and post["vacancies"] == 1
        assert post["min_rank"] == "deputy_division" and post["party_required"] == 1
    # Each fell vacant in 2008 by a recorded move: its last holder removed or moved on.
    for code in codes:
        last = list(db.query("SELECT * FROM appointments WHERE position = ? ORDER BY id",
                             [code]))[-1]
        after = list(db.query("SELECT * FROM appointments WHERE person = ? AND id > ?",
                              [last["person"], last["id"]]))
        assert last["action"] == "remove" or (after and after[-1]["position"] != code)
        assert (after or [last])[-1]["effective"].startswith("2008-")
    # No other leading post is vacant: those eleven are the city's open places at that level.
    vacant = {p["code"] for p in registry.positions(db, vacant_only=True)
              if p["rank_level"] in ("division", "deputy_bureau", "bureau")}
    assert vacant == set(codes)


def test_audit_chain_verifies_through_the_cli(built, core_pm):
    summary, _db = built
    result = CliRunner().invoke(build_cli(core_pm), ["--db", str(summary.path), "audit",
                                                     "verify"])
    assert result.exit_code == 0, result.output
    assert "Chain verified" in result.output


def test_audit_log_is_batch_level_and_ends_with_demo_built(built):
    _summary, db = built
    types = [r[0] for r in db.execute("SELECT type FROM audit_log ORDER BY id")]
    assert types[0] == "core.database_created"
    assert types[-1] == "core.demo_built"
    assert types.count("core.records_imported") == 3  # units, positions, people: one each
    assert types.count("core.appointment_recorded") == \
        db.execute("SELECT count(*) FROM appointments").fetchone()[0]
    last = audit.entries(db, limit=1)[0]
    assert last.data()["password"] == DEMO_PASSWORD and last.actor == "admin"
    times = [r[0] for r in db.execute("SELECT time FROM audit_log ORDER BY id")]
    assert times[0] == "2008-06-02T09:00:00+08:00" and times == sorted(set(times))


def test_import_digests_vouch_for_the_rows_in_the_tables(built):
    _summary, db = built
    for table in ("units", "positions", "people"):
        columns = [c.name for c in KINDS[table].schema.columns]
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        entry = audit.entries(db, subject=f"table:{table}")[0]
        # Rows in the order the build wrote them: rowid order, as a table scan reads them.
        assert entry.data()["rows_digest"] == rows_digest(columns, rows)
        assert entry.data()["added"] == entry.data()["rows"] == len(rows)


def test_operators_log_in_with_the_demo_password(built):
    _summary, db = built
    office = Office(db, make_plugin_manager(only=[]), clock=DemoClock())
    roles = {authenticate(office, n, DEMO_PASSWORD, "test").role
             for n in ("admin", "operator", "supervisor", "viewer")}
    assert roles == {"admin", "operator", "supervisor", "viewer"}


def test_people_records_are_plausible(built):
    _summary, db = built
    people = list(db.query("SELECT * FROM people"))
    assert len(people) == 3000
    as_of = dt.date(2008, 6, 1)
    for p in people:
        born = dt.date.fromisoformat(p["birth_date"])
        assert 25 <= age_on(born, as_of) <= 60, p
        start = dt.date.fromisoformat(p["work_start"])
        assert age_on(born, start) >= 16 and start <= dt.date.fromisoformat(p["rank_since"])
        assert dt.date.fromisoformat(p["rank_since"]) < as_of
        assert (p["party_joined"] is not None) == p["party"].startswith("中共")
        if p["id_number"]:
            assert ric.validate(p["id_number"]) and p["id_number"][:4] == "5301"
            assert ric.get_birth_date(p["id_number"]) == born
            assert int(p["id_number"][16]) % 2 == (1 if p["gender"] == "男" else 0)
    with_ids = sum(1 for p in people if p["id_number"])
    assert len({p["id_number"] for p in people if p["id_number"]}) == with_ids > 2000
    ethnic = {p["ethnicity"] for p in people}
    assert {"汉族", "彝族", "回族", "白族", "苗族"} <= ethnic
    assert sum(p["ethnicity"] == "汉族" for p in people) > len(people) * 0.7
    assert sum("军转干部" in p["tags"] for p in people) > 50
    assert {p["status"] for p in people} == {"serving", "retired", "transferred", "removed"}


def test_holders_match_their_posts(built):
    _summary, db = built
    rows = db.execute("SELECT pe.rank, po.rank_level, pe.unit, po.unit FROM people pe"
                      " JOIN positions po ON po.code = pe.position").fetchall()
    assert len(rows) > 2000
    assert all(rank == level and unit == post_unit for rank, level, unit, post_unit in rows)
    over = db.execute("SELECT count(*) FROM positions p WHERE headcount < (SELECT count(*)"
                      " FROM people h WHERE h.position = p.code)").fetchone()[0]
    assert over == 0
    # Everyone's last recorded move leaves them where the registry says they are.
    for person, position, action in db.execute(
            "SELECT person, position, action FROM appointments a WHERE id = (SELECT max(id)"
            " FROM appointments b WHERE b.person = a.person)"):
        current = registry.get_person(db, person)["position"]
        assert current == (None if action == "remove" else position)
    # Autonomous counties' heads of government are of the autonomous peoples.
    assert db.execute("SELECT ethnicity FROM people WHERE position = 'KM-SL-GOV-01'"
                      ).fetchone()[0] == "彝族"


def test_ranks_form_a_pyramid(built):
    _summary, db = built
    counts = {r[0]: r[1] for r in db.execute("SELECT rank, count(*) FROM people GROUP BY rank")}
    ladder = sorted(counts, key=lambda code: RANK_BY_CODE[code].level)
    assert ladder[0] == "clerk" and ladder[-1] == "bureau"
    assert counts["clerk"] > counts["section"] > counts["deputy_division"] > counts["division"]
    assert counts["division"] > counts["deputy_bureau"] > counts["bureau"] >= 1


@dataclass
class DemoNoted(Event):
    type = "demo_test.noted"
    plugin: str


class _Plugin:
    """A demo-data plugin: records what it drew and who it wrote as."""

    def __init__(self, name: str, fail: bool = False):
        self.__name__ = name  # pluggy's name for the plugin
        self.fail = fail
        self.draws: list[float] = []
        self.actor = None

    @hookimpl
    def register_demo_data(self, office, rng):
        if self.fail:
            raise RuntimeError("boom")
        self.draws = [rng.random() for _i in range(3)]
        self.actor = office.actor
        with office.change() as change:
            change.record(DemoNoted(plugin=self.__name__))


def _manager(*plugins):
    return make_plugin_manager(only=[], extra=plugins)


def test_each_plugin_adds_its_part_with_its_own_rng(tmp_path):
    alone = _Plugin("demo_alpha")
    summary = build_demo(tmp_path / "a.db", _manager(alone))
    assert summary.plugins == ["demo_alpha"] and alone.actor.name == "admin"
    beside, other = _Plugin("demo_alpha"), _Plugin("demo_beta")
    summary = build_demo(tmp_path / "b.db", _manager(beside, other))
    assert sorted(summary.plugins) == ["demo_alpha", "demo_beta"]
    assert beside.draws == alone.draws != other.draws  # unaffected by the other plugin
    db = open_db(tmp_path / "b.db")
    assert audit.verify(db).ok
    built_entry = audit.entries(db, limit=1)[0].data()
    assert sorted(built_entry["plugins"]) == ["demo_alpha", "demo_beta"]


class _Stager:
    """Two plugins' held stages: each gives its dated steps out of order; core runs them
    all in time order, with the clock on each step's time."""

    def __init__(self, name: str, days: tuple[int, ...], log: list, fail: bool = False):
        self.__name__ = name
        self.days, self.log, self.fail = days, log, fail

    @hookimpl
    def register_demo_stages(self, office, rng, today):
        def step(day: int) -> None:
            if self.fail:
                raise RuntimeError("stage boom")
            self.log.append((self.__name__, day, office.today()))
            with office.change() as change:
                change.record(DemoNoted(plugin=self.__name__))

        return [(dt.datetime(2008, 10, day, 9), partial(step, day)) for day in self.days
                if dt.date(2008, 10, day) <= today]


def test_held_stages_run_in_time_order_across_plugins(tmp_path):
    log: list = []
    pm = _manager(_Stager("stage_a", (16, 8), log), _Stager("stage_b", (10, 30), log))
    build_demo(tmp_path / "s.db", pm)
    # Day 30 is after the demo's day: not run. The others in date order, each dated its day.
    assert [(name, day) for name, day, _today in log] == [
        ("stage_a", 8), ("stage_b", 10), ("stage_a", 16)]
    assert all(today == dt.date(2008, 10, day) for _n, day, today in log)
    db = open_db(tmp_path / "s.db")
    last = audit.entries(db, limit=1)[0]
    assert last.type == "core.demo_built" and last.time.startswith(DEMO_TODAY.isoformat())
    assert audit.verify(db).ok


def test_a_failing_stage_names_its_plugin(tmp_path):
    with pytest.raises(CivicError, match="stage_broken"):
        build_demo(tmp_path / "f.db", _manager(_Stager("stage_broken", (8,), [], fail=True)))
    assert not (tmp_path / "f.db").exists()


def test_a_failing_plugin_leaves_the_existing_demo(tmp_path, core_pm):
    path = tmp_path / "d.db"
    build_demo(path, core_pm)
    before = path.read_bytes()
    with pytest.raises(CivicError, match="demo_broken"):
        build_demo(path, _manager(_Plugin("demo_broken", fail=True)))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.db"]


def _run(pm, args, env=None):
    return CliRunner().invoke(build_cli(pm), args, env={"CIVIC_LANG": "en", **(env or {})})


def test_cli_builds_and_summarises(tmp_path, core_pm):
    path = tmp_path / "x.db"
    result = _run(core_pm, ["demo", "--no-tui", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "3000 people" in result.output and " s (seed 2008)" in result.output
    assert "demo1234" in result.output and "KM-GOV-04" in result.output  # a vacant post
    assert demo_state(path) == "demo"


def test_cli_refuses_to_replace_without_yes_or_terminal(tmp_path, core_pm):
    path = tmp_path / "x.db"
    assert _run(core_pm, ["demo", "--no-tui", "--db", str(path)]).exit_code == 0
    before = path.read_bytes()
    result = _run(core_pm, ["demo", "--no-tui", "--db", str(path)])
    assert result.exit_code == 1
    assert "--yes" in result.output and "holds a demo already" in result.output
    assert path.read_bytes() == before
    result = _run(core_pm, ["demo", "--no-tui", "--yes", "--seed", "9", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() != before


def test_cli_never_replaces_a_file_it_did_not_build(tmp_path, core_pm):
    office_db = tmp_path / "office.db"
    open_db(office_db).execute("CREATE TABLE t (x)")
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    for path in (office_db, text):
        before = path.read_bytes()
        result = _run(core_pm, ["demo", "--no-tui", "--yes", "--db", str(path)])
        assert result.exit_code == 1 and "not a demo database" in result.output
        assert path.read_bytes() == before


def test_cli_default_path_ignores_civic_db(tmp_path, core_pm, monkeypatch):
    monkeypatch.chdir(tmp_path)
    office_db = tmp_path / "office.db"
    result = _run(core_pm, ["demo", "--no-tui"], env={"CIVIC_DB": str(office_db)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "civic-demo.db").exists() and not office_db.exists()
    result = _run(core_pm, ["--db", "given.db", "demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    assert demo_state(tmp_path / "given.db") == "demo"


def test_demo_clock_steps_and_never_goes_back():
    clock = DemoClock()
    first, second = clock(), clock()
    assert (second - first).total_seconds() == 3
    clock.jump_to(dt.datetime(2008, 7, 4, 9, 0))
    later = clock()
    assert later.isoformat() == "2008-07-04T09:00:00+08:00"
    clock.jump_to(dt.datetime(2008, 6, 1))
    assert clock() > later


def test_plan_uses_only_its_rng():
    from civic.demo.plan import make_plan

    random.seed(1)
    a = make_plan(random.Random(5), 2500)
    random.seed(2)
    b = make_plan(random.Random(5), 2500)
    assert a.people == b.people and a.moves == b.moves and len(a.people) == 2500


def test_demo_state_names_what_is_there(tmp_path):
    assert demo_state(tmp_path / "none.db") == "absent"
    (tmp_path / "empty.db").touch()
    assert demo_state(tmp_path / "empty.db") == "empty"


def test_the_finished_file_stands_alone(tmp_path, core_pm):
    # Built without syncing each commit, then checkpointed into the file: nothing is left in a
    # -wal beside it, so a copy of the file alone (or a read that ignores the WAL) is whole.
    path = tmp_path / "demo.db"
    summary = build_demo(path, core_pm)
    assert not any(p.name != path.name for p in tmp_path.iterdir())
    conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        last = conn.execute("SELECT type FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    assert (entries, last) == (summary.counts["audit_log"] + 1, "core.demo_built")
    db = open_db(path)  # and the office that opens it syncs every commit again
    try:
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        db.close()


@given(weights=st.lists(st.integers(1, 1000), min_size=1, max_size=40), seed=st.integers(0, 99))
def test_weighted_draws_as_choices_with_the_weights(weights, seed):
    # names.weighted draws from running totals kept per table: the draws of
    # rng.choices(values, weights), one for one, whatever the table.
    from civic.demo.names import weighted

    table = tuple((f"v{i}", w) for i, w in enumerate(weights))
    ours, theirs = random.Random(seed), random.Random(seed)
    for _n in range(20):
        assert weighted(ours, table) == theirs.choices([v for v, _w in table],
                                                       [w for _v, w in table])[0]


@pytest.mark.parametrize("was_on", [True, False])
def test_the_build_gives_the_collector_back_as_it_found_it(tmp_path, core_pm, was_on):
    # The build runs without the cyclic collector; the app that opens next must have it back
    # (and a caller that had turned it off keeps it off), even when the build fails.
    (gc.enable if was_on else gc.disable)()
    try:
        build_demo(tmp_path / "demo.db", core_pm)
        assert gc.isenabled() is was_on
        (tmp_path / "folder.db").mkdir()
        with pytest.raises(CivicError):
            build_demo(tmp_path / "folder.db", core_pm)
        assert gc.isenabled() is was_on
    finally:
        gc.enable()
