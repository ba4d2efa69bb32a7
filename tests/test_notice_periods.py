"""Notice periods by edition (packs/notice_periods.toml): the edition in force on the day of
publication decides the unit, the minimum and the maximum, and an error cites its source."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import notices
from civic.errors import CivicError

# (kind, published on, unit, minimum, maximum, article cited)
# 2002 text (in force 2002-07-09 to 2014-01-14): 任前公示 一般为7至15天, calendar days.
# 2014 art. 41 (kept in 2019): at least 5 working days. Local kinds: the office's rule.
CASES = [
    ("appointment", dt.date(2008, 9, 24), "days", 7, 15, "第九章 任职"),
    ("appointment", dt.date(2014, 1, 13), "days", 7, 15, "第九章 任职"),
    ("appointment", dt.date(2014, 1, 14), "workdays", 5, None, "第四十一条"),
    ("appointment", dt.date(2020, 5, 6), "workdays", 5, None, "第四十一条"),
    ("nomination.round1", dt.date(2008, 7, 7), "workdays", 5, None, ""),
    ("nomination.inspection", dt.date(2008, 8, 1), "workdays", 5, None, ""),
    ("placement.result", dt.date(2008, 9, 12), "workdays", 5, None, ""),
]


@pytest.mark.parametrize(("kind", "on", "unit", "low", "high", "article"), CASES)
def test_period_rule_by_edition(kind, on, unit, low, high, article):
    rule = notices.period_rule(kind, on)
    assert rule is not None
    assert (rule.unit, rule.minimum, rule.maximum, rule.source.article) == (unit, low, high,
                                                                          article)
    assert rule.local == (kind != "appointment")


def test_no_rule_before_the_2002_text():
    assert notices.period_rule("appointment", dt.date(2001, 1, 1)) is None


def test_an_office_copy_may_not_go_below_a_regulation(tmp_path):
    shipped = notices._pack_path().read_text(encoding="utf-8")
    (tmp_path / notices.PACK_NAME).write_text(
        shipped.replace("minimum = 7", "minimum = 3", 1), encoding="utf-8")
    with pytest.raises(CivicError, match="may not be shorter than 7"):
        notices.period_rule("appointment", dt.date(2008, 9, 24), user_dir=str(tmp_path))


def test_an_office_copy_may_change_a_local_period(tmp_path):
    shipped = notices._pack_path().read_text(encoding="utf-8")
    local = shipped.replace('minimum = 5\ndefault = 5\nlocal = true', 'minimum = 7\ndefault = 7\n'
                            'local = true', 1)
    (tmp_path / notices.PACK_NAME).write_text(local, encoding="utf-8")
    rule = notices.period_rule("nomination.round1", dt.date(2008, 7, 7), user_dir=str(tmp_path))
    assert rule is not None and rule.minimum == 7


def test_a_broken_copy_names_the_file(tmp_path):
    (tmp_path / notices.PACK_NAME).write_text("[[edition]]\nid = 1\n", encoding="utf-8")
    with pytest.raises(CivicError, match=notices.PACK_NAME):
        notices.period_rule("appointment", dt.date(2008, 9, 24), user_dir=str(tmp_path))
