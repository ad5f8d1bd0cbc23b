import Foundation

/// Where tests put their files: one private folder per test process and module, removed when the process exits, so
/// a run leaves nothing behind on the shared machine (a run once left 74 GB of databases in /tmp). Folders of earlier
/// runs whose process died before it could remove them are removed at the next start. Shared by every test target
/// (this file is linked into each).
enum TestFolder {
    static let prefix = "citygrid-test-run-"

    /// The folder, made on first use (mode 0755: tests that run the binary as another user make their own folders
    /// below it enterable).
    static let root: URL = {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        removeOrphans(in: base.path)
        let url = base.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            fatalError("cannot create the tests' folder \(url.path): \(error)")
        }
        roots.append(strdup(url.path))
        if roots.count == 1 { atexit { TestFolder.removeRoots() } }
        return url
    }()

    /// The roots made by this process, as C strings, for the exit handler (which can capture nothing).
    nonisolated(unsafe) static var roots: [UnsafeMutablePointer<CChar>?] = []

    static func removeRoots() {
        for case let path? in roots { try? FileManager.default.removeItem(atPath: String(cString: path)) }
    }

    /// Removes `citygrid-test-run-PID-…` folders whose process is gone.
    static func removeOrphans(in base: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = rest.split(separator: "-").first.flatMap({ pid_t($0) }), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(name))
            }
        }
    }
}
