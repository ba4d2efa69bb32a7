"""A third-party plugin written against the public API alone: a table, its actions, two
commands (a change and a read), an event."""

from __future__ import annotations

from dataclasses import dataclass

import click
from sqlite_utils import Migrations

from civic import hookimpl
from civic.audit import Event

migrations = Migrations("civic.commendations")


@migrations()
def m001_commendations(db) -> None:
    db.execute("CREATE TABLE commendations_awards (id INTEGER PRIMARY KEY,"
               " person TEXT NOT NULL REFERENCES people(code), title TEXT NOT NULL)")


@dataclass
class Commended(Event):
    type = "commendations.commended"
    TITLE = "Commendation awarded"  # a plugin with a catalog of its own marks it N_()
    person: str
    title: str

    def subject(self) -> str:
        return f"person:{self.person}"


@hookimpl
def register_migrations():
    return migrations


@hookimpl
def register_event_types(register):
    register(Commended)


@hookimpl
def register_actions(register):
    from civic.actions import change, read

    # A plugin with a catalog of its own marks the titles N_() and translates them.
    register(change("commendations.award", "award a commendation"))
    register(read("commendations.read", "list commendations"))


@hookimpl
def register_commands(cli):
    from civic.actions import performs
    from civic.cli.context import State, emit, json_option, pass_state

    @performs("commendations.award")
    @cli.command("commend")
    @click.argument("person")
    @click.argument("title")
    @pass_state
    def commend(state: State, person: str, title: str) -> None:
        office = state.office_for("commendations.award")
        with office.change() as change:
            office.db["commendations_awards"].insert({"person": person, "title": title})
            change.record(Commended(person=person, title=title))
        click.echo(f"commended {person}")

    @performs("commendations.read")
    @cli.command("commendations")
    @json_option
    @pass_state
    def commendations(state: State, as_json: bool) -> None:
        rows = list(state.db().query("SELECT person, title FROM commendations_awards"))
        emit(rows, as_json, lambda rs: "\n".join(f"{r['person']} {r['title']}" for r in rs))


@hookimpl
def eligibility_problems(db, person, position, on_date):
    from civic.eligibility import Problem

    if "blocked" in (person.get("tags") or ""):
        return [Problem("commendations.blocked", None, None, "blocked by test plugin")]
    return []


@hookimpl
def notice_period(kind):
    return 7 if kind == "commendations.award" else None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["shout"] = lambda text: str(text).upper()


@hookimpl
def track_event(db, event, entry):
    tracked.append((event.type, entry.id))


@hookimpl
def open_workflows(db):
    return []


@hookimpl
def register_demo_data(office, rng):
    pass


@hookimpl
def register_modes(register):
    pass


@hookimpl
def register_palette_commands(register):
    pass


@hookimpl
def add_hookspecs(pm):
    pass


tracked: list[tuple[str, int]] = []
