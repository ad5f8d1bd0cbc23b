import GRDB

extension Schema {
    /// Feedback to the public (issue 17, docs/evaluation.md "Follow-ups"). Frozen once shipped, like the migrations in
    /// `Schema.swift`, which registers this one last.
    ///
    /// `followup`: one task per reporter of a closed case to call back (回访): the reporter's contact as the report gave
    /// it, its deadline, the outcome, and for a dissatisfied one the shift lead's decision. Its history rows are in the
    /// case's history (the hash chain); this table is what lists and forms read.
    /// `notification`: the outbox, one message per reporter and event in the reporter's own channel, in both languages
    /// (an export sends the site's, `notify.lang`; Open311 answers in the request's); `export_id` marks what an export
    /// took. `notify_export`: one row per export.
    /// The rollups gain the follow-up counts (EvaluationCounter).
    static func registerFollowUps(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v14 follow-ups and outbox") { db in
            try db.execute(sql: """
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
                CREATE INDEX followup_case ON followup(case_id, report_id);
                CREATE INDEX followup_open ON followup(due_at) WHERE recorded_at IS NULL;
                CREATE INDEX followup_flagged ON followup(case_id) WHERE flag = 'flagged';
                CREATE TABLE notify_export (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    format TEXT NOT NULL,
                    since INTEGER,
                    count INTEGER NOT NULL
                );
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
                CREATE INDEX notification_case ON notification(case_id, id);
                CREATE INDEX notification_untaken ON notification(created_at) WHERE export_id IS NULL;
                ALTER TABLE eval_rollup ADD COLUMN followups INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE eval_rollup ADD COLUMN followups_done INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE eval_rollup ADD COLUMN followups_reached INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE eval_rollup ADD COLUMN followups_satisfied INTEGER NOT NULL DEFAULT 0;
                """)
        }
    }
}
