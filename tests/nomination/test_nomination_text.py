"""What `civic nomination show` and `count` print (and the TUI's overview shows) in each
language: no stored code (a round's status, the tie policy, why a mark is invalid) and no
phrase glued from pieces reaches the reader untranslated."""

from __future__ import annotations

import pytest

from civic.i18n import set_language
from civic.plugins.nomination import actions, store, workflows

from .conftest import POSTS, enter

XS = POSTS[0]


@pytest.fixture
def zh():
    set_language("zh_CN")
    yield
    set_language("en")


def test_a_void_round_and_the_tie_policy_in_chinese(make, registry, tmp_path, zh):
    nom = make(electors=12, issued=10, returned=11, tie_policy="include")
    enter(registry, nom, tmp_path, {1: {XS: ["李红"]}})
    actions.open_round(registry, nom, rerun=True)
    text = workflows.overview_text(workflows.overview(registry.db, nom.id))
    assert "同票者全部入围" in text and "include" not in text
    assert "第 1 轮（第 1 次，nomination:1:1）：无效" in text and "void" not in text
    assert "职位：" in text and "Posts" not in text


def test_the_same_in_english(make, registry, tmp_path):
    nom = make(electors=12, issued=10, returned=11)
    enter(registry, nom, tmp_path, {1: {XS: ["李红"]}})
    actions.open_round(registry, nom, rerun=True)
    text = workflows.overview_text(workflows.overview(registry.db, nom.id))
    assert "ties: re-vote among the tied;" in text and "\nPosts:\n" in text
    assert "Round 1 (attempt 1, nomination:1:1): void" in text


def invalid_marks(make, registry, tmp_path) -> dict:
    nom = make()
    enter(registry, nom, tmp_path, {1: {XS: ["李红", "张勇"]}, 2: {XS: ["无名氏"]}})
    return store.report(registry.db, nom, store.get_round(registry.db, nom))


def test_why_marks_are_invalid_in_chinese(make, registry, tmp_path, zh):
    text = workflows.report_text(invalid_marks(make, registry, tmp_path))
    assert f"{XS}：计入 0，空白 0，无效 3（超过应选人数 2, 查无此人 1），待认定 0，重复 0" in text
    assert "over_vote" not in text and "unknown_name" not in text


def test_why_marks_are_invalid_in_english(make, registry, tmp_path):
    text = workflows.report_text(invalid_marks(make, registry, tmp_path))
    assert (f"{XS}: 0 counted, 0 blank, 3 invalid (more names than allowed 2, no such person 1),"
            " 0 waiting, 0 repeated") in text
