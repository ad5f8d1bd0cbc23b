import Foundation

/// A message as the log keeps it: when it was said, and what.
struct LoggedMessage: Sendable, Equatable {
    var at: Date
    var text: String
    var kind: StatusMessage.Kind
}

/// Messages beside the counters fade after a few seconds and are kept in a log the operator opens with a key
/// (`UIAction.messageLog`). Pure: the time comes from the state (`uptime`, set by the `.tick` message and by keys).
enum MessageLog {
    /// Seconds a message stays: errors a little longer, they ask for something.
    static func lifetime(_ kind: StatusMessage.Kind) -> TimeInterval { kind == .error ? 10 : 5 }
    static let capacity = 200

    /// A message was set: logged (a repeat of the last one only restarts its time) and timed from now.
    static func record(_ message: StatusMessage?, in log: inout [LoggedMessage], since: inout TimeInterval, at now: Date, uptime: TimeInterval) {
        guard let message else { return }
        since = uptime
        if let last = log.last, last.text == message.text, last.kind == message.kind { return }
        log.append(LoggedMessage(at: now, text: message.text, kind: message.kind))
        if log.count > capacity { log.removeFirst(log.count - capacity) }
    }

    /// Time passed (a tick or a key): a message older than its lifetime goes; the count's flash ends.
    static func tick(_ uptime: TimeInterval, _ s: inout ConsoleState) {
        s.uptime = uptime
        if let message = s.status, uptime - s.statusSince >= lifetime(message.kind) { s.status = nil }
        if let until = s.queue.flashUntil, uptime >= until { s.queue.flashUntil = nil }
    }

    /// The log as the overlay shows it: newest first, each with its time of day in the site's zone.
    static func lines(_ s: ConsoleState) -> [String] {
        guard !s.messageLog.isEmpty else { return [s.lang.t("（还没有消息）", "(no messages yet)")] }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = s.timeZone
        f.dateFormat = "HH:mm:ss"
        return s.messageLog.reversed().map { m in
            let mark = m.kind == .error ? "✗" : m.kind == .ok ? "✓" : "·"
            return "\(f.string(from: m.at)) \(mark) \(m.text)"
        }
    }

    static func open(_ s: inout ConsoleState) {
        s.overlay = .document(title: s.lang.t(" 消息记录 · 最新在上 ", " Messages · newest first "), lines: lines(s), scroll: 0)
    }
}
