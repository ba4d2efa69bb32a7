"""civic.subjects: subjects and audit payloads in the operator's language (issue 17, "Say it
right"). The demo-wide check and the screens are in tests/tui/test_subjects_worded.py."""

from __future__ import annotations

import dataclasses

import pytest

from civic.db import migrate, open_db
from civic.events import event_types
from civic.i18n import set_language
from civic.pm import make_plugin_manager
from civic.subjects import FIELD_LABELS, SHOWN, describe, describer, field_value, payload_rows


@pytest.fixture(scope="module")
def pm():
    return make_plugin_manager()


@pytest.fixture
def db(tmp_path, pm):
    db = open_db(tmp_path / "s.db")
    migrate(db, pm)
    db.execute("INSERT INTO units (code, name) VALUES ('U1', '市委组织部')")
    db.execute("INSERT INTO people (code, name) VALUES ('C1', '王建军')")
    db.execute("INSERT INTO positions (code, title, unit) VALUES ('P1', '副部长', 'U1')")
    return db


def test_every_field_of_every_built_in_event_has_a_label(pm):
    # A new event field gets a label in FIELD_LABELS (or its event's LABELS), so the audit
    # entry never shows a bare field name in the Chinese UI.
    types = event_types(pm)
    bare = sorted(f"{name}.{f.name}" for name in types.names()
                  for f in dataclasses.fields(types.get(name))  # type: ignore[arg-type]
                  if f.name not in FIELD_LABELS
                  and f.name not in (getattr(types.get(name), "LABELS", None) or {}))
    assert bare == []


@pytest.mark.parametrize(("subject", "en", "zh"), [
    ("person:C1", "王建军 (C1)", "王建军 (C1)"),
    ("position:P1", "副部长 (P1)", "副部长 (P1)"),
    ("unit:U1", "市委组织部 (U1)", "市委组织部 (U1)"),
    ("table:people", "the people register", "干部名册"),
    ("operator:admin", "operator admin", "经办人 admin"),
    ("database", "the office database", "本单位数据库"),
    ("audit", "the audit log", "审计日志"),
    # Unknown or dangling subjects are shown as stored, never hidden.
    ("person:NOBODY", "person:NOBODY", "person:NOBODY"),
    ("nomination:99:1", "nomination:99:1", "nomination:99:1"),
    ("round:nomination:99:1", "round:nomination:99:1", "round:nomination:99:1"),
    ("somebody:else", "somebody:else", "somebody:else"),
    ("", "", ""),
])
def test_core_words_its_own_subjects(db, pm, subject, en, zh):
    assert describe(db, pm, subject) == en
    set_language("zh_CN")
    try:
        assert describe(db, pm, subject) == zh
    finally:
        set_language("en")


def test_a_plugin_words_its_subject_and_core_its_rounds(db, pm):
    from civic.events import DatabaseCreated
    from civic.office import Office, Operator

    office = Office(db, pm, actor=Operator("op", "operator"))
    with office.change() as change:  # the nomination's row points at its audit entry
        change.record(DatabaseCreated(admin="op", version="test"))
        db.execute("INSERT INTO nomination_nominations (id, title, reference_date, created_on,"
                   " audit_id) VALUES (1, '2008年第三季度公开推荐', '2008-07-01', '2008-07-01',"
                   " (SELECT max(id) FROM audit_log))")
    assert describe(db, pm, "nomination:1") == "2008年第三季度公开推荐"
    assert describe(db, pm, "nomination:1:1") == "2008年第三季度公开推荐, round 1"
    assert describe(db, pm, "round:nomination:1:2") == \
        "ballots of 2008年第三季度公开推荐, round 2"
    # A payload's record number is worded by the plugin that wrote the event.
    rows = dict(payload_rows(db, pm, "nomination.round_certified",
                             {"nomination": 1, "round": 1, "attempt": 1}))
    assert rows == {"nomination": "2008年第三季度公开推荐", "round": "1", "attempt": "1"}
    set_language("zh_CN")
    try:
        assert describe(db, pm, "nomination:1:1") == "2008年第三季度公开推荐第1轮"
    finally:
        set_language("en")


def test_describer_asks_once_per_subject(db):
    asked: list[str] = []

    class Hook:
        def describe_subject(self, db, subject):
            asked.append(subject)
            return "worded"

    class PM:
        hook = Hook()

    word = describer(db, PM())
    assert [word("x:1"), word("x:1"), word("x:2")] == ["worded"] * 3
    assert asked == ["x:1", "x:2"]


@pytest.mark.parametrize(("name", "value", "shown"), [
    ("until", None, ""),
    ("notice_first", True, "yes"),
    ("person", "C1", "王建军 (C1)"),
    ("officer", "C1", "王建军 (C1)"),
    ("position", "P1", "副部长 (P1)"),
    ("person", "GONE", "GONE"),  # a code no longer in the registry stays as stored
    ("table", "people", "the people register"),
    ("role", "supervisor", "supervisor"),  # a stored word through civic.vocabulary
    ("reason", "serving", "serving"),  # free text is never read as a code
    ("units", ["U1", "U2"], "U1, U2"),
    ("seats", {"chair": 1, "members": 5}, "chair 1, members 5"),
    # the demo's counts by table: each key worded (it showed audit_log, vacancies)
    ("counts", {"people": 3, "audit_log": 9, "vacancies": 1, "serving": 2},
     "people 3, audit log entries 9, vacancies 1, serving 2"),
    ("factors", [["mitigating", "主动挽回损失"]], '[["mitigating","主动挽回损失"]]'),
    ("rows", 5, "5"),
])
def test_payload_values_are_worded(db, pm, name, value, shown):
    assert field_value(describer(db, pm), name, value) == shown


def test_a_long_payload_value_is_cut(db, pm):
    shown = field_value(describer(db, pm), "people", [f"C{i:05d}" for i in range(1000)])
    assert len(shown) == SHOWN and shown.endswith("…")
