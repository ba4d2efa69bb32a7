"""The person screen's eligibility check with a warning: a training shortfall (assessed on
2 June 2008, due that day) leaves 李明 eligible for 西山区委书记 with the warning listed, unless
the office's setting (training.short_blocks_promotion) makes it a bar."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable

from civic.notices import set_setting
from civic.office import Operator
from civic.plugins.training import actions


@pytest.mark.parametrize(("setting", "verdict", "why"), [
    ("0", "李明 is eligible for 西山区委书记 on 2008-07-01, with a warning:",
     "warning: training short of the requirement since 2008-06-02"),
    ("1", "李明 is NOT eligible for 西山区委书记 on 2008-07-01:",
     "training short of the requirement since 2008-06-02"),
])
async def test_a_warned_person_is_eligible_with_the_warning_listed(registry, driver, setting,
                                                                   verdict, why):
    actions.assess(registry, dt.date(2008, 6, 2))
    if setting == "1":
        set_setting(registry, "training.short_blocks_promotion", "1",
                    cosigner=Operator("sup", "supervisor"))
    app = driver.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await driver.login(pilot)
        await pilot.press("f3")
        await driver.settle(pilot)
        table = app.screen.query_one("#people-table")
        table.move_cursor(row=1)  # C0002 李明, 副处: meets every core condition of the post
        await pilot.press("enter")
        await driver.settle(pilot)
        app.screen.check("P-XSSJ")
        await driver.settle(pilot)
        assert verdict in driver.text(app.screen.query_one("#eligibility-verdict"))
        problems = app.screen.query_one("#eligibility-problems", DataTable)
        rows = [tuple(problems.get_row_at(i)) for i in range(problems.row_count)]
        [(condition, _required, has, reason)] = rows
        assert (condition, has) == ("training requirement", "0 hours, 0 days")
        assert str(reason).startswith(why)
