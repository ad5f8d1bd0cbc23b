import Foundation
import Synchronization

/// A refusal in the spec's error list: `[{code, description}]` with the HTTP status as `code`.
public struct Open311Error: Error, Sendable, Equatable {
    public var status: Int
    public var description: String
    public var retryAfterSeconds: Int?
    public init(_ status: Int, _ description: String, retryAfterSeconds: Int? = nil) {
        self.status = status; self.description = description; self.retryAfterSeconds = retryAfterSeconds
    }
}

/// Decoded request fields: form-encoded (as the spec posts them), JSON objects of scalars, or query strings.
/// Every byte sequence is checked: bad percent escapes, invalid UTF-8 and non-object JSON are refused.
enum Fields {
    static let maxFields = 100

    /// `a=1&b=x+y%20z`. Invalid escapes or UTF-8 are a 400 naming the problem, not the bytes.
    static func form(_ bytes: some Collection<UInt8>) throws(Open311Error) -> [String: String] {
        var result: [String: String] = [:]
        var count = 0
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            count += 1
            guard count <= maxFields else { throw Open311Error(400, "too many fields (the limit is \(maxFields))") }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], what: "a field name")
            let value = parts.count > 1 ? try decode(parts[1], what: "field \(Echo.safe(name))") : ""
            result[name] = value
        }
        return result
    }

    static func decode(_ bytes: some Collection<UInt8>, what: String) throws(Open311Error) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let b = iterator.next() {
            switch b {
            case UInt8(ascii: "+"): out.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = iterator.next().flatMap(hexValue), let l = iterator.next().flatMap(hexValue) else {
                    throw Open311Error(400, "\(what) has a malformed percent escape")
                }
                out.append(h << 4 | l)
            default: out.append(b)
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw Open311Error(400, "\(what) is not valid UTF-8") }
        return text
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// A JSON object whose values are strings, numbers, booleans or null (null means absent).
    static func json(_ bytes: [UInt8]) throws(Open311Error) -> [String: String] {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw Open311Error(400, "the JSON body is not valid UTF-8") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes), options: []) } catch {
            throw Open311Error(400, "the JSON body is malformed")
        }
        guard let dictionary = object as? [String: Any] else { throw Open311Error(400, "the JSON body must be an object of fields") }
        guard dictionary.count <= maxFields else { throw Open311Error(400, "too many fields (the limit is \(maxFields))") }
        var result: [String: String] = [:]
        for (name, value) in dictionary {
            switch value {
            case let s as String: result[name] = s
            case is NSNull: continue
            case let n as NSNumber:
                result[name] = n.stringValue
            default: throw Open311Error(400, "field \(Echo.safe(name)) must be a string or a number")
            }
        }
        return result
    }
}

/// Token buckets: one for the whole service, one per api key for posts. A bucket holds `burst` tokens and
/// gains `perSecond` a second; a request that finds it empty gets 429 with Retry-After.
final class RateLimiter: Sendable {
    struct Bucket { var tokens: Double; var at: Double }
    private let state = Mutex<[String: Bucket]>([:])
    let burst: Double
    let perSecond: Double

    init(burst: Double, perSecond: Double) { self.burst = burst; self.perSecond = perSecond }

    /// Takes a token from `key`'s bucket; returns the seconds to wait when there is none.
    func take(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Int? {
        state.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, at: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.at) * perSecond)
            bucket.at = now
            if buckets.count > 10_000 { buckets.removeAll() }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            return max(1, Int(((1 - bucket.tokens) / max(perSecond, 0.001)).rounded(.up)))
        }
    }

    /// Takes `tokens` more from `key`'s bucket for a request that cost more than one (a long listing), into
    /// debt down to minus one burst: the client waits it out before its next request.
    func charge(_ key: String, _ tokens: Double, now: Double = ProcessInfo.processInfo.systemUptime) {
        guard tokens > 0 else { return }
        state.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, at: now)
            bucket.tokens = max(-burst, min(burst, bucket.tokens + max(0, now - bucket.at) * perSecond) - tokens)
            bucket.at = now
            buckets[key] = bucket
        }
    }
}
