"""Text shown by the app: translated labels for stored codes, masking, binding descriptions.

Binding descriptions are written with `N_` (class attributes are built at import, before the
language may be chosen) and translated per instance by `translate_bindings`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode

from civic.i18n import N_, _

# Record wording is core's (the CLI's `show` uses it too); re-exported for the screens, and
# imported when a screen first asks: the login screen uses this module, and civic.record_fields
# brings the date parsing, the calendar and the ladders, none of which the login needs.
if TYPE_CHECKING:
    from civic.record_fields import education_label as education_label
    from civic.record_fields import gender_label as gender_label
    from civic.record_fields import mask_id as mask_id
    from civic.record_fields import rank_label as rank_label
    from civic.record_fields import yes_no as yes_no

_RECORD_FIELDS = ("education_label", "gender_label", "mask_id", "rank_label", "yes_no")


def __getattr__(name: str) -> Any:
    if name in _RECORD_FIELDS:
        from civic import record_fields

        return getattr(record_fields, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

STATUS_LABELS = {
    "serving": N_("serving"),
    "reserve": N_("reserve"),
    "transferred": N_("transferred"),
    "retired": N_("retired"),
    "removed": N_("removed"),
}

APPOINTMENT_LABELS = {
    "appoint": N_("appointed"),
    "remove": N_("removed from post"),
    "transfer_in": N_("transferred in"),
}

RESERVE_LABELS = {
    "active": N_("active"),
    "withdrawn": N_("withdrawn"),
    "used": N_("used"),
}

ROLE_LABELS = {
    "admin": N_("admin"),
    "operator": N_("operator"),
    "supervisor": N_("supervisor"),
    "viewer": N_("viewer"),
}


def translate_bindings(node: DOMNode) -> None:
    """Replace each binding's msgid description (and tooltip) by its translation, for this
    node only."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=_(b.description) if b.description else "",
                                tooltip=_(b.tooltip) if b.tooltip else b.tooltip)
            for b in bindings
        ]


def status_label(code: str | None) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or "")


def label(labels: dict[str, str], code: str | None) -> str:
    """A stored code shown through its msgid; an unknown code as it is."""
    return _(labels[code]) if code in labels else (code or "")


def role_label(code: str | None) -> str:
    return _(ROLE_LABELS[code]) if code in ROLE_LABELS else (code or "")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)




class ItemsParagraph:
    """A paragraph of items ("Not elected: a: 14; b: 31; …") wrapped between the items, not
    inside them: each line ends with its separator. Wrapped as one text, a Chinese line could
    begin with "；" (a punctuation mark must not start a line), and an English item could be
    split from its count. An item wider than the whole line is folded as Rich folds any text.

    `template` holds `{items}` where the joined items go (e.g. the translated "Not elected:
    {reasons}" with `key="reasons"`)."""

    def __init__(self, template: str, items: list[str], separator: str, key: str = "items",
                 style: str = "") -> None:
        self.before, _sep, self.after = template.partition("{" + key + "}")
        self.items = items
        self.separator = separator
        self.style = style

    def lines(self, width: int) -> list[str]:
        """The paragraph's lines at `width` cells."""
        from rich.cells import cell_len

        pieces = [item + self.separator for item in self.items[:-1]] + self.items[-1:]
        pieces = [self.before + pieces[0], *pieces[1:]] if pieces else [self.before]
        pieces[-1] += self.after
        lines = [pieces[0]]
        for piece in pieces[1:]:
            # a separator's trailing space may end a line: it is dropped there, not counted
            if cell_len(lines[-1] + piece.rstrip()) <= width:
                lines[-1] += piece
            else:
                lines[-1] = lines[-1].rstrip()
                lines.append(piece)
        return lines

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        yield Text("\n".join(self.lines(options.max_width)), style=self.style)

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        whole = cell_len("".join(self.lines(10**9)))
        widest = max(cell_len(line) for line in self.lines(0))
        return Measurement(min(widest, options.max_width), min(whole, options.max_width))
