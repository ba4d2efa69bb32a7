"""Text wrapped in terminal cells, the way Chinese is set: no line begins with a closing mark
("，", "。", "）") nor ends with an opening one ("（") (避头尾)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.textwidth import NOT_AT_END, NOT_AT_START, width, wrap

BACKUP = "通过 SQLite 备份接口将数据库复制到 DEST（他人写入时也可安全进行），并校验副本。"


@pytest.mark.parametrize(("text", "cells", "lines"), [
    # `civic backup`'s help beside the command list at 80 columns: 60 cells
    (BACKUP, 60, ["通过 SQLite 备份接口将数据库复制到 DEST（他人写入时也可安全",
                  "进行），并校验副本。"]),
    # "（" does not end a line: it goes down with what it opens
    (BACKUP, 40, ["通过 SQLite 备份接口将数据库复制到 DEST",
                  "（他人写入时也可安全进行），并校验副本。"]),
    # "），" do not begin one: both go down with the character before them
    (BACKUP, 10, ["通过", "SQLite 备", "份接口将数", "据库复制到", "DEST（他人", "写入时也可",
                  "安全进", "行），并校", "验副本。"]),
    # English breaks between words, as click's own wrapping does
    ("Copy the database to DEST through SQLite's backup API.", 30,
     ["Copy the database to DEST", "through SQLite's backup API."]),
    ("一行\n两行", 80, ["一行", "两行"]),  # the text's own lines are kept
    ("", 10, [""]),
])
def test_wrap(text, cells, lines):
    assert wrap(text, cells) == lines


# Text as it is written: a character or a Latin word (a space after it unless a mark follows),
# with at most one opening mark before it and one closing mark after it.
PIECE = st.tuples(st.sampled_from(["", "（"]), st.sampled_from(["干", "部", "推", "荐", "ab", "cd"]),
                  st.sampled_from(["", "，", "。", "）"]))


def _written(pieces: list[tuple[str, str, str]]) -> str:
    return "".join(o + c + (m or (" " if c.isascii() else "")) for o, c, m in pieces)


TEXT = st.lists(PIECE, max_size=40).map(_written)


@given(TEXT, st.integers(min_value=10, max_value=40))
def test_wrapped_lines_fit_and_keep_the_text(text, cells):
    lines = wrap(text, cells)
    # nothing lost but the spaces where a line was broken
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(width(line) <= cells for line in lines)
    assert not any(line[:1] in NOT_AT_START for line in lines[1:])
    assert not any(line[-1:] in NOT_AT_END for line in lines[:-1])
