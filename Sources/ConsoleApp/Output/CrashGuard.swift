import Curses
import Foundation

/// What the `citygrid` process does if it crashes (issue 13, defect 11), through `CrashReport`: the terminal is put
/// back, a report (signal, version, command, backtrace, and for the console what it wrote to standard error) goes
/// to a private folder, and ONE line names it; no backtrace on the terminal, no waiting for a key. The exit status
/// still says the process died of the signal. Set SWIFT_BACKTRACE to get the Swift runtime's backtracer as well.
enum CrashGuard {
    /// `$XDG_STATE_HOME/citygrid/crash`, else `~/.local/state/citygrid/crash`.
    static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.local/state"
        return stateHome + "/citygrid/crash"
    }

    static let commandMessage = CrashReport.Message(
        written: "citygrid: the command stopped on an internal error; crash report: ",
        notWritten: "citygrid: the command stopped on an internal error; no crash report could be written in ")

    /// By `Language`: zh, then en.
    static let consoleMessages = [
        CrashReport.Message(written: "citygrid：控制台因内部错误而停止；崩溃报告：",
                            notWritten: "citygrid：控制台因内部错误而停止；无法写入崩溃报告，目录："),
        CrashReport.Message(written: "citygrid: the console stopped on an internal error; crash report: ",
                            notWritten: "citygrid: the console stopped on an internal error; no crash report could be written in "),
    ]

    /// The hidden test hook: where to crash on purpose (`command` once the arguments are parsed, `after-first-frame`
    /// in the console), and how (see `crash`). Read from the environment only when set.
    static let testCrash: String? = ProcessInfo.processInfo.environment["CITYGRID_TEST_CRASH"].flatMap { $0.isEmpty ? nil : $0 }

    /// From `main`, first thing, for every command: after the Swift runtime has started, so these handlers replace
    /// the runtime's backtracer (the equivalent of SWIFT_BACKTRACE=enable=no, which the runtime reads only at start).
    static func install(command: String) {
        configure(command: command, messages: [commandMessage])
    }

    /// Once the arguments are parsed: the report names the command (`case show`, `console`).
    static func commandParsed(_ command: String) {
        configure(command: command, messages: [commandMessage])
        if let point = testCrash, point == "command" || point.hasPrefix("command-") { crash(point) }
    }

    nonisolated(unsafe) private static var command = "citygrid"

    private static func configure(command: String, messages: [CrashReport.Message]) {
        let environment = ProcessInfo.processInfo.environment
        self.command = command
        CrashReport.install(CrashReport.Configuration(
            directory: directory(environment: environment), header: header(command: command), messages: messages,
            chainToPrevious: !(environment["SWIFT_BACKTRACE"] ?? "").isEmpty))
    }

    static func header(command: String) -> String {
        "citygrid crash report\nversion: \(CityGrid.configuration.version)\ncommand: citygrid\(command.isEmpty ? "" : " " + command)\n"
    }

    /// Before the console takes the terminal: its report folder made now, its line in its language, and standard
    /// error kept in a private file while the screen is up (stray messages would garble it; a crash report carries them).
    static func enterConsole(lang: Language) {
        configure(command: command, messages: consoleMessages)
        select(lang)
        if CrashReport.createDirectory() { _ = CrashReport.captureStandardError() }
    }

    /// After the console gave the terminal back: what it wrote to standard error meanwhile, now, where it can be read.
    static func leaveConsole() {
        let captured = CrashReport.releaseStandardError()
        configure(command: command, messages: [commandMessage])
        guard !captured.isEmpty else { return }
        var text = String(decoding: captured, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        Output.messageLines(text, toStandardOutput: false)
    }

    static func select(_ lang: Language) {
        CrashReport.selectMessage(lang == .zh ? 0 : 1)
    }

    /// Called after each console frame: the line follows the console's language; the test hook fires after the first.
    static func afterFrame(lang: Language) {
        select(lang)
        if let point = testCrash, point.hasPrefix("after-first-frame") { crash(point) }
    }

    /// `POINT` (a failed check: SIGILL, SIGTRAP on ARM) or `POINT-segv` (a real invalid access), `POINT-abort`, or
    /// `POINT-bus`, `POINT-fpe`, `POINT-trap` (raised: those faults cannot be provoked portably from Swift).
    static func crash(_ point: String) {
        switch point.split(separator: "-").last ?? "" {
        case "segv":
            UnsafeMutablePointer<Int>(bitPattern: 16)!.pointee = 1
        case "abort":
            abort()
        case "bus":
            raise(SIGBUS)
        case "fpe":
            raise(SIGFPE)
        case "trap":
            raise(SIGTRAP)
        default:
            break
        }
        fatalError("CITYGRID_TEST_CRASH=\(point)")
    }
}
