import GRDB

extension Schema {
    /// Components as first-class objects (issue 17, part 3), registered by `Schema.migrator` after the others.
    ///
    /// `component` keeps its v1 form (a rebuild of it broke the demo seeder's bulk load): its state `intact` (完好) is
    /// what every reader and writer calls `normal` (`ComponentState.stored`), and its owner stays required.
    /// `component_history` is the component's own record (append-only, like a case's history): what each case and
    /// census did to it. A census (专项普查) of one class in one region has a survey task per patrol area
    /// (`census_task`, with how many components of the class the area held when it started) and the inspectors'
    /// records (`census_record`: confirm, correct, add, retire), applied to the components when it closes.
    static func registerComponentMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v16 component identity and census") { db in
            try db.execute(sql: """
                CREATE INDEX component_cell_class ON component(cell_code, category_code);
                CREATE INDEX component_class ON component(category_code);
                CREATE INDEX case_component ON service_case(component_id) WHERE component_id IS NOT NULL;
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
                CREATE INDEX component_history_case ON component_history(case_id) WHERE case_id IS NOT NULL;
                CREATE TRIGGER component_history_no_update BEFORE UPDATE ON component_history
                BEGIN SELECT RAISE(ABORT, 'component history is append-only: rows cannot be changed'); END;
                CREATE TRIGGER component_history_no_delete BEFORE DELETE ON component_history
                BEGIN SELECT RAISE(ABORT, 'component history is append-only: rows cannot be deleted'); END;
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
                CREATE TABLE census_task (
                    census_id INTEGER NOT NULL REFERENCES census(id),
                    patrol_area TEXT NOT NULL REFERENCES patrol_area(id),
                    expected INTEGER NOT NULL,
                    PRIMARY KEY (census_id, patrol_area)
                ) WITHOUT ROWID;
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
                CREATE INDEX census_record_census ON census_record(census_id, component_id, id);
                """)
        }
    }
}
