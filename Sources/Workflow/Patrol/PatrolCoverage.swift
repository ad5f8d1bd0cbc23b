import Foundation

/// How coverage figures are grouped.
public enum CoverageGrouping: String, Sendable, CaseIterable, Codable {
    case city, district, street, community
    case patrolArea = "patrol-area"
    case inspector
}

/// One row of coverage (巡查覆盖率): of `cells`, `visited` had a ping in the window.
public struct CoverageRow: Sendable, Equatable {
    /// A region code, a patrol area id, an inspector's login; `TOTAL` for the city.
    public var key: String
    public var name: String?
    public var cells: Int
    public var visited: Int
    /// Percent, nil when there are no cells to count.
    public var rate: Double? { cells == 0 ? nil : Double(visited) * 100 / Double(cells) }

    public init(key: String, name: String?, cells: Int, visited: Int) {
        self.key = key; self.name = name; self.cells = cells; self.visited = visited
    }
}

public struct CoverageReport: Sendable, Equatable {
    public var hours: Int
    public var at: Date
    public var grouping: CoverageGrouping
    public var rows: [CoverageRow]
    public var total: CoverageRow
}

/// Patrol coverage (巡查覆盖率), pure: cells visited (at least one ping placed in the cell) within a window ÷ cells.
/// - by a region (city, district, street, community) or a patrol area: its cells visited by anyone ÷ its cells;
/// - by inspector: the cells of the inspector's own patrol area the inspector visited ÷ the cells of that area
///   (an inspector with no area has no cells: n/a).
public enum PatrolCoverage {
    public struct Cell: Sendable, Equatable {
        public var code: String
        public var patrolArea: String?
        public init(code: String, patrolArea: String?) { self.code = code; self.patrolArea = patrolArea }
    }

    public struct Visit: Sendable, Equatable, Hashable {
        public var cell: String
        public var inspectorID: Int64
        public init(cell: String, inspectorID: Int64) { self.cell = cell; self.inspectorID = inspectorID }
    }

    public struct Inspector: Sendable, Equatable {
        public var id: Int64
        public var login: String
        public var patrolArea: String?
        public init(id: Int64, login: String, patrolArea: String?) { self.id = id; self.login = login; self.patrolArea = patrolArea }
    }

    /// Rows in key order; `names` gives each region's or area's name.
    public static func rows(by grouping: CoverageGrouping, cells: [Cell], visits: [Visit], inspectors: [Inspector],
                            names: [String: String]) -> [CoverageRow] {
        if grouping == .inspector {
            var areaCells: [String: Set<String>] = [:]
            for c in cells { if let a = c.patrolArea { areaCells[a, default: []].insert(c.code) } }
            var byInspector: [Int64: Set<String>] = [:]
            for v in visits { byInspector[v.inspectorID, default: []].insert(v.cell) }
            return inspectors.map { i in
                let own = i.patrolArea.flatMap { areaCells[$0] } ?? []
                return CoverageRow(key: i.login, name: i.patrolArea, cells: own.count, visited: own.intersection(byInspector[i.id] ?? []).count)
            }
        }
        let visited = Set(visits.map(\.cell))
        var counts: [String: (cells: Int, visited: Int)] = [:]
        for c in cells {
            let key: String?
            switch grouping {
            case .city: key = "TOTAL"
            case .district: key = String(c.code.prefix(6))
            case .street: key = String(c.code.prefix(9))
            case .community: key = String(c.code.prefix(12))
            case .patrolArea: key = c.patrolArea
            case .inspector: key = nil
            }
            guard let key else { continue }
            counts[key, default: (0, 0)].cells += 1
            if visited.contains(c.code) { counts[key]!.visited += 1 }
        }
        return counts.keys.sorted().map { CoverageRow(key: $0, name: names[$0], cells: counts[$0]!.cells, visited: counts[$0]!.visited) }
    }
}
