"""Pick one item from a long list by typing part of its name."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from civic.i18n import _
from civic.tui.dialogs.base import Dialog

SHOWN = 200  # an OptionList of thousands is slow to lay out; narrow by typing instead


class PickerDialog(Dialog[str | None]):
    """`choices` are (label, value); dismisses with the chosen value or None.

    `always` are entries listed first whatever is typed ("All units"), and not counted: the
    count says how many of the list's own items are shown.
    """

    DEFAULT_CSS = """
    PickerDialog > .dialog { width: 90; }
    PickerDialog OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("down", "into_list", show=False)]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]],
                 always: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.always = list(always)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(id="filter", placeholder=_("type to narrow the list"))
            yield OptionList(id="choices")
            yield Label("", id="shown")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.strip().casefold()
        found = [(label, value) for label, value in self.choices
                 if not needle or needle in label.casefold() or needle in value.casefold()]
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        options.add_options([Option(Text(label), id=value)
                             for label, value in [*self.always, *found[:SHOWN]]])
        if self.always or found:
            # Typing narrows to what matches: Enter then takes the first match, not "All".
            options.highlighted = len(self.always) if needle and found else 0
        self.query_one("#shown", Label).update(
            _("{shown} of {total} shown").format(shown=min(len(found), SHOWN), total=len(found)))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_into_list(self) -> None:
        self.query_one("#choices", OptionList).focus()
