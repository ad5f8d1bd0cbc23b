import Foundation
import Workflow

/// Inspectors walking their patrol areas in the demo (issue 17): each walks its area's cells in order and back, a ping
/// near each cell's centre, so the map's "patrolled" measure and the coverage figures have plausible tracks to show.
/// A few areas are walked rarely, so the neglected-cells list is never empty.
struct DemoPatrols: Sendable {
    struct Walker: Sendable {
        var login: String
        var cells: [(lat: Double, lon: Double)]
        /// Where along the area's cells (0..<2n: out and back).
        var step = 0
        /// Some inspectors cover their area poorly: the chance they walk on a given round.
        var diligence: Double
    }

    private(set) var walkers: [Walker] = []
    /// Its own stream, so walking never changes the simulator's other draws.
    private var random: DemoRandom
    /// How many inspectors move one cell at a simulator tick.
    var walkersPerTick = 4

    init(cells: [GridCell], inspectors: [String: Operator], seed: UInt64) {
        random = DemoRandom(seed: seed, stream: 0x9A7)
        var byArea: [String: [GridCell]] = [:]
        for cell in cells { if let area = cell.patrolAreaID { byArea[area, default: []].append(cell) } }
        for area in byArea.keys.sorted() {
            guard let inspector = inspectors[area], let list = byArea[area], !list.isEmpty else { continue }
            let ordered = list.sorted { ($0.row, $0.col) < ($1.row, $1.col) }
            let diligence = random.double() < 0.15 ? 0.1 : 0.9
            walkers.append(Walker(login: inspector.login, cells: ordered.map { ($0.lat, $0.lon) }, step: random.int(in: 0..<ordered.count),
                                  diligence: diligence))
        }
    }

    /// The next position of walker `i`, about 20 m from its cell's centre, and its step onward.
    private mutating func advance(_ i: Int, at time: Date) -> PingInput {
        let n = walkers[i].cells.count
        let s = walkers[i].step % (2 * n)
        let cell = walkers[i].cells[s < n ? s : 2 * n - 1 - s]
        walkers[i].step += 1
        let jitter = 0.0002
        return PingInput(inspector: walkers[i].login, at: time, lat: cell.lat + (random.double() - 0.5) * jitter,
                         lon: cell.lon + (random.double() - 0.5) * jitter)
    }

    /// A live tick: a few inspectors move one cell.
    mutating func tick(at now: Date) -> [PingInput] {
        guard !walkers.isEmpty else { return [] }
        var pings: [PingInput] = []
        for _ in 0..<min(walkersPerTick, walkers.count) {
            let i = random.int(in: 0..<walkers.count)
            guard random.double() < walkers[i].diligence else { continue }
            pings.append(advance(i, at: now))
        }
        return pings
    }

    /// The tracks of the `hours` before `now`: every inspector moving a cell each 20 minutes on the rounds it walks.
    mutating func history(hours: Int, before now: Date) -> [PingInput] {
        var pings: [PingInput] = []
        let rounds = hours * 3
        for i in walkers.indices {
            for r in 0..<rounds where random.double() < walkers[i].diligence * 0.5 {
                let at = now.addingTimeInterval(-Double(hours * 3600) + Double(r) * 1200 + random.double() * 600)
                pings.append(advance(i, at: at))
            }
        }
        return pings.sorted { $0.at < $1.at }
    }
}
