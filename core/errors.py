"""Errors a user may see. The CLI and TUI print these without a traceback."""

from __future__ import annotations

from typing import NamedTuple


class CivicError(Exception):
    """A refusal or failure with a message fit for the operator (already translated)."""


class InputProblem(NamedTuple):
    """One problem in an input file: where it is and why it is wrong.

    A NamedTuple, as the other records every command imports (ladders.Step, PeopleQuery):
    building a frozen dataclass runs generated code at import, ~0.5 ms each of a read
    command's start-up."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = self.file
        if self.row is not None:
            place += f":{self.row}"
        if self.column:
            place += f":{self.column}"
        return f"{place}: {self.reason}"


class InputError(CivicError):
    """A file was rejected as a whole; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PermissionDenied(CivicError):
    """The operator may not do this (role, password, or missing co-signature)."""
