"""Rule settings: a value a regulation fixes has a floor, and changing it is co-signed.

Before: `civic notice settings set notice.period_days 1` went through without a co-signature,
and a notice then ran for one working day; a nomination could be created with any quorum.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic import audit, notices
from civic.auth import cosign
from civic.errors import CivicError, PermissionDenied
from civic.office import Operator
from civic.rule_settings import NOTICE_PERIOD, RuleSetting, Source, rule_settings, value

SUP_ENV = {"CIVIC_SUPERVISOR_PASSWORD": "secret-pass"}


def _signer(office) -> Operator:
    return cosign(office, office.actor, "sup", "secret-pass", "test")


# (key, value, accepted) -- notice.period_days: 选拔任用条例 2014 art. 41, at least 5 working
# days; nomination.quorum: at least 2/3 of those registered present, at most all of them.
CASES = [
    ("notice.period_days", "1", False),
    ("notice.period_days", "4", False),
    ("notice.period_days", "5", True),
    ("notice.period_days", "15", True),
    ("notice.period_days", "five", False),
    ("nomination.quorum", "1/2", False),
    ("nomination.quorum", "0.66", False),
    ("nomination.quorum", "2/3", True),
    ("nomination.quorum", "80%", True),
    ("nomination.quorum", "3/2", False),
]


@pytest.mark.parametrize(("key", "text", "accepted"), CASES)
def test_rule_settings_keep_their_range(fault_office, key, text, accepted):
    before = audit.head(fault_office.db)
    if accepted:
        notices.set_setting(fault_office, key, text, cosigner=_signer(fault_office))
        last = audit.entries(fault_office.db, limit=1)[0]
        assert last.type == "core.setting_changed" and last.cosigner == "sup"
    else:
        with pytest.raises(CivicError):
            notices.set_setting(fault_office, key, text, cosigner=_signer(fault_office))
        assert audit.head(fault_office.db) == before


@pytest.mark.parametrize("key", ["notice.period_days", "nomination.quorum"])
def test_a_rule_setting_change_needs_a_supervisor(fault_office, key):
    good = {"notice.period_days": "7", "nomination.quorum": "3/4"}[key]
    with pytest.raises(PermissionDenied, match="co-signature"):
        notices.set_setting(fault_office, key, good)
    with pytest.raises(PermissionDenied, match="co-signature"):
        notices.set_setting(fault_office, key, None)  # a reset is a change too
    notices.set_setting(fault_office, "office.phone", "0871-1")  # contact details need none


def test_cli_refuses_one_day_and_takes_seven_cosigned(run_cli):
    alone = run_cli("notice", "settings", "set", "notice.period_days", "7")
    assert alone.exit_code == 1 and "co-signature" in alone.output
    short = run_cli("notice", "settings", "set", "notice.period_days", "1",
                    "--supervisor", "sup", env=SUP_ENV)
    assert short.exit_code == 1 and "may not be below 5" in short.output
    assert "第四十一条" in short.output  # the source is named
    ok = run_cli("notice", "settings", "set", "notice.period_days", "7",
                 "--supervisor", "sup", env=SUP_ENV)
    assert ok.exit_code == 0, ok.output
    listed = run_cli("notice", "settings", "list", "--json")
    rows = {r["key"]: r for r in __import__("json").loads(listed.output)}
    assert rows["notice.period_days"]["value"] == "7"
    assert rows["notice.period_days"]["rule"]["floor"] == "5"
    assert rows["nomination.quorum"]["rule"]["source"]["regulation"]


def test_a_value_stored_below_the_floor_reads_as_the_floor(office):
    """A file written before the floor (or by hand) cannot shorten a notice: the law wins."""
    office.db.execute("INSERT INTO settings (key, value) VALUES ('notice.period_days', '1')")
    assert value(office.db, NOTICE_PERIOD) == 5
    assert notices.minimum_period(office) == 5
    with pytest.raises(CivicError, match="at least 5 working days"):
        nid = notices.draft(office, kind="general", subject="x", title="T", body="b").id
        notices.publish(office, nid, cosigner=_signer(office), on=dt.date(2008, 7, 1), days=1)


def test_a_nomination_quorum_cannot_go_below_the_setting(fault_office):
    from civic.plugins.nomination import actions
    from civic.plugins.nomination.rules import Settings

    def create(quorum: str):
        return actions.create(fault_office, title="T", positions=["P-MSZ"],
                              reference_date=dt.date(2008, 7, 1),
                              settings=Settings(quorum=quorum))

    with pytest.raises(CivicError, match="below the office's minimum of 2/3"):
        create("1/2")
    create("2/3")
    notices.set_setting(fault_office, "nomination.quorum", "3/4",
                        cosigner=_signer(fault_office))
    with pytest.raises(CivicError, match="minimum of 3/4"):
        create("2/3")
    assert create("4/5").settings.quorum == Fraction(4, 5)


def test_the_cli_default_quorum_is_the_setting(copy_office, pm):
    from click.testing import CliRunner

    from civic.cli.main import build_cli
    from civic.db import open_db
    from civic.plugins.nomination import store

    env = {"CIVIC_DB": str(copy_office()), "CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass",
           "CIVIC_LANG": "en", **SUP_ENV}

    def run(*args: str):
        return CliRunner().invoke(build_cli(pm), list(args), env=env)

    assert run("notice", "settings", "set", "nomination.quorum", "3/4",
               "--supervisor", "sup").exit_code == 0
    made = run("nomination", "new", "--title", "T", "-p", "P-MSZ", "--reference-date",
               "2008-07-01")
    assert made.exit_code == 0, made.output
    db = open_db(env["CIVIC_DB"])
    assert store.get(db, 1).settings.quorum == Fraction(3, 4)
    db.close()
    low = run("nomination", "new", "--title", "T", "-p", "P-MSZ", "--quorum", "2/3")
    assert low.exit_code == 1 and "minimum of 3/4" in low.output


def test_rule_settings_gather_core_and_plugins(pm):
    found = rule_settings(pm)
    assert {"notice.period_days", "nomination.quorum"} <= set(found)
    for setting in found.values():  # every one names where its value comes from
        assert setting.source.regulation and setting.source.edition
        assert setting.floor is not None


@given(st.integers(-10, 100))
def test_a_workday_setting_accepts_exactly_its_range(n):
    rule = RuleSetting("x.days", "5", "workdays", "x", Source("R", "2014", "art. 1"),
                       floor="5", ceiling="30")
    if 5 <= n <= 30:
        assert rule.check(str(n)) == str(n)
    else:
        with pytest.raises(CivicError):
            rule.check(str(n))
    assert 5 <= rule.effective(str(n) if n >= 0 else None)


@given(st.fractions(min_value=0, max_value=2))
def test_a_fraction_setting_never_takes_a_value_below_its_floor(q):
    rule = RuleSetting("x.q", "2/3", "fraction", "x", Source("R", "1996", ""), floor="2/3",
                       ceiling="1")
    text = f"{q.numerator}/{q.denominator}"
    if Fraction(2, 3) <= q <= 1:
        assert Fraction(rule.check(text)) == q
    else:
        with pytest.raises(CivicError):
            rule.check(text)
    assert rule.effective(text) >= Fraction(2, 3)
