"""The terminal app: start to an interactive dashboard on the demo, against a process that only
imports Textual and shows an empty app; and the people mode on 100,000 people (its first
frame, and a page down past the loaded window) against a DataTable loading the same window:
the 100 rows a PagedTable shows at a time (not 10,000 rows, which civic never loads).

Each run is its own process, headless through `App.run_test()` (the same harness for civic and
the baselines). Start-up is timed from the parent's spawn to the moment the child has its
screen up and drawn (the child prints the time); the people mode from inside, from the action
that opens it to the frame that shows its rows.

What the start-up figure holds, and why:
- both sides end the same way: the screen is up, its queued messages are processed and its
  frame is rendered (`drawn` below), the time is taken (the exit after it is not start-up);
- civic's start includes the login, because an operator cannot reach the dashboard without
  it. The figure is what the operator waits for: from the spawn to the login screen up and
  focused, plus from Enter in the password field (the scrypt password check, the switch to
  the dashboard, its data shown and drawn) to the dashboard drawn. The time the operator
  spends typing is not the program's and is left out; what the app does meanwhile (it
  warms the dashboard's imports in a worker) is let finish before Enter, as it has in use:
  no one types a name and a password in the ~0.1 s that takes;
- no pilot key presses inside the timed parts: `pilot.press` waits for the process to go idle
  (at least 2 x 20 ms a key), harness time the baselines do not pay.
The page-down figure is one PageDown that crosses the loaded window (the cursor is first put
on the window's last screenful, untimed): the press that makes the operator wait for a load.
PageDowns inside the window are plain DataTable scrolling.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from bench.harness import PYTHON, Figure, env, median, run_child

# Both sides end a wait the same way: every message the screen had queued is processed, then
# the screen renders its frame. That is `pilot.pause()` without its last step, a wait for the
# whole process to idle, which sleeps at least 20 ms each time and waits out any worker
# thread's CPU too (the login's warm-up, the dashboard's chain check): work the operator
# does not wait for, since the screen is already drawn and taking keys.
DRAWN = """
async def drawn(pilot):
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()
"""

EMPTY_APP = r"""
import asyncio, time
from textual.app import App
""" + DRAWN + r"""
async def main():
    app = App()
    async with app.run_test(size=(120, 40)) as pilot:
        await drawn(pilot)  # the screen is up, settled and drawn
        print(time.time(), flush=True)

asyncio.run(main())
"""

# Not a baseline of the issue's: the login screen's own Textual widgets in a bare app, printed
# beside the figure to show how much of civic's start is Textual drawing those widgets.
LOGIN_WIDGETS = r"""
import asyncio, time
from textual.app import App
from textual.containers import Center, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static
""" + DRAWN + r"""
class LoginWidgets(App):
    CSS = "#box { width: 64; height: auto; border: tall $primary; padding: 1 2; }"

    def compose(self):
        yield Header()
        with Center(), Vertical(id="box"):
            for text in ("civic", "Office database: demo.db", "Operator"):
                yield Label(text)
            yield Input(id="name", placeholder="operator name")
            yield Label("Password")
            yield Input(password=True)
            yield Static("")
            yield Button("Log in", variant="primary")
            yield Static("Demo office: operators admin, operator; the password is demo1234.")
        yield Footer()

    def on_mount(self):
        self.query_one("#name").focus()

async def main():
    app = LoginWidgets()
    async with app.run_test(size=(120, 40)) as pilot:
        await drawn(pilot)
        print(time.time(), flush=True)

asyncio.run(main())
"""

DASHBOARD = r"""
import asyncio, sys, time
from textual.widgets import Input
from civic.pm import make_plugin_manager
from civic.tui.app import CivicApp
""" + DRAWN + r"""

async def until(pilot, condition, step=0.005, limit=60.0):
    for _ in range(int(limit / step)):  # a bound: a broken app fails the run, never hangs it
        if condition():
            return
        await pilot.pause(step)
    raise TimeoutError("the app never got there")

async def main():
    app = CivicApp(make_plugin_manager(), sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: getattr(app.focused, "id", None) == "login-name")  # login up
        await drawn(pilot)  # and drawn, as the empty app's screen is
        print("login", time.time(), flush=True)
        await app.workers.wait_for_complete()  # what happens while the operator types
        await pilot.pause()
        app.screen.query_one("#login-name", Input).value = "admin"
        password = app.screen.query_one("#login-password", Input)
        password.value = sys.argv[2]
        print("enter", time.time(), flush=True)
        await password.action_submit()  # what Enter does in the password field
        await until(pilot, lambda: getattr(app.screen, "dashboard", None) is not None)  # data
        await drawn(pilot)
        print("drawn", time.time(), flush=True)
        assert app.operator is not None and app.operator.name == "admin"

asyncio.run(main())
"""

PEOPLE = r"""
import asyncio, json, sys, time
from textual import events
from civic.office import Operator
from civic.pm import make_plugin_manager
from civic.tui.app import CivicApp
from civic.tui.widgets.paged_table import PagedTable

