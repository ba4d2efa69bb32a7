"""A filter that shows its choice in one line and picks from a dialog: a light Select.

Textual's Select builds its whole drop-down (an OptionList of every option, plus its own
widgets and CSS) when it mounts, though it is rarely opened: for the people mode's 364 units
that was a good part of the mode's first frame. A FilterPicker is one widget; its choices
are asked for only when the operator opens it, and they are picked in the PickerDialog,
which narrows a long list as the operator types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from civic.i18n import N_
from civic.tui.text import translate_bindings

ALL = ""  # the picker's choice that clears the filter (no choice's value is empty)

Choices = Sequence[tuple[str, str]]


class FilterPicker(Widget, can_focus=True):
    """`value` is the chosen value, or None for no filter; a change posts `Changed`.

    `choices()` returns (label, value) pairs; it is called when the dialog opens (and to
    find the label of a value set from code), never at mount.
    """

    DEFAULT_CSS = """
    FilterPicker {
        width: 28;
        height: 3;
        padding: 0 2;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground 50%;
        pointer: pointer;
        &.-has-value { color: $foreground; }
        &:focus { border: tall $border; background-tint: $foreground 5%; }
    }
    """
    BINDINGS = [
        Binding("enter,space", "pick", N_("Choose")),
        Binding("delete,backspace", "clear", N_("No filter"), show=False),
    ]

    class Changed(Message):
        """The filter's value changed (None: no filter)."""

        def __init__(self, picker: FilterPicker, value: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> FilterPicker:
            return self.picker

    def __init__(self, prompt: str, title: str, choices: Callable[[], Choices], *,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        translate_bindings(self)
        self.prompt = prompt
        self.title_text = title
        self.choices = choices
        self._value: str | None = None
        self._label = ""

    @property
    def value(self) -> str | None:
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        value = value or None
        if value == self._value:
            return
        if value is None:
            label = ""
        else:
            label = next((lbl for lbl, v in self.choices() if v == value), None)
            if label is None:
                raise ValueError(f"{value!r} is not one of the choices")
        self._value, self._label = value, label.strip()
        self.set_class(value is not None, "-has-value")
        self.refresh()
        self.post_message(self.Changed(self, value))

    def clear(self) -> None:
        self.value = None

    def render(self) -> Text:
        width = max(2, self.content_size.width)
        label = Text(self._label or self.prompt, no_wrap=True, overflow="ellipsis")
        label.truncate(width - 2, overflow="ellipsis", pad=True)
        return Text.assemble(label, " ▼")

    def action_pick(self) -> None:
        from civic.tui.dialogs.picker import PickerDialog

        def picked(value: str | None) -> None:
            if value is not None:  # None: the dialog was cancelled
                self.value = value or None
            self.focus()

        self.app.push_screen(PickerDialog(self.title_text, self.choices(),
                                          always=[(self.prompt, ALL)]), picked)

    def action_clear(self) -> None:
        self.clear()

    def on_click(self, event: events.Click) -> None:
        self.action_pick()

