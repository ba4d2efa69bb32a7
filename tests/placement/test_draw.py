"""The public draw held on site (公开抽签): the supervisor's co-signed entry of the numbers the
tied officers drew orders their tie; without it the seeded random order is the named fallback.
The example batch leaves one tie, J007 and J008, equal on every link of the chain."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import audit, notices
from civic.errors import CivicError, PermissionDenied
from civic.office import Operator
from civic.plugins.placement import actions, notice
from civic.plugins.placement.rules import apply_draw, check_draw
from civic.scoring import Ranked

SUP = Operator("sup", "supervisor")


def _order(registry, batch) -> list[str]:
    return [r["officer"] for r in actions.run_batch(registry, batch).data["ranking"]]


def test_the_tie_to_draw_for(batch, registry):
    found = actions.draw_groups_of(registry, batch)
    assert [[m["officer"] for m in g] for g in found["groups"]] == [["J007", "J008"]]
    assert (found["complete"], found["public"]) == (False, False)


def test_the_drawn_numbers_order_the_tie(batch, registry):
    # The seeded fallback (seed 2008) puts J007 first; the public draw gives J008 number 1.
    seeded = actions.compute(registry, actions.store.get_batch(registry.db, batch)).outcome
    assert seeded.order.index("J007") < seeded.order.index("J008")
    drawn = actions.record_draw(registry, batch, {"J008": 1, "J007": 2}, SUP)
    assert (drawn["complete"], drawn["public"]) == (True, True)
    order = _order(registry, batch)
    assert order.index("J008") < order.index("J007")
    [entry] = audit.entries(registry.db, type_prefix="placement.draw_recorded")
    assert entry.cosigner == "sup" and entry.data()["numbers"] == {"J008": 1, "J007": 2}
    with pytest.raises(CivicError, match="no longer change"):  # the batch ran: inputs frozen
        actions.record_draw(registry, batch, {"J007": 3}, SUP)


@pytest.mark.parametrize("numbers,cosigner,error", [
    ({"J007": 1, "J008": 2}, None, "co-signature"),
    ({"J007": 1, "J008": 2}, Operator("op", "operator"), "not a supervisor"),
    ({"J007": 1}, SUP, "needs a draw number for J008"),
    ({"J007": 1, "J008": 1}, SUP, "a draw number twice"),
    ({"J007": 0, "J008": 1}, SUP, "start from 1"),
    ({"J007": 1, "J008": 2, "J001": 3}, SUP, "Not tied"),
])
def test_a_draw_is_refused(batch, registry, numbers, cosigner, error):
    kind = PermissionDenied if cosigner is not SUP else CivicError
    with pytest.raises(kind, match=error):
        actions.record_draw(registry, batch, numbers, cosigner)
    assert actions.draw_groups_of(registry, batch)["public"] is False


def test_a_number_is_drawn_once(batch, registry):
    actions.record_draw(registry, batch, {"J007": 1, "J008": 2}, SUP)
    with pytest.raises(CivicError, match="recorded already"):
        actions.record_draw(registry, batch, {"J007": 2}, SUP)


# The rule itself, table-driven: each tie group is reordered by the lower number drawn, its
# ranks kept in place, ranks outside the group untouched.
@pytest.mark.parametrize("numbers,order", [
    ({"B": 1, "C": 2}, ["A", "B", "C", "D"]),
    ({"B": 2, "C": 1}, ["A", "C", "B", "D"]),
    ({"B": 9, "C": 3}, ["A", "C", "B", "D"]),
])
def test_apply_draw(numbers, order):
    ranking = [Ranked(1, "A", {}), Ranked(2, "B", {}, ("B", "C"), "t1"),
               Ranked(3, "C", {}, ("B", "C"), "t2"), Ranked(4, "D", {})]
    drawn = apply_draw(ranking, numbers)
    assert [r.key for r in drawn] == order and [r.rank for r in drawn] == [1, 2, 3, 4]
    assert {r.key: r.ticket for r in drawn if r.draw_group} == {
        k: f"drawn:{n}" for k, n in numbers.items()}


def test_check_draw_without_a_tie():
    with pytest.raises(CivicError, match="No tie"):
        check_draw([], {"A": 1})


def test_the_notice_says_the_draw_was_public(batch, registry):
    actions.record_draw(registry, batch, {"J008": 1, "J007": 2}, SUP)
    actions.run_batch(registry, batch)
    actions.certify(registry, batch, SUP, dt.date(2008, 9, 1))
    drafted = notice.draft(registry, batch)
    zh = notices.render(registry, drafted, lang="zh_CN", fmt="txt")
    assert "经现场公开抽签" in zh and "（抽签号1）" in zh and "随机数种子" not in zh
    en = notices.render(registry, drafted, lang="en", fmt="txt")
    assert "public draw held on site" in en and "抽签号" not in en
