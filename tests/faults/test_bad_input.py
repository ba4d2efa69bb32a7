"""Every file of the bad-input corpus (tests/data/bad) is refused cleanly by the CLI.

Per file: a non-zero exit, one message naming the file (and the row and the header as
written, where a row applies) with the manifest's phrase, no traceback, and a database whose
every table is byte-for-byte as before. The corpus and its manifest come from
tests/data/bad/make_corpus.py.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from civic.db import open_db, table_checksums
from civic.tabular import _INVISIBLE

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def _manifest() -> list[dict[str, str]]:
    with (BAD / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = _manifest()


def test_corpus_is_large_and_complete():
    assert len(CASES) >= 200
    on_disk = {p.name for p in (BAD / "files").iterdir()}
    assert on_disk == {c["file"] for c in CASES}, "rerun make_corpus.py and commit the files"
    assert max(p.stat().st_size for p in (BAD / "files").iterdir()) < 256 * 1024


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLACEMENT = EXAMPLES / "placement"
# What the plugins' import commands need first: nomination 1 (its attendance closed for
# ballots), placement batch 1 (with the examples' officers and posts, for preference lists).
SETUP = {
    "nomination": [["nomination", "new", "--title", "T", "-p", "P-MSZ,P-CZJZ",
                    "--reference-date", "2008-07-01"]],
    # Ballots go in only once attendance is closed: a roll, closed, before a ballot file.
    "nomination ballots": [["nomination", "roll", "1",
                            str(EXAMPLES / "nomination" / "roll-round1.csv")],
                           ["nomination", "attend", "1", "--close"]],
    "placement": [["positions", "import", str(PLACEMENT / "positions.csv")],
                  ["placement", "new", "B", "--cutoff", "2008-06-30"],
                  ["placement", "scheme", "1", str(EXAMPLES / "placement-scheme.toml")]],
    "placement preferences": [["placement", "officers", "import", "1",
                               str(PLACEMENT / "officers.csv")],
                              ["placement", "posts", "import", "1",
                               str(PLACEMENT / "posts.csv")]],
}
ENV = {"CIVIC_USER": "op", "CIVIC_PASSWORD": "secret-pass", "CIVIC_LANG": "en"}


@pytest.fixture(scope="module")
def prepared(office_template, tmp_path_factory, pm):
    """`prepared(target)`: (a database set up for that import, its table checksums)."""
    from civic.cli.main import build_cli

    folder = tmp_path_factory.mktemp("bad-input")
    made: dict[str, tuple[Path, dict[str, str]]] = {}

    def get(target: str) -> tuple[Path, dict[str, str]]:
        words = target.split()
        steps = SETUP.get(words[0], []) + SETUP.get(" ".join(words[:2]), [])
        key = repr(steps)
        if key not in made:
            path = folder / f"prepared-{len(made)}.db"
            shutil.copy(office_template, path)
            for step in steps:
                result = CliRunner().invoke(build_cli(pm), step,
                                            env={**ENV, "CIVIC_DB": str(path)})
                assert result.exit_code == 0, (step, result.output)
            db = open_db(path, create=False)
            try:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                made[key] = (path, table_checksums(db))
            finally:
                db.close()
        return made[key]

    return get


def _param(case: dict[str, str]):
    marks = [pytest.mark.xfail(strict=True, reason=case["gap"])] if case["gap"] else []
    return pytest.param(case, id=case["file"], marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_file_is_refused_cleanly(case, prepared, tmp_path, pm):
    from civic.cli.main import build_cli

    source, checksums_before = prepared(case["target"])
    db_path = tmp_path / "office.db"
    shutil.copy(source, db_path)
    file = BAD / "files" / case["file"]
    command = case["target"].split() + [str(file)]
    result = CliRunner().invoke(build_cli(pm), command, env={**ENV, "CIVIC_DB": str(db_path)})
    out = result.output

    assert result.exit_code not in (0, None), out
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in out
    # A control character or escape sequence from the file is never echoed raw.
    assert not _INVISIBLE.search(out), repr(out)
    # One message (one "Error:"), each of its lines one problem: file:row:column: reason.
    assert out.count("Error:") == 1, out
    problems = [line.removeprefix("Error: ") for line in out.splitlines() if line.strip()]
    assert all(p.startswith(case["file"]) for p in problems), out
    place = case["file"]
    if case["row"]:
        place += f":{case['row']}:"
        if case["column"]:
            place += f"{case['column']}:"
    named = [p for p in problems if p.startswith(place)
             and case["expect"].casefold() in p.casefold()]
    assert named, f"expected a problem at {place!r} saying {case['expect']!r}, got:\n{out}"

    db = open_db(db_path, create=False)
    try:
        assert table_checksums(db) == checksums_before
    finally:
        db.close()