async def until(pilot, condition, step=0.002, limit=60.0):
    for _ in range(int(limit / step)):  # a bound: a broken app fails the run, never hangs it
        if condition():
            return
        await pilot.pause(step)
    raise TimeoutError("the app never got there")

def shown(app):
    tables = app.screen.query(PagedTable)
    return bool(tables) and bool(tables.first().rows_data)

async def main():
    app = CivicApp(make_plugin_manager(), sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.logged_in(Operator("admin", "admin"))  # the login is the start-up figure's part
        await until(pilot, lambda: getattr(app.screen, "dashboard", None) is not None)
        await pilot.pause()
        await app.workers.wait_for_complete()  # the chain check too: nothing else running
        start = time.perf_counter()
        app.action_open_mode("people")
        await until(pilot, lambda: shown(app))
        await pilot.pause()
        first = time.perf_counter() - start
        table = app.screen.query_one(PagedTable)
        assert table.total >= 100_000, table.total
        table.move_cursor(row=len(table.rows_data) - 1)  # the window's last screenful
        await pilot.pause()
        before = table.start
        start = time.perf_counter()
        key = events.Key("pagedown", None)  # as the terminal driver sends it
        key.set_sender(app)
        app.post_message(key)
        await until(pilot, lambda: table.start != before)
        await pilot.pause()
        page = time.perf_counter() - start
        assert table.start == before + table.page_size and table.cursor_row == 0
    print(json.dumps({"first": first, "page": page}))

asyncio.run(main())
"""

# The people mode's window (civic.tui.widgets.paged_table's page_size): the rows it has loaded.
WINDOW = 100

DATATABLE = r"""
import asyncio, json, time
WINDOW = int(__import__("sys").argv[1])
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
                 "副局长", "在职") for i in range(WINDOW)]
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


def until_shown(args: list[str], environ: dict[str, str]) -> float:
    """Seconds from spawning the child to the moment it printed (its screen shown): start-up
    ends when the screen is up, not when the process has torn itself down again (civic's
    interpreter takes ~0.1 s more than an empty app's to free its modules at exit)."""
    spawned = time.time()
    _wall, _peak, out = run_child(args, environ)
    return float(out.strip().splitlines()[-1]) - spawned


def waits(args: list[str], environ: dict[str, str]) -> tuple[float, float]:
    """The operator's two waits: spawn to the login screen, and Enter to the dashboard."""
    spawned = time.time()
    _wall, _peak, out = run_child(args, environ)
    marks = dict(line.split() for line in out.strip().splitlines() if line[:5] in
                 ("login", "enter", "drawn"))
    return (float(marks["login"]) - spawned, float(marks["drawn"]) - float(marks["enter"]))


def figures(work: Path, quick: bool, demo: Path) -> list[Figure]:
    from civic.demo import DEMO_PASSWORD

    runs = 3 if quick else 7
    environ = env()
    start_times: dict[str, list[float]] = {"baseline": [], "civic": [], "login": [],
                                           "enter": [], "login widgets alone": []}
    for _ in range(runs):
        start_times["baseline"].append(until_shown([PYTHON, "-c", EMPTY_APP], environ))
        start_times["login widgets alone"].append(
            until_shown([PYTHON, "-c", LOGIN_WIDGETS], environ))
        login, enter = waits([PYTHON, "-c", DASHBOARD, str(demo), DEMO_PASSWORD], environ)
        start_times["civic"].append(login + enter)
        start_times["login"].append(login)
        start_times["enter"].append(enter)
    out = [Figure("TUI start to the dashboard (demo)", median(start_times["civic"]), "s", 1.3,
                  median(start_times["baseline"]), runs, samples=start_times,
                  note=f"start to login screen {median(start_times['login']) * 1000:.0f} ms + "
                       f"Enter to dashboard drawn {median(start_times['enter']) * 1000:.0f} ms"
                       " (scrypt check included, typing not); a bare app with the login "
                       "screen's widgets: "
                       f"{median(start_times['login widgets alone']) * 1000:.0f} ms")]

    big = work / "people-100k.db"
    big.write_bytes(demo.read_bytes())
    add_people(big, 100_000)
    people: dict[str, list[float]] = {"baseline": [], "first": [], "page": []}
    for _ in range(runs):
        _w, _p, text = run_child([PYTHON, "-c", DATATABLE, str(WINDOW)], environ)
        people["baseline"].append(json.loads(text.strip().splitlines()[-1])["load"])
        _w, _p, text = run_child([PYTHON, "-c", PEOPLE, str(big)], environ)
        shown = json.loads(text.strip().splitlines()[-1])
        people["first"].append(shown["first"])
        people["page"].append(shown["page"])
    base = median(people["baseline"])
    # The issue names this baseline (the same window in a bare DataTable), not a ratio: 1.5x,
    # the allowance of the other whole-screen figures, is the bench's own choice.
    note = f"baseline: a bare DataTable loading the same {WINDOW}-row window, drawn"
    out.append(Figure("people mode on 100,000: first frame", median(people["first"]), "s", 1.5,
                      base, runs, samples=people, note=note))
    out.append(Figure("people mode on 100,000: page down past the window",
                      median(people["page"]), "s", 1.5, base, runs, note=note))
    return out
