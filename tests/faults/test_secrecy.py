"""Secret ballots, proven on the schema: nothing links who took part to what was voted.

Participation is the roll and attendance (`voting_electors`, and any plugin table about
electors, rolls, attendance or participation); ballots are `voting_ballots`, `voting_marks`,
`voting_written` and any plugin table about ballots or marks. Both may point at the round
they belong to; neither may point at the other, directly or through a chain of foreign keys,
share a column that could match one to the other, carry a time or an entry order, or be
joined by a trigger or a view.
"""

from __future__ import annotations

import re

import pytest

from civic.db import migrate, open_db

PARTICIPATION_WORDS = ("elector", "roll", "attend", "particip", "voter")
BALLOT_WORDS = ("ballot", "mark", "written")
# Tables both kinds may reference: the round, its posts, and the registry.
SHARED = {"voting_rounds", "voting_posts", "positions", "people", "units", "ranks",
          "education_levels"}
# Columns that would let someone line a ballot up with an elector or with a moment.
LINKING = re.compile(r"elector|voter|person|people|code|name|time|date|created|entered|"
                     r"_at$|_on$|seq_in_roll|present|category", re.I)


@pytest.fixture(scope="module")
def schema(tmp_path_factory, pm):
    db = open_db(tmp_path_factory.mktemp("secrecy") / "office.db")
    migrate(db, pm)  # core and every loaded plugin
    yield db
    db.close()


def _kind(table: str) -> str | None:
    name = table.lower()
    if any(w in name for w in PARTICIPATION_WORDS):
        return "participation"
    if any(w in name for w in BALLOT_WORDS) and name.startswith(("voting_", "nomination_",
                                                                 "election_", "rating_")):
        return "ballot"
    return None


def _groups(db) -> tuple[set[str], set[str]]:
    tables = db.table_names()
    part = {t for t in tables if _kind(t) == "participation"}
    ballots = {t for t in tables if _kind(t) == "ballot"}
    return part, ballots


def test_core_voting_tables_are_classified(schema):
    part, ballots = _groups(schema)
    assert "voting_electors" in part
    assert {"voting_ballots", "voting_marks", "voting_written"} <= ballots


def _references(db, table: str) -> set[str]:
    return {fk.other_table for fk in db[table].foreign_keys}


def _reachable(db, start: str) -> set[str]:
    """Tables reachable from `start` by foreign keys, not passing through shared parents."""
    seen, todo = set(), [start]
    while todo:
        table = todo.pop()
        for other in _references(db, table):
            if other not in seen and other not in SHARED:
                seen.add(other)
                todo.append(other)
    return seen


def test_no_foreign_key_path_between_them(schema):
    part, ballots = _groups(schema)
    for table in part:
        assert not _reachable(schema, table) & ballots, table
    for table in ballots:
        assert not _reachable(schema, table) & part, table
    # Nor does any third table tie one of each together (a join table).
    for table in set(schema.table_names()) - part - ballots:
        refs = _reachable(schema, table)
        assert not (refs & part and refs & ballots), f"{table} links electors to ballots"


def test_ballot_tables_hold_nothing_to_match_an_elector_or_a_moment(schema):
    part, ballots = _groups(schema)
    elector_columns = {c.name for t in part for c in schema[t].columns} - {"id", "round"}
    for table in ballots:
        columns = {c.name for c in schema[table].columns}
        assert not columns & elector_columns, (table, columns & elector_columns)
        assert not [c for c in columns if LINKING.search(c)], (table, columns)


def test_no_index_trigger_or_view_joins_them(schema):
    part, ballots = _groups(schema)
    rows = schema.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"
                          " WHERE sql IS NOT NULL").fetchall()
    for kind, name, table, sql in rows:
        mentioned = {t for t in part | ballots if re.search(rf"\b{t}\b", sql)}
        if mentioned & part and mentioned & ballots:
            pytest.fail(f"{kind} {name} on {table} names both {sorted(mentioned)}")

