// The demo city's geography: districts, streets, communities, unit cells,
// patrol areas and a "hotness" weight per cell for demo case generation.
//
// Everything is derived from one seed, deterministically and without
// Foundation: the district outlines are fixed (see DemoGeographyShapes.swift),
// the seed moves the street and community boundaries, the community names and
// the hotspots. Counts never depend on the seed.

/// A deterministic demo city on one grid of ~100 m cells (row 0 is north).
public struct DemoGeography: Sendable, Equatable, Codable {

    /// The city itself (code and names only).
    public struct Place: Sendable, Hashable, Codable {
        public let code: String
        public let nameZh: String
        public let nameEn: String
    }

    /// A county-level district (区), 6-digit GB/T 2260 code.
    public struct District: Sendable, Hashable, Codable {
        public let code: String
        public let nameZh: String
        public let nameEn: String
    }

    /// A street (街道): 9-digit code = district (6) + street (3).
    public struct Street: Sendable, Hashable, Codable {
        public let code: String
        public let districtCode: String
        public let nameZh: String
        public let nameEn: String
    }

    /// A community (社区): 12-digit code = street (9) + community (3).
    public struct Community: Sendable, Hashable, Codable {
        public let code: String
        public let streetCode: String
        public let nameZh: String
        public let nameEn: String
    }

    /// A unit cell (单元网格): 15-digit code = community (12) + sequence (3).
    public struct Cell: Sendable, Hashable, Codable {
        public let code: String
        public let communityCode: String
        public let streetCode: String
        public let districtCode: String
        /// Position on the city grid; row 0 is the northernmost row.
        public let row: Int
        public let col: Int
        /// Centre of the cell, WGS-84-ish degrees.
        public let lat: Double
        public let lon: Double
        public let patrolAreaID: String
        /// Relative likelihood of problems here (≥ 0.1, mean ≈ 1 over the city).
        public let hotness: Double
    }

    /// A patrol area (责任网格): a few cells of one community walked by one inspector per shift.
    public struct PatrolArea: Sendable, Hashable, Codable {
        /// Readable and unique, e.g. "110101-004-012-P2".
        public let id: String
        public let communityCode: String
        public let cellCodes: [String]
    }

    /// A place that draws many cases (the centre of one hotness blob).
    public struct Hotspot: Sendable, Hashable, Codable {
        public let nameZh: String
        public let nameEn: String
        public let streetCode: String
        public let row: Int
        public let col: Int
        /// Gaussian standard deviation, in cells.
        public let radius: Double
    }

    public let seed: UInt64
    public let city: Place
    /// By code: Dongcheng (110101), Xicheng (110102), Chaoyang (110105).
    public let districts: [District]
    /// By code.
    public let streets: [Street]
    /// By code.
    public let communities: [Community]
    /// By code; `neighbours(ofCellAt:)` and `cellIndex(row:col:)` use indices into this array.
    public let cells: [Cell]
    /// By id, community by community.
    public let patrolAreas: [PatrolArea]
    public let hotspots: [Hotspot]
    /// Size of the city grid (all cells have `row < rows`, `col < cols`).
    public let rows: Int
    public let cols: Int

    /// `rows * cols` entries: the index in `cells` of the cell at a grid position, or -1.
    private let gridLookup: [Int32]

    private enum CodingKeys: String, CodingKey {
        case seed, city, districts, streets, communities, cells, patrolAreas, hotspots, rows, cols
    }

