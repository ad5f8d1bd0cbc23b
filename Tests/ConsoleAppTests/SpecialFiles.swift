import Foundation
import Testing

/// Special files made in a private temp folder, for the tests of "output never replaces a special file".
/// Never the real /dev/null: `mknod DIR/null c 1 3` makes a private node of the same device.
enum SpecialFiles {
    static func folder() -> String {
        let url = TestFolder.root.appendingPathComponent("citygrid-special-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A character device node of the null device (1,3) in `folder`, made by the system's `mknod` (needs root).
    static func nullDevice(in folder: String) throws -> String {
        let path = folder + "/null"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mknod")
        process.arguments = [path, "c", "1", "3"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, kind(path) == S_IFCHR else { throw CLIError(message: "mknod failed") }
        return path
    }

    static func fifo(in folder: String, name: String = "fifo") throws -> String {
        let path = folder + "/" + name
        guard mkfifo(path, 0o600) == 0 else { throw CLIError(message: "mkfifo failed: \(errno)") }
        return path
    }

    /// The file type bits of `path` itself (a link is a link), or 0 when it does not exist.
    static func kind(_ path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & S_IFMT
    }

    /// Every name in `folder`, hidden ones too.
    static func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static var isRoot: Bool { geteuid() == 0 }
}

/// Reads a FIFO on a background thread until every writer has gone. The test holds a write end of its own
/// until `finish()`, so the reader neither sees an early end before the program under test opens the FIFO nor
/// waits forever if it never does.
final class FIFOReader: @unchecked Sendable {
    private let readEnd: Int32
    private var holder: Int32
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ path: String) throws {
        readEnd = open(path, O_RDONLY | O_NONBLOCK)
        guard readEnd >= 0 else { throw CLIError(message: "cannot open the FIFO for reading") }
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) & ~O_NONBLOCK)
        holder = open(path, O_WRONLY)
        guard holder >= 0 else { throw CLIError(message: "cannot hold the FIFO open") }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
            }
            close(readEnd)
            done.signal()
        }
        thread.start()
    }

    /// Lets go of the test's write end and returns everything read.
    func finish() -> Data {
        if holder >= 0 { close(holder); holder = -1 }
        done.wait()
        return data
    }
}
