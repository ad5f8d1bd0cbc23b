import Crypto
import Foundation
import NIOSSH
import Workflow

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's Ed25519 host key: made on first start, kept in a file only its owner can read.
///
/// The file holds one line, `citygrid-ed25519-host-key BASE64`, the key's 32 private bytes. It is created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW` and mode 0600, so an existing file (or a link planted in its place) is never written
/// through; an existing file is used only when it is a regular file owned by this user and not readable by group or
/// others (as OpenSSH refuses a private key with loose permissions).
public struct HostKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey
    /// Whether this start made the key.
    public let created: Bool

    static let tag = "citygrid-ed25519-host-key"

    public var sshKey: NIOSSHPrivateKey { NIOSSHPrivateKey(ed25519Key: privateKey) }

    /// `SHA256:…`, as `ssh-keygen -lf` and the client's first-connection prompt show it.
    public var fingerprint: String { PublicKeyLine.fingerprint(of: sshKey.publicKey) }

    /// The public half as an OpenSSH line (for a `known_hosts` file).
    public var publicLine: String { String(openSSHPublicKey: sshKey.publicKey) }

    /// Loads the key at `path`, making it first when there is no file there.
    public static func loadOrCreate(path: String) throws(WorkflowError) -> HostKey {
        var info = stat()
        if lstat(path, &info) == 0 { return try load(path: path) }
        guard errno == ENOENT else { throw .storage("cannot read host key \(path): \(String(cString: strerror(errno)))") }
        let key = Curve25519.Signing.PrivateKey()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            // Someone made it between the look and the create: read theirs under the same checks.
            if errno == EEXIST { return try load(path: path) }
            throw .storage("cannot create host key \(path): \(String(cString: strerror(errno)))")
        }
        let text = "\(tag) \(key.rawRepresentation.base64EncodedString())\n"
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        let synced = fsync(fd)
        close(fd)
        guard written == text.utf8.count, synced == 0 else {
            unlink(path)
            throw .storage("cannot write host key \(path)")
        }
        return HostKey(privateKey: key, created: true)
    }

    /// Loads an existing key, refusing a file that is not a regular file of ours, or that others can read.
    public static func load(path: String) throws(WorkflowError) -> HostKey {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ELOOP { throw .forbidden("host key \(path) is a symbolic link: give the key file itself") }
            throw .storage("cannot open host key \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .storage("cannot read host key \(path)") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .forbidden("host key \(path) is not a regular file") }
        guard info.st_uid == geteuid() else {
            throw .forbidden("host key \(path) belongs to user \(info.st_uid), not to this server's user \(geteuid())")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .forbidden("host key \(path) may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it, or remove it to make a new one")
        }
        var bytes = [UInt8](repeating: 0, count: 512)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0, count < bytes.count,
              let text = String(bytes: bytes[0..<count], encoding: .utf8) else { throw .invalidInput("host key \(path) is not a citygrid host key") }
        let parts = text.split(whereSeparator: \.isWhitespace)
        guard parts.count == 2, parts[0] == tag, let raw = Data(base64Encoded: String(parts[1])),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw .invalidInput("host key \(path) is not a citygrid host key (damaged?)")
        }
        return HostKey(privateKey: key, created: false)
    }
}
