import ArgumentParser
import Foundation
import Workflow

/// `citygrid operator …`: an admin's management of operators (docs/setup.md). The rules are Workflow's
/// (`CityStore+Administration.swift`); these commands read the flags and word the results.
struct OperatorCommand: ParsableCommand {
    /// The `operator` subcommands. Sign-in adds `operator password`, serve-ssh `operator key`.
    static let subcommandList: [ParsableCommand.Type] = [
        OperatorAdd.self, OperatorSet.self, OperatorDisable.self, OperatorEnable.self, OperatorShow.self,
        OperatorPasswordCommand.self, OperatorKeyCommand.self, OperatorSetBell.self,
    ]

    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Add, change, disable, enable and show operators (an admin's).",
        discussion: """
            On an open (demo) site name the acting admin with --as; on a signed site the program decides who is acting \
            (the operator bound to your Unix account). Exit codes: 0 done, 2 invalid input, 3 refused (not an admin, \
            disabling yourself or the last admin), 5 unknown operator, center, department, region or patrol area.
            """,
        subcommands: subcommandList)
}

/// `--as`, for the administrative commands: optional, since on a signed site the program decides.
typealias AdminActor = ActorOption<AdminActorHelp>

enum AdminActorHelp: OptionHelp {
    static var help: ArgumentHelp { "The acting admin (on an open site; on a signed site, the signed-in operator)." }
}

/// The Unix account this process runs as.
enum UnixAccount {
    static func current() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}

enum ArgumentWords {
    static func role(_ text: String) throws(WorkflowError) -> Role {
        guard let role = Role(rawValue: text) else {
            throw .invalidInput("unknown role '\(text)'; roles: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return role
    }
}

struct OperatorAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add an operator.",
        discussion: """
            Roles: inspector, intake, shift-lead (in a monitoring center), dispatcher (in a command center), department \
            (a department handler: --department, and --region the district it handles), supervisor (either center, or \
            none), admin. An inspector walks a --patrol-area. A center sets the region; otherwise --region is the city \
            (default) or a district. Logins: 1–64 of a-z 0-9 . _ -, starting with a letter or digit.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Option(help: "Login: 1–64 of a-z 0-9 . _ -.") var login: String
    @Option(help: "The person's name.") var name: String
    @Option(help: "inspector, intake, shift-lead, dispatcher, department, supervisor or admin.") var role: String
    @Option(help: "Center id (see `center list`).") var center: String?
    @Option(help: "Department code (department handlers).") var department: String?
    @Option(help: "The city or a district code (when there is no center).") var region: String?
    @Option(name: .customLong("patrol-area"), help: "Patrol area id (inspectors).") var patrolArea: String?
    @Option(name: .customLong("unix-user"), help: "Bind to this local Unix account (it then signs in as this operator).") var unixUser: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let now = try session.now()
            let draft = OperatorDraft(login: login, name: name, role: try ArgumentWords.role(role), centerID: center,
                                      departmentCode: department, regionCode: region, patrolAreaID: patrolArea, unixUser: unixUser)
            let op = try site.addOperator(draft, by: admin.actor, at: now)
            try OperatorText.print(try site.operatorAccount(String(op.id)), json: output.json, format: session.format, verb: "added")
        }
    }
}

struct OperatorSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change an operator's name, role, place or Unix account.",
        discussion: """
            Only what is given changes. A new role drops what it has no use for (a center for a department handler, a \
            patrol area for anyone but an inspector) and keeps the rest where it fits. --no-unix-user unbinds the account.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The operator's login (or id).") var operatorLogin: String
    @Option(help: "The person's name.") var name: String?
    @Option(help: "The new role.") var role: String?
    @Option(help: "Center id.") var center: String?
    @Option(help: "Department code.") var department: String?
    @Option(help: "The city or a district code.") var region: String?
    @Option(name: .customLong("patrol-area"), help: "Patrol area id.") var patrolArea: String?
    @Option(name: .customLong("unix-user"), help: "Bind to this local Unix account.") var unixUser: String?
    @Flag(name: .customLong("no-unix-user"), help: "Unbind the Unix account.") var noUnixUser = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        if unixUser != nil && noUnixUser { throw ValidationError("give --unix-user or --no-unix-user, not both") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let now = try session.now()
            var changes = OperatorChanges(name: name, role: try role.map { r throws(WorkflowError) in try ArgumentWords.role(r) },
                                          centerID: center, departmentCode: department, regionCode: region, patrolAreaID: patrolArea)
            if let unixUser { changes.unixUser = .some(unixUser) }
            if noUnixUser { changes.unixUser = .some(nil) }
            guard !changes.isEmpty else {
                throw WorkflowError.invalidInput("nothing to change: give --name, --role, --center, --department, --region, --patrol-area, --unix-user or --no-unix-user")
            }
            let op = try site.changeOperator(operatorLogin, changes, by: admin.actor, at: now)
            try OperatorText.print(try site.operatorAccount(String(op.id)), json: output.json, format: session.format, verb: "changed")
        }
    }
}

