import Crypto
import _CryptoExtras
import Foundation

/// Operators' passwords, stored only as a memory-hard hash: scrypt (RFC 7914) from swift-crypto, with a per-operator
/// random salt and the parameters kept with the hash, so they can be raised later without invalidating old hashes.
/// Stored form: `scrypt$N$r$p$SALT$HASH` (salt and hash in base64).
public struct PasswordHash: Sendable, Equatable {
    public var rounds: Int
    public var blockSize: Int
    public var parallelism: Int
    public var salt: [UInt8]
    public var hash: [UInt8]

    /// The parameters new hashes get: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s on this project's machines;
    /// docs/security.md has the measured figure).
    public static let defaultRounds = 1 << 15
    public static let defaultBlockSize = 8
    public static let defaultParallelism = 1
    static let hashBytes = 32
    static let saltBytes = 16

    /// What a password must be: 8 to 1024 characters, no control characters.
    public static func check(_ password: String) throws(WorkflowError) {
        guard password.count >= 8 else { throw .invalidInput("a password needs at least 8 characters") }
        guard password.utf8.count <= 1024 else { throw .invalidInput("a password may have at most 1024 bytes") }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidInput("a password may not contain control characters")
        }
    }

    /// Hashes a new password with fresh salt.
    public static func make(_ password: String, rounds: Int = defaultRounds, blockSize: Int = defaultBlockSize,
                            parallelism: Int = defaultParallelism) throws(WorkflowError) -> PasswordHash {
        try check(password)
        var salt = [UInt8](repeating: 0, count: saltBytes)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let hash = try derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return PasswordHash(rounds: rounds, blockSize: blockSize, parallelism: parallelism, salt: salt, hash: hash)
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int) throws(WorkflowError) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: hashBytes,
                                               rounds: rounds, blockSize: blockSize, parallelism: parallelism)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .storage("the password hash could not be computed: \(error)")
        }
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func matches(_ password: String) -> Bool {
        guard password.utf8.count <= 1024,
              let candidate = try? Self.derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism),
              candidate.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, hash) { difference |= a ^ b }
        return difference == 0
    }

    public var stored: String {
        "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    public init(rounds: Int, blockSize: Int, parallelism: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds; self.blockSize = blockSize; self.parallelism = parallelism; self.salt = salt; self.hash = hash
    }

    /// Parses the stored form; nil for anything else (a damaged or foreign value never matches any password).
    public init?(stored: String) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt",
              let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
              n >= 2, n <= 1 << 22, n & (n - 1) == 0, (1...64).contains(r), (1...16).contains(p),
              let salt = Data(base64Encoded: String(parts[4])), salt.count >= 8,
              let hash = Data(base64Encoded: String(parts[5])), hash.count == Self.hashBytes
        else { return nil }
        self.init(rounds: n, blockSize: r, parallelism: p, salt: Array(salt), hash: Array(hash))
    }
}
