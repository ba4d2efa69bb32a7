"""The evaluation plugin through its actions and CLI on a small registry (civic.testing):
frameworks refused naming the node, data files refused whole with file:row:column, a run's
JSON contract, the committee's conclusion, certification with the annual grade as a fact."""

from __future__ import annotations

import json

import pytest

from civic.errors import CivicError, InputError
from civic.office import Operator
from civic.plugins.evaluation import actions, rules, store

# Three leaders under an individual-scale framework: A1 10/20/30 -> 0/50/100, A2 all 5 ->
# 100, B1 1/3/2 -> 0/100/50; A = 50/75/100; total = 0.6 A + 0.4 B = 30, 85, 80.
FRAMEWORK = """
key = "leaders"
name = "领导干部年度考核"
ratee = "individual"
regulation = "测试规则"
edition = "2008"
article = "第一条"
[grades]
min = ["80", "65", "50"]
[[category]]
code = "A"
name = "实绩"
weight = "60"
[[category.indicator]]
code = "A1"
name = "指标一"
weight = "50"
[[category.indicator]]
code = "A2"
name = "指标二"
weight = "50"
[[category]]
code = "B"
name = "评议"
weight = "40"
[[category.indicator]]
code = "B1"
name = "公众评价"
weight = "100"
[[gate]]
code = "SAFETY"
name = "重大安全事故"
condition = "年内发生重大安全事故"
consequence = "no_top_grade"
source = "测试规则 第九条"
"""
DATA = "单位编码,单位名称,人员编号,A1,指标二,B1,重大安全事故\n" \
       "L1,一号,C0001,10,5,1,\nL2,二号,C0002,20,5,3,\nL3,三号,C0003,30,5,2,\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def evaluation(civic_registry, tmp_path):
    office = civic_registry
    actions.import_framework(office, str(write(tmp_path, "leaders.toml", FRAMEWORK)))
    number = actions.create(office, "leaders", 2008, "2008年度考核", edition="2020")
    return office, number


def test_a_framework_with_bad_weights_is_refused_naming_the_node(civic_registry, tmp_path):
    bad = write(tmp_path, "bad.toml", FRAMEWORK.replace('weight = "60"', 'weight = "65"'))
    with pytest.raises(CivicError, match="Framework bad.toml: weights sum to 105%"):
        actions.import_framework(civic_registry, str(bad))
    assert civic_registry.db.execute("SELECT count(*) FROM evaluation_frameworks"
                                     ).fetchone()[0] == 0


def test_shipped_frameworks_import_by_key(civic_registry):
    first = actions.import_framework(civic_registry, "kunming-county-2008")
    assert actions.import_framework(civic_registry, "kunming-county-2008") == first
    tree = store.framework_tree(store.framework_of(
        store.framework_row(civic_registry.db, "kunming-county-2008")["content"]))
    assert [c["weight"] for c in tree["categories"]] == ["35", "25", "20", "20"]


def test_a_bad_data_file_is_refused_whole(evaluation, tmp_path):
    office, number = evaluation
    bad = write(tmp_path, "data.csv", "单位编码,人员编号,A1,A2,B1\n"
                "L1,C0001,10,5,1\nL2,C0099,20,5,3\nL3,C0003,三十,5,2\nL1,C0001,1,1,1\n")
    with pytest.raises(InputError) as err:
        actions.import_data(office, number, bad)
    text = str(err.value)
    assert "data.csv:3:人员编号" in text  # no such person
    assert "data.csv:4:A1" in text  # not a number
    assert "data.csv:5:单位编码" in text  # the unit twice
    assert office.db.execute("SELECT count(*) FROM evaluation_units").fetchone()[0] == 0
    assert office.db.execute("SELECT count(*) FROM audit_log WHERE type ="
                             " 'evaluation.data_imported'").fetchone()[0] == 0


