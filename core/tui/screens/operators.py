"""Operators: who may log in, with which role, and in what state (ctrl+o, or the palette).

An admin adds accounts (the setup code is shown once, to hand over in person), issues a new
code, deactivates and reactivates; a step that touches a supervisor is co-signed by another
supervisor. Anyone changes their own password here. Every step is core's (civic.auth): the
screen only asks and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Label, Static

from civic import auth
from civic.errors import CivicError, PermissionDenied
from civic.i18n import N_, _
from civic.office import Operator
from civic.tui.dialogs.base import Dialog
from civic.tui.screens.base import SubScreen
from civic.tui.text import role_label
from civic.tui.widgets.wide_table import WideTable
from civic.vocabulary import label


class SetupCodeDialog(Dialog[None]):
    """Shows a new account's setup code once; it is never stored in clear, nor shown again."""

    def __init__(self, name: str, code: str, expires: str) -> None:
        super().__init__()
        self.name_text, self.code, self.expires = name, code, expires

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Setup code for {name}").format(name=self.name_text),
                        classes="dialog-title")
            yield Static(Text(self.code, style="bold"), id="setup-code")
            yield Static(_("Give it to {name} in person: it is shown only now and expires at "
                           "{expires}. {name} types it at the login screen and chooses their "
                           "own password.").format(name=self.name_text, expires=self.expires))
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Done"), id="done", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)


class OperatorsScreen(SubScreen):
    SCREEN_TITLE = N_("Operators")
    HELP = N_("Operator accounts with their role and state. An admin adds an account (a "
              "one-time setup code is shown, for its person to choose their own password), "
              "issues a new code, deactivates or reactivates; a step that touches a "
              "supervisor is co-signed by another supervisor. Anyone changes their own "
              "password with p.")
    BINDINGS = [
        Binding("a", "add", N_("Add")),
        Binding("d", "deactivate", N_("Deactivate")),
        Binding("r", "reactivate", N_("Reactivate")),
        Binding("c", "new_code", N_("New setup code")),
        Binding("p", "password", N_("My password")),
    ]

    def compose_body(self) -> ComposeResult:
        table: WideTable = WideTable(id="operators-table", cursor_type="row")
        table.add_columns(_("Name"), _("Role"), _("State"), _("Created"))
        yield table

    def refresh_data(self) -> None:
        table = self.query_one("#operators-table", DataTable)
        table.clear()
        for row in auth.list_operators(self.civic.db):
            table.add_row(row["name"], role_label(row["role"]), label(row["state"]),
                          (row["created_at"] or "")[:10], key=row["name"])

    def selected(self) -> str | None:
        table = self.query_one("#operators-table", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    # -- steps --------------------------------------------------------------------------------

    def _admin(self, action: str) -> bool:
        """True if the operator is an admin; otherwise the refusal is audited and shown."""
        operator = self.civic.operator
        if operator is None:
            return False
        try:
            auth.require_role(self.civic.office, operator, action, auth.ADMIN_ROLES)
        except PermissionDenied as error:
            self.civic.show_error(error)
            return False
        return True

    def _signed(self, name: str, role: str | None, action: str,
                step: Callable[[Operator | None], Any], done: Callable[[Any], object]) -> None:
        """Run `step` with a supervisor's co-signature when it touches a supervisor."""
        def run(signer: Operator | None) -> None:
            try:
                result = step(signer)
            except CivicError as error:
                self.civic.show_error(error)
                return
            self.civic.data_changed()
            done(result)

        if not auth.cosign_needed(self.civic.db, name, role):
            run(None)
            return
        from civic.tui.dialogs.cosign import CosignDialog

        self.app.push_screen(CosignDialog(action),
                             lambda signer: run(signer) if signer is not None else None)

    def action_add(self) -> None:
        action = _("add an operator")
        if not self._admin(action):
            return
        from civic.tui.dialogs.form import Field, FormDialog

        roles = [(role_label(r), r) for r in auth.ROLES]

        def add(values: dict[str, str] | None) -> None:
            if values is None:
                return
            name, role = values["name"], values["role"]
            self._signed(name, role, action, lambda signer: auth.invite_operator(
                self.civic.office, name, role, cosigner=signer),
                lambda made: self.app.push_screen(SetupCodeDialog(name, made[1], made[2])))

        self.app.push_screen(FormDialog(_("Add an operator"), [
            Field("name", _("Operator name")),
            Field("role", _("Role"), "operator", choices=roles),
        ], submit=_("Add")), add)

    def action_new_code(self) -> None:
        action = _("issue a setup code")
        name = self.selected()
        if name is None or not self._admin(action):
            return
        self._signed(name, None, action, lambda signer: auth.reissue_setup_code(
            self.civic.office, name, cosigner=signer),
            lambda made: self.app.push_screen(SetupCodeDialog(name, made[0], made[1])))

    def _switch(self, name: str | None, action: str, question: str,
                step: Callable[..., None], done: str) -> None:
        if name is None or not self._admin(action):
            return
        from civic.tui.dialogs.confirm import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._signed(name, None, action,
                             lambda signer: step(self.civic.office, name, cosigner=signer),
                             lambda _r: self.app.notify(done, markup=False))

        self.app.push_screen(ConfirmDialog(question), confirmed)

    def action_deactivate(self) -> None:
        name = self.selected()
        self._switch(name, _("deactivate an operator"),
                     _("Deactivate {name}? They can no longer log in, change data or "
                       "co-sign.").format(name=name), auth.deactivate,
                     _("{name} is deactivated.").format(name=name))

    def action_reactivate(self) -> None:
        name = self.selected()
        self._switch(name, _("reactivate an operator"),
                     _("Reactivate {name}?").format(name=name), auth.reactivate,
                     _("{name} is active again.").format(name=name))

    def action_password(self) -> None:
        from civic.tui.dialogs.password import PasswordDialog

        me = self.civic.operator
        if me is None:
            return
        office = self.civic.office
        self.app.push_screen(PasswordDialog(
            _("Change your password"), _("Current password"),
            lambda old, new: auth.change_password(office, me.name, old, new)),
            lambda done: self.app.notify(_("Password changed for {name}.").format(
                name=me.name), markup=False) if done else None)

