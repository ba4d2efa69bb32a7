"""The evaluation plugin's tables (prefixed `evaluation_`); released migrations are never
edited."""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("civic.evaluation")


@migrations()
def m001_evaluation(db) -> None:
    db.executescript("""
        -- A framework as imported: its file's text, kept whole so an evaluation is always
        -- scored by the version it was created with.
        CREATE TABLE evaluation_frameworks (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL,
            content TEXT NOT NULL, sha256 TEXT NOT NULL, imported_on TEXT NOT NULL,
            UNIQUE (key, sha256));
        CREATE TABLE evaluation_evaluations (
            id INTEGER PRIMARY KEY,
            framework INTEGER NOT NULL REFERENCES evaluation_frameworks(id),
            year INTEGER NOT NULL, title TEXT NOT NULL,
            edition TEXT NOT NULL, rounding TEXT NOT NULL CHECK (rounding IN ('half_up','up')),
            created_on TEXT NOT NULL, due TEXT);
        -- The units rated (a leadership team, a leader); `person` gets the annual grade.
        CREATE TABLE evaluation_units (
            evaluation INTEGER NOT NULL REFERENCES evaluation_evaluations(id),
            unit TEXT NOT NULL, name TEXT NOT NULL, person TEXT REFERENCES people(code),
            PRIMARY KEY (evaluation, unit)) WITHOUT ROWID;
        CREATE TABLE evaluation_values (
            evaluation INTEGER NOT NULL, unit TEXT NOT NULL, indicator TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (evaluation, unit, indicator),
            FOREIGN KEY (evaluation, unit) REFERENCES evaluation_units(evaluation, unit)
        ) WITHOUT ROWID;
        -- A veto gate that fired for a unit, and why.
        CREATE TABLE evaluation_gates (
            evaluation INTEGER NOT NULL, unit TEXT NOT NULL, gate TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (evaluation, unit, gate),
            FOREIGN KEY (evaluation, unit) REFERENCES evaluation_units(evaluation, unit)
        ) WITHOUT ROWID;
        -- Each run's report (the JSON contract), appended: the latest is the one shown.
        CREATE TABLE evaluation_runs (
            id INTEGER PRIMARY KEY,
            evaluation INTEGER NOT NULL REFERENCES evaluation_evaluations(id),
            ran_at TEXT NOT NULL, report TEXT NOT NULL, sha256 TEXT NOT NULL);
        CREATE INDEX evaluation_runs_evaluation ON evaluation_runs(evaluation);
        -- The committee's conclusion beside the number; appended, the latest per unit holds.
        CREATE TABLE evaluation_conclusions (
            id INTEGER PRIMARY KEY,
            evaluation INTEGER NOT NULL, unit TEXT NOT NULL,
            run INTEGER NOT NULL REFERENCES evaluation_runs(id),
            grade TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', concluded_on TEXT NOT NULL,
            FOREIGN KEY (evaluation, unit) REFERENCES evaluation_units(evaluation, unit));
        CREATE INDEX evaluation_conclusions_unit ON evaluation_conclusions(evaluation, unit);
        CREATE TABLE evaluation_certifications (
            evaluation INTEGER PRIMARY KEY REFERENCES evaluation_evaluations(id),
            run INTEGER NOT NULL REFERENCES evaluation_runs(id),
            certified_on TEXT NOT NULL, cosigner TEXT NOT NULL);
        -- An opinion survey's index for a unit (民意调查): feeds the public-evaluation indicator.
        CREATE TABLE evaluation_surveys (
            id INTEGER PRIMARY KEY,
            evaluation INTEGER NOT NULL, unit TEXT NOT NULL, indicator TEXT NOT NULL,
            respondents INTEGER NOT NULL CHECK (respondents >= 0),
            index_value REAL NOT NULL CHECK (index_value BETWEEN 0 AND 100),
            happiness REAL NOT NULL, satisfaction REAL NOT NULL, safety REAL NOT NULL,
            channels TEXT NOT NULL DEFAULT '{}',  -- respondents per channel, as JSON
            file TEXT NOT NULL, sha256 TEXT NOT NULL,
            FOREIGN KEY (evaluation, unit) REFERENCES evaluation_units(evaluation, unit));
        -- The democratic rating round of an evaluation (its forms are core ballots).
        CREATE TABLE evaluation_ratings (
            evaluation INTEGER PRIMARY KEY REFERENCES evaluation_evaluations(id),
            round_key TEXT NOT NULL UNIQUE, pack TEXT NOT NULL);
        -- A rating form's section found invalid by the pack's validity rules: entered blank in
        -- the core round (so the forms still add up), its reason kept here.
        CREATE TABLE evaluation_invalid_forms (
            evaluation INTEGER NOT NULL REFERENCES evaluation_evaluations(id),
            form INTEGER NOT NULL, dimension TEXT NOT NULL, reason TEXT NOT NULL,
            PRIMARY KEY (evaluation, form, dimension)) WITHOUT ROWID;
    """)


@migrations()
def m002_team_grades(db) -> None:
    db.executescript("""
        -- A leadership team's (领导班子) certified grade: the unit's record, never a grade of
        -- any member's own (individual grades are person facts of kind "grade").
        CREATE TABLE evaluation_team_grades (
            evaluation INTEGER NOT NULL REFERENCES evaluation_evaluations(id),
            unit TEXT NOT NULL, name TEXT NOT NULL, year INTEGER NOT NULL,
            grade TEXT NOT NULL, certified_on TEXT NOT NULL, rule TEXT NOT NULL,
            PRIMARY KEY (evaluation, unit),
            FOREIGN KEY (evaluation, unit) REFERENCES evaluation_units(evaluation, unit)
        ) WITHOUT ROWID;
        CREATE INDEX evaluation_team_grades_unit ON evaluation_team_grades(unit, year);
    """)
