import Foundation
import Synchronization

/// What `serve-ssh` allows at once.
public struct SSHLimits: Sendable, Equatable {
    /// Sessions (consoles and commands) running at once, in all.
    public var maxSessions = 100
    /// Sessions one operator may run at once.
    public var maxSessionsPerOperator = 4
    /// Seconds without a byte from the client after which its connection is closed (0: never).
    public var idleTimeout: Double = 1800
    /// Connections at once (signed in or not), beyond which new ones are closed at once.
    public var maxConnections = 256
    /// Failed sign-ins from one address before it must wait; each failure past it doubles the wait.
    public var failuresBeforeBackoff = 5
    public var backoffBase: Double = 5
    public var backoffMax: Double = 300
    /// A sign-in attempt's requests a connection may make before it is dropped.
    public var maxAuthAttempts = 6

    public init() {}
}

/// Counts the sessions running, in all and per operator.
public final class SessionCounter: Sendable {
    private let state = Mutex<(total: Int, byOperator: [Int64: Int])>((0, [:]))
    public let limits: SSHLimits

    public init(limits: SSHLimits) { self.limits = limits }

    /// Takes a place for `operatorID`'s new session, or says why there is none.
    public func acquire(_ operatorID: Int64, login: String) -> String? {
        state.withLock { s in
            if s.total >= limits.maxSessions {
                return "the server is running its most sessions (\(limits.maxSessions)); try again later"
            }
            let mine = s.byOperator[operatorID, default: 0]
            if mine >= limits.maxSessionsPerOperator {
                return "\(login) already has \(mine) sessions open, the most one operator may have; close one first"
            }
            s.total += 1
            s.byOperator[operatorID] = mine + 1
            return nil
        }
    }

    public func release(_ operatorID: Int64) {
        state.withLock { s in
            s.total = max(0, s.total - 1)
            let left = s.byOperator[operatorID, default: 1] - 1
            s.byOperator[operatorID] = left > 0 ? left : nil
        }
    }

    public var total: Int { state.withLock { $0.total } }
    public func count(of operatorID: Int64) -> Int { state.withLock { $0.byOperator[operatorID, default: 0] } }
}

/// Failed sign-ins per client address: past `failuresBeforeBackoff` in a row, the address must wait before it is
/// heard again, twice as long after each further failure (capped). A success clears the count; so do 10 minutes
/// without a failure.
public final class AddressBackoff: Sendable {
    private struct Entry { var failures: Int; var last: Date; var until: Date? }
    private let state = Mutex<[String: Entry]>([:])
    public let limits: SSHLimits
    static let forgetAfter: TimeInterval = 600

    public init(limits: SSHLimits) { self.limits = limits }

    /// Until when `address` must wait, or nil when it may try now.
    public func blockedUntil(_ address: String, at now: Date) -> Date? {
        state.withLock { entries in
            guard let until = entries[address]?.until, until > now else { return nil }
            return until
        }
    }

    /// Records a failure; returns until when the address must now wait, if it must.
    @discardableResult
    public func failed(_ address: String, at now: Date) -> Date? {
        state.withLock { entries in
            if entries.count > 10_000 { entries = entries.filter { now.timeIntervalSince($0.value.last) < Self.forgetAfter } }
            var entry = entries[address] ?? Entry(failures: 0, last: now, until: nil)
            if now.timeIntervalSince(entry.last) > Self.forgetAfter { entry.failures = 0 }
            entry.failures += 1
            entry.last = now
            let over = entry.failures - limits.failuresBeforeBackoff
            if over >= 0 {
                let wait = min(limits.backoffMax, limits.backoffBase * pow(2, Double(min(over, 30))))
                entry.until = now.addingTimeInterval(wait)
            }
            entries[address] = entry
            return entry.until.flatMap { $0 > now ? $0 : nil }
        }
    }

    public func succeeded(_ address: String) {
        _ = state.withLock { $0.removeValue(forKey: address) }
    }
}
