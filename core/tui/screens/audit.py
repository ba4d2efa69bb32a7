"""The audit log: newest first, paged; filter by event type and subject; an entry's payload;
verify the chain with progress; back up; sign a checkpoint of the chain's head."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Static

from civic import audit
from civic.db import Database
from civic.i18n import N_, _
from civic.tui.screens.searched import SearchedScreen
from civic.tui.widgets.chain import ChainStatus
from civic.tui.widgets.paged_table import Column, PagedTable


@dataclass(frozen=True)
class AuditSource:
    """`type_prefix` matches the start of the stored type (`core.` or `core.notice`), `types`
    the types whose titles hold the operator's words; subject exact. As
    `civic.audit.entries` filters."""

    type_prefix: str = ""
    subject: str = ""
    pm: Any = None  # words each subject (civic.subjects), in the worker as the page is read
    types: tuple[str, ...] = ()

    def count(self, db: Database) -> int:
        return audit.count_entries(db, type_prefix=self.type_prefix or None,
                                   subject=self.subject or None, types=self.types)

    def fetch(self, db: Database, offset: int, limit: int) -> list[dict]:
        from civic.subjects import describer

        word = describer(db, self.pm)
        return [e.__dict__ | {"entry": e, "subject_text": word(e.subject)}
                for e in audit.entries(db, type_prefix=self.type_prefix or None,
                                       subject=self.subject or None, limit=limit,
                                       offset=offset, types=self.types)]


PAYLOAD_SHOWN = 20_000


def _time(value: str) -> str:
    return value[:16].replace("T", " ")


def entry_view(entry: audit.AuditEntry, title: str = "", subject: str = "",
               fields: list[tuple[str, str]] | None = None) -> Any:
    """The entry's columns, and beside them its payload: `fields` (label, value) in the
    operator's language as `civic.subjects.payload_rows` words them, or, without them, the
    payload as stored (indented JSON) for the supervisor who checks the chain. `title` says what
    the entry records and `subject` what it is about; the type and subject as stored and hashed
    are shown with them."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold", no_wrap=True)
    head.add_column()
    event = f"{title} ({entry.type})" if title and title != entry.type else entry.type
    about = (f"{subject} ({entry.subject})" if subject and subject != entry.subject
             else entry.subject)
    for label, value in ((_("No."), entry.id), (_("Time"), entry.time),
                         (_("Operator"), entry.actor), (_("Co-signer"), entry.cosigner or ""),
                         (_("Event"), event), (_("Subject"), about),
                         (_("Hash"), entry.hash), (_("Previous"), entry.prev_hash)):
        head.add_row(label, str(value))
    outer = Table.grid(padding=(0, 3), expand=True)
    outer.add_column(ratio=2)
    outer.add_column(ratio=3)
    if fields is not None:
        body = Table.grid(padding=(0, 2))
        body.add_column(style="bold", no_wrap=True)
        body.add_column(overflow="fold")  # a long list wraps rather than ends in "…"
        for label, value in fields:
            body.add_row(label, Text(value))
        outer.add_row(head, body)
        return outer
    payload = json.dumps(entry.data(), ensure_ascii=False, indent=2, sort_keys=True)
    if len(payload) > PAYLOAD_SHOWN:
        # An import of 100,000 people lists every code: highlighting all of it would stall.
        payload = payload[:PAYLOAD_SHOWN] + "\n" + _(
            "… {shown} of {total} characters shown; `civic audit log --json` prints it all."
        ).format(shown=PAYLOAD_SHOWN, total=len(payload))
    outer.add_row(head, Syntax(payload, "json", word_wrap=True, theme="ansi_dark"))
    return outer


