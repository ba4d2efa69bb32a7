"""Registry lists to CSV or XLSX for the office's spreadsheets, from the CLI and the app alike.

Headers are in the operator's language: in Chinese, the importer's own first Chinese header for
each column, so an exported file goes back in unchanged. Cells a spreadsheet would run as a
formula are neutralised (civic.tabular.write_table).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from civic.db import Database
from civic.i18n import current_language


def headers(what: str, lang: str | None = None) -> tuple[list[str], list[str]]:
    """(column names, headers shown) for units, positions or people."""
    from civic.importers import KINDS

    schema = KINDS[what].schema.columns
    names = [c.name for c in schema]
    if (lang or current_language()) != "zh_CN":
        return names, names
    return names, [next((a for a in c.aliases if not a.isascii()), c.name) for c in schema]


def export_list(db: Database, what: str, path: str | os.PathLike, *, fmt: str | None = None,
                people: Any = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Write a registry list; `people` (a civic.registry.PeopleQuery) narrows the people list
    to what a search shows. Returns the number of rows written."""
    from civic.tabular import write_table

    names, shown = headers(what)
    if what == "people" and people is not None:
        where, params = people.where()
    else:
        where, params = "", []
    total = db.execute(f"SELECT count(*) FROM [{what}]{where}", params).fetchone()[0]

    def rows() -> Iterator[list[Any]]:
        for done, r in enumerate(db.query(f"SELECT * FROM [{what}]{where} ORDER BY code",
                                          params), 1):
            yield [r.get(c) for c in names]
            if progress is not None:
                progress(done, total)

    return write_table(path, shown, rows(), format=fmt)
