import Curses
import Foundation
import Workflow

/// The console's loop: read a key (or time out), let the engine handle it, draw, present. On a timeout
/// it polls for other processes' writes, so changes appear within about a second with no key pressed.
enum ConsoleRunLoop {
    static let pollMilliseconds = 250

    /// Runs until the operator quits or the terminal closes. `afterFrame` lets the benchmark measure.
    static func run(_ engine: ConsoleEngine, on terminal: any TerminalDevice, watcher: ChangeWatcher?,
                    afterFrame: ((Key?) -> Void)? = nil) throws {
        engine.state.colorDepth = terminal.colorDepth
        resize(engine, terminal)
        terminal.present(engine.render())
        afterFrame?(nil)
        var lastSecond = Int(engine.state.now.timeIntervalSince1970)
        // Update counts the operator's (or a theme change's) requests for a full repaint; the loop remembers the last it did.
        var redrawsDone = engine.state.redrawRequested
        while true {
            let key: Key?
            do {
                key = try terminal.readKey(timeoutMilliseconds: pollMilliseconds)
            } catch TerminalError.closed {
                return   // the terminal went away: leave instead of spinning
            }
            if let key {
                if key == .resize { resize(engine, terminal) }
                guard engine.handle(key) else { return }
            } else {
                let shown = (engine.state.status, engine.state.queue.flashUntil)
                let reloaded = engine.refresh(changed: watcher?.changed() ?? false)
                if engine.state.shouldQuit { return }   // the operator was disabled
                // Idle: draw only when something on screen may have changed (data, the clock's second, a message that
                // faded, the count's flash that ended).
                let second = Int(engine.state.now.timeIntervalSince1970)
                let faded = shown.0 != engine.state.status || shown.1 != engine.state.queue.flashUntil
                if !reloaded && second == lastSecond && engine.state.redrawRequested == redrawsDone && !faded { continue }
                lastSecond = second
            }
            // Cases newly waiting on the operator: one bell, however many arrived.
            if engine.takeBell() { terminal.bell() }
            if engine.state.redrawRequested != redrawsDone {
                redrawsDone = engine.state.redrawRequested
                terminal.forceRedraw()
            }
            terminal.present(engine.render())
            afterFrame?(key)
        }
    }

    static func resize(_ engine: ConsoleEngine, _ terminal: any TerminalDevice) {
        engine.resize(width: terminal.size.cols, height: terminal.size.rows)
    }
}
