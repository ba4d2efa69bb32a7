"""Core schema. A released migration is never edited: add a new one."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from civic.ladders import EDUCATION, RANKS

core_migrations = Migrations("civic.core")

PERSON_STATUSES = ("serving", "reserve", "transferred", "retired", "removed")


@core_migrations()
def m001_registry(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE ranks (
            code TEXT PRIMARY KEY, level INTEGER NOT NULL UNIQUE,
            name_zh TEXT NOT NULL, name_en TEXT NOT NULL);
        CREATE TABLE education_levels (
            code TEXT PRIMARY KEY, level INTEGER NOT NULL UNIQUE,
            name_zh TEXT NOT NULL, name_en TEXT NOT NULL);
        CREATE TABLE units (
            code TEXT PRIMARY KEY, name TEXT NOT NULL,
            parent TEXT REFERENCES units(code), kind TEXT);
        CREATE INDEX units_parent ON units(parent);
        CREATE TABLE positions (
            code TEXT PRIMARY KEY, title TEXT NOT NULL,
            unit TEXT REFERENCES units(code),
            rank_level TEXT REFERENCES ranks(code),
            headcount INTEGER NOT NULL DEFAULT 1 CHECK (headcount >= 0),
            min_rank TEXT REFERENCES ranks(code),
            min_years_in_rank REAL CHECK (min_years_in_rank >= 0),
            max_age INTEGER CHECK (max_age > 0),
            min_education TEXT REFERENCES education_levels(code),
            party_required INTEGER NOT NULL DEFAULT 0 CHECK (party_required IN (0, 1)),
            notes TEXT);
        CREATE INDEX positions_unit ON positions(unit);
        CREATE TABLE people (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, gender TEXT,
            birth_date TEXT, ethnicity TEXT, native_place TEXT, id_number TEXT,
            party TEXT, party_joined TEXT,
            education TEXT REFERENCES education_levels(code),
            work_start TEXT,
            rank TEXT REFERENCES ranks(code), rank_since TEXT,
            unit TEXT REFERENCES units(code),
            position TEXT REFERENCES positions(code),
            status TEXT NOT NULL DEFAULT 'serving'
                CHECK (status IN ('serving','reserve','transferred','retired','removed')),
            tags TEXT NOT NULL DEFAULT '');
        CREATE INDEX people_name ON people(name);
        CREATE INDEX people_unit ON people(unit);
        CREATE INDEX people_position ON people(position);
        CREATE INDEX people_rank ON people(rank);
        CREATE TABLE operators (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin','operator','supervisor','viewer')),
            password_hash TEXT NOT NULL, created_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,
            cosigner TEXT, type TEXT NOT NULL, subject TEXT NOT NULL,
            payload TEXT NOT NULL, prev_hash TEXT NOT NULL UNIQUE, hash TEXT NOT NULL);
        CREATE INDEX audit_type ON audit_log(type);
        CREATE INDEX audit_subject ON audit_log(subject);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TABLE appointments (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(code),
            position TEXT REFERENCES positions(code),
            action TEXT NOT NULL CHECK (action IN ('appoint','remove','transfer_in')),
            effective TEXT NOT NULL,
            basis_kind TEXT NOT NULL, basis_ref TEXT NOT NULL,
            note TEXT, audit_id INTEGER NOT NULL REFERENCES audit_log(id));
        CREATE INDEX appointments_person ON appointments(person);
        CREATE INDEX appointments_position ON appointments(position);
        CREATE TRIGGER appointments_no_update BEFORE UPDATE ON appointments
            BEGIN SELECT RAISE(ABORT, 'appointments are append-only history'); END;
        CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
            BEGIN SELECT RAISE(ABORT, 'appointments are append-only history'); END;
        CREATE TABLE reserve_pool (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(code),
            position TEXT REFERENCES positions(code),
            basis_kind TEXT NOT NULL, basis_ref TEXT NOT NULL,
            added_on TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','withdrawn','used')),
            note TEXT, audit_id INTEGER NOT NULL REFERENCES audit_log(id));
        CREATE INDEX reserve_person ON reserve_pool(person);
        """
    )
    db["ranks"].insert_all(
        [{"code": s.code, "level": s.level, "name_zh": s.name_zh, "name_en": s.name_en}
         for s in RANKS]
    )
    db["education_levels"].insert_all(
        [{"code": s.code, "level": s.level, "name_zh": s.name_zh, "name_en": s.name_en}
         for s in EDUCATION]
    )


@core_migrations()
def m002_notices(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL,
            title TEXT NOT NULL, lang TEXT NOT NULL, format TEXT NOT NULL,
            body TEXT NOT NULL, context TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft','published','confirmed','withdrawn')),
            published_on TEXT, period_days INTEGER NOT NULL DEFAULT 5,
            ends_on TEXT, chain_head TEXT, created_audit INTEGER REFERENCES audit_log(id));
        CREATE INDEX notices_subject ON notices(subject);
        CREATE TABLE notice_objections (
            id INTEGER PRIMARY KEY,
            notice INTEGER NOT NULL REFERENCES notices(id),
            received_on TEXT NOT NULL, channel TEXT NOT NULL, content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
            handling TEXT, resolved_by TEXT, resolved_on TEXT);
        CREATE INDEX objections_notice ON notice_objections(notice);
        """
    )
