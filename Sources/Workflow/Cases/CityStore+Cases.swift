import Foundation
import GRDB

/// An action as the CLI or a console form asks for it, before anything is looked up.
public struct ActionRequest: Sendable {
    public var action: CaseAction
    public var caseID: Int64
    /// Operator id or login.
    public var actor: String
    /// Inspector (verify, check), department code or center id (dispatch), case id (merge).
    public var target: String?
    public var note: String?
    public var hours: Double?
    /// `CODE` (same kind as the case) or `KIND:CODE`, for `file`.
    public var category: String?
    public var department: String?
    /// When set, the action is refused if the case changed after this instant (a form opened on a stale
    /// screen must not overwrite someone else's work).
    public var expectedLastEventAt: Date?
    /// `close` of a component case: what becomes of the component (default normal).
    public var componentOutcome: ComponentOutcome?

    public init(action: CaseAction, caseID: Int64, actor: String, target: String? = nil, note: String? = nil,
                hours: Double? = nil, category: String? = nil, department: String? = nil, expectedLastEventAt: Date? = nil,
                componentOutcome: ComponentOutcome? = nil) {
        self.action = action; self.caseID = caseID; self.actor = actor; self.target = target; self.note = note
        self.hours = hours; self.category = category; self.department = department; self.expectedLastEventAt = expectedLastEventAt
        self.componentOutcome = componentOutcome
    }
}

/// A history row with the actor's login and name, for display.
public struct HistoryRecord: Sendable, Equatable {
    public var entry: HistoryEntry
    public var actorLogin: String?
    public var actorName: String?
    /// False when the row does not follow from its content and the hash chain (`HistoryChain`): written or changed
    /// outside citygrid. Only `detail` checks; elsewhere it is true.
    public var verified = true
}

/// A case with everything a detail view shows.
public struct CaseDetail: Sendable {
    public var serviceCase: ServiceCase
    public var category: Category?
    public var reports: [Report]
    public var history: [HistoryRecord]
    public var assignee: Operator?
    public var districtName: String?
    public var streetName: String?
    public var communityName: String?
    /// For a case filed through the Open311 service: the address the requester gave and the picture link.
    public var publicRequest: PublicRequest?
    /// Whether every history row of the case follows from its content and the hash chain (see `HistoryRecord.verified`).
    public var historyVerified = true
    /// The component the case is about, with its owner (`ownerName`), when it names one.
    public var component: Component?
    public var componentOwnerName: (zh: String, en: String)?
    /// Where the case goes and why (`ComponentRules.route`): its department as chosen, or the one it would be filed to.
    public var routing: Routing?
}

/// What an Open311 request adds to its case for the center's operators (the requester's contact details stay out).
public struct PublicRequest: Sendable, Equatable {
    public var address: String?
    public var mediaURL: String?
    public init(address: String?, mediaURL: String?) { self.address = address; self.mediaURL = mediaURL }
}

/// A filter over cases, as `citygrid cases` and the console's queue use it.
public struct CaseQuery: Sendable {
    public var states: [CaseState]?
    public var openOnly = false
    public var overdueAt: Date?
    /// A district, street, community or cell code (a prefix of cell codes), or the city code.
    public var region: String?
    public var department: String?
    public var limit: Int?
    /// Restricts to what this operator may see.
    public var viewer: Operator?

    public init(states: [CaseState]? = nil, openOnly: Bool = false, overdueAt: Date? = nil, region: String? = nil,
                department: String? = nil, limit: Int? = nil, viewer: Operator? = nil) {
        self.states = states; self.openOnly = openOnly; self.overdueAt = overdueAt; self.region = region
        self.department = department; self.limit = limit; self.viewer = viewer
    }
}

extension CityStore {

    // MARK: Writing

    /// Files a new report as a case in state `reported`. `reporter` nil means a channel with no operator.
    public func report(_ draft: ReportDraft, by reporter: String?, at now: Date) throws(WorkflowError) -> ServiceCase {
        try write { db in
            let filed = try self.insertReport(db, draft, by: reporter, at: now)
            try Self.noticeReceived(db, filed, context: try self.context(db), at: now)
            return filed
        }
    }