def test_run_conclude_certify(evaluation, tmp_path, civic_cli):
    office, number = evaluation
    assert actions.import_data(office, number, write(tmp_path, "d.csv", DATA)) == {
        "units": 3, "values": 9, "gates": 0}
    result = civic_cli("evaluation", "run", str(number), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"evaluation", "framework", "year", "units", "grades", "quota"}
    l2 = report["units"][1]
    assert l2 == {"unit": "L2", "score": "85.00", "rank": 1, "grade": "优秀",
                  "categories": {"A": "75.00", "B": "100.00"},
                  "indicators": {"A1": "50.00", "A2": "100.00", "B1": "100.00"},
                  "gates": [], "not_scored": None}
    # 20% (2020) of 3 is 0.6, 1 by 四舍五入: L3's 80 falls to 称职.
    assert report["quota"] == {"grade": "优秀", "limit": 1, "tied_at_boundary": []}
    assert report["grades"] == {"优秀": 1, "称职": 1, "基本称职": 0, "不称职": 1}
    with pytest.raises(CivicError, match="give the reason"):
        actions.conclude(office, number, "L1", "基本称职")
    actions.conclude(office, number, "L1", "基本称职", "年内完成重点任务，综合研判")
    graded = store.grades(office.db, number)
    assert graded["units"][2]["final"] == "基本称职"
    # Certifying needs a supervisor other than the operator.
    with pytest.raises(CivicError):
        actions.certify(office, number, None)
    sup = Operator("sup", "supervisor")
    assert actions.certify(office, number, sup) == 3
    facts = office.db.execute("SELECT person, value, data FROM person_facts WHERE kind ="
                              " 'grade' ORDER BY person").fetchall()
    assert [(p, v) for p, v, _d in facts] == [("C0001", "基本称职"), ("C0002", "优秀"),
                                            ("C0003", "称职")]
    assert json.loads(facts[0][2]) == {"year": 2008}
    with pytest.raises(CivicError, match="certified"):
        actions.run(office, number)


def test_cli_reads_and_export(evaluation, tmp_path, civic_cli):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    assert civic_cli("evaluation", "run", str(number)).exit_code == 0
    shown = json.loads(civic_cli("evaluation", "framework", "show", "leaders", "--json").output)
    assert shown["gates"][0]["code"] == "SAFETY"
    grades = json.loads(civic_cli("evaluation", "grades", str(number), "--json").output)
    assert [u["unit"] for u in grades["units"]] == ["L2", "L3", "L1"]
    sens = json.loads(civic_cli("evaluation", "sensitivity", str(number), "--runs", "50",
                                "--seed", "1", "--json").output)
    assert {u["unit"] for u in sens["units"]} == {"L1", "L2", "L3"}
    out = tmp_path / "grades.xlsx"
    result = civic_cli("evaluation", "export", str(number), str(out))
    assert result.exit_code == 0 and out.stat().st_size > 0
    import openpyxl

    sheet = openpyxl.load_workbook(out).active
    assert [c.value for c in sheet[2]][:5] == ["L2", "二号", "85.00", 2 - 1, "优秀"]


def test_a_survey_feeds_the_public_indicator(evaluation, tmp_path):
    office, number = evaluation
    data = DATA.replace(",1,\n", ",,\n").replace(",3,\n", ",,\n").replace(",2,\n", ",,\n")
    actions.import_data(office, number, write(tmp_path, "d.csv", data))
    # Answers 1..5 -> 0..100; L1's three answers 5,5,5 and 1,1,1: index 50.
    responses = "单位编码,渠道,幸福感,满意度,安全感\nL1,入户,5,5,5\nL1,问卷,1,1,1\n" \
                "L2,网上,4,4,4\nL3,入户,2,2,2\n"
    found = actions.import_survey(office, number, write(tmp_path, "s.csv", responses), "B1")
    assert found == {"respondents": 4, "units": 3}
    _run, report = actions.run(office, number)
    assert office.db.execute("SELECT unit, respondents, index_value FROM evaluation_surveys"
                             " ORDER BY unit").fetchall() == [("L1", 2, 50.0), ("L2", 1, 75.0),
                                                              ("L3", 1, 25.0)]
    shown = store.surveys(office.db, number)
    assert shown[0]["channels"] == {"入户": 1, "问卷": 1} and shown[0]["happiness"] == "50.00"
    # B1 is min-max normalised: the indices 50, 75, 25 span 25..75.
    assert [u["indicators"]["B1"] for u in report["units"]] == ["50.00", "100.00", "0.00"]
    bad = write(tmp_path, "s2.csv", "单位编码,渠道,幸福感,满意度,安全感\nL9,入户,6,5,5\n")
    with pytest.raises(InputError) as err:
        actions.import_survey(office, number, bad, "B1")
    assert "s2.csv:2:幸福感" in str(err.value) or "s2.csv:2:单位编码" in str(err.value)


