"""A supervisor's co-signature (the discipline commission witnesses the step).

Plugins use it for certifying a count or confirming a result:

    def signed(signer: Operator | None) -> None:
        if signer: certify(app.office, round_id, cosigner=signer)
    app.push_screen(CosignDialog(_("certify the count")), signed)
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from civic.auth import cosign
from civic.errors import CivicError
from civic.i18n import _
from civic.office import Office, Operator
from civic.tui.dialogs.base import Dialog


class CosignDialog(Dialog[Operator | None]):
    """Asks a supervisor's name and password; dismisses with the signer, or None if cancelled.

    Each wrong attempt is refused and audited by `civic.auth.cosign`; the dialog stays open
    to try again. `office` defaults to the app's (with the logged-in operator as actor).
    """

    def __init__(self, action: str, *, office: Office | None = None,
                 explanation: str | None = None) -> None:
        super().__init__()
        self.action_text = action
        self.office = office
        self.explanation = explanation

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(_("Supervisor's co-signature"), classes="dialog-title")
            yield Static(self.explanation or _(
                "A supervisor (discipline commission) must co-sign: {action}.").format(
                    action=self.action_text))
            yield Label(_("Supervisor"))
            yield Input(id="supervisor", placeholder=_("supervisor's operator name"))
            yield Label(_("Password"))
            yield Input(id="password", password=True)
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Co-sign"), id="sign", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#supervisor", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "supervisor":
            self.query_one("#password", Input).focus()
        else:
            self.sign()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sign":
            self.sign()
        else:
            self.dismiss(None)

    def sign(self) -> None:
        office = self.office or self.app.office  # type: ignore[attr-defined]
        name = self.query_one("#supervisor", Input).value.strip()
        password = self.query_one("#password", Input)
        try:
            signer = cosign(office, office.actor, name, password.value, self.action_text)
        except CivicError as error:
            self.query_one("#error", Static).update(Text(str(error)))
            password.value = ""
            (password if name else self.query_one("#supervisor", Input)).focus()
            return
        self.dismiss(signer)