    /// Files a report inside the caller's transaction, so a channel can write its own rows with it, all or none.
    /// `via` names how a channel without an operator was identified (an Open311 api key).
    func insertReport(_ db: Database, _ draft: ReportDraft, by reporter: String?, via channelVia: Via? = nil, at now: Date) throws -> ServiceCase {
        let context = try self.context(db)
        let actor = try reporter.map { try self.actingOperator(db, $0) }
        try CellCode.validate(draft.cellCode)
        let cell = try Self.cellPlace(db, draft.cellCode)
        let component = try draft.componentID.map { id throws in try Self.componentForReport(db, id, draft: draft) }
        var (serviceCase, entry) = try Lifecycle.report(draft, id: 0, cell: cell, reporter: actor, context: context, at: now)
        let id = try CaseRows.insert(db, serviceCase, assigningID: true)
        serviceCase.id = id
        entry.caseID = id
        if let component { try Self.componentCaseOpened(db, component, caseID: id, actorID: actor?.id, action: "case-opened", at: now) }
        if actor == nil, let channelVia { entry.via = channelVia.text }
        try db.execute(sql: """
            INSERT INTO report(case_id, original_case_id, source, reporter_id, reporter_name, reporter_phone, description, reported_at, cell_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, id, serviceCase.source.rawValue, actor?.id, draft.reporterName ?? actor?.name,
                             draft.reporterPhone, draft.description, now.storageSeconds, draft.cellCode])
        try CaseRows.appendHistory(db, entry)
        return serviceCase
    }

    /// Applies one action to one case: looks up its arguments, asks the lifecycle, writes the case and
    /// its history row in one transaction. A refusal writes nothing.
    @discardableResult
    public func perform(_ request: ActionRequest, at now: Date) throws(WorkflowError) -> ServiceCase {
        try write { db in
            let context = try self.context(db)
            let actor = try self.actingOperator(db, request.actor)
            return try Self.perform(db, request, actor: actor, context: context, at: now)
        }
    }

    static func perform(_ db: Database, _ request: ActionRequest, actor: Operator, context: LifecycleContext,
                        at now: Date) throws -> ServiceCase {
        let current = try fetchCase(db, request.caseID)
        if let expected = request.expectedLastEventAt, current.lastEventAt.storageSeconds != expected.storageSeconds {
            throw WorkflowError.refusal(.caseChanged(caseID: current.id, state: current.state))
        }
        // Whether the actor may act here at all comes before whether the arguments are right.
        try Lifecycle.checkPreconditions(of: request.action, on: current, by: actor, rules: context.rules)
        try ComponentRules.checkOutcome(request.componentOutcome, action: request.action, caseID: current.id, componentID: current.componentID)
        let (rostered, onDuty) = try rosteredRequest(db, request, case: current, context: context, at: now)
        let command = try resolve(db, rostered, case: current, context: context)
        let patrolArea = try cellPlace(db, current.cellCode).patrolAreaID
        let transition = try Lifecycle.apply(command, note: request.note, to: current, by: actor,
                                             cellPatrolArea: patrolArea, onDuty: onDuty, context: context, at: now)
        try CaseRows.update(db, transition.after)
        try CaseRows.appendHistory(db, transition.entry)
        if current.state.isOpen, !transition.after.state.isOpen {
            try componentCaseEnded(db, transition.after, outcome: request.componentOutcome, actorID: actor.id, at: now)
        }
        try afterTransition(db, from: current, to: transition.after, context: context, at: now)
        if let merged = transition.mergedInto {
            try CaseRows.update(db, merged.after)
            try CaseRows.appendHistory(db, merged.entry)
            try db.execute(sql: "UPDATE report SET case_id = ? WHERE case_id = ?", arguments: [merged.after.id, current.id])
        }
        return transition.after
    }

    /// The arguments of an action, looked up as the action table (`CaseAction.spec`) says the action takes them.
    static func resolve(_ db: Database, _ request: ActionRequest, case current: ServiceCase,
                        context: LifecycleContext) throws -> CaseCommand {
        let action = request.action
        let spec = action.spec
        let text = request.target?.trimmingCharacters(in: .whitespaces) ?? ""
        if spec.target.isRequired, text.isEmpty { throw WorkflowError.refusal(.missingTarget(action)) }
        if spec.hours != nil, request.hours == nil { throw WorkflowError.refusal(.missingHours(action)) }
        let target = try resolveTarget(db, spec.target, text, for: action, case: current, context: context)
        switch (action, target) {
        case (.accept, _): return .accept
        case (.verify, .inspector(let inspector)): return .verify(inspector: inspector)
        case (.check, .inspector(let inspector)): return .check(inspector: inspector)
        case (.confirm, _): return .confirm
        case (.invalid, _): return .invalid
        case (.file, _):
            var key: CategoryKey?
            if let text = request.category?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                key = try parseCategory(text, defaultKind: current.kind)
            }
            let asked = request.department?.trimmingCharacters(in: .whitespaces).uppercased()
            return .file(category: key, department: try routeAtFiling(db, current, category: key, asked: asked, context: context))
        case (.reject, _): return .reject
        case (.cancel, _): return .cancel
        case (.merge, .serviceCase(let survivor)): return .merge(into: survivor)
        case (.dispatch, .department(let code)): return .dispatchToDepartment(code)
        case (.dispatch, .center(let center)): return .dispatchToCenter(center)
        case (.escalate, _): return .escalate
        case (.handle, _): return .handle
        case (.requestReturn, _): return .request(.return, hours: nil)
        case (.requestExtension, _): return .request(.extension, hours: request.hours)
        case (.requestSuspension, _): return .request(.suspension, hours: nil)
        case (.approve, _): return .approve
        case (.refuse, _): return .refuse
        case (.resume, _): return .resume
        case (.pass, _): return .pass
        case (.fail, _): return .fail
        case (.close, _): return .close
        case (.urge, _): return .urge
        case (.prioritize, _): return .prioritize
        case (.deprioritize, _): return .deprioritize
        case (.reassign, .inspector(let inspector)): return .reassign(.inspector(inspector))
        case (.reassign, .department(let code)): return .reassign(.department(code))
        case (.reassign, .center(let center)): return .reassign(.center(center))
        case (.returnToDistrict, .center(let center)): return .returnToDistrict(center)
        default:
            throw WorkflowError.storage("the action table gives \(action.rawValue) a target it cannot take")
        }
    }

    /// What a target names, once looked up.
    enum ResolvedTarget {
        case none
        case inspector(Operator)
        case department(String)
        case center(Center)
        case serviceCase(ServiceCase)
    }

    static func resolveTarget(_ db: Database, _ kind: ActionTarget, _ text: String, for action: CaseAction, case current: ServiceCase,
                              context: LifecycleContext) throws -> ResolvedTarget {
        switch kind {
        case .none:
            return .none
        case .inspector:
            return .inspector(try findOperator(db, text))
        case .caseID:
            guard let otherID = Int64(text) else { throw WorkflowError.refusal(.targetNotACaseID(action, given: text)) }
            return .serviceCase(try fetchCase(db, otherID))
        case .departmentOrCenter:
            if context.departments[text.uppercased()] != nil { return .department(text.uppercased()) }
            if let center = context.centers[text.uppercased()] { return .center(center) }
            try refuseRegionNotUnit(db, text, case: current)
            throw WorkflowError.notFound("no department or command center '\(text)'")
        case .inspectorDepartmentOrCenter:
            if context.departments[text.uppercased()] != nil { return .department(text.uppercased()) }
            if let center = context.centers[text.uppercased()] { return .center(center) }
            try refuseRegionNotUnit(db, text, case: current)
            do { return .inspector(try findOperator(db, text)) } catch {
                throw WorkflowError.notFound("no inspector, department or command center '\(text)'")
            }
        case .optionalDistrictCenter:
            let id = text.isEmpty ? Center.id(kind: .command, tier: .district, district: current.districtCode) : text.uppercased()
            guard let center = context.centers[id] else { throw WorkflowError.notFound("no command center \(id)") }
            return .center(center)
        }
    }

    /// A street, town or community named as a target that is not a handling unit: refused as outside the case's cell when
    /// it does not hold it, else as not (yet) a unit. Anything else falls through to "not found".
    static func refuseRegionNotUnit(_ db: Database, _ text: String, case current: ServiceCase) throws {
        guard let level = HandlingLevel.of(regionCode: text),
              try Bool.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ?", arguments: [text]) == true else { return }
        guard HandlingLevel.of(unit: text, cell: current.cellCode) == level else {
            throw WorkflowError.refusal(.unitOutsideCell(caseID: current.id, unit: text, level: level, cell: current.cellCode))
        }
        throw WorkflowError.refusal(.regionNotHandlingUnit(region: text, level: level))
    }

    /// What an action would do, without writing anything: the same lookups and rules as `perform`.
    /// Forms use it to preview a deadline before the operator submits.
    public func preview(_ request: ActionRequest, at now: Date) throws(WorkflowError) -> ServiceCase {
        try read { db in
            let context = try self.context(db)
            let actor = try self.actingOperator(db, request.actor)
            return try Self.preview(db, request, actor: actor, context: context, at: now)
        }
    }

    static func preview(_ db: Database, _ request: ActionRequest, actor: Operator, context: LifecycleContext,
                        at now: Date) throws -> ServiceCase {
        let current = try fetchCase(db, request.caseID)
        try Lifecycle.checkPreconditions(of: request.action, on: current, by: actor, rules: context.rules)
        try ComponentRules.checkOutcome(request.componentOutcome, action: request.action, caseID: current.id, componentID: current.componentID)
        let (rostered, onDuty) = try rosteredRequest(db, request, case: current, context: context, at: now)
        let command = try resolve(db, rostered, case: current, context: context)
        let patrolArea = try cellPlace(db, current.cellCode).patrolAreaID
        return try Lifecycle.apply(command, note: request.note, to: current, by: actor, cellPatrolArea: patrolArea,
                                   onDuty: onDuty, context: context, at: now).after
    }

    /// `0102` (the case's kind), `event:0102`, `event/0102` or `event 0102`.
    public static func parseCategory(_ text: String, defaultKind: CategoryKind) throws(WorkflowError) -> CategoryKey {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "/" || $0 == " " }).map(String.init)
        switch parts.count {
        case 1: return CategoryKey(kind: defaultKind, code: parts[0])
        case 2:
            guard let kind = CategoryKind(rawValue: parts[0].lowercased()) else {
                throw .invalidInput("category kind must be component or event, not '\(parts[0])'")
            }
            return CategoryKey(kind: kind, code: parts[1])
        default: throw .invalidInput("category '\(text)' is not CODE or KIND:CODE")
        }
    }

    // MARK: Reading

    static func fetchCase(_ db: Database, _ id: Int64) throws -> ServiceCase {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM service_case WHERE id = ?", arguments: [id]) else {
            throw WorkflowError.notFound("no case \(id)")
        }
        return try CaseRows.serviceCase(row)
    }

    public func serviceCase(_ id: Int64) throws(WorkflowError) -> ServiceCase {
        try read { db in try Self.fetchCase(db, id) }
    }

    /// A case with its reports and history. With a viewer, a case outside the viewer's region is "not found".
    public func detail(_ id: Int64, viewer: Operator? = nil) throws(WorkflowError) -> CaseDetail {
        try read { db in
            let c = try Self.fetchCase(db, id)
            if let viewer, !viewer.canSee(district: c.districtCode) {
                throw WorkflowError.notFound("no case \(id) in \(viewer.login)'s region \(viewer.regionCode)")
            }
            let category = try Self.fetchCategories(db).first { $0.key == c.categoryKey }
            let reports = try Row.fetchAll(db, sql: "SELECT * FROM report WHERE case_id = ? ORDER BY id", arguments: [id]).map { row in
                Report(id: row["id"], caseID: row["case_id"], originalCaseID: row["original_case_id"],
                       source: try StoredValue.decode(row, "source", of: "report \(row["id"] as Int64)"), reporterID: row["reporter_id"],
                       reporterName: row["reporter_name"], reporterPhone: row["reporter_phone"], description: row["description"],
                       reportedAt: CaseRows.date(row, "reported_at") ?? .distantPast, cellCode: row["cell_code"])
            }
            let verified = try HistoryChain.verifyCase(db, id)
            let history = try Row.fetchAll(db, sql: """
                SELECT h.*, o.login AS actor_login, o.name AS actor_name FROM history h
                LEFT JOIN operator o ON o.id = h.actor_id WHERE h.case_id = ? ORDER BY h.seq
                """, arguments: [id]).map { row in
                var record = try Self.historyRecord(row)
                record.verified = verified[row["seq"] as Int] ?? false
                return record
            }
            let assignee = try c.assigneeID.flatMap { id in try OperatorRecord.fetchOne(db, key: id) }
                .map { r throws(WorkflowError) in try r.operatorValue() }
            let names = try Dictionary(Row.fetchAll(db, sql: "SELECT code, name_zh FROM region WHERE code IN (?, ?, ?)",
                                                    arguments: [c.districtCode, c.streetCode, c.communityCode])
                .map { ($0["code"] as String, $0["name_zh"] as String) }, uniquingKeysWith: { a, _ in a })
            let request = try Row.fetchOne(db, sql: "SELECT address, media_url FROM open311_request WHERE case_id = ?", arguments: [id])
                .map { PublicRequest(address: $0["address"], mediaURL: $0["media_url"]) }
            var detail = CaseDetail(serviceCase: c, category: category, reports: reports, history: history, assignee: assignee,
                                    districtName: names[c.districtCode], streetName: names[c.streetCode],
                                    communityName: names[c.communityCode], publicRequest: request,
                                    historyVerified: history.allSatisfy(\.verified))
            try Self.addComponent(db, to: &detail)
            return detail
        }
    }

    static func historyRecord(_ row: Row) throws(WorkflowError) -> HistoryRecord {
        let owner = "the history row \(row["seq"] as Int64) of case \(row["case_id"] as Int64)"
        let entry = HistoryEntry(caseID: row["case_id"], at: CaseRows.date(row, "at") ?? .distantPast, actorID: row["actor_id"],
                                 role: try StoredValue.decodeIfPresent(row, "role", of: owner), centerID: row["center_id"],
                                 action: row["action"], from: try StoredValue.decodeIfPresent(row, "from_state", "from state", of: owner),
                                 to: try StoredValue.decode(row, "to_state", "to state", of: owner), target: row["target"], note: row["note"],
                                 late: row["late"], via: row.hasColumn("via") ? row["via"] : nil)
        return HistoryRecord(entry: entry, actorLogin: row["actor_login"], actorName: row["actor_name"])
    }

    public func history(of id: Int64) throws(WorkflowError) -> [HistoryRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.*, o.login AS actor_login, o.name AS actor_name FROM history h
                LEFT JOIN operator o ON o.id = h.actor_id WHERE h.case_id = ? ORDER BY h.seq
                """, arguments: [id]).map(Self.historyRecord)
        }
    }

    /// Cases matching a query: overdue lists by deadline (most overdue first), others newest first.
    public func cases(_ query: CaseQuery) throws(WorkflowError) -> [ServiceCase] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let states = query.states, !states.isEmpty {
                clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(states.map(\.rawValue))
            }
            if query.openOnly || query.overdueAt != nil { clauses.append("is_open = 1") }
            if let now = query.overdueAt {
                clauses.append("deadline < ?")
                arguments += [now.storageSeconds]
            }
            if let region = query.region?.trimmingCharacters(in: .whitespaces), !region.isEmpty {
                let cityCode = try Self.settings(db).cityCode
                if region != cityCode {
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ?", arguments: [region]) == true else {
                        throw WorkflowError.notFound("no region \(region)")
                    }
                    let column = switch region.count {
                    case 6: "district_code"
                    case 9: "street_code"
                    case 12: "community_code"
                    default: "cell_code"
                    }
                    clauses.append("\(column) = ?")
                    arguments += [region]
                }
            }
            if let department = query.department?.trimmingCharacters(in: .whitespaces).uppercased(), !department.isEmpty {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM department WHERE code = ?", arguments: [department]) == true else {
                    throw WorkflowError.notFound("no department \(department)")
                }
                clauses.append("department = ?")
                arguments += [department]
            }
            if let viewer = query.viewer, viewer.tier == .district {
                clauses.append("district_code = ?")
                arguments += [viewer.regionCode]
            }
            var sql = "SELECT * FROM service_case"
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += query.overdueAt != nil ? " ORDER BY deadline ASC, id ASC" : " ORDER BY id DESC"
            if let limit = query.limit { sql += " LIMIT \(max(0, limit))" }
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(CaseRows.serviceCase)
        }
    }
}
