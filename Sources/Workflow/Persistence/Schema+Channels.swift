import GRDB

extension Schema {
    /// Channels (issue 18): the hotline line a hotline report came in on, the lines a site adds beside 12319 and
    /// 96150, and a supervisor's priority mark on a case.
    static func registerChannels(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20 hotline lines and priority") { db in
            try db.execute(sql: """
                ALTER TABLE service_case ADD COLUMN hotline_line TEXT;
                ALTER TABLE service_case ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE hotline_line (
                    code TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    added_by TEXT NOT NULL,
                    added_at INTEGER NOT NULL
                );
                """)
        }
    }
}
