"""A few labelled fields in a dialog (recording an objection, its handling, and the like).

A form that changes data passes `apply`: the step runs on submit, inside the dialog, and a
refusal (`CivicError`) keeps the dialog open with what was typed and the message shown, under
the field it is about when it is a `FieldError`. Nothing typed is lost to a validation error:

    def create(values): return store.create(office, title=values["title"], ...)
    app.push_screen(FormDialog(_("New"), fields, apply=create), on_created)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from civic.errors import CivicError
from civic.i18n import N_, _
from civic.tui.dialogs.base import Dialog


class FieldError(CivicError):
    """A refusal about one field of a form: shown under that field, which takes the focus."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
    secret: bool = False  # a passphrase: typed hidden, kept as typed (spaces included)


def iso_date(text: str) -> str | None:
    """A Field's `check` for a date written YYYY-MM-DD."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return _("Write the date as YYYY-MM-DD.")
    return None


class FormDialog(Dialog[Any]):
    """Dismisses once every required field is filled and checks, and `apply` (if given)
    succeeded: with what `apply` returned (the {field name: text} values when it returned
    None, or when there is no `apply`), or None when cancelled."""

    DEFAULT_CSS = """
    FormDialog TextArea { height: 6; margin-bottom: 1; }
    FormDialog .dialog > Label { width: 100%; }  /* a long field label wraps, not cut */
    FormDialog .field-error { display: none; margin-bottom: 1; }
    FormDialog .field-error.-shown { display: block; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", N_("Save"))]

    def __init__(self, title: str, fields: Sequence[Field], *, submit: str | None = None,
                 apply: Callable[[dict[str, str]], Any] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.submit_label = submit or _("Save")
        self.apply = apply
        self._opened_with: dict[str, str] | None = None  # the values as the form opened
        self._finished = False  # submitted or discarded: nothing left to ask about

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
                    yield Input(field.value, id=f"field-{field.name}", password=field.secret)
                yield Static("", id=f"error-{field.name}", classes="dialog-error field-error")
            yield Static("", id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.submit_label, id="submit", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query(f"#field-{self.fields[0].name}").first().focus()
        self._opened_with = self.values()
        # Focusing scrolls the first field to the middle of a form taller than the screen,
        # which hid the form's title and first label at 80x24: open at the top.
        self.call_after_refresh(self.query_one(".dialog").scroll_home, animate=False)

    def unsaved_work(self) -> str | None:
        if self._finished or self._opened_with is None or self.values() == self._opened_with:
            return None
        return _("the form “{title}”, filled in").format(title=self.title_text)

    def save_work(self) -> bool:
        return self.submit()

    def discard_work(self) -> None:
        self._finished = True

    def values(self) -> dict[str, str]:
        out = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, TextArea):
                out[field.name] = widget.text.strip()
            elif isinstance(widget, Select):
                out[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            elif field.secret:
                out[field.name] = widget.value  # type: ignore[attr-defined]
            else:
                out[field.name] = widget.value.strip()  # type: ignore[attr-defined]
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.submit()
        else:
            self.close_asking()

    def action_submit(self) -> None:
        self.submit()

    def show_error(self, message: str, field: str | None = None) -> None:
        """Show `message` under `field` (and focus it), or under the form; clear the rest."""
        names = {f.name for f in self.fields}
        target = field if field in names else None
        for name in names:
            box = self.query_one(f"#error-{name}", Static)
            box.update(Text(message) if name == target else "")
            box.set_class(name == target, "-shown")
        self.query_one("#error", Static).update("" if target else Text(message))
        if target:
            self.query_one(f"#field-{target}").focus()

    def submit(self) -> bool:
        """Check and apply the form; True once it is done (and the dialog dismissed)."""
        values = self.values()
        for field in self.fields:
            value = values[field.name]
            problem = (_("{field} is required.").format(field=field.label)
                       if field.required and not value else
                       field.check(value) if field.check and value else None)
            if problem:
                self.show_error(problem, field.name)
                return False
        result = None
        if self.apply is not None:
            try:
                result = self.apply(values)
            except FieldError as error:
                self.show_error(str(error), error.field)
                return False
            except CivicError as error:
                self.show_error(str(error))
                return False
        self._finished = True
        self.dismiss(values if result is None else result)
        return True
