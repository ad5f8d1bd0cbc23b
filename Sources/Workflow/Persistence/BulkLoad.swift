import Foundation
import GRDB

/// Settings of a bulk load into a new database file (the demo seeder).
package enum BulkLoad {
    /// The page size of a database created for a bulk load: SQLite's default, chosen for the console, not the
    /// seeder. Measured on a million cases (docs/benchmarks.md): 16 KiB pages seed 3–5% faster (15.4–15.7 s
    /// instead of 16.2 s) but every console query that fetches scattered rows reads four times the bytes per
    /// row: the mid-list queue window went from 32 to 41–44 ms and the live filter from 39 to 45–49 ms
    /// (p99 over the 50 ms target); 8 KiB pages split the difference. The console is used all day, seeding once.
    static let pageSize = 4_096

    /// No fsync, a large page cache, checkpoint once at the end, no per-row foreign key lookups or CHECK
    /// evaluation: every row comes from the lifecycle's own rules and references rows already in the
    /// file. The demo tests run `PRAGMA foreign_key_check` and `PRAGMA integrity_check` (which evaluates
    /// every CHECK again) on a seeded city. The CHECKs alone cost the case rows more than half their time.
    package static let begin = "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 0; "
        + "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON"
    package static let end = "PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000; "
        + "PRAGMA cache_size = -2000; PRAGMA synchronous = NORMAL"

    /// The two whole-table indexes whose keys arrive out of order: built once after the load. The partial
    /// ones over open cases stay during it (they take a few percent of the rows, and building each
    /// afterwards would scan the whole table again).
    package static let deferredIndexes = Schema.caseIndexes.filter { ["case_state_reported", "case_cell_reported"].contains($0.name) }
}