    init(
        seed: UInt64, city: Place, districts: [District], streets: [Street], communities: [Community],
        cells: [Cell], patrolAreas: [PatrolArea], hotspots: [Hotspot], rows: Int, cols: Int
    ) {
        self.seed = seed
        self.city = city
        self.districts = districts
        self.streets = streets
        self.communities = communities
        self.cells = cells
        self.patrolAreas = patrolAreas
        self.hotspots = hotspots
        self.rows = rows
        self.cols = cols
        self.gridLookup = DemoGeography.makeLookup(cells: cells, rows: rows, cols: cols)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            seed: try c.decode(UInt64.self, forKey: .seed),
            city: try c.decode(Place.self, forKey: .city),
            districts: try c.decode([District].self, forKey: .districts),
            streets: try c.decode([Street].self, forKey: .streets),
            communities: try c.decode([Community].self, forKey: .communities),
            cells: try c.decode([Cell].self, forKey: .cells),
            patrolAreas: try c.decode([PatrolArea].self, forKey: .patrolAreas),
            hotspots: try c.decode([Hotspot].self, forKey: .hotspots),
            rows: try c.decode(Int.self, forKey: .rows),
            cols: try c.decode(Int.self, forKey: .cols)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(city, forKey: .city)
        try c.encode(districts, forKey: .districts)
        try c.encode(streets, forKey: .streets)
        try c.encode(communities, forKey: .communities)
        try c.encode(cells, forKey: .cells)
        try c.encode(patrolAreas, forKey: .patrolAreas)
        try c.encode(hotspots, forKey: .hotspots)
        try c.encode(rows, forKey: .rows)
        try c.encode(cols, forKey: .cols)
    }

    private static func makeLookup(cells: [Cell], rows: Int, cols: Int) -> [Int32] {
        var lookup = [Int32](repeating: -1, count: max(0, rows * cols))
        for (i, cell) in cells.enumerated()
        where cell.row >= 0 && cell.row < rows && cell.col >= 0 && cell.col < cols {
            lookup[cell.row * cols + cell.col] = Int32(i)
        }
        return lookup
    }

    // MARK: Queries

    /// Index in `cells` of the cell at a grid position, if there is one.
    public func cellIndex(row: Int, col: Int) -> Int? {
        guard row >= 0, row < rows, col >= 0, col < cols else { return nil }
        let i = gridLookup[row * cols + col]
        return i < 0 ? nil : Int(i)
    }

    /// Index in `cells` of the cell with this 15-digit code (binary search; cells are sorted by code).
    public func cellIndex(code: String) -> Int? {
        var lo = 0
        var hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cells[mid].code < code { lo = mid + 1 } else { hi = mid }
        }
        return lo < cells.count && cells[lo].code == code ? lo : nil
    }

    /// Indices of the cells next to `cells[index]` on the grid (any district):
    /// north, west, east, south, then with `diagonal` the four corners.
    public func neighbours(ofCellAt index: Int, diagonal: Bool = false) -> [Int] {
        let cell = cells[index]
        let steps: [(Int, Int)] =
            diagonal
            ? [(-1, 0), (0, -1), (0, 1), (1, 0), (-1, -1), (-1, 1), (1, -1), (1, 1)]
            : [(-1, 0), (0, -1), (0, 1), (1, 0)]
        var result: [Int] = []
        result.reserveCapacity(steps.count)
        for (dr, dc) in steps {
            if let j = cellIndex(row: cell.row + dr, col: cell.col + dc) { result.append(j) }
        }
        return result
    }

    /// Indices into `cells` of the cells whose code starts with `prefix`
    /// (a district, street or community code). Contiguous because cells are sorted by code.
    public func cellIndices(withPrefix prefix: String) -> Range<Int> {
        var lo = 0
        var hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cells[mid].code < prefix { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < cells.count && cells[end].code.hasPrefix(prefix) { end += 1 }
        return lo..<end
    }

    /// Latitude of the centre of a grid row (rows grow southward).
    public func latitude(row: Int) -> Double {
        guard let ref = cells.first else { return DemoGeography.dongchengCentre.lat }
        return ref.lat - Double(row - ref.row) * DemoGeography.latPerRow
    }

    /// Longitude of the centre of a grid column.
    public func longitude(col: Int) -> Double {
        guard let ref = cells.first else { return DemoGeography.dongchengCentre.lon }
        return ref.lon + Double(col - ref.col) * DemoGeography.lonPerCol
    }

    static func meanRowCol(_ positions: [(Int, Int)]) -> (row: Double, col: Double) {
        guard !positions.isEmpty else { return (0, 0) }
        var r = 0
        var c = 0
        for (pr, pc) in positions {
            r += pr
            c += pc
        }
        return (Double(r) / Double(positions.count), Double(c) / Double(positions.count))
    }
}
