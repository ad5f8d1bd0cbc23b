import ArgumentParser
import Foundation
import Workflow

/// `--db`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Database file.", discussion: "Default: $CITYGRID_DB, else $XDG_DATA_HOME/citygrid/citygrid.sqlite.", valueName: "PATH"))
    var db: String?

    var path: String {
        if let db, !db.isEmpty { return (db as NSString).expandingTildeInPath }
        let env = ProcessInfo.processInfo.environment
        if let path = env["CITYGRID_DB"], !path.isEmpty { return path }
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("citygrid/citygrid.sqlite")
    }

    /// Opens the site and signs this process in (`SignOn`); a read-only one says so in one line on stderr (stdout
    /// stays the command's own). On a `signed` site a process nobody signed in is refused, unless `signIn` is
    /// `.optional` (the console, which then shows its sign-in screen).
    func open(signIn need: SignOn.Need = .required) throws(WorkflowError) -> CommandStores {
        CommandStores(try CommandSession.store(path: path, signIn: need))
    }

    /// Opens the site as `open` does and resolves this process's session once: who it acts as, the site's time
    /// zone, the clock. A malformed `CITYGRID_NOW` is refused here (exit 2).
    func session(signIn need: SignOn.Need = .required) throws(WorkflowError) -> CommandSession {
        try CommandSession(open(signIn: need))
    }
}

/// The option groups below share one declaration of `--as`, `--at` and `--json` among the commands that take them.
/// Where a command says more about one (who may act, what the JSON holds) its help is a type of its own, so every
/// command's `--help` reads as it always has (`CLIFlagsTests`).
protocol OptionHelp {
    static var help: ArgumentHelp { get }
}

/// `--as LOGIN`: the operator acting, or whose view a listing takes. Resolved with `CommandSession.acting`.
struct ActorOption<Help: OptionHelp>: ParsableArguments {
    @Option(name: .customLong("as"), help: Help.help) var actor: String?
}

/// `--at TIME`: when, instead of now. Resolved with `CommandSession.now`.
struct AtOption<Help: OptionHelp>: ParsableArguments {
    @Option(help: Help.help) var at: String?
}

/// `--json`: the output format.
struct OutputOptions<Help: OptionHelp>: ParsableArguments {
    @Flag(help: Help.help) var json = false
}

/// The help texts shared by several commands.
enum SharedHelp {
    enum JSON: OptionHelp { static var help: ArgumentHelp { "Print JSON." } }
    enum When: OptionHelp { static var help: ArgumentHelp { "When, ISO-8601 (default: now), inside the site's time window (see 'site show')." } }
    enum Operator: OptionHelp { static var help: ArgumentHelp { "Operator id or login." } }
    enum Viewer: OptionHelp { static var help: ArgumentHelp { "Only what this operator may see." } }
    enum AdminOnOpenSite: OptionHelp { static var help: ArgumentHelp { "The admin acting (on an open site)." } }
    enum AdminSignedIn: OptionHelp { static var help: ArgumentHelp { "The admin acting (default: the signed-in operator)." } }
}

/// The store a command opened, seen by concept (issue 15): a command reaches it through the protocol of what it works
/// on (`cases`, `access`, `site`…), so one that reads cases has no access write at hand, and a second backend would
/// need no change here but this. Only a program that runs on the whole store (the console, the servers, the
/// simulator) takes it whole (`whole`).
struct CommandStores {
    fileprivate let store: CityStore

    init(_ store: CityStore) { self.store = store }

    var cases: any CaseStore { store }
    var oversight: any OversightStore { store }
    var evaluation: any EvaluationStore { store }
    var grid: any GridStore { store }
    var site: any SiteStore { store }
    var access: any AccessStore { store }
    var intake: any IntakeStore { store }
    var open311: any Open311Store { store }
    var integrity: any IntegrityStore { store }
    var followUps: any FollowUpStore { store }
    var components: any ComponentStore { store }
    var file: any StoreFileStatus { store }
    var patrol: any PatrolStore { store }
    /// What the console runs on (`ConsoleBackend`).
    var console: any ConsoleBackend { store }
    /// The whole store, for a program that runs on it: the console, serve-ssh, serve-open311, the simulator.
    var whole: CityStore { store }
}

