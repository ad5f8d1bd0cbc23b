import GRDB

extension Schema {
    /// The source's headline rates (issue 18, docs/evaluation.md "Headline rates"): the rollups gain the two cohort
    /// counts the resolution and handling rates are made of (`EvaluationCounter.filedClosed`, `.assignedHandled`).
    /// Rollups built before lack them: `EvaluationRollups.version` "2" rebuilds them at the next evaluation.
    /// Frozen once shipped, like the migrations in `Schema.swift`, which registers this one last.
    static func registerHeadlineIndicators(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v22 headline indicators") { db in
            try db.execute(sql: """
                ALTER TABLE eval_rollup ADD COLUMN filed_closed INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE eval_rollup ADD COLUMN assigned_handled INTEGER NOT NULL DEFAULT 0;
                """)
        }
    }
}
