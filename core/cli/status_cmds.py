"""`civic status`: the office's open work, with what is due when."""

from __future__ import annotations

import datetime as dt

import click

from civic.actions import performs
from civic.cli.context import DATE, State, emit, json_option, pass_state, table
from civic.i18n import _


@performs("status.read")
@click.command(help=_("Open work in every mechanism, the soonest due first."))
@click.option("--on", "on", type=DATE,
              help=_("Reference date for what is overdue (default today)."))
@json_option
@pass_state
def status(state: State, on: dt.date | None, as_json: bool) -> None:
    from civic.workflows import open_work

    today = on or dt.date.today()
    work = [w.as_dict(today) for w in open_work(state.pm, state.db(), today)]
    data = {"on": today.isoformat(), "open": work}

    def text_out(d: dict) -> str:
        if not d["open"]:
            return _("No open work on {date}.").format(date=d["on"])
        # The mechanism as the operator knows it: the title of its mode (军转安置), as on the
        # dashboard; civic.tui.modes imports no Textual.
        from civic.tui.modes import collect_modes

        titles = {m.name: _(m.title) for m in collect_modes(state.pm)}
        rows = [{**w, "plugin": titles.get(w.get("mode") or w["plugin"],
                                           titles.get(w["plugin"], w["plugin"])),
                 "due": (w["due"] or "") + (" " + _("overdue") if w["overdue"] else "")}
                for w in d["open"]]
        return table(rows, [("plugin", _("Mechanism")), ("ref", _("Ref")),
                            ("title", _("Title")), ("state", _("State")),
                            ("due", _("Due"))])

    emit(data, as_json, text_out)
