import Foundation
import GRDB

/// How an import treats bad records, how it commits, and how it reports its progress.
public struct ImportOptions {
    /// Commit the good records and hand the bad ones to `onReject`; without it one bad record rolls back all.
    public var skipBad: Bool
    /// Every refused record, in file order (line, reason, text as given).
    public var onReject: (ImportReject) -> Void
    /// Called every `progressEvery` records with the number read so far.
    public var progress: ((Int) -> Void)?
    public var progressEvery: Int
    /// Commit every `batchSize` records instead of once at the end, pausing `batchPause` seconds after each
    /// commit so that other writers (consoles, the CLI) waiting for the lock get their turn. Needs `skipBad`:
    /// a bad record cannot undo batches already committed. Nil: one transaction, all or nothing.
    public var batchSize: Int?
    public var batchPause: TimeInterval
    /// Records that start before this line are read and skipped: resuming an interrupted batched import.
    public var fromLine: Int
    /// After each commit: the summary so far (its `throughLine` is the last line read into the commit).
    public var onCommit: ((ImportSummary) -> Void)?
    /// Asked before each record; true rolls back the open batch and ends the import (`interrupted`).
    public var shouldStop: (() -> Bool)?
    /// A batched import of a file records its progress here, in each batch's transaction (`import_progress`).
    public var recording: ImportRecording?

    public init(skipBad: Bool = false, onReject: @escaping (ImportReject) -> Void = { _ in },
                progress: ((Int) -> Void)? = nil, progressEvery: Int = 10_000,
                batchSize: Int? = nil, batchPause: TimeInterval = 0.01, fromLine: Int = 1,
                onCommit: ((ImportSummary) -> Void)? = nil, shouldStop: (() -> Bool)? = nil) {
        self.skipBad = skipBad; self.onReject = onReject; self.progress = progress; self.progressEvery = progressEvery
        self.batchSize = batchSize; self.batchPause = batchPause; self.fromLine = fromLine
        self.onCommit = onCommit; self.shouldStop = shouldStop
    }
}

public struct ImportSummary: Sendable, Equatable {
    /// Records read (blank lines and records before `fromLine` aside).
    public var records = 0
    /// Records written (or that would have been, when a bad one rolled the import back). In a batched import
    /// that was interrupted, only those of committed batches.
    public var accepted = 0
    public var rejected = 0
    /// Whether the transaction was committed: false when a bad record rolled back an all-or-nothing import. In a
    /// batched import, whether any batch was.
    public var committed = false
    /// Regions and patrol areas a grid import created along the way, by kind.
    public var created: [String: Int] = [:]
    /// Ids of the first and last case a report import created.
    public var firstCaseID: Int64?
    public var lastCaseID: Int64?
    /// Records skipped because they start before `fromLine`.
    public var skipped = 0
    /// Transactions committed (1 for an all-or-nothing import that committed).
    public var batches = 0
    /// The last line read into a committed transaction: everything up to it is in the database.
    public var throughLine: Int?
    /// `shouldStop` ended the import; the batch it was in was rolled back.
    public var interrupted = false

    public var imported: Int { committed ? accepted : 0 }
}

extension CityStore {

