"""The terminal app: start to an interactive dashboard on the demo, against a process that only
imports Textual and shows an empty app; and the people mode on 100,000 people (its first
frame, and a page down past the loaded window) against a 10,000-row synchronous DataTable.

Each run is its own process, headless through `App.run_test()` (the same harness for civic and
the baselines). Start-up is timed from outside, spawn to exit; the people mode from inside,
from the key that opens it to the frame that shows its rows.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.harness import PYTHON, Figure, env, median, run_child

EMPTY_APP = r"""
import asyncio
from textual.app import App

async def main():
    app = App()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""

DASHBOARD = r"""
import asyncio, sys
from civic.office import Operator
from civic.pm import make_plugin_manager
from civic.tui.app import CivicApp

async def main():
    app = CivicApp(make_plugin_manager(), sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()  # the login screen is up
        app.logged_in(Operator("admin", "admin"))  # what a correct password leads to
        while getattr(app.screen, "dashboard", None) is None:  # its data shown
            await pilot.pause(0.005)
        await pilot.pause()  # and drawn

asyncio.run(main())
"""

PEOPLE = r"""
import asyncio, json, sys, time
from civic.office import Operator
from civic.pm import make_plugin_manager
from civic.tui.app import CivicApp
from civic.tui.widgets.paged_table import PagedTable

async def loaded(pilot, table, before):
    while table.start == before[0] and table.rows_data is before[1]:
        await pilot.pause(0.002)
    await pilot.pause()

async def main():
    app = CivicApp(make_plugin_manager(), sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.logged_in(Operator("admin", "admin"))
        while getattr(app.screen, "dashboard", None) is None:
            await pilot.pause(0.005)
        start = time.perf_counter()
        app.action_open_mode("people")
        while not app.screen.query(PagedTable) or not app.screen.query_one(PagedTable).rows_data:
            await pilot.pause(0.002)
        await pilot.pause()
        first = time.perf_counter() - start
        table = app.screen.query_one(PagedTable)
        assert table.total >= 100_000, table.total
        before = (table.start, table.rows_data)
        start = time.perf_counter()
        while table.start == before[0]:  # PageDown until the next window has loaded
            await pilot.press("pagedown")
            await pilot.pause()
        await pilot.pause()
        page = time.perf_counter() - start
    print(json.dumps({"first": first, "page": page}))

asyncio.run(main())
"""

DATATABLE = r"""
import asyncio, json, time
from textual.app import App
from textual.widgets import DataTable

class Table(App):
    def compose(self):
        yield DataTable()

async def main():
    app = Table()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        table.add_columns("code", "name", "gender", "born", "rank", "unit", "position", "status")
        rows = [(f"Z{i:06d}", f"测试{i}", "男", "1970-01-01", "正科", "昆明市财政局",
                 "副局长", "在职") for i in range(10_000)]
        start = time.perf_counter()
        table.add_rows(rows)
        await pilot.pause()
        took = time.perf_counter() - start
    print(json.dumps({"load": took}))

asyncio.run(main())
"""


def add_people(path: Path, count: int) -> None:
    """Top a demo office up to `count` people, inserted directly (the bench needs volume)."""
    conn = sqlite3.connect(str(path))
    units = [u for (u,) in conn.execute("SELECT code FROM units ORDER BY code")]
    have = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    rows = [(f"Z{i:06d}", f"测试{i}", "男女"[i % 2], f"19{60 + i % 30}-01-01", "section",
             units[i % len(units)], "serving") for i in range(max(0, count - have))]
    with conn:
        conn.executemany("INSERT INTO people (code, name, gender, birth_date, rank, unit, status)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def figures(work: Path, quick: bool, demo: Path) -> list[Figure]:
    runs = 3 if quick else 7
    environ = env()
    start_times: dict[str, list[float]] = {"baseline": [], "civic": []}
    for _ in range(runs):
        start_times["baseline"].append(run_child([PYTHON, "-c", EMPTY_APP], environ)[0])
        start_times["civic"].append(run_child([PYTHON, "-c", DASHBOARD, str(demo)], environ)[0])
    out = [Figure("TUI start to the dashboard (demo)", median(start_times["civic"]), "s", 1.3,
                  median(start_times["baseline"]), runs, samples=start_times)]

    big = work / "people-100k.db"
    big.write_bytes(demo.read_bytes())
    add_people(big, 100_000)
    people: dict[str, list[float]] = {"baseline": [], "first": [], "page": []}
    for _ in range(runs):
        _w, _p, text = run_child([PYTHON, "-c", DATATABLE], environ)
        people["baseline"].append(json.loads(text.strip().splitlines()[-1])["load"])
        _w, _p, text = run_child([PYTHON, "-c", PEOPLE, str(big)], environ)
        shown = json.loads(text.strip().splitlines()[-1])
        people["first"].append(shown["first"])
        people["page"].append(shown["page"])
    base = median(people["baseline"])
    out.append(Figure("people mode on 100,000: first frame", median(people["first"]), "s", 0.2,
                      base, runs, samples=people))
    out.append(Figure("people mode on 100,000: page down past the window",
                      median(people["page"]), "s", 0.2, base, runs))
    return out