class AuditScreen(SearchedScreen):
    SCREEN_TITLE = N_("Audit log")
    TABLE_ID = "audit-table"
    REFRESH_ON_SHOW = True  # refusals and logins are audited without a data change
    HELP = N_("Every change, newest first: who, when, what and why. Filter by words of the "
              "event (e.g. operator added) or the start of its stored type (e.g. core.notice), or "
              "by an exact subject (e.g. person:C0001); the "
              "highlighted entry's payload shows on the right, in words; j shows it as stored (JSON), as the hash covers it. v verifies the hash chain; k "
              "signs a checkpoint of its head, to keep away from the database.")
    BINDINGS = [
        Binding("slash", "search", N_("Filter")),
        Binding("v", "verify", N_("Verify chain")),
        Binding("b", "backup", N_("Back up")),
        Binding("k", "checkpoint", N_("Checkpoint")),
        Binding("j", "raw", N_("Raw JSON")),
    ]
    raw = False  # the payload as stored (JSON) rather than in words
    PERFORMS = {"backup": "backup.copy", "checkpoint": "audit.checkpoint"}

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="filters"):
            yield Input(id="audit-type", placeholder=_("event: words or type…"))
            yield Input(id="audit-subject", placeholder=_("subject (exact)"))
        yield PagedTable([
            Column("id", N_("No.")),
            Column("time", N_("Time"), _time),
            Column("actor", N_("Operator")),
            Column("cosigner", N_("Co-signer")),
            Column("type", N_("Event"), self.civic.event_title),
            Column("subject_text", N_("Subject")),
        ], id="audit-table")
        with VerticalScroll(id="audit-entry", classes="panel") as panel:
            panel.border_title = _("Entry")
            yield Static(_("Highlight an entry to see its payload."), id="audit-payload")
        yield ChainStatus(id="audit-chain")

    def refresh_data(self) -> None:
        kind = self.query_one("#audit-type", Input).value.strip()
        self.query_one("#audit-table", PagedTable).reload(AuditSource(
            kind, self.query_one("#audit-subject", Input).value.strip(), self.civic.pm,
            tuple(self.civic.event_types.matching(kind)) if kind else ()))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.query_one("#audit-table", PagedTable).current
        if row is not None:
            self.query_one("#audit-payload", Static).update(self._view(row["entry"]))

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        row = event.table.current
        self.query_one("#audit-payload", Static).update(
            self._view(row["entry"]) if row else _("No entries match."))

    def _view(self, entry: audit.AuditEntry) -> Any:
        from civic.subjects import describer, payload_rows

        app = self.civic
        word = describer(app.db, app.pm)
        fields = None if self.raw else payload_rows(app.db, app.pm, entry.type, entry.data(),
                                                     word)
        return entry_view(entry, app.event_title(entry.type), word(entry.subject), fields)

    def action_raw(self) -> None:
        """Switch the payload between its words and the JSON as stored and hashed."""
        self.raw = not self.raw
        row = self.query_one("#audit-table", PagedTable).current
        if row is not None:
            self.query_one("#audit-payload", Static).update(self._view(row["entry"]))

    def action_search(self) -> None:
        self.query_one("#audit-type", Input).focus()

    def action_verify(self) -> None:
        self.civic.verify_chain()

    def action_backup(self) -> None:
        """A checked copy of the database, as `civic backup DEST` makes."""
        from pathlib import Path

        from civic.cli.backup_cmds import backup_database

        if not self.civic.require_change("backup.copy"):
            return
        day = self.civic.office.today().isoformat()
        self.export_file(self.civic.title_of("backup.copy"), f"civic-backup-{day}.db",
                         lambda path: backup_database(self.civic.db_path, Path(path)))

    def action_checkpoint(self) -> None:
        """Sign the chain's head, as `civic audit checkpoint` does: the office's key (made
        now if there is none, with the passphrase typed twice) and the file to write."""
        import os
        from pathlib import Path

        from civic import audit as chain
        from civic import checkpoint as cpt
        from civic.cli.backup_cmds import KEY_ENV
        from civic.tui.dialogs.form import Field, FieldError, FormDialog

        if not self.civic.require_change("audit.checkpoint"):
            return
        key_path = Path(os.environ.get(KEY_ENV) or cpt.default_key_path(self.civic.db_path))
        new_key = not key_path.exists()
        entry, _head = chain.head(self.civic.db)
        fields = [Field("key", _("Key file"), str(key_path)),
                  Field("passphrase", _("New passphrase (at least 8 characters)") if new_key
                        else _("Passphrase"), secret=True)]
        if new_key:
            fields.append(Field("again", _("The new passphrase again"), secret=True))
        fields.append(Field("path", _("Checkpoint file"), f"checkpoint-{entry}.json"))

        def sign(values: dict[str, str]) -> str:
            key = Path(values["key"]).expanduser()
            if not key.exists() and not new_key:  # asked once: a new key needs it twice
                raise FieldError("key", _("No key file at {path}.").format(path=key))
            if not key.exists() and values["passphrase"] != values["again"]:
                raise FieldError("again", _("The two passphrases differ."))
            cp, out, created = cpt.sign_chain(self.civic.office, key, values["passphrase"],
                                              Path(values["path"]).expanduser())
            said = _("Signed entry {entry}; wrote {file}. Keep it away from the "
                     "database.").format(entry=cp.entry, file=out)
            if created:
                said = _("Created the checkpoint key {path} and {pub}.").format(
                    path=key, pub=cpt.public_path(key)) + "\n" + said
            return said

        def signed(said: str | None) -> None:
            if said:
                self.notify(said, title=self.civic.title_of("audit.checkpoint"), markup=False)
                self.civic.data_changed()

        self.app.push_screen(FormDialog(self.civic.title_of("audit.checkpoint"), fields,
                                        submit=_("Sign"), apply=sign), signed)
