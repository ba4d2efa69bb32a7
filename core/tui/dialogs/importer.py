"""Import a file: a path, an importer run in a worker, and every problem listed on failure.

    app.push_screen(ImportDialog(_("Import people"),
                                 lambda office, path: import_file(office, "people", path)),
                    on_result)

The importer gets an `Office` on the worker's own connection, acting as the logged-in
operator; whatever it returns is the dialog's result (None when cancelled or refused).

Every import is previewed first: Enter (or Import) runs the importer in a transaction that is
rolled back (civic.preview) and lists the rows it would add and change, or every problem as
file:row:column; only a clean preview of the same, unchanged file arms Import, which the
operator then presses (Enter on the focused button) to import it for real.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Static

from civic.db import Database
from civic.errors import CivicError, InputError
from civic.i18n import _, ngettext
from civic.office import Office
from civic.preview import Preview, preview
from civic.tui.dialogs.base import Dialog
from civic.tui.workers import run_db_worker

Importer = Callable[[Office, Path], Any]


class PathSuggester(Suggester):
    """Completes the last part of a path from the files that exist."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        path = Path(os.path.expanduser(value))
        folder, stem = (path, "") if value.endswith(os.sep) else (path.parent, path.name)
        try:
            names = sorted(p.name + (os.sep if p.is_dir() else "") for p in folder.iterdir())
        except OSError:
            return None
        match = next((n for n in names if n.startswith(stem) and not n.startswith(".")), None)
        return value + match[len(stem):] if match else None


class ImportDialog(Dialog[Any]):
    DEFAULT_CSS = """
    ImportDialog > .dialog { width: 100; }
    ImportDialog ProgressBar { display: none; }
    ImportDialog.-running ProgressBar { display: block; }
    ImportDialog #problems { display: none; height: auto; max-height: 16; }
    ImportDialog.-failed #problems, ImportDialog.-previewed #problems { display: block; }
    """

    def __init__(self, title: str, importer: Importer, *, path: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.importer = importer
        self.initial_path = path
        self._previewed: tuple[Path, int, int] | None = None  # the file a clean preview read

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(_("File (CSV or XLSX)"))
            yield Input(self.initial_path, id="path", suggester=PathSuggester(),
                        placeholder=_("path to the file; → completes"))
            yield ProgressBar(total=None, show_eta=False, show_percentage=False)
            yield Static("", id="error", classes="dialog-error")
            yield OptionList(id="problems")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Preview"), id="preview")
                yield Button(_("Import"), id="import", variant="primary")
                yield Button(_("Close"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.start()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._previewed = None  # another file: preview it first
        self.set_class(False, "-previewed")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import":
            self.start()
        elif event.button.id == "preview":
            self.start(preview_only=True)
        else:
            self.action_cancel()

    @property
    def busy(self) -> bool:
        # An import is one transaction: it finishes or fails whole, so it is not abandoned.
        return self.has_class("-running")

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def start(self, *, preview_only: bool = False) -> None:
        if self.has_class("-running"):
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._fail(CivicError(_("Name a file to import.")))
            return
        path = Path(os.path.expanduser(text))
        if not path.is_file():
            self._fail(CivicError(_("No file at {path}.").format(path=path)))
            return
        stat = path.stat()
        seen = (path, stat.st_mtime_ns, stat.st_size)
        real = not preview_only and self._previewed == seen
        app = self.app
        self.set_class(True, "-running")
        self.set_class(False, "-failed")
        self.set_class(False, "-previewed")
        self.query_one("#error", Static).update(Text(
            (_("Importing {name}…") if real else _("Checking {name}…")).format(name=path.name)))

        def work(db: Database) -> Any:
            office = Office(db, app.pm, actor=app.operator, clock=app.clock)  # type: ignore
            if real:
                return self.importer(office, path)
            return preview(office, lambda o: self.importer(o, path))

        if real:
            run_db_worker(self, work, self._done, group="import", failed=self._fail)
        else:
            run_db_worker(self, work, lambda found: self._shown(found, seen), group="import",
                          failed=self._fail)

    def _shown(self, found: Preview, seen: tuple[Path, int, int]) -> None:
        """A preview's outcome: the rows it would add and change, or every problem."""
        self.set_class(False, "-running")
        if found.problems:
            self._fail(InputError(found.problems))
            return
        if found.error is not None:
            self._fail(CivicError(found.error))
            return
        self._previewed = seen
        self.query_one("#error", Static).update(Text(_(
            "Preview of {name}: nothing is written yet. Import keeps it.").format(
                name=seen[0].name)))
        rows = self.query_one("#problems", OptionList)
        rows.clear_options()
        rows.add_options([Text(line) for line in found.lines()])
        self.set_class(True, "-previewed")
        self.query_one("#import", Button).focus()

    def _done(self, result: Any) -> None:
        self.set_class(False, "-running")
        self.dismiss(result)

    def _fail(self, error: CivicError) -> None:
        self.set_class(False, "-running")
        problems = self.query_one("#problems", OptionList)
        problems.clear_options()
        if isinstance(error, InputError):
            n = len(error.problems)
            self.query_one("#error", Static).update(ngettext(
                "{n} problem; nothing was imported.", "{n} problems; nothing was imported.",
                n).format(n=n))
            problems.add_options([Text(str(p)) for p in error.problems])
            self.set_class(True, "-failed")
            problems.focus()
        else:
            self.query_one("#error", Static).update(Text(str(error)))
            self.query_one("#path", Input).focus()
