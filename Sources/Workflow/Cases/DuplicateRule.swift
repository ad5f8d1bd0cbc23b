import Foundation

/// An open case that may describe the same problem as a new report (or another case).
public struct DuplicateCandidate: Sendable, Equatable {
    public var serviceCase: ServiceCase
    /// Grid steps between the two cells: 0 the same cell, 1 a neighbour (the 8 around it).
    public var cellDistance: Int
    /// Metres between the two cells' centre points, when both cells have coordinates.
    public var meters: Double?
    /// How long ago, at `now`, the candidate was reported.
    public var age: TimeInterval

    public init(serviceCase: ServiceCase, cellDistance: Int, meters: Double?, age: TimeInterval) {
        self.serviceCase = serviceCase; self.cellDistance = cellDistance; self.meters = meters; self.age = age
    }
}

/// What counts as a likely duplicate: an open case of the same category, in the same cell or one of the
/// eight cells around it on the grid, reported within the window of the reference time. Pure: the store
/// fetches the few cases the index finds, this decides and ranks.
public struct DuplicateRule: Sendable, Equatable {
    /// Site setting `duplicate.window_hours`.
    public static let settingKey = "duplicate.window_hours"
    public static let defaultWindowHours = 24.0

    public var window: TimeInterval

    public init(windowHours: Double = DuplicateRule.defaultWindowHours) {
        window = windowHours * 3600
    }

    /// Steps between two grid positions in the 8-neighbourhood sense (Chebyshev distance).
    public static func gridDistance(_ a: (row: Int, col: Int), _ b: (row: Int, col: Int)) -> Int {
        max(abs(a.row - b.row), abs(a.col - b.col))
    }

    /// Metres between two points a cell apart or so: an equirectangular approximation is exact enough.
    public static func meters(from a: (lat: Double, lon: Double), to b: (lat: Double, lon: Double)) -> Double {
        let metersPerDegree = 111_320.0
        let dy = (a.lat - b.lat) * metersPerDegree
        let dx = (a.lon - b.lon) * metersPerDegree * cos((a.lat + b.lat) / 2 * .pi / 180)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The reporting times a candidate may have: the window on both sides of `reference`, never after `now`.
    public func reportedRange(around reference: Date, now: Date) -> ClosedRange<Date> {
        let upper = min(now, reference.addingTimeInterval(window))
        let lower = reference.addingTimeInterval(-window)
        return lower...max(lower, upper)
    }

    /// Whether `other` is a likely duplicate of a report of `key` in a cell at `position`, reported at `reference`.
    public func matches(_ other: ServiceCase, otherPosition: (row: Int, col: Int), key: CategoryKey,
                        position: (row: Int, col: Int), reference: Date, now: Date) -> Bool {
        other.state.isOpen && other.categoryKey == key
            && Self.gridDistance(position, otherPosition) <= 1
            && reportedRange(around: reference, now: now).contains(other.reportedAt)
    }

    /// Nearest first, then closest in time to the reference, then the older case (the natural survivor).
    public static func ranked(_ candidates: [DuplicateCandidate], reference: Date) -> [DuplicateCandidate] {
        candidates.sorted { a, b in
            if a.cellDistance != b.cellDistance { return a.cellDistance < b.cellDistance }
            let ga = abs(a.serviceCase.reportedAt.timeIntervalSince(reference))
            let gb = abs(b.serviceCase.reportedAt.timeIntervalSince(reference))
            if ga != gb { return ga < gb }
            return a.serviceCase.id < b.serviceCase.id
        }
    }
}
