import CSV
import Foundation

/// One row of a roster: on `date`, during `shift`, `inspector` walks `patrolArea`.
public struct RosterEntry: Sendable, Equatable, Codable {
    /// The day the shift starts (a night shift that crosses midnight belongs to the day it starts).
    public var date: LocalDate
    public var shift: String
    public var patrolArea: String
    public var inspectorID: Int64
    public var inspectorLogin: String

    public init(date: LocalDate, shift: String, patrolArea: String, inspectorID: Int64, inspectorLogin: String) {
        self.date = date; self.shift = shift; self.patrolArea = patrolArea; self.inspectorID = inspectorID
        self.inspectorLogin = inspectorLogin
    }
}

/// A row of a roster file as written, before the inspector and area are looked up.
public struct RosterLine: Sendable, Equatable {
    /// 1-based physical line of the file.
    public var line: Int
    public var date: LocalDate
    public var shift: String
    public var patrolArea: String
    public var inspector: String
}

/// Rows of a roster file that cannot be taken, each with its line; the whole file is refused with them.
public struct RosterRefusal: Error, Sendable, Equatable {
    public var problems: [(line: Int, problem: String)]
    /// How many problems are kept to show (the count is always complete).
    public static let shown = 50
    public var count: Int

    public static func == (a: RosterRefusal, b: RosterRefusal) -> Bool {
        a.count == b.count && a.problems.map(\.line) == b.problems.map(\.line) && a.problems.map(\.problem) == b.problems.map(\.problem)
    }

    public var message: String {
        let head = "\(count) row\(count == 1 ? "" : "s") refused, nothing imported"
        var lines = problems.map { "line \($0.line): \($0.problem)" }
        if count > problems.count { lines.append("… and \(count - problems.count) more") }
        return ([head] + lines).joined(separator: "\n")
    }
}

/// Rosters (排班): who walks which patrol area in which shift, and from them who is on duty at an instant and who
/// takes a verify or check task in a cell. Pure: the store reads the rows, the site's shifts and calendar.
public enum Roster {

    // MARK: The file

    /// Parses `date,shift,patrol_area,inspector` CSV text. The header is optional (when present it must be exactly those
    /// four names); blank lines and lines starting with `#` are skipped; fields are trimmed. Every malformed row is
    /// named (`RosterRefusal`), not just the first, and nothing is returned unless every row is good.
    public static func parse(csv text: String) throws(RosterRefusal) -> [RosterLine] {
        var problems: [(Int, String)] = []
        var count = 0
        func refuse(_ line: Int, _ problem: String) {
            count += 1
            if problems.count < RosterRefusal.shown { problems.append((line, problem)) }
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: true) } catch {
            throw RosterRefusal(problems: [(1, "not CSV: \(error)")], count: 1)
        }
        var result: [RosterLine] = []
        var line = 1
        var sawRow = false
        while let row = reader.next() {
            let rowLine = line
            line += 1 + row.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }
            if row.allSatisfy(\.isEmpty) || row[0].hasPrefix("#") { continue }
            if !sawRow {
                sawRow = true
                if row[0].lowercased() == "date" {
                    if row.map({ $0.lowercased() }) != ["date", "shift", "patrol_area", "inspector"] {
                        refuse(rowLine, "the header must be date,shift,patrol_area,inspector, not \(row.joined(separator: ","))")
                    }
                    continue
                }
            }
            guard row.count == 4 else {
                refuse(rowLine, "\(row.count) field\(row.count == 1 ? "" : "s"); a row is date,shift,patrol_area,inspector")
                continue
            }
            guard let date = LocalDate(string: row[0]) else { refuse(rowLine, "'\(row[0])' is not a date YYYY-MM-DD"); continue }
            let names = ["shift", "patrol_area", "inspector"]
            if let empty = (1...3).first(where: { row[$0].isEmpty }) { refuse(rowLine, "the \(names[empty - 1]) is empty"); continue }
            result.append(RosterLine(line: rowLine, date: date, shift: row[1], patrolArea: row[2], inspector: row[3]))
        }
        if let error = reader.error { refuse(line, "not CSV: \(error)") }
        if result.isEmpty && count == 0 { refuse(1, "no rows") }
        guard count == 0 else { throw RosterRefusal(problems: problems, count: count) }
        return result
    }

    // MARK: Duty

    /// The entries whose shift runs at `instant` (start included, end excluded), in the calendar's zone. Entries of a
    /// shift the settings no longer name are never on duty. `entries` may hold any days; only those whose shift can
    /// reach `instant` (the local day and the day before) count.
    public static func onDuty(at instant: Date, entries: [RosterEntry], shifts: [ShiftTime], calendar: WorkingCalendar) -> [RosterEntry] {
        let today = calendar.localDate(of: instant)
        let byName = Dictionary(shifts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return entries.filter { entry in
            guard entry.date == today || entry.date == today.adding(days: -1), let shift = byName[entry.shift] else { return false }
            return shift.interval(on: entry.date, calendar: calendar).contains(instant)
        }
    }

    /// The days whose shifts may run at `instant`: the local day and the one before (a shift crossing midnight).
    public static func days(around instant: Date, calendar: WorkingCalendar) -> [LocalDate] {
        let today = calendar.localDate(of: instant)
        return [today.adding(days: -1), today]
    }

    /// A cell on the city's grid, for distances between cells and patrol areas.
    public struct Place: Sendable, Equatable {
        public var row: Int
        public var col: Int
        public init(row: Int, col: Int) { self.row = row; self.col = col }
    }

    /// Who takes an inspector's task in a cell at an instant, from the inspectors on duty then.
    public struct Cover: Sendable, Equatable {
        /// On duty in the cell's own patrol area, else in the nearest area of the same district that has someone on
        /// duty (nearest cell to cell, then area id); the first is the one a task goes to.
        public var inspectorIDs: [Int64]
        /// The area they are on duty in, nil when nobody is.
        public var patrolArea: String?
        /// Whether that area is the cell's own.
        public var ownArea: Bool
    }

    /// `onDuty`: the entries on duty now; `areaCells`: each patrol area's cells, for the distance to the cell; the cell's
    /// own area first. Only areas of the cell's district (`district` of each area) are neighbours.
    public static func cover(cell: Place, cellArea: String?, district: String, onDuty: [RosterEntry],
                             areaCells: [String: [Place]], areaDistrict: [String: String]) -> Cover {
        var byArea: [String: [Int64]] = [:]
        for entry in onDuty.sorted(by: { ($0.shift, $0.inspectorLogin) < ($1.shift, $1.inspectorLogin) })
        where !(byArea[entry.patrolArea]?.contains(entry.inspectorID) ?? false) {
            byArea[entry.patrolArea, default: []].append(entry.inspectorID)
        }
        if let cellArea, let own = byArea[cellArea], !own.isEmpty {
            return Cover(inspectorIDs: own, patrolArea: cellArea, ownArea: true)
        }
        func distance(_ area: String) -> Int {
            (areaCells[area] ?? []).map { let dr = $0.row - cell.row, dc = $0.col - cell.col; return dr * dr + dc * dc }.min() ?? .max
        }
        let nearest = byArea.keys.filter { $0 != cellArea && areaDistrict[$0] == district && areaCells[$0]?.isEmpty == false }
            .map { (area: $0, distance: distance($0)) }
            .min { ($0.distance, $0.area) < ($1.distance, $1.area) }
        guard let nearest else { return Cover(inspectorIDs: [], patrolArea: nil, ownArea: false) }
        return Cover(inspectorIDs: byArea[nearest.area] ?? [], patrolArea: nearest.area, ownArea: false)
    }
}
