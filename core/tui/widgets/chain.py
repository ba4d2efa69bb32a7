"""The audit chain's state (verified, or broken at entry N) and the progress of a re-check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label

from civic.audit import VerifyResult
from civic.i18n import _

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

BAR_DELAY = 0.3  # seconds: a check that ends sooner shows no progress bar at all


def chain_text(result: VerifyResult | None, running: bool) -> str:
    if result is None:
        return _("Audit chain: checking…") if running else _("Audit chain: not yet checked")
    if result.ok:
        return _("Audit chain verified up to entry {n}, head {head}").format(
            n=result.entries, head=result.head[:12])
    if result.broken_at is None:  # the chain holds; an operator or a setting does not
        return result.message()
    return _("Audit chain BROKEN at entry {id}: {reason}").format(
        id=result.broken_at, reason=result.reason)


class ChainStatus(Horizontal):
    """Follows the app's `chain` and `chain_progress`; the app runs the verification.

    The progress bar is built only when a check runs longer than `BAR_DELAY`: the chain is
    re-checked at every login, usually in milliseconds, and a bar mounted for that would
    only flash, and cost the dashboard's first frame its widgets and their CSS.
    """

    DEFAULT_CSS = """
    ChainStatus { height: 1; }
    ChainStatus Label { width: 1fr; }
    ChainStatus.-ok Label { color: $success; }
    ChainStatus.-broken Label { color: $error; text-style: bold; }
    ChainStatus ProgressBar { width: 40; display: none; }
    ChainStatus.-running ProgressBar { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._bar: ProgressBar | None = None
        self._bar_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="chain-text")

    def on_mount(self) -> None:
        self.watch(self.app, "chain", self._update, init=False)
        self.watch(self.app, "chain_running", self._update, init=False)
        self.watch(self.app, "chain_progress", self._progress, init=False)
        self._update()

    def _update(self, _value: object = None) -> None:
        result = self.app.chain
        running = self.app.chain_running
        self.query_one("#chain-text", Label).update(chain_text(result, running))
        self.set_class(running, "-running")
        self.set_class(result is not None and result.ok and not running, "-ok")
        self.set_class(result is not None and not result.ok and not running, "-broken")
        if running and self._bar is None and self._bar_timer is None:
            self._bar_timer = self.set_timer(BAR_DELAY, self._add_bar)

    def _add_bar(self) -> None:
        self._bar_timer = None
        if self._bar is not None or not self.app.chain_running:
            return
        from textual.widgets import ProgressBar

        self._bar = ProgressBar(id="chain-progress", show_eta=False)
        self.mount(self._bar)
        self._progress(self.app.chain_progress)

    def _progress(self, value: tuple[int, int]) -> None:
        if self._bar is None:
            return
        done, total = value
        self._bar.update(total=max(total, 1), progress=done)
