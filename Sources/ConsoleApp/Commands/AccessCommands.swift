import ArgumentParser
import Foundation
import Workflow

/// `citygrid access show|set|set-idle-lock`: how the site decides who is acting (docs/security.md).
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Show or set how the site signs operators in: open (demo: any caller names any operator) or signed.",
        subcommands: [AccessShowCommand.self, AccessSetCommand.self, AccessIdleLockCommand.self])
}

struct AccessShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "The access mode, the idle lock, and who this process is signed in as.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<JSONHelp>
    enum JSONHelp: OptionHelp { static var help: ArgumentHelp { "Print JSON: {\"access\", \"idle_lock_minutes\", \"signed_in\", \"via\"}." } }

    func run() throws {
        try guarded {
            let access = try store.open().access
            let mode = try access.accessMode()
            let idle = try access.idleLockMinutes()
            let who = access.signedIn
            if output.json {
                return try Output.json(AccessJSON(access: mode.rawValue, idle_lock_minutes: idle, signed_in: who?.login, via: who?.via.text))
            }
            Output.line("access: \(mode.rawValue)" + (mode == .open ? " (demo: any caller may act as any operator with --as)" : " (operators are signed in by the program)"))
            Output.line("idle lock: " + (idle == 0 ? "off" : "\(idle) min"))
            Output.line("this process: " + (who.map { "signed in as \($0.login) via \($0.via.text)" } ?? "not signed in"))
        }
    }
}

struct AccessJSON: ExplicitNullEncodable {
    var access: String
    var idle_lock_minutes: Int
    var signed_in: String?
    var via: String?
}

/// `access set` and `access set-idle-lock`: one command, the setting a type (`AccessSetting`).
typealias AccessSetCommand = AccessSetCommandOf<AccessSettings.Mode>
typealias AccessIdleLockCommand = AccessSetCommandOf<AccessSettings.IdleLock>

/// A site setting an admin writes with `access set…`: its name and help, the value's help, the store's call, the
/// line it prints.
protocol AccessSetting {
    associatedtype Value: ExpressibleByArgument
    associatedtype ActorHelp: OptionHelp
    static var configuration: CommandConfiguration { get }
    /// The argument's help, with its value name (`<mode>`, `<minutes>`).
    static var valueHelp: ArgumentHelp { get }
    static func write(_ value: Value, to store: any AccessStore, by admin: String?, at now: Date) throws(WorkflowError)
    /// What is printed once written: "access: signed", "idle lock: 15 min".
    static func line(_ value: Value) -> String
}

enum AccessSettings {
    enum Mode: AccessSetting {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "set", abstract: "Set the access mode (an admin's).") }
        static var valueHelp: ArgumentHelp { ArgumentHelp("open or signed.", valueName: "mode") }
        enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "The admin acting (on an open site; on a signed site, the signed-in operator)." } }
        static func write(_ value: AccessMode, to store: any AccessStore, by admin: String?, at now: Date) throws(WorkflowError) {
            try store.setAccessMode(value, by: admin, at: now)
        }
        static func line(_ value: AccessMode) -> String { "access: \(value.rawValue)" }
    }

    enum IdleLock: AccessSetting {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "set-idle-lock", abstract: "Minutes without a key before a console locks to its sign-in screen (0: never; an admin's).")
        }
        static var valueHelp: ArgumentHelp { ArgumentHelp("Minutes, 0 to 1440.", valueName: "minutes") }
        typealias ActorHelp = SharedHelp.AdminOnOpenSite
        static func write(_ value: Int, to store: any AccessStore, by admin: String?, at now: Date) throws(WorkflowError) {
            try store.setIdleLockMinutes(value, by: admin, at: now)
        }
        static func line(_ value: Int) -> String { "idle lock: " + (value == 0 ? "off" : "\(value) min") }
    }
}

/// Writes one access setting as the acting admin, then prints it.
struct AccessSetCommandOf<Setting: AccessSetting>: ParsableCommand {
    static var configuration: CommandConfiguration { Setting.configuration }

    @OptionGroup var store: StoreOptions
    @Argument(help: Setting.valueHelp) var value: Setting.Value
    @OptionGroup var actor: ActorOption<Setting.ActorHelp>

