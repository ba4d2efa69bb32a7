"""`civic backup DEST`, `civic audit checkpoint` and `civic audit check-checkpoint FILE`.

Backups go only through SQLite's online backup API: copying the file while the office works
can catch a page half-written or miss the WAL; the API copies one consistent snapshot.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from civic.actions import performs
from civic.cli.context import State, emit, json_option, pass_state, secret
from civic.errors import CivicError
from civic.i18n import _

KEY_ENV = "CIVIC_CHECKPOINT_KEY"
PASSPHRASE_ENV = "CIVIC_CHECKPOINT_PASSPHRASE"


# --- backup ----------------------------------------------------------------------------------

def backup_database(source: Path, dest: Path) -> dict:
    """Copy `source` to `dest` through the backup API, then prove the copy whole.

    The copy is built beside `dest` and renamed into place only once it has passed
    `integrity_check` and the audit chain verifies, so `dest` is never a half-made file.
    """
    from civic import audit
    from civic.db import Database, open_db

    if dest.exists():
        raise CivicError(_("{path} exists already; choose a new file for the backup.")
                         .format(path=dest))
    if not dest.parent.is_dir():
        raise CivicError(_("The folder {path} does not exist.").format(path=dest.parent))
    part = dest.with_name(f".{dest.name}.part")
    part.unlink(missing_ok=True)
    src = open_db(source, create=False)
    try:
        target = sqlite3.connect(str(part))
        try:
            # pages=-1: the whole database in one step, from one read snapshot (WAL lets the
            # office keep writing meanwhile); a stepwise copy restarts on every write.
            src.conn.backup(target, pages=-1)
            # A standalone file: no -wal beside it to lose when the copy is carried away.
            target.execute("PRAGMA journal_mode = DELETE")
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
            chain = audit.verify(Database(target))
        finally:
            target.close()
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise CivicError(_("The backup failed: {reason}").format(reason=exc)) from exc
    finally:
        src.close()
    if ok != "ok" or not chain.ok:
        part.unlink(missing_ok=True)
        raise CivicError(_("The copy failed its check ({problem}); no backup was written.")
                         .format(problem=ok if ok != "ok" else chain.reason))
    os.replace(part, dest)
    return {"path": str(dest), "entries": chain.entries, "head": chain.head,
            "bytes": dest.stat().st_size}


@performs("backup.copy")
@click.command(help=_("Copy the database to DEST through SQLite's backup API, safely while "
                      "others write, and check the copy."))
@click.argument("dest", type=click.Path(dir_okay=False))
@json_option
@pass_state
def backup(state: State, dest: str, as_json: bool) -> None:
    result = backup_database(Path(state.db_path), Path(dest))
    emit(result, as_json, lambda r: _(
        "Backed up to {path}: {entries} audit entries, head {head}; the copy verifies.")
        .format(path=r["path"], entries=r["entries"], head=r["head"]))


# --- checkpoints -----------------------------------------------------------------------------

def _key_path(state: State, key: str | None) -> Path:
    """`--key`, else $CIVIC_CHECKPOINT_KEY, else `<database>.checkpoint-key` beside it."""
    value = key or os.environ.get(KEY_ENV)
    if value:
        return Path(value)
    from civic.checkpoint import default_key_path

    return default_key_path(state.db_path)


key_option = click.option(
    "--key", help=_("The office's checkpoint key file (else $CIVIC_CHECKPOINT_KEY, else "
                    "DB.checkpoint-key); kept outside the database."))


@performs("audit.checkpoint")
@click.command("checkpoint", help=_("Sign the audit chain's head with the office's key and "
                                    "write it to a file kept away from the database."))
@key_option
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help=_("Checkpoint file (default: checkpoint-ENTRY.json)."))
@json_option
@pass_state
def checkpoint(state: State, key: str | None, output: str | None, as_json: bool) -> None:
    from civic import checkpoint as cpt

    key_path = _key_path(state, key)
    # Recorded in the chain (so later notices print it): an operator signs, not anyone.
    office = state.office_for("audit.checkpoint")
    if not key_path.exists():
        passphrase = _new_passphrase()
    else:
        passphrase = secret(PASSPHRASE_ENV, _("Passphrase for {path}").format(path=key_path))
    cp, out, created = cpt.sign_chain(office, key_path, passphrase,
                                      Path(output) if output else None)

    def text(d: dict) -> str:
        lines = []
        if created:
            lines.append(_("Created the checkpoint key {path} and {pub}.").format(
                path=key_path, pub=cpt.public_path(key_path)))
        lines.append(_("Signed entry {entry}, head {head}; wrote {file}. Keep it away from "
                       "the database.").format(entry=d["entry"], head=d["head"], file=out))
        return "\n".join(lines)

    emit({**cp.__dict__, "file": str(out), "key_created": bool(created)}, as_json, text)


def _new_passphrase() -> str:
    import sys

    value = os.environ.get(PASSPHRASE_ENV)
    if value is None:
        if not sys.stdin.isatty():
            raise CivicError(_("No passphrase given: set {env} or run at a terminal.")
                             .format(env=PASSPHRASE_ENV))
        value = click.prompt(_("New passphrase for the checkpoint key"), hide_input=True,
                             confirmation_prompt=True)
    return value  # its length is checked where the key is made (checkpoint.sign_chain)


@performs("audit.read")
@click.command("check-checkpoint", help=_("Check that the database still holds the head a "
                                          "checkpoint file signed (catches rewrites and "
                                          "truncation); exit 1 if not."))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--public-key", help=_("The office's public key (default: KEY.pub)."))
@key_option
@json_option
@pass_state
def check_checkpoint(state: State, file: str, public_key: str | None, key: str | None,
                     as_json: bool) -> None:
    from civic import checkpoint as cpt

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CivicError(_("Cannot read {file}: {reason}").format(
            file=file, reason=getattr(exc, "strerror", None) or exc)) from exc
    cp = cpt.Checkpoint.from_json(text, Path(file).name)
    pub = Path(public_key) if public_key else cpt.public_path(_key_path(state, key))
    result = cpt.check(state.db(), cp, cpt.load_public_key(pub))
    emit(result.as_dict(), as_json, lambda r: (
        _("Checkpoint holds: {reason}.") if r["ok"] else _("Checkpoint FAILS: {reason}."))
        .format(reason=r["reason"]))
    if not result.ok:
        raise SystemExit(1)
