import Foundation
import NIOSSH
import Workflow

/// An OpenSSH public key line (`~/.ssh/id_ed25519.pub`: `ALGORITHM BASE64 [COMMENT]`), checked by parsing it as
/// swift-nio-ssh does when the key signs in, so a key that is accepted here is one the server can verify.
public struct PublicKeyLine: Sendable, Equatable {
    public var algorithm: String
    public var keyBase64: String
    public var comment: String

    /// Parses the first key line of `text` (blank lines and `#` comments are skipped).
    public static func parse(_ text: String) throws(WorkflowError) -> PublicKeyLine {
        guard !text.utf8.contains(0) else { throw .invalidInput("the key contains a NUL character: not an OpenSSH public key") }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        if text.contains("PRIVATE KEY-----") { throw .invalidInput("this is a private key: give the public one (the .pub file)") }
        guard let line = lines.first else { throw .invalidInput("no public key given (expected a line like: ssh-ed25519 AAAA… comment)") }
        guard lines.count == 1 else { throw .invalidInput("give one public key at a time (\(lines.count) key lines found)") }
        let fields = line.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count >= 2 else { throw .invalidInput("not an OpenSSH public key line (expected: ALGORITHM BASE64 [COMMENT])") }
        let algorithm = fields[0]
        guard OperatorKey.algorithms.contains(algorithm) else {
            let shown = algorithm.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F } && algorithm.count <= 64
                ? algorithm : "this"
            throw .invalidInput("\(shown) keys cannot be used: serve-ssh accepts \(OperatorKey.algorithms.joined(separator: ", ")) keys (ssh-keygen -t ed25519 makes one)")
        }
        do {
            _ = try NIOSSHPublicKey(openSSHPublicKey: "\(algorithm) \(fields[1])")
        } catch {
            throw .invalidInput("not a valid \(algorithm) public key: \(error)")
        }
        return PublicKeyLine(algorithm: algorithm, keyBase64: fields[1], comment: OperatorKey.cleanComment(fields.count > 2 ? fields[2] : ""))
    }

    /// `SHA256:…` of a key as the client offered it: the same text `operator key add` stored.
    public static func fingerprint(of key: NIOSSHPublicKey) -> String {
        let line = String(openSSHPublicKey: key)
        let base64 = line.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        return OperatorKey.fingerprint(keyBase64: base64) ?? "SHA256:?"
    }
}
