import Foundation
import Workflow

// The JSON the CLI prints. Field names are a contract with outside scripts: add, never rename.

/// Encodes every stored property under its own name, writing `null` for nil instead of leaving the key
/// out: scripts can rely on every documented field being present.
protocol ExplicitNullEncodable: Encodable {}

/// A view whose fields are written into the view that holds it, rather than as an object of their own.
protocol FlattenedJSON: ExplicitNullEncodable {}

extension ExplicitNullEncodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            // A nested view marked `FlattenedJSON` has its fields written into this one.
            if let nested = child.value as? any FlattenedJSON {
                try nested.encode(to: encoder)
                continue
            }
            let key = AnyKey(stringValue: label)
            if let optional = child.value as? any OptionalProtocol, optional.isNil {
                try container.encodeNil(forKey: key)
            } else if let value = child.value as? any Encodable {
                try container.encode(value, forKey: key)
            }
        }
    }
}

protocol OptionalProtocol { var isNil: Bool { get } }
extension Optional: OptionalProtocol { var isNil: Bool { self == nil } }

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

struct CaseJSON: ExplicitNullEncodable {
    var id: Int64
    var state: String
    var kind: String
    var category: String
    var category_name: String?
    var category_name_en: String?
    var cell: String
    var district: String
    var street: String
    var community: String
    var district_name: String?
    var street_name: String?
    var community_name: String?
    var department: String?
    var source: String
    var description: String
    var reported_at: String
    var deadline: String?
    var due_state: String?
    var overdue: Bool
    var stage_started_at: String
    var budget_minutes: Int
    var close_type: String?
    var rework_count: Int
    var return_count: Int
    var extension_count: Int
    var urge_count: Int
    var escalated: Bool
    var confirmed: Bool
    var urgent: Bool
    /// The hotline line of a hotline report (null for none), and a supervisor's priority mark.
    var line: String?
    var priority: Bool
    var monitor_center: String
    var command_center: String?
    var assignee: String?
    var component: String?
    var filed_at: String?
    var dispatched_at: String?
    var handled_at: String?
    var closed_at: String?
    var pending: PendingJSON?
    var reports: [ReportJSON]?
    var history: [HistoryJSON]?
    /// A case filed through Open311: the requester's address and picture link (with `case show`).
    var open311: Open311RequestJSON?
    /// With `case show`: whether every history row follows from its content and the hash chain; false means a row
    /// was written or changed outside citygrid (the rows say which). Null in lists.
    var history_verified: Bool?
    /// With `case show` and an action: the component's owner (null when unknown) and state, for a component case.
    var component_owner: String?
    var component_state: String?
    /// With `case show` and an action: the department the case goes to and why (component-owner, category-default, chosen).
    var routing: RoutingJSON?

    init(_ c: ServiceCase, detail: CaseDetail? = nil, category: Category? = nil, format: InstantFormat, now: Date) {
        func t(_ d: Date?) -> String? { d.map(format.string) }
        id = c.id; state = c.state.rawValue; kind = c.kind.rawValue; self.category = c.categoryCode
        let cat = detail?.category ?? category
        category_name = cat?.nameZh; category_name_en = cat?.nameEn
        cell = c.cellCode; district = c.districtCode; street = c.streetCode; community = c.communityCode
        district_name = detail?.districtName; street_name = detail?.streetName; community_name = detail?.communityName
        department = c.departmentCode; source = c.source.rawValue; description = c.description
        reported_at = format.string(c.reportedAt); deadline = t(c.deadline); due_state = c.dueState(at: now)?.rawValue
        overdue = c.isOverdue(at: now); stage_started_at = format.string(c.stageStartedAt); budget_minutes = c.budgetMinutes
        close_type = c.closeType?.rawValue; rework_count = c.reworkCount; return_count = c.returnCount
        extension_count = c.extensionCount; urge_count = c.urgeCount; escalated = c.escalated; confirmed = c.confirmed
        urgent = c.urgent; line = c.line; priority = c.priority; monitor_center = c.monitorCenterID; command_center = c.commandCenterID
        assignee = detail?.assignee?.login ?? c.assigneeID.map(String.init); component = c.componentID
        filed_at = t(c.filedAt); dispatched_at = t(c.dispatchedAt); handled_at = t(c.handledAt); closed_at = t(c.closedAt)
        pending = c.pending.map { PendingJSON(kind: $0.kind.rawValue, hours: $0.hours, note: $0.note,
                                              requested_by: $0.requestedBy, requested_at: format.string($0.requestedAt)) }
        if let detail {
            open311 = detail.publicRequest.map { Open311RequestJSON(address: $0.address, media_url: $0.mediaURL) }
            reports = detail.reports.map { r in
                ReportJSON(id: r.id, source: r.source.rawValue, reporter: r.reporterName, description: r.description,
                           reported_at: format.string(r.reportedAt), cell: r.cellCode, original_case: r.originalCaseID)
            }
            history = detail.history.map { h in
                HistoryJSON(at: format.string(h.entry.at), actor: h.actorLogin, actor_name: h.actorName, role: h.entry.role?.rawValue,
                            center: h.entry.centerID, action: h.entry.action, from: h.entry.from?.rawValue, to: h.entry.to.rawValue,
                            target: h.entry.target, note: h.entry.note, late: h.entry.late, via: h.entry.via, verified: h.verified)
            }
            history_verified = detail.historyVerified
            component_owner = detail.component?.department
            component_state = detail.component?.state.rawValue
            routing = detail.routing.map(RoutingJSON.init)
        }
    }
}

