"""Cases and tasks through the CLI on the sample registry (civic.testing): each step audited,
a decision co-signed, its restrictions read by every mechanism's eligibility, confidentiality
walked for every role, files refused whole with file:row:column."""

from __future__ import annotations

import json

import pytest

from civic.plugins.accountability import actions, store
from civic.testing import cli_runner


def _open(cli, person="C0002", on="2008-05-02", trigger="abuse"):
    result = cli("accountability", "case", "new", "--person", person, "--trigger", trigger,
                 "--source", "complaint", "--summary", "推诿扯皮", "--on", on)
    assert result.exit_code == 0, result.output
    return int(result.output.split()[1])


def _decide(cli, case, forms, on="2008-05-12", *extra):
    assert cli("accountability", "case", "investigate", str(case), "--on", "2008-05-08"
               ).exit_code == 0
    args = ["accountability", "case", "decide", str(case), "--on", on, "--supervisor", "sup"]
    for form in forms:
        args += ["--form", form]
    result = cli(*args, *extra)
    assert result.exit_code == 0, result.output
    return result


def _show(pm, path, user, case):
    return cli_runner(pm, path, user=user)("accountability", "case", "show", str(case), "--json")


def _audit_types(office):
    return [r[0] for r in office.db.execute("SELECT type FROM audit_log ORDER BY id")]


def test_a_case_from_opening_to_review_each_step_audited(civic_registry, civic_cli, civic_pm,
                                                         civic_db_path):
    case = _open(civic_cli)
    _decide(civic_cli, case, ["gov_demerit", "no_merit"], "2008-05-12",
            "--aggravating", "隐瞒事实", "--mitigating", "主动挽回损失")
    assert civic_cli("accountability", "case", "serve", str(case), "--on", "2008-05-16"
                     ).exit_code == 0
    data = json.loads(_show(civic_pm, civic_db_path, "admin", case).output)
    # Received Fri 16 May: 15 days is Sat 31 May, moved to Mon 2 Jun.
    assert data["deadlines"]["appeal"]["last_day"] == "2008-06-02"
    assert data["deadlines"]["appeal"]["open"] is True
    assert data["restrictions"] == [{"fact": 1, "restriction": "no_promotion",
                                     "from": "2008-05-12", "until": "2009-05-12"}]
    assert [f["name"] for f in data["forms"]] == ["记过", "取消当年评优"]
    assert data["grade_caps"] == [{"year": 2008, "cap": "称职",
                                   "source": data["forms"][1]["source"]}]
    assert [f["kind"] for f in data["factors"]] == ["aggravating", "mitigating"]
    assert data["heading_name"] == "办事拖拉，推诿扯皮"
    late = civic_cli("accountability", "case", "appeal", str(case), "--on", "2008-06-03")
    assert late.exit_code != 0 and "due by 2008-06-02" in late.output
    assert civic_cli("accountability", "case", "appeal", str(case), "--on", "2008-06-02"
                     ).exit_code == 0
    data = json.loads(_show(civic_pm, civic_db_path, "admin", case).output)
    # Execution not suspended: the restriction holds during the appeal; answer in 30 days.
    assert data["deadlines"]["answer"]["last_day"] == "2008-07-02"
    assert data["restrictions"][0]["until"] == "2009-05-12"
    assert civic_cli("accountability", "case", "review", str(case), "--on", "2008-06-20",
                     "--outcome", "revoked").exit_code == 0
    data = json.loads(_show(civic_pm, civic_db_path, "admin", case).output)
    assert data["restrictions"][0]["until"] == "2008-06-20"  # ended on revocation
    assert civic_cli("accountability", "case", "close", str(case), "--on", "2008-06-21"
                     ).exit_code == 0
    types = _audit_types(civic_registry)
    # Two facts each way: the restriction and the grade cap (no_merit).
    assert types[-14:] == [
        "accountability.case_opened", "accountability.case_stepped",
        "accountability.case_decided", "core.fact_recorded", "core.fact_recorded",
        "accountability.case_stepped", "accountability.case_read",
        "accountability.case_stepped", "accountability.case_read",
        "accountability.case_stepped", "core.fact_ended", "core.fact_ended",
        "accountability.case_read", "accountability.case_stepped"]
    cosigner = civic_registry.db.execute(
        "SELECT cosigner FROM audit_log WHERE type = 'accountability.case_decided'").fetchone()
    assert cosigner == ("sup",)


def test_a_decision_needs_a_supervisor(civic_registry, civic_cli):
    case = _open(civic_cli)
    civic_cli("accountability", "case", "investigate", str(case), "--on", "2008-05-08")
    result = civic_cli("accountability", "case", "decide", str(case), "--on", "2008-05-12",
                       "--form", "removal")
    assert result.exit_code != 0 and "co-signature" in result.output
    assert store.get_case(civic_registry.db, case)["status"] == "investigated"


