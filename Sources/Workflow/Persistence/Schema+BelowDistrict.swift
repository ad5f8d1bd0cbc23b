import GRDB

extension Schema {
    /// Handling below the district (issue 18, 三级处置, "小事不出社区"). Frozen once shipped, like every migration.
    /// - `department.region_code`: a street, town or community made a handling unit (`department add-region`) is a
    ///   department row whose code is the region's code, so cases and handlers point at it as at any department.
    /// - `category.community_level`: the category's cases are a community's to handle by default.
    /// - `region.town`: a street-level region that is a town (镇), not a street office (街道).
    /// - `eval_rollup.closed_community`, `closed_street`: closes by a community's or a street's (or town's) unit.
    static func registerBelowDistrict(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v19 handling below the district") { db in
            try db.execute(sql: """
                ALTER TABLE department ADD COLUMN region_code TEXT REFERENCES region(code);
                CREATE UNIQUE INDEX department_region ON department(region_code) WHERE region_code IS NOT NULL;
                ALTER TABLE category ADD COLUMN community_level INTEGER NOT NULL DEFAULT 0 CHECK (community_level IN (0, 1));
                ALTER TABLE region ADD COLUMN town INTEGER NOT NULL DEFAULT 0 CHECK (town IN (0, 1));
                ALTER TABLE eval_rollup ADD COLUMN closed_community INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE eval_rollup ADD COLUMN closed_street INTEGER NOT NULL DEFAULT 0;
                """)
        }
    }
}
