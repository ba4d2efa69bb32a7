"""The election plugin's hook implementations (entry point `election`).

The standard wiring (migrations, events, actions, the command group, workflows, demo, mode and
palette) is `civic.wiring.StandardHooks`; the hooks below it are the election's own.
"""

from __future__ import annotations

from typing import Any

from civic import hookimpl
from civic.i18n import N_
from civic.wiring import ModeSpec, StandardHooks


def _actions() -> tuple:
    from civic.actions import change, read

    return (
        read("election.read", N_("read elections")),
        change("election.create", N_("create an election")),
        change("election.roll", N_("record the roll, attendance and ballot figures")),
        change("election.ballots", N_("import ballots or tallies")),
        change("election.round", N_("open a runoff or a re-vote")),
        change("election.certify", N_("certify an election"), cosign=True),
        change("election.notice", N_("draft a results notice")),
        change("election.term", N_("set term targets and extensions")),
        change("election.recall", N_("record a recall petition and its vote")),
        change("election.recall_decide", N_("decide a recall"), cosign=True),
    )


StandardHooks(
    "election", "civic.plugins.election",
    # The same text as the group's help in cli.py.
    help=N_("Direct elections (公推直选): party organisations, school principals, deputies, "
            "villages; runoffs, terms, recall."),
    actions=_actions, cli="cli:build_group",
    mode=ModeSpec(N_("Elections"), "screens:ElectionsScreen", key="f9", order=130,
                  action="election.read"),
    palette=[(N_("Elections"), N_("Direct elections: count, certify, batches, terms, recall"))],
).install(globals())


@hookimpl
def register_notice_kinds(register: Any) -> None:
    from pathlib import Path  # here, not at the top: a read command never imports pathlib

    from civic.plugins.election.notice import KIND
    from civic.templating import NoticeKind

    # Files result.zh_CN.j2 and result.en.j2 in templates/, reached as election/result.
    register(NoticeKind(KIND, N_("Election results notice"), "election/result",
                        period_days=5, folder=Path(__file__).parent / "templates"))


@hookimpl
def person_sections(db: Any, person: dict) -> list:
    from civic.plugins.election.workflows import person_section

    return person_section(db, person)


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`election:N` (and `election:N:R`, its round R's ballots), `election-batch:N`,
    `election-term:N`, `election-recall:N`."""
    from civic.i18n import _
    from civic.subjects import lookup

    parts = subject.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    kind, number = parts[0], int(parts[1])
    if kind == "election" and len(parts) in (2, 3):
        row = lookup(db, "SELECT title FROM election_elections WHERE id = ?", number)
        if row is None or len(parts) == 2:
            return row[0] if row else None
        return _("{title}, round {n}").format(title=row[0], n=parts[2])
    if len(parts) != 2:
        return None
    if kind == "election-batch":
        row = lookup(db, "SELECT title FROM election_batches WHERE id = ?", number)
        return row[0] if row else None
    term_sql = ("SELECT coalesce(p.name, t.person), t.office_title FROM election_terms t "
                "LEFT JOIN people p ON p.code = t.person WHERE t.id = ?")
    if kind == "election-term":
        row = lookup(db, term_sql, number)
        return _("term of {name} as {office}").format(name=row[0], office=row[1]) \
            if row else None
    if kind == "election-recall":
        found = lookup(db, "SELECT term FROM election_recalls WHERE id = ?", number)
        row = lookup(db, term_sql, found[0]) if found else None
        return _("recall of {name} as {office}").format(name=row[0], office=row[1]) \
            if row else None
    return None
