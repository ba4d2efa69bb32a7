"""A placement batch's files previewed (`--dry-run`): what the import would do, nothing kept."""

from __future__ import annotations

import json

from civic.db import table_checksums


def test_officers_dry_run_writes_nothing(registry, civic_cli, helpers):
    p = helpers.PLACEMENT
    for args in (("new", "2008年军转干部安置", "--cutoff", "2008-06-30", "--seed", "2008"),
                 ("scheme", "1", str(helpers.SCHEME))):
        assert civic_cli("placement", *args).exit_code == 0
    before = table_checksums(registry.db)
    dry = civic_cli("placement", "officers", "import", "1", str(p / "officers.csv"),
                    "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    found = json.loads(dry.output)
    assert found["ok"] and found["result"]["officers"] == 8
    assert table_checksums(registry.db) == before
    text = civic_cli("placement", "officers", "import", "1", str(p / "officers.csv"),
                     "--dry-run")
    assert "Dry run, nothing written: officers.csv" in text.output
    assert "Would do: 8 officers imported into batch 1" in text.output
    done = civic_cli("placement", "officers", "import", "1", str(p / "officers.csv"), "--json")
    assert json.loads(done.output)["officers"] == 8
