import Foundation
import GRDB

extension CityStore {

    /// Brings the stored rollups up to date: builds them from the whole history the first time (or when
    /// the site's time zone or the definitions changed, or when asked), otherwise adds the history rows
    /// appended since, for cases that are settled (filed or cancelled). Called by `evaluation(_:at:)`;
    /// call it directly after a bulk load to pay the first build up front.
    @discardableResult
    public func refreshEvaluation(rebuild: Bool = false) throws(WorkflowError) -> EvaluationRefresh {
        let start = DispatchTime.now().uptimeNanoseconds
        // Look before taking the write lock: usually there is nothing to add.
        if !rebuild, try read({ db in try !EvaluationRollups.needsRefresh(db) }) {
            return EvaluationRefresh(rebuilt: false, casesCounted: 0, seconds: 0)
        }
        var result = try write { db in try EvaluationRollups.refresh(db, rebuild: rebuild) }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return result
    }

    /// Whether the stored rollups are built and current (if not, the next evaluation builds them from the
    /// whole history first: seconds on a million cases).
    public func evaluationRollupsAreCurrent() throws(WorkflowError) -> Bool {
        try read { db in try EvaluationRollups.isCurrent(db, zone: try CityStore.settings(db).timeZone) }
    }

    /// The figures of a period, grouped. Refreshes the rollups first when it can (a read-only or busy
    /// database is evaluated all the same, counting what the rollups lack on the fly).
    public func evaluation(_ query: EvaluationQuery, at now: Date) throws(WorkflowError) -> EvaluationReport {
        do {
            try refreshEvaluation()
        } catch {
            guard case .storage = error else { throw error }
        }
        return try read { db in try EvaluationRollups.evaluate(db, query, now: now) }
    }

    // MARK: Weights and bands

    /// The site's scoring rules: weights per subject and indicator, and the bands.
    public func scoringRules() throws(WorkflowError) -> ScoringRules {
        try read { db in try EvaluationRollups.rules(db) }
    }

    /// Sets one weight (0 removes the indicator from the subject's score).
    public func setEvaluationWeight(subject: EvaluationSubject, indicator: Indicator, weight: Double) throws(WorkflowError) {
        guard weight.isFinite, weight >= 0, weight <= 1000 else {
            throw .invalidInput("a weight is a number from 0 to 1000, not \(weight)")
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO evaluation_weight(subject, indicator, weight) VALUES (?, ?, ?)
                ON CONFLICT(subject, indicator) DO UPDATE SET weight = excluded.weight
                """, arguments: [subject.rawValue, indicator.rawValue, weight])
        }
    }

    /// Sets the lowest score of a band (A–E by default; a new name adds a band).
    public func setEvaluationBand(_ band: String, minScore: Double) throws(WorkflowError) {
        let name = band.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 8, minScore.isFinite, (0...100).contains(minScore) else {
            throw .invalidInput("a band has a short name and a lowest score from 0 to 100")
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO evaluation_band(band, min_score) VALUES (?, ?)
                ON CONFLICT(band) DO UPDATE SET min_score = excluded.min_score
                """, arguments: [name, minScore])
        }
    }
}

/// The stored rollups: how they are built, kept up to date and read. See docs/evaluation.md, "Storage".
///
/// - `eval_rollup` holds, per (dim, local day, key), the sums of what `CaseReplay` emits.
/// - Every history row appended after the first build is queued in `eval_pending` by the trigger
///   `eval_queue` (made by a migration; it queues only while `eval_state` holds a version, i.e. once built). A refresh replays the queued cases (their whole history, to know the state; only the
///   queued rows count) and adds the result. Cases not yet filed or cancelled stay queued: their category
///   may still change at filing, and a row is counted once, under the category it ends up with.
/// - Reading = the rollups of the period's days + a replay, in memory, of whatever is still queued.
///   So figures are exact whether or not the refresh could run.
enum EvaluationRollups {
    /// Bump when `CaseReplay`'s rules change: rollups of another version are rebuilt. "2": the closes below the district
    /// and the headline rates' cohort counts (`filed_closed`, `assigned_handled`), which rollups built before them lack.
    static let version = "2"

