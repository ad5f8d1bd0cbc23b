import CityGridDemo
import Foundation
import Synchronization
import Workflow

/// What the live simulator did last, as the console's status line words it (`Language.note`).
enum SimulatorNote: Sendable, Equatable {
    /// A step of the simulated city: a new report or a case moved on.
    case event(SimulatorEvent)
    /// Cases gone up to the city by the automatic escalation.
    case autoEscalated(Int)
    /// The simulator could not start on this database.
    case unavailable
}

/// Runs the demo's live simulator on its own thread: every few seconds it files new reports and moves
/// some cases on, as the city's other operators would. The console sees the writes like any other
/// process's, through its change watcher. It never acts as the operator at the console.
final class SimulatorThread: Sendable {
    private let store: CityStore
    private let seed: UInt64
    private let excluded = Mutex<Int64?>(nil)
    private let note = Mutex<SimulatorNote?>(nil)
    private let running = Mutex(false)
    private let done = DispatchSemaphore(value: 0)
    /// The session's clock, as the console's (`CITYGRID_NOW` pins both).
    private let clock: any WallClock
    let interval: TimeInterval

    init(store: CityStore, seed: UInt64, clock: any WallClock, interval: TimeInterval = 3) throws(WorkflowError) {
        self.store = store
        self.seed = seed
        self.clock = clock
        self.interval = interval
    }

    var lastNote: SimulatorNote? { note.withLock { $0 } }

    func setExcluded(_ id: Int64?) { excluded.withLock { $0 = id } }

    func start(excluding id: Int64?) {
        setExcluded(id)
        running.withLock { $0 = true }
        let thread = Thread { [self] in loop() }
        thread.name = "citygrid-simulator"
        thread.start()
    }

    func stop() {
        let wasRunning = running.withLock { value -> Bool in
            defer { value = false }
            return value
        }
        if wasRunning { _ = done.wait(timeout: .now() + 5) }
    }

    private func loop() {
        defer { done.signal() }
        guard var simulator = try? DemoSimulator(store: store, seed: seed) else {
            note.withLock { $0 = .unavailable }
            return
        }
        if store.access == .readWrite, store.fileProblem() == nil {
            simulator.walkRecentPatrols(at: clock.now())
            simulator.followUpRecentCloses(at: clock.now())
        }
        while running.withLock({ $0 }) {
            // Sleep in short steps so quitting is prompt.
            var slept = 0.0
            while slept < interval, running.withLock({ $0 }) {
                Thread.sleep(forTimeInterval: 0.1)
                slept += 0.1
            }
            guard running.withLock({ $0 }) else { break }
            // Like every front end, the simulator stops writing once the file is read-only or no longer the one opened.
            guard store.access == .readWrite, store.fileProblem() == nil else {
                note.withLock { $0 = nil }
                break
            }
            let now = clock.now()
            let events = simulator.tick(at: now, excluding: excluded.withLock { $0 })
            if let last = events.last { note.withLock { $0 = .event(last) } }
            // As a site's cron job would: cases overdue past the threshold go up to the city.
            if let escalated = try? store.autoEscalate(at: now), !escalated.isEmpty {
                note.withLock { $0 = .autoEscalated(escalated.count) }
            }
        }
    }
}
