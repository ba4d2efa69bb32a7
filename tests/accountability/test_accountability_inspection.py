"""Inspection rounds (巡察, the 2008 practice) through the CLI: findings -> rectification items
-> closure; proposals change nothing until decided, co-signed, and then are core's records."""

from __future__ import annotations

import json

import pytest

from civic import registry


def _round(cli):
    result = cli("accountability", "inspection", "new", "--kind", "daily", "--title", "日常巡察",
                 "--team", "第一巡察组", "--unit", "KM-XS", "--from", "2008-03-24",
                 "--to", "2008-04-30")
    assert result.exit_code == 0, result.output
    return "1"


def test_findings_rectification_and_closure(civic_registry, civic_cli):
    number = _round(civic_cli)
    assert civic_cli("accountability", "inspection", "work", number, "--talks", "12",
                     "--spot-checks", "2").exit_code == 0
    wrong = civic_cli("accountability", "inspection", "finding", number, "--unit", "KM-GOV",
                      "--text", "x", "--on", "2008-04-10")
    assert wrong.exit_code != 0 and "not a target" in wrong.output
    assert civic_cli("accountability", "inspection", "finding", number, "--unit", "KM-XS",
                     "--text", "推诿扯皮", "--on", "2008-04-10").exit_code == 0
    assert civic_cli("accountability", "inspection", "rectify", "--finding", "1", "--text",
                     "限期整改", "--due", "2008-06-30").exit_code == 0
    early = civic_cli("accountability", "inspection", "close", number, "--on", "2008-05-01")
    assert early.exit_code != 0 and "1 rectification items not done" in early.output
    assert civic_cli("accountability", "inspection", "rectify", "--done", "1", "--on",
                     "2008-06-20").exit_code == 0
    assert civic_cli("accountability", "inspection", "close", number, "--on", "2008-06-21"
                     ).exit_code == 0
    view = json.loads(civic_cli("accountability", "inspection", "show", number, "--json").output)
    assert (view["status"], view["talks"], view["spot_checks"], view["progress"]) == (
        "closed", 12, 2, {"items": 1, "done": 1, "open": 0})


# What each decided proposal becomes in core (C0003 holds P-XSFQ, 副处; C0005 is in reserve).
@pytest.mark.parametrize("person,kind,position,expect", [
    ("C0005", "reserve", "P-XSFQ", ("reserve", "P-XSFQ")),
    ("C0003", "remove", None, ("remove", "P-XSFQ")),
    ("C0003", "transfer", "P-MSZ", ("appoint", "P-MSZ")),
])
def test_a_proposal_takes_effect_only_when_decided(person, kind, position, expect,
                                                   civic_registry, civic_cli):
    number = _round(civic_cli)
    args = ["accountability", "inspection", "propose", number, "--person", person, "--kind",
            kind, "--reason", "巡察发现"]
    assert civic_cli(*args, *(["--position", position] if position else [])).exit_code == 0
    db = civic_registry.db
    before = (len(registry.reserve_of(db, person)), len(registry.appointments_of(db, person)))
    unsigned = civic_cli("accountability", "inspection", "decide", "1", "--on", "2008-05-08")
    assert unsigned.exit_code != 0 and "co-signature" in unsigned.output
    assert (len(registry.reserve_of(db, person)),
            len(registry.appointments_of(db, person))) == before
    result = civic_cli("accountability", "inspection", "decide", "1", "--on", "2008-05-08",
                       "--supervisor", "sup")
    assert result.exit_code == 0, result.output
    how, post = expect
    if how == "reserve":
        [entry] = registry.reserve_of(db, person)[before[0]:]
        assert (entry["position"], entry["basis_kind"]) == (post, "inspection")
    else:
        [entry] = registry.appointments_of(db, person)[before[1]:]
        assert (entry["action"], entry["position"]) == (how, post)
    again = civic_cli("accountability", "inspection", "decide", "1", "--on", "2008-05-09",
                      "--supervisor", "sup")
    assert again.exit_code != 0 and "was decided" in again.output


def test_a_demotion_goes_below_the_person_level(civic_registry, civic_cli):
    number = _round(civic_cli)
    civic_cli("accountability", "inspection", "propose", number, "--person", "C0003", "--kind",
              "demote", "--position", "P-XSSJ", "--reason", "x")
    result = civic_cli("accountability", "inspection", "decide", "1", "--on", "2008-05-08",
                       "--supervisor", "sup")
    assert result.exit_code != 0 and "below the person's level" in result.output


def test_a_transfer_names_its_post(civic_registry, civic_cli):
    number = _round(civic_cli)
    result = civic_cli("accountability", "inspection", "propose", number, "--person", "C0003",
                       "--kind", "transfer", "--reason", "x")
    assert result.exit_code != 0 and "names the post" in result.output
