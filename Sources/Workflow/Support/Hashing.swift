import Crypto

/// SHA-256 through swift-crypto (BoringSSL's implementation on Linux, CryptoKit on Apple platforms): api key hashes,
/// sign-in session tokens, SSH key fingerprints, import file identities and the history's hash chain. The one place
/// the code base hashes; nothing else imports Crypto for SHA-256.
public enum Hashing {
    /// The SHA-256 of `input` as 64 lowercase hex digits.
    public static func sha256Hex<Bytes: Collection<UInt8>>(_ input: Bytes) -> String {
        Hex.encode(sha256(input))
    }

    /// The SHA-256 of `input`, 32 bytes.
    public static func sha256<Bytes: Collection<UInt8>>(_ input: Bytes) -> [UInt8] {
        let digest = input.withContiguousStorageIfAvailable { Crypto.SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            ?? Crypto.SHA256.hash(data: Array(input))
        return Array(digest)
    }

    /// The SHA-256 of `input`, handed to `body` as 32 bytes without a copy (the history chain hashes every row).
    static func sha256<T>(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Crypto.SHA256.hash(data: input).withUnsafeBytes(body)
    }

    /// A SHA-256 of input given in parts (a file read in blocks).
    public struct Incremental {
        private var hasher = Crypto.SHA256()

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

        /// The hash of everything given, as 64 lowercase hex digits.
        public func finalizeHex() -> String { Hex.encode(Array(hasher.finalize())) }
    }
}

public enum Hex {
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xf)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase or uppercase hex digits as bytes; nil when the text is not an even number of hex digits.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    /// Random bytes from the system generator, as lowercase hex.
    public static func random(bytes count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
}
