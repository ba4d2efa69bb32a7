"""The case deadlines as the office's rule settings (sources from the pack, the regulation's
days as the bound), and the register's text naming units by name."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civic import notices
from civic.errors import CivicError
from civic.office import Operator
from civic.plugins.accountability import actions, store
from civic.rule_settings import rule_settings

SUP = Operator("sup", "supervisor")


def _served(office) -> int:
    case = actions.open_case(office, person="C0002", trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    actions.step(office, case, "investigated", dt.date(2008, 5, 8))
    actions.decide(office, case, dt.date(2008, 5, 12), ["gov_demerit"], [], SUP)
    actions.step(office, case, "served", dt.date(2008, 5, 16))
    return case


def test_the_deadlines_are_rule_settings_with_their_sources(civic_registry):
    found = rule_settings(civic_registry.pm)
    appeal, answer = found["accountability.appeal_days"], found["accountability.answer_days"]
    # 问责暂行规定 2009 art. 22: appeal within 15 days, a right: no office gives fewer.
    assert (appeal.default, appeal.floor, appeal.ceiling) == ("15", "15", None)
    # art. 19: answered within a month: an office may answer sooner, never later.
    assert (answer.default, answer.floor, answer.ceiling) == ("30", "1", "30")
    assert appeal.source.regulation == "关于实行党政领导干部问责的暂行规定"


@pytest.mark.parametrize("key,value", [("accountability.appeal_days", "10"),
                                       ("accountability.answer_days", "31")])
def test_a_setting_outside_the_regulation_is_refused(civic_registry, key, value):
    with pytest.raises(CivicError, match="may not be"):
        notices.set_setting(civic_registry, key, value, cosigner=SUP)


@pytest.mark.parametrize("days,last_day", [
    (None, "2008-06-02"),  # served Fri 16 May + 15 = Sat 31 May -> Mon 2 Jun
    ("20", "2008-06-05"),  # + 20 = Thu 5 Jun
])
def test_the_appeal_deadline_follows_the_office_setting(civic_registry, days, last_day):
    case = _served(civic_registry)
    if days:
        notices.set_setting(civic_registry, "accountability.appeal_days", days, cosigner=SUP)
    view = store.case_view(civic_registry.db, case, content=False,
                           is_workday=actions._workday())
    assert view["deadlines"]["appeal"]["last_day"] == last_day
    assert view["deadlines"]["appeal"]["days"] == int(days or 15)


def test_a_setting_below_the_floor_stored_earlier_reads_as_the_floor(civic_registry):
    case = _served(civic_registry)
    civic_registry.db.execute("INSERT INTO settings (key, value) VALUES"
                              " ('accountability.appeal_days', '3')")
    view = store.case_view(civic_registry.db, case, content=False,
                           is_workday=actions._workday())
    assert view["deadlines"]["appeal"]["last_day"] == "2008-06-02"


def test_the_register_names_the_unit(civic_registry, civic_cli):
    _served(civic_registry)
    unit, name = civic_registry.db.execute(
        "SELECT u.code, u.name FROM people p JOIN units u ON u.code = p.unit"
        " WHERE p.code = 'C0002'").fetchone()
    [row] = json.loads(civic_cli("accountability", "case", "list", "--json").output)
    assert (row["unit"], row["unit_name"]) == (unit, name)
    text = civic_cli("accountability", "case", "list")
    assert text.exit_code == 0, text.output
    assert name in text.output
