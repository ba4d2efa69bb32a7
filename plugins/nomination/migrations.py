"""The nomination plugin's tables (prefix `nomination_`). A released migration is never edited.

Ballots, rolls and marks live in core's `voting_*` tables; a nomination round points at its
voting round. Decisions are appended, never overwritten: an adjudication is reversed by a newer
row, and a certified round refuses new adjudications and re-votes (triggers).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("civic.nomination")


@migrations()
def m001_nominations(db: Database) -> None:
    certified = ("(SELECT status FROM nomination_rounds WHERE id = NEW.round) != 'open'")
    for sql in (
        """CREATE TABLE nomination_nominations (
            id INTEGER PRIMARY KEY, title TEXT NOT NULL, reference_date TEXT NOT NULL,
            advance_1 INTEGER NOT NULL DEFAULT 5 CHECK (advance_1 >= 1),
            advance_2 INTEGER NOT NULL DEFAULT 2 CHECK (advance_2 >= 1),
            marks_1 INTEGER NOT NULL DEFAULT 1 CHECK (marks_1 >= 1),
            marks_2 INTEGER NOT NULL DEFAULT 2 CHECK (marks_2 >= 1),
            tie_policy TEXT NOT NULL DEFAULT 'revote' CHECK (tie_policy IN ('revote','include')),
            quorum TEXT NOT NULL DEFAULT '2/3',
            show_counts INTEGER NOT NULL DEFAULT 0 CHECK (show_counts IN (0, 1)),
            created_on TEXT NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit_log(id))""",
        """CREATE TABLE nomination_positions (
            nomination INTEGER NOT NULL REFERENCES nomination_nominations(id),
            position TEXT NOT NULL REFERENCES positions(code), seq INTEGER NOT NULL,
            PRIMARY KEY (nomination, position))""",
        """CREATE TABLE nomination_rounds (
            id INTEGER PRIMARY KEY,
            nomination INTEGER NOT NULL REFERENCES nomination_nominations(id),
            round_no INTEGER NOT NULL CHECK (round_no IN (1, 2)),
            attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
            voting_round INTEGER NOT NULL UNIQUE REFERENCES voting_rounds(id),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','certified','void')),
            opened_on TEXT NOT NULL,
            report TEXT, report_sha256 TEXT, chain_head TEXT,
            certified_audit INTEGER REFERENCES audit_log(id),
            notice INTEGER REFERENCES notices(id),
            UNIQUE (nomination, round_no, attempt))""",
        """CREATE TRIGGER nomination_rounds_closed BEFORE UPDATE ON nomination_rounds
            WHEN OLD.status != 'open' AND (NEW.status IS NOT OLD.status
                OR NEW.report IS NOT OLD.report OR NEW.report_sha256 IS NOT OLD.report_sha256
                OR NEW.chain_head IS NOT OLD.chain_head)
            BEGIN SELECT RAISE(ABORT, 'a certified or void round is closed'); END""",
        """CREATE TABLE nomination_adjudications (
            id INTEGER PRIMARY KEY,
            round INTEGER NOT NULL REFERENCES nomination_rounds(id),
            position TEXT NOT NULL, written TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('assign','invalid','reverse')),
            person TEXT REFERENCES people(code), note TEXT NOT NULL DEFAULT '',
            audit_id INTEGER NOT NULL REFERENCES audit_log(id))""",
        "CREATE INDEX nomination_adjudications_round ON nomination_adjudications(round)",
        """CREATE TABLE nomination_revotes (
            id INTEGER PRIMARY KEY,
            round INTEGER NOT NULL REFERENCES nomination_rounds(id),
            position TEXT NOT NULL, votes TEXT NOT NULL,
            audit_id INTEGER NOT NULL REFERENCES audit_log(id))""",
        f"""CREATE TRIGGER nomination_adjudications_closed BEFORE INSERT
            ON nomination_adjudications WHEN {certified}
            BEGIN SELECT RAISE(ABORT, 'the round is certified'); END""",
        f"""CREATE TRIGGER nomination_revotes_closed BEFORE INSERT ON nomination_revotes
            WHEN {certified}
            BEGIN SELECT RAISE(ABORT, 'the round is certified'); END""",
    ):
        db.execute(sql)
    for kind in ("adjudications", "revotes"):
        for when in ("UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER nomination_{kind}_no_{when.lower()} BEFORE {when}"
                       f" ON nomination_{kind}"
                       f" BEGIN SELECT RAISE(ABORT, 'nomination_{kind} is append-only'); END")


@migrations()
def m002_ceilings(db: Database) -> None:
    # The band's ceiling per post (a rank code), fixed when the nomination is created. NULL:
    # none (a post without a level, or a nomination created before bands were recorded).
    db.execute("ALTER TABLE nomination_positions ADD COLUMN ceiling TEXT REFERENCES ranks(code)")


@migrations(transactional=False)
def m003_meeting_decides(db: Database) -> None:
    """The third tie policy, `meeting` (部务会研究决定): m001's CHECK allowed revote and include
    only, and SQLite cannot change a CHECK, so nomination_nominations is rebuilt (SQLite's
    twelve-step procedure: foreign keys off around one transaction, checked before it commits;
    rounds and posts still point at it by name). The meeting's decisions are a new append-only
    table; a certified round refuses them, as it refuses re-votes.

    Not transactional only so that foreign keys can be switched off (a no-op inside a
    transaction); the rebuild itself is one transaction, and is safe to run again."""
    conn = db.conn
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            _rebuild_nominations(db)
            _decisions_table(db)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"m003_meeting_decides: foreign keys broken: {broken[:5]}")
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")


_NOMINATION_COLUMNS = ("id, title, reference_date, advance_1, advance_2, marks_1, marks_2,"
                       " tie_policy, quorum, show_counts, created_on, audit_id")


def _rebuild_nominations(db: Database) -> None:
    db.execute("DROP TABLE IF EXISTS nomination_nominations_new")
    db.execute("""CREATE TABLE nomination_nominations_new (
        id INTEGER PRIMARY KEY, title TEXT NOT NULL, reference_date TEXT NOT NULL,
        advance_1 INTEGER NOT NULL DEFAULT 5 CHECK (advance_1 >= 1),
        advance_2 INTEGER NOT NULL DEFAULT 2 CHECK (advance_2 >= 1),
        marks_1 INTEGER NOT NULL DEFAULT 1 CHECK (marks_1 >= 1),
        marks_2 INTEGER NOT NULL DEFAULT 2 CHECK (marks_2 >= 1),
        tie_policy TEXT NOT NULL DEFAULT 'revote'
            CHECK (tie_policy IN ('revote','include','meeting')),
        quorum TEXT NOT NULL DEFAULT '2/3',
        show_counts INTEGER NOT NULL DEFAULT 0 CHECK (show_counts IN (0, 1)),
        created_on TEXT NOT NULL, audit_id INTEGER NOT NULL REFERENCES audit_log(id))""")
    db.execute(f"INSERT INTO nomination_nominations_new ({_NOMINATION_COLUMNS})"
               f" SELECT {_NOMINATION_COLUMNS} FROM nomination_nominations")
    db.execute("DROP TABLE nomination_nominations")
    db.execute("ALTER TABLE nomination_nominations_new RENAME TO nomination_nominations")


def _decisions_table(db: Database) -> None:
    certified = ("(SELECT status FROM nomination_rounds WHERE id = NEW.round) != 'open'")
    db.execute("""CREATE TABLE IF NOT EXISTS nomination_tie_decisions (
        id INTEGER PRIMARY KEY,
        round INTEGER NOT NULL REFERENCES nomination_rounds(id),
        position TEXT NOT NULL, advancing TEXT NOT NULL, meeting TEXT NOT NULL,
        decided_on TEXT NOT NULL,
        audit_id INTEGER NOT NULL REFERENCES audit_log(id))""")
    db.execute(f"""CREATE TRIGGER IF NOT EXISTS nomination_tie_decisions_closed BEFORE INSERT
        ON nomination_tie_decisions WHEN {certified}
        BEGIN SELECT RAISE(ABORT, 'the round is certified'); END""")
    for when in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER IF NOT EXISTS nomination_tie_decisions_no_{when.lower()}"
                   f" BEFORE {when} ON nomination_tie_decisions BEGIN SELECT"
                   " RAISE(ABORT, 'nomination_tie_decisions is append-only'); END")
