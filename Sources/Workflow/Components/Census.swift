import Foundation

/// A census campaign (专项普查) of one component class in one region: survey tasks per patrol area, the
/// inspectors' records, and at its close the changes applied to the components.
public struct Census: Sendable, Equatable {
    public enum State: String, Sendable, Codable { case open, closed }
    public var id: Int64
    public var classCode: String
    public var regionCode: String
    public var dueAt: Date
    public var state: State
    public var startedBy: String?
    public var startedAt: Date
    public var closedBy: String?
    public var closedAt: Date?
}

/// What an inspector found of one component: it is as recorded (`confirm`, perhaps with its state), it differs
/// (`correct`: place, name, owner or state), it is new (`add`), or it is gone (`retire`).
public enum CensusRecordKind: String, Sendable, Codable, CaseIterable {
    case confirm, correct, add, retire
}

/// A census record as the CLI or a form hands it in, before anything is looked up.
public struct CensusRecordDraft: Sendable, Equatable {
    public var censusID: Int64
    public var kind: CensusRecordKind
    /// The component recorded; for `add`, the new component's id, or nil to number it (district + class + next serial).
    public var componentID: String?
    public var cellCode: String?
    public var name: String?
    /// The owner; "" for "no known owner".
    public var department: String?
    public var state: ComponentState?
    public var note: String?

    public init(censusID: Int64, kind: CensusRecordKind, componentID: String? = nil, cellCode: String? = nil, name: String? = nil,
                department: String? = nil, state: ComponentState? = nil, note: String? = nil) {
        self.censusID = censusID; self.kind = kind; self.componentID = componentID; self.cellCode = cellCode; self.name = name
        self.department = department; self.state = state; self.note = note
    }
}

/// A stored census record.
public struct CensusRecord: Sendable, Equatable {
    public var id: Int64
    public var censusID: Int64
    public var patrolArea: String
    public var kind: CensusRecordKind
    public var componentID: String
    public var cellCode: String?
    public var name: String?
    public var department: String?
    public var state: ComponentState?
    public var note: String?
    public var recordedBy: String?
    public var recordedAt: Date
}

/// One patrol area's survey task and how far it is.
public struct CensusAreaProgress: Sendable, Equatable {
    public var patrolArea: String
    /// Components of the class in the area (in the census's region) when the census started.
    public var expected: Int
    /// Of those, how many an inspector recorded (confirmed, corrected or retired).
    public var surveyed: Int
    public var confirmed: Int
    public var corrected: Int
    public var retired: Int
    public var added: Int

    /// Surveyed over expected, in percent; nil when the area held none.
    public var percent: Double? { expected == 0 ? nil : Double(surveyed) * 100 / Double(expected) }
}

/// What closing a census did to one component.
public struct CensusChange: Sendable, Equatable {
    public var componentID: String
    public var kind: CensusRecordKind
    /// "state normal → damaged", "cell A → B", "name X → Y", "owner A → B", "added in cell C", "removed".
    public var changes: [String]
}

/// A census with its progress by area, and (once closed) what it changed.
public struct CensusReport: Sendable, Equatable {
    public var census: Census
    public var areas: [CensusAreaProgress]
    /// Applied at close: one entry per component a record changed or confirmed. Empty while open.
    public var changes: [CensusChange]

    public var expected: Int { areas.reduce(0) { $0 + $1.expected } }
    public var surveyed: Int { areas.reduce(0) { $0 + $1.surveyed } }
}

/// The census rules. Pure: the store looks things up and writes.
public enum CensusRules {
    /// Who starts and closes a census, and who records in one.
    public static let managerRoles: Set<Role> = [.supervisor, .shiftLead]
    public static let recorderRoles: Set<Role> = [.inspector]

    /// Starting and closing a census is for a supervisor or a shift lead.
    public static func checkManager(_ actor: Operator, verb: String) throws(WorkflowError) {
        guard managerRoles.contains(actor.role) else {
            throw .refusal(.censusManagerRole(verb: verb, login: actor.login, role: actor.role))
        }
    }

    /// A record is an inspector's, in one of the census's patrol areas, while it is open.
    public static func checkRecorder(_ actor: Operator, census: Census, areas: Set<String>) throws(WorkflowError) -> String {
        guard census.state == .open else { throw .refusal(.censusClosed(censusID: census.id)) }
        guard recorderRoles.contains(actor.role) else {
            throw .refusal(.censusRecorderRole(login: actor.login, role: actor.role))
        }
        guard let area = actor.patrolAreaID, areas.contains(area) else {
            throw .refusal(.noSurveyTask(censusID: census.id, login: actor.login, patrolArea: actor.patrolAreaID))
        }
        return area
    }

    /// What a record must say: a correction changes something; a confirmation may state the state found; a retired
    /// component is removed, not given a state; `removed` is what retire is for.
    public static func checkDraft(_ d: CensusRecordDraft) throws(WorkflowError) {
        if d.kind != .add, d.componentID == nil {
            throw .refusal(.censusRecord(.needsComponent(d.kind)))
        }
        if let id = d.componentID { try Component.validateID(id) }
        if d.state == .removed { throw .refusal(.censusRecord(.removedIsRetire)) }
        switch d.kind {
        case .confirm:
            if d.cellCode != nil || d.name != nil || d.department != nil {
                throw .refusal(.censusRecord(.confirmationChanges))
            }
        case .correct:
            if d.cellCode == nil, d.name == nil, d.department == nil, d.state == nil {
                throw .refusal(.censusRecord(.correctionChangesNothing))
            }
        case .retire:
            if d.cellCode != nil || d.name != nil || d.department != nil || d.state != nil {
                throw .refusal(.censusRecord(.retireTakesNoteOnly))
            }
        case .add:
            if d.cellCode == nil { throw .refusal(.censusRecord(.addNeedsCell)) }
        }
        if let name = d.name {
            guard !name.isBlank else { throw .refusal(.censusRecord(.nameEmpty)) }
            guard name.utf8.count <= 200 else { throw .refusal(.censusRecord(.nameTooLong(bytes: name.utf8.count))) }
            try ReportText.refuseNUL(name, field: "name")
        }
        if let note = d.note { try Lifecycle.validateNote(note) }
    }

    /// The components a census closing applies, from the records: a component's latest record wins.
    public static func latest(_ records: [CensusRecord]) -> [CensusRecord] {
        var byComponent: [String: CensusRecord] = [:]
        for record in records where (byComponent[record.componentID]?.id ?? .min) < record.id { byComponent[record.componentID] = record }
        return byComponent.values.sorted { $0.componentID < $1.componentID }
    }

    /// Each area's progress from its expected count and the records (latest per component).
    public static func progress(tasks: [(area: String, expected: Int)], latest: [CensusRecord]) -> [CensusAreaProgress] {
        tasks.map { task in
            let mine = latest.filter { $0.patrolArea == task.area }
            func count(_ k: CensusRecordKind) -> Int { mine.filter { $0.kind == k }.count }
            return CensusAreaProgress(patrolArea: task.area, expected: task.expected,
                                      surveyed: count(.confirm) + count(.correct) + count(.retire), confirmed: count(.confirm),
                                      corrected: count(.correct), retired: count(.retire), added: count(.add))
        }
    }
}
