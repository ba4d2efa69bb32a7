"""`civic placement ...` end to end with CliRunner, as an operator and a supervisor would."""

from __future__ import annotations

import json

import pytest

from civic import audit

SUPERVISOR = {"CIVIC_SUPERVISOR_PASSWORD": "secret-pass"}


@pytest.fixture
def walk(registry, civic_cli, helpers):
    """A sealed batch set up through the CLI; returns a function running `placement ...`."""
    def placement(*args: str, env: dict | None = None):
        return civic_cli("placement", *args, env=env)

    p = helpers.PLACEMENT
    for args in (("new", "2008年军转干部安置", "--cutoff", "2008-06-30", "--seed", "2008"),
                 ("scheme", "1", str(helpers.SCHEME)),
                 ("officers", "import", "1", str(p / "officers.csv")),
                 ("posts", "import", "1", str(p / "posts.csv")),
                 ("preferences", "import", "1", str(p / "preferences.csv"))):
        result = placement(*args)
        assert result.exit_code == 0, result.output
    return placement


def test_the_whole_walk(walk, registry):
    listed = json.loads(walk("list", "--json").output)
    assert listed[0]["officers"] == 8 and listed[0]["seats"] == 7
    run = walk("run", "1", "--json")
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert set(data) == {"batch", "seed", "ranking", "assignments"}
    assert data["assignments"][0] == {"officer": "J004", "position": "JZ-03", "choice": 1}
    again = walk("run", "1", "--json", env={"CIVIC_USER": "view"})  # any reader may re-run
    assert json.loads(again.output) == data
    text = walk("run", "1").output
    assert "matches the stored one" in text and "J007, J008" in text
    certify = walk("certify", "1", "--supervisor", "sup", "--effective", "2008-09-01",
                   env=SUPERVISOR)
    assert certify.exit_code == 0, certify.output
    # Notice first (任前公示, the default rule): certification records no appointment yet;
    # tests/placement/test_order.py follows the notice to the appointments.
    assert "appointments are recorded once the notice is confirmed" in certify.output
    notice = walk("notice", "1", "--format", "txt")
    assert notice.exit_code == 0, notice.output
    assert "考核排序和选岗结果的公示" in notice.output and "158.15" in notice.output
    again = json.loads(walk("notice", "1", "--lang", "en", "--json").output)
    assert again["notice"] == 1 and "public notice of the ranking and placements" in again["text"]
    assert audit.verify(registry.db).ok


def test_show_and_why(walk):
    walk("run", "1")
    shown = json.loads(walk("show", "1", "--json").output)
    assert shown["batch"]["status"] == "ran" and len(shown["results"]) == 8
    why = walk("show", "1", "--officer", "J003")
    assert "choice 2 JZ-04: not eligible: education below Bachelor" in why.output
    data = json.loads(walk("show", "1", "--officer", "J002", "--json").output)
    assert data["why_not"][1]["taken_by"] == [{"officer": "J004", "rank": 1,
                                               "preassigned": False}]
    assert data["breakdown"]["awards"] == "14.00"


def test_the_result_exports_to_a_spreadsheet(walk, tmp_path):
    """`show --out` writes the stored result as the office opens it: a row per officer in
    rank order, headers in the reader's language, JSON on stdout untouched."""
    from openpyxl import load_workbook

    walk("run", "1")
    out = tmp_path / "result.xlsx"
    shown = walk("show", "1", "--out", str(out), "--json", env={"CIVIC_LANG": "zh_CN"})
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    sheet = load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["排序", "编号", "姓名"]
    assert [r[1] for r in rows[1:]] == [r["officer"] for r in data["results"]]
    assert rows[1][5] == "JZ-03"  # J004, first in rank, took JZ-03


def test_scheme_is_shown(walk):
    shown = json.loads(walk("scheme", "1", "--json").output)
    assert shown["name"].startswith("昆明市2008年") and "[[components]]" in shown["text"]


def test_override_before_the_run_only(walk):
    result = walk("override", "1", "J002", "JZ-01", "--reason", "夫妻同时转业")
    assert result.exit_code == 0, result.output
    assert walk("override", "1", "J002", "--reason", "x").exit_code != 0  # POSITION or --clear
    walk("run", "1")
    late = walk("override", "1", "J002", "--clear", "--reason", "too late")
    assert late.exit_code == 1 and "can no longer change" in late.output


def test_errors_name_file_row_column(walk, tmp_path, helpers):
    path = helpers.write_csv(tmp_path / "posts.csv", ["职位", "名额"], [["JZ-01", "x"]])
    result = walk("posts", "import", "1", str(path))
    assert result.exit_code == 1
    assert "posts.csv:2:名额: not a whole number" in result.output


def test_certify_needs_a_supervisor(walk, registry):
    walk("run", "1")
    assert walk("certify", "1").exit_code == 1
    wrong = walk("certify", "1", "--supervisor", "op", env={"CIVIC_SUPERVISOR_PASSWORD":
                                                             "secret-pass"})
    assert wrong.exit_code == 1 and "not a supervisor" in wrong.output
    assert registry.db.execute("SELECT count(*) FROM appointments").fetchone()[0] == 0


def test_a_viewer_cannot_change_a_batch(walk):
    result = walk("new", "x", "--cutoff", "2008-06-30", env={"CIVIC_USER": "view"})
    assert result.exit_code == 1 and "may not" in result.output


def test_the_public_draw(walk):
    """`placement draw`: the tie to draw for, then the numbers drawn, co-signed."""
    listed = walk("draw", "1")
    assert listed.exit_code == 0 and "J007" in listed.output and "J008" in listed.output
    unsigned = walk("draw", "1", "J008=1", "J007=2")
    assert unsigned.exit_code != 0 and "co-signature" in unsigned.output
    bad = walk("draw", "1", "J008:1", env={**SUPERVISOR, "CIVIC_SUPERVISOR": "sup"})
    assert bad.exit_code != 0 and "OFFICER=NUMBER" in bad.output
    drawn = walk("draw", "1", "J008=1", "J007=2", "--json",
                 env={**SUPERVISOR, "CIVIC_SUPERVISOR": "sup"})
    assert drawn.exit_code == 0, drawn.output
    assert json.loads(drawn.output)["complete"] is True
    order = [r["officer"] for r in json.loads(walk("run", "1", "--json").output)["ranking"]]
    assert order.index("J008") < order.index("J007")
