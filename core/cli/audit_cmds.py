"""`civic audit verify|log|checkpoint|check-checkpoint`."""

from __future__ import annotations

import click

from civic.actions import performs
from civic.cli.backup_cmds import check_checkpoint, checkpoint
from civic.cli.context import State, emit, json_option, pass_state, table
from civic.i18n import _


@click.group(help=_("The tamper-evident audit log."))
def audit() -> None:
    pass


# Defined beside `civic backup` (both keep a copy of the truth outside the file), listed here.
audit.add_command(checkpoint)
audit.add_command(check_checkpoint)


@performs("audit.read")
@audit.command("verify", help=_("Recompute the hash chain and check operators and settings "
                                "against it; exit 1 at the first broken entry or changed row."))
@json_option
@pass_state
def verify(state: State, as_json: bool) -> None:
    from civic import audit as audit_log
    from civic.cli.progress import Progress

    with Progress(_("Checking the audit chain"), as_json) as progress:
        result = audit_log.verify(state.db(), progress=progress)

    def text(r) -> str:
        if r.ok:
            return _("Chain verified: {n} entries, head {head}.").format(n=r.entries, head=r.head)
        return r.message()

    emit(result.as_dict(), as_json, lambda _d: text(result))
    if not result.ok:
        raise SystemExit(1)


@performs("audit.read")
@audit.command("log", help=_("List audit entries, newest first."))
@click.option("--type", "type_prefix", help=_("Only types starting with this."))
@click.option("--subject", help=_("Only this subject, e.g. person:P0001."))
@click.option("--limit", type=int, default=50, show_default=True)
@json_option
@pass_state
def log(state: State, type_prefix: str | None, subject: str | None, limit: int,
        as_json: bool) -> None:
    from civic import audit as audit_log

    rows = [e.as_dict() for e in audit_log.entries(state.db(), type_prefix=type_prefix,
                                                   subject=subject, limit=limit)]

    def text(rs: list[dict]) -> str:
        from civic.events import event_types
        from civic.subjects import describer

        # The words for people; --json keeps the stored type and subject.
        titles, word = event_types(state.pm), describer(state.db(), state.pm)
        shown = [{**r, "type": titles.title(r["type"]), "subject": word(r["subject"]),
                  "hash": r["hash"][:12], "payload": _short(r["payload"])} for r in rs]
        return table(shown, [("id", "#"), ("time", _("Time")), ("actor", _("Actor")),
                             ("cosigner", _("Co-signer")), ("type", _("Event")),
                             ("subject", _("Subject")), ("hash", _("Hash"))])

    emit(rows, as_json, text)


@performs("audit.read")
@audit.command("show", help=_("Show one audit entry: its columns and its payload, each field "
                              "labelled; --json prints it as stored."))
@click.argument("entry", type=int)
@json_option
@pass_state
def show(state: State, entry: int, as_json: bool) -> None:
    from civic import audit as audit_log
    from civic.errors import CivicError

    db = state.db()
    row = db.execute("SELECT id FROM audit_log WHERE id = ?", [entry]).fetchone()
    if row is None:
        raise CivicError(_("No audit entry {id}.").format(id=entry))
    found = audit_log.entries(db, limit=1, offset=_offset(db, entry))[0]

    def text(_d: dict) -> str:
        from civic.events import event_types
        from civic.subjects import describer, payload_rows
        from civic.textwidth import pad, width

        word = describer(db, state.pm)
        title = event_types(state.pm).title(found.type)
        subject = word(found.subject)
        rows = [(_("No."), str(found.id)), (_("Time"), found.time),
                (_("Operator"), found.actor), (_("Co-signer"), found.cosigner or ""),
                (_("Event"), f"{title} ({found.type})" if title != found.type else title),
                (_("Subject"), f"{subject} ({found.subject})" if subject != found.subject
                 else subject),
                (_("Hash"), found.hash), (_("Previous"), found.prev_hash), ("", "")]
        rows += payload_rows(db, state.pm, found.type, found.data(), word)
        wide = max(width(label) for label, _v in rows)
        return "\n".join(f"{pad(label, wide)}  {value}".rstrip() for label, value in rows)

    emit(found.as_dict(), as_json, text)


def _offset(db, entry: int) -> int:
    """Where `entry` is in the newest-first order `civic.audit.entries` reads."""
    return db.execute("SELECT count(*) FROM audit_log WHERE id > ?", [entry]).fetchone()[0]


def _short(payload: dict) -> str:
    from civic.audit import canonical_json

    text = canonical_json(payload)
    return text if len(text) < 60 else text[:57] + "..."