def test_a_restriction_blocks_promotion_in_civic_eligible(civic_registry, civic_cli):
    # 李明 (C0002), 副处, qualifies for 西山区委书记 (P-XSSJ, 正处) until a 记过 bars promotion.
    before = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-04", "--json").output)
    assert "C0002" in [p["code"] for p in before["eligible"]]
    case = _open(civic_cli)
    _decide(civic_cli, case, ["gov_demerit"])
    during = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-04", "--json").output)
    [problem] = {p["code"]: p["problems"] for p in during["ineligible"]}["C0002"]
    # Worded by the plugin (describe_fact_source), not as stored ("accountability case-1").
    assert problem["message"].startswith(f"blocked by accountability case No. {case} (")
    assert problem["message"].endswith("until 2009-05-12")
    after = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2009-05-12", "--json").output)
    assert "C0002" in [p["code"] for p in after["eligible"]]


def test_a_removal_blocks_an_equivalent_post_and_the_nomination(civic_registry, civic_cli):
    import datetime as dt

    from civic.plugins.nomination import actions as nomination_actions
    from civic.plugins.nomination import store as nomination
    from civic.plugins.nomination.rules import NOT_ELIGIBLE, OPEN

    # 王丽 (C0003) holds 西山区副区长 (副处); after 免职 no 副处 post or above for a year.
    case = _open(civic_cli, person="C0003", trigger="accident")
    _decide(civic_cli, case, ["removal"])
    during = json.loads(civic_cli("eligible", "P-XSFQ", "--on", "2008-07-04", "--json").output)
    assert "C0003" in {p["code"] for p in during["ineligible"]}
    office = civic_registry
    nom = nomination_actions.create(office, title="2008年7月推荐", positions=["P-XSSJ"],
                            reference_date=dt.date(2008, 7, 4))
    resolve = nomination.resolver(office, nom, nomination.get_round(office.db, nom, OPEN))
    assert resolve("P-XSSJ", "王丽").reason == NOT_ELIGIBLE


# Who reads what a case is about: admins and supervisors by default; the operator and the
# viewer see the case, its deadlines and that a restriction exists, not why; every read of
# the content is audited, and an office may give the content to operators.
@pytest.mark.parametrize("user,content", [("admin", True), ("sup", True), ("op", False),
                                          ("view", False)])
def test_confidentiality_for_every_role(user, content, civic_registry, civic_cli, civic_pm,
                                        civic_db_path):
    case = _open(civic_cli)
    _decide(civic_cli, case, ["gov_demerit"])
    reads = _audit_types(civic_registry).count("accountability.case_read")
    result = _show(civic_pm, civic_db_path, user, case)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["content"] is content
    assert ("summary" in data) is content and ("forms" in data) is content
    assert data["restrictions"][0]["restriction"] == "no_promotion"  # that one exists
    assert _audit_types(civic_registry).count("accountability.case_read") == reads + content
    text = cli_runner(civic_pm, civic_db_path, user=user)("accountability", "case", "show",
                                                          str(case)).output
    assert ("推诿扯皮" in text) is content


def test_an_office_gives_the_content_to_operators(civic_registry, civic_cli, civic_pm,
                                                  civic_db_path):
    case = _open(civic_cli)
    admin = cli_runner(civic_pm, civic_db_path, user="admin")
    result = admin("permission", "set", "accountability.content", "admin", "supervisor",
                   "operator", "--supervisor", "sup")
    assert result.exit_code == 0, result.output
    assert json.loads(_show(civic_pm, civic_db_path, "op", case).output)["content"] is True


def test_the_register_lists_no_content(civic_registry, civic_cli):
    _open(civic_cli)
    [row] = json.loads(civic_cli("accountability", "case", "list", "--json").output)
    assert row["person"] == "C0002" and "summary" not in row and "trigger" not in row


