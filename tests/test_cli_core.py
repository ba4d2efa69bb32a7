"""The core CLI end to end: init, users, imports, eligibility, audit verify and tampering."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from civic.cli.main import build_cli

EXAMPLES = Path(__file__).parent.parent / "examples"


def _load(run_cli):
    for kind in ("units", "positions", "people"):
        result = run_cli(kind, "import", str(EXAMPLES / f"{kind}.csv"))
        assert result.exit_code == 0, result.output


def test_init_creates_a_database_with_its_admin(tmp_path, pm):
    path = tmp_path / "new.db"
    env = {"CIVIC_DB": str(path), "CIVIC_PASSWORD": "first-pass", "CIVIC_LANG": "en",
           "CIVIC_SUPERVISOR_PASSWORD": "witness-pass"}
    result = CliRunner().invoke(build_cli(pm), ["init", "--admin", "chief", "--supervisor",
                                                "witness"], env=env)
    assert result.exit_code == 0, result.output
    users = CliRunner().invoke(build_cli(pm), ["user", "list", "--json"], env=env)
    assert [(u["name"], u["role"]) for u in json.loads(users.output)] == [
        ("chief", "admin"), ("witness", "supervisor")]
    again = CliRunner().invoke(build_cli(pm), ["init", "--admin", "x", "--supervisor", "y"],
                               env=env)
    assert again.exit_code == 1 and "exists already" in again.output


def test_user_add_needs_an_admin(run_cli):
    refused = run_cli("user", "add", "newbie", "--role", "viewer")
    assert refused.exit_code == 1 and "may not" in refused.output
    ok = run_cli("user", "add", "newbie", "--role", "viewer", env={"CIVIC_USER": "admin"})
    assert ok.exit_code == 0 and "Setup code for newbie" in ok.output, ok.output


def test_imports_list_and_show(run_cli):
    _load(run_cli)
    people = json.loads(run_cli("people", "list", "--search", "王", "--json").output)
    assert [p["code"] for p in people["people"]] == ["C0003"]
    shown = json.loads(run_cli("positions", "show", "P-CZJFJ", "--json").output)
    assert shown["position"]["vacancies"] == 0
    assert [h["code"] for h in shown["holders"]] == ["C0002", "C0003"]
    text = run_cli("units", "list").output
    assert "  西山区" in text


def test_eligible_names_the_failing_condition(run_cli):
    _load(run_cli)
    report = json.loads(run_cli("eligible", "P-MSZ", "--on", "2008-07-01", "--json").output)
    assert [p["code"] for p in report["eligible"]] == ["C0001", "C0002", "C0007"]
    failing = {p["code"]: [x["condition"] for x in p["problems"]] for p in report["ineligible"]}
    assert failing["C0004"] == ["max_age"]
    assert failing["C0006"] == ["min_education"]


def test_viewer_and_wrong_password_are_refused_and_audited(run_cli):
    viewer = run_cli("units", "import", str(EXAMPLES / "units.csv"), env={"CIVIC_USER": "view"})
    assert viewer.exit_code == 1 and "viewer" in viewer.output
    wrong = run_cli("units", "import", str(EXAMPLES / "units.csv"),
                    env={"CIVIC_PASSWORD": "nope"})
    assert wrong.exit_code == 1 and "Wrong operator name or password" in wrong.output
    log = json.loads(run_cli("audit", "log", "--type", "core.access_refused", "--json").output)
    assert [e["payload"]["name"] for e in log] == ["op", "view"]
    text = run_cli("audit", "log", "--type", "core.access_refused").output
    assert text.count("Access refused") == 2 and "core.access_refused" not in text


def test_audit_log_and_show_word_the_subject_and_payload(run_cli):
    _load(run_cli)
    log = json.loads(run_cli("audit", "log", "--type", "core.records_imported",
                             "--json").output)
    assert {e["subject"] for e in log} == {"table:people", "table:units", "table:positions"}
    # Text says what each entry is about; --json keeps the subject as stored (above).
    text = run_cli("audit", "log", "--type", "core.records_imported").output
    assert "the people register" in text and "table:people" not in text
    entry = next(e for e in log if e["subject"] == "table:people")
    shown = run_cli("audit", "show", str(entry["id"])).output
    assert "the people register (table:people)" in shown
    assert "file SHA-256" in shown and '"table"' not in shown
    assert json.loads(run_cli("audit", "show", str(entry["id"]), "--json").output) == entry
    missing = run_cli("audit", "show", "9999")
    assert missing.exit_code == 1 and "No audit entry 9999." in missing.output


def test_a_bad_row_is_named_and_nothing_written(run_cli, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("code,name,birth_date\nA1,甲,1970-01-01\nA2,乙,19700230\n", encoding="utf-8")
    result = run_cli("people", "import", str(path))
    assert result.exit_code == 1
    assert "people.csv:3:birth_date" in result.output
    assert "Traceback" not in result.output
    assert json.loads(run_cli("people", "list", "--json").output)["total"] == 0


def test_tampering_behind_civic_is_named_by_verify(run_cli, db_path):
    _load(run_cli)
    assert run_cli("audit", "verify").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    # Entry 7 is the people import: claim one person fewer was added than the file held.
    conn.execute("UPDATE audit_log SET payload = replace(payload, '\"added\":7', '\"added\":6')"
                 " WHERE id = 7 AND type = 'core.records_imported'")
    assert conn.total_changes == 1
    conn.commit()
    conn.close()
    result = run_cli("audit", "verify", "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["broken_at"] == 7


def test_export_neutralises_formulas(run_cli, tmp_path, office):
    office.db["units"].insert({"code": "=cmd", "name": "@SUM(A1)"})
    out = tmp_path / "units.csv"
    assert run_cli("export", "units", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "'=cmd" in text and "'@SUM(A1)" in text


def test_missing_database_is_a_clear_error(tmp_path, pm):
    env = {"CIVIC_DB": str(tmp_path / "none.db"), "CIVIC_LANG": "en"}
    result = CliRunner().invoke(build_cli(pm), ["people", "list"], env=env)
    assert result.exit_code == 1 and "civic init" in result.output


def test_unit_filter_takes_in_the_units_below(run_cli):
    _load(run_cli)
    city = json.loads(run_cli("people", "list", "--unit", "KM", "--json").output)
    assert city["total"] == 7  # every example person sits in a unit under the city
    finance = json.loads(run_cli("people", "list", "--unit", "KM-CZJ", "--json").output)
    assert [p["code"] for p in finance["people"]] == ["C0002", "C0003"]
    government = json.loads(run_cli("people", "list", "--unit", "KM-GOV", "--json").output)
    assert [p["code"] for p in government["people"]] == ["C0001", "C0002", "C0003"]


def test_people_show_has_the_facts_and_no_section_without_plugins(run_cli, office):
    import datetime as dt

    from civic import facts

    _load(run_cli)
    with office.change() as change:  # a grade and an ended term, as mechanisms record them
        facts.record(change, person="C0002", kind="grade", value="优秀",
                     valid_from=dt.date(2008, 1, 1), source=("evaluation", "2007"),
                     data={"year": 2007})
        term = facts.record(change, person="C0002", kind="term", value="党支部书记",
                            valid_from=dt.date(2005, 3, 1), until=dt.date(2010, 3, 1),
                            source=("election", "branch-12"))
        facts.end(change, term, on=dt.date(2008, 5, 1), reason="罢免")
    data = json.loads(run_cli("people", "show", "C0002", "--json").output)
    assert [(f["kind"], f["value"], f["effective_until"]) for f in data["facts"]] == [
        ("term", "党支部书记", "2008-05-01"), ("grade", "优秀", None)]
    assert data["sections"] == []  # the built-in plugins add no section of their own
    text = run_cli("people", "show", "C0002").output
    assert "Facts:\n  2005-03-01 – 2010-03-01  term of office: 党支部书记  — election branch-12" \
        "  ended 2008-05-01: 罢免" in text
    assert "2008-01-01 – …  annual grade: 优秀  — evaluation 2007" in text


def test_show_words_each_field_in_the_readers_language(run_cli):
    """`show` names fields and words stored codes as the app's record screens do; JSON keeps
    the codes."""
    _load(run_cli)
    zh = {"CIVIC_LANG": "zh_CN"}
    person = run_cli("people", "show", "C0001", env=zh).output
    for line in ("姓名", "性别          男", "学历          硕士", "职级          正处",
                 "状态          在职"):
        assert line in person, person
    assert "rank_since" not in person and "serving" not in person
    unit = run_cli("units", "show", "KM-XS", env=zh).output
    assert "上级单位" in unit and "单位名称" in unit
    post = run_cli("positions", "show", "P-MSZ").output
    assert "Minimum education" in post and "min_education" not in post
    data = json.loads(run_cli("people", "show", "C0001", "--json").output)
    assert (data["person"]["rank"], data["person"]["gender"]) == ("division", "男")


def test_an_id_number_is_masked_one_way():
    from civic.record_fields import mask_id

    # (number, shown): the region and the last four stay; a short number is hidden whole
    for number, shown in (("11010519491231002X", "110105********002X"), ("", ""),
                          (None, ""), ("1234567890", "**********")):
        assert mask_id(number) == shown


def test_status_on_reads_a_date_as_every_command_does(run_cli):
    # `--on` is civic.cli.context.DATE, as on `notice publish`: the ways offices write a day,
    # and a bad one is click's usage error naming the option.
    for written in ("2008-07-04", "2008年7月4日", "2008.7.4"):
        result = run_cli("status", "--on", written, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["on"] == "2008-07-04"
    bad = run_cli("status", "--on", "2008-13-45")
    assert bad.exit_code == 2 and "--on" in bad.output
