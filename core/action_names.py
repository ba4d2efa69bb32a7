"""The mark by which a CLI command names the declared actions it performs (civic.actions).

Apart from the declarations so that a read command marks itself without building them: every
command module applies `performs` when it loads, and `civic people list` needs nothing else of
civic.actions. `civic.actions` re-exports these names, where plugins import them from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ATTRIBUTE = "civic_actions"


def performs(*names: str) -> Callable[[Any], Any]:
    """Name the declared actions a CLI command performs, first the one it is for:

        @performs("notice.publish")
        @notice.command("publish")
        ...

    Above or below click's decorator: on a click command it sets the attribute, on a function
    it marks the callback. A command that shows or changes (`placement scheme`) names both.
    """

    def mark(target: Any) -> Any:
        setattr(target, ATTRIBUTE, tuple(names))
        return target

    return mark


def actions_of(command: Any) -> tuple[str, ...]:
    """The actions a click command names (empty if it names none)."""
    found = getattr(command, ATTRIBUTE, None)
    if found is None:
        found = getattr(getattr(command, "callback", None), ATTRIBUTE, None)
    return tuple(found or ())
