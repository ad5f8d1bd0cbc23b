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
    func open(signIn need: SignOn.Need = .required) throws(WorkflowError) -> CityStore {
        let store = try CityStore.open(path: path)
        if let notice = store.readOnlyNotice { Output.progress("citygrid: " + notice) }
        try SignOn.establish(store, need: need)
        return store
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
            store.signIn(try store.resumeSession(token: token, at: (try? Now.clock(timeZone: Now.shanghai).date) ?? Date()))
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
func acting(_ requested: String?, _ store: CityStore) throws(WorkflowError) -> String {
    try store.actor(requested).login
}

/// "Now" for this process: `--at`, else `CITYGRID_NOW`, else the system clock; each checked against the site's
/// time window (Workflow's `TimeWindow`), so no absurd time is ever acted on.
enum Now {
    /// The clock: `CITYGRID_NOW` when set, else the system clock.
    static func clock(timeZone: TimeZone) throws(WorkflowError) -> (date: Date, name: String) {
        if let fixed = ProcessInfo.processInfo.environment["CITYGRID_NOW"], !fixed.isEmpty {
            do { return (try InstantFormat(timeZone: timeZone).parse(fixed), "CITYGRID_NOW") } catch {
                throw .invalidInput("CITYGRID_NOW: \(error.description.replacingOccurrences(of: "invalid input: ", with: ""))")
            }
        }
        return (Date(), "the clock")
    }

    /// `--at` (else the clock) in the site's window; refused (exit 2) outside it, naming the window.
    static func resolve(_ at: String?, store: CityStore, timeZone: TimeZone) throws(WorkflowError) -> Date {
        let clock = try clock(timeZone: timeZone)
        let window = try store.timeWindow()
        try window.check(clock.date, now: clock.date, what: clock.name)
        guard let at else { return clock.date }
        let instant: Date
        do { instant = try InstantFormat(timeZone: timeZone).parse(at) } catch {
            throw .invalidInput("--at: \(error.description.replacingOccurrences(of: "invalid input: ", with: ""))")
        }
        try window.check(instant, now: clock.date, what: "--at", typed: at)
        return instant
    }

    /// Before a site exists there is no site time zone (the default one is used) and no window: the clock
    /// must only lie within `TimeWindow.limits`.
    static func resolve(_ at: String?, store: CityStore?) throws(WorkflowError) -> Date {
        if let store { return try resolve(at, store: store, timeZone: TimeZone(identifier: try store.settings().timeZone) ?? shanghai) }
        let clock = try clock(timeZone: shanghai)
        let instant = try at.map { text throws(WorkflowError) in try InstantFormat(timeZone: shanghai).parse(text) } ?? clock.date
        guard TimeWindow.isPlausible(instant) else {
            throw .invalidInput("\(at == nil ? clock.name : "--at") \(InstantFormat(timeZone: shanghai).string(instant)) is outside 1900–2199")
        }
        return instant
    }

    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
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
