"""The audit chain's state (verified, or broken at entry N) and the progress of a re-check."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from civic.audit import VerifyResult
from civic.i18n import _


def chain_text(result: VerifyResult | None, running: bool) -> str:
    if result is None:
        return _("Audit chain: checking…") if running else _("Audit chain: not yet checked")
    if result.ok:
        return _("Audit chain verified: {n} entries, head {head}").format(
            n=result.entries, head=result.head[:12])
    return _("Audit chain BROKEN at entry {id}: {reason}").format(
        id=result.broken_at, reason=result.reason)


class ChainStatus(Horizontal):
    """Follows the app's `chain` and `chain_progress`; the app runs the verification."""

    DEFAULT_CSS = """
    ChainStatus { height: 1; }
    ChainStatus Label { width: 1fr; }
    ChainStatus.-ok Label { color: $success; }
    ChainStatus.-broken Label { color: $error; text-style: bold; }
    ChainStatus ProgressBar { width: 40; display: none; }
    ChainStatus.-running ProgressBar { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="chain-text")
        yield ProgressBar(id="chain-progress", show_eta=False)

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

    def _progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
