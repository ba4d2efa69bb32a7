"""A training shortfall in eligibility: a warning that bars nothing by default, a bar to
promotion once due when the office's setting says so (training.short_blocks_promotion;
干部教育培训工作条例 2015 第十三条: training is one basis of appointment, the office decides
whether it blocks). Table-driven: the setting off/on x a shortfall or none x each mechanism
that reads eligibility (core `civic eligible`, the person screen's check, nomination,
election candidacy)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from fractions import Fraction as F

import pytest

from civic.eligibility import BAR, WARNING, problems, split
from civic.notices import set_setting
from civic.office import Operator
from civic.plugins.training import actions, workflows
from civic.registry import eligibility_report, get_person, get_position

D = dt.date
ASSESSED = D(2008, 6, 2)  # 2006 pack: 县处级 90 days in 5 years; due at once when short
ON = D(2008, 7, 4)  # the nomination's reference date: the shortfall is past its due day
PERSON, POST = "C0002", "P-XSSJ"  # 李明, 副处, meets every core condition of 西山区委书记 (正处)

# (setting, short, what eligibility says of 李明 for 西山区委书记)
CASES = [
    ("0", True, WARNING),  # default: shown, bars nothing
    ("1", True, BAR),  # the office's setting: a bar once due
    ("0", False, None),
    ("1", False, None),
]


def trained(office, codes: list[str]) -> None:
    """90 days (180 half-days, 600 hours) at the Party school for `codes`: the requirement
    met in the window of 2008."""
    prog = actions.create_programme(office, "中青年干部培训班", "full_time", D(2008, 1, 7),
                                    D(2008, 4, 30), "市委党校")
    session = actions.add_session(office, prog, D(2008, 1, 7), 180, F(600))
    actions.record_attendance(office, session, codes)


@pytest.fixture(params=CASES, ids=[f"setting{s}-{'short' if short else 'met'}"
                                   for s, short, _ in CASES])
def case(request, civic_registry):
    setting, short, expected = request.param
    office = civic_registry
    if not short:
        trained(office, [PERSON])
    actions.assess(office, ASSESSED)
    if setting == "1":
        set_setting(office, "training.short_blocks_promotion", "1",
                    cosigner=Operator("sup", "supervisor"))
    return office, expected


def training_problems(found) -> list:
    return [p for p in found if p.condition == "training.short"]


def test_core_problems_carry_the_severity(case):
    office, expected = case
    found = training_problems(problems(office.pm, office.db, get_person(office.db, PERSON),
                                       get_position(office.db, POST), ON))
    assert [p.severity for p in found] == ([expected] if expected else [])
    barred, warned = split(found)
    assert len(barred) == (expected == BAR) and len(warned) == (expected == WARNING)


def test_civic_eligible_lists_warnings_apart(case, civic_cli):
    office, expected = case
    report = json.loads(civic_cli("eligible", POST, "--on", ON.isoformat(), "--json").output)
    assert report == eligibility_report(office.db, office.pm, POST, ON)  # streamed = whole
    eligible = {p["code"]: p for p in report["eligible"]}
    ineligible = {p["code"]: p for p in report["ineligible"]}
    if expected == BAR:
        assert PERSON in ineligible and PERSON not in eligible
        assert [x["condition"] for x in ineligible[PERSON]["problems"]] == ["training.short"]
        assert "severity" not in ineligible[PERSON]["problems"][0]  # a bar's dict as before
    else:
        assert PERSON in eligible  # a warned person is eligible
        warnings = eligible[PERSON].get("warnings", [])
        assert [(w["condition"], w["severity"]) for w in warnings] == (
            [("training.short", WARNING)] if expected == WARNING else [])
    text = civic_cli("eligible", POST, "--on", ON.isoformat(), "--all").output
    line = next(x for x in text.splitlines() if PERSON in x)
    assert line.lstrip().startswith("✗" if expected == BAR else "✓")
    assert ("(warning: training short of the requirement since 2008-06-02" in line) == (
        expected == WARNING)


def test_nomination_counts_a_warned_candidate_and_shows_the_warning(case, tmp_path):
    from civic.plugins.nomination import actions as nomination
    from civic.plugins.nomination import store

    office, expected = case
    nom = nomination.create(office, title="推荐西山区委书记", positions=[POST], reference_date=ON)
    rnd = store.get_round(office.db, nom)
    roll = tmp_path / "roll.csv"
    ballots = tmp_path / "ballots.csv"
    with roll.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["code", "name"]] + [[f"E{i}", f"选举人{i}"] for i in range(3)])
    with ballots.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["ballot", "position", "choice"]]
                                 + [[i + 1, POST, "李明"] for i in range(3)])
    nomination.load_roll(office, rnd, roll)
    nomination.attend(office, rnd, [f"E{i}" for i in range(3)])
    nomination.close_attendance(office, rnd)
    nomination.record_figures(office, rnd, 3, 3)
    nomination.import_ballots(office, nom, rnd, ballots)
    [post] = store.report(office.db, nom, store.get_round(office.db, nom), office.pm)["positions"]
    results = {r["person"]: r for r in post["results"]}
    if expected == BAR:  # a write-in naming someone barred is an invalid mark
        assert PERSON not in results and post["invalid"]["not_eligible"] == 3
    else:
        assert results[PERSON]["votes"] == 3 and results[PERSON]["advances"]
        assert ("warnings" in results[PERSON]) == (expected == WARNING)
    if expected == WARNING:
        from civic.plugins.nomination.workflows import report_text

        text = report_text(store.report(office.db, nom, rnd, office.pm))
        assert "Warning: 李明 (C0002) is eligible, but training short of the requirement" in text


def test_election_candidacy_is_not_a_promotion(case):
    """A shortfall bars promotion at most: standing for election is never barred by it."""
    from civic.plugins.election.actions import resolver

    office, _expected = case
    assert resolver(office.db, ON)("", "李明") == PERSON


@pytest.mark.parametrize(("setting", "code", "rank_level", "expected"), [
    # 陈静 (正科, 乡科级): 12 days by 31 December; not yet due on ON.
    ("0", "C0005", "deputy_division", WARNING),
    ("1", "C0005", "deputy_division", WARNING),  # not due yet: the setting bars only once due
    ("1", "C0002", "division", BAR),  # 李明 (副处): due on 2 June, a 正处 post
    ("1", "C0002", "deputy_division", None),  # a post at his own level is no promotion
    ("1", "C0002", None, None),  # a post without a rank cannot be compared
])
def test_promotion_problems_severity(civic_registry, setting, code, rank_level, expected):
    office = civic_registry
    actions.assess(office, ASSESSED)
    if setting == "1":
        set_setting(office, "training.short_blocks_promotion", "1",
                    cosigner=Operator("sup", "supervisor"))
    person = get_person(office.db, code)
    found = workflows.promotion_problems(office.db, [(person, {"rank_level": rank_level})], ON)
    assert [p.severity for p in found.get(0, [])] == ([expected] if expected else [])


def test_everyone_s_read_is_kept_only_while_the_file_is_unchanged(civic_registry, monkeypatch):
    """The bulk path (more people than are read one by one) reads everyone's status once per
    run, and reads again once a change (a new assessment) is written."""
    office = civic_registry
    monkeypatch.setattr(workflows, "_FEW", 0)
    pair = [(get_person(office.db, PERSON), get_position(office.db, POST))]
    assert workflows.promotion_problems(office.db, pair, ON) == {}  # nothing assessed yet
    actions.assess(office, ASSESSED)
    [found] = workflows.promotion_problems(office.db, pair, ON)[0]
    assert found.severity == WARNING
    trained(office, [PERSON])
    actions.assess(office, ON)  # met now: the shortfall is superseded
    assert workflows.promotion_problems(office.db, pair, ON) == {}
