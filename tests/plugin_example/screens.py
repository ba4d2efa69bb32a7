"""The commendations mode: every award and admonition on record."""

from __future__ import annotations

from textual.widgets import DataTable

from civic.i18n import N_, _
from civic.tui.screens.base import CivicScreen


class CommendationsScreen(CivicScreen):
    SCREEN_TITLE = N_("Commendations")
    HELP = N_("Awards and admonitions. An admonition bars promotion for six months, in every "
              "mechanism's eligibility.")

    def compose_body(self):
        table = DataTable(id="commendations-table", cursor_type="row")
        table.border_title = _("Commendations and admonitions")
        yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("Person"), _("What"), _("Detail"))

    def refresh_data(self) -> None:
        db = self.civic.db
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows([(r[0], _("Commendation"), r[1]) for r in db.execute(
            "SELECT person, title FROM commendations_awards ORDER BY id")])
        table.add_rows([(r[0], _("Admonition"), f"{r[1]} {r[2]}") for r in db.execute(
            "SELECT person, decided_on, reason FROM commendations_admonitions ORDER BY id")])
