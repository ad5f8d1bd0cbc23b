import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 14: the permission matrix through the front ends. On a demo city, for every action, every role at every tier
/// (one operator each) on a case in a state the action starts from: the CLI's exit code (`case ACTION --dry-run`, the
/// same rules as the action, nothing written), the core's answer (`CityStore.preview`) and the console's action list
/// (`Lifecycle.availableActions`) agree. The SSH exec path is compared with the CLI in SSHEndToEndTests.
@Suite(.serialized) struct PermissionMatrixCLITests {

    struct Probe: CustomStringConvertible {
        var action: CaseAction, caseID: Int64, state: CaseState, login: String, role: Role, tier: Tier
        var arguments: [String]
        var description: String { "\(action.rawValue) on \(caseID) (\(state.rawValue)) as \(login) (\(role.rawValue), \(tier.rawValue))" }
    }

    /// The probes of a site: each action on one case per start state, as one operator of each role and tier.
    static func probes(_ store: CityStore, limitPerAction: Int = .max) throws -> [Probe] {
        let operators = try store.operators()
        var byKind: [String: Operator] = [:]
        for op in operators where byKind["\(op.role.rawValue)/\(op.tier.rawValue)"] == nil { byKind["\(op.role.rawValue)/\(op.tier.rawValue)"] = op }
        let people = byKind.keys.sorted().map { byKind[$0]! }
        let cases = try store.read { db in try Row.fetchAll(db, sql: """
            SELECT c.id, c.state, c.command_center, r.patrol_area FROM service_case c JOIN region r ON r.code = c.cell_code
            WHERE c.id IN (SELECT min(id) FROM service_case GROUP BY state, escalated) ORDER BY c.id
            """) }
        let inspectors = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT patrol_area, login FROM operator WHERE role = 'inspector' AND active = 1 ORDER BY id DESC")
        }
        let inspectorOf = Dictionary(inspectors.map { ($0["patrol_area"] as String? ?? "", $0["login"] as String) }, uniquingKeysWith: { a, _ in a })
        let reported = cases.first { $0["state"] as String == "reported" }.map { $0["id"] as Int64 }
        var out: [Probe] = []
        for action in CaseAction.allCases {
            var taken = 0
            for row in cases {
                let state = CaseState(rawValue: row["state"]) ?? .closed
                guard action.fromStates.map({ $0.contains(state) }) ?? state.isOpen else { continue }
                let id: Int64 = row["id"]
                var args = ["case", action.rawValue, String(id), "--dry-run", "--note", "matrix"]
                let inspector = inspectorOf[row["patrol_area"] as String? ?? ""] ?? "none"
                switch action {
                case .verify, .check: args += ["--to", inspector]
                case .dispatch: args += ["--to", "SANIT"]
                case .merge: args += ["--to", String(reported.flatMap { $0 == id ? nil : $0 } ?? id + 1)]
                case .reassign:
                    let center = row["command_center"] as String? ?? ""
                    args += ["--to", state == .dispatched ? (center == "CITY-C" ? "ROADS" : "ROADS") : inspector]
                case .returnToDistrict: args += ["--to", "110101-C"]
                case .requestExtension: args += ["--hours", "4"]
                default: break
                }
                for op in people { out.append(Probe(action: action, caseID: id, state: state, login: op.login, role: op.role, tier: op.tier, arguments: args)) }
                taken += 1
                if taken >= limitPerAction { break }
            }
        }
        return out
    }

    /// What the core says of a probe: 0 when allowed, else the refusal's exit code.
    static func coreAnswer(_ store: CityStore, _ p: Probe, at now: Date) -> Int32 {
        func value(_ flag: String) -> String? { p.arguments.firstIndex(of: flag).map { p.arguments[$0 + 1] } }
        do {
            _ = try store.preview(ActionRequest(action: p.action, caseID: p.caseID, actor: p.login, target: value("--to"), note: value("--note"),
                                                hours: value("--hours").flatMap(Double.init)), at: now)
            return 0
        } catch {
            return error.exitCode
        }
    }

    @Test func theCLITheCoreAndTheConsoleGiveTheSameAnswerInEveryCell() throws {
        let db = try CLI.demoCopy()
        let store = try CityStore.open(path: db)
        let rules = try store.settings().rules
        let now = try InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(CLI.now)
        let probes = try Self.probes(store, limitPerAction: 1)
        #expect(probes.count > 150, "\(probes.count) probes")
        var answers: [Int32: Int] = [:]
        var allowedActions: Set<CaseAction> = []
        for p in probes {
            let core = Self.coreAnswer(store, p, at: now)
            let c = try store.serviceCase(p.caseID)
            let op = try store.findOperator(p.login)
            let offered = Lifecycle.availableActions(on: c, by: op, rules: rules).contains(p.action)
            let cli = try CLI.run(p.arguments + ["--as", p.login], db: db)
            #expect(cli.status == core, "\(p): CLI \(cli.status) \(cli.stderr), core \(core)")
            #expect(offered == (core == 0), "\(p): console \(offered), core \(core)")
            answers[core, default: 0] += 1
            if core == 0 { allowedActions.insert(p.action) }
        }
        // Every documented answer occurs, and most actions are allowed to someone on the demo city.
        #expect(answers[0, default: 0] > 0 && answers[3, default: 0] > 0 && answers[4, default: 0] + answers[5, default: 0] > 0, "\(answers)")
        #expect(allowedActions.count >= 10, "\(allowedActions.map(\.rawValue).sorted())")
        // Nothing was written.
        #expect(try CLI.run(["verify", "--json"], db: db).object["rows"] as? Int == (try CLI.run(["verify", "--json"], db: try CLI.demoCopy()).object["rows"] as? Int))
    }
}
