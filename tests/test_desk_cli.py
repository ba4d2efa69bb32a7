"""The desk's CLI: exports in the operator's language, one progress bar, options where typed."""

from __future__ import annotations

import io

import openpyxl
import pytest

from civic.cli.progress import Progress
from civic.importers import import_file


@pytest.mark.parametrize(("lang", "headers"), [
    ("en", ["code", "name", "parent", "kind"]),
    ("zh_CN", ["编号", "名称", "上级", "类型"]),  # the importer's own first Chinese aliases
])
def test_xlsx_export_round_trips(civic_registry, run_cli, tmp_path, lang, headers):
    db = civic_registry.db
    # A unit name a spreadsheet would run as a formula is neutralised, as in CSV.
    db.execute("UPDATE units SET name = '=HYPERLINK(1)' WHERE code = 'KM-XS'")
    db.conn.commit()
    out = tmp_path / "units.xlsx"
    result = run_cli("export", "units", "--format", "xlsx", "-o", str(out),
                     env={"CIVIC_LANG": lang})
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == headers
    stored = {r["code"]: r for r in db.query("SELECT * FROM units")}
    assert {r[0] for r in rows[1:]} == set(stored)
    assert next(r for r in rows if r[0] == "KM-XS")[1] == "'=HYPERLINK(1)"
    # The file goes back in unchanged: every row is found and nothing differs but the name
    # the export neutralised.
    again = import_file(civic_registry, "units", out)
    assert again.added == 0 and again.updated <= 1 and set(again.fields) <= {"name"}


def test_people_export_imports_back_unchanged(civic_registry, run_cli, tmp_path):
    out = tmp_path / "people.xlsx"
    assert run_cli("export", "people", "--format", "xlsx", "-o", str(out),
                   env={"CIVIC_LANG": "zh_CN"}).exit_code == 0
    again = import_file(civic_registry, "people", out)
    assert (again.added, again.updated, again.unchanged, again.fields) == (0, 0, 5, {})


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_only():
    shown = Terminal()
    with Progress("Checking", stream=shown, delay=0) as progress:
        for done in range(1, 4):
            progress(done, 3)
    assert "Checking" in shown.getvalue() and "3/3" in shown.getvalue()
    for stream, as_json in ((io.StringIO(), False), (Terminal(), True)):
        with Progress("Checking", as_json, stream=stream, delay=0) as progress:
            list(progress.rows(range(3), 3))
        assert stream.getvalue() == ""  # piped, or JSON asked: nothing but the output


def test_quick_work_draws_nothing():
    shown = Terminal()
    with Progress("Checking", stream=shown, delay=3600) as progress:
        progress(1, 2)
    assert shown.getvalue() == ""


def test_tui_takes_db_where_users_type_it(run_cli, monkeypatch, tmp_path):
    import civic.tui.app as app

    opened = []
    monkeypatch.setattr(app, "run_app", lambda pm, path, **kw: opened.append(path))
    target = tmp_path / "other.db"
    result = run_cli("tui", "--db", str(target))
    assert result.exit_code == 0, result.output
    assert opened == [str(target)]