def test_a_boundary_tie_needs_the_committee_before_certifying(evaluation, tmp_path):
    office, number = evaluation
    # L2 and L3 both 100: 20% of 3 -> 1 place, the tie is kept and flagged.
    tied = "单位编码,人员编号,A1,A2,B1\nL1,C0001,10,5,1\nL2,C0002,30,5,3\nL3,C0003,30,5,3\n"
    actions.import_data(office, number, write(tmp_path, "t.csv", tied))
    _run, report = actions.run(office, number)
    assert report["quota"]["tied_at_boundary"] == ["L2", "L3"]
    assert report["grades"]["优秀"] == 2
    with pytest.raises(CivicError, match="L2, L3"):
        actions.certify(office, number, Operator("sup", "supervisor"))
    assert rules.needs_reason("优秀", "称职")


def forms_file(tmp_path, forms):
    """forms: (number, category, {ratee: grade}) -> core's rating-form file."""
    lines = ["表号,测评类别,测评项目,被测评人,等次"]
    for number, category, grades in forms:
        lines += [f"{number},{category},overall,{r},{g}" for r, g in grades.items()]
    return write(tmp_path, "forms.csv", "\n".join(lines) + "\n")


def test_rating_forms_on_the_core_ballot_model(evaluation, tmp_path, civic_cli):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 5, "cadres": 5, "public": 5})
    forms = []
    # Each category: 5 forms; L1 gets 不称职 on 2 of 5 in every category (40% > 1/3: flagged).
    for n, cat in enumerate(("leaders", "cadres", "public")):
        for k in range(5):
            forms.append((n * 10 + k + 1, cat, {"L1": "不称职" if k < 2 else "称职",
                                                "L2": "优秀", "L3": "称职"}))
        actions.rating_figures(office, number, cat, 5, 5, 5)
    assert actions.import_forms(office, number, forms_file(tmp_path, forms))["ballots"] == 15
    result = json.loads(civic_cli("evaluation", "forms", "results", str(number),
                                  "--json").output)
    by = {r["ratee"]: r for r in result["ratees"]}
    assert by["L2"]["rates"]["优秀"] == "100.00" and by["L2"]["index"] == "100.00"
    # L1: 6 of 15 不称职 (40%), 9 称职; index 0.6 x 80 + 0.4 x 0 = 48.
    assert by["L1"]["counts"] == {"优秀": 0, "称职": 9, "基本称职": 0, "不称职": 6}
    assert by["L1"]["rates"]["不称职"] == "40.00" and by["L1"]["index"] == "48.00"
    assert [f["flag"] for f in by["L1"]["flags"]] == ["fail_third"]
    assert by["L3"]["flags"] == []


def test_a_rater_category_below_the_minimum_withholds_the_result(evaluation, tmp_path):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 5, "cadres": 5, "public": 5})
    forms = [(k + 1, "leaders", {"L1": "称职"}) for k in range(4)]  # 4 < 5 raters
    forms += [(n * 10 + k, cat, {"L1": "称职"}) for n, cat in ((1, "cadres"), (2, "public"))
              for k in range(5)]
    actions.rating_figures(office, number, "leaders", 4, 4, 4)
    actions.rating_figures(office, number, "cadres", 5, 5, 5)
    actions.rating_figures(office, number, "public", 5, 5, 5)
    actions.import_forms(office, number, forms_file(tmp_path, forms))
    found = store.ratings(office.db, number, office.pm)
    assert all("fewer than 5 raters in leaders" in r["withheld"] for r in found["ratees"])
    bad = forms_file(tmp_path, [(99, "leaders", {"L9": "称职"})])
    with pytest.raises(InputError, match="forms.csv:2"):
        actions.import_forms(office, number, bad)


def test_the_results_notice_after_certifying(evaluation, tmp_path, civic_cli):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.run(office, number)
    refused = civic_cli("evaluation", "notice", str(number))
    assert refused.exit_code != 0 and "not certified" in refused.output
    actions.certify(office, number, Operator("sup", "supervisor"))
    drafted = civic_cli("evaluation", "notice", str(number), "--lang", "zh_CN")
    assert drafted.exit_code == 0, drafted.output
    assert "考核结果经考核委员会研究、纪委监督人员签字确认" in drafted.output
    assert "二号" in drafted.output and "优秀" in drafted.output
    published = civic_cli("evaluation", "notice", str(number), "--publish", "--supervisor",
                          "sup", "--json")
    assert published.exit_code == 0, published.output
    assert json.loads(published.output)["status"] == "published"


