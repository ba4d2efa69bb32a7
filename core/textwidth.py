"""Display width of text in a terminal: CJK characters take two cells."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))


# Marks a line may not begin with (they close what precedes them) and may not end with (they
# open what follows): the usual rule of Chinese typesetting (避头尾).
NOT_AT_START = frozenset("，。；：、？！）》」』】〕…—,.;:?!)]}%")
NOT_AT_END = frozenset("（《「『【〔([{")


def _tokens(text: str) -> list[str]:
    """Words of Latin text (with their spaces) and single wide characters: where a line may
    break."""
    found: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if ch == " " and found:
            found[-1] += ch
        elif (found and not wide and not found[-1].endswith(" ")
              and unicodedata.east_asian_width(found[-1][-1]) not in "WF"
              and ch not in NOT_AT_END):
            found[-1] += ch  # the same Latin word
        else:
            found.append(ch)
    return found


def wrap(text: str, cells: int) -> list[str]:
    """`text`'s lines at most `cells` wide (a word wider than that alone on its line), broken
    between Latin words and between Chinese characters, never before a closing mark ("，",
    "。", "）") nor after an opening one ("（"). Each line of `text` is wrapped on its own."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines: list[list[str]] = [[]]
        for token in _tokens(paragraph):
            line = lines[-1]
            if not line or width("".join(line)) + width(token.rstrip()) <= cells:
                line.append(token)
                continue
            carry: list[str] = []
            # a closing mark goes down with the character before it (and "），" both)
            while len(line) > 1 and (carry or [token])[0][0] in NOT_AT_START:
                carry.insert(0, line.pop())
            while len(line) > 1 and line[-1].rstrip()[-1:] in NOT_AT_END:
                carry.insert(0, line.pop())
            lines.append([*carry, token])
        out.extend("".join(line).rstrip() for line in lines)
    return out
