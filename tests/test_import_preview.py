"""Import preview: the import itself in a rolled-back transaction, shown before it is kept."""

from __future__ import annotations

import io
import json

import pytest

from civic import audit
from civic.cli.progress import Working
from civic.db import table_checksums
from civic.errors import CivicError
from civic.importers import import_file
from civic.preview import preview

# One person changed (C0005's party), one added (C0006), the other four as loaded.
CHANGED = """编号,姓名,性别,政治面貌
C0001,张建华,男,中共党员
C0002,李明,男,中共党员
C0003,王丽,女,群众
C0004,赵强,男,中共党员
C0005,陈静,女,群众
C0006,周平,男,中共党员
"""

# Row 3 names an unknown unit; row 4 a gender the schema refuses.
BAD = """编号,姓名,性别,单位
C0007,刘洋,男,KM-XS
C0008,孙红,女,NOWHERE
C0009,吴刚,X,KM-XS
"""


@pytest.fixture
def changed(tmp_path):
    path = tmp_path / "changed.csv"
    path.write_text(CHANGED, encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_preview_shows_rows_to_add_and_change_and_writes_nothing(civic_registry, changed):
    db = civic_registry.db
    before = table_checksums(db)
    found = preview(civic_registry, lambda o: import_file(o, "people", changed))
    assert found.ok
    # Counts, as the import's audit entry carries them (a digest, not a list of codes).
    assert {k: found.result[k] for k in ("table", "rows", "added", "updated", "unchanged",
                                         "fields")} == {
        "table": "people", "rows": 6, "added": 1, "updated": 1, "unchanged": 4,
        "fields": {"party": 1}}
    assert table_checksums(db) == before  # the audit row it wrote was rolled back too
    assert audit.verify(db).ok
    # The import that follows does what the preview said.
    done = import_file(civic_registry, "people", changed).as_dict()
    assert {k: v for k, v in done.items() if k != "audit_id"} == found.result


def test_preview_of_a_bad_file_lists_each_problem_where_it_is(civic_registry, bad):
    before = table_checksums(civic_registry.db)
    found = preview(civic_registry, lambda o: import_file(o, "people", bad))
    assert not found.ok and found.result is None
    assert [(p.file, p.row, p.column) for p in found.problems] == [
        ("bad.csv", 3, "单位"), ("bad.csv", 4, "性别")]
    assert table_checksums(civic_registry.db) == before


def test_preview_refuses_to_run_inside_another_change(civic_registry, changed):
    # Its rollback would undo the enclosing change as well.
    with pytest.raises(CivicError), civic_registry.change():
        preview(civic_registry, lambda o: import_file(o, "people", changed))


def test_cli_dry_run_json_then_the_import(civic_registry, run_cli, changed):
    before = table_checksums(civic_registry.db)
    result = run_cli("people", "import", str(changed), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dry_run"] and data["ok"] and data["problems"] == []
    assert (data["result"]["added"], data["result"]["updated"]) == (1, 1)
    assert data["result"]["fields"] == {"party": 1}
    assert table_checksums(civic_registry.db) == before
    result = run_cli("people", "import", str(changed))
    assert result.exit_code == 0 and "1 added, 1 updated, 4 unchanged" in result.output


def test_cli_dry_run_text_names_file_row_column_and_fails(civic_registry, run_cli, bad):
    result = run_cli("people", "import", str(bad), "--dry-run")
    assert result.exit_code == 1
    assert "Dry run, nothing written: bad.csv" in result.output
    assert "2 problems; the file would be refused." in result.output
    assert "bad.csv:3" in result.output and "bad.csv:4" in result.output
    data = json.loads(run_cli("people", "import", str(bad), "--dry-run", "--json").output)
    assert [(p["row"], p["column"]) for p in data["problems"]] == [(3, "单位"), (4, "性别")]


def test_cli_dry_run_text_lists_the_rows(civic_registry, run_cli, changed):
    result = run_cli("people", "import", str(changed), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1 row to add" in result.output
    assert "1 row to change: party 1" in result.output
    assert "4 rows unchanged" in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class StopsAfterOneLine(Terminal):
    """A terminal that ends the work once the first line is drawn: no waiting on a clock."""

    working: Working

    def write(self, text: str) -> int:
        self.working._stop.set()
        return super().write(text)


def test_working_draws_time_spent_on_a_terminal_then_clears_it():
    shown = StopsAfterOneLine()
    working = Working("Importing people.csv", stream=shown, delay=0)
    shown.working = working
    with working:
        working._ticker.join()  # draws once, then sees the work is over
    assert "Importing people.csv… 0:00" in shown.getvalue()
    assert shown.getvalue().endswith("\r\x1b[K")  # the line is gone when the work ends


@pytest.mark.parametrize(("stream", "as_json"), [(io.StringIO(), False), (Terminal(), True)])
def test_working_is_silent_when_piped_or_json(stream, as_json):
    with Working("Counting", as_json, stream=stream, delay=0) as working:
        working(1, 2)
    assert stream.getvalue() == "" and working._ticker is None
