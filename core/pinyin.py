"""Pinyin search keys for names: `wjj` and `wangjianjun` find 王建军.

Keys are kept in `people_pinyin` (migration m008_pinyin), one row per person, written when people
are imported and caught up before a search for anyone added another way; triggers drop a row
whose person was renamed or removed, so a stale key never matches. Readings are looked up per
character and cached: 100,000 names take well under a second.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

from civic.db import Database

_LATIN = re.compile(r"^[A-Za-z]+$")
MAX_KEYS = 8  # readings of a polyphonic name multiply; the first few cover real surnames


@lru_cache(maxsize=20_000)
def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of a character, the usual one first; other characters as is."""
    if "pypinyin" not in sys.modules:
        _import_pypinyin()
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")
    values = tuple(dict.fromkeys(r.lower() for r in found[0])) if found else ()
    return values or (char.lower(),)


def _import_pypinyin() -> None:
    """pypinyin without its phrase table: civic asks one character at a time, and no phrase
    of that table is one character, so no reading changes (tests/test_pinyin.py compares
    with pypinyin loaded whole). Loading the table, and the segmenter pypinyin trains on it,
    was 0.2 s of every people import."""
    before = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "1"  # read once, when pypinyin.constants loads
    try:
        import pypinyin  # noqa: F401
    finally:
        if before is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = before


@lru_cache(maxsize=100_000)  # common names (王伟, 李娜) repeat thousands of times in an office
def name_keys(name: str) -> str:
    """Space-separated search keys: full pinyin and initials, for each reading of the surname
    (单 shan/dan, 曾 zeng/ceng) and the usual reading of the given name."""
    chars = [c for c in name if not c.isspace()]
    if not chars:
        return ""
    given = [readings(c)[0] for c in chars[1:]]
    given_full, given_initials = "".join(given), "".join(r[0] for r in given)
    keys: list[str] = []
    for surname in readings(chars[0])[:MAX_KEYS]:
        keys += [surname + given_full, surname[0] + given_initials]
    return " " + " ".join(dict.fromkeys(keys)) + " "


def looks_like_pinyin(text: str) -> bool:
    return bool(_LATIN.match(text.strip()))


def refresh(db: Database) -> int:
    """Key every person who has no key yet (new, renamed); the caller holds the transaction.
    One statement: SQLite reads the people and calls `name_keys` for each (a function of
    this connection), so no name is fetched into Python and the memory stays flat for an
    import of a million people; fetching them in batches and inserting the keys back was
    twice the time."""
    db.conn.create_function("civic_name_keys", 1, _keys_of, deterministic=True)
    return db.conn.execute(
        "INSERT OR REPLACE INTO people_pinyin (code, keys) SELECT p.code, civic_name_keys(p.name)"
        " FROM people p WHERE NOT EXISTS (SELECT 1 FROM people_pinyin k WHERE k.code = p.code)"
        " ORDER BY p.code").rowcount


def _keys_of(name: str | None) -> str:
    return name_keys(name or "")


def catch_up(db: Database) -> None:
    """Before a search: key people added since the last import, in a transaction of its own.
    A file opened read-only or busy elsewhere is searched by characters alone until then."""
    import sqlite3

    try:
        with db.conn:
            refresh(db)
    except sqlite3.OperationalError:
        pass
