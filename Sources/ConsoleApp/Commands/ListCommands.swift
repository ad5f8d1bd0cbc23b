import ArgumentParser
import Foundation
import Workflow

struct OperatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "operators",
                                                    abstract: "List operators, disabled ones too: id, name, role, center, tier, region, how each signs in.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Only this role.") var role: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            var list = try store.open().site.operatorAccounts()
            if let role {
                guard let wanted = Role(rawValue: role) else {
                    throw WorkflowError.invalidInput("unknown role '\(role)'; roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                list = list.filter { $0.op.role == wanted }
            }
            if output.json { return try Output.json(list.map(OperatorJSON.init)) }
            Output.table(["ID", "LOGIN", "NAME", "ROLE", "CENTER", "TIER", "REGION", "DEPT/AREA", "ACCESS"], list.map { a in
                let o = a.op
                return [String(o.id), o.login, o.name, o.role.rawValue, o.centerID ?? "-", o.tier.rawValue, o.regionCode,
                        o.departmentCode ?? o.patrolAreaID ?? "-", o.disabled ? "disabled" : (a.access.isEmpty ? "-" : a.access.joined(separator: ","))]
            })
        }
    }
}

struct RegionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regions", abstract: "List regions: code, name, level, parent, number of cells.")
    @OptionGroup var store: StoreOptions
    @Option(help: "district, street, town, community or cell.") var level: RegionKind?
    @Option(help: "Only the children of this region code.") var parent: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let list = try store.open().grid.regions(kind: level, parent: parent)
            // Cells carry their centre and patrol area too (issue 17); other levels are as they were.
            if output.json { return try Output.json(list.map { $0.level == .cell ? RegionRowJSON.cell(CellRegionJSON($0)) : .region(RegionJSON($0)) }) }
            Output.table(["CODE", "NAME", "LEVEL", "PARENT", "CELLS"], list.map { r in
                [r.code, r.nameZh == r.nameEn ? r.nameZh : "\(r.nameZh) \(r.nameEn)", r.kind.rawValue, r.parentCode ?? "-", String(r.cellCount)]
            })
        }
    }
}

struct CategoriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "categories",
                                                    abstract: "List categories: kind, code, zh and en names, default department, urgency, limit, community level.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let list = try store.open().site.categories()
            if output.json { return try Output.json(list.map(CategoryJSON.init)) }
            Output.table(["KIND", "CODE", "NAME", "NAME (EN)", "DEPT", "URGENT", "LIMIT", "COMMUNITY"], list.map { c in
                [c.kind.rawValue, c.code, c.nameZh, c.nameEn, c.department, c.urgent ? "yes" : "no",
                 "\(c.limitValue == c.limitValue.rounded() ? String(Int(c.limitValue)) : String(c.limitValue)) \(c.limitUnit.rawValue)",
                 c.communityLevel ? "yes" : "no"]
            })
        }
    }
}
