import GRDB

extension Schema {
    /// The register of accountability (issue 18), append-only: its triggers refuse updates and deletes.
    static func registerAccountability(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v17 accountability register") { db in
            try db.execute(sql: """
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
                CREATE INDEX accountability_recorded ON accountability(recorded_at);
                CREATE INDEX accountability_case ON accountability(case_id);
                CREATE TRIGGER accountability_no_update BEFORE UPDATE ON accountability
                BEGIN SELECT RAISE(ABORT, 'the accountability register is append-only: rows cannot be changed'); END;
                CREATE TRIGGER accountability_no_delete BEFORE DELETE ON accountability
                BEGIN SELECT RAISE(ABORT, 'the accountability register is append-only: rows cannot be deleted'); END;
                """)
        }
    }
}