/// What a command runs with: the store it opened, by concept (`session.cases`, `session.access`…, `CommandStores`),
/// and the session resolved as it did (`StoreOptions.session`).
@dynamicMemberLookup
struct CommandSession {
    let stores: CommandStores
    private var store: CityStore { stores.store }
    /// Who acts, the site's zone, the clock. The clock is the system's until `now()` has checked `CITYGRID_NOW`.
    private(set) var session: Session
    /// The clock as read from the environment: refused only when a command asks for "now", as it always was.
    private let reading: Result<ProcessClock.Reading, WorkflowError>

    /// `environment`: the process's; tests give their own.
    init(store: CityStore, environment: [String: String] = ProcessInfo.processInfo.environment) throws(WorkflowError) {
        try self.init(CommandStores(store), environment: environment)
    }

    init(_ stores: CommandStores, environment: [String: String] = ProcessInfo.processInfo.environment) throws(WorkflowError) {
        let store = stores.store
        let zone = try store.timeWindow().timeZone
        let reading = Result { () throws(WorkflowError) in try ProcessClock.read(timeZone: zone, environment: environment) }
        self.stores = stores
        self.reading = reading
        self.session = Session(signedIn: store.signedIn, timeZone: zone, clock: (try? reading.get())?.clock ?? SystemWallClock())
    }

    /// Opens the store at `path` and signs this process in (`SignOn`), saying on stderr when it is read-only.
    static func store(path: String, signIn need: SignOn.Need) throws(WorkflowError) -> CityStore {
        let store = try CityStore.open(path: path)
        if let notice = store.readOnlyNotice { Output.progress("citygrid: " + notice) }
        try SignOn.establish(store, need: need)
        return store
    }

    /// `session.cases`, `session.access`…: the store by concept (`CommandStores`).
    subscript<Concept>(dynamicMember concept: KeyPath<CommandStores, Concept>) -> Concept { stores[keyPath: concept] }

    var timeZone: TimeZone { session.timeZone }
    /// Times read and written in the site's zone.
    var format: InstantFormat { session.format }

    /// "Now" for this command: `--at` when given, else the clock; each checked against the site's time window
    /// (Workflow's `TimeWindow`), so no absurd time is ever acted on: refused (exit 2) outside it, naming the window.
    /// A malformed `CITYGRID_NOW` is refused here too.
    func now(_ at: String? = nil) throws(WorkflowError) -> Date {
        let clock = try reading.get()
        let instant = clock.clock.now()
        let window = try store.timeWindow()
        try window.check(instant, now: instant, what: clock.name)
        guard let at else { return instant }
        let typed: Date
        do { typed = try format.parse(at) } catch {
            throw .invalidInput("--at: \(error.description.replacingOccurrences(of: "invalid input: ", with: ""))")
        }
        try window.check(typed, now: instant, what: "--at", typed: at)
        return typed
    }

    /// The clock as it reads, in or out of the site's window (what `doctor` and `site show` report on).
    func clock() throws(WorkflowError) -> Date { try reading.get().clock.now() }

    func now<H>(_ at: AtOption<H>) throws(WorkflowError) -> Date { try now(at.at) }

    /// The operator acting, from `--as` and the signed-in operator (`CityStore.actor`): the login to hand the store.
    func acting(_ requested: String?) throws(WorkflowError) -> String {
        try store.actor(requested).login
    }

    func acting<H>(_ option: ActorOption<H>) throws(WorkflowError) -> String { try acting(option.actor) }

    /// After the console's sign-in screen: the operator it signed in.
    mutating func signedIn(as who: SignedIn) {
        session = session.signedIn(as: who)
    }
}

