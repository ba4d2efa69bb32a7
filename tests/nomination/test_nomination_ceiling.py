"""The band a nomination draws from: the post's conditions are its floor, its ceiling is the
post's own level unless the nomination says otherwise (DOMAIN.md "Eligibility for a post has a
floor and a ceiling"; issue 18: a 副厅级 official is not a candidate for a 正县级 post)."""

from __future__ import annotations

import pytest

from civic import audit
from civic.errors import CivicError
from civic.importers import import_file
from civic.plugins.nomination import actions, store
from civic.plugins.nomination.rules import ceiling_of, within_ceiling

from .conftest import POSTS, REF, enter, posts, ready, write_csv

XS, AN = POSTS  # both 正处 posts, floor 副处 (examples/positions.csv)
HEADER = ["编号", "姓名", "性别", "出生日期", "民族", "籍贯", "政治面貌", "入党时间", "学历",
          "参加工作时间", "职级", "任现职级时间", "单位", "职位", "状态", "标签"]
# 高峰 meets every condition of P-XSSJ but is 副厅级, above the post.
DEPUTY_BUREAU = ["N20", "高峰", "男", "1966-02-02", "汉族", "云南昆明", "中共党员", "1988-06",
                 "本科", "1986-07", "副厅", "2005-01", "KM-GOV", "", "在职", ""]

# (post level, nomination's ceiling, post's ceiling) -> ceiling: the post's own beats the
# nomination's, which beats the post's level.
CEILINGS = [
    ("division", None, None, "division"),
    ("division", "deputy_bureau", None, "deputy_bureau"),
    ("division", "deputy_bureau", "division", "division"),
    (None, None, None, None),  # a post without a level: nothing to compare
]


@pytest.mark.parametrize("level,common,own,expected", CEILINGS)
def test_ceiling_of(level, common, own, expected):
    assert ceiling_of(level, common, own) == expected


# (person's rank, ceiling) -> may be nominated
WITHIN = [
    ("deputy_division", "division", True),
    ("division", "division", True),  # at the ceiling
    ("deputy_bureau", "division", False),  # a 市委常委 for a county secretary's post
    ("bureau", "deputy_bureau", False),
    (None, "division", True),  # no rank: a public representative, below every level
    ("deputy_bureau", None, True),  # no ceiling recorded
]


@pytest.mark.parametrize("rank,ceiling,expected", WITHIN)
def test_within_ceiling(rank, ceiling, expected):
    assert within_ceiling(rank, ceiling) is expected


@pytest.fixture
def with_deputy_bureau(registry, tmp_path):
    import_file(registry, "people", write_csv(tmp_path / "more.csv", HEADER, [DEPUTY_BUREAU]))
    return registry


# (create's ceiling arguments, mark for P-XSSJ) -> its figures
MARKS = [
    ("default: the post's own level", {}, "高峰", {"not_eligible": 1}),
    ("default keeps those at the level", {}, "李红", {"counted": 1}),
    ("raised for every post", {"ceiling": "副厅"}, "高峰", {"counted": 1}),
    ("raised for this post", {"ceilings": {XS: "副厅级"}}, "高峰", {"counted": 1}),
    ("raised for the other post only", {"ceilings": {AN: "副厅"}}, "高峰", {"not_eligible": 1}),
    ("the post's own beats the nomination's", {"ceiling": "副厅", "ceilings": {XS: "正处"}},
     "高峰", {"not_eligible": 1}),
]


@pytest.mark.parametrize("kwargs,written,expected", [m[1:] for m in MARKS],
                         ids=[m[0] for m in MARKS])
def test_a_mark_above_the_ceiling_is_not_eligible(with_deputy_bureau, tmp_path, kwargs, written,
                                                   expected):
    office = with_deputy_bureau
    nom = actions.create(office, title="测试推荐", positions=POSTS, reference_date=REF, **kwargs)
    folder = tmp_path / "files"
    folder.mkdir()
    ready(office, nom, folder, electors=1)
    enter(office, nom, folder, {1: {XS: [written], AN: ["杨林"]}})
    post = posts(store.report(office.db, nom, store.get_round(office.db, nom)))[XS]
    figures = {"counted": post["marks"]["counted"],
               "not_eligible": post["invalid"]["not_eligible"]}
    assert figures == {"counted": 0, "not_eligible": 0, **expected}


def test_the_ceilings_are_recorded_with_the_nomination(registry):
    nom = actions.create(registry, title="t", positions=POSTS, reference_date=REF,
                         ceilings={AN: "副厅"})
    assert store.get(registry.db, nom.id).ceilings == {XS: "division", AN: "deputy_bureau"}
    created = audit.entries(registry.db, type_prefix="nomination.created")[0].data()
    assert created["ceilings"] == {XS: "division", AN: "deputy_bureau"}


# (ceiling arguments, what the refusal says)
REFUSED = [
    ({"ceiling": "正科"}, "below its floor"),  # nobody at 副处 or above could stand
    ({"ceilings": {XS: "处长大人"}}, "Ceiling of P-XSSJ: unknown rank"),
    ({"ceilings": {"P-MSZ": "正处"}}, "P-MSZ, not a post of this nomination"),
]


@pytest.mark.parametrize("kwargs,message", REFUSED)
def test_a_ceiling_that_cannot_work_is_refused(registry, kwargs, message):
    with pytest.raises(CivicError, match=message):
        actions.create(registry, title="t", positions=POSTS, reference_date=REF, **kwargs)
    assert registry.db.execute("SELECT count(*) FROM nomination_nominations").fetchone()[0] == 0
