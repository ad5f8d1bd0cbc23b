/// The groups counts are kept by, one `eval_rollup` row per (dim, local day, key).
/// District, street and community rows are sums of the cell rows, kept so that a month for a few large
/// regions reads a few rows rather than thousands of cells.
enum RollupDim: String, Sendable, CaseIterable {
    case district, street, community, cell, category, department, `operator`

    var code: UInt8 {
        switch self {
        case .district: 0
        case .street: 1
        case .community: 2
        case .cell: 3
        case .category: 4
        case .department: 5
        case .operator: 6
        }
    }
}

/// One accumulated group-day.
struct RollupRow: Sendable {
    var dim: RollupDim
    var day: Int
    var key: String
    var counts: EvaluationCounts
}

/// Collects what replays emit into counts per (dim, day, key). Used for building the rollups, for adding
/// newly appended history rows to them, and for counting rows not yet in them at read time.
final class RollupAccumulator: ContributionSink {
    private struct Key: Hashable {
        var dim: UInt8
        var day: Int32
        var key: Int64
    }

    private var names: [String] = []
    private var nameIndex: [String: Int64] = [:]
    private var slotIndex: [Key: Int] = [:]
    private var slotKeys: [Key] = []
    private var slots: [EvaluationCounts] = []

    private var cell: Int64 = 0
    private var category: Int64 = 0
    private var cachedCell = (day: Int.min, slot: 0)
    private var cachedCategory = (day: Int.min, slot: 0)
    private var cachedDepartment: (name: String, index: Int64)?
    private var cachedDepartmentSlot = (key: Int64.min, day: Int.min, slot: 0)
    private var cachedOperatorSlot = (key: Int64.min, day: Int.min, slot: 0)

    var isEmpty: Bool { slots.isEmpty }

    private func intern(_ name: String) -> Int64 {
        if let index = nameIndex[name] { return index }
        let index = Int64(names.count)
        names.append(name)
        nameIndex[name] = index
        return index
    }

    private func slot(_ dim: RollupDim, day: Int, key: Int64) -> Int {
        let k = Key(dim: dim.code, day: Int32(truncatingIfNeeded: day), key: key)
        if let slot = slotIndex[k] { return slot }
        let slot = slots.count
        slots.append(EvaluationCounts())
        slotKeys.append(k)
        slotIndex[k] = slot
        return slot
    }

    /// The case whose replay emits next.
    func begin(cell: String, category: String) {
        self.cell = intern(cell)
        self.category = intern(category)
        cachedCell = (Int.min, 0)
        cachedCategory = (Int.min, 0)
    }

    private func caseSlots(day: Int) -> (cell: Int, category: Int) {
        if cachedCell.day != day { cachedCell = (day, slot(.cell, day: day, key: cell)) }
        if cachedCategory.day != day { cachedCategory = (day, slot(.category, day: day, key: category)) }
        return (cachedCell.slot, cachedCategory.slot)
    }

    private func departmentIndex(_ name: String) -> Int64 {
        if let cached = cachedDepartment, cached.name == name { return cached.index }
        let index = intern(name)
        cachedDepartment = (name, index)
        return index
    }

    private func departmentSlot(_ name: String, day: Int) -> Int {
        let key = departmentIndex(name)
        if cachedDepartmentSlot.key != key || cachedDepartmentSlot.day != day {
            cachedDepartmentSlot = (key, day, slot(.department, day: day, key: key))
        }
        return cachedDepartmentSlot.slot
    }

    private func operatorSlot(_ op: Int64, day: Int) -> Int {
        if cachedOperatorSlot.key != op || cachedOperatorSlot.day != day {
            cachedOperatorSlot = (op, day, slot(.operator, day: day, key: op))
        }
        return cachedOperatorSlot.slot
    }

    func count(_ counter: EvaluationCounter, _ delta: Int64, day: Int, department: String?, operator op: Int64?) {
        let (c, k) = caseSlots(day: day)
        let i = counter.index
        slots[c].values[i] &+= delta
        slots[k].values[i] &+= delta
        if let department { slots[departmentSlot(department, day: day)].values[i] &+= delta }
        if let op { slots[operatorSlot(op, day: day)].values[i] &+= delta }
    }

    func stage(_ stage: EvaluationStage, seconds: Int64, day: Int, department: String?, operator op: Int64?) {
        let (c, k) = caseSlots(day: day)
        slots[c].addStage(stage, seconds: seconds)
        slots[k].addStage(stage, seconds: seconds)
        if let department { slots[departmentSlot(department, day: day)].addStage(stage, seconds: seconds) }
        if let op { slots[operatorSlot(op, day: day)].addStage(stage, seconds: seconds) }
    }

    /// Every accumulated group-day, with district, street and community rows summed from the cells.
    func rows() -> [RollupRow] {
        var result: [RollupRow] = []
        result.reserveCapacity(slots.count + slots.count / 4)
        var regional: [Key: Int] = [:]
        var regionalRows: [RollupRow] = []
        for (i, key) in slotKeys.enumerated() {
            let dim = RollupDim.allCases.first { $0.code == key.dim }!
            let name = dim == .operator ? String(key.key) : names[Int(key.key)]
            result.append(RollupRow(dim: dim, day: Int(key.day), key: name, counts: slots[i]))
            guard dim == .cell else { continue }
            for (level, length) in [(RollupDim.district, 6), (.street, 9), (.community, 12)] {
                let prefix = String(name.prefix(length))
                let k = Key(dim: level.code, day: key.day, key: intern(prefix))
                if let at = regional[k] {
                    regionalRows[at].counts.add(slots[i])
                } else {
                    regional[k] = regionalRows.count
                    regionalRows.append(RollupRow(dim: level, day: Int(key.day), key: prefix, counts: slots[i]))
                }
            }
        }
        return result + regionalRows
    }
}
