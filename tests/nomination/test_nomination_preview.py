"""A ballot file previewed (`--dry-run`) before it is imported: the counts the import would
report, nothing written, and a refused file's problems by file:row:column."""

from __future__ import annotations

import json

from civic.db import table_checksums

from .conftest import NOMINATION


def test_ballots_dry_run_then_import(registry, run_cli, tmp_path):
    for args in (("new", "--title", "推荐提名", "-p", "P-XSSJ,P-ANSJ",
                  "--reference-date", "2008-07-04"),
                 ("roll", "1", str(NOMINATION / "roll-round1.csv")),
                 ("attend", "1", "--close")):
        assert run_cli("nomination", *args).exit_code == 0
    before = table_checksums(registry.db)
    ballots = str(NOMINATION / "ballots-round1.csv")
    dry = run_cli("nomination", "ballots", "import", "1", ballots, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    found = json.loads(dry.output)
    assert found["ok"] and (found["result"]["ballots"], found["result"]["marks"]) == (11, 21)
    assert table_checksums(registry.db) == before
    # A ballot naming a post the nomination does not have: refused, where it is said.
    bad = tmp_path / "bad.csv"
    bad.write_text("票号,职位,推荐人选\n1,P-NONE,N01\n", encoding="utf-8")
    refused = run_cli("nomination", "ballots", "import", "1", str(bad), "--dry-run")
    assert refused.exit_code == 1 and "bad.csv:2" in refused.output
    assert table_checksums(registry.db) == before
    done = json.loads(run_cli("nomination", "ballots", "import", "1", ballots, "--json").output)
    assert (done["ballots"], done["marks"]) == (11, 21)
