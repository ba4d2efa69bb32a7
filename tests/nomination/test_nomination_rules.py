"""Pure rules of the nomination plugin: what a written mark is, settings, ties, lists.

Sources per table: issue 4 steps 3-5 and 8 (write-ins, adjudication, eligibility, the slate);
DOMAIN.md "Names on ballots and published lists are ordered by surname stroke count".
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.errors import CivicError
from civic.plugins.nomination.rules import (
    DECLARED_INVALID,
    Lookup,
    Settings,
    apply_decision,
    parse_fraction,
    published_order,
    resolve,
    settle,
    slate_warnings,
)
from civic.strokes import stroke_key, strokes
from civic.voting import CountRules, Invalid, Unresolved, count_post

# A registry of five people: two named 王伟, one not eligible for the post.
PEOPLE = {"N01": "王伟", "N02": "王伟", "N03": "李红", "N04": "张勇", "N08": "赵刚"}
LOOKUP = Lookup(
    is_person=lambda code: code in PEOPLE,
    people_named=lambda name: sorted(c for c, n in PEOPLE.items() if n == name),
    eligible=lambda code: code != "N08",
)
SLATE = {"N03": "李红", "N04": "张勇", "N01": "王伟"}

# (written, decision, expected mark) -- round 1 (海推, no reference list): issue 4 step 4.
OPEN_ROUND = [
    ("N03", None, "N03"),  # a person's code
    ("李红", None, "N03"),  # a name matching exactly one person
    ("李 红", None, "N03"),  # spaces inside a handwritten name do not matter
    ("李　红", None, "N03"),  # nor full-width spaces
    ("Ｎ０３", None, "N03"),  # full-width code (Chinese input method)
    ("王伟", None, Unresolved("王伟")),  # several people: waits for adjudication
    ("无名氏", None, Invalid("unknown_name", "无名氏")),  # nobody
    ("赵刚", None, Invalid("not_eligible", "N08")),  # fails the post's conditions that day
    ("N08", None, Invalid("not_eligible", "N08")),  # by code too, the same entry
    ("王伟", "N02", "N02"),  # adjudicated
    ("无名氏", "N04", "N04"),  # an unknown name adjudicated to a person
    ("王伟", "N08", Invalid("not_eligible", "N08")),  # adjudication does not skip eligibility
    ("王伟", DECLARED_INVALID, Invalid("unknown_name", "王伟")),  # intent not clear
]

# Round 2 (公推, the slate is the reference list): issue 4 step 8.
CONFERENCE_ROUND = [
    ("N03", None, "N03"),
    ("张勇", None, "N04"),
    ("王伟", None, "N01"),  # on the slate only once: the slate decides, not the registry
    ("赵刚", None, Invalid("not_on_slate", "赵刚")),  # a real person, not on the slate
    ("N02", None, Invalid("not_on_slate", "N02")),
    ("无名氏", None, Invalid("unknown_name", "无名氏")),
    ("王伟", "N02", Invalid("not_on_slate", "N02")),
]


@pytest.mark.parametrize("written,decision,expected", OPEN_ROUND)
def test_open_round_marks(written, decision, expected):
    assert resolve(written, LOOKUP, decision=decision) == expected


@pytest.mark.parametrize("written,decision,expected", CONFERENCE_ROUND)
def test_conference_round_marks(written, decision, expected):
    assert resolve(written, LOOKUP, decision=decision, slate=SLATE) == expected


def test_same_name_twice_on_the_slate_waits():
    slate = {"N01": "王伟", "N02": "王伟"}
    assert resolve("王伟", LOOKUP, slate=slate) == Unresolved("王伟")


# --- settings: issue 4 step 1 defaults ----------------------------------------------------------
def test_default_settings():
    s = Settings()
    assert (s.advance, s.marks, s.tie_policy, s.quorum, s.show_counts) == (
        (5, 2), (1, 2), "revote", Fraction(2, 3), False)
    assert s.rules(1) == CountRules(places=5, marks_allowed=1, quorum=Fraction(2, 3))
    assert s.rules(2) == CountRules(places=2, marks_allowed=2, quorum=Fraction(2, 3))


@pytest.mark.parametrize("kwargs,message", [
    ({"advance": (2, 3)}, "cannot take more"),
    ({"advance": (0, 0)}, "at least 1"),
    ({"marks": (1, 0)}, "at least 1"),
    ({"tie_policy": "draw"}, "Tie policy"),
    ({"quorum": "3/2"}, "from 0 to 1"),
    ({"quorum": "two thirds"}, "Not a fraction"),
])
def test_settings_refused(kwargs, message):
    with pytest.raises(CivicError, match=message):
        Settings(**kwargs)


@pytest.mark.parametrize("text,value", [("2/3", Fraction(2, 3)), ("0.75", Fraction(3, 4)),
                                        ("80%", Fraction(4, 5)), ("1", Fraction(1))])
def test_parse_fraction(text, value):
    assert parse_fraction(text) == value


# --- ties: re-votes applied in the order held (暂行条例 art. 21) ---------------------------------
def test_settle_applies_revotes_in_order():
    post = count_post([["A"], ["A"], ["B"], ["C"], ["D"]], CountRules(places=2))
    assert post.tie_at_cutoff == ("B", "C", "D")
    once = settle(post, [{"B": 2, "C": 2, "D": 1}])
    assert once.tie_at_cutoff == ("B", "C")
    twice = settle(post, [{"B": 2, "C": 2, "D": 1}, {"B": 1, "C": 3}])
    assert twice.advancing == ("A", "C") and twice.tie_at_cutoff == ()


# --- ties: the department's meeting decides (部务会研究决定), an office practice the issue names
# beside the re-vote; the meeting names as many of the tied as the places the tie straddles.
@pytest.mark.parametrize("chosen,advancing,error", [
    (["C"], ("A", "C"), None),                 # one place left, one named
    (["D", "D"], ("A", "D"), None),            # a code named twice counts once
    (["B", "C"], None, "names 1 of the tied"),  # more than the places left
    ([], None, "names 1 of the tied"),          # nobody named
    (["A"], None, "Not tied"),                  # already going on, not tied
    (["Z"], None, "Not tied"),                  # a stranger
])
def test_the_meetings_decision(chosen, advancing, error):
    post = count_post([["A"], ["A"], ["B"], ["C"], ["D"]], CountRules(places=2))
    if error:
        with pytest.raises(CivicError, match=error):
            apply_decision(post, chosen)
        return
    decided = apply_decision(post, chosen)
    assert decided.advancing == advancing and decided.tie_at_cutoff == ()
    # Votes and ranks stay as counted: the meeting does not vote.
    assert [(r.candidate, r.votes, r.rank) for r in decided.results] == [
        (r.candidate, r.votes, r.rank) for r in post.results]
    assert settle(post, [], chosen).advancing == advancing


def test_meeting_counts_the_tie_as_a_revote_would():
    rules = Settings(advance=(2, 1), tie_policy="meeting").rules(1)
    assert rules.tie_policy == "revote"
    with pytest.raises(CivicError, match="meeting"):  # the choices say the third one
        Settings(tie_policy="draw")


def test_slate_warnings():
    found = slate_warnings({"X": ["N01"], "Y": ["N01", "N03"]}, 2, {"X": "市长", "Y": "书记"})
    assert found == ["市长: only 1 on the slate for 2 places.",
                     "N01 is on the slate of 2 posts: 市长, 书记."]


# --- published lists in surname stroke order (姓氏笔画) ------------------------------------------
# Unihan kTotalStrokes: 王 4, 白 5, 李 7, 张 7, 赵 9, 欧 8; Latin after Han.
def test_stroke_counts():
    assert [strokes(c) for c in "王白李张赵欧"] == [4, 5, 7, 7, 9, 8]
    assert strokes("A") is None


def test_published_order():
    people = [{"code": c, "name": n} for c, n in
              [("1", "赵刚"), ("2", "王伟"), ("3", "李红"), ("4", "白雪"), ("5", "王伟"),
               ("6", "Smith"), ("7", "王一")]]
    assert [p["code"] for p in published_order(people)] == ["7", "2", "5", "4", "3", "1", "6"]


@given(st.lists(st.text(alphabet="王李张赵白一二三伟红", min_size=1, max_size=3), max_size=8))
def test_stroke_order_is_by_surname_count_first(names):
    ordered = sorted(names, key=stroke_key)
    counts = [strokes(n[0]) for n in ordered]
    assert counts == sorted(counts)


# Names of equal stroke count go by their strokes in writing order (横竖撇点折, then the next
# stroke): GB 13000.1 字符集汉字笔画序规范; the 通用规范汉字表 (2013) lists characters so.
STROKE_ORDER = [
    ("张岑吴李", "李吴岑张"),  # 7 strokes: 李 横, 吴 竖 (口 first), 岑 竖 (山), 张 折 (弓)
    ("谢鲁", "鲁谢"),  # 12 strokes: 鲁 撇, 谢 点
    ("施赵", "赵施"),  # 9 strokes: 赵 横, 施 点
    ("万于", "于万"),  # 3 strokes, both 横 first: 于 横 then 横, 万 横 then 折
    ("孙许刘", "刘许孙"),  # 6 strokes: 刘 点, 许 点 then 折 (讠), 孙 折
    ("王马", "马王"),  # 3 before 4 strokes: the count comes first
]


@pytest.mark.parametrize("given,expected", STROKE_ORDER)
def test_equal_counts_go_by_the_strokes_themselves(given, expected):
    assert "".join(sorted(given, key=stroke_key)) == expected


def test_stroke_sequences_are_the_writing_order():
    from civic.strokes import stroke_sequence

    assert stroke_sequence("王") == "1121"  # 横 横 竖 横
    assert stroke_sequence("A") is None


def test_surname_decides_before_given_name():
    # 李 (7, 横 first) before 吴 (7, 竖 first) whatever follows
    assert sorted(["吴一", "李龘"], key=stroke_key) == ["李龘", "吴一"]