/// `operator disable` and `operator enable`: one command, its direction a type (`OperatorSwitch`).
typealias OperatorDisable = OperatorSwitchCommand<OperatorSwitch.Disable>
typealias OperatorEnable = OperatorSwitchCommand<OperatorSwitch.Enable>

/// A direction of `OperatorSwitchCommand`: its name and help, the store's call, and the verb it prints.
protocol OperatorSwitchDirection {
    static var configuration: CommandConfiguration { get }
    /// Switches the operator; false when it was so already.
    static func apply(_ store: any SiteStore, _ idOrLogin: String, by admin: String?, at now: Date) throws(WorkflowError) -> Bool
    /// "disabled", "enabled".
    static var verb: String { get }
}

enum OperatorSwitch {
    enum Disable: OperatorSwitchDirection {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
                commandName: "disable", abstract: "Disable an operator: everything they do is refused from their next action on.",
                discussion: "An admin cannot disable themselves, nor the last enabled admin.")
        }
        static func apply(_ store: any SiteStore, _ idOrLogin: String, by admin: String?, at now: Date) throws(WorkflowError) -> Bool {
            try store.disableOperator(idOrLogin, by: admin, at: now)
        }
        static var verb: String { "disabled" }
    }

    enum Enable: OperatorSwitchDirection {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "enable", abstract: "Enable a disabled operator again.") }
        static func apply(_ store: any SiteStore, _ idOrLogin: String, by admin: String?, at now: Date) throws(WorkflowError) -> Bool {
            try store.enableOperator(idOrLogin, by: admin, at: now)
        }
        static var verb: String { "enabled" }
    }
}

/// Disables or enables an operator, then shows it: "disabled operator X", or "already disabled: operator X".
struct OperatorSwitchCommand<Direction: OperatorSwitchDirection>: ParsableCommand {
    static var configuration: CommandConfiguration { Direction.configuration }
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The operator's login (or id).") var operatorLogin: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let changed = try Direction.apply(site, operatorLogin, by: admin.actor, at: try session.now())
            let verb = changed ? Direction.verb : "already \(Direction.verb):"
            try OperatorText.print(try site.operatorAccount(operatorLogin), json: output.json, format: session.format, verb: verb)
        }
    }
}

struct OperatorShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an operator: place, state, how they sign in.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The operator's login (or id).") var operatorLogin: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            try OperatorText.print(try site.operatorAccount(operatorLogin), json: output.json, format: session.format, verb: nil)
        }
    }
}

enum OperatorText {
    static func print(_ a: OperatorAccount, json: Bool, format: InstantFormat, verb: String?) throws {
        if json { return try Output.json(OperatorAccountJSON(a, format: format)) }
        let o = a.op
        if let verb { Output.line("\(verb) operator \(o.login)") }
        Output.line("login       \(o.login) (id \(o.id))")
        Output.line("name        \(o.name)")
        Output.line("role        \(o.role.rawValue) (\(o.role.nameZh))")
        if let c = o.centerID { Output.line("center      \(c)") }
        if let d = o.departmentCode { Output.line("department  \(d)") }
        Output.line("region      \(o.regionCode) (\(o.tier.rawValue))")
        if let p = o.patrolAreaID { Output.line("patrol area \(p)") }
        Output.line("state       " + (o.disabled ? "disabled" + (a.disabledAt.map { " since \(format.string($0))" } ?? "") : "enabled"))
        Output.line("signs in    " + (a.access.isEmpty ? "-" : a.access.joined(separator: ", ")))
    }
}

/// `operator show --json` and the other `operator` commands' JSON: `operators`' fields (flattened in) and the account's.
struct OperatorAccountJSON: ExplicitNullEncodable {
    var operators: OperatorJSON
    var unix_user: String?
    var disabled_at: String?
    var password: Bool
    var ssh_keys: Int

    init(_ a: OperatorAccount, format: InstantFormat) {
        operators = OperatorJSON(a)
        unix_user = a.op.unixUser; disabled_at = a.disabledAt.map(format.string); password = a.hasPassword; ssh_keys = a.keyCount
    }
}
