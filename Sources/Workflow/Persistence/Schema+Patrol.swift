import GRDB

extension Schema {
    /// Rosters and inspectors' positions (issue 17, part 2). Frozen once shipped, like every migration.
    /// - `roster_shift`: who walks which patrol area in which shift of which day (the day the shift starts); one
    ///   inspector per area and shift. `roster import` replaces whole days.
    /// - `patrol_ping`: an inspector's position at an instant, with the cell it falls in (NULL: in no cell of the
    ///   city). Read by time window (coverage), hence the covering index on (at, cell_code, inspector_id).
    /// - `patrol_cell_last`: each cell's latest ping and its inspector, kept with every import, so "visited in the
    ///   last N hours" as of the present is one row per cell whatever the number of pings.
    static func registerPatrolMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v15 rosters and patrol pings") { db in
            try db.execute(sql: """
                CREATE TABLE roster_shift (
                    date TEXT NOT NULL CHECK (length(date) = 10),
                    shift TEXT NOT NULL,
                    patrol_area TEXT NOT NULL REFERENCES patrol_area(id),
                    inspector_id INTEGER NOT NULL REFERENCES operator(id),
                    PRIMARY KEY (date, shift, patrol_area)
                ) WITHOUT ROWID;
                CREATE INDEX roster_inspector ON roster_shift(inspector_id, date);
                CREATE TABLE patrol_ping (
                    id INTEGER PRIMARY KEY,
                    inspector_id INTEGER NOT NULL REFERENCES operator(id),
                    at INTEGER NOT NULL,
                    lat REAL NOT NULL,
                    lon REAL NOT NULL,
                    cell_code TEXT
                );
                CREATE INDEX patrol_ping_at ON patrol_ping(at, cell_code, inspector_id);
                CREATE TABLE patrol_cell_last (
                    cell_code TEXT PRIMARY KEY NOT NULL,
                    at INTEGER NOT NULL,
                    inspector_id INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }
}
