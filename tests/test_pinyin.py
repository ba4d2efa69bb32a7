"""People search by pinyin: initials and full pinyin as well as characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.pinyin import name_keys, readings
from civic.registry import PeopleQuery, count_people, people_page


@pytest.mark.parametrize(("name", "keys"), [
    ("王建军", {"wangjianjun", "wjj"}),  # the example
    ("单雄信", {"shanxiongxin", "sxx", "danxiongxin", "dxx"}),  # 单 as a surname reads shan
    ("曾国藩", {"zengguofan", "zgf"}),
    ("李明", {"liming", "lm"}),
])
def test_name_keys(name, keys):
    assert keys <= set(name_keys(name).split())


@given(st.text(alphabet="王李张刘陈杨黄赵吴周建军华明丽强", min_size=1, max_size=4))
def test_usual_reading_and_its_initials_are_keys(name):
    keys = name_keys(name).split()
    usual = [readings(c)[0] for c in name]
    assert "".join(usual) in keys and "".join(r[0] for r in usual) in keys
    assert all(k.isascii() and k.isalpha() for k in keys)


def names(db, text):
    return [p["name"] for p in people_page(db, PeopleQuery(text=text))]


def test_search_finds_pinyin_initials_full_pinyin_and_characters(civic_registry):
    db = civic_registry.db
    db.execute("INSERT INTO people (code, name, gender, status) VALUES"
               " ('X1', '王建军', 'M', 'serving')")  # added outside an import: caught up
    db.conn.commit()
    for text in ("wjj", "wangjianjun", "WJJ", "wangjian", "wj", "王建"):
        assert "王建军" in names(db, text), text
    assert count_people(db, PeopleQuery(text="wjj")) == 1
    # A renamed person loses the old key and gains the new one.
    db.execute("UPDATE people SET name = '李建国' WHERE code = 'X1'")
    db.conn.commit()
    assert names(db, "wjj") == [] and names(db, "ljg") == ["李建国"]


def test_import_keys_people(civic_registry):
    db = civic_registry.db
    missing = db.execute("SELECT count(*) FROM people p WHERE NOT EXISTS"
                         " (SELECT 1 FROM people_pinyin k WHERE k.code = p.code)").fetchone()[0]
    assert missing == 0 and db.execute("SELECT count(*) FROM people_pinyin").fetchone()[0] > 0


READ_ALL = """
import hashlib, sys
if sys.argv[1] == "whole":
    import pypinyin  # loaded with its phrase table, before civic asks
    from civic.pinyin import pypinyin_readings as read
elif sys.argv[1] == "no phrases":
    from civic.pinyin import pypinyin_readings as read
    read("王")  # civic loads pypinyin its way, to write its table
else:
    from civic.pinyin import readings as read
    read("王")
    assert "pypinyin" not in sys.modules  # the shipped table: pypinyin is not loaded
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict
digest = hashlib.sha256(repr([read(chr(c)) for c in sorted(pinyin_dict)]).encode())
print(len(PHRASES_DICT) > 0, digest.hexdigest())
"""


@pytest.fixture
def same_pypinyin() -> None:
    """The table is civic's own data (a person's search keys must not change when pypinyin
    is upgraded): it is checked against the pypinyin it was written from; another release
    reads some rare characters otherwise, which is no fault of civic's."""
    import re
    from importlib.resources import files

    import pypinyin

    head = files("civic").joinpath("data/pinyin_readings.txt").read_text("utf-8")[:200]
    written = re.search(r"pypinyin (\S+)[ ;]", head)
    if written is None or written.group(1) != pypinyin.__version__:
        pytest.skip(f"the table was written from pypinyin {written and written.group(1)}; "
                    f"{pypinyin.__version__} is installed (civic.pinyin.write_readings())")


def test_readings_are_pypinyins_without_its_phrase_table(same_pypinyin):
    """civic reads characters from a table written by pypinyin loaded without its phrase
    table (0.2 s of an import), and ships it (loading pypinyin's dictionary was another
    0.05-0.1 s): every character pypinyin knows reads the same as with pypinyin loaded whole,
    so a pypinyin that reads otherwise shows here (`civic.pinyin.write_readings()`)."""
    import subprocess
    import sys

    def run(how: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", READ_ALL, how], capture_output=True,
                              text=True, check=True).stdout.split()

    whole, no_phrases, table = run("whole"), run("no phrases"), run("table")
    assert whole[0] == "True" and no_phrases[0] == "False"
    assert whole[1] == no_phrases[1] == table[1]


def test_characters_pypinyin_does_not_know_read_as_themselves(same_pypinyin):
    """The table holds the characters of pypinyin's dictionary; pypinyin reads every other
    one as itself, lower-cased, as `readings` does without asking it (checked once over all
    of Unicode's planes 0-3; here a seeded sample and the characters names hold)."""
    import random

    from pypinyin.pinyin_dict import pinyin_dict

    from civic.pinyin import pypinyin_readings

    rng = random.Random(16)
    others = [c for c in map(chr, rng.sample(range(0x30000), 3000))
              if ord(c) not in pinyin_dict and not 0xD800 <= ord(c) < 0xE000]
    for char in [*"AZaz09·・ -'Ü", *others]:
        assert readings(char) == pypinyin_readings(char) == (char.lower(),), repr(char)
