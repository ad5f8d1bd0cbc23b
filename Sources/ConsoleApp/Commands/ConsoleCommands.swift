import ArgumentParser
import CityGridDemo
import Curses
import Foundation
import Workflow

extension Language: ExpressibleByArgument {}

/// Options shared by `console` and `demo`.
struct ConsoleOptions: ParsableArguments {
    @Option(help: "Theme name (default, light, high-contrast, mono) or a theme file.") var theme = "default"
    @Option(help: "zh or en.") var lang: Language = .zh
    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (also CITYGRID_MOUSE=0); by default clicks and the wheel work where the terminal reports them.")
    var noMouse = false

    /// Whether to ask the terminal for mouse reports: yes unless --no-mouse or CITYGRID_MOUSE=0 (or off/no/false).
    func mouse(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard !noMouse else { return false }
        let value = (environment["CITYGRID_MOUSE"] ?? "").lowercased()
        return !["0", "off", "no", "false"].contains(value)
    }
}

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Open the full-screen console as an operator.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator id or login (on a signed site: the signed-in operator, else the sign-in screen)." } }
    @OptionGroup var options: ConsoleOptions

    func run() throws {
        try guarded {
            // Not signed in yet on a signed site: the console's sign-in screen does it.
            let session = try store.session(signIn: .optional)
            try ConsoleLauncher.launch(session: session, path: store.path, as: actor.actor, options: options, demo: false, simulator: nil)
        }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The one-command tour: a demo city with a live simulator, seen through a dispatcher's console.",
        discussion: "The demo city lives in $XDG_DATA_HOME/citygrid/demo.sqlite unless --db says otherwise; it is built on first use. F2 switches roles; q quits.")

    @Option(name: .long, help: "Demo database (default: $XDG_DATA_HOME/citygrid/demo.sqlite).") var db: String?
    @Option(help: "Management model for a new demo city.") var model: ManagementModel = .oneMonitorTwoCommand
    @Option(help: "Random seed for a new demo city.") var seed: UInt64 = 1
    @Option(help: "Cases in a new demo city (default: 700 a day for 30 days).") var cases: Int?
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator to start as (default: a dispatcher)." } }
    @Flag(help: "Rebuild the demo city even if one exists.") var fresh = false
    @Flag(name: .customLong("no-simulator"), help: "Do not run the live simulator.") var noSimulator = false
    @OptionGroup var options: ConsoleOptions

    func run() throws {
        try guarded {
            let path = db.map { ($0 as NSString).expandingTildeInPath } ?? Self.defaultPath()
            if fresh || !FileManager.default.fileExists(atPath: path) {
                // Built beside and renamed into place: with --fresh the old demo city stays until the new one is whole.
                _ = try SiteBuild.target(path, replace: fresh)
                Output.progress("citygrid demo: building the demo city in \(path) …")
                let now = try Now.beforeSite(nil)
                _ = try SiteFiles.seedDemo(at: path, replace: fresh, options: DemoOptions(model: model, seed: seed, cases: cases, now: now),
                                           progress: nil)
            }
            let store = try CityStore.open(path: path)
            try SignOn.establish(store, need: .optional)
            let session = try CommandSession(store: store)
            // A demo city is open: start as a dispatcher unless told otherwise. One switched to signed signs in as usual.
            let login = try actor.actor ?? (try store.accessMode() == .open ? Self.defaultDispatcher(store) : nil)
            let simulator = noSimulator ? nil : try SimulatorThread(store: store, seed: seed, clock: session.session.clock)
            try ConsoleLauncher.launch(session: session, path: path, as: login, options: options, demo: true, simulator: simulator)
        }
    }

    static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("citygrid/demo.sqlite")
    }

    static func defaultDispatcher(_ store: any SiteStore) throws(WorkflowError) -> String {
        let dispatchers = try store.operators().filter { $0.role == .dispatcher }
        guard let first = dispatchers.first(where: { $0.tier == .city }) ?? dispatchers.first else {
            throw .notFound("the demo city has no dispatcher")
        }
        return first.login
    }
}

/// Checks everything that can fail before the terminal is taken over, then runs the console.
enum ConsoleLauncher {
    static func launch(session: CommandSession, path: String, as login: String?, options: ConsoleOptions, demo: Bool,
                       simulator: SimulatorThread?) throws {
        var session = session
        let store = session.whole
        // On a signed site with nobody signed in, the engine is prepared after the sign-in screen.
        let start = try ConsoleSession.start(store: store, requested: login)
        var engine: ConsoleEngine?
        if case .viewer(let viewer) = start { engine = try prepare(session: session, as: viewer, options: options, demo: demo) }
        let watcher = try ChangeWatcher(store: store)
        defer { simulator?.stop() }
        CrashGuard.enterConsole(lang: options.lang)
        defer { CrashGuard.leaveConsole() }
        do {
            try Terminal.run(options: Terminal.Options(mouse: options.mouse())) { terminal in
                if case .signInScreen(let login) = start {
                    guard let who = try ConsoleSession.signIn(store: store, login: login, on: terminal, options: options,
                                                               clock: session.session.clock) else { return }
                    session.signedIn(as: who)
                    engine = try prepare(session: session, as: who.login, options: options, demo: demo)
                }
                guard let engine else { return }
                engine.simulator = simulator
                simulator?.start(excluding: engine.state.viewer.id)
                try ConsoleRunLoop.run(engine, on: terminal, watcher: watcher, afterFrame: { _ in
                    CrashGuard.afterFrame(lang: engine.state.lang)
                })
            }
        } catch let error as TerminalError {
            throw WorkflowError.invalidInput("cannot open the terminal: \(error)")
        }
        if let engine { try ConsoleSession.finish(engine) }
        // Writes stopped because the file was removed, replaced or damaged: said once more on the restored
        // terminal, and the exit code is the database's (6), never a clean 0.
        if let problem = session.file.fileProblem() { throw problem.error(database: path) }
    }

    /// Everything but the terminal: the operator, the theme (a broken file falls back to the default with
    /// a message naming it), the clock, the first data.
    static func prepare(session: CommandSession, as login: String, options: ConsoleOptions, demo: Bool) throws -> ConsoleEngine {
        let viewer = try session.site.findOperator(login)
        let loaded = Theme.load(nameOrPath: options.theme, searchDirectories: ThemeFiles.searchDirectories())
        _ = try session.now()   // a malformed CITYGRID_NOW, or a clock outside the site's window, fails here, before the screen
        let engine = ConsoleEngine(store: session.console, viewer: viewer, lang: options.lang, theme: loaded.theme, themeName: options.theme,
                                   clock: { [clock = session.session.clock] in clock.now() })
        engine.state.demo = demo
        try engine.start()
        if let problem = loaded.problem {
            engine.state.status = StatusMessage(text: "\(problem) — " + options.lang.t("已使用默认主题", "using the default theme"), kind: .error)
        }
        return engine
    }

    static func prepare(store: CityStore, as login: String, options: ConsoleOptions, demo: Bool) throws -> ConsoleEngine {
        try prepare(session: CommandSession(store: store), as: login, options: options, demo: demo)
    }
}
