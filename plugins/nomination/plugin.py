"""The nomination plugin's hook implementations (entry point `nomination`)."""

from __future__ import annotations

from typing import Any

from civic import hookimpl


@hookimpl
def register_migrations() -> Any:
    from civic.plugins.nomination.migrations import migrations

    return migrations


@hookimpl
def register_event_types(register: Any) -> None:
    from civic.plugins.nomination.events import EVENTS

    for cls in EVENTS:
        register(cls)


@hookimpl
def register_actions(register: Any) -> None:
    from civic.actions import change, read
    from civic.i18n import N_

    for action in (
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
        change("nomination.certify", N_("certify a count"), cosign=True),
        change("nomination.draft_notice", N_("draft a notice")),
        change("nomination.publish_notice", N_("publish a notice"), cosign=True),
        change("nomination.open_round", N_("open a round")),
    ):
        register(action)


@hookimpl
def register_commands(cli: Any) -> None:
    # A placeholder with the group's help (the same text as in cli.py): `civic --help` lists it
    # without importing cli.py, which loads when a `civic nomination ...` command runs.
    from civic.cli.lazy import LazyCommand
    from civic.i18n import _

    cli.add_command(LazyCommand(
        "nomination", "civic.plugins.nomination.cli:nomination",
        help=_("Two-round nomination (两轮推荐提名): open round, public notice, "
               "conference round, reserve candidates.")))


@hookimpl
def register_rule_settings(register: Any) -> None:
    from civic.plugins.nomination.rules import QUORUM

    register(QUORUM)


@hookimpl
def open_workflows(db: Any) -> list:
    from civic.plugins.nomination.workflow import open_workflows as found

    return found(db)


@hookimpl(tryfirst=True)  # July 2008: before the placement of September (the clock only runs on)
def register_demo_data(office: Any, rng: Any) -> None:
    from civic.plugins.nomination.demo import add_demo_nomination

    add_demo_nomination(office, rng)


@hookimpl
def register_modes(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import Mode

    def make(app: Any) -> Any:
        from civic.plugins.nomination.screens import NominationsScreen

        return NominationsScreen()

    register(Mode("nomination", N_("Nomination"), "f8", make, order=120,
                  action="nomination.read"))


@hookimpl
def register_palette_commands(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import PaletteCommand

    register(PaletteCommand(N_("Nominations"),
                            N_("Two-round nomination: rounds, ballots, count, notice, reserve"),
                            lambda app: app.action_open_mode("nomination"),
                            action="nomination.read"))
