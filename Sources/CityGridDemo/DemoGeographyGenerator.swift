// Generation of the demo geography. See DemoGeography.swift for the output.
//
// 1. Dongcheng's outline polygon is scaled so its area is its cell count and
//    rasterised by "depth": the N cells deepest inside the polygon (signed
//    distance to the outline) form the district, then one-cell spurs are
//    swapped for notches. Xicheng and Chaoyang are rasterised the same way from
//    outlines drawn against Dongcheng, keeping only cells at least one empty
//    column (diagonals included) away from it, so the three fit together like
//    real neighbours. None of this depends on the seed (it is computed once).
// 2. Streets: seeded region growing from jittered real-place anchors (a
//    Voronoi diagram grown cell by cell, so every region is 4-connected), then
//    half a Lloyd step.
// 3. Communities: the district's count split over its streets by size (largest
//    remainder), k-means++ seeds, region growing with three Lloyd steps, then a
//    repair pass that moves boundary cells so no community has 1–7 or 11 cells
//    (sizes that cannot be cut into patrol areas of 4–5), never disconnecting
//    one; a street whose repair fails is redrawn (rare).
// 4. Cells are numbered in a two-row serpentine inside their community, and
//    consecutive runs of 4–5 cells in that order form the patrol areas.
// 5. Hotness: a mild urban-core gradient and wave, plus 7–9 Gaussian hotspots
//    carrying at most 35% of the total, normalised to mean 1.
//
// Determinism: only DemoRandom streams (one per stage), integer-keyed heaps,
// index-ordered loops; sets and dictionaries are only looked up, never iterated.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DemoGeography {

    /// The demo city for `seed`. Same seed, same city; the counts never change.
    public static func generate(seed: UInt64) -> DemoGeography {
        var generator = Generator(seed: seed)
        return generator.run()
    }

    // MARK: - District masks

    struct Mask {
        /// Grid positions in the centre district's frame (may be negative until the grid is trimmed).
        let cells: [(row: Int, col: Int)]
        /// Scale from the spec's outline (and street anchors) to that frame.
        let scale: Double
    }

    static func polygonArea(_ p: [(x: Double, y: Double)]) -> Double {
        var s = 0.0
        for i in p.indices {
            let a = p[i]
            let b = p[(i + 1) % p.count]
            s += a.x * b.y - b.x * a.y
        }
        return abs(s) / 2
    }

    static func pointInPolygon(_ p: [(x: Double, y: Double)], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var j = p.count - 1
        for i in p.indices {
            let a = p[i]
            let b = p[j]
            if (a.y > y) != (b.y > y) {
                let xi = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y)
                if x < xi { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    static func distanceToOutline(_ p: [(x: Double, y: Double)], _ x: Double, _ y: Double) -> Double {
        var best = Double.infinity
        for i in p.indices {
            let a = p[i]
            let b = p[(i + 1) % p.count]
            let dx = b.x - a.x
            let dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            var t = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0
            t = min(1, max(0, t))
            let ex = x - a.x - t * dx
            let ey = y - a.y - t * dy
            best = min(best, ex * ex + ey * ey)
        }
        return best.squareRoot()
    }

    /// `masks()`, computed once: the outlines do not depend on the seed.
    static let cachedMasks: [Mask] = masks()

    /// The masks of `districtSpecs`, in that order, in the centre district's grid frame.
    static func masks() -> [Mask] {
        let specs = districtSpecs
        precondition(specs.first?.side == .centre, "the centre district comes first")
        let centre = specs[0]
        let scale = (Double(centre.cellCount) / polygonArea(centre.outline)).squareRoot()
        let centreCells = mask(
            polygon: centre.outline.map { (x: $0.x * scale, y: $0.y * scale) }, count: centre.cellCount
        ) { _, _ in true }
        var westEdge: [Int: Int] = [:]
        var eastEdge: [Int: Int] = [:]
        for cell in centreCells {
            westEdge[cell.row] = min(westEdge[cell.row] ?? Int.max, cell.col)
            eastEdge[cell.row] = max(eastEdge[cell.row] ?? Int.min, cell.col)
        }
        var result = [Mask(cells: centreCells, scale: scale)]
        for spec in specs.dropFirst() {
            let cells: [(row: Int, col: Int)]
            switch spec.side {
            case .centre:
                preconditionFailure("only one centre district")
            case .west:
                // Stop one empty column short of the centre district, diagonals included.
                cells = mask(polygon: spec.outline, count: spec.cellCount) { r, c in
                    let limits = (r - 1...r + 1).compactMap { westEdge[$0] }
                    return limits.allSatisfy { c <= $0 - 2 }
                }
            case .east:
                cells = mask(polygon: spec.outline, count: spec.cellCount) { r, c in
                    let limits = (r - 1...r + 1).compactMap { eastEdge[$0] }
                    return limits.allSatisfy { c >= $0 + 2 }
                }
            }
            result.append(Mask(cells: cells, scale: 1))
        }
        return result
    }

    /// Exactly `count` allowed cells, the ones deepest inside `polygon` (x = column,
    /// y = row, cell centres at +0.5), with one-cell spurs swapped for notches.
    static func mask(
        polygon poly: [(x: Double, y: Double)], count n: Int, allowed: (Int, Int) -> Bool
    ) -> [(row: Int, col: Int)] {
        let x0 = Int((poly.map(\.x).min() ?? 0).rounded(.down)) - 2
        let y0 = Int((poly.map(\.y).min() ?? 0).rounded(.down)) - 2
        let width = Int((poly.map(\.x).max() ?? 0).rounded(.up)) + 3 - x0
        let height = Int((poly.map(\.y).max() ?? 0).rounded(.up)) + 3 - y0
        let total = width * height

        var score = [Double](repeating: -.infinity, count: total)
        var isAllowed = [Bool](repeating: false, count: total)
        for r in 0..<height {
            for c in 0..<width where allowed(r + y0, c + x0) {
                let x = Double(c + x0) + 0.5
                let y = Double(r + y0) + 0.5
                let d = distanceToOutline(poly, x, y)
                score[r * width + c] = pointInPolygon(poly, x, y) ? d : -d
                isAllowed[r * width + c] = true
            }
        }
        let order = (0..<total).filter { isAllowed[$0] }.sorted { a, b in
            score[a] != score[b] ? score[a] > score[b] : a < b
        }
        precondition(order.count >= n, "district box too small")
        var inside = [Bool](repeating: false, count: total)
        for i in order.prefix(n) { inside[i] = true }

        func insideNeighbours(_ i: Int) -> Int {
            let r = i / width
            let c = i % width
            var k = 0
            if r > 0 && inside[i - width] { k += 1 }
            if r < height - 1 && inside[i + width] { k += 1 }
            if c > 0 && inside[i - 1] { k += 1 }
            if c < width - 1 && inside[i + 1] { k += 1 }
            return k
        }
        // Swap one-cell spurs for notches: the count stays, the outline gets cleaner,
        // and removing a cell with at most one neighbour never disconnects the rest.
        for _ in 0..<64 {
            var spur = -1
            var notch = -1
            for i in 0..<total {
                if inside[i] {
                    if insideNeighbours(i) <= 1 && (spur < 0 || score[i] < score[spur]) { spur = i }
                } else if isAllowed[i] && insideNeighbours(i) >= 3 && (notch < 0 || score[i] > score[notch]) {
                    notch = i
                }
            }
            guard spur >= 0, notch >= 0 else { break }
            inside[spur] = false
            inside[notch] = true
        }
        var cells: [(row: Int, col: Int)] = []
        cells.reserveCapacity(n)
        for i in 0..<total where inside[i] { cells.append((i / width + y0, i % width + x0)) }
        return cells
    }

    // MARK: - Generator

    struct Generator {
        let seed: UInt64
        var rows = 0
        var cols = 0
        /// Scratch: grid index → position in the region being worked on, or -1.
        var position: [Int32] = []

        init(seed: UInt64) { self.seed = seed }

        func stream(_ k: UInt64) -> DemoRandom { DemoRandom(seed: seed, stream: k) }

        // MARK: Region growing

        /// Grows one region per seed over `region` (grid indices), always taking next the
        /// unclaimed cell nearest (squared distance) to the seed point of a neighbouring
        /// claimed cell. Returns a label per entry of `region`; each label's cells are
        /// 4-connected and contain their seed cell.
        mutating func grow(region: [Int], points: [(r: Double, c: Double)], seedCells: [Int]) -> [Int] {
            precondition(region.count < 1 << 20 && seedCells.count <= 256, "region too large to grow")
            for i in 0..<region.count { position[region[i]] = Int32(i) }
            defer { for g in region { position[g] = -1 } }
            var labels = [Int](repeating: -1, count: region.count)
            var heap = MinHeap()
            for k in 0..<seedCells.count {
                heap.push(.seed(item: Int(position[seedCells[k]]), label: k))
            }
            while let e = heap.pop() {
                let i = e.item
                if labels[i] >= 0 { continue }
                let k = e.label
                labels[i] = k
                let g = region[i]
                let r = g / cols
                let c = g % cols
                let p = points[k]
                for step in 0..<4 {
                    let nr = r + (step == 0 ? -1 : step == 3 ? 1 : 0)
                    let nc = c + (step == 1 ? -1 : step == 2 ? 1 : 0)
                    guard nr >= 0, nr < rows, nc >= 0, nc < cols else { continue }
                    let j = Int(position[nr * cols + nc])
                    guard j >= 0, labels[j] < 0 else { continue }
                    let dy = Double(nr) - p.r
                    let dx = Double(nc) - p.c
                    heap.push(.step(distance2: dx * dx + dy * dy, item: j, label: k))
                }
            }
            return labels
        }

        static let steps4 = [(-1, 0), (0, -1), (0, 1), (1, 0)]

        /// Centroid of each label, and the label's cell nearest to it.
        func centroids(region: [Int], labels: [Int], count: Int)
            -> (points: [(r: Double, c: Double)], seedCells: [Int])
        {
            var sr = [Double](repeating: 0, count: count)
            var sc = [Double](repeating: 0, count: count)
            var n = [Int](repeating: 0, count: count)
            for i in 0..<region.count {
                let g = region[i]
                let k = labels[i]
                sr[k] += Double(g / cols)
                sc[k] += Double(g % cols)
                n[k] += 1
            }
            var points: [(r: Double, c: Double)] = []
            for k in 0..<count {
                points.append((sr[k] / Double(max(1, n[k])), sc[k] / Double(max(1, n[k]))))
            }
            var best = [Int](repeating: -1, count: count)
            var bestD = [Double](repeating: .infinity, count: count)
            for i in 0..<region.count {
                let g = region[i]
                let k = labels[i]
                let dy = Double(g / cols) - points[k].r
                let dx = Double(g % cols) - points[k].c
                let d = dx * dx + dy * dy
                if d < bestD[k] {
                    bestD[k] = d
                    best[k] = g
                }
            }
            return (points, best)
        }

        /// The region cell nearest to `p` that is not in `taken`.
        func nearestCell(to p: (r: Double, c: Double), in region: [Int], excluding taken: Set<Int>) -> Int {
            var best = -1
            var bestD = Double.infinity
            for g in region where !taken.contains(g) {
                let dy = Double(g / cols) - p.r
                let dx = Double(g % cols) - p.c
                let d = dx * dx + dy * dy
                if d < bestD {
                    bestD = d
                    best = g
                }
            }
            return best
        }

        /// Cuts `region` into `count` 4-connected parts of similar size, none of a size that
        /// cannot be cut into patrol areas of 4–5 cells (redrawn a few times if need be).
        mutating func partition(region: [Int], count: Int, rng: inout DemoRandom, lloydSteps: Int) -> [Int] {
            precondition(count >= 1 && count <= region.count)
            var best: (labels: [Int], badness: Int)? = nil
            for _ in 0..<8 {
                let labels = partitionOnce(region: region, count: count, rng: &rng, lloydSteps: lloydSteps)
                var size = [Int](repeating: 0, count: count)
                for k in labels { size[k] += 1 }
                let badness = size.reduce(0) { $0 + Generator.sizeBadness($1) }
                if best == nil || badness < best!.badness { best = (labels, badness) }
                if badness == 0 { break }
            }
            return best!.labels
        }

        mutating func partitionOnce(region: [Int], count: Int, rng: inout DemoRandom, lloydSteps: Int) -> [Int] {
            // k-means++ seeding.
            var seeds = [region[rng.int(in: 0..<region.count)]]
            var nearest = [Double](repeating: .infinity, count: region.count)
            while seeds.count < count {
                let s = seeds[seeds.count - 1]
                for i in 0..<region.count {
                    let g = region[i]
                    let dy = Double(g / cols - s / cols)
                    let dx = Double(g % cols - s % cols)
                    nearest[i] = min(nearest[i], dx * dx + dy * dy)
                }
                seeds.append(region[rng.weightedIndex(nearest)])
            }
            var points = seeds.map { (r: Double($0 / cols), c: Double($0 % cols)) }
            var labels = grow(region: region, points: points, seedCells: seeds)
            for _ in 0..<lloydSteps {
                let next = centroids(region: region, labels: labels, count: count)
                points = next.points
                seeds = next.seedCells
                labels = grow(region: region, points: points, seedCells: seeds)
            }
            repairSizes(region: region, labels: &labels, count: count)
            return labels
        }

        /// How far a community size is from one that splits into patrol areas of 4–5 cells
        /// (8, 9, 10 or 12 and more; 4 and 5 work too but are unrealistically small).
        static func sizeBadness(_ n: Int) -> Int {
            n < 8 ? 8 - n : (n == 11 ? 1 : 0)
        }

        /// Moves single boundary cells between neighbouring parts while that lowers the
        /// total size badness, never emptying or disconnecting a part.
        mutating func repairSizes(region: [Int], labels: inout [Int], count: Int) {
            if region.count < 8 * count { return }  // no solution in general; leave as grown
            for (i, g) in region.enumerated() { position[g] = Int32(i) }
            var neighbours = [[Int]](repeating: [], count: region.count)
            for (i, g) in region.enumerated() {
                let r = g / cols
                let c = g % cols
                for (dr, dc) in Generator.steps4 {
                    let nr = r + dr
                    let nc = c + dc
                    guard nr >= 0, nr < rows, nc >= 0, nc < cols else { continue }
                    let j = position[nr * cols + nc]
                    if j >= 0 { neighbours[i].append(Int(j)) }
                }
            }
            for g in region { position[g] = -1 }

            var size = [Int](repeating: 0, count: count)
            for k in labels { size[k] += 1 }

            /// Is part `k` still connected without cell `x`?
            func connectedWithout(_ x: Int, part k: Int) -> Bool {
                guard let start = neighbours[x].first(where: { labels[$0] == k }) else { return false }
                var seen: Set<Int> = [x, start]
                var stack = [start]
                var reached = 1
                while let i = stack.popLast() {
                    for j in neighbours[i] where labels[j] == k && !seen.contains(j) {
                        seen.insert(j)
                        stack.append(j)
                        reached += 1
                    }
                }
                return reached == size[k] - 1
            }

            struct Move {
                let cell: Int
                let from: Int
                let to: Int
                let delta: Int
                let fit: Int  // neighbours of the cell in its new part
            }

            // Moves that lower the total badness come first; a move that only shifts the
            // badness onto a neighbour is allowed when nothing better exists, but moves each
            // cell at most once, so the search ends.
            var shifted = Set<Int>()
            for _ in 0..<(4 * region.count) {
                var moved = false
                for c in 0..<count where Generator.sizeBadness(size[c]) > 0 {
                    var moves: [Move] = []
                    for i in region.indices where labels[i] == c {
                        for j in neighbours[i] where labels[j] != c {
                            let d = labels[j]
                            let before = Generator.sizeBadness(size[c]) + Generator.sizeBadness(size[d])
                            // Take j from d.
                            if size[d] > 1 {
                                let after =
                                    Generator.sizeBadness(size[c] + 1) + Generator.sizeBadness(size[d] - 1)
                                if after < before || (after == before && !shifted.contains(j)) {
                                    let fit = neighbours[j].filter { labels[$0] == c }.count
                                    moves.append(Move(cell: j, from: d, to: c, delta: after - before, fit: fit))
                                }
                            }
                            // Give i to d.
                            if size[c] > 1 {
                                let after =
                                    Generator.sizeBadness(size[c] - 1) + Generator.sizeBadness(size[d] + 1)
                                if after < before || (after == before && !shifted.contains(i)) {
                                    let fit = neighbours[i].filter { labels[$0] == d }.count
                                    moves.append(Move(cell: i, from: c, to: d, delta: after - before, fit: fit))
                                }
                            }
                        }
                    }
                    moves.sort { a, b in
                        if a.delta != b.delta { return a.delta < b.delta }
                        if a.fit != b.fit { return a.fit > b.fit }
                        if a.cell != b.cell { return a.cell < b.cell }
                        return a.to < b.to
                    }
                    for m in moves where labels[m.cell] == m.from && connectedWithout(m.cell, part: m.from) {
                        labels[m.cell] = m.to
                        size[m.from] -= 1
                        size[m.to] += 1
                        if m.delta == 0 { shifted.insert(m.cell) }
                        moved = true
                        break
                    }
                }
                if !moved { break }
            }
        }

        // MARK: Run

        mutating func run() -> DemoGeography {
            let specs = DemoGeography.districtSpecs
            let masks = DemoGeography.cachedMasks

            // Trim the grid to the cells' bounding box.
            let all = masks.flatMap(\.cells)
            let minRow = all.map(\.row).min()!
            let minCol = all.map(\.col).min()!
            rows = all.map(\.row).max()! - minRow + 1
            cols = all.map(\.col).max()! - minCol + 1
            position = [Int32](repeating: -1, count: rows * cols)

            var cellDistrict = [Int](repeating: -1, count: rows * cols)
            var districtCells: [[Int]] = []
            for d in specs.indices {
                let cells = masks[d].cells.map { ($0.row - minRow) * cols + $0.col - minCol }
                for g in cells {
                    precondition(cellDistrict[g] < 0, "districts overlap")
                    cellDistrict[g] = d
                }
                districtCells.append(cells.sorted())
            }

            // Streets, then communities.
            struct StreetWork {
                let district: Int
                let spec: StreetSpec
                var cells: [Int]
                var communities: [[Int]] = []
            }
            var streetWork: [StreetWork] = []
            var rngStreets = stream(1)
            var rngCommunities = stream(2)
            for (d, spec) in specs.enumerated() {
                let region = districtCells[d]
                let scale = masks[d].scale
                var taken: Set<Int> = []
                var points: [(r: Double, c: Double)] = []
                var seedCells: [Int] = []
                for s in spec.streets {
                    let p = (
                        r: s.anchor.y * scale - Double(minRow) + rngStreets.double(in: -2..<2),
                        c: s.anchor.x * scale - Double(minCol) + rngStreets.double(in: -2..<2)
                    )
                    let g = nearestCell(to: p, in: region, excluding: taken)
                    taken.insert(g)
                    points.append(p)
                    seedCells.append(g)
                }
                var labels = grow(region: region, points: points, seedCells: seedCells)
                let relaxed = centroids(region: region, labels: labels, count: spec.streets.count)
                // Half a Lloyd step: keeps streets near their real places but evens them out.
                let halfway = zip(points, relaxed.points).map { (r: ($0.r + $1.r) / 2, c: ($0.c + $1.c) / 2) }
                var halfwaySeeds: [Int] = []
                var used: Set<Int> = []
                for (k, p) in halfway.enumerated() {
                    let mine = region.enumerated().filter { labels[$0.offset] == k }.map(\.element)
                    let g = nearestCell(to: p, in: mine, excluding: used)
                    used.insert(g)
                    halfwaySeeds.append(g)
                }
                labels = grow(region: region, points: halfway, seedCells: halfwaySeeds)

                var streetCells = [[Int]](repeating: [], count: spec.streets.count)
                for (i, g) in region.enumerated() { streetCells[labels[i]].append(g) }
                let quotas = Generator.apportion(
                    total: spec.communityCount, sizes: streetCells.map(\.count))
                for (k, s) in spec.streets.enumerated() {
                    let cells = streetCells[k]
                    let parts = partition(
                        region: cells, count: quotas[k], rng: &rngCommunities, lloydSteps: 3)
                    var communities = [[Int]](repeating: [], count: quotas[k])
                    for (i, g) in cells.enumerated() { communities[parts[i]].append(g) }
                    // Number communities roughly north to south, west to east.
                    let keyed = communities.map { cs -> (band: Int, col: Double, cells: [Int]) in
                        let m = DemoGeography.meanRowCol(cs.map { ($0 / cols, $0 % cols) })
                        return (Int(m.row / 6), m.col, cs)
                    }
                    let ordered = keyed.sorted { a, b in
                        a.band != b.band ? a.band < b.band : (a.col != b.col ? a.col < b.col : a.cells[0] < b.cells[0])
                    }
                    streetWork.append(
                        StreetWork(district: d, spec: s, cells: cells, communities: ordered.map(\.cells)))
                }
            }

            // Lat/long: Dongcheng's mean cell maps to its real centre.
            let dongchengIndex = specs.firstIndex { $0.code == DemoGeography.dongcheng.code }!
            let anchor = DemoGeography.meanRowCol(districtCells[dongchengIndex].map { ($0 / cols, $0 % cols) })

            // Hotness per grid index.
            var rngHot = stream(3)
            let streetOfCell: [Int] = {
                var a = [Int](repeating: -1, count: rows * cols)
                for (k, s) in streetWork.enumerated() { for g in s.cells { a[g] = k } }
                return a
            }()
            let (hotness, hotspots) = makeHotness(
                streets: streetWork.map { ($0.district, $0.spec, $0.cells) },
                streetOfCell: streetOfCell, dongcheng: dongchengIndex,
                centre: anchor, rng: &rngHot)

            // Names.
            var rngNames = stream(4)
            var namePool: [(zh: String, en: String)] = []
            for a in DemoGeography.communityFirst {
                for b in DemoGeography.communitySecond { namePool.append((a.zh + b.zh, a.en + b.en)) }
            }
            rngNames.shuffle(&namePool)
            var usedEn: Set<String> = []
            var nameCursor = 0
            func nextName() -> (zh: String, en: String) {
                while nameCursor < namePool.count {
                    let n = namePool[nameCursor]
                    nameCursor += 1
                    if usedEn.insert(n.en).inserted { return (n.zh + "社区", n.en + " Community") }
                }
                let k = usedEn.count + 1
                usedEn.insert("#\(k)")
                return ("第\(k)社区", "Community \(k)")
            }

            // Assemble.
            var districts: [District] = []
            for spec in specs {
                districts.append(District(code: spec.code, nameZh: spec.nameZh, nameEn: spec.nameEn))
            }
            var streets: [Street] = []
            var communities: [Community] = []
            var cells: [Cell] = []
            var patrolAreas: [PatrolArea] = []
            cells.reserveCapacity(specs.reduce(0) { $0 + $1.cellCount })
            for s in streetWork {
                let districtCode = specs[s.district].code
                let streetCode = districtCode + s.spec.code
                streets.append(
                    Street(code: streetCode, districtCode: districtCode, nameZh: s.spec.nameZh, nameEn: s.spec.nameEn))
                for (ci, cs) in s.communities.enumerated() {
                    let communityCode = streetCode + Generator.threeDigits(ci + 1)
                    let name = nextName()
                    communities.append(
                        Community(code: communityCode, streetCode: streetCode, nameZh: name.zh, nameEn: name.en))
                    let ordered = serpentine(cs)
                    let sizes = Generator.patrolSizes(ordered.count)
                    var start = 0
                    for (pi, n) in sizes.enumerated() {
                        let id = "\(districtCode)-\(s.spec.code)-\(Generator.threeDigits(ci + 1))-P\(pi + 1)"
                        var codes: [String] = []
                        for q in start..<(start + n) {
                            let g = ordered[q]
                            let code = communityCode + Generator.threeDigits(q + 1)
                            codes.append(code)
                            let r = g / cols
                            let c = g % cols
                            cells.append(
                                Cell(
                                    code: code, communityCode: communityCode, streetCode: streetCode,
                                    districtCode: districtCode, row: r, col: c,
                                    lat: DemoGeography.dongchengCentre.lat - (Double(r) - anchor.row) * DemoGeography.latPerRow,
                                    lon: DemoGeography.dongchengCentre.lon + (Double(c) - anchor.col) * DemoGeography.lonPerCol,
                                    patrolAreaID: id, hotness: hotness[g]))
                        }
                        patrolAreas.append(PatrolArea(id: id, communityCode: communityCode, cellCodes: codes))
                        start += n
                    }
                }
            }
            districts.sort { $0.code < $1.code }
            streets.sort { $0.code < $1.code }
            communities.sort { $0.code < $1.code }
            cells.sort { $0.code < $1.code }
            patrolAreas.sort { $0.communityCode != $1.communityCode ? $0.communityCode < $1.communityCode : $0.id.count != $1.id.count ? $0.id.count < $1.id.count : $0.id < $1.id }

            return DemoGeography(
                seed: seed,
                city: Place(code: DemoGeography.cityCode, nameZh: DemoGeography.cityNameZh, nameEn: DemoGeography.cityNameEn),
                districts: districts, streets: streets, communities: communities, cells: cells,
                patrolAreas: patrolAreas, hotspots: hotspots, rows: rows, cols: cols)
        }

        static func threeDigits(_ n: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, 3 - s.count)) + s
        }

        /// Splits `total` over parts proportionally to `sizes` (largest remainder), at least 1 each.
        static func apportion(total: Int, sizes: [Int]) -> [Int] {
            let sum = sizes.reduce(0, +)
            precondition(total >= sizes.count && sum > 0)
            var quotas = sizes.map { max(1, Int(Double(total) * Double($0) / Double(sum))) }
            var remainders = sizes.enumerated().map { i, s in
                (i, Double(total) * Double(s) / Double(sum) - Double(quotas[i]))
            }
            remainders.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            var assigned = quotas.reduce(0, +)
            var k = 0
            while assigned < total {
                quotas[remainders[k % remainders.count].0] += 1
                assigned += 1
                k += 1
            }
            k = remainders.count - 1
            while assigned > total {  // only when the max(1, …) floor overshot
                let i = remainders[((k % remainders.count) + remainders.count) % remainders.count].0
                if quotas[i] > 1 {
                    quotas[i] -= 1
                    assigned -= 1
                }
                k -= 1
            }
            return quotas
        }

        /// Patrol area sizes for a community of `n` cells: as few areas of at most 5 as
        /// possible, balanced (so 4–5 each whenever `n` allows it).
        static func patrolSizes(_ n: Int) -> [Int] {
            guard n > 0 else { return [] }
            let groups = (n + 4) / 5
            let base = n / groups
            let extra = n % groups
            return (0..<groups).map { $0 < extra ? base + 1 : base }
        }

        /// The cells in a two-row serpentine: bands of two rows, alternately west→east and
        /// east→west, zig-zagging inside each band, so runs of four are mostly 2 × 2 blocks.
        func serpentine(_ cells: [Int]) -> [Int] {
            let minRow = cells.map { $0 / cols }.min() ?? 0
            let minCol = cells.map { $0 % cols }.min() ?? 0
            func key(_ g: Int) -> (Int, Int, Int) {
                let r = g / cols - minRow
                let c = g % cols - minCol
                let band = r / 2
                let colKey = band % 2 == 0 ? c : -c
                let rowKey = c % 2 == 0 ? r : -r
                return (band, colKey, rowKey)
            }
            return cells.sorted { key($0) < key($1) }
        }

        // MARK: Hotness

        func makeHotness(
            streets: [(district: Int, spec: StreetSpec, cells: [Int])], streetOfCell: [Int],
            dongcheng: Int, centre: (row: Double, col: Double), rng: inout DemoRandom
        ) -> ([Double], [Hotspot]) {
            let all = streets.flatMap(\.cells)
            var value = [Double](repeating: 0, count: rows * cols)
            // Background: busier towards the old city core, with a gentle wave of blocks.
            let phase1 = rng.double() * 2 * Double.pi
            let phase2 = rng.double() * 2 * Double.pi
            var bgSum = 0.0
            for g in all {
                let r = Double(g / cols)
                let c = Double(g % cols)
                let dr = r - centre.row
                let dc = c - centre.col
                let core = exp(-(dr * dr + dc * dc) / (2 * 28 * 28))
                let wave = sin(r * 0.23 + phase1) * cos(c * 0.19 + phase2)
                value[g] = 0.45 + 0.35 * core + 0.12 * wave
                bgSum += value[g]
            }
            let bgMean = bgSum / Double(max(1, all.count))
            for g in all { value[g] /= bgMean }  // background mean 1 for now

            // Hotspots: 7–9 Gaussian blobs in different streets, most in Dongcheng, each
            // peaking at 8–14 times the city mean.
            let count = rng.int(in: 7...9)
            let inDongcheng = (count * 3 + 4) / 5
            let dongchengStreets = streets.indices.filter { streets[$0].district == dongcheng }
            let otherStreets = streets.indices.filter { streets[$0].district != dongcheng }
            let chosen =
                Array(rng.shuffled(dongchengStreets).prefix(inDongcheng))
                + Array(rng.shuffled(otherStreets).prefix(count - inDongcheng))
            let kinds = rng.shuffled(DemoGeography.hotspotKinds)
            var blobs = [Double](repeating: 0, count: rows * cols)
            var hotspots: [Hotspot] = []
            for (h, k) in chosen.enumerated() {
                let s = streets[k]
                let interior = s.cells.filter { g in
                    Generator.steps4.allSatisfy { dr, dc in
                        let r = g / cols + dr
                        let c = g % cols + dc
                        return r >= 0 && r < rows && c >= 0 && c < cols && streetOfCell[r * cols + c] == k
                    }
                }
                let g = rng.pick(interior.isEmpty ? s.cells : interior)
                let sigma = 0.9 + 1.3 * rng.double()  // visible out to 2–6 cells
                let peak = 8 + 6 * rng.double()
                let r0 = g / cols
                let c0 = g % cols
                let reach = Int((sigma * 4).rounded(.up))
                for r in max(0, r0 - reach)...min(rows - 1, r0 + reach) {
                    for c in max(0, c0 - reach)...min(cols - 1, c0 + reach) {
                        let i = r * cols + c
                        guard streetOfCell[i] >= 0 else { continue }
                        let d2 = Double((r - r0) * (r - r0) + (c - c0) * (c - c0))
                        blobs[i] += peak * exp(-d2 / (2 * sigma * sigma))
                    }
                }
                let kind = kinds[h % kinds.count]
                let short = String(s.spec.nameZh.dropLast(2))  // drop 街道
                hotspots.append(
                    Hotspot(
                        nameZh: short + kind.zh, nameEn: s.spec.nameEn + " " + kind.en,
                        streetCode: specsCode(s.district) + s.spec.code, row: r0, col: c0, radius: sigma))
            }
            // Blobs carry at most 35% of all cases; the background the rest, so the mean is 1.
            var blobSum = 0.0
            for g in all { blobSum += blobs[g] }
            var blobMean = blobSum / Double(max(1, all.count))
            if blobMean > 0.35 {
                let f = 0.35 / blobMean
                for g in all { blobs[g] *= f }
                blobMean = 0.35
            }
            for g in all { value[g] = max(0.1, value[g] * (1 - blobMean) + blobs[g]) }
            return (value, hotspots)
        }

        func specsCode(_ district: Int) -> String { DemoGeography.districtSpecs[district].code }
    }

    // MARK: - Min-heap

    /// A growth step packed in one integer so the heap compares fast even unoptimised:
    /// 36 bits of squared distance (1/4096 cell², seeds 0), 20 bits of cell, 8 bits of label.
    struct HeapEntry {
        let bits: UInt64

        static func seed(item: Int, label: Int) -> HeapEntry {
            HeapEntry(bits: UInt64(item) << 8 | UInt64(label))
        }

        static func step(distance2: Double, item: Int, label: Int) -> HeapEntry {
            let q = min(UInt64(distance2 * 4096) + 1, (1 << 36) - 1)
            return HeapEntry(bits: q << 28 | UInt64(item) << 8 | UInt64(label))
        }

        var item: Int { Int((bits >> 8) & 0xFFFFF) }
        var label: Int { Int(bits & 0xFF) }
    }

    struct MinHeap {
        private var items: [UInt64] = []

        mutating func push(_ e: HeapEntry) {
            items.append(e.bits)
            items.withUnsafeMutableBufferPointer { buf in
                var i = buf.count - 1
                let moving = buf[i]
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard moving < buf[parent] else { break }
                    buf[i] = buf[parent]
                    i = parent
                }
                buf[i] = moving
            }
        }

        mutating func pop() -> HeapEntry? {
            guard let first = items.first else { return nil }
            let last = items.removeLast()
            if items.isEmpty { return HeapEntry(bits: first) }
            items.withUnsafeMutableBufferPointer { buf in
                let n = buf.count
                var i = 0
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    var m = l
                    if l + 1 < n && buf[l + 1] < buf[l] { m = l + 1 }
                    guard buf[m] < last else { break }
                    buf[i] = buf[m]
                    i = m
                }
                buf[i] = last
            }
            return HeapEntry(bits: first)
        }
    }
}
