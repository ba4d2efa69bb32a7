"""Open workflows a plugin reports through `open_workflows` (dashboard, `civic status`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Workflow:
    """One piece of work still open: a round being counted, a case awaiting a decision.

    `ref` is the plugin's own key (a round id, a case number); `mode` names the TUI mode that
    opens it, when the plugin has one.
    """

    plugin: str
    ref: str
    title: str
    state: str
    mode: str | None = None
