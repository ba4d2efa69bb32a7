"""The accountability plugin's tables (prefixed `accountability_`). Released migrations are
never edited; add the next one below."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("civic.accountability")


@migrations()
def m001_cases_and_tasks(db) -> None:
    db.execute("""
        CREATE TABLE accountability_cases (
            id INTEGER PRIMARY KEY,
            pack TEXT NOT NULL,
            person TEXT REFERENCES people(code),
            team TEXT,
            unit TEXT REFERENCES units(code),
            trigger TEXT NOT NULL,
            heading TEXT,
            source TEXT NOT NULL,
            summary TEXT NOT NULL,
            status TEXT NOT NULL,
            opened_on TEXT NOT NULL,
            investigated_on TEXT,
            decided_on TEXT,
            served_on TEXT,
            appealed_on TEXT,
            reviewed_on TEXT,
            closed_on TEXT,
            outcome TEXT,
            task INTEGER,
            CHECK (person IS NOT NULL OR team IS NOT NULL)
        )""")
    db.execute("""
        CREATE TABLE accountability_case_forms (
            case_id INTEGER NOT NULL REFERENCES accountability_cases(id),
            form TEXT NOT NULL,
            PRIMARY KEY (case_id, form)
        )""")
    db.execute("""
        CREATE TABLE accountability_case_factors (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES accountability_cases(id),
            kind TEXT NOT NULL CHECK (kind IN ('aggravating', 'mitigating', 'exempting')),
            text TEXT NOT NULL
        )""")
    # The person facts a decision recorded (core's person_facts), to end them on revocation.
    db.execute("""
        CREATE TABLE accountability_case_facts (
            case_id INTEGER NOT NULL REFERENCES accountability_cases(id),
            fact INTEGER NOT NULL REFERENCES person_facts(id),
            PRIMARY KEY (case_id, fact)
        )""")
    db.execute("""
        CREATE TABLE accountability_tasks (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            unit TEXT NOT NULL REFERENCES units(code),
            owner TEXT REFERENCES people(code),
            type TEXT NOT NULL,
            deadline TEXT NOT NULL,
            created_on TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            closed_on TEXT
        )""")
    db.execute("""
        CREATE TABLE accountability_task_log (
            id INTEGER PRIMARY KEY,
            task INTEGER NOT NULL REFERENCES accountability_tasks(id),
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX accountability_cases_person ON accountability_cases(person)")
    db.execute("CREATE INDEX accountability_cases_opened ON accountability_cases(opened_on)")


@migrations()
def m002_inspections(db) -> None:
    """巡察 rounds (the 2008 practice): target units, work done, findings, rectification
    items, and proposals that take effect only through a co-signed decision."""
    db.execute("""
        CREATE TABLE accountability_inspections (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('daily', 'special')),
            title TEXT NOT NULL,
            team TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            closed_on TEXT,
            talks INTEGER NOT NULL DEFAULT 0,
            questionnaires INTEGER NOT NULL DEFAULT 0,
            documents INTEGER NOT NULL DEFAULT 0,
            spot_checks INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("""
        CREATE TABLE accountability_inspection_units (
            inspection INTEGER NOT NULL REFERENCES accountability_inspections(id),
            unit TEXT NOT NULL REFERENCES units(code),
            PRIMARY KEY (inspection, unit)
        )""")
    db.execute("""
        CREATE TABLE accountability_findings (
            id INTEGER PRIMARY KEY,
            inspection INTEGER NOT NULL REFERENCES accountability_inspections(id),
            unit TEXT NOT NULL REFERENCES units(code),
            text TEXT NOT NULL,
            found_on TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE accountability_rectifications (
            id INTEGER PRIMARY KEY,
            finding INTEGER NOT NULL REFERENCES accountability_findings(id),
            text TEXT NOT NULL,
            due TEXT NOT NULL,
            done_on TEXT
        )""")
    db.execute("""
        CREATE TABLE accountability_proposals (
            id INTEGER PRIMARY KEY,
            inspection INTEGER NOT NULL REFERENCES accountability_inspections(id),
            person TEXT NOT NULL REFERENCES people(code),
            kind TEXT NOT NULL CHECK (kind IN ('reserve', 'transfer', 'demote', 'remove')),
            position TEXT REFERENCES positions(code),
            reason TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'proposed',
            decided_on TEXT,
            audit_id INTEGER
        )""")
