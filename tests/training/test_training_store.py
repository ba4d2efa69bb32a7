"""The training plugin through its actions and CLI on a small registry (civic.testing):
sheets refused whole, the leave rule, compliance as a person fact, the promotion setting."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction as F

import pytest

from civic.errors import CivicError, InputError
from civic.office import Operator
from civic.plugins.training import actions, store

D = dt.date
ON = D(2008, 6, 2)


def sheet(tmp_path, rows, name="signin.csv"):
    path = tmp_path / name
    path.write_text("人员编号,姓名,签到\n" + "".join(f"{c},{n},√\n" for c, n in rows),
                    encoding="utf-8")
    return path


@pytest.fixture
def course(civic_registry):
    office = civic_registry
    prog = actions.create_programme(office, "县处级干部进修班", "full_time", D(2008, 3, 3),
                                    D(2008, 3, 14), "市委党校")
    sessions = [actions.add_session(office, prog, D(2008, 3, 3 + i), 2, F(7)) for i in range(10)]
    return office, prog, sessions


def test_sheet_with_a_bad_row_is_refused_whole(course, tmp_path):
    office, _prog, sessions = course
    bad = sheet(tmp_path, [("C0001", "张建华"), ("C0009", "无名"), ("C0002", "王丽"),
                           ("C0001", "张建华")])
    with pytest.raises(InputError) as err:
        actions.import_attendance(office, bad, sessions[0])
    text = str(err.value)
    assert "signin.csv:3:人员编号" in text  # unknown person
    assert "signin.csv:4:姓名" in text  # the name is not C0002's
    assert "signin.csv:5:人员编号" in text  # twice on the sheet
    assert office.db.execute("SELECT count(*) FROM training_attendance").fetchone()[0] == 0
    good = sheet(tmp_path, [("C0001", "张建华"), ("C0002", "李明")], "ok.csv")
    assert actions.import_attendance(office, good, sessions[0]) == 2
    # The same people again at the same session: refused, nothing doubled.
    with pytest.raises(InputError, match="ok.csv:2:人员编号"):
        actions.import_attendance(office, good, sessions[0])
    entry = office.db.execute("SELECT payload FROM audit_log WHERE type ="
                              " 'training.attendance_imported'").fetchall()
    assert len(entry) == 1 and json.loads(entry[0][0])["rows"] == 2


def test_leave_over_a_seventh_withdraws(course):
    office, prog, sessions = course
    for s in sessions:
        actions.record_attendance(office, s, ["C0001", "C0002"])
    # 70 hours: 10 hours of leave is exactly 1/7 and keeps the person; 1 hour more withdraws.
    assert actions.record_leave(office, prog, "C0001", F(10), "病假") is False
    assert actions.record_leave(office, prog, "C0001", F(1), "事假") is True
    report = store.programme_report(office.db, prog)
    assert report["withdrawn"] == ["C0001"]
    hours = {r["person"]: r["hours"] for r in store.compliance(office.db, D(2008, 6, 2))}
    assert hours["C0001"] == "0" and hours["C0002"] == "70"


def test_session_outside_its_programme_is_refused(course):
    office, prog, _ = course
    with pytest.raises(CivicError, match="outside the programme"):
        actions.add_session(office, prog, D(2008, 4, 1), 1, F(4))


def test_assess_records_facts_and_supersedes(course):
    from civic import facts

    office, _prog, sessions = course
    actions.record_attendance(office, sessions[0], ["C0001"])
    got = actions.assess(office, ON)
    assert got["short"] == 5 and got["changed"] == 5
    fact = facts.facts_of(office.db, "C0001", ON, kind="training_status")[0]
    assert fact.value == "short" and fact.rule.startswith("干部教育培训工作条例（试行） (2006)")
    # 张建华 is 正处 and not newly promoted: short now, due at once.
    assert fact.data["due"] == ON.isoformat()
    # 陈静 (C0005) is 乡科级: 12 days by the year's end.
    assert facts.facts_of(office.db, "C0005", ON, kind="training_status")[0].data["due"] \
        == "2008-12-31"
    # The same standing again changes nothing; more hours supersede the old fact.
    assert actions.assess(office, ON)["changed"] == 0
    for s in sessions[1:]:
        actions.record_attendance(office, s, ["C0005"])
    later = D(2008, 6, 3)
    assert actions.assess(office, later)["changed"] == 5  # everyone's window moved
    history = facts.facts_of(office.db, "C0005", kind="training_status")
    assert [(f.data["days"], f.superseded_by is not None) for f in history] == [
        ("0", True), ("9", False)]


def test_someone_on_no_unit_s_staff_is_not_assessed(course):
    """A 军转干部 entered by a placement batch has no unit until placed: he has taken up no
    post here, so no training duty is counted against him (nor the five years before)."""
    office, _prog, _sessions = course
    before = {r["person"] for r in store.compliance(office.db, ON)}
    assert "C0001" in before
    office.db.execute("UPDATE people SET unit = NULL WHERE code = 'C0001'")
    assert {r["person"] for r in store.compliance(office.db, ON)} == before - {"C0001"}
    assert {r["person"] for r in store.compliance_plain(office.db, ON)} == before - {"C0001"}
    assert "C0001" not in {r["person"] for r in store.month_compliance(office.db, "2008-03")}
    got = actions.assess(office, ON)
    assert got["short"] + got["met"] == len(before) - 1


def test_shortfall_blocks_promotion_only_when_the_office_says_so(civic_registry, civic_cli):
    from civic.notices import set_setting

    office = civic_registry
    actions.assess(office, D(2008, 6, 2))

    def blocked():
        out = json.loads(civic_cli("eligible", "P-XSSJ", "--on", "2008-07-01", "--json").output)
        return {p["code"] for p in out["ineligible"]
                if any(x["condition"] == "training.short" for x in p["problems"])}

    def shown():
        out = json.loads(civic_cli("people", "show", "C0002", "--json").output)
        rows = [row for section in out["sections"] if section["title"] == "Training"
                for row in section["rows"]]
        return [value for label, value in rows if label == "Training shortfall"]

    assert blocked() == set()  # default: shown on the record, not a block
    [warning] = shown()
    assert warning.startswith("short by - hours / 90 days, due 2008-06-02")
    assert warning.endswith("a warning, not a bar to promotion")
    set_setting(office, "training.short_blocks_promotion", "1",
                cosigner=Operator("sup", "supervisor"))
    assert "C0002" in blocked()  # 副处, short since 2008-06-02, for a 正处 post
    assert shown()[0].endswith("bars promotion once due (the office's setting)")


def test_cli_reads_take_json(course, civic_cli, tmp_path):
    office, prog, sessions = course
    signed = str(sheet(tmp_path, [("C0002", "李明")]))
    dry = civic_cli("training", "attendance", "import", "--session", str(sessions[0]), signed,
                    "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["result"] == {"signed_in": 1}  # and nothing written:
    assert json.loads(civic_cli("training", "programme", "show", str(prog), "--json").output
                      )["person_times"] == 0
    result = civic_cli("training", "attendance", "import", "--session", str(sessions[0]),
                       signed)
    assert result.exit_code == 0, result.output
    hours = json.loads(civic_cli("training", "hours", "C0002", "--on", "2008-06-02",
                                 "--json").output)
    assert hours["hours"] == "7" and hours["status"] == "short"
    assert hours["required_days"] == "90"
    shown = json.loads(civic_cli("training", "programme", "show", str(prog), "--json").output)
    assert shown["person_times"] == 1 and shown["enrolled"] == 1
    listed = json.loads(civic_cli("training", "programme", "list", "--json").output)
    assert listed[0]["sessions"] == 10
    rows = json.loads(civic_cli("training", "compliance", "--unit", "KM-XS", "--on",
                                "2008-06-02", "--json").output)
    assert {r["person"] for r in rows} == {"C0002", "C0003", "C0004", "C0005"}
    result = civic_cli("training", "delegation", "new", "赴成都考察学习", "--destination", "成都",
                       "--host", "成都市委组织部", "--theme", "城乡统筹", "--starts",
                       "2008-04-14", "--ends", "2008-04-18")
    assert result.exit_code == 0, result.output
    due = json.loads(civic_cli("status", "--json").output)
    assert any(w["plugin"] == "training" and w["due"] == "2008-05-18"
               for w in due["open"])


def test_a_sheet_may_name_each_row_s_session(course, tmp_path):
    office, _prog, sessions = course
    path = tmp_path / "many.csv"
    path.write_text(f"课次,人员编号\n{sessions[0]},C0001\n{sessions[1]},C0001\n99,C0002\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="many.csv:4:课次"):
        actions.import_attendance(office, path)
    path.write_text(f"课次,人员编号\n{sessions[0]},C0001\n{sessions[1]},C0001\n",
                    encoding="utf-8")
    assert actions.import_attendance(office, path) == 2


def test_compliance_exports_to_xlsx(civic_registry, civic_cli, tmp_path):
    import openpyxl

    out = tmp_path / "compliance.xlsx"
    result = civic_cli("training", "compliance", "--on", "2008-06-02", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Code", "Name", "Unit")
    assert {r[0] for r in rows[1:]} == {"C0001", "C0002", "C0003", "C0004", "C0005"}
    # The standing in words, as the table shows it; --json keeps the code.
    status = rows[0].index("Status")
    assert {r[status] for r in rows[1:]} == {"short of the requirement"}
    assert "short of the requirement" in civic_cli("training", "compliance", "--on",
                                                   "2008-06-02").output
    assert {r["status"] for r in json.loads(civic_cli(
        "training", "compliance", "--on", "2008-06-02", "--json").output)} == {"short"}
