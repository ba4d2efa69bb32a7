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
from functools import cache, lru_cache
from itertools import chain, repeat

from civic.db import Database

_LATIN = re.compile(r"^[A-Za-z]+$")
MAX_KEYS = 8  # readings of a polyphonic name multiply; the first few cover real surnames


def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of a character, the usual one first; other characters as is."""
    found = _table().get(char)
    return found if found is not None else (char.lower(),)


# The readings of every character pypinyin knows, as `pypinyin_readings` gives them, grouped
# "<readings><TAB><characters>" one line per set of readings. Shipped because loading
# pypinyin's own dictionary (a JSON file of 42,000 entries, then rekeyed) cost 0.05-0.1 s
# of every people import, a fifth of one of 10,000 people; every other character reads as
# itself in pypinyin too (checked over Unicode's planes 0-3). tests/test_pinyin.py checks the
# table against the installed pypinyin; `python -c "import civic.pinyin as p;
# p.write_readings()"` writes it again. A plain path: no pathlib for a read command.
READINGS = os.path.join(os.path.dirname(__file__), "data", "pinyin_readings.txt")


@cache
def _table() -> dict[str, tuple[str, ...]]:
    with open(READINGS, encoding="utf-8") as handle:
        groups = [line.rstrip("\n").partition("\t") for line in handle if line[:1] != "#"]
    # One dict built in C from every character and its group's readings: half the time of
    # a dict.update per line (~10 ms of each import's start).
    return dict(zip("".join(chars for _keys, _tab, chars in groups), chain.from_iterable(
        repeat(tuple(keys.split(" ")), len(chars)) for keys, _tab, chars in groups),
        strict=True))


def pypinyin_readings(char: str) -> tuple[str, ...]:
    """What pypinyin says of `char`: the readings the table ships (and pypinyin's own)."""
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


def pypinyin_table() -> dict[str, list[str]]:
    """The characters of pypinyin's dictionary grouped by their readings (READINGS' lines)."""
    if "pypinyin" not in sys.modules:
        _import_pypinyin()
    from pypinyin.pinyin_dict import pinyin_dict

    groups: dict[str, list[str]] = {}
    for code in sorted(pinyin_dict):
        groups.setdefault(" ".join(pypinyin_readings(chr(code))), []).append(chr(code))
    return groups


def write_readings() -> None:
    import pypinyin

    lines = "".join(f"{keys}\t{''.join(chars)}\n" for keys, chars in pypinyin_table().items())
    with open(READINGS, "w", encoding="utf-8") as handle:
        handle.write(
            f"# Toneless pinyin readings of the characters of pypinyin {pypinyin.__version__}"
            " (MIT licence; its\n# dictionary is drawn from the Unicode Han Database), as"
            " civic.pinyin.pypinyin_readings\n# gives them: \"<readings><TAB><characters>\","
            " the usual reading first.\n" + lines)


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
    db.conn.create_function("civic_name_keys", 1, name_keys, deterministic=True)
    return db.conn.execute(
        "INSERT OR REPLACE INTO people_pinyin (code, keys)"
        " SELECT p.code, civic_name_keys(coalesce(p.name, ''))"
        " FROM people p WHERE NOT EXISTS (SELECT 1 FROM people_pinyin k WHERE k.code = p.code)"
        " ORDER BY p.code").rowcount


def catch_up(db: Database) -> None:
    """Before a search: key people added since the last import, in a transaction of its own.
    A file opened read-only or busy elsewhere is searched by characters alone until then."""
    import sqlite3

    try:
        with db.conn:
            refresh(db)
    except sqlite3.OperationalError:
        pass
