import Foundation
import Testing

/// Issue 13, defect 11: a crash restores the terminal, writes a private report with a backtrace and says where in
/// ONE line; no backtrace on the terminal, no waiting for a key, and the exit status still says it crashed.
@Suite(.serialized) struct CrashReportTests {
    func stateHome() -> String {
        let url = TestFolder.root.appendingPathComponent("citygrid-crash-\(UUID().uuidString)/state")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The report files in the state home's crash folder, which must be private.
    func reports(_ state: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let folder = state + "/citygrid/crash"
        let mode = (try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) ?? -1
        #expect(mode == 0o700, "folder mode \(String(mode, radix: 8))", sourceLocation: sourceLocation)
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("crash-") }.map { folder + "/" + $0 }
    }

    func expectReport(_ path: String, signal: String, command: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        #expect(mode == 0o600, "report mode \(String(mode, radix: 8))", sourceLocation: sourceLocation)
        #expect(text.hasPrefix("citygrid crash report\nversion: 0.1.0\ncommand: citygrid \(command)\n"), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("\nsignal: \(signal)"), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("\npid: ") && text.contains("\ntime: 20"), sourceLocation: sourceLocation)
        let frames = text.components(separatedBy: "\nbacktrace").last?.split(separator: "\n").dropFirst() ?? []
        #expect(frames.count >= 5 && frames.contains { $0.contains("citygrid(") }, "\(text)", sourceLocation: sourceLocation)
        let name = (path as NSString).lastPathComponent
        #expect(name.range(of: #"^crash-\d{8}T\d{6}Z-\d+\.txt$"#, options: .regularExpression) != nil, "\(name)", sourceLocation: sourceLocation)
        return text
    }

