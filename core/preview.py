"""A dry run of an import: the import itself, in a transaction that is rolled back.

The preview runs the very code the import runs (its checks, its writes, its audit row), so
what it shows is what the import would do, not a second reading of the file that could
disagree with it. Nothing is kept and no `track_event` hook fires: the outermost transaction
is this one, and it always ends in a rollback.

    found = preview(office, lambda o: import_file(o, "people", path))
    found.problems   # every problem as file:row:column, or []
    found.lines()    # rows to add and to change, worded for the operator
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from civic.errors import CivicError, InputError, InputProblem
from civic.i18n import _, ngettext
from civic.office import Office, storage_errors


@dataclass
class Preview:
    """What an import would do: its result (as a dict) or why it would be refused."""

    result: dict[str, Any] | None
    problems: list[InputProblem] = field(default_factory=list)
    error: str | None = None
    raw: Any = None  # what the import returned, for the command's own sentence about it

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": True, "ok": self.ok, "result": self.result,
                "problems": [p._asdict() for p in self.problems], "error": self.error}

    def lines(self) -> list[str]:
        """The preview in words: rows to add and to change, or the refusal."""
        if self.problems:
            return [ngettext("{n} problem; the file would be refused.",
                             "{n} problems; the file would be refused.",
                             len(self.problems)).format(n=len(self.problems))]
        if self.error is not None:
            return [self.error]
        return describe(self.result or {})


def preview(office: Office, work: Callable[[Office], Any]) -> Preview:
    """Run `work(office)` (an import) in a transaction that is rolled back; say what it did."""
    conn = office.db.conn
    if conn.in_transaction:
        # Inside another change a rollback would undo that change too.
        raise CivicError(_("A preview cannot run inside another change."))
    with storage_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            office._require_active()
            result = work(office)
        except InputError as error:
            return Preview(None, sorted(error.problems,
                                        key=lambda p: (p.file, p.row or 0, p.column or "")))
        except CivicError as error:
            return Preview(None, error=str(error))
        finally:
            if conn.in_transaction:
                conn.rollback()
    return Preview(_as_dict(result), raw=result)


def _as_dict(result: Any) -> dict[str, Any]:
    data = result.as_dict() if hasattr(result, "as_dict") else result
    if not isinstance(data, dict):
        return {"result": data}
    # The audit entry a dry run wrote was rolled back: its number means nothing.
    return {k: v for k, v in data.items() if k != "audit_id"}


def describe(result: dict[str, Any]) -> list[str]:
    """A registry import's rows to add, change and leave (with the columns that change);
    other imports' counts as given."""
    if {"added", "updated", "unchanged"} <= result.keys():
        from civic.exports import headers

        changed = result.get("fields") or {}
        # Columns as the operator's file heads them (姓名, not name).
        label = dict(zip(*headers(result["table"]), strict=True)) if "table" in result else {}
        columns = _(", ").join(f"{label.get(name, name)} {count}"
                               for name, count in changed.items() if count)
        return [ngettext("{n} row to add", "{n} rows to add", result["added"]).format(
                    n=result["added"]),
                ngettext("{n} row to change", "{n} rows to change", result["updated"]).format(
                    n=result["updated"]) + (f": {columns}" if columns else ""),
                ngettext("{n} row unchanged", "{n} rows unchanged", result["unchanged"]).format(
                    n=result["unchanged"])]
    # A mechanism's import (ballots, officers, a sign-in sheet): its own counts.
    return [f"{_(key)}: {_count(value)}" for key, value in result.items()]


def _count(value: Any) -> str:
    if isinstance(value, list | dict):
        return str(len(value))
    return str(value)
