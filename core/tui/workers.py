"""Running slow database work off the screen's thread.

sqlite connections must not cross threads, so each worker opens its own connection on the
app's database file, does its work, closes it, and hands the result back on the app's thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from civic.db import Database, open_db
from civic.errors import CivicError
from civic.i18n import _

if TYPE_CHECKING:
    from civic.tui.app import CivicApp

T = TypeVar("T")


def run_db_worker(node: DOMNode, work: Callable[[Database], T], done: Callable[[T], Any], *,
                  group: str, failed: Callable[[CivicError], Any] | None = None,
                  exclusive: bool = True) -> Worker[None]:
    """Run `work(db)` in a thread on a fresh connection; call `done(result)` on the app thread.

    A CivicError goes to `failed` (default: a notification). A newer worker in the same group
    cancels this one, and a cancelled worker's result is dropped.
    """
    app: CivicApp = node.app  # type: ignore[assignment]
    path = app.db_path
    report = failed or app.show_error

    def run() -> None:
        worker = get_current_worker()
        try:
            db = open_db(path, create=False)
        except CivicError as error:
            _post(app, worker, report, error)
            return
        try:
            result = work(db)
        except CivicError as error:
            _post(app, worker, report, error)
            return
        except sqlite3.Error as error:  # a locked or damaged file: tell the operator
            _post(app, worker, report, CivicError(
                _("The database could not be read: {error}").format(error=error)))
            return
        finally:
            db.close()
        _post(app, worker, done, result)

    return node.run_worker(run, thread=True, group=group, exclusive=exclusive,
                           exit_on_error=True)


def _post(app: CivicApp, worker: Worker, callback: Callable[[Any], Any], value: Any) -> None:
    if worker.is_cancelled or not app.is_running:
        return
    app.call_from_thread(callback, value)


def progress_poster(app: CivicApp, callback: Callable[[int, int], Any]) -> Callable[[int, int],
                                                                                 None]:
    """A progress callback for the worker's thread that updates the screen on the app's."""

    def post(done: int, total: int) -> None:
        if app.is_running:
            app.call_from_thread(callback, done, total)

    return post


def when_settled(screen: Any, callback: Callable[[], Any]) -> None:
    """Call `callback` once `screen` is drawn and quiet: every message its widgets had queued
    handled, and nothing left to lay out or paint.

    For background work the operator does not wait for (the chain check): started beside the
    screen's first frames, its thread took the interpreter from them and its result drew
    them again. `call_after_refresh` alone came too early: after the first paint, with the
    layouts that follow it still queued.
    """

    def busy() -> bool:
        # The conditions Textual's Screen checks on idle before it paints again (private
        # names: without them, the screen counts as quiet, the callback merely comes early).
        return bool(getattr(screen, "_callbacks", None)) or any(
            getattr(screen, name, False) for name in (
                "_layout_required", "_scroll_required", "_repaint_required",
                "_recompose_required", "_dirty_widgets"))

    def after_queued() -> None:
        if not screen.is_attached:
            return  # gone meanwhile (a log-out): nothing to start
        nodes = [screen.app, *screen.walk_children(with_self=True)]
        left = len(nodes)

        def handled() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                check()

        for node in nodes:
            if not node.call_later(handled):
                handled()  # a node that closed meanwhile has nothing queued

    def check() -> None:
        if not screen.is_attached:
            return
        if busy():
            screen.call_after_refresh(after_queued)
        else:
            callback()

    screen.call_after_refresh(after_queued)
