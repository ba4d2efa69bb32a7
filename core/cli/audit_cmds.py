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


def _short(payload: dict) -> str:
    from civic.audit import canonical_json

    text = canonical_json(payload)
    return text if len(text) < 60 else text[:57] + "..."