    /// Makes the queue's trigger again when it is missing (dropped for a bulk load, or by hand), with the text the
    /// "v12 evaluation queue trigger" migration made it with. It queues only once `eval_state` holds a version.
    static func restoreQueueTrigger(_ db: Database) throws {
        let present = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                        arguments: [Schema.evaluationQueue.name]) ?? false
        if !present { try db.execute(sql: Schema.evaluationQueue.sql) }
    }

    static let settledFilter = "c.state NOT IN ('reported','verifying','accepted')"

    // MARK: Refresh

    static func dayFunction(_ db: Database) throws -> (zone: String, dayOf: (Int64) -> Int, calendar: WorkingCalendar) {
        let settings = try CityStore.settings(db)
        let zone = try SiteSettings.timeZone(named: settings.timeZone)
        let calendar = WorkingCalendar(timeZone: zone, weekly: .standard)
        return (settings.timeZone, { calendar.localDate(of: Date(timeIntervalSince1970: Double($0))).dayNumber }, calendar)
    }

    static func isCurrent(_ db: Database, zone: String) throws -> Bool {
        var state: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM eval_state") { state[row["key"]] = row["value"] }
        let trigger = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'eval_queue'") ?? false
        return trigger && state["version"] == version && state["zone"] == zone
    }

    /// The rollups are missing or stale, or settled cases have queued rows.
    static func needsRefresh(_ db: Database) throws -> Bool {
        guard try isCurrent(db, zone: try CityStore.settings(db).timeZone) else { return true }
        // A lookup per queued row: as a join, SQLite may first build a Bloom filter over every case (a third of a second
        // on a million cases) to answer what the few queued rows tell at once.
        return try Bool.fetchOne(db, sql: """
            SELECT 1 FROM eval_pending p WHERE EXISTS (SELECT 1 FROM service_case c WHERE c.id = p.case_id AND \(settledFilter)) LIMIT 1
            """) ?? false
    }

    static func refresh(_ db: Database, rebuild: Bool) throws -> EvaluationRefresh {
        let (zone, dayOf, _) = try dayFunction(db)
        let current = try isCurrent(db, zone: zone)
        if rebuild || !current {
            return try build(db, zone: zone, dayOf: dayOf)
        }
        // Queued cases looked up one by one (as a join SQLite may scan every case first, see `needsRefresh`).
        let filter = "c.id IN (SELECT case_id FROM eval_pending) AND \(settledFilter)"
        let firstSeq = try pendingFirstSeq(db, settledOnly: true)
        guard !firstSeq.isEmpty else { return EvaluationRefresh(rebuilt: false, casesCounted: 0, seconds: 0) }
        let accumulator = RollupAccumulator()
        let cases = try replay(db, caseFilter: filter, dayOf: dayOf, firstSeq: firstSeq, countUnsettled: false, into: accumulator)
        try store(accumulator.rows(), db, adding: true)
        try db.execute(sql: "DELETE FROM eval_pending WHERE case_id IN (SELECT c.id FROM service_case c WHERE \(filter))")
        return EvaluationRefresh(rebuilt: false, casesCounted: cases, seconds: 0)
    }

    static func build(_ db: Database, zone: String, dayOf: @escaping (Int64) -> Int) throws -> EvaluationRefresh {
        try db.execute(sql: "DELETE FROM eval_state; DELETE FROM eval_rollup; DELETE FROM eval_pending")
        let accumulator = RollupAccumulator()
        let queue = try db.makeStatement(sql: "INSERT OR IGNORE INTO eval_pending(case_id, seq) VALUES (?, ?)")
        let cases = try replay(db, caseFilter: nil, dayOf: dayOf, firstSeq: nil, countUnsettled: false, into: accumulator) { id, seqs in
            for seq in seqs { try queue.execute(arguments: [id, seq]) }
        }
        try store(accumulator.rows(), db, adding: false)
        try restoreQueueTrigger(db)
        try db.execute(sql: "INSERT INTO eval_state(key, value) VALUES ('version', ?), ('zone', ?), ('built_at', ?)",
                       arguments: [version, zone, String(Int64(Date().timeIntervalSince1970))])
        return EvaluationRefresh(rebuilt: true, casesCounted: cases, seconds: 0)
    }

    /// The first queued seq of each queued case.
    static func pendingFirstSeq(_ db: Database, settledOnly: Bool) throws -> [Int64: Int] {
        let sql = settledOnly
            ? "SELECT p.case_id, min(p.seq) FROM eval_pending p WHERE EXISTS (SELECT 1 FROM service_case c WHERE c.id = p.case_id AND \(settledFilter)) GROUP BY p.case_id"
            : "SELECT case_id, min(seq) FROM eval_pending GROUP BY case_id"
        var result: [Int64: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] }
        return result
    }

    // MARK: Replay

    /// Replays the cases matching `caseFilter` (an SQL condition on `service_case c`; nil for all) in id
    /// order, with their history in seq order, into `accumulator`. A row counts when its seq is at least
    /// the case's `firstSeq` (all rows when nil) and the case is settled, or `countUnsettled`.
    /// `unsettled` receives the seqs of every case left uncounted because it is not settled yet.
    @discardableResult
    static func replay(_ db: Database, caseFilter: String?, dayOf: @escaping (Int64) -> Int, firstSeq: [Int64: Int]?,
                       countUnsettled: Bool, into accumulator: RollupAccumulator,
                       unsettled: ((Int64, [Int]) throws -> Void)? = nil) throws -> Int {
        let where_ = caseFilter.map { " WHERE \($0)" } ?? ""
        let cases = try RawStatement(db, sql: """
            SELECT c.id, c.cell_code, c.kind, c.category_code, c.source, c.state, c.close_type
            FROM service_case c\(where_) ORDER BY c.id
            """)
        let historyWhere = caseFilter.map { " WHERE h.case_id IN (SELECT c.id FROM service_case c WHERE \($0))" } ?? ""
        let history = try RawStatement(db, sql: """
            SELECT h.case_id, h.seq, h.at, h.actor_id, h.action, h.from_state, h.to_state,
                   CASE WHEN h.action IN ('dispatch', 'approve', 'follow-up', 'follow-up-result') THEN h.target END, h.late
            FROM history h\(historyWhere) ORDER BY h.case_id, h.seq
            """)
        var states: [String: CaseState] = [:]
        for s in CaseState.allCases { states[s.rawValue] = s }
        var hasRow = try history.step()
        var rows: [ReplayRow] = []
        var count = 0
        while try cases.step() {
            let id = cases.int64(0)
            guard let state = states[cases.text(5) ?? ""] else {
                throw WorkflowError.storage("case \(id) has unknown state '\(cases.text(5) ?? "NULL")'")
            }
            let closeType: CloseType? = try StoredValue.decodeIfPresent(cases.text(6), "close type", of: "case \(id)")
            let facts = ReplayCase(
                id: id, cellCode: cases.text(1) ?? "", category: (cases.text(2) ?? "") + ":" + (cases.text(3) ?? ""),
                fromInspector: cases.text(4) == ReportSource.inspector.rawValue,
                state: state, closeType: closeType)
            rows.removeAll(keepingCapacity: true)
            while hasRow, history.int64(0) < id { hasRow = try history.step() }
            while hasRow, history.int64(0) == id {
                let action = history.bytes(4) { HistoryAction(bytes: $0) }
                let from = history.bytes(5) { $0.isEmpty ? nil : CaseState(bytes: $0) }
                guard let to = history.bytes(6, { CaseState(bytes: $0) }), from != nil || history.text(5) == nil else {
                    let seq = history.int64(1), bad = from == nil && history.text(5) != nil ? ("from", history.text(5)) : ("to", history.text(6))
                    throw WorkflowError.storage("the history row \(seq) of case \(id) has unknown \(bad.0) state '\(bad.1 ?? "NULL")'")
                }
                rows.append(ReplayRow(
                    seq: Int(history.int64(1)), at: history.int64(2), actor: history.optionalInt64(3),
                    action: action, from: from,
                    to: to,
                    target: action.keepsTarget ? history.text(7) : nil, late: history.int64(8) != 0))
                hasRow = try history.step()
            }
            guard !rows.isEmpty else { continue }
            if !facts.isSettled && !countUnsettled {
                try unsettled?(id, rows.map(\.seq))
                continue
            }
            let first = firstSeq?[id] ?? 0
            accumulator.begin(cell: facts.cellCode, category: facts.category)
            var replay = CaseReplay(facts: facts, dayOf: dayOf)
            var sink = accumulator
            for row in rows { replay.apply(row, emit: row.seq >= first, into: &sink) }
            count += 1
        }
        return count
    }

    // MARK: Storing

    static let insertSQL: String = {
        let columns = ["dim", "day", "key"] + EvaluationCounts.columns + ["hist"]
        return "INSERT OR REPLACE INTO eval_rollup(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }()

    /// Writes accumulated rows: as they are (a build), or added to what is stored (a refresh). Stamps the days it
    /// changes (a build: every day) with a stamp above any before, for readers that keep days in memory.
    static func store(_ rows: [RollupRow], _ db: Database, adding: Bool) throws {
        let stamp = (try Int64.fetchOne(db, sql: "SELECT max(stamp) FROM eval_day_stamp") ?? 0) + 1
        if !adding { try db.execute(sql: "UPDATE eval_day_stamp SET stamp = ?", arguments: [stamp]) }
        let stampDay = try RawStatement(db, sql: """
            INSERT INTO eval_day_stamp(day, stamp) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET stamp = excluded.stamp
            """)
        for day in Set(rows.map(\.day)) {
            stampDay.reset()
            stampDay.bind(1, Int64(day)); stampDay.bind(2, stamp)
            _ = try stampDay.step()
        }
        let insert = try RawStatement(db, sql: insertSQL)
        let select = try RawStatement(db, sql: "SELECT \(EvaluationCounts.columns.joined(separator: ", ")), hist FROM eval_rollup WHERE dim = ? AND day = ? AND key = ?")
        let width = EvaluationCounts.width
        for row in rows {
            var counts = row.counts
            if adding {
                select.reset()
                select.bind(1, row.dim.rawValue); select.bind(2, Int64(row.day)); select.bind(3, row.key)
                if try select.step() {
                    for i in 0..<width { counts.values[i] &+= select.int64(Int32(i)) }
                    select.blob(Int32(width)) { counts.histogram.add(encoded: $0) }
                }
            }
            insert.reset()
            insert.bind(1, row.dim.rawValue); insert.bind(2, Int64(row.day)); insert.bind(3, row.key)
            for i in 0..<width { insert.bind(Int32(4 + i), counts.values[i]) }
            if counts.histogram.isEmpty { insert.bindNull(Int32(4 + width)) } else { insert.bind(Int32(4 + width), counts.histogram.encoded) }
            _ = try insert.step()
        }
    }

    // MARK: Reading

    static func rules(_ db: Database) throws -> ScoringRules {
        var weights: [EvaluationWeight] = []
        for row in try Row.fetchAll(db, sql: "SELECT subject, indicator, weight FROM evaluation_weight ORDER BY subject, rowid") {
            guard let subject = EvaluationSubject(rawValue: row["subject"]), let indicator = Indicator(rawValue: row["indicator"]) else { continue }
            weights.append(EvaluationWeight(subject: subject, indicator: indicator, weight: row["weight"]))
        }
        // Keep the published order within a subject (the table's insertion order).
        let order = Dictionary(uniqueKeysWithValues: ScoringRules.default.weights.enumerated().map { ("\($1.subject.rawValue) \($1.indicator.rawValue)", $0) })
        weights.sort { (order["\($0.subject.rawValue) \($0.indicator.rawValue)"] ?? 1000, $0.indicator.rawValue) < (order["\($1.subject.rawValue) \($1.indicator.rawValue)"] ?? 1000, $1.indicator.rawValue) }
        let bands = try Row.fetchAll(db, sql: "SELECT band, min_score FROM evaluation_band").map { (band: $0["band"] as String, minScore: $0["min_score"] as Double) }
        return ScoringRules(weights: weights, bands: bands.isEmpty ? ScoringRules.default.bands : bands)
    }

    /// How a grouping reads the rollups: which dim, and which group a stored key belongs to.
    struct Plan {
        var dim: RollupDim
        /// The group of a stored key (a cell's patrol area, "" for the total), nil to leave it out.
        var group: (String) -> String?
        /// Key range (a code prefix) the stored keys must fall in.
        var range: (String, String)?
    }

    static func plan(_ grouping: EvaluationGrouping, within: String?, patrolOfCell: [String: String],
                     centerOfOperator: [String: String] = [:]) -> Plan {
        let range = within.map { ($0, $0 + ":") }
        let same: (String) -> String? = { $0 }
        switch grouping {
        case .city:
            guard let within else { return Plan(dim: .district, group: { _ in "" }, range: nil) }
            let dim: RollupDim = switch within.count {
            case 6: .district
            case 9: .street
            case 12: .community
            default: .cell
            }
            return Plan(dim: dim, group: { _ in "" }, range: range)
        case .district: return Plan(dim: .district, group: same, range: range)
        case .street: return Plan(dim: .street, group: same, range: range)
        case .community: return Plan(dim: .community, group: same, range: range)
        case .cell: return Plan(dim: .cell, group: same, range: range)
        case .patrolArea: return Plan(dim: .cell, group: { patrolOfCell[$0] ?? "" }, range: range)
        case .category: return Plan(dim: .category, group: same, range: nil)
        case .department: return Plan(dim: .department, group: same, range: nil)
        case .operator: return Plan(dim: .operator, group: same, range: nil)
        case .center: return Plan(dim: .operator, group: { centerOfOperator[$0] ?? "" }, range: nil)
        }
    }

    /// Sums of the rollups of `days` per group, plus what `live` holds for the same days and groups.
    /// One pass over the stored rows of the period (the primary key orders them by dim and day), summed
    /// here rather than by an SQL GROUP BY, which would sort them first.
    static func aggregate(_ db: Database, _ plan: Plan, days: Range<Int>, histograms: Bool,
                          live: [RollupRow], only: [EvaluationCounter]? = nil) throws -> [String: EvaluationCounts] {
        var conditions = "e.dim = ? AND e.day >= ? AND e.day < ?"
        var arguments: StatementArguments = [plan.dim.rawValue, days.lowerBound, days.upperBound]
        if let range = plan.range {
            conditions += " AND e.key >= ? AND e.key < ?"
            arguments += [range.0, range.1]
        }
        // Which stored columns to read, and where each goes in `EvaluationCounts.values`.
        let slots: [Int] = only.map { $0.map(\.index) } ?? Array(0..<EvaluationCounts.width)
        let width = slots.count
        let columns = slots.map { "e.\(EvaluationCounts.columns[$0])" }.joined(separator: ", ")
        let statement = try RawStatement(db, sql: """
            SELECT e.key, \(columns)\(histograms ? ", e.hist" : "") FROM eval_rollup e WHERE \(conditions)
            """)
        try statement.bind(arguments)
        var names: [String] = []
        var sums: [EvaluationCounts] = []
        var dense: [[UInt32]] = []   // histograms, summed densely: a stored one is a few sparse entries
        var groupIndex: [String: Int] = [:]
        var slotOfKey: [String: Int] = [:]   // stored key → group slot, -1 when left out
        while try statement.step() {
            let stored = statement.text(0) ?? ""
            var slot = slotOfKey[stored] ?? -2
            if slot == -2 {
                if let group = plan.group(stored) {
                    if let existing = groupIndex[group] { slot = existing } else {
                        slot = sums.count
                        groupIndex[group] = slot
                        names.append(group)
                        sums.append(EvaluationCounts())
                        if histograms { dense.append(StageHistogram.emptyDense) }
                    }
                } else {
                    slot = -1
                }
                slotOfKey[stored] = slot
            }
            guard slot >= 0 else { continue }
            for i in 0..<width { sums[slot].values[slots[i]] &+= statement.int64(Int32(i + 1)) }
            if histograms { statement.blob(Int32(width + 1)) { StageHistogram.add(encoded: $0, into: &dense[slot]) } }
        }
        var result: [String: EvaluationCounts] = [:]
        for (i, name) in names.enumerated() {
            if histograms { sums[i].histogram = StageHistogram(dense: dense[i]) }
            result[name] = sums[i]
        }
        for row in live where row.dim == plan.dim && days.contains(row.day) {
            if let range = plan.range, !(row.key >= range.0 && row.key < range.1) { continue }
            guard let group = plan.group(row.key) else { continue }
            var counts = row.counts
            if !histograms { counts.histogram = StageHistogram() }
            result[group, default: EvaluationCounts()].add(counts)
        }
        return result
    }

    /// Open cases past their current deadline at `now` (suspended ones past theirs when stopped),
    /// reported before `end`, per group. Nil for operators. Open cases are few (a few per cent of all)
    /// and the partial indexes on open cases serve both queries; the `reported_at` test, which needs the
    /// table, is left out when `end` is not before `now` (nothing open was reported after now).
    static func overdue(_ db: Database, _ grouping: EvaluationGrouping, within: String?, now: Date, end: Date) throws -> [String: Int]? {
        let expression: String
        switch grouping {
        case .city: expression = "''"
        case .district: expression = "substr(c.cell_code, 1, 6)"
        case .street: expression = "substr(c.cell_code, 1, 9)"
        case .community: expression = "substr(c.cell_code, 1, 12)"
        case .cell: expression = "c.cell_code"
        case .patrolArea: expression = "ifnull(r.patrol_area, '')"
        case .category: expression = "c.kind || ':' || c.category_code"
        case .department: expression = "ifnull(c.department, '')"
        case .operator, .center: return nil
        }
        let join = grouping == .patrolArea ? " LEFT JOIN region r ON r.code = c.cell_code" : ""
        var extra = ""
        var arguments: StatementArguments = []
        if end < now {
            extra += " AND c.reported_at < ?"
            arguments += [end.storageSeconds]
        }
        if let within, grouping.isSpatial {
            extra += " AND c.cell_code >= ? AND c.cell_code < ?"
            arguments += [within, within + ":"]
        }
        var result: [String: Int] = [:]
        for (condition, first) in [
            ("c.is_open = 1 AND c.deadline < ?", [now.storageSeconds] as StatementArguments),
            ("c.state = 'suspended' AND c.frozen_remaining < 0", [] as StatementArguments),
        ] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(expression) AS g, count(*) AS n FROM service_case c\(join) WHERE \(condition)\(extra) GROUP BY g
                """, arguments: first + arguments)
            for row in rows { result[(row["g"] as String?) ?? "", default: 0] += row["n"] as Int }
        }
        return result
    }

    /// Names of the groups: every region of the level (inside `within`), every patrol area and department;
    /// categories and operators by lookup.
    struct GroupName {
        var name: String
        var nameEn: String?
        var role: Role?
        var operatorID: Int64?
        var login: String?
        var patrolArea: String?
    }

    static func groupNames(_ db: Database, _ grouping: EvaluationGrouping, within: String?) throws -> (all: [String], names: [String: GroupName]) {
        var names: [String: GroupName] = [:]
        var all: [String] = []
        func rangeClause(_ column: String) -> (String, StatementArguments) {
            guard let within else { return ("", []) }
            return (" AND \(column) >= ? AND \(column) < ?", [within, within + ":"])
        }
        switch grouping {
        case .city:
            let settings = try CityStore.settings(db)
            if let within, let row = try Row.fetchOne(db, sql: "SELECT name_zh, name_en FROM region WHERE code = ?", arguments: [within]) {
                names[""] = GroupName(name: row["name_zh"], nameEn: row["name_en"])
            } else {
                names[""] = GroupName(name: settings.cityNameZh, nameEn: settings.cityNameEn)
            }
            all = [""]
        case .district, .street, .community, .cell:
            let (clause, arguments) = rangeClause("code")
            for row in try Row.fetchAll(db, sql: "SELECT code, name_zh, name_en FROM region WHERE level = ?\(clause) ORDER BY code",
                                        arguments: [grouping.rawValue] + arguments) {
                let code: String = row["code"]
                names[code] = GroupName(name: row["name_zh"], nameEn: row["name_en"])
                all.append(code)
            }
        case .patrolArea:
            let (clause, arguments) = rangeClause("community_code")
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM patrol_area WHERE 1\(clause) ORDER BY id", arguments: arguments) {
                let id: String = row["id"]
                names[id] = GroupName(name: row["name"])
                all.append(id)
            }
        case .category:
            for row in try Row.fetchAll(db, sql: "SELECT kind, code, name_zh, name_en FROM category ORDER BY kind, code") {
                names["\(row["kind"] as String):\(row["code"] as String)"] = GroupName(name: row["name_zh"], nameEn: row["name_en"])
            }
        case .department:
            for row in try Row.fetchAll(db, sql: "SELECT code, name_zh, name_en FROM department ORDER BY code") {
                let code: String = row["code"]
                names[code] = GroupName(name: row["name_zh"], nameEn: row["name_en"])
                all.append(code)
            }
        case .operator:
            for record in try OperatorRecord.fetchAll(db) {
                let op = try record.operatorValue()
                names[String(op.id)] = GroupName(name: op.name, role: op.role, operatorID: op.id, login: op.login, patrolArea: op.patrolAreaID)
            }
        case .center:
            for row in try Row.fetchAll(db, sql: "SELECT id, name_zh, name_en FROM center ORDER BY kind DESC, tier, id") {
                let id: String = row["id"]
                names[id] = GroupName(name: row["name_zh"], nameEn: row["name_en"])
                all.append(id)
            }
        }
        return (all, names)
    }

    /// Checks a region limit of a grouping: a district, street or community code that exists, coarser than the groups.
    static func checkWithin(_ db: Database, _ within: String?, grouping: EvaluationGrouping) throws {
        guard let within else { return }
        guard [6, 9, 12].contains(within.count), within.allSatisfy(\.isASCIIDigit) else {
            throw WorkflowError.invalidInput("a region limit is a district, street or community code, not '\(within)'")
        }
        guard grouping.isSpatial else {
            throw WorkflowError.invalidInput("a region limit applies to region groupings, not \(grouping.rawValue)")
        }
        if let level = grouping.prefixLength, level < within.count {
            throw WorkflowError.invalidInput("\(within) is inside a single \(grouping.rawValue); group by a finer level")
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ?", arguments: [within]) == true else {
            throw WorkflowError.notFound("no region \(within)")
        }
    }

    /// What the rollups do not hold yet, on `days`: queued rows (or, with no rollups at all, everything), replayed now.
    static func liveRows(_ db: Database, zone: String, dayOf: @escaping (Int64) -> Int, days: Range<Int>) throws -> [RollupRow] {
        let live = RollupAccumulator()
        if try isCurrent(db, zone: zone) {
            let firstSeq = try pendingFirstSeq(db, settledOnly: false)
            if !firstSeq.isEmpty {
                try replay(db, caseFilter: "c.id IN (SELECT case_id FROM eval_pending)", dayOf: dayOf, firstSeq: firstSeq,
                           countUnsettled: true, into: live)
            }
        } else {
            try replay(db, caseFilter: nil, dayOf: dayOf, firstSeq: nil, countUnsettled: true, into: live)
        }
        return live.isEmpty ? [] : live.rows().filter { days.contains($0.day) }
    }

    static func evaluate(_ db: Database, _ query: EvaluationQuery, now: Date) throws -> EvaluationReport {
        try checkWithin(db, query.within, grouping: query.grouping)
        let (zone, dayOf, calendar) = try dayFunction(db)
        let days = query.period.from.dayNumber..<query.period.to.dayNumber
        let end = calendar.date(of: query.period.to, minuteOfDay: 0)
        let liveRows = try liveRows(db, zone: zone, dayOf: dayOf, days: days)
        // Cells: their patrol areas, and how many each region holds (region volumes are per cell).
        var patrolOfCell: [String: String] = [:]
        var cellCount: [String: Int] = [:]
        if query.grouping.isSpatial || query.grouping == .operator {
            for row in try Row.fetchAll(db, sql: "SELECT code, patrol_area FROM region WHERE level = 'cell'") {
                let code: String = row["code"]
                if let area: String = row["patrol_area"] {
                    patrolOfCell[code] = area
                    cellCount[area, default: 0] += 1
                }
                for length in [6, 9, 12, 15] { cellCount[String(code.prefix(length)), default: 0] += 1 }
            }
        }

        // Centers: each operator's (a stored operator key is the operator's id).
        var centerOfOperator: [String: String] = [:]
        if query.grouping == .center {
            for row in try Row.fetchAll(db, sql: "SELECT id, center_id FROM operator") {
                centerOfOperator[String(row["id"] as Int64)] = row["center_id"] as String? ?? ""
            }
        }
        let counts = try aggregate(db, plan(query.grouping, within: query.within, patrolOfCell: patrolOfCell,
                                            centerOfOperator: centerOfOperator),
                                   days: days, histograms: query.stageTimes, live: liveRows)
        let overdueCounts = try Self.overdue(db, query.grouping, within: query.within, now: now, end: end)
        var areaFiling: [String: EvaluationCounts] = [:]
        if query.grouping == .operator {
            areaFiling = try aggregate(db, plan(.patrolArea, within: nil, patrolOfCell: patrolOfCell), days: days,
                                       histograms: false, live: liveRows, only: [.filed, .filedByOthers])
        }
        let scoring = try Self.rules(db)
        let (all, names) = try groupNames(db, query.grouping, within: query.within)

        var keys = all
        let listed = Set(all)
        for key in counts.keys.sorted() where !listed.contains(key) && !(counts[key]?.isZero ?? true) { keys.append(key) }
        for key in (overdueCounts ?? [:]).keys.sorted() where !listed.contains(key) && counts[key] == nil && (overdueCounts?[key] ?? 0) > 0 {
            keys.append(key)
        }
        if !query.grouping.isSpatial && query.grouping != .department && query.grouping != .center { keys.sort() }

        let settings = try CityStore.settings(db)
        var rows: [EvaluationRow] = keys.map { key in
            let c = counts[key] ?? EvaluationCounts()
            let info = names[key]
            var missed: (filed: Int64, byOthers: Int64)?
            var found = IndicatorInputs.FoundBase.counts
            if query.grouping.isSpatial || query.grouping == .center {
                // A center: the filings of its shift leads, as for its found rate.
                missed = (c[.filed], c[.filedByOthers])
            } else if query.grouping == .operator {
                found = .notApplicable
                if info?.role == .inspector, let area = info?.patrolArea {
                    let a = areaFiling[area] ?? EvaluationCounts()
                    missed = (a[.filed], a[.filedByOthers])
                    found = .missedArea
                }
            }
            let overdueNow = overdueCounts.map { $0[key] ?? 0 }
            let fallbackName = !key.isEmpty ? key : query.grouping == .patrolArea ? "(no patrol area)"
                : query.grouping == .department ? "(no department yet)"
                : query.grouping == .center ? "(no center: department staff, administrators)" : "-"
            let shownKey = query.grouping == .operator ? (info?.login ?? key)
                : query.grouping == .city ? (query.within ?? settings.cityCode) : (key.isEmpty ? "-" : key)
            return EvaluationRow(key: shownKey,
                                 name: info?.name ?? fallbackName, nameEn: info?.nameEn, role: info?.role, operatorID: info?.operatorID,
                                 cellCount: query.grouping.isSpatial && query.grouping != .city ? cellCount[key] ?? 0 : nil,
                                 inputs: IndicatorInputs(counts: c, overdueNow: overdueNow, missedBase: missed, foundBase: found),
                                 score: nil)
        }
        if query.grouping == .operator { rows.sort { $0.key < $1.key } }

        // Composite scores, volumes relative to the best row of the same subject; a region's cases filed
        // count per cell, so that a large district does not outscore a small one by size alone.
        func subject(of row: EvaluationRow) -> EvaluationSubject? {
            switch query.grouping {
            case .district, .street, .community, .cell, .patrolArea: .region
            case .department: .department
            case .operator: row.role.flatMap(EvaluationSubject.init(role:))
            case .city, .category, .center: nil
            }
        }
        func scoringValue(_ row: EvaluationRow, _ indicator: Indicator, _ s: EvaluationSubject) -> Double? {
            if s == .region, indicator == .casesFiled {
                guard let cells = row.cellCount, cells > 0 else { return nil }
                return Double(row.counts[.filed]) / Double(cells)
            }
            return row.value(indicator)
        }
        var volumeMax: [EvaluationSubject: [Indicator: Double]] = [:]
        for row in rows {
            guard let s = subject(of: row) else { continue }
            for indicator in Indicator.allCases where indicator.isVolume {
                volumeMax[s, default: [:]][indicator] = max(volumeMax[s]?[indicator] ?? 0, scoringValue(row, indicator, s) ?? 0)
            }
        }
        for i in rows.indices {
            guard let s = subject(of: rows[i]) else { continue }
            let row = rows[i]
            rows[i].score = CompositeScorer.score(subject: s, rules: scoring, values: { scoringValue(row, $0, s) },
                                                  volumeMax: { volumeMax[s]?[$0] })
            if s == .region, let at = rows[i].score?.parts.firstIndex(where: { $0.indicator == .casesFiled }) {
                rows[i].score?.parts[at].basis = "per cell"
            }
        }

        // The total: the whole city, or the `within` region.
        let totalCounts = try aggregate(db, plan(.city, within: query.within, patrolOfCell: [:]), days: days,
                                        histograms: query.stageTimes, live: liveRows)[""] ?? EvaluationCounts()
        // Every open case falls in one group (an empty key for none), except for operators.
        let totalOverdue = try overdueCounts.map { $0.values.reduce(0, +) }
            ?? Self.overdue(db, .city, within: query.within, now: now, end: end)?[""] ?? 0
        let totalName = try groupNames(db, .city, within: query.within).names[""]
        let total = EvaluationRow(key: query.within ?? settings.cityCode, name: totalName?.name ?? settings.cityNameZh,
                                  nameEn: totalName?.nameEn, role: nil, operatorID: nil, cellCount: nil,
                                  inputs: IndicatorInputs(counts: totalCounts, overdueNow: totalOverdue,
                                                          missedBase: (totalCounts[.filed], totalCounts[.filedByOthers])),
                                  score: nil)
        var report = EvaluationReport(period: query.period, grouping: query.grouping, within: query.within, asOf: now,
                                      rows: rows, total: total, rules: scoring)
        // Patrol coverage (巡查覆盖率) at the period's end, or now if the period runs on.
        let coverageAt = min(end, now)
        let coverage = try CityStore.evaluationCoverage(db, grouping: query.grouping, within: query.within, at: coverageAt)
        for i in report.rows.indices {
            let row = report.rows[i]
            // Of operators, only an inspector walks an area; a city row is the city's.
            if query.grouping == .operator, row.role != .inspector { continue }
            report.rows[i].patrolCoverage = query.grouping == .city ? coverage.total : coverage.rows[row.key]
        }
        report.total.patrolCoverage = coverage.total
        report.coverageAt = coverageAt
        report.coverageHours = coverage.hours
        return report
    }
}
