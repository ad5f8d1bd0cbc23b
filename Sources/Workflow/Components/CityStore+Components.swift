import Foundation
import GRDB

/// Components through cases: a case about a component changes its state and writes its history (`ComponentRules`
/// decides); a component case is routed to the component's owner. And the reads: one component with its history,
/// the components near a cell for the intake form, counts per cell for the map's component layer.
extension CityStore {

    // MARK: Rows

    static func component(_ row: Row) throws(WorkflowError) -> Component {
        let id: String = row["id"]
        return Component(id: id, classCode: row["category_code"], name: row["name"], department: row["department"],
                         cellCode: row["cell_code"],
                         state: try storedState(row["state"], of: id),
                         updatedAt: CaseRows.date(row, "updated_at") ?? .distantPast)
    }

    static func storedState(_ text: String?, of id: String) throws(WorkflowError) -> ComponentState {
        guard let text, let state = ComponentState(stored: text) else { throw .storage("component \(id) has unknown state '\(text ?? "")'") }
        return state
    }

    static func fetchComponent(_ db: Database, _ id: String) throws -> Component? {
        try Row.fetchOne(db, sql: "SELECT * FROM component WHERE id = ?", arguments: [id]).map { row throws in try component(row) }
    }

    static func setComponentState(_ db: Database, _ id: String, _ state: ComponentState, at now: Date) throws {
        try db.execute(sql: "UPDATE component SET state = ?, updated_at = ? WHERE id = ?", arguments: [state.stored, now.storageSeconds, id])
    }

