import Foundation
import GRDB

extension CityStore {

    /// Adds a district with the centers the site's model gives it.
    public func addDistrict(code: String, nameZh: String, nameEn: String) throws(WorkflowError) {
        try write { db in try Self.insertDistrict(db, code: code, nameZh: nameZh, nameEn: nameEn) }
    }

    package static func insertDistrict(_ db: Database, code: String, nameZh: String, nameEn: String) throws {
        let settings = try settings(db)
        try db.execute(sql: "INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code) VALUES (?, 'district', ?, ?, ?, ?)",
                       arguments: [code, nameZh, nameEn, settings.cityCode, code])
        for spec in settings.model.centerSpecs(districts: [code]) where spec.tier == .district {
            try insertCenter(db, kind: spec.kind, tier: .district, district: code, regionCode: code,
                             regionNameZh: nameZh, regionNameEn: nameEn)
        }
    }

    /// Adds a street or community under its parent (the parent code is the code's prefix).
    public func addRegion(code: String, level: RegionLevel, nameZh: String, nameEn: String) throws(WorkflowError) {
        try addRegion(code: code, kind: RegionKind(level), nameZh: nameZh, nameEn: nameEn)
    }

    /// Adds a street, town or community under its parent (the parent code is the code's prefix).
    public func addRegion(code: String, kind: RegionKind, nameZh: String, nameEn: String) throws(WorkflowError) {
        let level = kind.level
        guard level == .street || level == .community, code.count == level.codeLength, code.allSatisfy(\.isASCIIDigit) else {
            throw .invalidInput("a \(kind.rawValue) code has \(level.codeLength) digits")
        }
        let parent = String(code.prefix(level == .street ? 6 : 9))
        try write { db in
            try db.execute(sql: "INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code, town) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [code, level.rawValue, nameZh, nameEn, parent, CellCode.district(of: code), kind == .town])
        }
    }

    public func addPatrolArea(id: String, communityCode: String, name: String) throws(WorkflowError) {
        try write { db in
            try PatrolAreaRecord(id: id, communityCode: communityCode, name: name).insert(db)
        }
    }

    public func addCell(_ cell: GridCell) throws(WorkflowError) {
        try CellCode.validate(cell.code)
        try write { db in
            try db.execute(sql: """
                INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code, grid_row, grid_col, lat, lon, patrol_area)
                VALUES (?, 'cell', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [cell.code, cell.nameZh, cell.nameZh, CellCode.community(of: cell.code), CellCode.district(of: cell.code),
                                 cell.row, cell.col, cell.lat, cell.lon, cell.patrolAreaID])
        }
    }

    /// Where a cell sits; a clear refusal for malformed or unknown codes.
    public func cellPlace(_ code: String) throws(WorkflowError) -> CellPlace {
        try CellCode.validate(code)
        return try read { db in try Self.cellPlace(db, code) }
    }

    static func cellPlace(_ db: Database, _ code: String) throws -> CellPlace {
        guard let row = try Row.fetchOne(db, sql: "SELECT code, patrol_area FROM region WHERE code = ? AND level = 'cell'",
                                         arguments: [code]) else {
            throw WorkflowError.notFound("no cell \(code) in this city")
        }
        return CellPlace(cellCode: code, patrolAreaID: row["patrol_area"])
    }

    public func cells(inRegion prefix: String? = nil) throws(WorkflowError) -> [GridCell] {
        try read { db in
            var sql = "SELECT code, name_zh, grid_row, grid_col, lat, lon, patrol_area FROM region WHERE level = 'cell'"
            var arguments: StatementArguments = []
            if let prefix, let range = Self.prefixRange(prefix) {
                sql += " AND code >= ? AND code < ?"
                arguments = [range.0, range.1]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY grid_row, grid_col", arguments: arguments).map { row in
                GridCell(code: row["code"], nameZh: row["name_zh"], row: row["grid_row"], col: row["grid_col"],
                         lat: row["lat"] ?? 0, lon: row["lon"] ?? 0, patrolAreaID: row["patrol_area"])
            }
        }
    }

    /// Codes are digit strings, so a prefix covers the half-open range [prefix, prefix + ":").
    static func prefixRange(_ prefix: String) -> (String, String)? {
        prefix.isEmpty ? nil : (prefix, prefix + ":")
    }

    /// Regions of one level (or all), optionally under a parent, with their number of cells.
    public func regions(level: RegionLevel? = nil, parent: String? = nil) throws(WorkflowError) -> [Region] {
        try regions(kind: nil, level: level, parent: parent)
    }

    /// Regions of one kind (a town or a street are both at the street level), optionally under a parent.
    public func regions(kind: RegionKind?, parent: String? = nil) throws(WorkflowError) -> [Region] {
        try regions(kind: kind, level: kind?.level, parent: parent)
    }

    private func regions(kind: RegionKind?, level: RegionLevel?, parent: String?) throws(WorkflowError) -> [Region] {
        try read { db in
            let cityCode = try Self.settings(db).cityCode
            var sql = "SELECT code, level, name_zh, name_en, parent_code, lat, lon, patrol_area, town FROM region WHERE 1"
            var arguments: StatementArguments = []
            if let level { sql += " AND level = ?"; arguments += [level.rawValue] }
            if kind == .street { sql += " AND town = 0" } else if kind == .town { sql += " AND town = 1" }
            if let parent { sql += " AND parent_code = ?"; arguments += [parent] }
            let rows = try Row.fetchAll(db, sql: sql + " ORDER BY code", arguments: arguments)
            // Cell counts by prefix: a few thousand cells, counted once in memory.
            let cellCodes = try String.fetchAll(db, sql: "SELECT code FROM region WHERE level = 'cell'")
            var counts: [String: Int] = [:]
            for code in cellCodes {
                for length in [6, 9, 12] { counts[String(code.prefix(length)), default: 0] += 1 }
            }
            return try rows.map { row in
                let code: String = row["code"]
                let level: RegionLevel = try StoredValue.decode(row, "level", of: "region \(code)")
                let count = level == .city ? (code == cityCode ? cellCodes.count : 0) : level == .cell ? 1 : counts[code] ?? 0
                return Region(code: code, level: level, nameZh: row["name_zh"], nameEn: row["name_en"],
                              parentCode: row["parent_code"], cellCount: count, lat: level == .cell ? row["lat"] : nil,
                              lon: level == .cell ? row["lon"] : nil, patrolAreaID: level == .cell ? row["patrol_area"] : nil,
                              isTown: level == .street && row["town"] == true)
            }
        }
    }
}

extension GridCell {
    /// How far from a cell's centre a point from the outside world is still placed in it (a cell is about 100 m across).
    public static let reachMeters: Double = 150
}

extension CityStore {
    /// The cell whose centre is nearest to a point from the outside world (a phone's GPS, an Open311
    /// request), if one lies within `maxMeters` (a cell is about 100 m across).
    public func cell(nearLatitude lat: Double, longitude lon: Double, maxMeters: Double = GridCell.reachMeters) throws(WorkflowError) -> GridCell? {
        guard lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw .invalidInput("(\(lat), \(lon)) is not a latitude and longitude")
        }
        let metersPerDegreeLat = 111_320.0
        let metersPerDegreeLon = 111_320.0 * cos(lat * .pi / 180)
        let dLat = maxMeters / metersPerDegreeLat
        let dLon = maxMeters / max(1, metersPerDegreeLon)
        // A bounding box first (served by no index, but a city has only thousands of cells), then the nearest centre.
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT code, name_zh, grid_row, grid_col, lat, lon, patrol_area FROM region
                WHERE level = 'cell' AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?
                """, arguments: [lat - dLat, lat + dLat, lon - dLon, lon + dLon])
            var best: (GridCell, Double)?
            for row in rows {
                let cell = GridCell(code: row["code"], nameZh: row["name_zh"], row: row["grid_row"], col: row["grid_col"],
                                    lat: row["lat"] ?? 0, lon: row["lon"] ?? 0, patrolAreaID: row["patrol_area"])
                let dy = (cell.lat - lat) * metersPerDegreeLat, dx = (cell.lon - lon) * metersPerDegreeLon
                let distance = (dx * dx + dy * dy).squareRoot()
                if distance <= maxMeters, distance < (best?.1 ?? .infinity) { best = (cell, distance) }
            }
            return best?.0
        }
    }
}
