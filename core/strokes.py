"""Names in surname stroke order (按姓氏笔画排序), the convention for ballots and published lists.

Candidates on ballots and names on notices (公示) are listed by the stroke count of the surname,
then of the following characters (DOMAIN.md "Names on ballots and published lists").

Data: total stroke counts from the Unicode Han Database (kTotalStrokes, Unihan 15.0, mainland
value) for the BMP's CJK blocks, in data/strokes.txt with its licence notice. Limits, said
plainly: Unihan holds no stroke order, so characters with equal counts are not ordered by their
first stroke (起笔: 横竖撇点折) as a printed list would be, but by code point; and the surname is
taken to be the first character (compound surnames such as 欧阳 still sort by 欧). Characters
without data (Latin, digits) come after every Han character, by code point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_DATA = Path(__file__).parent / "data" / "strokes.txt"
_NO_DATA = 1000  # after any real count (the most is 52)


@cache
def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    with open(_DATA, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            count, chars = line.rstrip("\n").split("\t")
            table.update(dict.fromkeys(chars, int(count)))
    return table


def strokes(char: str) -> int | None:
    """Total strokes of one Han character; None when the data does not know it."""
    return _table().get(char)


def stroke_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort key: (strokes, code point) per character of the name, surname first."""
    table = _table()
    return tuple((table.get(c, _NO_DATA), ord(c)) for c in name.strip())


def by_strokes(items: Iterable[T], name: Callable[[T], str],
               tie: Callable[[T], str] = lambda _item: "") -> list[T]:
    """`items` in stroke order of `name(item)`; `tie` (e.g. a person code) keeps it stable."""
    return sorted(items, key=lambda item: (stroke_key(name(item)), tie(item)))
