import Foundation
import GRDB
import Testing
@testable import Workflow

/// Shipped migrations are frozen: a fresh database's schema (and the rows migrations put in it) equals the text
/// checked in below. A change to an old migration, or to a constant one used to read, fails here; a new migration
/// changes the text on purpose (paste the new dump, printed on failure, after reading it).
@Suite struct SchemaFreezeTests {
    /// Every object of the schema (GRDB's own table aside), and every row the migrations wrote.
    static func dump(_ db: Database, rows: Bool = true) throws -> String {
        var lines: [String] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> 'grdb_migrations' ORDER BY tbl_name, type DESC, name
            """) {
            let sql: String? = row["sql"]
            lines.append("-- \(row["type"] as String) \(row["name"] as String) on \(row["tbl_name"] as String)")
            lines.append((sql ?? "(no sql)") + ";")
        }
        if rows {
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY 1, 2") {
                    lines.append("-- row \(table): " + row.databaseValues.map(\.description).joined(separator: ", "))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func aFreshDatabaseHasExactlyTheCheckedInSchema() throws {
        let store = try CityStore.inMemory()
        let actual = try store.read { db in try Self.dump(db) }
        if actual != Self.expected {
            let lines = (actual.split(separator: "\n", omittingEmptySubsequences: false), Self.expected.split(separator: "\n", omittingEmptySubsequences: false))
            let first = Array(zip(lines.0, lines.1)).firstIndex { $0.0 != $0.1 } ?? min(lines.0.count, lines.1.count)
            Issue.record("the schema differs from the checked-in one from line \(first + 1): \(first < lines.0.count ? String(lines.0[first]) : "(end)") — whole dump:\n\(actual)")
        }
    }

    @Test func theConstantsCodeRecreatesObjectsFromAreWhatTheMigrationsMade() throws {
        let store = try CityStore.inMemory()
        let stored = try store.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").map {
                ($0["name"] as String, $0["sql"] as String)
            })
        }
        for index in Schema.caseIndexes { #expect(stored[index.name] == index.sql, "\(index.name)") }
        #expect(stored[Schema.evaluationQueue.name] == Schema.evaluationQueue.sql)
    }

    @Test func aDatabaseMadeBeforeV12OpensWithTheSameSchemaAndKeepsQueueing() throws {
        for built in [false, true] {
            let path = StoreTests.temporaryPath()
            do {
                let queue = try DatabaseQueue(path: path)
                try Schema.migrator.migrate(queue, upTo: "v11 department units")
                if built {
                    // What the first rollup build did before v12: its state, and the trigger made outside the migrator.
                    try queue.write { db in
                        try db.execute(sql: """
                            INSERT INTO eval_state(key, value) VALUES ('version', '1'), ('zone', 'Asia/Shanghai');
                            CREATE TRIGGER IF NOT EXISTS eval_queue AFTER INSERT ON history
                            BEGIN INSERT OR IGNORE INTO eval_pending(case_id, seq) VALUES (NEW.case_id, NEW.seq); END
                            """)
                    }
                }
            }
            let store = try CityStore.open(path: path)
            let (schema, active) = try store.read { db in
                (try Self.dump(db, rows: false), try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM eval_state WHERE key = 'version')") ?? false)
            }
            let fresh = try CityStore.inMemory().read { db in try Self.dump(db, rows: false) }
            #expect(schema == fresh, "built: \(built)")
            #expect(active == built, "the queue runs exactly where the old trigger existed")
        }
    }

    @Test func theQueueRunsOnceRollupsAreBuiltAndABulkLoadGoesWithoutIt() throws {
        let city = try TestCity(model: .centralized)
        let pending = { try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM eval_pending") ?? 0 } }
        _ = try city.report(at: TestCity.monday9)
        #expect(try pending() == 0, "no rollups yet: nothing is queued, as before the trigger moved into a migration")
        try city.store.refreshEvaluation()
        let before = try pending()
        _ = try city.report(at: TestCity.monday9.addingTimeInterval(60))
        #expect(try pending() == before + 1, "built: every new history row is queued")

        let path = StoreTests.temporaryPath()
        let bulk = try CityStore.createForBulkLoad(path: path)
        let trigger = { try bulk.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'eval_queue'") ?? false } }
        #expect(try trigger() == false, "a bulk load appends without it")
        try bulk.finishBulkLoad()
        #expect(try trigger())
    }

    static let expected = #"""
    -- trigger accountability_no_delete on accountability
    CREATE TRIGGER accountability_no_delete BEFORE DELETE ON accountability
    BEGIN SELECT RAISE(ABORT, 'the accountability register is append-only: rows cannot be deleted'); END;
    -- trigger accountability_no_update on accountability
    CREATE TRIGGER accountability_no_update BEFORE UPDATE ON accountability
    BEGIN SELECT RAISE(ABORT, 'the accountability register is append-only: rows cannot be changed'); END;
    -- table accountability on accountability
    CREATE TABLE accountability (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES service_case(id),
        unit TEXT NOT NULL,
        unit_name TEXT NOT NULL,
        measure TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        via TEXT
    );
    -- index accountability_case on accountability
    CREATE INDEX accountability_case ON accountability(case_id);
    -- index accountability_recorded on accountability
    CREATE INDEX accountability_recorded ON accountability(recorded_at);
    -- table api_key on api_key
    CREATE TABLE api_key (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL UNIQUE,
        salt TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );
    -- trigger audit_no_delete on audit
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit is append-only: rows cannot be deleted'); END;
    -- trigger audit_no_update on audit
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit is append-only: rows cannot be changed'); END;
    -- table audit on audit
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
    -- index audit_at on audit
    CREATE INDEX audit_at ON audit(at);
    -- index audit_login on audit
    CREATE INDEX audit_login ON audit(login, id);
    -- table bulk_batch on bulk_batch
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
    -- index bulk_batch_actor on bulk_batch
    CREATE INDEX bulk_batch_actor ON bulk_batch(actor_id, id);
    -- table bulk_item on bulk_item
    CREATE TABLE bulk_item (
        batch_id INTEGER NOT NULL REFERENCES bulk_batch(id),
        case_id INTEGER NOT NULL REFERENCES service_case(id),
        history_seq INTEGER NOT NULL,
        before TEXT NOT NULL,
        PRIMARY KEY (batch_id, case_id)
    ) WITHOUT ROWID;
    -- table calendar_day on calendar_day
    CREATE TABLE calendar_day (
        date TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('holiday','workday'))
    );
    -- table category on category
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
        limit_unit TEXT NOT NULL CHECK (limit_unit IN ('hours','working_hours','working_days')), community_level INTEGER NOT NULL DEFAULT 0 CHECK (community_level IN (0, 1)),
        PRIMARY KEY (kind, code)
    );
    -- table census on census
    CREATE TABLE census (
        id INTEGER PRIMARY KEY,
        class_code TEXT NOT NULL CHECK (length(class_code) = 4),
        region_code TEXT NOT NULL REFERENCES region(code),
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open','closed')),
        started_by INTEGER REFERENCES operator(id),
        started_at INTEGER NOT NULL,
        closed_by INTEGER REFERENCES operator(id),
        closed_at INTEGER,
        CHECK ((state = 'closed') = (closed_at IS NOT NULL))
    );
    -- table census_record on census_record
    CREATE TABLE census_record (
        id INTEGER PRIMARY KEY,
        census_id INTEGER NOT NULL REFERENCES census(id),
        patrol_area TEXT NOT NULL REFERENCES patrol_area(id),
        kind TEXT NOT NULL CHECK (kind IN ('confirm','correct','add','retire')),
        component_id TEXT NOT NULL CHECK (length(component_id) = 16),
        cell_code TEXT REFERENCES region(code),
        name TEXT,
        department TEXT REFERENCES department(code),
        state TEXT CHECK (state IS NULL OR state IN ('normal','damaged','missing','abandoned')),
        note TEXT,
        recorded_by INTEGER REFERENCES operator(id),
        recorded_at INTEGER NOT NULL
    );
    -- index census_record_census on census_record
    CREATE INDEX census_record_census ON census_record(census_id, component_id, id);
    -- table census_task on census_task
    CREATE TABLE census_task (
        census_id INTEGER NOT NULL REFERENCES census(id),
        patrol_area TEXT NOT NULL REFERENCES patrol_area(id),
        expected INTEGER NOT NULL,
        PRIMARY KEY (census_id, patrol_area)
    ) WITHOUT ROWID;
    -- table center on center
    CREATE TABLE center (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('monitoring','command')),
        tier TEXT NOT NULL CHECK (tier IN ('city','district')),
        region_code TEXT NOT NULL REFERENCES region(code),
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    -- table component on component
    CREATE TABLE component (
        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 16),
        category_code TEXT NOT NULL,
        name TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES department(code),
        cell_code TEXT NOT NULL REFERENCES region(code),
        state TEXT NOT NULL CHECK (state IN ('intact','damaged','missing','abandoned','removed')),
        updated_at INTEGER NOT NULL
    );
    -- index component_cell on component
    CREATE INDEX component_cell ON component(cell_code);
    -- index component_cell_class on component
    CREATE INDEX component_cell_class ON component(cell_code, category_code);
    -- index component_class on component
    CREATE INDEX component_class ON component(category_code);
    -- trigger component_history_no_delete on component_history
    CREATE TRIGGER component_history_no_delete BEFORE DELETE ON component_history
    BEGIN SELECT RAISE(ABORT, 'component history is append-only: rows cannot be deleted'); END;
    -- trigger component_history_no_update on component_history
    CREATE TRIGGER component_history_no_update BEFORE UPDATE ON component_history
    BEGIN SELECT RAISE(ABORT, 'component history is append-only: rows cannot be changed'); END;
    -- table component_history on component_history
    CREATE TABLE component_history (
        component_id TEXT NOT NULL REFERENCES component(id),
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        actor_id INTEGER REFERENCES operator(id),
        action TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        case_id INTEGER REFERENCES service_case(id),
        census_id INTEGER REFERENCES census(id),
        note TEXT,
        PRIMARY KEY (component_id, seq)
    ) WITHOUT ROWID;
    -- index component_history_case on component_history
    CREATE INDEX component_history_case ON component_history(case_id) WHERE case_id IS NOT NULL;
    -- table department on department
    CREATE TABLE department (
        code TEXT PRIMARY KEY NOT NULL,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        scope TEXT NOT NULL DEFAULT ''
    , region_code TEXT REFERENCES region(code));
    -- index department_region on department
    CREATE UNIQUE INDEX department_region ON department(region_code) WHERE region_code IS NOT NULL;
    -- table department_unit on department_unit
    CREATE TABLE department_unit (
        department_code TEXT NOT NULL REFERENCES department(code),
        district_code TEXT NOT NULL REFERENCES region(code),
        unit_name TEXT NOT NULL,
        PRIMARY KEY (department_code, district_code)
    ) WITHOUT ROWID;
    -- table eval_day_stamp on eval_day_stamp
    CREATE TABLE eval_day_stamp (
        day INTEGER PRIMARY KEY NOT NULL,
        stamp INTEGER NOT NULL
    );
    -- table eval_pending on eval_pending
    CREATE TABLE eval_pending (
        case_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (case_id, seq)
    ) WITHOUT ROWID;
    -- table eval_rollup on eval_rollup
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
        hist BLOB, followups INTEGER NOT NULL DEFAULT 0, followups_done INTEGER NOT NULL DEFAULT 0, followups_reached INTEGER NOT NULL DEFAULT 0, followups_satisfied INTEGER NOT NULL DEFAULT 0, closed_community INTEGER NOT NULL DEFAULT 0, closed_street INTEGER NOT NULL DEFAULT 0, filed_closed INTEGER NOT NULL DEFAULT 0, assigned_handled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (dim, day, key)
    ) WITHOUT ROWID;
    -- table eval_state on eval_state
    CREATE TABLE eval_state (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    );
    -- table evaluation_band on evaluation_band
    CREATE TABLE evaluation_band (
        band TEXT PRIMARY KEY NOT NULL,
        min_score REAL NOT NULL
    );
    -- table evaluation_weight on evaluation_weight
    CREATE TABLE evaluation_weight (
        subject TEXT NOT NULL CHECK (subject IN ('inspector','shift-lead','dispatcher','region','department')),
        indicator TEXT NOT NULL,
        weight REAL NOT NULL CHECK (weight >= 0),
        PRIMARY KEY (subject, indicator)
    );
    -- table followup on followup
    CREATE TABLE followup (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES service_case(id),
        report_id INTEGER NOT NULL REFERENCES report(id),
        channel TEXT NOT NULL CHECK (channel IN ('phone','email','app')),
        contact TEXT NOT NULL,
        reporter_name TEXT,
        created_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        reached INTEGER CHECK (reached IN (0, 1)),
        satisfaction TEXT CHECK (satisfaction IN ('satisfied','basically-satisfied','dissatisfied')),
        note TEXT,
        recorded_by INTEGER REFERENCES operator(id),
        recorded_at INTEGER,
        flag TEXT CHECK (flag IN ('flagged','reopened','kept')),
        decided_by INTEGER REFERENCES operator(id),
        decided_at INTEGER,
        decision_note TEXT,
        CHECK ((reached IS NULL) = (recorded_at IS NULL)),
        CHECK (satisfaction IS NULL OR reached = 1)
    );
    -- index followup_case on followup
    CREATE INDEX followup_case ON followup(case_id, report_id);
    -- index followup_flagged on followup
    CREATE INDEX followup_flagged ON followup(case_id) WHERE flag = 'flagged';
    -- index followup_open on followup
    CREATE INDEX followup_open ON followup(due_at) WHERE recorded_at IS NULL;
    -- trigger eval_queue on history
    CREATE TRIGGER eval_queue AFTER INSERT ON history
    WHEN EXISTS (SELECT 1 FROM eval_state WHERE key = 'version')
    BEGIN INSERT OR IGNORE INTO eval_pending(case_id, seq) VALUES (NEW.case_id, NEW.seq); END;
    -- trigger history_chain_append on history
    CREATE TRIGGER history_chain_append BEFORE INSERT ON history
    WHEN NEW.chain_seq IS NOT ifnull((SELECT max(chain_seq) FROM history), 0) + 1
        OR typeof(NEW.chain_hash) <> 'blob' OR length(NEW.chain_hash) <> 32
    BEGIN SELECT RAISE(ABORT, 'history rows must extend the hash chain: append them with citygrid'); END;
    -- trigger history_no_delete on history
    CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be deleted'); END;
    -- trigger history_no_replace on history
    CREATE TRIGGER history_no_replace BEFORE INSERT ON history
    WHEN EXISTS (SELECT 1 FROM history WHERE case_id = NEW.case_id AND seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'history is append-only: a row cannot be replaced'); END;
    -- trigger history_no_update on history
    CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only: rows cannot be changed'); END;
    -- table history on history
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
        late INTEGER NOT NULL DEFAULT 0, chain_seq INTEGER, chain_hash BLOB, via TEXT,
        PRIMARY KEY (case_id, seq)
    ) WITHOUT ROWID;
    -- index history_chain on history
    CREATE UNIQUE INDEX history_chain ON history(chain_seq);
    -- index history_escalation on history
    CREATE INDEX history_escalation ON history(at) WHERE action IN ('escalate', 'return-to-district');
    -- table hotline_line on hotline_line
    CREATE TABLE hotline_line (
        code TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_at INTEGER NOT NULL
    );
    -- table import_progress on import_progress
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
    -- index import_progress_file on import_progress
    CREATE INDEX import_progress_file ON import_progress(file_sha256, file_size, kind, id);
    -- index import_progress_running on import_progress
    CREATE UNIQUE INDEX import_progress_running ON import_progress(kind, file_sha256, file_size) WHERE state = 'running';
    -- table notification on notification
    CREATE TABLE notification (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES service_case(id),
        report_id INTEGER NOT NULL REFERENCES report(id),
        event TEXT NOT NULL CHECK (event IN ('received','dispatched','closed','follow-up')),
        channel TEXT NOT NULL CHECK (channel IN ('phone','email','app')),
        contact TEXT NOT NULL,
        text_zh TEXT NOT NULL,
        text_en TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        export_id INTEGER REFERENCES notify_export(id)
    );
    -- index notification_case on notification
    CREATE INDEX notification_case ON notification(case_id, id);
    -- index notification_untaken on notification
    CREATE INDEX notification_untaken ON notification(created_at) WHERE export_id IS NULL;
    -- table notify_export on notify_export
    CREATE TABLE notify_export (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        format TEXT NOT NULL,
        since INTEGER,
        count INTEGER NOT NULL
    );
    -- table open311_request on open311_request
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
    , media_url TEXT);
    -- table operator on operator
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
    , unix_user TEXT, password_hash TEXT, disabled_at INTEGER);
    -- index operator_center on operator
    CREATE INDEX operator_center ON operator(center_id, role);
    -- index operator_patrol on operator
    CREATE INDEX operator_patrol ON operator(patrol_area);
    -- index operator_unix_user on operator
    CREATE UNIQUE INDEX operator_unix_user ON operator(unix_user) WHERE unix_user IS NOT NULL;
    -- table operator_key on operator_key
    CREATE TABLE operator_key (
        id INTEGER PRIMARY KEY,
        operator_id INTEGER NOT NULL REFERENCES operator(id),
        algorithm TEXT NOT NULL,
        key_base64 TEXT NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        comment TEXT NOT NULL DEFAULT '',
        added_at INTEGER NOT NULL
    );
    -- index operator_key_operator on operator_key
    CREATE INDEX operator_key_operator ON operator_key(operator_id);
    -- table patrol_area on patrol_area
    CREATE TABLE patrol_area (
        id TEXT PRIMARY KEY NOT NULL,
        community_code TEXT NOT NULL,
        name TEXT NOT NULL
    );
    -- table patrol_cell_last on patrol_cell_last
    CREATE TABLE patrol_cell_last (
        cell_code TEXT PRIMARY KEY NOT NULL,
        at INTEGER NOT NULL,
        inspector_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- table patrol_ping on patrol_ping
    CREATE TABLE patrol_ping (
        id INTEGER PRIMARY KEY,
        inspector_id INTEGER NOT NULL REFERENCES operator(id),
        at INTEGER NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        cell_code TEXT
    );
    -- index patrol_ping_at on patrol_ping
    CREATE INDEX patrol_ping_at ON patrol_ping(at, cell_code, inspector_id);
    -- table region on region
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
        patrol_area TEXT REFERENCES patrol_area(id), town INTEGER NOT NULL DEFAULT 0 CHECK (town IN (0, 1)),
        CHECK (level <> 'cell' OR (length(code) = 15 AND grid_row IS NOT NULL AND grid_col IS NOT NULL))
    );
    -- index region_cell_position on region
    CREATE UNIQUE INDEX region_cell_position ON region(grid_row, grid_col) WHERE level = 'cell';
    -- index region_level on region
    CREATE INDEX region_level ON region(level, code);
    -- index region_parent on region
    CREATE INDEX region_parent ON region(parent_code);
    -- index region_patrol on region
    CREATE INDEX region_patrol ON region(patrol_area);
    -- table report on report
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
    -- index report_case on report
    CREATE INDEX report_case ON report(case_id);
    -- index report_original on report
    CREATE INDEX report_original ON report(original_case_id, id);
    -- table roster_shift on roster_shift
    CREATE TABLE roster_shift (
        date TEXT NOT NULL CHECK (length(date) = 10),
        shift TEXT NOT NULL,
        patrol_area TEXT NOT NULL REFERENCES patrol_area(id),
        inspector_id INTEGER NOT NULL REFERENCES operator(id),
        PRIMARY KEY (date, shift, patrol_area)
    ) WITHOUT ROWID;
    -- index roster_inspector on roster_shift
    CREATE INDEX roster_inspector ON roster_shift(inspector_id, date);
    -- table service_case on service_case
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
        last_event_at INTEGER NOT NULL, hotline_line TEXT, priority INTEGER NOT NULL DEFAULT 0,
        FOREIGN KEY (kind, category_code) REFERENCES category(kind, code),
        CHECK (is_open = (state NOT IN ('closed','cancelled')))
    );
    -- index case_category_reported on service_case
    CREATE INDEX case_category_reported ON service_case(kind, category_code, reported_at, cell_code);
    -- index case_cell_reported on service_case
    CREATE INDEX case_cell_reported ON service_case(cell_code, reported_at);
    -- index case_component on service_case
    CREATE INDEX case_component ON service_case(component_id) WHERE component_id IS NOT NULL;
    -- index case_open_assignee on service_case
    CREATE INDEX case_open_assignee ON service_case(assignee, state) WHERE is_open = 1;
    -- index case_open_cell on service_case
    CREATE INDEX case_open_cell ON service_case(cell_code, state, deadline) WHERE is_open = 1;
    -- index case_open_command on service_case
    CREATE INDEX case_open_command ON service_case(command_center, state, deadline, pending_kind, warn_at, reported_at) WHERE is_open = 1;
    -- index case_open_deadline on service_case
    CREATE INDEX case_open_deadline ON service_case(deadline) WHERE is_open = 1;
    -- index case_open_department on service_case
    CREATE INDEX case_open_department ON service_case(department, state, deadline, district_code, pending_kind, warn_at, reported_at) WHERE is_open = 1;
    -- index case_open_district on service_case
    CREATE INDEX case_open_district ON service_case(district_code, state, deadline, warn_at, reported_at) WHERE is_open = 1;
    -- index case_open_monitor on service_case
    CREATE INDEX case_open_monitor ON service_case(monitor_center, state, deadline, confirmed, warn_at, reported_at) WHERE is_open = 1;
    -- index case_pending on service_case
    CREATE INDEX case_pending ON service_case(command_center, state, pending_at) WHERE pending_kind IS NOT NULL;
    -- index case_reported on service_case
    CREATE INDEX case_reported ON service_case(reported_at, cell_code);
    -- index case_state_reported on service_case
    CREATE INDEX case_state_reported ON service_case(state, reported_at);
    -- table signin_session on signin_session
    CREATE TABLE signin_session (
        token_sha256 TEXT PRIMARY KEY NOT NULL,
        operator_id INTEGER NOT NULL REFERENCES operator(id),
        via TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    -- table site on site
    CREATE TABLE site (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    );
    -- table time_window on time_window
    CREATE TABLE time_window (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        past_years INTEGER NOT NULL DEFAULT 10 CHECK (typeof(past_years) = 'integer' AND past_years BETWEEN 0 AND 100),
        future_minutes INTEGER NOT NULL DEFAULT 5 CHECK (typeof(future_minutes) = 'integer' AND future_minutes BETWEEN 0 AND 1440),
        site_created_at INTEGER CHECK (site_created_at IS NULL OR typeof(site_created_at) = 'integer')
    );
    -- row evaluation_band: "A", 90.0
    -- row evaluation_band: "B", 75.0
    -- row evaluation_band: "C", 60.0
    -- row evaluation_band: "D", 40.0
    -- row evaluation_band: "E", 0.0
    -- row evaluation_weight: "department", "cases_handled", 10.0
    -- row evaluation_weight: "department", "closure_rate", 30.0
    -- row evaluation_weight: "department", "on_time_handling_rate", 30.0
    -- row evaluation_weight: "department", "rework_rate", 30.0
    -- row evaluation_weight: "dispatcher", "accurate_dispatch_rate", 40.0
    -- row evaluation_weight: "dispatcher", "dispatch_volume", 20.0
    -- row evaluation_weight: "dispatcher", "on_time_dispatch_rate", 40.0
    -- row evaluation_weight: "inspector", "missed_report_rate", 20.0
    -- row evaluation_weight: "inspector", "on_time_check_rate", 20.0
    -- row evaluation_weight: "inspector", "on_time_verify_rate", 20.0
    -- row evaluation_weight: "inspector", "valid_report_rate", 40.0
    -- row evaluation_weight: "region", "cases_filed", 20.0
    -- row evaluation_weight: "region", "closure_rate", 30.0
    -- row evaluation_weight: "region", "on_time_closure_rate", 40.0
    -- row evaluation_weight: "region", "public_report_share", 10.0
    -- row evaluation_weight: "shift-lead", "accurate_filing_rate", 40.0
    -- row evaluation_weight: "shift-lead", "on_time_closing_rate", 35.0
    -- row evaluation_weight: "shift-lead", "on_time_filing_rate", 25.0
    -- row time_window: 1, 10, 5, NULL
    """#
}
