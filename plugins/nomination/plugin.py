"""The nomination plugin's hook implementations (entry point `nomination`).

The standard wiring (migrations, events, actions, the command group, workflows, demo, mode and
palette) is `civic.wiring.StandardHooks`; the hooks below it are the nomination's own.
"""

from __future__ import annotations

from typing import Any

from civic import hookimpl
from civic.i18n import N_
from civic.wiring import ModeSpec, StandardHooks


def _actions() -> tuple:
    from civic.actions import change, read

    return (
        read("nomination.read", N_("read nominations")),
        change("nomination.create", N_("create a nomination")),
        change("nomination.roll", N_("load a roll")),
        change("nomination.attend", N_("record attendance")),
        change("nomination.ballots_import", N_("import ballots")),
        change("nomination.ballots_enter", N_("enter ballots")),
        change("nomination.ballots_record", N_("record ballots issued and returned")),
        change("nomination.ballot_delete", N_("delete a ballot"), cosign=True),
        change("nomination.adjudicate", N_("adjudicate a write-in")),
        change("nomination.revote", N_("record a re-vote")),
        change("nomination.decide_tie",
               N_("record the department meeting's decision on a tie"), cosign=True),
        change("nomination.certify", N_("certify a count"), cosign=True),
        change("nomination.draft_notice", N_("draft a notice")),
        change("nomination.publish_notice", N_("publish a notice"), cosign=True),
        change("nomination.open_round", N_("open a round")),
        change("nomination.reserve", N_("name the reserve candidates after the notice")),
    )


StandardHooks(
    "nomination", "civic.plugins.nomination",
    # The same text as the group's help in cli.py.
    help=N_("Two-round nomination (两轮推荐提名): open round, public notice, "
            "conference round, reserve candidates."),
    actions=_actions,
    # July 2008: before the placement of September (the demo's clock only runs on).
    demo="demo:add_demo_nomination", demo_first=True,
    mode=ModeSpec(N_("Nomination"), "screens:NominationsScreen", key="f8", order=120,
                  action="nomination.read"),
    palette=[(N_("Nominations"),
              N_("Two-round nomination: rounds, ballots, count, notice, reserve"))],
).install(globals())


@hookimpl
def register_rule_settings(register: Any) -> None:
    from civic.plugins.nomination.rules import NOTICE_FIRST, QUORUM

    register(QUORUM)
    register(NOTICE_FIRST)


@hookimpl
def register_notice_kinds(register: Any) -> None:
    from pathlib import Path

    from civic.plugins.nomination.notice import INSPECTION_KIND
    from civic.templating import NoticeKind

    # The notice after round 2. Its period comes from the office's pack by edition
    # (core/packs/notice_periods.toml), as round 1's does; round 1's kind stays unregistered, as
    # it was: `notice.draft` names its template, and a notice drafted by hand under that kind
    # keeps core's layout.
    register(NoticeKind(INSPECTION_KIND, N_("Candidates for inspection (考察对象公示)"),
                        "nomination/inspection", folder=Path(__file__).parent / "templates"))


@hookimpl
def register_demo_stages(office: Any, rng: Any, today: Any) -> list:
    from civic.plugins.nomination.demo import held_stages

    return held_stages(office, rng, today)


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`nomination:N` (a nomination) and `nomination:N:R` (its round R: notices, ballots)."""
    from civic.i18n import _
    from civic.subjects import lookup

    parts = subject.split(":")
    if parts[0] != "nomination" or len(parts) not in (2, 3) or not parts[1].isdigit():
        return None
    row = lookup(db, "SELECT title FROM nomination_nominations WHERE id = ?", int(parts[1]))
    if row is None:
        return None
    if len(parts) == 2:
        return row[0]
    return _("{title}, round {n}").format(title=row[0], n=parts[2])
