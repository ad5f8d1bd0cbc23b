import Foundation
import GRDB

/// Census campaigns (专项普查): start one (survey tasks per patrol area), record what inspectors find, report the
/// progress, close it (the records applied to the components, each change in the component's history).
extension CityStore {

    static func census(_ db: Database, _ id: Int64) throws -> Census {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT c.*, s.login AS started_login, e.login AS closed_login FROM census c
            LEFT JOIN operator s ON s.id = c.started_by LEFT JOIN operator e ON e.id = c.closed_by WHERE c.id = ?
            """, arguments: [id]) else { throw WorkflowError.notFound("no census \(id)") }
        return Census(id: row["id"], classCode: row["class_code"], regionCode: row["region_code"],
                      dueAt: CaseRows.date(row, "due_at") ?? .distantPast,
                      state: try StoredValue.decode(row, "state", of: "census \(id)"), startedBy: row["started_login"],
                      startedAt: CaseRows.date(row, "started_at") ?? .distantPast, closedBy: row["closed_login"],
                      closedAt: CaseRows.date(row, "closed_at"))
    }

    /// The `WHERE` clause picking a region's cells from `region r` (the city code: every cell).
    static func cellsOfRegion(_ db: Database, _ region: String) throws -> (sql: String, arguments: StatementArguments) {
        if region == (try settings(db).cityCode) { return ("r.level = 'cell'", []) }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ?", arguments: [region]) == true else {
            throw WorkflowError.notFound("no region \(region)")
        }
        return ("r.level = 'cell' AND substr(r.code, 1, ?) = ?", [region.count, region])
    }

    /// Starts a census of `classCode` in `region` (nil: the actor's region), due at `due`: a survey task for each
    /// patrol area with cells there, with how many components of the class it holds now.
    public func startCensus(classCode: String, region: String?, due: Date, by actorName: String, at now: Date) throws(WorkflowError) -> CensusReport {
        try write { db in
            let actor = try self.actingOperator(db, actorName)
            try CensusRules.checkManager(actor, verb: "starting")
            let context = try Self.context(db)
            _ = try context.category(CategoryKey(kind: .component, code: classCode))
            let regionCode = region?.trimmedWhitespace.isEmpty == false ? region!.trimmedWhitespace : actor.regionCode
            if actor.tier == .district, !regionCode.hasPrefix(actor.regionCode) {
                throw WorkflowError.forbidden("region \(regionCode) is outside \(actor.login)'s region \(actor.regionCode)")
            }
            guard due > now else { throw WorkflowError.invalidInput("a census is due after it starts") }
            let cells = try Self.cellsOfRegion(db, regionCode)
            // Regions nest by code prefix; the city's code is no prefix of its districts', and covers them all.
            let city = try Self.settings(db).cityCode
            let overlapping = try Int64.fetchOne(db, sql: """
                SELECT id FROM census WHERE state = 'open' AND class_code = ?
                  AND (region_code = ? OR ? = ? OR substr(?, 1, length(region_code)) = region_code OR substr(region_code, 1, length(?)) = ?)
                """, arguments: [classCode, city, regionCode, city, regionCode, regionCode, regionCode])
            if let overlapping { throw WorkflowError.wrongState("census \(overlapping) of class \(classCode) is still open over that region") }
            try db.execute(sql: "INSERT INTO census(class_code, region_code, due_at, state, started_by, started_at) VALUES (?, ?, ?, 'open', ?, ?)",
                           arguments: [classCode, regionCode, due.storageSeconds, actor.id, now.storageSeconds])
            let id = db.lastInsertedRowID
            var arguments: StatementArguments = [id, classCode]
            arguments += cells.arguments
            try db.execute(sql: """
                INSERT INTO census_task(census_id, patrol_area, expected)
                SELECT ?, r.patrol_area, count(c.id) FROM region r
                LEFT JOIN component c ON c.cell_code = r.code AND c.category_code = ? AND c.state <> 'removed'
                WHERE \(cells.sql) AND r.patrol_area IS NOT NULL GROUP BY r.patrol_area
                """, arguments: arguments)
            guard db.changesCount > 0 else { throw WorkflowError.invalidInput("region \(regionCode) has no cell in a patrol area to survey") }
            return try Self.censusReport(db, id)
        }
    }

    /// Records what an inspector found; returns the stored record (an added component's id filled in).
    public func recordCensus(_ draft: CensusRecordDraft, by actorName: String, at now: Date) throws(WorkflowError) -> CensusRecord {
        try CensusRules.checkDraft(draft)
        return try write { db in
            let actor = try self.actingOperator(db, actorName)
            let census = try Self.census(db, draft.censusID)
            let areas = Set(try String.fetchAll(db, sql: "SELECT patrol_area FROM census_task WHERE census_id = ?", arguments: [census.id]))
            let area = try CensusRules.checkRecorder(actor, census: census, areas: areas)
            let context = try Self.context(db)
            let cells = try Self.cellsOfRegion(db, census.regionCode)
            /// A cell the inspector may name: in the census's region and their patrol area.
            func checkCell(_ code: String) throws {
                try CellCode.validate(code)
                var arguments: StatementArguments = [code, area]
                arguments += cells.arguments
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM region r WHERE r.code = ? AND r.patrol_area = ? AND \(cells.sql)",
                                        arguments: arguments) == true else {
                    throw WorkflowError.forbidden("cell \(code) is not in census \(census.id)'s region within \(actor.login)'s patrol area \(area)")
                }
            }
            if let department = draft.department, !department.isEmpty, context.departments[department.uppercased()] == nil {
                throw WorkflowError.notFound("no department \(department)")
            }
            if let cell = draft.cellCode { try checkCell(cell) }
            var componentID = draft.componentID
            if draft.kind == .add {
                let cell = draft.cellCode!
                if let id = componentID {
                    guard Component.classCode(of: id) == census.classCode, CellCode.district(of: id) == CellCode.district(of: cell) else {
                        throw WorkflowError.invalidInput("component \(id) must start with cell \(cell)'s district and class \(census.classCode)")
                    }
                    if try Self.fetchComponent(db, id) != nil { throw WorkflowError.invalidInput("component \(id) exists already; confirm or correct it") }
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM census_record WHERE census_id = ? AND component_id = ? AND kind = 'add'",
                                         arguments: [census.id, id]) == true {
                        throw WorkflowError.invalidInput("component \(id) is already added in census \(census.id)")
                    }
                } else {
                    componentID = try Self.nextComponentID(db, district: CellCode.district(of: cell), classCode: census.classCode)
                }
            } else {
                let id = componentID!
                guard let component = try Self.fetchComponent(db, id) else { throw WorkflowError.notFound("no component \(id)") }
                guard component.classCode == census.classCode else {
                    throw WorkflowError.invalidInput("component \(id) is of class \(component.classCode); census \(census.id) surveys \(census.classCode)")
                }
                guard component.state != .removed else { throw WorkflowError.wrongState("component \(id) is removed") }
                try checkCell(component.cellCode)
            }
            try db.execute(sql: """
                INSERT INTO census_record(census_id, patrol_area, kind, component_id, cell_code, name, department, state, note, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [census.id, area, draft.kind.rawValue, componentID, draft.cellCode, draft.name?.trimmedWhitespace,
                                 draft.department?.uppercased(), draft.state?.rawValue, draft.note?.trimmedWhitespace, actor.id, now.storageSeconds])
            return CensusRecord(id: db.lastInsertedRowID, censusID: census.id, patrolArea: area, kind: draft.kind, componentID: componentID!,
                                cellCode: draft.cellCode, name: draft.name?.trimmedWhitespace, department: draft.department?.uppercased(),
                                state: draft.state, note: draft.note?.trimmedWhitespace, recordedBy: actor.login, recordedAt: now)
        }
    }

    /// The next free id of a class in a district: its largest serial, among components and additions recorded, plus one.
    static func nextComponentID(_ db: Database, district: String, classCode: String) throws -> String {
        let prefix = district + classCode
        let largest = try String.fetchOne(db, sql: """
            SELECT max(id) FROM (SELECT id FROM component WHERE id LIKE ? || '%' UNION ALL
                                 SELECT component_id FROM census_record WHERE kind = 'add' AND component_id LIKE ? || '%')
            """, arguments: [prefix, prefix])
        let serial = (largest.flatMap { Int($0.suffix(6)) } ?? 0) + 1
        guard serial <= 999_999 else { throw WorkflowError.invalidInput("class \(classCode) has no free serial left in district \(district)") }
        return prefix + String(zeroPadded: serial, width: 6)
    }

    static func censusRecords(_ db: Database, _ id: Int64) throws -> [CensusRecord] {
        try Row.fetchAll(db, sql: """
            SELECT r.*, o.login FROM census_record r LEFT JOIN operator o ON o.id = r.recorded_by WHERE r.census_id = ? ORDER BY r.id
            """, arguments: [id]).map { row throws in
            let owner = "census record \(row["id"] as Int64)"
            return CensusRecord(id: row["id"], censusID: row["census_id"], patrolArea: row["patrol_area"],
                                kind: try StoredValue.decode(row, "kind", of: owner), componentID: row["component_id"],
                                cellCode: row["cell_code"], name: row["name"], department: row["department"],
                                state: try StoredValue.decodeIfPresent(row, "state", of: owner), note: row["note"],
                                recordedBy: row["login"], recordedAt: CaseRows.date(row, "recorded_at") ?? .distantPast)
        }
    }

    static func censusReport(_ db: Database, _ id: Int64) throws -> CensusReport {
        let census = try census(db, id)
        let tasks = try Row.fetchAll(db, sql: "SELECT patrol_area, expected FROM census_task WHERE census_id = ? ORDER BY patrol_area",
                                     arguments: [id]).map { (area: $0["patrol_area"] as String, expected: $0["expected"] as Int) }
        let latest = CensusRules.latest(try censusRecords(db, id))
        var changes: [CensusChange] = []
        if census.state == .closed {
            // What the close wrote, read back from the components' history.
            for row in try Row.fetchAll(db, sql: """
                SELECT component_id, action, note FROM component_history WHERE census_id = ? ORDER BY component_id, seq
                """, arguments: [id]) {
                let kind = CensusRecordKind(rawValue: (row["action"] as String).replacingOccurrences(of: "census-", with: "")) ?? .confirm
                let note: String? = row["note"]
                changes.append(CensusChange(componentID: row["component_id"], kind: kind,
                                            changes: note.map { $0.components(separatedBy: "; ") } ?? []))
            }
        }
        return CensusReport(census: census, areas: CensusRules.progress(tasks: tasks, latest: latest), changes: changes)
    }

    public func censusReport(_ id: Int64) throws(WorkflowError) -> CensusReport {
        try read { db in try Self.censusReport(db, id) }
    }

    /// The open censuses over `region` (a district, street or community code; nil or the city's code: all), newest
    /// first, each with its progress by patrol area: what the patrol board shows. A census of the whole city is over
    /// every region; one of a street is over its district and the street's communities.
    public func openCensuses(within region: String?) throws(WorkflowError) -> [CensusReport] {
        try read { db in
            let city = try Self.settings(db).cityCode
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM census WHERE state = 'open' ORDER BY id DESC")
            var reports: [CensusReport] = []
            for id in ids {
                let census = try Self.census(db, id)
                if let region, region != city, census.regionCode != city,
                   !census.regionCode.hasPrefix(region), !region.hasPrefix(census.regionCode) { continue }
                reports.append(try Self.censusReport(db, id))
            }
            return reports
        }
    }

    /// Every census, newest first.
    public func censuses() throws(WorkflowError) -> [Census] {
        try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM census ORDER BY id DESC").map { id throws in try Self.census(db, id) } }
    }

    /// Closes a census: each component's latest record applied (a confirmation's state, a correction's fields, an
    /// addition inserted, a retirement removing it), each in the component's history; the report says what changed.
    public func closeCensus(_ id: Int64, by actorName: String, at now: Date) throws(WorkflowError) -> CensusReport {
        try write { db in
            let actor = try self.actingOperator(db, actorName)
            try CensusRules.checkManager(actor, verb: "closing")
            let census = try Self.census(db, id)
            guard census.state == .open else { throw WorkflowError.wrongState("census \(id) is closed already") }
            let context = try Self.context(db)
            let category = try context.category(CategoryKey(kind: .component, code: census.classCode))
            let className = category.nameZh
            // Every component has an owner (v1's schema): one added without a known owner gets its class's department.
            let classDepartment = category.department
            for record in CensusRules.latest(try Self.censusRecords(db, id)) {
                let existing = try Self.fetchComponent(db, record.componentID)
                var notes: [String] = []
                var after = existing
                switch record.kind {
                case .add:
                    guard existing == nil else {
                        notes.append("not added: \(record.componentID) exists already")
                        try Self.appendComponentHistory(db, componentID: record.componentID, at: now, actorID: actor.id, action: "census-add",
                                                        from: existing!.state, to: existing!.state, caseID: nil, censusID: id, note: notes.joined(separator: "; "))
                        continue
                    }
                    let department = record.department.flatMap { $0.isEmpty ? nil : $0 }
                    let state = record.state ?? .normal
                    try db.execute(sql: """
                        INSERT INTO component(id, category_code, name, department, cell_code, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [record.componentID, census.classCode, record.name ?? "\(className) \(record.componentID.suffix(6))",
                                         department ?? classDepartment, record.cellCode, state.stored, now.storageSeconds])
                    notes.append("added in cell \(record.cellCode ?? "-")")
                    try Self.appendComponentHistory(db, componentID: record.componentID, at: now, actorID: actor.id, action: "census-add",
                                                    from: nil, to: state, caseID: nil, censusID: id, note: notes.joined(separator: "; "))
                    continue
                case .retire:
                    after?.state = .removed
                case .confirm, .correct:
                    if let state = record.state { after?.state = state }
                    if let cell = record.cellCode { after?.cellCode = cell }
                    if let name = record.name { after?.name = name }
                    if let department = record.department { after?.department = department.isEmpty ? category.department : department }
                }
                guard let before = existing, var after else { continue }   // a component deleted since (by hand): nothing to apply
                if before.state != after.state { notes.append("state \(before.state.rawValue) → \(after.state.rawValue)") }
                if before.cellCode != after.cellCode { notes.append("cell \(before.cellCode) → \(after.cellCode)") }
                if before.name != after.name { notes.append("name \(before.name) → \(after.name)") }
                if before.department != after.department {
                    notes.append("owner \(before.department ?? "unknown") → \(after.department ?? "unknown")")
                }
                if !notes.isEmpty {
                    after.updatedAt = now
                    try db.execute(sql: "UPDATE component SET cell_code = ?, name = ?, department = ?, state = ?, updated_at = ? WHERE id = ?",
                                   arguments: [after.cellCode, after.name, after.department, after.state.stored, now.storageSeconds, after.id])
                }
                try Self.appendComponentHistory(db, componentID: before.id, at: now, actorID: actor.id, action: "census-\(record.kind.rawValue)",
                                                from: before.state, to: after.state, caseID: nil, censusID: id,
                                                note: notes.isEmpty ? nil : notes.joined(separator: "; "))
            }
            try db.execute(sql: "UPDATE census SET state = 'closed', closed_by = ?, closed_at = ? WHERE id = ?",
                           arguments: [actor.id, now.storageSeconds, id])
            return try Self.censusReport(db, id)
        }
    }
}
