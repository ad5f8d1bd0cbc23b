import Foundation

/// Local hotspot statistics over the grid: Getis-Ord Gi* z-scores. A cell is a hotspot when it *and its
/// neighbours* hold more than the city's mean would explain, so a cluster of busy cells stands out while a
/// single busy cell among quiet ones, or a busy street that is busy everywhere, does not.
public enum Hotspot {
    /// Gi* for every cell, with binary weights: w_ij = 1 for j in `neighbours[i]` and for j = i itself.
    ///
    ///     Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))
    ///
    /// with X̄ the mean and S the (population) standard deviation of all n values. The result is a z-score:
    /// above 1.96 is a hotspot at 95% confidence, above 2.58 at 99%; below −1.96 a cold spot. Where every
    /// value is the same (S = 0) or n < 3 there is no structure to find and every score is 0.
    public static func getisOrdGiStar(values: [Double], neighbours: [[Int]]) -> [Double] {
        let n = values.count
        guard n >= 3, neighbours.count == n else { return Array(repeating: 0, count: n) }
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + $1 * $1 } / Double(n) - mean * mean
        guard variance > 1e-12 else { return Array(repeating: 0, count: n) }
        let s = variance.squareRoot()
        var scores = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = values[i]
            var weights = 1.0
            for j in neighbours[i] where j != i && j >= 0 && j < n {
                sum += values[j]
                weights += 1
            }
            // Binary weights: Σw² = Σw.
            let denominator = s * ((Double(n) * weights - weights * weights) / Double(n - 1)).squareRoot()
            scores[i] = denominator > 0 ? (sum - mean * weights) / denominator : 0
        }
        return scores
    }

    /// The 8-neighbourhood of each cell on the grid (cells sharing an edge or a corner), by index.
    public static func gridNeighbours(rows: [Int], cols: [Int]) -> [[Int]] {
        precondition(rows.count == cols.count)
        var index: [Int: Int] = [:]
        let width = (cols.max() ?? 0) + 3
        for i in rows.indices { index[(rows[i] + 1) * width + cols[i] + 1] = i }
        return rows.indices.map { i in
            var list: [Int] = []
            for dr in -1...1 {
                for dc in -1...1 where dr != 0 || dc != 0 {
                    if let j = index[(rows[i] + 1 + dr) * width + cols[i] + 1 + dc] { list.append(j) }
                }
            }
            return list
        }
    }

    /// Confidence bands of a z-score: 3 (99%), 2 (95%), 1 (90%) hot, negative for cold, 0 for neither.
    public static func band(_ z: Double) -> Int {
        let magnitude = abs(z)
        let level = magnitude >= 2.58 ? 3 : magnitude >= 1.96 ? 2 : magnitude >= 1.645 ? 1 : 0
        return z < 0 ? -level : level
    }
}
