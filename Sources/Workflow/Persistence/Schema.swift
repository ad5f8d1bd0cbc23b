import GRDB

/// The database schema as named, append-only migrations.
/// Frozen once shipped: never edit a registered migration, append a new one below. A migration is literal text: it
/// reads no constant of today's code (a constant may change; the schema it made may not), so its SQL says exactly what
/// it did then. `SchemaFreezeTests` compares a fresh database's `sqlite_master` with a checked-in copy: a change to an
/// old migration fails there. Every trigger is made by a migration (code may drop and recreate one around a bulk load
/// or to repair it, from the constants below, whose text a test compares with what the migrations made).
public enum Schema {
    /// Secondary indexes on `service_case` as the v1 migration made them (its text, repeated here so a bulk load
    /// can drop and rebuild them; a test checks each against a migrated database). Each serves a console or CLI
    /// query (named beside it).
    public static let caseIndexes: [(name: String, sql: String)] = [
        // The open-case indexes are partial (open cases are a few percent of all), so they can afford to
        // cover what the console counts: queue sections, due soon, overdue, new, without touching the table.
        // intake / shift lead queues, by deadline
        ("case_open_monitor", "CREATE INDEX case_open_monitor ON service_case(monitor_center, state, deadline, confirmed, warn_at, reported_at) WHERE is_open = 1"),
        // dispatcher queues, pending requests
        ("case_open_command", "CREATE INDEX case_open_command ON service_case(command_center, state, deadline, pending_kind, warn_at, reported_at) WHERE is_open = 1"),
        // department's work list (per district unit)
        ("case_open_department", "CREATE INDEX case_open_department ON service_case(department, state, deadline, district_code, pending_kind, warn_at, reported_at) WHERE is_open = 1"),
        // inspector's verify and check tasks
        ("case_open_assignee", "CREATE INDEX case_open_assignee ON service_case(assignee, state) WHERE is_open = 1"),
        // per-cell counts of open and overdue cases (grid map)
        ("case_open_cell", "CREATE INDEX case_open_cell ON service_case(cell_code, state, deadline) WHERE is_open = 1"),
        // open cases of a district (district supervisors), by deadline
        ("case_open_district", "CREATE INDEX case_open_district ON service_case(district_code, state, deadline, warn_at, reported_at) WHERE is_open = 1"),
        // overdue and due-soon lists
        ("case_open_deadline", "CREATE INDEX case_open_deadline ON service_case(deadline) WHERE is_open = 1"),
        // approvals inbox
        ("case_pending", "CREATE INDEX case_pending ON service_case(command_center, state, pending_at) WHERE pending_kind IS NOT NULL"),
        // listing by state (closed, cancelled) newest first
        ("case_state_reported", "CREATE INDEX case_state_reported ON service_case(state, reported_at)"),
        // time windows by cell (heatmaps) and evaluation periods
        ("case_cell_reported", "CREATE INDEX case_cell_reported ON service_case(cell_code, reported_at)"),
        // new today per cell (map), evaluation periods
        ("case_reported", "CREATE INDEX case_reported ON service_case(reported_at, cell_code)"),
        // reports of one category per cell over a window (the map's category measure), covering: "v18 category window index"
        ("case_category_reported", "CREATE INDEX case_category_reported ON service_case(kind, category_code, reported_at, cell_code)"),
    ]

    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1 site, regions, categories, centers, operators") { db in
            try db.execute(sql: """
                CREATE TABLE site (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE patrol_area (
                    id TEXT PRIMARY KEY NOT NULL,
                    community_code TEXT NOT NULL,
                    name TEXT NOT NULL
                );
                CREATE TABLE region (
                    code TEXT PRIMARY KEY NOT NULL,
                    level TEXT NOT NULL CHECK (level IN ('city','district','street','community','cell')),
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    parent_code TEXT REFERENCES region(code),
                    district_code TEXT,
                    grid_row INTEGER,
                    grid_col INTEGER,
                    lat REAL,
                    lon REAL,
                    patrol_area TEXT REFERENCES patrol_area(id),
                    CHECK (level <> 'cell' OR (length(code) = 15 AND grid_row IS NOT NULL AND grid_col IS NOT NULL))
                );
                CREATE INDEX region_parent ON region(parent_code);
                CREATE INDEX region_level ON region(level, code);
                CREATE INDEX region_patrol ON region(patrol_area);
                CREATE UNIQUE INDEX region_cell_position ON region(grid_row, grid_col) WHERE level = 'cell';
                CREATE TABLE department (
                    code TEXT PRIMARY KEY NOT NULL,
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    scope TEXT NOT NULL DEFAULT ''
                );
                CREATE TABLE category (
                    kind TEXT NOT NULL CHECK (kind IN ('component','event')),
                    code TEXT NOT NULL CHECK (length(code) = 4),
                    large_code TEXT NOT NULL,
                    large_name_zh TEXT NOT NULL,
                    large_name_en TEXT NOT NULL,
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL,
                    department TEXT NOT NULL REFERENCES department(code),
                    urgent INTEGER NOT NULL,
                    limit_value REAL NOT NULL,
                    limit_unit TEXT NOT NULL CHECK (limit_unit IN ('hours','working_hours','working_days')),
                    PRIMARY KEY (kind, code)
                );
                CREATE TABLE center (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('monitoring','command')),
                    tier TEXT NOT NULL CHECK (tier IN ('city','district')),
                    region_code TEXT NOT NULL REFERENCES region(code),
                    name_zh TEXT NOT NULL,
                    name_en TEXT NOT NULL
                );
                CREATE TABLE operator (
                    id INTEGER PRIMARY KEY,
                    login TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('inspector','intake','shift-lead','dispatcher','department','supervisor','admin')),
                    center_id TEXT REFERENCES center(id),
                    department_code TEXT REFERENCES department(code),
                    region_code TEXT NOT NULL REFERENCES region(code),
                    tier TEXT NOT NULL CHECK (tier IN ('city','district')),
                    patrol_area TEXT REFERENCES patrol_area(id),
                    active INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX operator_center ON operator(center_id, role);
                CREATE INDEX operator_patrol ON operator(patrol_area);
                CREATE TABLE component (
                    id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16),
                    category_code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    department TEXT NOT NULL REFERENCES department(code),
                    cell_code TEXT NOT NULL REFERENCES region(code),
                    state TEXT NOT NULL CHECK (state IN ('intact','damaged','missing','abandoned','removed')),
                    updated_at INTEGER NOT NULL
                );
                CREATE INDEX component_cell ON component(cell_code);
                CREATE TABLE calendar_day (
                    date TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('holiday','workday'))
                );
                """)
        }

        migrator.registerMigration("v1 cases, reports, history") { db in
            try db.execute(sql: """
                CREATE TABLE service_case (
                    id INTEGER PRIMARY KEY,
                    state TEXT NOT NULL CHECK (state IN ('reported','verifying','accepted','filed','dispatched','handled','checking','checked','closed','cancelled','suspended')),
                    is_open INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    category_code TEXT NOT NULL,
                    cell_code TEXT NOT NULL REFERENCES region(code),
                    community_code TEXT NOT NULL,
                    street_code TEXT NOT NULL,
                    district_code TEXT NOT NULL,
                    component_id TEXT REFERENCES component(id),
                    source TEXT NOT NULL,
                    description TEXT NOT NULL,
                    reported_at INTEGER NOT NULL,
                    monitor_center TEXT NOT NULL REFERENCES center(id),
                    command_center TEXT REFERENCES center(id),
                    department TEXT REFERENCES department(code),
                    assignee INTEGER REFERENCES operator(id),
                    confirmed INTEGER NOT NULL,
                    urgent INTEGER NOT NULL,
                    stage_started_at INTEGER NOT NULL,
                    deadline INTEGER,
                    warn_at INTEGER,
                    budget_minutes INTEGER NOT NULL,
                    frozen_remaining INTEGER,
                    handled_late INTEGER NOT NULL DEFAULT 0,
                    filed_at INTEGER,
                    dispatched_at INTEGER,
                    handled_at INTEGER,
                    closed_at INTEGER,
                    close_type TEXT CHECK (close_type IN ('normal','overdue','error','special')),
                    rework_count INTEGER NOT NULL DEFAULT 0,
                    return_count INTEGER NOT NULL DEFAULT 0,
                    extension_count INTEGER NOT NULL DEFAULT 0,
                    urge_count INTEGER NOT NULL DEFAULT 0,
                    escalated INTEGER NOT NULL DEFAULT 0,
                    pending_kind TEXT CHECK (pending_kind IN ('return','extension','suspension')),
                    pending_hours REAL,
                    pending_note TEXT,
                    pending_by INTEGER REFERENCES operator(id),
                    pending_at INTEGER,
                    last_event_at INTEGER NOT NULL,
                    FOREIGN KEY (kind, category_code) REFERENCES category(kind, code),
                    CHECK (is_open = (state NOT IN ('closed','cancelled')))
                );
                CREATE TABLE report (
                    id INTEGER PRIMARY KEY,
                    case_id INTEGER NOT NULL REFERENCES service_case(id),
                    original_case_id INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    reporter_id INTEGER REFERENCES operator(id),
                    reporter_name TEXT,
                    reporter_phone TEXT,
                    description TEXT NOT NULL,
                    reported_at INTEGER NOT NULL,
                    cell_code TEXT NOT NULL
                );
                CREATE INDEX report_case ON report(case_id);
                -- Clustered by case: a case's history is one range of one B-tree, and a load that appends
                -- cases in order writes each page once (no separate index to keep).
                CREATE TABLE history (
                    case_id INTEGER NOT NULL REFERENCES service_case(id),
                    seq INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    actor_id INTEGER REFERENCES operator(id),
                    role TEXT,
                    center_id TEXT,
                    action TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    target TEXT,
                    note TEXT,
                    late INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (case_id, seq)
                ) WITHOUT ROWID;
                -- History is the record of who did what: append-only, whatever client writes.
                CREATE TRIGGER history_no_update BEFORE UPDATE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed'); END;
                CREATE TRIGGER history_no_delete BEFORE DELETE ON history
                BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted'); END;
                CREATE INDEX case_open_monitor ON service_case(monitor_center, state, deadline, confirmed, warn_at, reported_at) WHERE is_open = 1;
                CREATE INDEX case_open_command ON service_case(command_center, state, deadline, pending_kind, warn_at, reported_at) WHERE is_open = 1;
                CREATE INDEX case_open_department ON service_case(department, state, deadline, district_code, pending_kind, warn_at, reported_at) WHERE is_open = 1;
                CREATE INDEX case_open_assignee ON service_case(assignee, state) WHERE is_open = 1;
                CREATE INDEX case_open_cell ON service_case(cell_code, state, deadline) WHERE is_open = 1;
                CREATE INDEX case_open_district ON service_case(district_code, state, deadline, warn_at, reported_at) WHERE is_open = 1;
                CREATE INDEX case_open_deadline ON service_case(deadline) WHERE is_open = 1;
                CREATE INDEX case_pending ON service_case(command_center, state, pending_at) WHERE pending_kind IS NOT NULL;
                CREATE INDEX case_state_reported ON service_case(state, reported_at);
                CREATE INDEX case_cell_reported ON service_case(cell_code, reported_at);
                CREATE INDEX case_reported ON service_case(reported_at, cell_code);
                """)
        }

        // Evaluation (docs/evaluation.md): scoring weights and bands as site configuration, seeded with the
        // primer's figures; daily rollups of the counts every indicator is made of; the queue of history rows
        // not yet in the rollups. The trigger that fills the queue was then created with the first rollup build
        // (`CityStore.refreshEvaluation`); since v12 a migration makes it.
        migrator.registerMigration("v2 evaluation weights, bands, rollups") { db in
            try db.execute(sql: """
                CREATE TABLE evaluation_weight (
                    subject TEXT NOT NULL CHECK (subject IN ('inspector','shift-lead','dispatcher','region','department')),
                    indicator TEXT NOT NULL,
                    weight REAL NOT NULL CHECK (weight >= 0),
                    PRIMARY KEY (subject, indicator)
                );
                INSERT INTO evaluation_weight(subject, indicator, weight) VALUES
                    ('inspector', 'valid_report_rate', 40), ('inspector', 'missed_report_rate', 20),
                    ('inspector', 'on_time_verify_rate', 20), ('inspector', 'on_time_check_rate', 20),
                    ('shift-lead', 'on_time_filing_rate', 25), ('shift-lead', 'accurate_filing_rate', 40),
                    ('shift-lead', 'on_time_closing_rate', 35),
                    ('dispatcher', 'dispatch_volume', 20), ('dispatcher', 'on_time_dispatch_rate', 40),
                    ('dispatcher', 'accurate_dispatch_rate', 40),
                    ('region', 'public_report_share', 10), ('region', 'cases_filed', 20),
                    ('region', 'closure_rate', 30), ('region', 'on_time_closure_rate', 40),
                    ('department', 'cases_handled', 10), ('department', 'closure_rate', 30),
                    ('department', 'on_time_handling_rate', 30), ('department', 'rework_rate', 30);
                CREATE TABLE evaluation_band (
                    band TEXT PRIMARY KEY NOT NULL,
                    min_score REAL NOT NULL
                );
                INSERT INTO evaluation_band(band, min_score) VALUES ('A', 90), ('B', 75), ('C', 60), ('D', 40), ('E', 0);
                CREATE TABLE eval_state (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE eval_pending (
                    case_id INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    PRIMARY KEY (case_id, seq)
                ) WITHOUT ROWID;
                -- One row per (dim, local day, key): dim district/street/community/cell/category/department/operator;
                -- day = days since 1970-01-01 in the site's time zone; counters as in EvaluationCounter, stage
                -- counts and seconds as t_<stage>_n / t_<stage>_s; hist = StageHistogram.encoded.
                CREATE TABLE eval_rollup (
                    dim TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    reports INTEGER NOT NULL DEFAULT 0, reports_public INTEGER NOT NULL DEFAULT 0,
                    reports_valid INTEGER NOT NULL DEFAULT 0, reports_invalid INTEGER NOT NULL DEFAULT 0,
                    reports_merged INTEGER NOT NULL DEFAULT 0, verified INTEGER NOT NULL DEFAULT 0,
                    verified_late INTEGER NOT NULL DEFAULT 0, filed INTEGER NOT NULL DEFAULT 0,
                    filed_late INTEGER NOT NULL DEFAULT 0, filed_by_others INTEGER NOT NULL DEFAULT 0,
                    filed_void INTEGER NOT NULL DEFAULT 0, dispatched INTEGER NOT NULL DEFAULT 0,
                    dispatched_late INTEGER NOT NULL DEFAULT 0, dispatched_to_department INTEGER NOT NULL DEFAULT 0,
                    dispatch_returned INTEGER NOT NULL DEFAULT 0, handled INTEGER NOT NULL DEFAULT 0,
                    handled_late INTEGER NOT NULL DEFAULT 0, checked INTEGER NOT NULL DEFAULT 0,
                    checked_late INTEGER NOT NULL DEFAULT 0, check_failed INTEGER NOT NULL DEFAULT 0,
                    closed INTEGER NOT NULL DEFAULT 0, closed_on_time INTEGER NOT NULL DEFAULT 0,
                    close_late INTEGER NOT NULL DEFAULT 0, assigned INTEGER NOT NULL DEFAULT 0,
                    assigned_closed INTEGER NOT NULL DEFAULT 0, assigned_cancelled INTEGER NOT NULL DEFAULT 0,
                    assigned_suspended INTEGER NOT NULL DEFAULT 0, assigned_reworked INTEGER NOT NULL DEFAULT 0,
                    urged INTEGER NOT NULL DEFAULT 0, extended INTEGER NOT NULL DEFAULT 0,
                    suspensions INTEGER NOT NULL DEFAULT 0, escalated INTEGER NOT NULL DEFAULT 0,
                    t_intake_n INTEGER NOT NULL DEFAULT 0, t_intake_s INTEGER NOT NULL DEFAULT 0,
                    t_verify_n INTEGER NOT NULL DEFAULT 0, t_verify_s INTEGER NOT NULL DEFAULT 0,
                    t_filing_n INTEGER NOT NULL DEFAULT 0, t_filing_s INTEGER NOT NULL DEFAULT 0,
                    t_dispatch_n INTEGER NOT NULL DEFAULT 0, t_dispatch_s INTEGER NOT NULL DEFAULT 0,
                    t_handling_n INTEGER NOT NULL DEFAULT 0, t_handling_s INTEGER NOT NULL DEFAULT 0,
                    t_send_check_n INTEGER NOT NULL DEFAULT 0, t_send_check_s INTEGER NOT NULL DEFAULT 0,
                    t_check_n INTEGER NOT NULL DEFAULT 0, t_check_s INTEGER NOT NULL DEFAULT 0,
                    t_closing_n INTEGER NOT NULL DEFAULT 0, t_closing_s INTEGER NOT NULL DEFAULT 0,
                    t_suspension_n INTEGER NOT NULL DEFAULT 0, t_suspension_s INTEGER NOT NULL DEFAULT 0,
                    t_total_n INTEGER NOT NULL DEFAULT 0, t_total_s INTEGER NOT NULL DEFAULT 0,
                    hist BLOB,
                    PRIMARY KEY (dim, day, key)
                ) WITHOUT ROWID;
                """)
        }

        // Shift leads' bulk actions (issue 6): one row per batch and one per case it touched, with the case as it
        // was before, so `bulk undo` knows exactly what to reverse. History stays the record; these rows only
        // point into it. The partial index finds escalations and returns for handovers without scanning history.
        migrator.registerMigration("v3 bulk action batches, escalation index") { db in
            try db.execute(sql: """
                CREATE TABLE bulk_batch (
                    id INTEGER PRIMARY KEY,
                    actor_id INTEGER NOT NULL REFERENCES operator(id),
                    action TEXT NOT NULL,
                    target TEXT,
                    note TEXT,
                    selection TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    case_count INTEGER NOT NULL,
                    undone_at INTEGER,
                    undone_by INTEGER REFERENCES operator(id)
                );
                CREATE INDEX bulk_batch_actor ON bulk_batch(actor_id, id);
                CREATE TABLE bulk_item (
                    batch_id INTEGER NOT NULL REFERENCES bulk_batch(id),
                    case_id INTEGER NOT NULL REFERENCES service_case(id),
                    history_seq INTEGER NOT NULL,
                    before TEXT NOT NULL,
                    PRIMARY KEY (batch_id, case_id)
                ) WITHOUT ROWID;
                CREATE INDEX history_escalation ON history(at) WHERE action IN ('escalate', 'return-to-district');
                """)
        }

        // Intake: where each report was first filed, for exports (a case's original reporter) and unmerge
        // (which reports travelled with a merged case).
        migrator.registerMigration("v4 report original case index") { db in
            try db.execute(sql: "CREATE INDEX report_original ON report(original_case_id, id)")
        }

        // Open311 GeoReport v2 (issue 7): api keys the admin issues (only a salted SHA-256 of each key is kept) and
        // one row per public request: its token and the requester's private contact details, never returned.
        migrator.registerMigration("v5 open311 api keys and request tokens") { db in
            try db.execute(sql: """
                CREATE TABLE api_key (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    prefix TEXT NOT NULL UNIQUE,
                    salt TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE TABLE open311_request (
                    case_id INTEGER PRIMARY KEY REFERENCES service_case(id),
                    token TEXT NOT NULL UNIQUE,
                    api_key_id INTEGER NOT NULL REFERENCES api_key(id),
                    address TEXT,
                    lat REAL,
                    lon REAL,
                    email TEXT,
                    first_name TEXT,
                    last_name TEXT,
                    phone TEXT,
                    device_id TEXT,
                    account_id TEXT,
                    created_at INTEGER NOT NULL
                );
                """)
        }

        // Open311 `media_url`: the link to a picture a public request came with, returned with the request.
        migrator.registerMigration("v6 open311 media url") { db in
            try db.execute(sql: "ALTER TABLE open311_request ADD COLUMN media_url TEXT")
        }

        // The history's hash chain (issue 13, docs/integrity.md): every row gets its place in the chain and its hash;
        // existing rows are chained here in (case, seq) order, which needs the update trigger out of the way for the
        // moment. A row that would replace another, or that does not extend the chain, is refused whatever client
        // writes it (REPLACE deletes the old row without firing delete triggers, hence a check before the insert).
        // An update trigger found missing is left missing, so the check on open (CityStore+Integrity.swift) reports it.
        migrator.registerMigration("v7 history hash chain") { db in
            let guarded = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'history_no_update'") ?? false
            try db.execute(sql: """
                ALTER TABLE history ADD COLUMN chain_seq INTEGER;
                ALTER TABLE history ADD COLUMN chain_hash BLOB;
                DROP TRIGGER IF EXISTS history_no_update;
                """)
            try HistoryChain.chainExistingRows(db)
            if guarded {
                try db.execute(sql: """
                    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
                    BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed'); END
                    """)
            }
            try db.execute(sql: """
                CREATE UNIQUE INDEX history_chain ON history(chain_seq);
                CREATE TRIGGER history_no_replace BEFORE INSERT ON history
                WHEN EXISTS (SELECT 1 FROM history WHERE case_id = NEW.case_id AND seq = NEW.seq)
                BEGIN SELECT RAISE(ABORT, 'history is append-only: a row cannot be replaced'); END;
                CREATE TRIGGER history_chain_append BEFORE INSERT ON history
                WHEN NEW.chain_seq IS NOT ifnull((SELECT max(chain_seq) FROM history), 0) + 1
                    OR typeof(NEW.chain_hash) <> 'blob' OR length(NEW.chain_hash) <> 32
                BEGIN SELECT RAISE(ABORT, 'history rows must extend the hash chain: append them with citygrid'); END;
                """)
        }

        // Batched imports (issue 13): each batch records how far the file is imported in the same transaction as its
        // rows, so an import that dies can be resumed exactly after its last committed line, and a rerun of the same
        // file is refused. A file is its content's SHA-256 and size; at most one unfinished import per file and kind.
        migrator.registerMigration("v8 import progress") { db in
            try db.execute(sql: """
                CREATE TABLE import_progress (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('reports', 'grid', 'components')),
                    file_sha256 TEXT NOT NULL,
                    file_size INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    batch_size INTEGER NOT NULL,
                    through_line INTEGER NOT NULL DEFAULT 0,
                    records INTEGER NOT NULL DEFAULT 0,
                    imported INTEGER NOT NULL DEFAULT 0,
                    rejected INTEGER NOT NULL DEFAULT 0,
                    batches INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'abandoned')),
                    started_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX import_progress_running ON import_progress(kind, file_sha256, file_size) WHERE state = 'running';
                CREATE INDEX import_progress_file ON import_progress(file_sha256, file_size, kind, id);
                """)
        }

        // The time window (issue 13): how many years before the calendar's start (or the site's creation) and how
        // many minutes after the clock a time may lie (see TimeWindow). One row; the checks keep it sane.
        migrator.registerMigration("v9 time window") { db in
            try db.execute(sql: """
                CREATE TABLE time_window (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    past_years INTEGER NOT NULL DEFAULT 10 CHECK (typeof(past_years) = 'integer' AND past_years BETWEEN 0 AND 100),
                    future_minutes INTEGER NOT NULL DEFAULT 5 CHECK (typeof(future_minutes) = 'integer' AND future_minutes BETWEEN 0 AND 1440),
                    site_created_at INTEGER CHECK (site_created_at IS NULL OR typeof(site_created_at) = 'integer')
                );
                INSERT INTO time_window(id) VALUES (1);
                """)
        }

        // Sign-in (issue 14, docs/security.md). Operators: whether disabled (`active` = 0 already means it), the Unix
        // account they are bound to, a password hash (scrypt, its parameters and salt in the text). Their SSH keys. How
        // each history row's actor was identified (`via`, part of the hash chain when set). The site's access mode is a
        // `site` key (`access`: open or signed), as is `session.idle_lock_minutes`. An append-only `audit` of sign-ins,
        // failures, locks and administration. `signin_session`: a session a server (serve-ssh) started for a program
        // it runs, found by a token only that program was given (only its SHA-256 is kept).
        migrator.registerMigration("v10 sign-in, audit") { db in
            try db.execute(sql: """
                ALTER TABLE operator ADD COLUMN unix_user TEXT;
                ALTER TABLE operator ADD COLUMN password_hash TEXT;
                ALTER TABLE operator ADD COLUMN disabled_at INTEGER;
                CREATE UNIQUE INDEX operator_unix_user ON operator(unix_user) WHERE unix_user IS NOT NULL;
                CREATE TABLE operator_key (
                    id INTEGER PRIMARY KEY,
                    operator_id INTEGER NOT NULL REFERENCES operator(id),
                    algorithm TEXT NOT NULL,
                    key_base64 TEXT NOT NULL,
                    fingerprint TEXT NOT NULL UNIQUE,
                    comment TEXT NOT NULL DEFAULT '',
                    added_at INTEGER NOT NULL
                );
                CREATE INDEX operator_key_operator ON operator_key(operator_id);
                ALTER TABLE history ADD COLUMN via TEXT;
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    event TEXT NOT NULL,
                    login TEXT,
                    via TEXT,
                    by_login TEXT,
                    address TEXT,
                    detail TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX audit_login ON audit(login, id);
                CREATE INDEX audit_at ON audit(at);
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit is append-only: rows cannot be changed'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'the audit is append-only: rows cannot be deleted'); END;
                CREATE TABLE signin_session (
                    token_sha256 TEXT PRIMARY KEY NOT NULL,
                    operator_id INTEGER NOT NULL REFERENCES operator(id),
                    via TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                """)
            // A site made before sign-in existed keeps working as it did: open.
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM site WHERE key = 'model'") ?? 0 > 0 {
                try db.execute(sql: "INSERT OR IGNORE INTO site(key, value) VALUES ('access', 'open')")
            }
        }

        // Departments' units (issue 14, docs/setup.md): which unit of a department handles its cases in each district
        // (东城区供水所 for the water company in Dongcheng). `doctor` wants one for every department a category names, in
        // every district.
        migrator.registerMigration("v11 department units") { db in
            try db.execute(sql: """
                CREATE TABLE department_unit (
                    department_code TEXT NOT NULL REFERENCES department(code),
                    district_code TEXT NOT NULL REFERENCES region(code),
                    unit_name TEXT NOT NULL,
                    PRIMARY KEY (department_code, district_code)
                ) WITHOUT ROWID;
                """)
        }

        // The evaluation's queue (docs/evaluation.md, "Storage"): every history row appended once the rollups are built
        // is queued in `eval_pending`. Until v12 the first rollup build created this trigger, outside the migrator;
        // now the migration makes it, and it queues only while `eval_state` says rollups exist, which is what its
        // presence meant before: a database whose rollups were built queues as it did, one never built does not.
        // A bulk load into a new file (`createForBulkLoad`) drops it while it appends; the rollup build and
        // `finishBulkLoad` make it again (`Schema.evaluationQueue`, the same text).
        migrator.registerMigration("v12 evaluation queue trigger") { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS eval_queue;
                CREATE TRIGGER eval_queue AFTER INSERT ON history
                WHEN EXISTS (SELECT 1 FROM eval_state WHERE key = 'version')
                BEGIN INSERT OR IGNORE INTO eval_pending(case_id, seq) VALUES (NEW.case_id, NEW.seq); END;
                """)
        }

        // Window heatmaps (issue 16): each local day's stamp, raised whenever a rollup refresh or build changes that day's
        // rollups, so that a reader holding per-day per-cell figures in memory re-reads only the days that changed
        // (`WindowFigureCache`). A day with rollups and no stamp has not changed since this migration.
        migrator.registerMigration("v13 evaluation day stamps") { db in
            try db.execute(sql: """
                CREATE TABLE eval_day_stamp (
                    day INTEGER PRIMARY KEY NOT NULL,
                    stamp INTEGER NOT NULL
                );
                """)
        }
        // Issues 17 and 18, each in a file of its own beside this one: follow-ups (Schema+FollowUps.swift), rosters and
        // patrol pings (Schema+Patrol.swift), components and censuses (Schema+Components.swift), the accountability
        // register (Schema+Accountability.swift).
        registerFollowUps(&migrator)
        registerPatrolMigration(&migrator)
        registerComponentMigrations(&migrator)
        registerAccountability(&migrator)

        // The map's category measure (issue 16): a category's reports per cell over a window are read from this index
        // alone, without the table (a month of the commonest category on a million cases: seconds before, tens of ms).
        migrator.registerMigration("v18 category window index") { db in
            try db.execute(sql: "CREATE INDEX case_category_reported ON service_case(kind, category_code, reported_at, cell_code)")
        }

        // Handling below the district (issue 18): streets, towns and communities as handling units, community-level
        // categories, towns, and the closes below the district in the rollups (Schema+BelowDistrict.swift).
        registerBelowDistrict(&migrator)
        // Hotline lines and the priority mark (issue 18), in Schema+Channels.swift.
        registerChannels(&migrator)
        registerHeadlineIndicators(&migrator)

        return migrator
    }

    /// The evaluation queue's trigger as "v12 evaluation queue trigger" made it: what a bulk load drops while it
    /// appends and what the rollup build recreates when it is missing (a test compares it with a migrated database).
    static let evaluationQueue = (name: "eval_queue", sql: """
        CREATE TRIGGER eval_queue AFTER INSERT ON history
        WHEN EXISTS (SELECT 1 FROM eval_state WHERE key = 'version')
        BEGIN INSERT OR IGNORE INTO eval_pending(case_id, seq) VALUES (NEW.case_id, NEW.seq); END
        """)

    /// The guards of the history table as the latest migration made them (name, type, SQL): what `verify` and
    /// `doctor` expect, what the open check looks for, and what `verify --restore-triggers` recreates. A migration that
    /// changes them must change this list too (a test compares it, whitespace aside, with a migrated database).
    public static let historyGuards: [(name: String, type: String, sql: String)] = [
        ("history_no_update", "trigger", "CREATE TRIGGER history_no_update BEFORE UPDATE ON history "
            + "BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed'); END"),
        ("history_no_delete", "trigger", "CREATE TRIGGER history_no_delete BEFORE DELETE ON history "
            + "BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted'); END"),
        ("history_no_replace", "trigger", "CREATE TRIGGER history_no_replace BEFORE INSERT ON history "
            + "WHEN EXISTS (SELECT 1 FROM history WHERE case_id = NEW.case_id AND seq = NEW.seq) "
            + "BEGIN SELECT RAISE(ABORT, 'history is append-only: a row cannot be replaced'); END"),
        ("history_chain_append", "trigger", "CREATE TRIGGER history_chain_append BEFORE INSERT ON history "
            + "WHEN NEW.chain_seq IS NOT ifnull((SELECT max(chain_seq) FROM history), 0) + 1 "
            + "OR typeof(NEW.chain_hash) <> 'blob' OR length(NEW.chain_hash) <> 32 "
            + "BEGIN SELECT RAISE(ABORT, 'history rows must extend the hash chain: append them with citygrid'); END"),
        ("history_chain", "index", "CREATE UNIQUE INDEX history_chain ON history(chain_seq)"),
    ]

    /// The two guards a bulk load into a new file (the demo seeder) leaves out while it appends, and creates at its end.
    package static let historyInsertGuards = historyGuards.filter { ["history_no_replace", "history_chain_append"].contains($0.name) }
}