/// Where a case goes and why (`ComponentRules.route`).
struct RoutingJSON: ExplicitNullEncodable {
    var department: String
    var reason: String
    var component: String?

    init(_ r: Routing) { department = r.department; reason = r.reason.rawValue; component = r.componentID }
}

struct Open311RequestJSON: ExplicitNullEncodable {
    var address: String?
    var media_url: String?
}

struct PendingJSON: ExplicitNullEncodable {
    var kind: String
    var hours: Double?
    var note: String
    var requested_by: Int64
    var requested_at: String
}

/// Reporter phone numbers never appear in output: they are kept for call-backs only.
struct ReportJSON: ExplicitNullEncodable {
    var id: Int64
    var source: String
    var reporter: String?
    var description: String
    var reported_at: String
    var cell: String
    var original_case: Int64
}

struct HistoryJSON: ExplicitNullEncodable {
    var at: String
    var actor: String?
    var actor_name: String?
    var role: String?
    var center: String?
    var action: String
    var from: String?
    var to: String
    var target: String?
    var note: String?
    var late: Bool
    /// How the actor was identified (`demo`, `unix:NAME`, `password`, `ssh:FINGERPRINT`, `api-key:PREFIX`, `system`);
    /// null on rows written before sign-in existed.
    var via: String?
    /// False: this row does not follow from its content and the hash chain (written or changed outside citygrid).
    var verified: Bool
}

struct OperatorJSON: FlattenedJSON {
    var id: Int64
    var login: String
    var name: String
    var role: String
    var center: String?
    var department: String?
    var tier: String
    var region: String
    var patrol_area: String?
    /// Disabled operators are refused everything (`operator disable`).
    var disabled: Bool
    /// How the operator can sign in: `unix:NAME`, `password`, `ssh-key` (OperatorAccount.access).
    var access: [String]

    init(_ o: Operator) {
        id = o.id; login = o.login; name = o.name; role = o.role.rawValue; center = o.centerID; department = o.departmentCode
        tier = o.tier.rawValue; region = o.regionCode; patrol_area = o.patrolAreaID
        disabled = o.disabled; access = o.unixUser.map { ["unix:\($0)"] } ?? []
    }

    init(_ a: OperatorAccount) {
        self.init(a.op)
        access = a.access
    }
}

struct RegionJSON: ExplicitNullEncodable {
    var code: String
    var name: String
    var name_en: String
    var level: String
    var parent: String?
    var cells: Int
    /// The level, or `town` for a town at the street level (issue 18).
    var kind: String

    init(_ r: Region) {
        code = r.code; name = r.nameZh; name_en = r.nameEn; level = r.level.rawValue; parent = r.parentCode; cells = r.cellCount
        kind = r.kind.rawValue
    }
}

/// A cell in `regions --json`: a region's fields, then its centre and patrol area.
struct CellRegionJSON: ExplicitNullEncodable {
    var region: RegionJSON
    var lat: Double?
    var lon: Double?
    var patrol_area: String?
    init(_ r: Region) { region = RegionJSON(r); lat = r.lat; lon = r.lon; patrol_area = r.patrolAreaID }
}

extension RegionJSON: FlattenedJSON {}

enum RegionRowJSON: Encodable {
    case region(RegionJSON)
    case cell(CellRegionJSON)
    func encode(to encoder: any Encoder) throws {
        switch self {
        case .region(let r): try r.encode(to: encoder)
        case .cell(let c): try c.encode(to: encoder)
        }
    }
}

struct CategoryJSON: ExplicitNullEncodable {
    var kind: String
    var code: String
    var name: String
    var name_en: String
    var large_code: String
    var large_name: String
    var large_name_en: String
    var department: String
    var urgent: Bool
    var limit: Double
    var limit_unit: String
    /// Handled by the community holding the cell by default (小事不出社区).
    var community_level: Bool

    init(_ c: Category) {
        kind = c.kind.rawValue; code = c.code; name = c.nameZh; name_en = c.nameEn; large_code = c.largeCode
        large_name = c.largeNameZh; large_name_en = c.largeNameEn; department = c.department; urgent = c.urgent
        limit = c.limitValue; limit_unit = c.limitUnit.rawValue; community_level = c.communityLevel
    }
}