    /// What the Swift runtime's backtracer would have shown.
    func expectNoBacktrace(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for marker in ["Backtracing", "Program crashed", "Thread 0", "crashed:", "libswiftCore", ".swift:", "Sources/", "Press space"] {
            #expect(!text.contains(marker), "\(marker) in:\n\(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func aCommandThatCrashesPrintsOneLineAndWritesAReport() throws {
        let state = stateHome()
        let result = try CLI.run(["cases"], db: CLI.temporaryDatabase(), environment: ["CITYGRID_TEST_CRASH": "command", "XDG_STATE_HOME": state])
        #expect(result.status == SIGILL || result.status == SIGTRAP, "killed by the trap's signal, not exit \(result.status)")
        let files = try reports(state)
        #expect(files.count == 1)
        let path = try #require(files.first)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.last == "citygrid: the command stopped on an internal error; crash report: \(path)"[...], "\(result.stderr)")
        // The failed check's own message comes before it; nothing else.
        #expect(lines.count == 2 && lines[0].contains("Fatal error: CITYGRID_TEST_CRASH=command"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        _ = try expectReport(path, signal: "\(SIGILL == result.status ? "4 SIGILL" : "5 SIGTRAP")", command: "cases")
    }

    /// Every fatal signal: the report names it, the one line names the report, and the process dies of it.
    @Test(arguments: [("segv", SIGSEGV, "11 SIGSEGV"), ("abort", SIGABRT, "6 SIGABRT"), ("bus", SIGBUS, "7 SIGBUS"),
                      ("fpe", SIGFPE, "8 SIGFPE"), ("trap", SIGTRAP, "5 SIGTRAP")])
    func everyFatalSignalIsReported(kind: String, signal: Int32, named: String) throws {
        let state = stateHome()
        let result = try CLI.run(["cases"], db: CLI.temporaryDatabase(),
                                 environment: ["CITYGRID_TEST_CRASH": "command-\(kind)", "XDG_STATE_HOME": state])
        #expect(result.status == signal, "killed by \(named), not \(result.status)")
        let path = try #require(try reports(state).first)
        #expect(result.stderr == "citygrid: the command stopped on an internal error; crash report: \(path)\n", "\(result.stderr)")
        _ = try expectReport(path, signal: named, command: "cases")
    }

    @Test func theReportNamesASubcommandFromTheRoot() throws {
        let state = stateHome()
        let result = try CLI.run(["calendar", "show"], db: CLI.temporaryDatabase(),
                                 environment: ["CITYGRID_TEST_CRASH": "command", "XDG_STATE_HOME": state])
        #expect(result.status == SIGILL || result.status == SIGTRAP)
        let path = try #require(try reports(state).first)
        _ = try expectReport(path, signal: "\(SIGILL == result.status ? "4 SIGILL" : "5 SIGTRAP")", command: "calendar show")
    }

    @Test func withoutXDGStateHomeTheReportGoesUnderHome() throws {
        let home = stateHome()
        let result = try CLI.run(["cases"], db: CLI.temporaryDatabase(),
                                 environment: ["CITYGRID_TEST_CRASH": "command", "XDG_STATE_HOME": "", "HOME": home])
        #expect(result.status == SIGILL || result.status == SIGTRAP)
        let files = try reports(home + "/.local/state")
        #expect(files.count == 1 && result.stderr.hasSuffix("crash report: \(files.first ?? "?")\n"), "\(result.stderr)")
    }

    // MARK: The console in a real terminal

    func crashingConsole(_ state: String, crash: String, lang: String, stderr: String = "&1") throws -> (TmuxSession, String) {
        let db = try CLI.demoCopy()
        let command = "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=\(CLI.now) HOME=\(state) XDG_STATE_HOME=\(state) "
            + "CITYGRID_TEST_CRASH=\(crash) \(CLI.binary.path) console --db \(db) --as city-lead-1 --lang \(lang) 2>\(stderr); "
            + "echo EXITED $?; stty -a | tr -s ' ;' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; "
            + "PS1='READY> ' exec /bin/sh -i"
        let tmux = try TmuxSession(command: command, width: 250, height: 40)
        try tmux.waitFor("EXITED", seconds: 30)
        // The screen once the shell is ready: the stty line after EXITED is on it too.
        let screen = try tmux.waitFor("READY>", seconds: 15)
        return (tmux, screen)
    }

    /// The shell after the crash takes a typed command, echoed as typed, and runs it.
    func expectUsablePrompt(_ tmux: TmuxSession, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try tmux.type("echo typed-$((40+2))")
        try tmux.send("Enter")
        let after = try tmux.waitFor("typed-42") { $0.contains("READY> echo typed-$((40+2))") && $0.contains("\ntyped-42") }
        #expect(after.contains("\ntyped-42"), "\(after)", sourceLocation: sourceLocation)
    }

    /// tmux's own view of the pane: alternate screen, cursor shown, keypad (application cursor keys) mode.
    func paneModes(_ tmux: TmuxSession) throws -> String {
        try TmuxSession.spawnOutput(["/usr/bin/tmux", "-S", tmux.socket, "display-message", "-p", "-t", tmux.name,
                                     "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag}"])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func aConsoleThatCrashesRestoresTheTerminalAndSaysWhereTheReportIs() throws {
        let state = stateHome()
        let (tmux, screen) = try crashingConsole(state, crash: "after-first-frame", lang: "en")
        let path = try #require(try reports(state).first)
        let line = "citygrid: the console stopped on an internal error; crash report: \(path)"
        #expect(screen.components(separatedBy: "\n").filter { $0.hasPrefix("citygrid") } == [line], "\(screen)")
        #expect(screen.contains("EXITED 132"), "the exit status says SIGILL:\n\(screen)")
        #expect(screen.contains("icanon echo") && !screen.contains("-icanon") && !screen.contains("-echo"), "\(screen)")
        #expect(!screen.contains("Queue"), "out of the alternate screen:\n\(screen)")
        #expect(try paneModes(tmux) == "0 1 0", "alternate screen off, cursor on, keypad off")
        expectNoBacktrace(screen)
        #expect(!screen.contains("Fatal error"), "the failed check's message goes to the report, not the terminal")
        try expectUsablePrompt(tmux)
        let text = try expectReport(path, signal: "4 SIGILL", command: "console")
        #expect(text.contains("\nstandard error:\n") && text.contains("Fatal error: CITYGRID_TEST_CRASH=after-first-frame"), "\(text)")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func theLineIsInTheConsolesLanguageAndAFaultIsReportedToo() throws {
        let state = stateHome()
        let (tmux, screen) = try crashingConsole(state, crash: "after-first-frame-segv", lang: "zh")
        let path = try #require(try reports(state).first)
        #expect(screen.contains("citygrid：控制台因内部错误而停止；崩溃报告：\(path)"), "\(screen)")
        #expect(screen.contains("EXITED 139"), "the exit status says SIGSEGV:\n\(screen)")
        #expect(screen.contains("icanon echo"), "\(screen)")
        #expect(try paneModes(tmux) == "0 1 0")
        expectNoBacktrace(screen)
        try expectUsablePrompt(tmux)
        let text = try expectReport(path, signal: "11 SIGSEGV", command: "console")
        #expect(text.contains("\naddress: 0x0000000000000010\n"), "\(text)")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func aConsoleThatAbortsIsReportedAndDiesOfSIGABRT() throws {
        let state = stateHome()
        let (tmux, screen) = try crashingConsole(state, crash: "after-first-frame-abort", lang: "en")
        let path = try #require(try reports(state).first)
        #expect(screen.contains("citygrid: the console stopped on an internal error; crash report: \(path)"), "\(screen)")
        #expect(screen.contains("EXITED 134"), "the exit status says SIGABRT:\n\(screen)")
        #expect(try paneModes(tmux) == "0 1 0")
        expectNoBacktrace(screen)
        try expectUsablePrompt(tmux)
        _ = try expectReport(path, signal: "6 SIGABRT", command: "console")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func withStandardErrorInAFileTheTerminalStillGetsTheLine() throws {
        let state = stateHome()
        let log = state + "/stderr.txt"
        let (tmux, screen) = try crashingConsole(state, crash: "after-first-frame", lang: "en", stderr: log)
        let path = try #require(try reports(state).first)
        let line = "citygrid: the console stopped on an internal error; crash report: \(path)"
        #expect(screen.components(separatedBy: "\n").filter { $0.hasPrefix("citygrid") } == [line], "\(screen)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == line + "\n")
        #expect(try paneModes(tmux) == "0 1 0")
        try expectUsablePrompt(tmux)
    }
}
