import ArgumentParser
import Curses
import Foundation
import Workflow

/// Measures the console in a real terminal (run it inside tmux): time to the first full frame, key to
/// finished frame, bytes written per frame and while idle, resident memory. Keys are scripted, the
/// terminal and the database are real; the figures go to --out because the screen is busy.
struct ConsoleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-console", abstract: "Measure the console's frames in a real terminal.",
                                                    shouldDisplay: false)

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("as"), help: "Operator.") var actor = "city-dispatcher-1"
    @Option(help: "Scripted keys to time.") var keys = 400
    @Option(help: "Where to write the results (JSON).") var out: String

    func run() throws {
        try guarded {
            let started = DispatchTime.now().uptimeNanoseconds
            let db = try store.open().console
            let opened = Self.ms(since: started)
            let viewer = try db.findOperator(actor)
            let engine = ConsoleEngine(store: db, viewer: viewer, lang: .zh, theme: .default, themeName: "default", clock: { Date() })
            var result = ConsoleBenchResult()
            try Terminal.run { terminal in
                engine.state.colorDepth = terminal.colorDepth
                ConsoleRunLoop.resize(engine, terminal)
                let t0 = DispatchTime.now().uptimeNanoseconds
                try engine.start()
                result.phases = ["open": opened, "start": Self.ms(since: t0)]
                terminal.resetBytesWritten()
                terminal.present(engine.render())
                result.firstFrameMilliseconds = Self.ms(since: started)
                result.firstFrameBytes = terminal.bytesWritten
                result.size = "\(terminal.size.cols)x\(terminal.size.rows)"
                // The first idle moment, as after any start: the at-risk flags arrive (not worth delaying the first frame for).
                let t1 = DispatchTime.now().uptimeNanoseconds
                if engine.refresh(changed: false) { terminal.present(engine.render()) }
                result.phases["flags"] = Self.ms(since: t1)
                // A working pattern: down the queue, into a case, across panes, over the map, back.
                let script: [Key] = [.down, .down, .down, .pageDown, .down, .up, .enter, .tab, .right, .right, .down, .left,
                                     .tab, .character("1"), .down, .character("g"), .character("2"), .up, .character("1")]
                var samples: [Double] = []
                var bytes: [UInt64] = []
                for i in 0..<keys {
                    let key = script[i % script.count]
                    terminal.resetBytesWritten()
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    engine.handle(key)
                    terminal.present(engine.render())
                    samples.append(Self.ms(since: t0))
                    bytes.append(terminal.bytesWritten)
                }
                samples.sort()
                result.keys = keys
                result.keyToFrameP50 = samples[samples.count / 2]
                result.keyToFrameP99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
                result.keyToFrameMax = samples.last ?? 0
                result.bytesPerFrameMean = Double(bytes.reduce(0, +)) / Double(max(1, bytes.count))
                // Idle: twenty poll ticks with nothing changed, as the run loop does them.
                terminal.resetBytesWritten()
                var idleFrames = 0
                var lastSecond = Int(Date().timeIntervalSince1970)
                for _ in 0..<20 {
                    Thread.sleep(forTimeInterval: Double(ConsoleRunLoop.pollMilliseconds) / 1000)
                    let reloaded = engine.refresh(changed: false)
                    let second = Int(engine.state.now.timeIntervalSince1970)
                    if reloaded || second != lastSecond {
                        lastSecond = second
                        terminal.present(engine.render())
                        idleFrames += 1
                    }
                }
                result.idleSeconds = 20 * Double(ConsoleRunLoop.pollMilliseconds) / 1000
                result.idleBytes = terminal.bytesWritten
                result.idleFrames = idleFrames
                result.residentMiB = Self.residentMiB()
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data: Data
            do { data = try encoder.encode(result) } catch { throw WorkflowError.storage("cannot encode the results: \(error)") }
            let file = try OutputFile(path: out)
            try file.write(Array(data))
            try file.commit()
        }
    }

    static func ms(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

struct ConsoleBenchResult: Encodable {
    var size = ""
    var phases: [String: Double] = [:]
    var firstFrameMilliseconds = 0.0
    var firstFrameBytes: UInt64 = 0
    var keys = 0
    var keyToFrameP50 = 0.0
    var keyToFrameP99 = 0.0
    var keyToFrameMax = 0.0
    var bytesPerFrameMean = 0.0
    var idleSeconds = 0.0
    var idleFrames = 0
    var idleBytes: UInt64 = 0
    var residentMiB = 0.0
}
