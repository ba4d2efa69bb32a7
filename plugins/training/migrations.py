"""The training plugin's tables (prefixed `training_`); released migrations are never edited."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("civic.training")


@migrations()
def m001_training(db) -> None:
    db.executescript("""
        CREATE TABLE training_programmes (
            id INTEGER PRIMARY KEY, title TEXT NOT NULL,
            category TEXT NOT NULL CHECK (category IN
                ('full_time','online','lecture','training_day','delegation')),
            starts TEXT NOT NULL, ends TEXT NOT NULL, organiser TEXT NOT NULL DEFAULT '',
            CHECK (ends >= starts));
        -- A session is a half-day (half_days 1), a day (2) or a block of days (a trip).
        CREATE TABLE training_sessions (
            id INTEGER PRIMARY KEY,
            programme INTEGER NOT NULL REFERENCES training_programmes(id),
            day TEXT NOT NULL, half_days INTEGER NOT NULL CHECK (half_days > 0),
            hours REAL NOT NULL CHECK (hours >= 0), title TEXT NOT NULL DEFAULT '');
        CREATE INDEX training_sessions_programme ON training_sessions(programme);
        CREATE INDEX training_sessions_day ON training_sessions(day);
        CREATE TABLE training_attendance (
            session INTEGER NOT NULL REFERENCES training_sessions(id),
            person TEXT NOT NULL REFERENCES people(code),
            PRIMARY KEY (session, person)) WITHOUT ROWID;
        CREATE INDEX training_attendance_person ON training_attendance(person);
        CREATE TABLE training_leave (
            id INTEGER PRIMARY KEY,
            programme INTEGER NOT NULL REFERENCES training_programmes(id),
            person TEXT NOT NULL REFERENCES people(code),
            hours REAL NOT NULL CHECK (hours > 0), reason TEXT NOT NULL);
        CREATE INDEX training_leave_person ON training_leave(person);
        CREATE TABLE training_delegations (
            programme INTEGER PRIMARY KEY REFERENCES training_programmes(id),
            destination TEXT NOT NULL, host TEXT NOT NULL, theme TEXT NOT NULL,
            report_due TEXT NOT NULL, reported_on TEXT, report TEXT);
    """)
