"""The placement plugin's hook implementations (entry point `placement`).

The standard wiring (migrations, events, actions, the command group, workflows, demo, mode and
palette) is `civic.wiring.StandardHooks`; the hooks below it are the placement's own.
"""

from __future__ import annotations

from typing import Any

from civic import hookimpl
from civic.i18n import N_
from civic.wiring import ModeSpec, StandardHooks


def _actions() -> tuple:
    from civic.actions import change, read

    return (
        read("placement.read", N_("read placement batches")),
        change("placement.create", N_("create a placement batch")),
        change("placement.scheme", N_("set a batch's scheme")),
        change("placement.import", N_("import into a placement batch")),
        change("placement.override", N_("pre-assign an officer")),
        change("placement.draw", N_("record the public draw"), cosign=True),
        change("placement.room", N_("open the choosing room")),
        change("placement.pick", N_("record a pick")),
        change("placement.run", N_("run a placement batch")),
        change("placement.certify", N_("certify a placement batch"), cosign=True),
        change("placement.draft_notice", N_("draft a notice")),
        change("placement.appoint", N_("record a batch's appointments after its notice")),
    )


StandardHooks(
    "placement", "civic.plugins.placement",
    # The same text as the group's help in cli.py.
    help=N_("Military-transfer placement (军转干部安置): score, rank, "
            "choose posts in rank order."),
    actions=_actions,
    demo="demo:add_demo_batch",
    mode=ModeSpec(N_("Placement"), "screens:PlacementScreen", key="f7", order=110,
                  action="placement.read"),
    palette=[(N_("Placement batches"),
              N_("Military-transfer placement: batches, the choosing room"))],
).install(globals())


@hookimpl
def register_rule_settings(register: Any) -> None:
    from civic.plugins.placement.rules import MIN_YEARS_IN_GRADE, NOTICE_FIRST

    register(NOTICE_FIRST)
    register(MIN_YEARS_IN_GRADE)


@hookimpl
def register_demo_stages(office: Any, rng: Any, today: Any) -> list:
    from civic.plugins.placement.demo import held_stages

    return held_stages(office, rng, today)


@hookimpl
def describe_subject(db: Any, subject: str) -> str | None:
    """`placement:N`: the batch, by its title."""
    from civic.subjects import lookup

    kind, _sep, rest = subject.partition(":")
    if kind != "placement" or not rest.isdigit():
        return None
    row = lookup(db, "SELECT title FROM placement_batches WHERE id = ?", int(rest))
    return row[0] if row else None
