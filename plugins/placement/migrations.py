"""The placement plugin's tables. A released migration is never edited: add a new one.

A batch's inputs (scheme, officers, posts, preference lists, overrides) may be replaced while
it is being set up; the audit log keeps each import's digest. From the run on (for a live
batch, from the moment the room opens) the inputs are frozen, and the picks, the eligibility
snapshot and the results are append-only.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("civic.placement")

STATUSES = ("setup", "live", "ran", "certified")
MODES = ("sealed", "live")


@migrations()
def m001_batches(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE placement_batches (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            cutoff TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('sealed', 'live')),
            seed INTEGER,
            status TEXT NOT NULL DEFAULT 'setup'
                CHECK (status IN ('setup', 'live', 'ran', 'certified')),
            scheme_name TEXT, scheme_text TEXT, scheme_sha256 TEXT,
            created_on TEXT NOT NULL,
            created_audit INTEGER REFERENCES audit_log(id),
            inputs_digest TEXT, result_digest TEXT, ran_on TEXT,
            run_audit INTEGER REFERENCES audit_log(id),
            effective TEXT, certified_on TEXT,
            certify_audit INTEGER REFERENCES audit_log(id));
        CREATE TABLE placement_officers (
            batch INTEGER NOT NULL REFERENCES placement_batches(id),
            code TEXT NOT NULL REFERENCES people(code),
            name TEXT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (batch, code));
        CREATE TABLE placement_posts (
            batch INTEGER NOT NULL REFERENCES placement_batches(id),
            position TEXT NOT NULL REFERENCES positions(code),
            capacity INTEGER NOT NULL CHECK (capacity > 0),
            eligibility TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (batch, position));
        CREATE TABLE placement_preferences (
            batch INTEGER NOT NULL,
            officer TEXT NOT NULL,
            choice INTEGER NOT NULL CHECK (choice > 0),
            position TEXT NOT NULL,
            PRIMARY KEY (batch, officer, choice),
            UNIQUE (batch, officer, position),
            FOREIGN KEY (batch, officer) REFERENCES placement_officers(batch, code),
            FOREIGN KEY (batch, position) REFERENCES placement_posts(batch, position));
        CREATE TABLE placement_overrides (
            id INTEGER PRIMARY KEY,
            batch INTEGER NOT NULL,
            officer TEXT NOT NULL,
            position TEXT,
            reason TEXT NOT NULL,
            audit_id INTEGER NOT NULL REFERENCES audit_log(id),
            FOREIGN KEY (batch, officer) REFERENCES placement_officers(batch, code),
            FOREIGN KEY (batch, position) REFERENCES placement_posts(batch, position));
        CREATE INDEX placement_overrides_batch ON placement_overrides(batch, officer);
        CREATE TABLE placement_picks (
            id INTEGER PRIMARY KEY,
            batch INTEGER NOT NULL REFERENCES placement_batches(id),
            action TEXT NOT NULL CHECK (action IN ('choose', 'pass', 'undo')),
            officer TEXT NOT NULL,
            position TEXT,
            reason TEXT,
            at TEXT NOT NULL,
            audit_id INTEGER NOT NULL REFERENCES audit_log(id),
            FOREIGN KEY (batch, officer) REFERENCES placement_officers(batch, code));
        CREATE INDEX placement_picks_batch ON placement_picks(batch, id);
        CREATE TABLE placement_ineligible (
            batch INTEGER NOT NULL,
            officer TEXT NOT NULL,
            position TEXT NOT NULL,
            reasons TEXT NOT NULL,
            PRIMARY KEY (batch, officer, position),
            FOREIGN KEY (batch, officer) REFERENCES placement_officers(batch, code),
            FOREIGN KEY (batch, position) REFERENCES placement_posts(batch, position));
        CREATE TABLE placement_results (
            batch INTEGER NOT NULL,
            officer TEXT NOT NULL,
            rank INTEGER NOT NULL,
            score TEXT NOT NULL,
            breakdown TEXT NOT NULL,
            measures TEXT NOT NULL,
            draw_group TEXT NOT NULL DEFAULT '[]',
            ticket TEXT,
            position TEXT,
            choice INTEGER,
            PRIMARY KEY (batch, officer),
            UNIQUE (batch, rank),
            FOREIGN KEY (batch, officer) REFERENCES placement_officers(batch, code),
            FOREIGN KEY (batch, position) REFERENCES placement_posts(batch, position));
        """
    )
    for table in ("placement_picks", "placement_ineligible", "placement_results"):
        db.executescript(
            f"""
            CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
            CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
            """
        )
    # Inputs are frozen once the room opens or the batch has run.
    for table in ("placement_officers", "placement_posts", "placement_preferences",
                  "placement_overrides"):
        for verb, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(
                f"CREATE TRIGGER {table}_frozen_{verb.lower()} BEFORE {verb} ON {table}"
                f" WHEN (SELECT status FROM placement_batches WHERE id = {row}.batch)"
                f" != 'setup' BEGIN SELECT RAISE(ABORT, 'the batch''s inputs are frozen'); END"
            )


# placement_ineligible.reasons, a JSON list: each entry was the reason's words in the
# language of whoever opened the room or ran the batch; since reasons became data it is
# an object (`rules.reason_text` words it for each reader). No migration converts the old
# entries, deliberately: the snapshot is append-only and part of the frozen inputs, whose
# digest is stored on the batch and in the audit log (room opened, batch run), so rewritten
# rows would make `run`'s re-check refuse every batch decided before; and words formatted
# in either language, a plugin's messages among them, cannot be parsed back reliably.
# Old entries are shown as they were written.


@migrations()
def m002_override_basis(db: Database) -> None:
    # A pre-assignment (照顾安置) names its policy basis (the document and article that allow
    # it), printed where pre-assignments are listed apart. NULL on rows written before.
    db.execute("ALTER TABLE placement_overrides ADD COLUMN basis TEXT")


@migrations()
def m003_appointed(db: Database) -> None:
    # Notice first (rules.NOTICE_FIRST): a certified batch's appointments are recorded once its
    # notice is confirmed; these say when, and by which audit entry. NULL: not yet, or made at
    # certification (the batch's certify_audit then says so).
    db.execute("ALTER TABLE placement_batches ADD COLUMN appointed_on TEXT")
    db.execute("ALTER TABLE placement_batches ADD COLUMN appoint_audit INTEGER"
               " REFERENCES audit_log(id)")


@migrations()
def m004_public_draw(db: Database) -> None:
    # The public draw held on site (公开抽签): the draw number (抽签号) each tied officer drew,
    # entered with the supervisor's co-signature; it orders each tie group instead of the
    # seeded random order (the fallback). Entered while the batch is in setup; append-only.
    db.execute("""CREATE TABLE placement_draws (
        batch INTEGER NOT NULL REFERENCES placement_batches(id),
        officer TEXT NOT NULL, number INTEGER NOT NULL CHECK (number >= 1),
        audit_id INTEGER NOT NULL REFERENCES audit_log(id),
        PRIMARY KEY (batch, officer))""")
    db.execute("""CREATE TRIGGER placement_draws_setup BEFORE INSERT ON placement_draws
        WHEN (SELECT status FROM placement_batches WHERE id = NEW.batch) != 'setup'
        BEGIN SELECT RAISE(ABORT, 'the batch is no longer in setup'); END""")
    for when in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER placement_draws_no_{when.lower()} BEFORE {when}"
                   " ON placement_draws"
                   " BEGIN SELECT RAISE(ABORT, 'placement_draws is append-only'); END")