def test_a_bad_file_is_refused_whole_with_file_row_column(civic_registry, civic_cli, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("person,trigger,source,summary,opened_on\n"
                    "C0002,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C9999,abuse,complaint,推诿扯皮,2008-03-04\n"
                    "C0003,nonsense,complaint,推诿扯皮,2008-03-05\n"
                    "C0003,abuse,rumour,推诿扯皮,2008-03-06\n"
                    "C0003,abuse,media,推诿扯皮,2008-13-01\n", encoding="utf-8")
    result = civic_cli("accountability", "case", "import", str(path))
    assert result.exit_code != 0
    for where in ("cases.csv:3:person", "cases.csv:4:trigger", "cases.csv:5:source",
                  "cases.csv:6:opened_on"):
        assert where in result.output, result.output
    assert store.list_cases(civic_registry.db) == []
    path.write_text("person,trigger,source,summary,opened_on\n"
                    "C0002,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    assert civic_cli("accountability", "case", "import", str(path)).exit_code == 0
    assert len(store.list_cases(civic_registry.db)) == 1


def test_tasks_escalate_and_an_overdue_one_proposes_a_case(civic_registry, civic_cli):
    result = civic_cli("accountability", "task", "new", "--title", "滇池治理", "--unit", "KM-XS",
                       "--owner", "C0002", "--type", "urgent", "--deadline", "2008-06-01",
                       "--on", "2008-05-01")
    assert result.exit_code == 0, result.output
    civic_cli("accountability", "task", "progress", "1", "--on", "2008-05-20",
              "--text", "已部署")
    early = civic_cli("accountability", "task", "propose", "1", "--on", "2008-06-01")
    assert early.exit_code != 0 and "not overdue" in early.output
    [task] = json.loads(civic_cli("accountability", "task", "list", "--on", "2008-06-17",
                                  "--json").output)
    assert (task["days_overdue"], task["level"], len(task["log"])) == (16, "escalated", 1)
    assert civic_cli("accountability", "task", "propose", "1", "--on", "2008-06-17"
                     ).exit_code == 0
    [case] = store.list_cases(civic_registry.db)
    assert store.get_case(civic_registry.db, case["id"])["source"] == "task"
    status = json.loads(civic_cli("status", "--on", "2008-06-17", "--json").output)
    [work] = [w for w in status["open"] if w["ref"] == "task:1"]
    assert (work["due"], work["overdue"]) == ("2008-06-01", True)
    # The text names the mechanism by its mode's title in the operator's language.
    text = civic_cli("status", "--on", "2008-06-17", env={"CIVIC_LANG": "zh_CN"}).output
    [line] = [row for row in text.splitlines() if "task:1" in row]
    assert line.split()[0] == "问责"


def test_report_counts_by_heading(civic_registry):
    import datetime as dt

    for day, trigger in (("2008-01-10", "abuse"), ("2008-02-10", "decision"),
                         ("2008-03-10", "other"), ("2008-07-10", "abuse")):
        actions.open_case(civic_registry, person="C0002", trigger=trigger, source="media",
                          summary="x", opened_on=dt.date.fromisoformat(day))
    data = store.report(civic_registry.db, dt.date(2008, 1, 1), dt.date(2008, 6, 30),
                        dt.date(2008, 7, 1))
    assert data["total"] == 3
    assert [h["cases"] for h in data["by_heading"]] == [1, 0, 1, 1]


def test_the_example_file_imports(civic_registry, civic_cli):
    from pathlib import Path

    example = Path(__file__).parents[2] / "examples" / "accountability" / "cases.csv"
    # A dry run says what the import would do and writes nothing.
    dry = civic_cli("accountability", "case", "import", str(example), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines() == ["Dry run, nothing written: cases.csv",
                                       "  Would do: 3 cases opened."]
    assert store.list_cases(civic_registry.db) == []
    result = civic_cli("accountability", "case", "import", str(example))
    assert result.exit_code == 0, result.output
    rows = store.list_cases(civic_registry.db)
    assert [(r["person"], r["team"], r["unit"]) for r in rows] == [
        ("C0002", None, "KM-XS"), ("C0003", None, "KM-XS"), (None, "市政府办公厅领导班子", "KM-GOV")]


def test_report_exports_to_xlsx(civic_registry, civic_cli, tmp_path):
    import openpyxl

    _open(civic_cli, on="2008-02-10")
    out = tmp_path / "report.xlsx"
    result = civic_cli("accountability", "report", "--from", "2008-01-01", "--to",
                       "2008-06-30", "--on", "2008-07-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("Table", "Key", "Name", "Count")
    assert rows[1] == ("total", None, None, 1)  # empty cells read back as None
    assert any(r[0] == "heading" and r[2] == "办事拖拉，推诿扯皮" and r[3] == 1 for r in rows)


def test_people_show_lists_the_case_and_the_grade_cap_not_the_reason(civic_registry, civic_cli):
    case = _open(civic_cli)
    _decide(civic_cli, case, ["no_merit", "gov_warning"])
    data = json.loads(civic_cli("people", "show", "C0002", "--json").output)
    [section] = [s for s in data["sections"] if s["title"] == "Accountability"]
    assert section["rows"] == [["Case 1", "decided  2008-05-02"],
                               ["Grade cap", "grade for 2008 at most 称职  (Case 1)"]]
    assert "推诿扯皮" not in json.dumps(data, ensure_ascii=False)
    cap, fact = data["facts"]
    assert (fact["value"], fact["until"]) == ("no_promotion", "2008-11-12")
    # The cap is a core fact for whatever grades the year: to 1 January of the next.
    assert (cap["value"], cap["until"], cap["data"]) == ("grade_cap", "2009-01-01",
                                                         {"year": 2008, "grade": "称职"})
    assert cap["source_text"].startswith("accountability case No. 1 (")


def test_a_grade_cap_is_a_core_fact_until_the_decision_is_revoked(civic_registry, civic_cli,
                                                                   civic_office):
    from civic.facts import grade_cap_of

    case = _open(civic_cli)
    _decide(civic_cli, case, ["no_merit"])
    cap = grade_cap_of(civic_office.db, "C0002", 2008)
    assert cap is not None and cap.data == {"year": 2008, "grade": "称职"}
    assert grade_cap_of(civic_office.db, "C0002", 2009) is None
    assert grade_cap_of(civic_office.db, "C0001", 2008) is None
    for step, day in (("serve", "2008-05-16"), ("appeal", "2008-05-20")):
        assert civic_cli("accountability", "case", step, str(case), "--on", day).exit_code == 0
    result = civic_cli("accountability", "case", "review", str(case), "--on", "2008-06-10",
                       "--outcome", "revoked")
    assert result.exit_code == 0, result.output
    assert grade_cap_of(civic_office.db, "C0002", 2008) is None


def test_the_blocking_case_is_named_in_chinese(civic_registry, civic_cli):
    case = _open(civic_cli)
    _decide(civic_cli, case, ["gov_demerit"])
    during = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-04", "--json",
                                  env={"CIVIC_LANG": "zh_CN"}).output)
    [problem] = {p["code"]: p["problems"] for p in during["ineligible"]}["C0002"]
    assert problem["message"].startswith(f"受第{case}号问责案件")
    assert problem["message"].endswith("至 2009-05-12 止")


@pytest.mark.parametrize("one_by_one", [1000, 2])
def test_a_large_file_reads_the_registry_once_and_checks_the_same(
        one_by_one, civic_registry, civic_cli, tmp_path, monkeypatch):
    """A file naming many people has the registry's people read in one query (after
    ONE_BY_ONE lookups): the same persons refused by row, the same units filed."""
    from civic.plugins.accountability import actions as case_actions

    monkeypatch.setattr(case_actions._Lookup, "ONE_BY_ONE", one_by_one)
    path = tmp_path / "cases.csv"
    header = "person,unit,trigger,source,summary,opened_on\n"
    path.write_text(header + "C0002,,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C0001,,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C0003,,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C9999,,abuse,complaint,推诿扯皮,2008-03-04\n", encoding="utf-8")
    result = civic_cli("accountability", "case", "import", str(path))
    assert result.exit_code != 0 and "cases.csv:5:person" in result.output, result.output
    assert store.list_cases(civic_registry.db) == []
    path.write_text(header + "C0002,,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C0001,,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C0003,KM,abuse,complaint,推诿扯皮,2008-03-03\n"
                    "C0001,,abuse,complaint,推诿扯皮,2008-03-03\n", encoding="utf-8")
    assert civic_cli("accountability", "case", "import", str(path)).exit_code == 0
    # A person's case without a unit is filed under theirs (testing.PEOPLE).
    assert [r["unit"] for r in store.list_cases(civic_registry.db)] == [
        "KM-XS", "KM-GOV", "KM", "KM-GOV"]


def test_open_deadlines_appear_in_civic_status(civic_registry, civic_cli):
    """A served decision's appeal deadline, then the appeal's answer deadline, in `civic
    status` (what the dashboard lists), holiday shifts included: served Tue 16 Sep 2008,
    15 days is 1 Oct (国庆, 29 Sep-5 Oct) -> 6 Oct; once appealed, the answer's 30 days."""
    case = _open(civic_cli)
    _decide(civic_cli, case, ["talk"], "2008-09-10")
    assert civic_cli("accountability", "case", "serve", str(case), "--on", "2008-09-16"
                     ).exit_code == 0

    def deadline() -> tuple[str, str]:
        status = json.loads(civic_cli("status", "--on", "2008-09-20", "--json").output)
        [work] = [w for w in status["open"] if w["ref"] == f"case:{case}"]
        return work["state"], work["due"]

    assert deadline() == ("appeal period", "2008-10-06")
    assert civic_cli("accountability", "case", "appeal", str(case), "--on", "2008-09-19"
                     ).exit_code == 0
    # 30 days from Fri 19 Sep is Sun 19 Oct -> Mon 20 Oct.
    assert deadline() == ("appeal to answer", "2008-10-20")
    assert civic_cli("accountability", "case", "review", str(case), "--on", "2008-10-08",
                     "--outcome", "upheld").exit_code == 0
    status = json.loads(civic_cli("status", "--on", "2008-10-08", "--json").output)
    assert f"case:{case}" not in [w["ref"] for w in status["open"]]
