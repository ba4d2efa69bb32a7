"""The placement plugin's hook implementations (entry point `placement`)."""

from __future__ import annotations

from typing import Any

from civic import hookimpl


@hookimpl
def register_migrations() -> Any:
    from civic.plugins.placement.migrations import migrations

    return migrations


@hookimpl
def register_event_types(register: Any) -> None:
    from civic.plugins.placement.events import EVENTS

    for cls in EVENTS:
        register(cls)


@hookimpl
def register_actions(register: Any) -> None:
    from civic.actions import change, read
    from civic.i18n import N_

    for action in (
        read("placement.read", N_("read placement batches")),
        change("placement.create", N_("create a placement batch")),
        change("placement.scheme", N_("set a batch's scheme")),
        change("placement.import", N_("import into a placement batch")),
        change("placement.override", N_("pre-assign an officer")),
        change("placement.room", N_("open the choosing room")),
        change("placement.pick", N_("record a pick")),
        change("placement.run", N_("run a placement batch")),
        change("placement.certify", N_("certify a placement batch"), cosign=True),
        change("placement.draft_notice", N_("draft a notice")),
    ):
        register(action)


@hookimpl
def register_commands(cli: Any) -> None:
    # A placeholder with the group's help (the same text as in cli.py): `civic --help` lists it
    # without importing cli.py, which loads when a `civic placement ...` command runs.
    from civic.cli.lazy import LazyCommand
    from civic.i18n import _

    cli.add_command(LazyCommand(
        "placement", "civic.plugins.placement.cli:build_group",
        help=_("Military-transfer placement (军转干部安置): score, rank, "
               "choose posts in rank order.")))


@hookimpl
def open_workflows(db: Any) -> list:
    from civic.plugins.placement.workflows import open_workflows as found

    return found(db)


@hookimpl
def register_demo_data(office: Any, rng: Any) -> None:
    from civic.plugins.placement.demo import add_demo_batch

    add_demo_batch(office, rng)


@hookimpl
def register_modes(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import Mode

    def make(app: Any) -> Any:
        from civic.plugins.placement.screens import PlacementScreen

        return PlacementScreen()

    register(Mode("placement", N_("Placement"), "f7", make, order=110,
                  action="placement.read"))


@hookimpl
def register_palette_commands(register: Any) -> None:
    from civic.i18n import N_
    from civic.tui.modes import PaletteCommand

    register(PaletteCommand(N_("Placement batches"),
                            N_("Military-transfer placement: batches, the choosing room"),
                            lambda app: app.action_open_mode("placement"),
                            action="placement.read"))