    /// Runs an import in one IMMEDIATE transaction, committed only at the end: a crash, a kill or Ctrl-C
    /// before then leaves the database as it was. With `savepoints`, each record runs in one, so a record
    /// refused halfway (a constraint) leaves nothing of itself behind. Without (reports: every check comes
    /// before the first write, and a savepoint journals each page a record touches, which doubles the cost of
    /// a large import), a record can only be refused before it writes; a database error after that aborts it all.
    ///
    /// With `options.batchSize`, one transaction per batch instead. `prepare` runs once, in the first;
    /// `beginBatch` at the start of every batch, to read again what other writers change while the lock is free
    /// (the next case id); `committed` after each commit, so the caller can move what it counted for the batch
    /// into its totals.
    func runImport<Source: RecordSource>(_ source: inout Source, options: ImportOptions, savepoints: Bool = true,
                                         beginBatch: (Database) throws -> Void = { _ in }, committed: () -> Void = {},
                                         prepare: (Database) throws -> (ImportRecord) throws -> Void) throws(WorkflowError) -> ImportSummary {
        try checkWritable()
        if let size = options.batchSize {
            guard size >= 1 else { throw .invalidInput("a batch must hold at least 1 record") }
            guard options.skipBad else {
                throw .refusal(.batchedImportMustSkipBad)
            }
        }
        var summary = ImportSummary()
        var recordID = options.recording?.resuming
        do {
            try writer.writeWithoutTransaction { db in
                // A large import dirties far more pages than SQLite's default 2 MiB cache holds; spilling them to
                // the WAL again and again costs more than the inserts. 16 MiB keeps memory bounded and the spills rare.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -16384")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                let savepoint = try db.makeStatement(sql: "SAVEPOINT import_record")
                let release = try db.makeStatement(sql: "RELEASE import_record")
                let undo = try db.makeStatement(sql: "ROLLBACK TO import_record")
                var finished = false
                var prepared: ((ImportRecord) throws -> Void)?
                while !finished {
                    var accepted = 0
                    var lastLine: Int?
                    var commits = false
                    let before = (records: summary.records, rejected: summary.rejected)
                    try db.inTransaction(.immediate) {
                        try beginBatch(db)
                        let handle = try prepared ?? prepare(db)
                        prepared = handle
                        func reject(_ r: ImportReject) {
                            summary.rejected += 1
                            options.onReject(r)
                        }
                        var inBatch = 0
                        reading: while true {
                            if let size = options.batchSize, inBatch >= size { break reading }
                            if options.shouldStop?() == true {
                                summary.interrupted = true
                                finished = true
                                return .rollback
                            }
                            guard let item = try source.next() else {
                                finished = true
                                break reading
                            }
                            let line = item.line
                            if line < options.fromLine {
                                summary.skipped += 1
                                continue reading
                            }
                            inBatch += 1
                            lastLine = line
                            summary.records += 1
                            if let progress = options.progress, summary.records % max(1, options.progressEvery) == 0 { progress(summary.records) }
                            switch item {
                            case .bad(let r):
                                reject(r)
                            case .record(let record):
                                if savepoints { try savepoint.execute() }
                                do {
                                    try handle(record)
                                    if savepoints { try release.execute() }
                                    accepted += 1
                                } catch {
                                    guard savepoints || error is WorkflowError else {
                                        let done = summary.throughLine.map { "; lines up to \($0) are imported" } ?? "; nothing was imported"
                                        throw WorkflowError.storage("line \(record.line): \(Self.translate(error, path: self.path ?? ":memory:").message)\(done)")
                                    }
                                    if savepoints {
                                        try undo.execute()
                                        try release.execute()
                                    }
                                    let reason: String
                                    switch error {
                                    case let e as WorkflowError: reason = e.message
                                    case let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT:
                                        reason = "refused by the database: \(e.message ?? "constraint failed")"
                                    default: throw error
                                    }
                                    reject(ImportReject(line: record.line, reason: reason, raw: record.raw))
                                }
                            }
                        }
                        if finished { options.progress?(summary.records) }
                        summary.accepted += accepted
                        if summary.rejected > 0 && !options.skipBad { return .rollback }
                        if let recording = options.recording, let size = options.batchSize {
                            recordID = try Self.recordBatch(db, recording, id: recordID, batchSize: size, throughLine: lastLine,
                                                            records: summary.records - before.records, imported: accepted,
                                                            rejected: summary.rejected - before.rejected, finished: finished)
                        }
                        commits = true
                        return .commit
                    }
                    guard commits else { break }
                    summary.committed = true
                    // A file that ends on a batch boundary leaves a last, empty transaction: not a batch.
                    if lastLine != nil || summary.batches == 0 { summary.batches += 1 }
                    if let lastLine { summary.throughLine = lastLine }
                    committed()
                    options.onCommit?(summary)
                    // The lock is free now: let a waiting writer in before the next batch takes it again.
                    if !finished && options.batchPause > 0 { Thread.sleep(forTimeInterval: options.batchPause) }
                }
            }
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
        return summary
    }

    // MARK: Reports

    /// Files every record as a new `reported` case through the same lifecycle rules as `report`.
    /// Columns: kind, category, cell (or lat and lon), description; optional source, reporter (a login),
    /// reporter_name, reporter_phone, component, reported_at. A record's own reporter wins over `reporter`
    /// (`--as`); its source over `channel` (`--source`).
    public func importReports<Source: RecordSource>(_ source: inout Source, reporter defaultReporter: String?, channel: ReportSource?,
                                                    at now: Date, options: ImportOptions) throws(WorkflowError) -> ImportSummary {
        // Ids of committed cases, and of those in the open transaction (gone if it rolls back).
        var firstID: Int64?
        var lastID: Int64?
        var batchFirst: Int64?
        var batchLast: Int64?
        let moveBatch = {
            if firstID == nil { firstID = batchFirst }
            if let batchLast { lastID = batchLast }
            batchFirst = nil
            batchLast = nil
        }
        // The next free case id and the history chain's head, read at the start of every batch: a console may file a
        // case between two. Each record's history row is hashed onto the chain as it is written, no query per row.
        var nextID: Int64 = 1
        var chain = ChainAppender(head: .start)
        let readNextID = { (db: Database) throws in
            nextID = (try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM service_case")) ?? 1
            chain = try ChainAppender(db)
        }
        var summary = try runImport(&source, options: options, savepoints: false, beginBatch: readNextID, committed: moveBatch) { db in
            let context = try self.context(db)
            let times = FastInstant(timeZone: context.calendar.timeZone)
            let window = try Self.timeWindow(db)
            let places = try Self.cellPlaces(db)
            let locator = try Self.cellLocator(db)
            var operators: [String: Operator] = [:]
            func findOperator(_ login: String) throws -> Operator {
                if let known = operators[login] { return known }
                let found = try Self.findOperator(db, login)
                if operators.count < 10_000 { operators[login] = found }
                return found
            }
            // Whoever runs the import is the one acting (refused if not the signed-in operator); its rows say how they
            // were identified. A record's own reporter is the report's, as filed at the time.
            let importer = try defaultReporter.map { try self.actingOperator(db, $0) }
            let importVia = try importer?.identifiedBy ?? self.currentVia(db)
            let fallback = importer.map { var op = $0; op.identifiedBy = nil; return op }
            let componentExists = try db.makeStatement(sql: "SELECT 1 FROM component WHERE id = ?")
            var caseInsert = try BulkInsert(db, sql: CaseRows.insertSQL)
            var reportInsert = try BulkInsert(db, sql: """
                INSERT INTO report(case_id, original_case_id, source, reporter_id, reporter_name, reporter_phone, description, reported_at, cell_code)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var historyInsert = try BulkInsert(db, sql: CaseRows.insertHistorySQL)
            return { record in
                let kindText = try Self.required(record, "kind")
                guard let kind = CategoryKind(rawValue: kindText.lowercased()) else {
                    throw WorkflowError.invalidInput("kind must be event or component, not '\(kindText)'")
                }
                let category = try Self.required(record, "category")
                let cellCode = try Self.cell(of: record, locator: locator)
                guard let place = places[cellCode] else { throw WorkflowError.notFound("no cell \(cellCode) in this city") }
                let description = try Self.required(record, "description")
                var asked = channel
                if let text = record["source"] {
                    guard let parsed = ReportSource(rawValue: text.lowercased()) else {
                        throw WorkflowError.invalidInput("source must be one of \(ReportSource.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
                    }
                    asked = parsed
                }
                let actor = try record["reporter"].map(findOperator) ?? fallback
                let name = try Self.limited(record, "reporter_name", bytes: 200)
                let phone = try Self.limited(record, "reporter_phone", bytes: 40)
                if let phone, !phone.allSatisfy({ $0.isASCII && ($0.isNumber || "+-() ".contains($0)) }) {
                    throw WorkflowError.invalidInput("reporter_phone may hold only digits, spaces and + - ( )")
                }
                let component = record["component"]
                if let component {
                    guard component.count == 16, component.allSatisfy(\.isASCIIDigit) else {
                        throw WorkflowError.invalidInput("component id '\(component)' must be 16 digits")
                    }
                    guard try Bool.fetchOne(componentExists, arguments: [component]) == true else {
                        throw WorkflowError.notFound("no component \(component)")
                    }
                }
                var at = now
                if let text = record["reported_at"] {
                    at = try times.parse(text)
                    guard at <= now else { throw WorkflowError.invalidInput("reported_at \(text) is in the future") }
                    try window.check(at, now: now, what: "reported_at", typed: text)
                }
                let draft = ReportDraft(kind: kind, categoryCode: category, cellCode: cellCode, description: description, source: asked,
                                        reporterName: name, reporterPhone: phone, componentID: component)
                var (serviceCase, entry) = try Lifecycle.report(draft, id: nextID, cell: place, reporter: actor, context: context, at: at)
                serviceCase.id = nextID
                entry.caseID = nextID
                entry.via = importVia.text
                try caseInsert.insertCase(serviceCase)
                reportInsert.bind(nextID); reportInsert.bind(nextID); reportInsert.bind(serviceCase.source.rawValue)
                reportInsert.bind(actor?.id); reportInsert.bind(name ?? actor?.name); reportInsert.bind(phone)
                reportInsert.bind(description); reportInsert.bind(at.storageSeconds); reportInsert.bind(cellCode)
                try reportInsert.step()
                try historyInsert.insertHistory(entry, seq: 0, link: chain.next(entry, seq: 0))
                if batchFirst == nil { batchFirst = nextID }
                batchLast = nextID
                nextID += 1
            }
        }
        if summary.committed { summary.firstCaseID = firstID; summary.lastCaseID = lastID }
        return summary
    }

    // MARK: Grid

    /// Adds or updates cells. Columns: code (15 digits), row, col, and lat/lon or a GeoJSON Point/Polygon (its
    /// centroid); optional name, name_en, patrol_area, patrol_area_name, and district/street/community names
    /// (`district_name`, `street_name_en`, …) for the regions created as needed, and `street_kind` (street or town) for
    /// a street-level region created as needed.
    public func importGrid<Source: RecordSource>(_ source: inout Source, options: ImportOptions) throws(WorkflowError) -> ImportSummary {
        // Regions created, committed and in the open transaction (gone if it rolls back).
        var created: [String: Int] = [:]
        var batchCreated: [String: Int] = [:]
        let moveBatch = {
            created.merge(batchCreated, uniquingKeysWith: +)
            batchCreated = [:]
        }
        try requireAdminWhenSigned()
        var summary = try runImport(&source, options: options, committed: moveBatch) { db in
            var regions = Set(try String.fetchAll(db, sql: "SELECT code FROM region WHERE level <> 'cell'"))
            var areas = Set(try String.fetchAll(db, sql: "SELECT id FROM patrol_area"))
            let upsert = try db.makeStatement(sql: """
                INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code, grid_row, grid_col, lat, lon, patrol_area)
                VALUES (?, 'cell', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, grid_row = excluded.grid_row,
                    grid_col = excluded.grid_col, lat = excluded.lat, lon = excluded.lon, patrol_area = excluded.patrol_area
                """)
            let holder = try db.makeStatement(sql: "SELECT code FROM region WHERE level = 'cell' AND grid_row = ? AND grid_col = ? AND code <> ?")
            return { record in
                let code = try Self.required(record, "code")
                try CellCode.validate(code)
                let row = try Self.integer(record, "row"), col = try Self.integer(record, "col")
                var point = record.point
                if let lat = try Self.number(record, "lat", in: -90...90), let lon = try Self.number(record, "lon", in: -180...180) { point = (lat, lon) }
                let district = CellCode.district(of: code), street = CellCode.street(of: code), community = CellCode.community(of: code)
                var made: [String] = []
                if !regions.contains(district) {
                    let zh = record["district_name"] ?? district
                    try Self.insertDistrict(db, code: district, nameZh: zh, nameEn: record["district_name_en"] ?? zh)
                    made.append("district")
                }
                let town = try Self.streetKind(record) == .town
                for (level, regionCode, parent) in [("street", street, district), ("community", community, street)] where !regions.contains(regionCode) {
                    let zh = record["\(level)_name"] ?? regionCode
                    let isTown = level == "street" && town
                    try db.execute(sql: "INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code, town) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [regionCode, level, zh, record["\(level)_name_en"] ?? zh, parent, district, isTown])
                    made.append(isTown ? "town" : level)
                }
                let area = record["patrol_area"]
                if let area, !areas.contains(area) {
                    guard area.utf8.count <= 64 else { throw WorkflowError.invalidInput("patrol_area is over 64 bytes") }
                    try db.execute(sql: "INSERT INTO patrol_area(id, community_code, name) VALUES (?, ?, ?)",
                                   arguments: [area, community, record["patrol_area_name"] ?? area])
                    made.append("patrol_area")
                }
                let name = try Self.limited(record, "name", bytes: 200) ?? "单元网格 \(CellCode.serial(of: code))"
                let nameEn = try Self.limited(record, "name_en", bytes: 200) ?? "Cell \(CellCode.serial(of: code))"
                do {
                    try upsert.execute(arguments: [code, name, nameEn, community, district, row, col, point?.lat, point?.lon, area])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    if let other = try String.fetchOne(holder, arguments: [row, col, code]) {
                        throw WorkflowError.invalidInput("grid position row \(row), col \(col) already holds cell \(other)")
                    }
                    throw error
                }
                // Only once the whole record is written do the new regions count (a savepoint may undo them).
                regions.insert(district); regions.insert(street); regions.insert(community)
                if let area { areas.insert(area) }
                for kind in made { batchCreated[kind, default: 0] += 1 }
            }
        }
        if summary.committed { summary.created = created }
        return summary
    }

    /// The optional `street_kind` column of a grid record: `street` (街道, the default when empty or absent) or `town` (镇).
    static func streetKind(_ record: ImportRecord) throws -> RegionKind {
        guard let text = record["street_kind"]?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return .street }
        switch text {
        case "street", "街道": return .street
        case "town", "镇": return .town
        default: throw WorkflowError.invalidInput("street_kind must be street or town, not '\(OperatorRules.printable(text))'")
        }
    }

    // MARK: Components

    /// Adds or updates components. Columns: id (16 digits: district 6 + class 4 + serial 6), cell (or lat/lon or a
    /// GeoJSON Point: the nearest cell centre within 150 m); optional category (the id's class), name, department
    /// (the category's), state (normal; `intact`, its old name, is read as normal), updated_at (now).
    public func importComponents<Source: RecordSource>(_ source: inout Source, at now: Date, options: ImportOptions) throws(WorkflowError) -> ImportSummary {
        try requireAdminWhenSigned()
        return try runImport(&source, options: options) { db in
            let context = try self.context(db)
            let times = FastInstant(timeZone: context.calendar.timeZone)
            let window = try Self.timeWindow(db)
            let cells = Set(try String.fetchAll(db, sql: "SELECT code FROM region WHERE level = 'cell'"))
            let locator = try Self.cellLocator(db)
            let upsert = try db.makeStatement(sql: """
                INSERT INTO component(id, category_code, name, department, cell_code, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET category_code = excluded.category_code, name = excluded.name, department = excluded.department,
                    cell_code = excluded.cell_code, state = excluded.state, updated_at = excluded.updated_at
                """)
            return { record in
                let id = try Self.required(record, "id")
                guard id.count == 16, id.allSatisfy(\.isASCIIDigit) else {
                    throw WorkflowError.invalidInput("component id '\(id)' must be 16 digits: district 6 + class 4 + serial 6")
                }
                let classCode = String(id.dropFirst(6).prefix(4))
                let code = record["category"] ?? classCode
                guard code == classCode else { throw WorkflowError.invalidInput("category \(code) does not match the class \(classCode) in id \(id)") }
                let category = try context.category(CategoryKey(kind: .component, code: code))
                let cell = try Self.cell(of: record, locator: locator)
                guard cells.contains(cell) else { throw WorkflowError.notFound("no cell \(cell) in this city") }
                // A component id starts with its district's code, as a cell code does.
                guard CellCode.district(of: id) == CellCode.district(of: cell) else {
                    throw WorkflowError.invalidInput("component \(id) belongs to district \(CellCode.district(of: id)) but cell \(cell) is in district \(CellCode.district(of: cell))")
                }
                let department = record["department"]?.uppercased() ?? category.department
                guard context.departments[department] != nil else { throw WorkflowError.notFound("no department \(department)") }
                // `intact`, the old name of `normal`, still reads (a file exported before v16).
                let stateText = record["state"] ?? ComponentState.normal.rawValue
                guard let state = ComponentState(importName: stateText) else {
                    throw WorkflowError.invalidInput("state must be one of \(ComponentState.allCases.map(\.rawValue).joined(separator: ", ")), not '\(stateText)'")
                }
                var updated = now
                if let text = record["updated_at"] {
                    updated = try times.parse(text)
                    try window.check(updated, now: now, what: "updated_at", typed: text)
                }
                let name = try Self.limited(record, "name", bytes: 200) ?? category.nameZh
                try upsert.execute(arguments: [id, code, name, department, cell, state.stored, updated.storageSeconds])
            }
        }
    }

    // MARK: Fields

    static func required(_ record: ImportRecord, _ name: String) throws(WorkflowError) -> String {
        guard let value = record[name], !value.isBlank else { throw .invalidInput("column '\(name)' is missing or empty") }
        return value
    }

    static func limited(_ record: ImportRecord, _ name: String, bytes: Int) throws(WorkflowError) -> String? {
        guard let value = record[name] else { return nil }
        guard value.utf8.count <= bytes else { throw .invalidInput("\(name) is \(value.utf8.count) bytes; the limit is \(bytes)") }
        return value
    }

    static func integer(_ record: ImportRecord, _ name: String) throws(WorkflowError) -> Int {
        let text = try required(record, name)
        guard let value = Int(text.trimmedWhitespace), abs(value) <= 1_000_000 else {
            throw .invalidInput("\(name) must be a whole number (at most 1000000 in size), not '\(text)'")
        }
        return value
    }

    static func number(_ record: ImportRecord, _ name: String, in range: ClosedRange<Double>) throws(WorkflowError) -> Double? {
        guard let text = record[name] else { return nil }
        guard let value = Double(text.trimmedWhitespace), value.isFinite, range.contains(value) else {
            throw .invalidInput("\(name) must be a number between \(range.lowerBound) and \(range.upperBound), not '\(text)'")
        }
        return value
    }

    /// The `cell` column, else the cell nearest `lat`/`lon` (columns or the feature's geometry).
    static func cell(of record: ImportRecord, locator: CellLocator) throws(WorkflowError) -> String {
        if let code = record["cell"] {
            try CellCode.validate(code)
            return code
        }
        var point = record.point
        if let lat = try number(record, "lat", in: -90...90), let lon = try number(record, "lon", in: -180...180) { point = (lat, lon) }
        guard let point else { throw .invalidInput("column 'cell' is missing (or give lat and lon)") }
        guard let code = locator.nearest(lat: point.lat, lon: point.lon) else {
            throw .notFound("no cell centre within 150 m of (\(point.lat), \(point.lon))")
        }
        return code
    }

    static func cellPlaces(_ db: Database) throws -> [String: CellPlace] {
        var places: [String: CellPlace] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT code, patrol_area FROM region WHERE level = 'cell'") {
            let code: String = row["code"]
            places[code] = CellPlace(cellCode: code, patrolAreaID: row["patrol_area"])
        }
        return places
    }

    static func cellLocator(_ db: Database) throws -> CellLocator {
        CellLocator(try Row.fetchAll(db, sql: "SELECT code, lat, lon FROM region WHERE level = 'cell' AND lat IS NOT NULL AND lon IS NOT NULL")
            .map { (code: $0["code"], lat: $0["lat"], lon: $0["lon"]) })
    }
}
