"""The election plugin's tables (prefixed `election_`); released migrations are never edited.

Ballots, rolls, constituencies and tallies are core's (civic.ballots, civic.contests): an
election names its rounds by key (`election:<id>:<n>`) and keeps what is its own: the pack it
runs under, its candidates' names and incumbency, certification, terms, targets and recalls.
"""

from __future__ import annotations

from sqlite_utils import Migrations

migrations = Migrations("civic.election")


@migrations()
def m001_election(db) -> None:
    db.executescript("""
        CREATE TABLE election_batches (
            id INTEGER PRIMARY KEY, title TEXT NOT NULL, elections_file TEXT NOT NULL,
            elections_sha256 TEXT NOT NULL, tallies_file TEXT, tallies_sha256 TEXT,
            created_on TEXT NOT NULL);
        CREATE TABLE election_elections (
            id INTEGER PRIMARY KEY, title TEXT NOT NULL, pack TEXT NOT NULL,
            -- the pack as it stood when the election was created (an office's copy included)
            pack_data TEXT NOT NULL, held_on TEXT NOT NULL,
            office_title TEXT NOT NULL DEFAULT '',
            position TEXT REFERENCES positions(code),
            batch INTEGER REFERENCES election_batches(id), school TEXT, grp TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'not_held', 'certified')),
            reason TEXT, notice INTEGER REFERENCES notices(id));
        CREATE INDEX election_elections_batch ON election_elections(batch);
        CREATE TABLE election_candidates (
            election INTEGER NOT NULL REFERENCES election_elections(id),
            contest TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
            incumbent INTEGER NOT NULL DEFAULT 0 CHECK (incumbent IN (0, 1)),
            seq INTEGER NOT NULL,
            PRIMARY KEY (election, contest, code)) WITHOUT ROWID;
        CREATE TABLE election_rounds (
            id INTEGER PRIMARY KEY,
            election INTEGER NOT NULL REFERENCES election_elections(id),
            round_no INTEGER NOT NULL, vround TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL, report TEXT, certified_audit INTEGER,
            UNIQUE (election, round_no));
        CREATE TABLE election_terms (
            id INTEGER PRIMARY KEY,
            election INTEGER NOT NULL REFERENCES election_elections(id),
            person TEXT NOT NULL REFERENCES people(code), office_title TEXT NOT NULL,
            starts TEXT NOT NULL, ends TEXT NOT NULL, fact INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'serving'
                CHECK (status IN ('serving', 'ended', 'recalled')),
            ended_on TEXT, CHECK (ends > starts));
        CREATE INDEX election_terms_person ON election_terms(person);
        CREATE TABLE election_targets (
            id INTEGER PRIMARY KEY, term INTEGER NOT NULL REFERENCES election_terms(id),
            text TEXT NOT NULL, due TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'missed')),
            updated_on TEXT);
        CREATE TABLE election_recalls (
            id INTEGER PRIMARY KEY, term INTEGER NOT NULL REFERENCES election_terms(id),
            filed_on TEXT NOT NULL, signers INTEGER NOT NULL CHECK (signers > 0),
            registered INTEGER NOT NULL CHECK (registered > 0),
            grounds TEXT NOT NULL, reply TEXT, vround TEXT,
            status TEXT NOT NULL DEFAULT 'filed'
                CHECK (status IN ('filed', 'voting', 'passed', 'failed', 'invalid')),
            decided_on TEXT, barred_until TEXT);
    """)