/// How a `citygrid` process learns who it acts for (docs/security.md), decided by the program, never by a flag:
/// a session token handed down by the server that started it (serve-ssh's console and exec children), else, on a
/// `signed` site, the operator bound to the Unix account running it. On an `open` site nobody is signed in and
/// `--as` names the operator.
enum SignOn {
    enum Need { case required, optional }

    /// The environment variable serve-ssh sets for the programs it runs: a token only they were given.
    static let sessionVariable = "CITYGRID_SESSION"

    static func establish(_ store: CityStore, need: Need) throws(WorkflowError) {
        let env = ProcessInfo.processInfo.environment
        if let token = env[sessionVariable], !token.isEmpty {
            // A malformed CITYGRID_NOW is the command's to refuse (`CommandSession`); the token is checked at the clock.
            let zone = (try? store.timeWindow().timeZone) ?? SiteSettings.defaultTimeZone
            store.signIn(try store.resumeSession(token: token, at: (try? ProcessClock.read(timeZone: zone).clock.now()) ?? Date()))
            return
        }
        guard try store.accessMode() == .signed else { return }
        let user = UnixAccount.current()
        if let user, let who = try store.identify(unixUser: user) {
            store.signIn(who)
            return
        }
        if need == .required {
            let name = user.map { "Unix account \($0)" } ?? "this Unix account"
            throw .forbidden("this site signs operators in, and \(name) is not bound to an operator; an admin binds it with `citygrid operator set LOGIN --unix-user NAME`, or sign in at the console or over SSH")
        }
    }
}

/// The operator acting, from `--as` and the signed-in operator (`CityStore.actor`): the login to hand the store.
func acting(_ requested: String?, _ store: any AccessStore) throws(WorkflowError) -> String {
    try store.actor(requested).login
}

/// The one reader of `CITYGRID_NOW`, which pins "now" for demos and tests: the CLI, the console, the simulator, and
/// the servers all take their clock from here. A time without an offset is read in the site's zone.
enum ProcessClock {
    static let variable = "CITYGRID_NOW"

    struct Reading: Sendable {
        var clock: any WallClock
        /// What a refusal calls it: `CITYGRID_NOW`, or "the clock".
        var name: String
    }

    /// The clock: `CITYGRID_NOW` when set, else the system clock.
    static func read(timeZone: TimeZone, environment: [String: String] = ProcessInfo.processInfo.environment) throws(WorkflowError) -> Reading {
        if let fixed = environment[variable], !fixed.isEmpty {
            do { return Reading(clock: FixedClock(try InstantFormat(timeZone: timeZone).parse(fixed)), name: variable) } catch {
                throw .invalidInput("\(variable): \(error.description.replacingOccurrences(of: "invalid input: ", with: ""))")
            }
        }
        return Reading(clock: SystemWallClock(), name: "the clock")
    }
}

/// "Now" before a site exists (`init`, `seed-demo`, the demo's first build, the benches): there is no site time zone
/// (the default one is used) and no window, so the clock and `--at` must only lie within `TimeWindow.limits`.
enum Now {
    static func beforeSite(_ at: String?) throws(WorkflowError) -> Date {
        let zone = SiteSettings.defaultTimeZone
        let clock = try ProcessClock.read(timeZone: zone)
        let instant = try at.map { text throws(WorkflowError) in try InstantFormat(timeZone: zone).parse(text) } ?? clock.clock.now()
        guard TimeWindow.isPlausible(instant) else {
            throw .invalidInput("\(at == nil ? clock.name : "--at") \(InstantFormat(timeZone: zone).string(instant)) is outside 1900–2199")
        }
        return instant
    }
}

/// Runs a command body, turning a `WorkflowError` into one stderr line and its exit code.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as WorkflowError {
        Output.error(CLIWording.describe(error))
        throw ExitCode(error.exitCode)
    }
}

extension ManagementModel: ExpressibleByArgument {}
extension CaseState: ExpressibleByArgument {}
extension CategoryKind: ExpressibleByArgument {}
extension ReportSource: ExpressibleByArgument {}
extension RegionLevel: ExpressibleByArgument {}
extension RegionKind: ExpressibleByArgument {}