def test_a_panel_of_years_fixes_the_scale(evaluation, tmp_path):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    later = actions.create(office, "leaders", 2009, "2009年度考核", edition="2020")
    # 2009: A1 spans 20..40; alone, 30 would be 50; on the 2008-2009 panel (10..40), 66.67.
    actions.import_data(office, later, write(tmp_path, "e.csv", DATA.replace(
        ",10,5,1,", ",20,5,1,").replace(",20,5,3,", ",30,5,3,").replace(",30,5,2,",
                                                                        ",40,5,2,")))
    _run, alone = actions.run(office, later)
    _run, joined = actions.run(office, later, (number,))
    assert alone["units"][1]["indicators"]["A1"] == "50.00"
    assert joined["units"][1]["indicators"]["A1"] == "66.67"
    with pytest.raises(CivicError, match="not another year"):
        actions.run(office, later, (later,))


def test_invalid_forms_are_voided_by_core_count_with_their_reason(evaluation, tmp_path):
    """The pack's rule runs inside core's count (hook ballot_form_validity): the form is entered
    as given, counted as one of the forms, grades nobody, and is reported by its reason."""
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 6, "cadres": 5, "public": 5})
    forms = [(k + 1, "leaders", {"L1": "称职", "L2": "优秀", "L3": "称职"}) for k in range(5)]
    forms.append((6, "leaders", {"L1": "称职", "L2": "称职", "L3": "称职"}))  # all alike
    forms += [(n * 10 + k, cat, {"L1": "称职", "L2": "优秀", "L3": "基本称职"})
              for n, cat in ((1, "cadres"), (2, "public")) for k in range(5)]
    actions.rating_figures(office, number, "leaders", 6, 6, 6)
    actions.rating_figures(office, number, "cadres", 5, 5, 5)
    actions.rating_figures(office, number, "public", 5, 5, 5)
    assert actions.import_forms(office, number, forms_file(tmp_path, forms)) == {
        "ballots": 16, "invalid": 1, "invalid_forms": [
            {"form": 6, "dimension": "overall", "dimension_name": "综合评价",
             "reason": "every ratee graded 称职"}]}
    # Entered as given: form 6's three marks are in the core round.
    assert office.db.execute("SELECT count(*) FROM voting_marks").fetchone()[0] == 16 * 3
    found = store.ratings(office.db, number, office.pm)
    assert found["forms"]["leaders"] == 6  # the invalid form is counted, grading nobody
    assert found["invalid"] == [{"dimension": "overall", "dimension_name": "综合评价",
                                 "forms": 1, "reason": "every ratee graded 称职"}]
    l1 = next(r for r in found["ratees"] if r["ratee"] == "L1")
    assert l1["counts"]["称职"] == 15 and l1["invalid"] == 1  # not 16: form 6 is void
    l2 = next(r for r in found["ratees"] if r["ratee"] == "L2")
    assert l2["counts"]["优秀"] == 15 and l2["rates"]["优秀"] == "100.00"
    assert l2["index"] == "100.00"  # over the forms that graded L2


def test_a_capped_year_certifies_no_higher_than_the_cap(evaluation, tmp_path):
    """A decision that bars 优秀 for the year (a core grade_cap restriction, as an
    accountability decision records it) holds when the year's grade is certified."""
    import datetime as dt

    from civic import facts

    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.run(office, number)
    with office.change() as change:
        facts.record(change, person="C0002", kind="restriction", value=facts.GRADE_CAP,
                     valid_from=dt.date(2008, 5, 12), until=dt.date(2009, 1, 1),
                     source=("accountability", "case-1"), rule="诫勉规定",
                     data={"year": 2008, "grade": "称职"})
    actions.certify(office, number, Operator("sup", "supervisor"))
    value, data = office.db.execute("SELECT value, data FROM person_facts WHERE kind = 'grade'"
                                    " AND person = 'C0002'").fetchone()
    assert value == "称职"
    assert json.loads(data) == {"year": 2008, "capped_from": "优秀", "cap_fact": 1}


