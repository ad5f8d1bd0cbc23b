@testable import CityGridDemo
import Foundation
import Testing

@testable import Workflow

@Suite("Demo geography")
struct DemoGeographyTests {
    static let seeds: [UInt64] = [42, 0, 1, 7, 2024, 0xDEAD_BEEF, UInt64.max]
    static let geo = DemoGeography.generate(seed: 42)

    // MARK: Counts and codes

    @Test func dongchengHasTheRealCounts() {
        let g = Self.geo
        let d = "110101"
        #expect(g.streets.filter { $0.districtCode == d }.count == 10)
        #expect(g.communities.filter { $0.code.hasPrefix(d) }.count == 126)
        #expect(g.cells.filter { $0.districtCode == d }.count == 1593)
        let names = Set(g.streets.filter { $0.districtCode == d }.map(\.nameZh))
        #expect(names.contains("东华门街道") && names.contains("和平里街道"))
        #expect(g.streets.filter { $0.districtCode == d }.map { String($0.code.suffix(3)) }
            == (1...10).map { String(format: "%03d", $0) })
    }

    @Test(arguments: seeds) func countsDoNotDependOnTheSeed(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        #expect(g.city.code == "110000")
        #expect(g.city.nameZh == "北京市（演示）")
        #expect(g.districts.map(\.code) == ["110101", "110102", "110105"])
        for (code, streets, communities, cells) in [
            ("110101", 10, 126, 1593), ("110102", 8, 70, 900), ("110105", 6, 50, 700),
        ] {
            #expect(g.streets.filter { $0.districtCode == code }.count == streets)
            #expect(g.communities.filter { $0.code.hasPrefix(code) }.count == communities)
            #expect(g.cells.filter { $0.districtCode == code }.count == cells)
        }
    }

    @Test func codesHaveTheRightLengthsAndPrefixes() {
        let g = Self.geo
        let allDigits: (String) -> Bool = { s in s.allSatisfy { $0.isASCII && $0.isNumber } }
        let districtCodes = Set(g.districts.map(\.code))
        let streetCodes = Set(g.streets.map(\.code))
        let communityCodes = Set(g.communities.map(\.code))
        #expect(streetCodes.count == g.streets.count)
        #expect(communityCodes.count == g.communities.count)
        for d in g.districts { #expect(d.code.count == 6 && allDigits(d.code) && d.code.hasPrefix("11")) }
        for s in g.streets {
            #expect(s.code.count == 9 && allDigits(s.code))
            #expect(s.code.hasPrefix(s.districtCode) && districtCodes.contains(s.districtCode))
            let n = Int(s.code.suffix(3))!
            #expect((1...99).contains(n), "street \(s.code) is not a 街道 number")
        }
        for c in g.communities {
            #expect(c.code.count == 12 && allDigits(c.code))
            #expect(c.code.hasPrefix(c.streetCode) && streetCodes.contains(c.streetCode))
            #expect(c.nameZh.hasSuffix("社区") && !c.nameEn.isEmpty)
        }
        // Community numbers run 001, 002, … within each street.
        for s in g.streets {
            let numbers = g.communities.filter { $0.streetCode == s.code }.map { Int($0.code.suffix(3))! }
            #expect(numbers == Array(1...numbers.count))
        }
        let badCells = g.cells.filter { cell in
            !(cell.code.count == 15 && allDigits(cell.code)
                && cell.code.hasPrefix(cell.communityCode)
                && cell.communityCode.hasPrefix(cell.streetCode)
                && cell.streetCode.hasPrefix(cell.districtCode)
                && communityCodes.contains(cell.communityCode))
        }
        #expect(badCells.isEmpty, "bad cell codes: \(badCells.prefix(3).map(\.code))")
        #expect(Set(g.cells.map(\.code)).count == g.cells.count)
        #expect(g.cells.map(\.code) == g.cells.map(\.code).sorted())
        // Cell numbers run 001, 002, … within each community.
        var perCommunity: [String: [Int]] = [:]
        for cell in g.cells { perCommunity[cell.communityCode, default: []].append(Int(cell.code.suffix(3))!) }
        for (_, numbers) in perCommunity { #expect(numbers == Array(1...numbers.count)) }
        #expect(Set(g.communities.map(\.nameZh)).count == g.communities.count)
    }

    // MARK: Space

    @Test(arguments: seeds) func positionsAreUniqueAndDistrictsSitSideBySide(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        #expect(g.cells.allSatisfy { $0.row >= 0 && $0.row < g.rows && $0.col >= 0 && $0.col < g.cols })
        #expect(Set(g.cells.map { $0.row * g.cols + $0.col }).count == g.cells.count, "two cells share a position")
        // In every row: Xicheng, then Dongcheng, then Chaoyang, west to east, not touching.
        var span: [String: [Int: (Int, Int)]] = [:]
        for cell in g.cells {
            let old = span[cell.districtCode, default: [:]][cell.row] ?? (Int.max, Int.min)
            span[cell.districtCode, default: [:]][cell.row] = (min(old.0, cell.col), max(old.1, cell.col))
        }
        for (west, east) in [("110102", "110101"), ("110101", "110105")] {
            for (row, w) in span[west]! {
                if let e = span[east]![row] { #expect(w.1 + 1 < e.0, "row \(row): \(west) reaches \(east)") }
            }
        }
        // Dongcheng is elongated north–south, about 30–38 columns by 50–57 rows.
        let dc = g.cells.filter { $0.districtCode == "110101" }
        let width = dc.map(\.col).max()! - dc.map(\.col).min()! + 1
        let height = dc.map(\.row).max()! - dc.map(\.row).min()! + 1
        #expect((30...38).contains(width) && (50...57).contains(height), "\(width) × \(height)")
    }

    @Test(arguments: seeds) func regionsAreFourConnected(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        for key in [\DemoGeography.Cell.districtCode, \.streetCode, \.communityCode] {
            var groups: [String: [Int]] = [:]
            for (i, cell) in g.cells.enumerated() { groups[cell[keyPath: key], default: []].append(i) }
            for (code, members) in groups {
                #expect(Self.isConnected(g, members), "\(code) is not 4-connected")
            }
        }
    }

    @Test func latitudeAndLongitudeFollowTheGrid() {
        let g = Self.geo
        #expect(g.cells.allSatisfy { abs($0.lat - g.latitude(row: $0.row)) < 1e-9 })
        #expect(g.cells.allSatisfy { abs($0.lon - g.longitude(col: $0.col)) < 1e-9 })
        #expect(g.latitude(row: 1) < g.latitude(row: 0))  // south is lower
        #expect(g.longitude(col: 1) > g.longitude(col: 0))
        let byRow = g.cells.sorted { $0.row < $1.row }
        #expect(zip(byRow, byRow.dropFirst()).allSatisfy { a, b in a.row == b.row || a.lat > b.lat })
        let byCol = g.cells.sorted { $0.col < $1.col }
        #expect(zip(byCol, byCol.dropFirst()).allSatisfy { a, b in a.col == b.col || a.lon < b.lon })
        func mean(_ code: String, _ key: KeyPath<DemoGeography.Cell, Double>) -> Double {
            let cs = g.cells.filter { $0.districtCode == code }
            return cs.map { $0[keyPath: key] }.reduce(0, +) / Double(cs.count)
        }
        #expect(abs(mean("110101", \.lat) - 39.928) < 1e-6)
        #expect(abs(mean("110101", \.lon) - 116.416) < 1e-6)
        #expect(mean("110102", \.lon) < mean("110101", \.lon))  // Xicheng is west
        #expect(mean("110105", \.lon) > mean("110101", \.lon))  // Chaoyang is east
        // About 100 m cells: 8 km of Dongcheng spans about 0.07° of latitude.
        let dc = g.cells.filter { $0.districtCode == "110101" }
        let latSpan = dc.map(\.lat).max()! - dc.map(\.lat).min()!
        #expect(latSpan > 0.04 && latSpan < 0.06)
    }

    @Test(arguments: seeds) func streetsSitRoughlyWhereTheRealOnesDo(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        func centre(_ code: String) -> (row: Double, col: Double) {
            let cs = g.cells.filter { $0.streetCode == code }
            return (
                Double(cs.map(\.row).reduce(0, +)) / Double(cs.count),
                Double(cs.map(\.col).reduce(0, +)) / Double(cs.count)
            )
        }
        let hepingli = centre("110101010")
        let donghuamen = centre("110101001")
        let jianguomen = centre("110101008")
        let jingshan = centre("110101002")
        let chaoyangmen = centre("110101007")
        #expect(hepingli.row < donghuamen.row && hepingli.row < jianguomen.row)  // north
        #expect(jingshan.col < chaoyangmen.col)  // west of
        #expect(donghuamen.col < jianguomen.col)
    }

    @Test func neighboursAndLookups() {
        let g = Self.geo
        for i in stride(from: 0, to: g.cells.count, by: 37) {
            let cell = g.cells[i]
            #expect(g.cellIndex(row: cell.row, col: cell.col) == i)
            #expect(g.cellIndex(code: cell.code) == i)
            for j in g.neighbours(ofCellAt: i) {
                let n = g.cells[j]
                #expect(abs(n.row - cell.row) + abs(n.col - cell.col) == 1)
                #expect(g.neighbours(ofCellAt: j).contains(i))
            }
            let eight = g.neighbours(ofCellAt: i, diagonal: true)
            #expect(eight.count >= g.neighbours(ofCellAt: i).count && eight.count <= 8)
        }
        #expect(g.cellIndex(code: "110101999999999") == nil)
        #expect(g.cellIndex(row: -1, col: 0) == nil)
        let range = g.cellIndices(withPrefix: "110101")
        #expect(range.count == 1593 && g.cells[range].allSatisfy { $0.districtCode == "110101" })
    }

    // MARK: Patrol areas

    @Test(arguments: seeds) func patrolAreasCoverEveryCellOnce(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        let byCode = Dictionary(uniqueKeysWithValues: g.cells.map { ($0.code, $0) })
        #expect(Set(g.patrolAreas.map(\.id)).count == g.patrolAreas.count)
        var covered = Set<String>()
        var sizePerCommunity: [String: Int] = [:]
        for cell in g.cells { sizePerCommunity[cell.communityCode, default: 0] += 1 }
        var oddAreas = 0
        var twice: [String] = []
        var misfiled: [String] = []
        for area in g.patrolAreas {
            if !area.id.hasPrefix(area.communityCode.prefix(6) + "-") { misfiled.append(area.id) }
            for code in area.cellCodes {
                if !covered.insert(code).inserted { twice.append(code) }
                if byCode[code]?.communityCode != area.communityCode || byCode[code]?.patrolAreaID != area.id {
                    misfiled.append(code)
                }
            }
            let n = sizePerCommunity[area.communityCode]!
            if n <= 3 {
                #expect(area.cellCodes.count == n)
            } else if !(4...5).contains(area.cellCodes.count) {
                oddAreas += 1
            }
        }
        #expect(twice.isEmpty, "cells in two patrol areas: \(twice.prefix(3))")
        #expect(misfiled.isEmpty, "patrol areas and cells disagree: \(misfiled.prefix(3))")
        #expect(covered.count == g.cells.count)
        #expect(oddAreas == 0, "\(oddAreas) patrol areas outside 4–5 cells")
        // Compact: the cells of an area lie within a small box.
        var spread = 0
        for area in g.patrolAreas {
            let cs = area.cellCodes.map { byCode[$0]! }
            let h = cs.map(\.row).max()! - cs.map(\.row).min()!
            let w = cs.map(\.col).max()! - cs.map(\.col).min()!
            if h + w > 5 { spread += 1 }
        }
        #expect(spread * 20 < g.patrolAreas.count, "\(spread) of \(g.patrolAreas.count) areas are spread out")
    }

    @Test(arguments: seeds) func communitiesAreOfReasonableSize(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        var size: [String: Int] = [:]
        for cell in g.cells { size[cell.communityCode, default: 0] += 1 }
        #expect(size.values.allSatisfy { $0 >= 8 && $0 != 11 })
        #expect(size.values.max()! <= 40)
    }

    // MARK: Determinism

    @Test func sameSeedSameCityOtherSeedOtherLayout() {
        let a = DemoGeography.generate(seed: 42)
        let b = DemoGeography.generate(seed: 42)
        #expect(a == b)
        let c = DemoGeography.generate(seed: 43)
        #expect(a != c)
        #expect(a.rows == c.rows && a.cols == c.cols && a.cells.count == c.cells.count)
        // Same district outlines, different inner boundaries.
        let positions: (DemoGeography) -> Set<Int> = { g in Set(g.cells.map { $0.row * g.cols + $0.col }) }
        #expect(positions(a) == positions(c))
        let communityAt: (DemoGeography) -> [Int: String] = { g in
            Dictionary(uniqueKeysWithValues: g.cells.map { ($0.row * g.cols + $0.col, $0.communityCode) })
        }
        let ca = communityAt(a)
        let cc = communityAt(c)
        let differing = ca.filter { cc[$0.key] != $0.value }.count
        #expect(differing > ca.count / 4)
    }

    @Test func codableRoundTrip() throws {
        let g = Self.geo
        let data = try JSONEncoder().encode(g)
        let back = try JSONDecoder().decode(DemoGeography.self, from: data)
        #expect(back == g)
        let c = back.cells[100]
        #expect(back.cellIndex(row: c.row, col: c.col) == 100)
    }

    @Test func generationIsFast() {
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = DemoGeography.generate(seed: 99) }
        #expect(elapsed < .seconds(1), "took \(elapsed)")
    }

    // MARK: Hotness

    @Test(arguments: seeds) func hotnessHasClusters(seed: UInt64) {
        let g = DemoGeography.generate(seed: seed)
        let h = g.cells.map(\.hotness)
        let mean = h.reduce(0, +) / Double(h.count)
        #expect(h.allSatisfy { $0 >= 0.1 && $0.isFinite })
        #expect(abs(mean - 1) < 0.02)
        #expect(h.max()! / mean > 5)
        #expect((7...9).contains(g.hotspots.count))
        #expect(Set(g.hotspots.map(\.streetCode)).count == g.hotspots.count)
        #expect(g.hotspots.filter { $0.streetCode.hasPrefix("110101") }.count * 2 > g.hotspots.count)
        // Clusters, not noise: hot cells have hot neighbours.
        let threshold = h.sorted()[h.count * 95 / 100]
        var hot = 0
        var hotWithHotNeighbour = 0
        for (i, v) in h.enumerated() where v >= threshold {
            hot += 1
            if g.neighbours(ofCellAt: i).contains(where: { h[$0] >= threshold }) { hotWithHotNeighbour += 1 }
        }
        #expect(hotWithHotNeighbour * 10 >= hot * 9)
        // Each hotspot is a local peak region.
        for spot in g.hotspots {
            let i = g.cellIndex(row: spot.row, col: spot.col)!
            #expect(h[i] > 3 * mean)
        }
    }

    // MARK: DemoRandom

    @Test func randomIsDeterministicAndInRange() {
        var a = DemoRandom(seed: 1)
        var b = DemoRandom(seed: 1)
        var c = DemoRandom(seed: 2)
        let xs = (0..<8).map { _ in a.next() }
        #expect(xs == (0..<8).map { _ in b.next() })
        #expect(xs != (0..<8).map { _ in c.next() })
        #expect(DemoRandom(seed: 5, stream: 1) != DemoRandom(seed: 5, stream: 2))
        var r = DemoRandom(seed: 3)
        var counts = [Int](repeating: 0, count: 3)
        var sum = 0.0
        var normals: [Double] = []
        var expSum = 0.0
        for _ in 0..<20_000 {
            let i = r.int(in: -2...2)
            #expect((-2...2).contains(i))
            let d = r.double()
            #expect(d >= 0 && d < 1)
            sum += d
            counts[r.weightedIndex([1, 0, 3])] += 1
            normals.append(r.normal(mean: 10, sd: 2))
            expSum += r.exponential(mean: 5)
        }
        #expect(abs(sum / 20_000 - 0.5) < 0.02)
        #expect(counts[1] == 0 && abs(Double(counts[2]) / Double(counts[0]) - 3) < 0.3)
        let nMean = normals.reduce(0, +) / Double(normals.count)
        let nSD = (normals.map { ($0 - nMean) * ($0 - nMean) }.reduce(0, +) / Double(normals.count)).squareRoot()
        #expect(abs(nMean - 10) < 0.1 && abs(nSD - 2) < 0.1)
        #expect(abs(expSum / 20_000 - 5) < 0.25)
        #expect(r.chance(0) == false && r.chance(1) == true)
        #expect([7, 8, 9].contains(r.pick([7, 8, 9])))
        #expect(r.int(in: Int.min...Int.max) != r.int(in: Int.min...Int.max))
        let sample = r.sampleIndices(5, from: 10)
        #expect(Set(sample).count == 5 && sample.allSatisfy { (0..<10).contains($0) })
    }

    @Test func streetMapLooksLikeADistrict() {
        let map = Self.streetMap(Self.geo, district: "110101")
        let lines = map.split(separator: "\n")
        #expect((50...57).contains(lines.count))
        #expect(map.filter { $0 != "." && $0 != "\n" }.count == 1593)
    }

    // MARK: Helpers

    static func isConnected(_ g: DemoGeography, _ members: [Int]) -> Bool {
        guard let first = members.first else { return true }
        let set = Set(members)
        var seen: Set<Int> = [first]
        var stack = [first]
        while let i = stack.popLast() {
            for j in g.neighbours(ofCellAt: i) where set.contains(j) && seen.insert(j).inserted {
                stack.append(j)
            }
        }
        return seen.count == set.count
    }

    /// ASCII map of a district: one character per cell, a letter per street
    /// (A = street 001 …), '.' outside. For eyeballing the shape while developing.
    static func streetMap(_ g: DemoGeography, district: String) -> String {
        let cells = g.cells.filter { $0.districtCode == district }
        let r0 = cells.map(\.row).min()!
        let r1 = cells.map(\.row).max()!
        let c0 = cells.map(\.col).min()!
        let c1 = cells.map(\.col).max()!
        var grid = [[Character]](repeating: Array(repeating: ".", count: c1 - c0 + 1), count: r1 - r0 + 1)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for cell in cells {
            let n = Int(cell.streetCode.suffix(3))! - 1
            grid[cell.row - r0][cell.col - c0] = letters[n % letters.count]
        }
        return grid.map { String($0) }.joined(separator: "\n")
    }
}
