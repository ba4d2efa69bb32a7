"""Placement and a training shortfall: a warned pair stays eligible; only when the office's
setting makes a shortfall block promotion (training.short_blocks_promotion) and it is past its
due day does it bar the posts above an officer's rank. Table-driven: setting x shortfall."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.notices import set_setting
from civic.office import Operator
from civic.plugins.placement import store
from civic.plugins.training import actions as training
from civic.plugins.training.rules import RANK_LEVELS

# Assessed a year before the cut-off: a 乡科级 officer's 12 days were due by 31 December 2007
# (2006 pack 第十二条), so on the cut-off the shortfall is past its due day.
ASSESSED = dt.date(2007, 6, 1)


@pytest.mark.parametrize(("setting", "short", "bars"), [
    ("0", True, False),  # default: a warning, no pair barred
    ("1", True, True),  # the office's setting: the posts above the officer's rank are barred
    ("0", False, False),  # no shortfall recorded: nothing to warn of or bar
    ("1", False, False),
])
def test_shortfall_bars_a_pair_only_by_the_office_s_setting(registry, batch, setting, short,
                                                           bars):
    office = registry
    # Training rules bind people on a unit's staff (a 军转干部 waiting to be placed has none):
    # here the officers already serve in one, so a shortfall of theirs is assessed.
    unit = office.db.execute("SELECT code FROM units ORDER BY code").fetchone()[0]
    office.db.execute("UPDATE people SET unit = ? WHERE unit IS NULL", [unit])
    if short:
        training.assess(office, ASSESSED)
    if setting == "1":
        set_setting(office, "training.short_blocks_promotion", "1",
                    cosigner=Operator("sup", "supervisor"))
    found = store.compute_ineligible(office.db, office.pm, store.get_batch(office.db, batch))
    barred = {pair for pair, reasons in found.items()
              if any(r.get("condition") == "training.short" for r in reasons)}
    rank = dict(office.db.execute("SELECT code, rank FROM people"))
    level = dict(office.db.execute("SELECT code, rank_level FROM positions"))
    listed = {(o, p) for o, p in office.db.execute(
        "SELECT officer, position FROM placement_preferences WHERE batch = ?", [batch])}
    above = {(o, p) for o, p in listed
             if RANK_LEVELS.get(level[p] or "", 0) > RANK_LEVELS.get(rank[o] or "", 0)}
    assert above  # the batch has officers listing posts above their rank
    assert barred == (above if bars else set())