    func run() throws {
        try guarded {
            let s = try store.session()
            try Setting.write(value, to: s.access, by: actor.actor, at: try s.now())
            Output.line(Setting.line(value))
        }
    }
}

extension AccessMode: ExpressibleByArgument {}

/// `citygrid audit`: sign-ins, failures, locks, sessions and administration, oldest first (an admin's).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit: sign-ins, failures, locks, sessions and administration (an admin's).")

    @OptionGroup var store: StoreOptions
    @Option(help: "From this time on, ISO-8601.") var since: String?
    @Option(help: "Only events about this login.") var login: String?
    @Option(help: "At most this many (the newest).") var limit = 1000
    @OptionGroup var actor: ActorOption<SharedHelp.AdminOnOpenSite>
    @OptionGroup var output: OutputOptions<JSONHelp>
    enum JSONHelp: OptionHelp { static var help: ArgumentHelp { "Print JSON: an array of {id, at, event, login, via, by, address, detail}." } }

    func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be 1 to 1000000") }
    }

    func run() throws {
        try guarded {
            let s = try store.session()
            let access = s.access
            _ = try access.requireAdmin(actor.actor)
            let format = s.format
            let from: Date?
            if let since {
                do { from = try format.parse(since) } catch {
                    throw WorkflowError.invalidInput("--since: \(error)")
                }
            } else { from = nil }
            let events = try access.auditEvents(since: from, login: login, limit: limit)
            if output.json {
                return try Output.json(events.map { e in
                    AuditJSON(id: e.id, at: format.string(e.at), event: e.kind.rawValue, login: e.login, via: e.via, by: e.by,
                              address: e.address, detail: e.detail)
                })
            }
            for e in events {
                var line = "\(format.string(e.at))  \(e.kind.rawValue)  \(e.login ?? "-")"
                if let via = e.via { line += " via \(via)" }
                if let by = e.by, by != e.login { line += " by \(by)" }
                if let address = e.address { line += " from \(address)" }
                if !e.detail.isEmpty { line += ": \(e.detail)" }
                Output.line(line)
            }
        }
    }
}

struct AuditJSON: ExplicitNullEncodable {
    var id: Int64
    var at: String
    var event: String
    var login: String?
    var via: String?
    var by: String?
    var address: String?
    var detail: String
}

/// `citygrid operator password LOGIN`: sets a password, read from the terminal (twice, not echoed) or from standard
/// input (one line), never from the command line. An admin sets anyone's; an operator their own.
struct OperatorPasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "password", abstract: "Set an operator's password (read from the terminal or standard input, never from the command line).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The operator's login.") var login: String
    @Flag(help: "Remove the password instead: the operator can then sign in only by a bound Unix account or an SSH key.") var remove = false
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "The one acting (on an open site)." } }

    func run() throws {
        try guarded {
            let s = try store.session()
            let now = try s.now()
            let password = remove ? nil : try PasswordInput.read(for: login)
            try s.access.setPassword(of: login, to: password, by: actor.actor, at: now)
            Output.line(remove ? "password removed for \(login)" : "password set for \(login)")
        }
    }
}

/// Reads a new password: from the terminal with echo off, asked twice; else one line of standard input.
enum PasswordInput {
    static func read(for login: String) throws(WorkflowError) -> String {
        if isatty(STDIN_FILENO) == 1 {
            let first = try prompt("New password for \(login): ")
            let second = try prompt("Again: ")
            guard first == second else { throw .invalidInput("the two passwords differ; nothing was changed") }
            try PasswordHash.check(first)
            return first
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == 0x0A { break }
            bytes.append(byte)
            if bytes.count > 4096 { throw .invalidInput("the password on standard input is too long") }
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidInput("the password is not UTF-8") }
        guard !text.isEmpty else { throw .invalidInput("no password on standard input") }
        try PasswordHash.check(text)
        return text
    }

    /// One line from the terminal, echo off; the terminal's settings come back whatever happens.
    static func prompt(_ text: String) throws(WorkflowError) -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw .invalidInput("cannot read the terminal's settings") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(STDIN_FILENO, &byte, 1) == 1, byte != 0x0A, byte != 0x0D {
            bytes.append(byte)
            if bytes.count > 4096 { throw .invalidInput("the password is too long") }
        }
        guard let line = String(validating: bytes, as: UTF8.self) else { throw .invalidInput("the password is not UTF-8") }
        return line
    }
}
