import Foundation
import Testing
@testable import Workflow

@Suite struct HotspotTests {
    /// A 9×9 grid of cells, row-major.
    static let rows = (0..<81).map { $0 / 9 }
    static let cols = (0..<81).map { $0 % 9 }
    static let neighbours = Hotspot.gridNeighbours(rows: rows, cols: cols)

    @Test func neighboursAreTheEightAround() {
        #expect(Set(Self.neighbours[40]) == [30, 31, 32, 39, 41, 48, 49, 50])
        #expect(Set(Self.neighbours[0]) == [1, 9, 10])
    }

    @Test func aClusterIsAHotspotAndItsSurroundingsAreNot() {
        var values = [Double](repeating: 1, count: 81)
        for i in [30, 31, 32, 39, 40, 41, 48, 49, 50] { values[i] = 10 }
        let z = Hotspot.getisOrdGiStar(values: values, neighbours: Self.neighbours)
        #expect(z[40] > 2.58, "the centre of the cluster: \(z[40])")
        #expect(Hotspot.band(z[40]) == 3)
        #expect(z[0] < 0, "a far corner is below the mean")
        #expect(z.firstIndex(of: z.max()!) == 40)
    }

    @Test func aLoneSpikeScoresBelowAClusterOfTheSameTotal() {
        var spike = [Double](repeating: 1, count: 81)
        spike[40] = 82
        var cluster = [Double](repeating: 1, count: 81)
        for i in [30, 31, 32, 39, 40, 41, 48, 49, 50] { cluster[i] = 10 }
        let zSpike = Hotspot.getisOrdGiStar(values: spike, neighbours: Self.neighbours)
        let zCluster = Hotspot.getisOrdGiStar(values: cluster, neighbours: Self.neighbours)
        #expect(zCluster[40] > zSpike[40])
    }

    @Test func noStructureMeansNoHotspots() {
        #expect(Hotspot.getisOrdGiStar(values: Array(repeating: 5, count: 81), neighbours: Self.neighbours).allSatisfy { $0 == 0 })
        #expect(Hotspot.getisOrdGiStar(values: [1, 2], neighbours: [[1], [0]]) == [0, 0])
        #expect(Hotspot.getisOrdGiStar(values: [], neighbours: []).isEmpty)
    }

    /// Hand-computed: values 0,0,0,3 on a line of four cells, each neighbouring the next.
    @Test func matchesAHandComputedScore() {
        let values: [Double] = [0, 0, 0, 3]
        let neighbours = [[1], [0, 2], [1, 3], [2]]
        // mean 0.75; variance 9/4 − 0.5625 = 1.6875; S = 1.29904; for i = 3: Σwx = 3, Σw = 2,
        // denominator = S √((4·2 − 4)/3) = 1.29904 · 1.15470 = 1.5; Gi* = (3 − 1.5)/1.5 = 1.
        let z = Hotspot.getisOrdGiStar(values: values, neighbours: neighbours)
        #expect(abs(z[3] - 1.0) < 1e-9)
        #expect(Hotspot.band(2.0) == 2 && Hotspot.band(-2.7) == -3 && Hotspot.band(1.0) == 0)
    }
}
