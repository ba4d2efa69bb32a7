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
    """Public notices (公示), one body per language, objections, and office settings.

    A notice's bodies may change while it is a draft and are frozen once it is published:
    what was posted must stay what the record says was posted.
    """
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL,
            title TEXT NOT NULL, lang TEXT NOT NULL,
            format TEXT NOT NULL CHECK (format IN ('md','txt','html')),
            template TEXT NOT NULL DEFAULT 'notice',
            context TEXT NOT NULL, office TEXT,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft','published','confirmed')),
            created_on TEXT NOT NULL,
            published_on TEXT, period_days INTEGER NOT NULL CHECK (period_days > 0),
            ends_on TEXT, chain_entry INTEGER, chain_head TEXT, confirmed_on TEXT,
            created_audit INTEGER REFERENCES audit_log(id),
            published_audit INTEGER REFERENCES audit_log(id),
            confirmed_audit INTEGER REFERENCES audit_log(id));
        CREATE INDEX notices_subject ON notices(subject);
        CREATE INDEX notices_status ON notices(status);
        CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
            WHEN OLD.status != 'draft'
            BEGIN SELECT RAISE(ABORT, 'a published notice is kept'); END;
        CREATE TRIGGER notices_published_frozen BEFORE UPDATE ON notices
            WHEN OLD.status != 'draft' AND (
                NEW.published_on IS NOT OLD.published_on OR NEW.ends_on IS NOT OLD.ends_on
                OR NEW.period_days IS NOT OLD.period_days OR NEW.context IS NOT OLD.context
                OR NEW.chain_head IS NOT OLD.chain_head OR NEW.office IS NOT OLD.office)
            BEGIN SELECT RAISE(ABORT, 'a published notice is frozen'); END;
        CREATE TABLE notice_bodies (
            notice INTEGER NOT NULL REFERENCES notices(id), lang TEXT NOT NULL,
            title TEXT NOT NULL, body TEXT NOT NULL, sha256 TEXT NOT NULL,
            PRIMARY KEY (notice, lang));
        CREATE TRIGGER notice_bodies_frozen_insert BEFORE INSERT ON notice_bodies
            WHEN (SELECT status FROM notices WHERE id = NEW.notice) != 'draft'
            BEGIN SELECT RAISE(ABORT, 'a published notice is frozen'); END;
        CREATE TRIGGER notice_bodies_frozen BEFORE UPDATE ON notice_bodies
            WHEN (SELECT status FROM notices WHERE id = OLD.notice) != 'draft'
            BEGIN SELECT RAISE(ABORT, 'a published notice is frozen'); END;
        CREATE TRIGGER notice_bodies_no_delete BEFORE DELETE ON notice_bodies
            WHEN (SELECT status FROM notices WHERE id = OLD.notice) != 'draft'
            BEGIN SELECT RAISE(ABORT, 'a published notice is kept'); END;
        CREATE TABLE notice_objections (
            id INTEGER PRIMARY KEY,
            notice INTEGER NOT NULL REFERENCES notices(id),
            received_on TEXT NOT NULL, channel TEXT NOT NULL, content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
            handling TEXT, resolved_by TEXT, resolved_on TEXT,
            recorded_audit INTEGER REFERENCES audit_log(id),
            resolved_audit INTEGER REFERENCES audit_log(id));
        CREATE INDEX objections_notice ON notice_objections(notice);
        """
    )


@core_migrations()
def m003_ballots(db: Database) -> None:
    """Voting rounds, rolls and attendance, ballots and marks (civic.ballots).

    Secrecy: `voting_electors` (who was due and came) and `voting_ballots`/`voting_marks` (what
    was voted) share no key; a ballot row is its number, with no elector and no time.
    `voting_marks` is clustered for the count (one ordered GROUP BY, no sort); `shape` packs its
    section's figures (see civic.ballots). A locked round refuses every change by trigger.
    """
    locked = "(SELECT status FROM voting_rounds WHERE id = {row}.round) = 'locked'"
    guard = "BEGIN SELECT RAISE(ABORT, 'the voting round is locked'); END"
    statements = [
        """CREATE TABLE voting_rounds (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','locked')),
            issued INTEGER CHECK (issued >= 0), returned INTEGER CHECK (returned >= 0))""",
        """CREATE TABLE voting_posts (
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            position TEXT NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY (round, position)) WITHOUT ROWID""",
        """CREATE TABLE voting_electors (
            id INTEGER PRIMARY KEY, round INTEGER NOT NULL REFERENCES voting_rounds(id),
            code TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL DEFAULT '',
            present INTEGER NOT NULL DEFAULT 0 CHECK (present IN (0, 1)),
            UNIQUE (round, code))""",
        # AUTOINCREMENT: a deleted ballot's id is never given again, so an entry batch's id
        # range (in its audit entry) keeps meaning the ballots of that batch.
        """CREATE TABLE voting_ballots (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            number INTEGER NOT NULL CHECK (number >= 1), UNIQUE (round, number))""",
        """CREATE TABLE voting_written (
            id INTEGER PRIMARY KEY, round INTEGER NOT NULL REFERENCES voting_rounds(id),
            position TEXT NOT NULL, text TEXT NOT NULL, mark_key TEXT NOT NULL,
            UNIQUE (round, position, text))""",
        # No REFERENCES here: checking two parents per row nearly doubles a 1e6-mark import;
        # civic.ballots writes marks only with their ballot, and checks them when locking.
        """CREATE TABLE voting_marks (
            round INTEGER NOT NULL, written INTEGER NOT NULL, shape INTEGER NOT NULL,
            ballot INTEGER NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY (round, written, shape, ballot, seq)) WITHOUT ROWID""",
        f"""CREATE TRIGGER voting_rounds_locked BEFORE UPDATE ON voting_rounds
            WHEN OLD.status = 'locked' {guard}""",
        """CREATE TRIGGER voting_rounds_no_delete BEFORE DELETE ON voting_rounds
            BEGIN SELECT RAISE(ABORT, 'voting rounds are kept'); END""",
    ]
    for table in ("voting_posts", "voting_electors", "voting_ballots", "voting_written",
                  "voting_marks"):
        for when, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            if (table, when) == ("voting_marks", "INSERT"):
                continue  # a mark needs a ballot, and ballots cannot be added (per row: slow)
            statements.append(
                f"CREATE TRIGGER {table}_locked_{when.lower()} BEFORE {when} ON {table}"
                f" WHEN {locked.format(row=row)} {guard}")
    for sql in statements:  # not executescript: it would commit the migration's transaction
        db.execute(sql)


@core_migrations()
def m004_schema_stamp(db: Database) -> None:
    """Which code last brought the schema up to date (see `civic.db.migrate`): a cache of
    that check, one row, so opening an up-to-date file need not load every migration set."""
    db.execute("CREATE TABLE schema_stamp (id INTEGER PRIMARY KEY CHECK (id = 1),"
               " stamp TEXT NOT NULL)")


@core_migrations()
def m005_operator_security(db: Database) -> None:
    """Operators' one-time setup codes, and a seal of the security tables for `audit verify`.

    An account an admin creates has no password until its person sets one with the setup
    code (stored as a scrypt hash, with its expiry). A file from before this migration has
    operator and setting rows no audited digest vouches for: one `core.security_sealed` entry
    records them as found, so `civic audit verify` notices any later change made outside civic.
    """
    import datetime as dt

    from civic import audit
    from civic.events import SecuritySealed

    db.execute("ALTER TABLE operators ADD COLUMN setup_hash TEXT")
    db.execute("ALTER TABLE operators ADD COLUMN setup_expires TEXT")
    ops, values = audit.security_rows(db)  # type: ignore[arg-type]
    if ops or values:
        now = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
        audit.append(db, actor="system", event=SecuritySealed(operators=ops, settings=values),
                     time=now)  # type: ignore[arg-type]


@core_migrations()
def m006_ballot_model(db: Database) -> None:
    """The ballot model for every mechanism (civic.contests, civic.tally), upgraded in place.

    - A round's posts become contests: seats (NULL on rounds made before: the mechanism's
      count rules say), a kind (`names`: written name choices; `values`: for/against/abstain
      per listed candidate with write-ins; `grades`: a grade from a declared scale per ratee),
      the scale, and an ordered candidate list (`voting_candidates`).
    - A round has a kind (first, next, runoff, revote, recall) and the round it continues.
    - Constituencies (elector categories: teachers, parents...) with registered count, a
      published weight and their figures. A ballot may carry its constituency, never its
      elector: electors keep their `category`, the ballot a `constituency` code.
    - A written mark has a value (`choice` for names; for/against/abstain/write_in; grade with
      the grade as written): `voting_written` is rebuilt for its wider UNIQUE key; its ids and
      rows are kept, so marks and digests of existing rounds stay as they were.
    - Tallies: totals a counting committee reports on paper, instead of individual ballots.
    """
    locked = "(SELECT status FROM voting_rounds WHERE id = {row}.round) = 'locked'"
    guard = "BEGIN SELECT RAISE(ABORT, 'the voting round is locked'); END"
    statements = [
        "ALTER TABLE voting_rounds ADD COLUMN kind TEXT NOT NULL DEFAULT 'first'"
        " CHECK (kind IN ('first','next','runoff','revote','recall'))",
        "ALTER TABLE voting_rounds ADD COLUMN parent INTEGER REFERENCES voting_rounds(id)",
        "ALTER TABLE voting_posts ADD COLUMN seats INTEGER CHECK (seats >= 1)",
        "ALTER TABLE voting_posts ADD COLUMN kind TEXT NOT NULL DEFAULT 'names'"
        " CHECK (kind IN ('names','values','grades'))",
        "ALTER TABLE voting_posts ADD COLUMN scale TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE voting_posts ADD COLUMN title TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE voting_ballots ADD COLUMN constituency TEXT",
        """CREATE TABLE voting_candidates (
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            contest TEXT NOT NULL, candidate TEXT NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY (round, contest, candidate)) WITHOUT ROWID""",
        """CREATE TABLE voting_constituencies (
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            code TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,
            registered INTEGER NOT NULL CHECK (registered >= 0),
            weight TEXT NOT NULL,
            present INTEGER CHECK (present >= 0), issued INTEGER CHECK (issued >= 0),
            returned INTEGER CHECK (returned >= 0),
            PRIMARY KEY (round, code)) WITHOUT ROWID""",
        """CREATE TABLE voting_tallies (
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            constituency TEXT NOT NULL, contest TEXT NOT NULL, candidate TEXT NOT NULL,
            for_votes INTEGER NOT NULL CHECK (for_votes >= 0),
            against_votes INTEGER NOT NULL CHECK (against_votes >= 0),
            abstain_votes INTEGER NOT NULL CHECK (abstain_votes >= 0),
            PRIMARY KEY (round, constituency, contest, candidate)) WITHOUT ROWID""",
        """CREATE TABLE voting_tally_contests (
            round INTEGER NOT NULL REFERENCES voting_rounds(id),
            constituency TEXT NOT NULL, contest TEXT NOT NULL,
            invalid INTEGER NOT NULL CHECK (invalid >= 0),
            PRIMARY KEY (round, constituency, contest)) WITHOUT ROWID""",
    ]
    for sql in statements:  # not executescript: it would commit the migration's transaction
        db.execute(sql)
    # voting_written with the mark's value in its key: rebuilt (SQLite cannot change a UNIQUE).
    for when in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER voting_written_locked_{when}")
    db.execute("""CREATE TABLE voting_written_new (
        id INTEGER PRIMARY KEY, round INTEGER NOT NULL REFERENCES voting_rounds(id),
        position TEXT NOT NULL, text TEXT NOT NULL, mark_key TEXT NOT NULL,
        value TEXT NOT NULL DEFAULT 'choice'
            CHECK (value IN ('choice','for','against','abstain','write_in','grade')),
        grade TEXT NOT NULL DEFAULT '',
        UNIQUE (round, position, value, grade, text))""")
    db.execute("INSERT INTO voting_written_new (id, round, position, text, mark_key)"
               " SELECT id, round, position, text, mark_key FROM voting_written")
    db.execute("DROP TABLE voting_written")
    db.execute("ALTER TABLE voting_written_new RENAME TO voting_written")
    for table in ("voting_written", "voting_candidates", "voting_constituencies",
                  "voting_tallies", "voting_tally_contests"):
        for when, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            db.execute(
                f"CREATE TRIGGER {table}_locked_{when.lower()} BEFORE {when} ON {table}"
                f" WHEN {locked.format(row=row)} {guard}")


@core_migrations()
def m007_person_facts(db: Database) -> None:
    """A person's facts (civic.facts): dated records one mechanism writes and others read.

    Both tables are append-only history: a fact is never changed; ending it early or
    replacing it (an appeal, a correction) is a row of `person_fact_ends`, at most one per fact.
    `until` is the first day a fact no longer holds (NULL: open-ended).
    """
    for sql in (
        """CREATE TABLE person_facts (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL REFERENCES people(code),
            kind TEXT NOT NULL
                CHECK (kind IN ('grade','restriction','training_status','term')),
            value TEXT NOT NULL,
            valid_from TEXT NOT NULL, until TEXT CHECK (until IS NULL OR until > valid_from),
            source_plugin TEXT NOT NULL, source_ref TEXT NOT NULL,
            rule TEXT, note TEXT, data TEXT NOT NULL DEFAULT '{}',
            audit_id INTEGER NOT NULL REFERENCES audit_log(id))""",
        "CREATE INDEX person_facts_person ON person_facts(person, kind)",
        "CREATE INDEX person_facts_kind ON person_facts(kind, valid_from)",
        """CREATE TABLE person_fact_ends (
            fact INTEGER PRIMARY KEY REFERENCES person_facts(id),
            ended_on TEXT NOT NULL, reason TEXT NOT NULL,
            superseded_by INTEGER REFERENCES person_facts(id),
            audit_id INTEGER NOT NULL REFERENCES audit_log(id))""",
    ):
        db.execute(sql)
    for table in ("person_facts", "person_fact_ends"):
        for when in ("UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_no_{when.lower()} BEFORE {when} ON {table}"
                       f" BEGIN SELECT RAISE(ABORT, '{table} is append-only history'); END")


@core_migrations()
def m008_pinyin(db: Database) -> None:
    """Pinyin search keys for people (civic.pinyin): a derived index, not history, so it is
    rebuilt, not audited. Triggers drop the key of a renamed or removed person."""
    from civic.pinyin import refresh

    db.execute("CREATE TABLE people_pinyin (code TEXT PRIMARY KEY, keys TEXT NOT NULL)")
    db.execute("CREATE TRIGGER people_pinyin_renamed AFTER UPDATE OF name, code ON people"
               " BEGIN DELETE FROM people_pinyin WHERE code = old.code; END")
    db.execute("CREATE TRIGGER people_pinyin_removed AFTER DELETE ON people"
               " BEGIN DELETE FROM people_pinyin WHERE code = old.code; END")
    refresh(db)
