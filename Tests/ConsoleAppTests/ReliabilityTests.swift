import Foundation
import Testing

/// The quick part of the reliability suite (the long runs are scripts/reliability/*.sh; docs/reliability.md has
/// their figures): random keys and resizes against the real console, and concurrent writers.
@Suite(.serialized)
struct ReliabilityTests {

    /// SplitMix64: the same keys on every run, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
    }

    // MARK: Monkey

    /// tmux key names and literal text; never q (it quits at once) nor Ctrl-C/Ctrl-Q (they ask to quit a form).
    static let namedKeys = ["Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End", "Tab", "BTab", "Enter",
                            "Escape", "BSpace", "DC", "IC", "F1", "F2", "F3", "F4", "F5", "F10", "F12", "C-l", "C-u", "C-a",
                            "C-e", "C-f", "C-b", "C-z", "C-s", "C-\\", "M-x", "S-Up", "C-Right"]
    static let viewKeys = "jkhlgG123/socr> bniuxmw[]v*e+-?AVYNFJDEHTXSOZMCPBLKWUR".map(String.init)
    static let commands = ["case 17", "filter overdue", "filter state filed", "filter district 110101", "filter 看一下",
                           "filter clear", "sort due desc", "theme light", "theme mono", "lang zh", "lang en", "measure overdue",
                           "measure category event 0102", "board district", "as city-lead-1", "roles", "help", "inbox",
                           "handover", "undo", "dispatch 17 SANIT", "request-extension 17 inf", "merge 17 17", "nonsense 1",
                           "case 99999999999999999999", "export monkey.csv"]
    static let text = ["abc", "看一下 垃圾满溢", "e\u{301}", "😀", "\u{202E}rtl", "x y z", "12345", "\u{1B}]0;t\u{07}"]

    static func keys(_ r: inout Random) -> [String] {
        let x = r.int(0...99)
        switch x {
        case 0..<30: return [r.pick(viewKeys)]
        case 30..<55: return [r.pick(namedKeys)]
        case 55..<62: return Array(repeating: r.pick(["Escape", "Enter"]), count: r.int(3...15))
        case 62..<77: return [":", r.pick(commands), r.pick(["Enter", "Enter", "Escape", "Tab"])]
        case 77..<90: return [r.pick(["n", "x", "Enter", "F", "D", "V"]), r.pick(text), "Tab", r.pick(text), r.pick(["Enter", "Escape"])]
        default: return [r.pick(text)]
        }
    }

    /// 2,000 random keys and 20 random resizes from 10x3 to 250x80: the console never exits until told to,
    /// answers after the storm, quits with status 0 and leaves the terminal in canonical mode with echo.
    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func theConsoleSurvivesRandomKeysAndResizes() throws {
        let db = try CLI.demoCopy()
        let home = URL(fileURLWithPath: db).deletingLastPathComponent().path
        let command = "cd \(home) && " + ConsoleEndToEndTests.consoleCommand(db, as: "city-dispatcher-1")
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        try tmux.waitFor("Queue: mine")
        var random = Random(state: 13)
        var sent = 0, chunk: [String] = [], resizes = 0
        while sent < 2_000 {
            let keys = Self.keys(&random)
            chunk += keys
            sent += keys.count
            if chunk.count >= 40 || sent >= 2_000 {
                _ = try TmuxSession.spawn(["/usr/bin/tmux", "-S", tmux.socket, "send-keys", "-t", tmux.name] + chunk)
                chunk = []
                if resizes < 20 && random.chance(0.45) {
                    try tmux.resize(width: random.int(10...250), height: random.int(3...80))
                    resizes += 1
                }
                let screen = try tmux.screen()
                #expect(!screen.contains("EXITED"), "the console ended after \(sent) keys:\n\(screen)")
                if screen.contains("EXITED") { return }
            }
        }
        try tmux.resize(width: 100, height: 30)
        for _ in 0..<3 { try tmux.send("Escape") }
        // Still drawing: the header comes back once the keys are worked through.
        try tmux.waitFor("the console after the storm", seconds: 60) { $0.contains("CityGrid") && !$0.contains("EXITED") }
        try tmux.send("q")
        let after = try tmux.waitFor("EXITED", seconds: 60)
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon") && !after.contains("-icanon"), "canonical mode restored")
        #expect(after.contains("echo") && !after.contains("-echo"), "echo restored")
        #expect(try TmuxSession.spawnOutput(["/usr/bin/sqlite3", db, "PRAGMA integrity_check"])?.contains("ok") == true)
    }
}