@pytest.mark.parametrize("grade, cap, expected", [
    ("优秀", "称职", "称职"),        # the cap lowers a higher grade
    ("基本称职", "称职", "基本称职"),  # and never raises a lower one
    ("称职", None, "称职"),          # no cap
    ("好", "称职", "好"),            # a team's scale is not the individual cap's
])
def test_capped(grade, cap, expected):
    assert rules.capped(grade, cap, rules.SCALES["individual"]) == expected


def test_a_keyed_form_beyond_the_forms_returned_is_refused(evaluation, tmp_path):
    """A rater category returned 2 forms: a third keyed (or imported) is refused, naming the
    category, rather than leaving a round the count refuses."""
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 5, "cadres": 5, "public": 5})
    actions.rating_figures(office, number, "leaders", 2, 2, 2)
    for form in (1, 2):
        actions.enter_form(office, number, form, "leaders", {"overall": {"L1": "称职"}})
    with pytest.raises(CivicError, match="领导干部 returned 2 forms; 2 are entered already"):
        actions.enter_form(office, number, 3, "leaders", {"overall": {"L1": "称职"}})
    with pytest.raises(CivicError, match="1 more would exceed it"):
        actions.import_forms(office, number, forms_file(tmp_path, [(9, "leaders",
                                                                    {"L1": "优秀"})]))
    assert office.db.execute("SELECT count(*) FROM voting_ballots").fetchone()[0] == 2
    with pytest.raises(CivicError, match="No rater category nobody"):
        actions.enter_form(office, number, 4, "nobody", {})


def test_a_team_grade_is_the_units_record_not_a_members_fact(civic_registry, tmp_path,
                                                             civic_cli):
    """A leadership team's certified grade (好/较好/一般/较差) is kept as the unit's record:
    no grade fact lands on the person standing for the team; their record shows it as the
    team's, and `team-grades` reads it."""
    from civic.registry import person_sections

    office = civic_registry
    team = FRAMEWORK.replace('ratee = "individual"', 'ratee = "team"').replace(
        'key = "leaders"', 'key = "teams"')
    actions.import_framework(office, str(write(tmp_path, "teams.toml", team)))
    number = actions.create(office, "teams", 2008, "2008年度班子考核", edition="2020")
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.run(office, number)
    assert actions.certify(office, number, Operator("sup", "supervisor")) == 3
    assert office.db.execute("SELECT count(*) FROM person_facts WHERE kind = 'grade'"
                             ).fetchone()[0] == 0
    grades = {g["unit"]: g["grade"] for g in store.team_grades(office.db)}
    assert set(grades) == {"L1", "L2", "L3"} and set(grades.values()) <= set(
        rules.SCALES["team"])
    person = dict(zip(("code",), ("C0002",), strict=True))
    (section,) = person_sections(office.pm, office.db, person)
    assert section.rows == [("2008 二号", f"{grades['L2']} (the team's grade, not the "
                                          "person's own)")]
    shown = json.loads(civic_cli("evaluation", "team-grades", "--unit", "L2", "--json").output)
    assert [(g["year"], g["grade"]) for g in shown] == [(2008, grades["L2"])]


# A rating's figures are checked as a count sheet's are (forms go to the raters present), in
# the rating's own words: raters and forms, not electors and ballots.
@pytest.mark.parametrize(("present", "issued", "returned", "message"), [
    (6, 6, 6, "6 raters present, more than the 5 due to rate"),
    (5, 6, 6, "6 rating forms issued but 5 raters present"),
    (5, -1, 0, "Rater and form numbers cannot be negative"),
])
def test_a_ratings_figures_that_cannot_be_true_are_refused_in_its_words(
        evaluation, tmp_path, present, issued, returned, message):
    office, number = evaluation
    actions.import_data(office, number, write(tmp_path, "d.csv", DATA))
    actions.declare_rating(office, number, {"leaders": 5, "cadres": 5, "public": 5})
    entries = office.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(CivicError, match=message) as caught:
        actions.rating_figures(office, number, "leaders", present, issued, returned)
    assert "ballot" not in str(caught.value) and "elector" not in str(caught.value)
    assert office.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == entries
