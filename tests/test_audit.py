"""The audit chain: append in the change's transaction, triggers, verification names the entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from fractions import Fraction
from typing import ClassVar

import pytest

from civic import audit
from civic.events import OperatorAdded, event_types


def test_chain_verifies_after_changes(office):
    result = audit.verify(office.db)
    assert result.ok
    assert result.entries == 4  # four operators added by the fixture
    assert result.head == audit.head(office.db)[1]


def test_entries_link_and_carry_actor(office):
    office.record(OperatorAdded(name="x", role="viewer"))
    rows = audit.entries(office.db, newest_first=False)
    assert [r.id for r in rows] == [1, 2, 3, 4, 5]
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert rows[-1].actor == "op"
    assert rows[-1].data() == {"name": "x", "role": "viewer", "state": "", "setup_expires": None}


def test_update_and_delete_are_refused_by_triggers(office):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        office.db.execute("UPDATE audit_log SET actor = 'x' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        office.db.execute("DELETE FROM audit_log WHERE id = 1")


def test_append_outside_a_transaction_is_a_bug(office):
    with pytest.raises(RuntimeError):
        audit.append(office.db, actor="op", event=OperatorAdded("a", "viewer"), time="t")


def test_a_failed_change_leaves_no_entry(office):
    before = audit.head(office.db)
    with pytest.raises(ZeroDivisionError), office.change() as change:
        change.record(OperatorAdded(name="y", role="viewer"))
        1 / 0  # noqa: B018
    assert audit.head(office.db) == before


@pytest.mark.parametrize(
    ("column", "value"),
    [("payload", '{"name":"evil","role":"admin"}'), ("actor", "mallory"),
     ("time", "2001-01-01T00:00:00"), ("type", "core.other"), ("cosigner", "sup")],
)
def test_an_edited_column_is_named_at_its_entry(office, column, value):
    db = office.db
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute(f"UPDATE audit_log SET {column} = ? WHERE id = 3", (value,))
    db.conn.commit()
    result = audit.verify(db)
    assert not result.ok
    assert result.broken_at == 3
    assert "changed" in result.reason


def test_a_deleted_entry_is_named(office):
    db = office.db
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log WHERE id = 2")
    db.conn.commit()
    result = audit.verify(db)
    assert (result.ok, result.broken_at) == (False, 2)


def test_canonical_json_is_stable_and_keeps_chinese():
    assert audit.canonical_json({"b": 1, "a": "昆明"}) == '{"a":"昆明","b":1}'


def test_event_types_registry_refuses_duplicates():
    types = event_types()
    assert types.get("core.operator_added") is OperatorAdded

    class Clash(audit.Event):
        type = "core.operator_added"

    with pytest.raises(ValueError):
        types.register(Clash)


def test_every_event_type_says_what_it_records_in_both_languages():
    """The audit log is read by supervisors: each type has a title, worded per language; the
    stored type (what is hashed) stays as it is, and an unknown type shows as itself."""
    from civic.i18n import set_language
    from civic.pm import make_plugin_manager

    types = event_types(make_plugin_manager())
    untitled = [name for name in types.names() if not types.get(name).TITLE]
    assert not untitled
    assert types.title("core.appointment_recorded") == "Appointment recorded"
    assert types.title("placement.certified") == "Placement certified"
    assert types.title("gone.plugin_event") == "gone.plugin_event"
    set_language("zh_CN")
    try:
        assert types.title("core.appointment_recorded") == "记录任免"
        assert types.title("nomination.round_certified") == "确认推荐结果"
        titles = {types.title(name) for name in types.names()}
        assert len(titles) == len(types.names())  # no two types read the same
    finally:
        set_language("en")


@dataclasses.dataclass(frozen=True)
class _Part:
    code: str
    share: Fraction
    tags: frozenset[str]


@dataclasses.dataclass(frozen=True)
class _Nested(audit.Event):
    type: ClassVar[str] = "test.nested"
    parts: list[_Part]
    by_code: dict[str, _Part]
    pair: tuple[int, _Part]
    when: dt.date
    names: set[str]
    note: str | None = None


def test_a_payload_is_written_as_dataclasses_asdict_would_give_it():
    # Event.payload hands canonical_json the fields one level deep (no deep copy); what is
    # nested (dataclasses in lists and maps, tuples, sets, fractions, dates) must be written
    # exactly as the deep `dataclasses.asdict` copy was, so the stored text does not change.
    part = _Part("A", Fraction(2, 5), frozenset({"y", "x"}))
    event = _Nested([part, _Part("B", Fraction(3, 5), frozenset())], {"z": part, "a": part},
                    (1, part), dt.date(2008, 7, 1), {"乙", "甲"})
    written = audit.canonical_json(event.payload())
    assert written == audit.canonical_json(dataclasses.asdict(event))
    assert '"parts":[{"code":"A","share":"2/5","tags":["x","y"]}' in written
