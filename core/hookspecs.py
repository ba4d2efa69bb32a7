"""Every core hookspec. Plugins implement them with `from civic import hookimpl`.

Each hook is documented in docs/plugin_hooks.md; a meta-test fails when one is not.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "civic"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_migrations() -> Any:
    """Return the one `sqlite_utils.Migrations` set the plugin owns (named `civic.<plugin>`)."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add click commands or groups to the `civic` command group `cli`."""


@hookspec
def register_modes(register: Any) -> None:
    """Call `register(mode)` with a `civic.tui.modes.Mode` for each TUI mode the plugin adds."""


@hookspec
def register_palette_commands(register: Any) -> None:
    """Call `register(command)` with a `civic.tui.modes.PaletteCommand` per palette entry."""


@hookspec
def register_actions(register: Any) -> None:
    """Call `register(action)` with a `civic.actions.Action` for each action the plugin's
    commands, keys and palette entries perform (name, title, changes data, co-signed, roles)."""


@hookspec
def register_event_types(register: Any) -> None:
    """Call `register(cls)` with each audit event dataclass the plugin defines."""


@hookspec
def track_event(db: Any, event: Any, entry: Any) -> None:
    """Called after an audited change has been committed, with the event and its audit entry."""


@hookspec
def eligibility_problems(db: Any, person: dict, position: dict, on_date: Any) -> list | None:
    """Return a list of `civic.eligibility.Problem` that bar `person` from `position` on a date."""


@hookspec
def eligibility_problems_many(db: Any, pairs: list, on_date: Any) -> dict | None:
    """Problems for many (person, position) pairs at once: {index in `pairs`: [Problem, ...]}
    for the pairs barred (bulk checks: one query for a batch, not one per pair)."""


@hookspec(firstresult=True)
def notice_period(kind: str) -> int | None:
    """Return the notice period in working days for notices of `kind`, or None for the default."""


@hookspec
def prepare_jinja2_environment(env: Any) -> None:
    """Add filters, globals or tests to the sandboxed notice environment `env`."""


@hookspec
def register_demo_data(office: Any, rng: Any) -> None:
    """Add the plugin's part of the demo office through `office.change()` (demo admin as actor,
    demo clock), drawing randomness only from `rng`, a `random.Random` of the plugin's own."""


@hookspec
def register_demo_stages(office: Any, rng: Any, today: Any) -> list | None:
    """Return the work the demo leaves part-done for the operator to finish on `today` (a
    `datetime.date`, the demo's day): (datetime, step) pairs, each `step()` a callable that
    writes through `office.change()`. Core runs every plugin's steps after all demo data, in
    time order, the clock moved on to each step's time first."""


@hookspec
def open_workflows(db: Any, today: Any) -> list | None:
    """Return `civic.workflows.Workflow` items still open (for the dashboard and `civic status`)
    on `today` (a `datetime.date`: the office's day, or `civic status --on`)."""


@hookspec
def register_rule_settings(register: Any) -> None:
    """Call `register(setting)` with a `civic.rule_settings.RuleSetting` for each setting that
    carries a regulation's value (default, floor or range, source); changes to it are then
    range-checked, co-signed by a supervisor and audited by core."""


@hookspec
def person_sections(db: Any, person: dict) -> list | None:
    """Return `civic.registry.Section` items the plugin adds to a person's record (TUI person
    screen, `civic people show`), texts in the current language; an empty list when none."""


@hookspec
def register_notice_kinds(register: Any) -> None:
    """Call `register(kind)` with a `civic.templating.NoticeKind` for each kind of public
    notice the plugin posts (its title, template, default period and template folder)."""


@hookspec(firstresult=True)
def describe_fact_source(source_plugin: str, source_ref: str) -> str | None:
    """Word the source of a person fact the plugin recorded (`civic.facts.record(source=
    (plugin, ref))`) in the current language, as eligibility and the person's record show it
    ("accountability case No. 12", 第12号问责案件); None for another plugin's facts."""


@hookspec(firstresult=True)
def describe_subject(db: Any, subject: str) -> str | None:
    """Word a subject the plugin writes (an audit entry's or a notice's: `nomination:1:1`) in
    the current language, as every screen and `civic audit` show it ("2008年第三季度公开推荐
    第1轮"); None for a subject that is not the plugin's (`civic.subjects.describe`)."""


@hookspec(firstresult=True)
def ballot_form_validity(db: Any, round_key: str) -> Any:
    """For a round of graded contests the plugin owns (by its `round_key`), return its form
    validity rule: a callable `(contest, section) -> reason | None` (`civic.tally.FormValidity`)
    that core's count (`civic.contests.count`) applies to each form's section, counting a void
    one as a form and reporting it by reason; None for another plugin's round."""


@hookspec(historic=True)
def add_hookspecs(pm: pluggy.PluginManager) -> None:
    """Add hookspecs a plugin publishes for others (names prefixed with the plugin's name)."""
