"""A few labelled fields in a dialog (recording an objection, its handling, and the like)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from civic.i18n import N_, _
from civic.tui.dialogs.base import Dialog


@dataclass(frozen=True)
class Field:
    """`label` is shown as given (translate it); `check` returns an error message or None."""

    name: str
    label: str
    value: str = ""
    required: bool = True
    multiline: bool = False
    check: Callable[[str], str | None] | None = None
    choices: Sequence[tuple[str, str]] = ()  # (label, value): a Select instead of a text box


def iso_date(text: str) -> str | None:
    """A Field's `check` for a date written YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return _("Write the date as YYYY-MM-DD.")
    return None


class FormDialog(Dialog[dict[str, str] | None]):
    """Dismisses with {field name: text} once every required field is filled and checks."""

    DEFAULT_CSS = """
    FormDialog TextArea { height: 6; margin-bottom: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", N_("Save"))]

    def __init__(self, title: str, fields: Sequence[Field], *, submit: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.submit_label = submit or _("Save")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            for field in self.fields:
                yield Label(field.label)
                if field.choices:
                    yield Select(list(field.choices), id=f"field-{field.name}",
                                 value=field.value or Select.NULL, allow_blank=False)
                elif field.multiline:
                    yield TextArea(field.value, id=f"field-{field.name}", soft_wrap=True)
                else:
                    yield Input(field.value, id=f"field-{field.name}")
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, id="submit", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query(f"#field-{self.fields[0].name}").first().focus()

    def values(self) -> dict[str, str]:
        out = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                out[field.name] = widget.text.strip()
            elif isinstance(widget, Select):
                out[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                out[field.name] = widget.value.strip()  # type: ignore[attr-defined]
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.submit()
        else:
            self.dismiss(None)

    def action_submit(self) -> None:
        self.submit()

    def submit(self) -> None:
        values = self.values()
        for field in self.fields:
            value = values[field.name]
            problem = (_("{field} is required.").format(field=field.label)
                       if field.required and not value else
                       field.check(value) if field.check and value else None)
            if problem:
                self.query_one("#error", Static).update(Text(problem))
                self.query_one(f"#field-{field.name}").focus()
                return
        self.dismiss(values)
