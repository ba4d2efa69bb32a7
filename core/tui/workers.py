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