    /// Appends a row to the component's history (its next `seq`).
    static func appendComponentHistory(_ db: Database, componentID: String, at now: Date, actorID: Int64?, action: String,
                                       from: ComponentState?, to: ComponentState, caseID: Int64?, censusID: Int64?, note: String?) throws {
        let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM component_history WHERE component_id = ?", arguments: [componentID]) ?? 0) + 1
        try db.execute(sql: """
            INSERT INTO component_history(component_id, seq, at, actor_id, action, from_state, to_state, case_id, census_id, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [componentID, seq, now.storageSeconds, actorID, action, from?.rawValue, to.rawValue, caseID, censusID, note])
    }

    // MARK: Cases

    /// The component a new report names, checked: it exists, the report is a component case of its class, and it
    /// is not removed.
    static func componentForReport(_ db: Database, _ id: String, draft: ReportDraft) throws -> Component {
        try Component.validateID(id)
        guard let component = try fetchComponent(db, id) else { throw WorkflowError.notFound("no component \(id)") }
        guard draft.kind == .component else {
            throw WorkflowError.invalidInput("component \(id) is named, but the report is an event; a component case has kind component")
        }
        guard draft.categoryCode == component.classCode else {
            throw WorkflowError.invalidInput("component \(id) is of class \(component.classCode), not \(draft.categoryCode)")
        }
        _ = try ComponentRules.stateOnOpen(component.state, componentID: id)
        return component
    }

    /// A case about the component opened (or reopened): its state as `ComponentRules.stateOnOpen` says, and a
    /// history row naming the case either way.
    static func componentCaseOpened(_ db: Database, _ component: Component, caseID: Int64, actorID: Int64?, action: String,
                                    at now: Date) throws {
        let next = try ComponentRules.stateOnOpen(component.state, componentID: component.id)
        if let next { try setComponentState(db, component.id, next, at: now) }
        try appendComponentHistory(db, componentID: component.id, at: now, actorID: actorID, action: action, from: component.state,
                                   to: next ?? component.state, caseID: caseID, censusID: nil, note: nil)
    }

    /// A case about a component ended (closed, or cancelled, rejected, merged): the component's state as
    /// `ComponentRules.stateOnEnd` says, and a history row naming the case.
    static func componentCaseEnded(_ db: Database, _ ended: ServiceCase, outcome: ComponentOutcome?, actorID: Int64?, at now: Date) throws {
        guard let id = ended.componentID, let component = try fetchComponent(db, id) else { return }
        let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE component_id = ? AND is_open = 1 AND id <> ?",
                                      arguments: [id, ended.id]) ?? 0
        // The state before this case opened: its latest opening row (an unmerge reopens a case).
        let before = try String.fetchOne(db, sql: """
            SELECT from_state FROM component_history WHERE component_id = ? AND case_id = ? AND action IN ('case-opened', 'case-reopened')
            ORDER BY seq DESC LIMIT 1
            """, arguments: [id, ended.id]).flatMap(ComponentState.init(rawValue:))
        let closed = ended.state == .closed
        let next = ComponentRules.stateOnEnd(component.state, closed: closed, outcome: outcome, before: before, otherOpenCases: others)
        if let next { try setComponentState(db, id, next, at: now) }
        let note = next == nil && others > 0 ? "\(others) other open case\(others == 1 ? "" : "s")" : nil
        try appendComponentHistory(db, componentID: id, at: now, actorID: actorID, action: closed ? "case-closed" : "case-cancelled",
                                   from: component.state, to: next ?? component.state, caseID: ended.id, censusID: nil, note: note)
    }

    /// The department a case is filed to: the one the shift lead chose, else its component's owner, else the
    /// category's (`ComponentRules.route`). `key`: the category the filing changes the case to, if any.
    static func routeAtFiling(_ db: Database, _ c: ServiceCase, category key: CategoryKey?, asked: String?,
                              context: LifecycleContext) throws -> String? {
        if let asked, !asked.isEmpty { return asked }
        let key = key ?? c.categoryKey
        guard let category = context.categories[key] else { return nil }   // the lifecycle names the unknown category
        let owner = try c.componentID.flatMap { id throws in try fetchComponent(db, id)?.department }
        return ComponentRules.route(kind: key.kind, category: category, componentID: c.componentID, componentOwner: owner, asked: nil).department
    }

    static func routing(_ db: Database, of c: ServiceCase, context: LifecycleContext) throws -> Routing? {
        guard let category = context.categories[c.categoryKey] else { return nil }
        // Waiting for dispatch, a community-level category's case goes to the community holding its cell, when that is a unit.
        if c.state == .filed, category.communityLevel,
           let unit = HandlingUnits.suggested(for: c, categories: [category], departments: Array(context.departments.values)),
           context.departments[unit]?.handlingLevel == .community {
            return Routing(department: unit, reason: .communityLevel, componentID: c.componentID)
        }
        let owner = try c.componentID.flatMap { id throws in try fetchComponent(db, id)?.department }
        return ComponentRules.route(kind: c.kind, category: category, componentID: c.componentID, componentOwner: owner,
                                    asked: c.departmentCode)
    }

    /// A case's component, its owner's name and the case's routing, for its detail.
    static func addComponent(_ db: Database, to detail: inout CaseDetail) throws {
        let c = detail.serviceCase
        if let id = c.componentID, let component = try fetchComponent(db, id) {
            detail.component = component
            detail.componentOwnerName = try component.department.flatMap { code throws in
                try Row.fetchOne(db, sql: "SELECT name_zh, name_en FROM department WHERE code = ?", arguments: [code])
            }.map { ($0["name_zh"], $0["name_en"]) }
        }
        detail.routing = try routing(db, of: c, context: try context(db))
    }

    // MARK: Reading

    /// Where a case goes and why: its department (chosen at filing, or the one it would be filed to) as
    /// `ComponentRules.route` explains it.
    public func routing(ofCase id: Int64) throws(WorkflowError) -> Routing? {
        try read { db in
            let c = try Self.fetchCase(db, id)
            return try Self.routing(db, of: c, context: try Self.context(db))
        }
    }

    /// What a dispatch to `department` means for the case: the suggested routing, and whether the department
    /// follows it.
    public func suggestedRouting(ofCase id: Int64) throws(WorkflowError) -> Routing? {
        try read { db in
            var c = try Self.fetchCase(db, id)
            c.departmentCode = nil
            return try Self.routing(db, of: c, context: try Self.context(db))
        }
    }

    /// One component with its history; nil-free: an unknown id is "not found".
    public func component(_ id: String) throws(WorkflowError) -> ComponentDetail {
        try Component.validateID(id)
        return try read { db in
            guard let component = try Self.fetchComponent(db, id) else { throw WorkflowError.notFound("no component \(id)") }
            let category = try Row.fetchOne(db, sql: "SELECT name_zh, name_en FROM category WHERE kind = 'component' AND code = ?",
                                            arguments: [component.classCode])
            let department = try component.department.flatMap { code throws in
                try Row.fetchOne(db, sql: "SELECT name_zh, name_en FROM department WHERE code = ?", arguments: [code])
            }
            let open = try Int64.fetchAll(db, sql: "SELECT id FROM service_case WHERE component_id = ? AND is_open = 1 ORDER BY id DESC",
                                          arguments: [id])
            let history = try Row.fetchAll(db, sql: """
                SELECT h.*, o.login FROM component_history h LEFT JOIN operator o ON o.id = h.actor_id
                WHERE h.component_id = ? ORDER BY h.seq
                """, arguments: [id]).map { row throws in
                let owner = "the history row \(row["seq"] as Int) of component \(id)"
                return ComponentHistoryEntry(seq: row["seq"], at: CaseRows.date(row, "at") ?? .distantPast, actorLogin: row["login"],
                                             action: row["action"],
                                             from: try StoredValue.decodeIfPresent(row, "from_state", "from state", of: owner),
                                             to: try StoredValue.decode(row, "to_state", "to state", of: owner),
                                             caseID: row["case_id"], censusID: row["census_id"], note: row["note"])
            }
            return ComponentDetail(component: component,
                                   className: category.map { ($0["name_zh"], $0["name_en"]) },
                                   departmentName: department.map { ($0["name_zh"], $0["name_en"]) },
                                   openCases: open, history: history)
        }
    }

    /// The components of a class nearest a cell, for the intake form: those of the cell first, then of the cells
    /// around it (by grid distance, at most `radius` cells away), each group by id; removed ones left out.
    public func nearestComponents(cell: String, classCode: String, radius: Int = 1, limit: Int = 20) throws(WorkflowError) -> [Component] {
        try CellCode.validate(cell)
        return try read { db in
            guard let place = try Row.fetchOne(db, sql: "SELECT grid_row, grid_col FROM region WHERE code = ? AND level = 'cell'", arguments: [cell]) else {
                throw WorkflowError.notFound("no cell \(cell)")
            }
            let row: Int = place["grid_row"], col: Int = place["grid_col"]
            return try Row.fetchAll(db, sql: """
                SELECT c.*, max(abs(r.grid_row - ?), abs(r.grid_col - ?)) AS distance FROM region r
                JOIN component c ON c.cell_code = r.code AND c.category_code = ?
                WHERE r.level = 'cell' AND r.grid_row BETWEEN ? AND ? AND r.grid_col BETWEEN ? AND ? AND c.state <> 'removed'
                ORDER BY distance, c.id LIMIT ?
                """, arguments: [row, col, classCode, row - radius, row + radius, col - radius, col + radius, max(0, limit)])
                .map { row throws in try Self.component(row) }
        }
    }

    /// For the map's component layer: each cell's components (of one class, or all) counted by state.
    public func componentCountsByCell(classCode: String?) throws(WorkflowError) -> [String: ComponentCellCounts] {
        try read { db in
            var counts: [String: ComponentCellCounts] = [:]
            let filter = classCode == nil ? "" : "WHERE category_code = ?"
            let rows = try Row.fetchCursor(db, sql: "SELECT cell_code, state, count(*) AS n FROM component \(filter) GROUP BY cell_code, state",
                                           arguments: classCode.map { [$0] } ?? [])
            while let row = try rows.next() {
                guard let state = ComponentState(stored: row["state"]) else { continue }
                counts[row["cell_code"], default: ComponentCellCounts()].add(state, row["n"])
            }
            return counts
        }
    }
}

/// A cell's components counted by state (the map's component layer).
public struct ComponentCellCounts: Sendable, Equatable {
    public var byState: [ComponentState: Int] = [:]
    public init() {}
    mutating func add(_ state: ComponentState, _ n: Int) { byState[state, default: 0] += n }
    public var total: Int { byState.values.reduce(0, +) }
    /// Components that need work: damaged, missing or abandoned.
    public var faulty: Int { (byState[.damaged] ?? 0) + (byState[.missing] ?? 0) + (byState[.abandoned] ?? 0) }
    /// Components in place (all but removed).
    public var present: Int { total - (byState[.removed] ?? 0) }
}
