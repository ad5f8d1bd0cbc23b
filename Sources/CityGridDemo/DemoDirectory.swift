import Workflow

/// The demo city's operators, indexed the way a simulated shift needs them.
struct DemoDirectory: Sendable {
    var intake: [String: [Operator]] = [:]        // by monitoring center
    var leads: [String: [Operator]] = [:]         // by monitoring center
    var dispatchers: [String: [Operator]] = [:]   // by command center
    var handlers: [String: [String: Operator]] = [:]   // by department, then district
    var inspectors: [String: Operator] = [:]      // by patrol area: the area's own
    /// By patrol area: the city monitoring center's own inspector, in the two-tier monitoring models (where the area's
    /// own is the district monitoring center's).
    var cityInspectors: [String: Operator] = [:]
    var supervisors: [Operator] = []

    static let cityMonitoring = Center.id(kind: .monitoring, tier: .city, district: nil)

    init(_ operators: [Operator]) {
        var cityWalkers: [String: Operator] = [:]
        for op in operators {
            switch op.role {
            case .intake: intake[op.centerID ?? "", default: []].append(op)
            case .shiftLead: leads[op.centerID ?? "", default: []].append(op)
            case .dispatcher: dispatchers[op.centerID ?? "", default: []].append(op)
            case .department: handlers[op.departmentCode ?? "", default: [:]][op.regionCode] = op
            case .inspector:
                guard let area = op.patrolAreaID else { break }
                if op.centerID == Self.cityMonitoring { cityWalkers[area] = op } else { inspectors[area] = op }
            case .supervisor: supervisors.append(op)
            case .admin: break
            }
        }
        // With one tier of monitoring every inspector is the city center's, and the area's own.
        for (area, op) in cityWalkers {
            if inspectors[area] == nil { inspectors[area] = op } else { cityInspectors[area] = op }
        }
    }

    /// The inspector who walks a patrol area for a monitoring center: the city center's own where it has one there,
    /// else the area's.
    func inspector(area: String?, monitor: String) -> Operator? {
        guard let area else { return nil }
        if monitor == Self.cityMonitoring, let own = cityInspectors[area] { return own }
        return inspectors[area]
    }

    func intake(_ center: String, _ random: inout DemoRandom) -> Operator? { pick(intake[center], &random) }
    func lead(_ center: String, _ random: inout DemoRandom) -> Operator? { pick(leads[center], &random) }
    /// A shift lead who may file or close the case under the site's rules (`CaseRules.shiftLeadCenter`).
    func lead(for action: CaseAction, of c: ServiceCase, rules: CaseRules, _ random: inout DemoRandom) -> Operator? {
        pick(leads[rules.shiftLeadCenter(for: action, of: c) ?? ""], &random)
    }
    func dispatcher(_ center: String?, _ random: inout DemoRandom) -> Operator? { pick(dispatchers[center ?? ""], &random) }
    func handler(_ department: String?, district: String) -> Operator? { handlers[department ?? ""]?[district] }

    private func pick(_ list: [Operator]?, _ random: inout DemoRandom) -> Operator? {
        guard let list, !list.isEmpty else { return nil }
        return list[random.int(in: 0..<list.count)]
    }
}

/// Cumulative weights with binary search: picks among thousands of cells in O(log n).
struct WeightedTable: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        var sum = 0.0
        cumulative = weights.map { sum += max(0, $0); return sum }
    }

    var total: Double { cumulative.last ?? 0 }

    func index(at fraction: Double) -> Int {
        let target = fraction * total
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] <= target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func pick(_ random: inout DemoRandom) -> Int { index(at: random.double()) }
}
