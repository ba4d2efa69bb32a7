"""The home dashboard: registry counts, open workflows, notices running, latest audit entries,
and the audit chain's state."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.table import Table
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from civic import audit
from civic.db import Database
from civic.errors import CivicError
from civic.i18n import N_, _
from civic.registry import summary
from civic.tui.screens.base import CivicScreen
from civic.tui.text import cell
from civic.tui.widgets.chain import ChainStatus
from civic.tui.widgets.wide_table import WideTable
from civic.tui.workers import run_db_worker, when_settled
from civic.workflows import Workflow, open_work

LATEST = 10
STATE_MIN = 16  # cells an open work's state keeps, before the mechanism does


@dataclass
class Dashboard:
    counts: dict[str, int]
    workflows: list[Workflow] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    latest: list[audit.AuditEntry] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # the latest entries', worded


_warm = False  # a dashboard has loaded in this process: its modules are imported


def load_dashboard(db: Database, pm: Any, today: Any) -> Dashboard:
    # Imported here, in the worker thread, not with the screen on the UI thread: civic.notices
    # brings Jinja2 and the work calendar (~40 ms). The login screen's warm-up has usually
    # imported it already while the operator typed.
    global _warm
    from civic.notices import open_notices
    from civic.subjects import describe

    flows = open_work(pm, db, today)
    latest = audit.entries(db, limit=LATEST)
    found = Dashboard(summary(db), flows, open_notices(db, today), latest,
                      {e.subject: describe(db, pm, e.subject) for e in latest})
    _warm = True
    return found


def office_state(db: Database) -> int:
    """What moves with every change of the office: its last audit entry (each change writes
    one, in the change's own transaction)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def prefetched(app: Any, today: Any) -> Dashboard | None:
    """The login's read of the dashboard (`app.prefetched`: the office's state, the day, the
    data), taken once, if the office has not changed since and it is still that day: what the
    dashboard would read again, at the cost of one query while the operator waits."""
    kept, app.prefetched = app.prefetched, None
    if kept is None or kept[1] != today or office_state(app.db) != kept[0]:
        return None
    return kept[2]


def counts_table(counts: dict[str, int]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column()
    grid.add_column(justify="right")
    for key, label in (("people", _("People")), ("serving", _("Serving")),
                       ("reserve", _("In the reserve pool")), ("units", _("Units")),
                       ("positions", _("Positions")), ("vacancies", _("Vacancies"))):
        grid.add_row(label, f"{counts.get(key, 0):,}")
    return grid


class OpenWorkTable(WideTable):
    """The open-work panel. Its width changes after its columns are first laid out, not only
    with the terminal's: the counts beside it take the width their numbers need once shown
    (on the demo at 120x40 the panel lost 6 cells and cut the mechanism, "▸ 1 more"). Every
    change of its size lays its columns out again."""

    def on_resize(self, event: events.Resize) -> None:
        screen = self.screen
        if isinstance(screen, HomeScreen):
            screen.lay_out_workflows_again()


class HomeScreen(CivicScreen):
    SCREEN_TITLE = N_("Home")
    REFRESH_ON_SHOW = True  # refusals and logins are audited without a data change
    HELP = N_("The office at a glance: counts, open work, notices in their period, the "
              "latest audit entries and whether the audit chain verifies.")
    BINDINGS = [
        Binding("v", "verify", N_("Verify chain")),
        Binding("r", "reload", N_("Refresh")),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="dashboard"):
            with Horizontal(id="dash-top"):
                counts = Static(id="dash-counts", classes="panel")
                counts.border_title = _("Registry")
                yield counts
                flows = OpenWorkTable(id="dash-workflows", classes="panel", cursor_type="row")
                flows.border_title = _("Open workflows")
                yield flows
            notices = WideTable(id="dash-notices", classes="panel", cursor_type="row")
            notices.border_title = _("Notices not yet confirmed")
            yield notices
            latest = WideTable(id="dash-audit", classes="panel", cursor_type="row")
            latest.border_title = _("Latest audit entries")
            yield latest
            yield ChainStatus(id="dash-chain")

    def on_mount(self) -> None:
        self.query_one("#dash-notices", DataTable).add_columns(
            _("No."), _("Notice"), _("Ends on"), _("Working days left"),
            _("Objections pending"))
        self.query_one("#dash-audit", DataTable).add_columns(
            _("No."), _("Time"), _("Operator"), _("Co-signer"), _("Event"), _("Subject"))

    def refresh_data(self) -> None:
        app = self.civic
        today = app.office.today()
        if _warm:
            # A handful of counts and ten audit rows (~3 ms on the demo) once the modules are
            # imported: read on the app's own connection, so the dashboard's first frame has
            # its data instead of a frame of empty panels and a second full render.
            try:
                self._show(prefetched(app, today) or load_dashboard(app.db, app.pm, today))
            except (CivicError, sqlite3.Error) as error:
                self._failed(CivicError(str(error)))
            return
        run_db_worker(self, lambda db: load_dashboard(db, app.pm, today), self._show,
                      group="dashboard", failed=self._failed)

    def _check_chain_once(self) -> None:
        """The session's first chain check starts once the dashboard is drawn and quiet: run
        beside its first frames, its worker would take the interpreter from them, and the
        operator waits for the dashboard, not for the check (its panel says it is running)."""
        if self.civic.chain is None and not getattr(self, "_chain_due", False):
            self._chain_due = True

            def start() -> None:
                self._chain_due = False
                if self.civic.chain is None and self.civic.operator is not None:
                    self.civic.verify_chain()

            when_settled(self, start)

    def _failed(self, error: Any) -> None:
        self.civic.show_error(error)
        self._check_chain_once()

    def _show(self, data: Dashboard) -> None:
        self.dashboard = data
        self.query_one("#dash-counts", Static).update(counts_table(data.counts))
        mechanism = self.civic.mechanism_title
        self._workflow_rows = [(w.title, w.state, mechanism(w.plugin, w.mode))
                               for w in data.workflows]
        self._workflows_laid_out: tuple[int, list] | None = None
        # Laid out for the size the panel will have once the counts beside it take their new
        # width (worked out ahead), so the frame that shows the counts shows the open work too.
        if (region := self._workflows_region_ahead()) is not None:
            self._lay_out_workflows(region)
        elif self.query_one("#dash-workflows", DataTable).size.width:
            self._lay_out_workflows()
        else:  # its width is known after the first layout: laid out once, then
            self.call_after_refresh(self._lay_out_workflows)
        self.query_one("#dash-workflows").border_subtitle = (
            _("none open") if not data.workflows else "")
        notices = self.query_one("#dash-notices", DataTable)
        notices.clear()
        notices.add_rows([(n["id"], n["title"], n["ends_on"], cell(n["days_left"]),
                           n["objections_open"]) for n in data.notices])
        notices.border_subtitle = (_("none running") if not data.notices else "")
        latest = self.query_one("#dash-audit", DataTable)
        latest.clear()
        title = self.civic.event_title
        latest.add_rows([(e.id, e.time[:16].replace("T", " "), e.actor, e.cosigner or "",
                          title(e.type), data.subjects.get(e.subject, e.subject))
                         for e in data.latest])
        self._check_chain_once()

    def _workflows_region_ahead(self) -> tuple[int, int] | None:
        """The open-work panel's inner width and height before the screen's first layout, as
        that layout will make them: the screen's width less the counts panel beside it (its
        content measured, within its minimum and maximum widths) and the borders and padding
        around; the height of the row they share. Laid out then, the panel's first frame has
        its columns: laid out after it, they cost the operator a second render of the
        dashboard on Enter (bench/tui.py). None when a size is not a number of cells; a wrong
        width is laid out again on the panel's first resize (OpenWorkTable)."""
        flows = self.query_one("#dash-workflows", DataTable)
        counts = self.query_one("#dash-counts", Static)
        top = flows.parent
        screen = self.size if self.size.width else self.app.size
        sizes = (counts.styles.min_width, counts.styles.max_width,
                 top.styles.height if isinstance(top, Widget) else None)
        if not screen.width or any(v is None or not v.is_cells for v in sizes):
            return None
        low, high, height = (int(v.value) for v in sizes)  # type: ignore[union-attr]
        around = sum(node.styles.gutter.width + node.styles.margin.width
                     for node in flows.ancestors if isinstance(node, Widget)
                     and node is not self)
        wanted = counts.get_content_width(screen, screen) + counts.styles.gutter.width
        beside = min(max(wanted, low), high) + counts.styles.margin.width
        width = (screen.width - around - beside - flows.styles.gutter.width
                 - flows.styles.margin.width)
        return width, height - flows.styles.gutter.height - flows.styles.margin.height

    def _lay_out_workflows(self, ahead: tuple[int, int] | None = None) -> None:
        """The open work: its title first, then its state and mechanism. The title gets the
        room the other two leave (a long one is cut), so at 80 columns the operator reads
        what the work is and where it stands (the mechanism and a long state used to leave
        no room for the title). `ahead`: the panel's inner size before its first layout."""
        flows = self.query_one("#dash-workflows", DataTable)
        rows = getattr(self, "_workflow_rows", [])
        width, shown = ahead or (flows.scrollable_content_region.width,
                                 flows.scrollable_content_region.height)
        room = width - 3 * 2 * flows.cell_padding
        # (shown: the header's line and the rows')
        if not flows.show_vertical_scrollbar and len(rows) >= shown:
            # More rows than the panel shows: the vertical scrollbar comes once they are added,
            # after this layout, and would take its width from the columns. Its room is left
            # now (the scrollbar is no resize of the panel: OpenWorkTable would not see it).
            room -= flows.styles.scrollbar_size_vertical
        if (room, rows) == getattr(self, "_workflows_laid_out", None):
            return  # the same rows at the same width: a resize that left it as it was
        self._workflows_laid_out = (room, rows)
        headers = (_("Work"), _("State"), _("Mechanism"))
        widths = [max([cell_len(h), *(cell_len(r[i]) for r in rows)])
                  for i, h in enumerate(headers)]
        # The title takes what a whole state and the mechanism leave, but at least half;
        # the state what is left then, 16 cells at least (a long one is cut); the mechanism,
        # which the title often names, the rest.
        title = min(widths[0], max(room // 2, room - widths[1] - widths[2]))
        state = min(widths[1], max(STATE_MIN, room - title - widths[2]))
        cursor = flows.cursor_row
        flows.clear(columns=True)
        flows.add_column(headers[0], width=title if room > 0 else None)
        flows.add_column(headers[1], width=state if room > 0 else None)
        flows.add_column(headers[2])
        flows.add_rows(rows)
        if rows:
            flows.move_cursor(row=min(cursor, len(rows) - 1))

    def lay_out_workflows_again(self) -> None:
        """The open-work panel changed size: its columns are laid out for the new width."""
        if getattr(self, "_workflow_rows", None):
            self.call_after_refresh(self._lay_out_workflows)

    def action_verify(self) -> None:
        self.civic.verify_chain()

    def action_reload(self) -> None:
        self.refresh_data()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        data = getattr(self, "dashboard", None)
        if data is None:
            return
        if event.data_table.id == "dash-workflows":
            flow = data.workflows[event.cursor_row]
            if flow.mode:
                self.civic.action_open_mode(flow.mode)
        elif event.data_table.id == "dash-notices":
            self.civic.action_open_mode("notices")
        elif event.data_table.id == "dash-audit":
            self.civic.action_open_mode("audit")
