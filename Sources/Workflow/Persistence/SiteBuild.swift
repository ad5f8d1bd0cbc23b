import Foundation
import GRDB

/// Creating a site file (`init`, `seed-demo`, `demo`, the benches) is all or nothing. The new city is built in
/// a temporary file beside the target, `.NAME.seeding-PID`, finished there (WAL mode, checkpointed, closed, no
/// `-wal`/`-shm` left, synced) and only then renamed over the target. Whatever happens before the rename (an
/// error, Ctrl-C, kill -9, a full disk) leaves the target as it was: missing, or the complete previous city with
/// its `-wal`/`-shm`. A temporary file is never at the target's path, so it is never taken for a site; those of
/// dead processes are removed by the next build in the same folder.
///
/// The target follows `OutputTarget`'s rule: a link is followed (the link stays), a folder or an existing file
/// that is not a regular file (a device, FIFO or socket) is refused; nothing is ever renamed over one.
public enum SiteBuild {
    /// The marker in a temporary file's name: `.NAME.seeding-PID`.
    public static let marker = ".seeding-"

    /// The file a build replaces: `path` at the end of its links. Refuses a folder, a special file and, without
    /// `replace`, an existing file.
    public static func target(_ path: String, replace: Bool) throws(WorkflowError) -> String {
        let resolved = path == "-" ? OutputTarget.file(path) : try OutputTarget.resolve(path)
        switch resolved {
        case .standardOutput:
            return path
        case .folder:
            throw .invalidInput("\(path) is a folder, not a database file")
        case .special(let special):
            throw .invalidInput("\(path) is \(special == path ? "" : "a link to ")a device, FIFO or socket, not a database file; it is never replaced")
        case .file(let final):
            if FileManager.default.fileExists(atPath: final) && !replace {
                throw .refusal(.targetExists(path: path))
            }
            return final
        }
    }

    /// Builds a site with `make`, which gets the temporary file's path and returns the store it made there and
    /// its result; the store is finished, closed and renamed over the target. With `replace: false` an existing
    /// target is refused before anything is built.
    public static func build<T>(at path: String, replace: Bool,
                                _ make: (String) throws(WorkflowError) -> (CityStore, T)) throws(WorkflowError) -> T {
        let final = try target(path, replace: replace)
        try refuseIfOpenElsewhere(final, path: path)       // before the work; and again before the rename
        try CityStore.makeFolder(for: final)
        removeStale(beside: final)
        let temporary = temporaryPath(for: final)
        removeWithSideFiles(temporary)
        do throws(WorkflowError) {
            let (store, result) = try make(temporary)
            try store.closeForRename()
            try finish(temporary)
            // Checked again at the last moment: never rename over something that became a special file.
            _ = try target(final, replace: true)
            try refuseIfOpenElsewhere(final, path: path)
            try foldWAL(of: final)
            keepOwnerAndMode(of: final, on: temporary)
            guard rename(temporary, final) == 0 else {
                throw .storage("cannot move the new site into \(path): \(String(cString: strerror(errno)))")
            }
            // The old city's side files belong to the file just replaced; its WAL was folded in and emptied above.
            for suffix in ["-wal", "-shm", "-journal"] { unlink(final + suffix) }
            syncFolder(of: final)
            return result
        } catch {
            removeWithSideFiles(temporary)
            throw error
        }
    }

    /// `.NAME.seeding-PID` beside `final`.
    public static func temporaryPath(for final: String, pid: Int32 = getpid()) -> String {
        let folder = (final as NSString).deletingLastPathComponent
        let name = (final as NSString).lastPathComponent
        return (folder.isEmpty ? "" : folder + "/") + "." + name + marker + String(pid)
    }

    /// Removes the temporary files (and their side files) that builds of `final` by processes no longer alive
    /// left behind.
    public static func removeStale(beside final: String) {
        let folder = (final as NSString).deletingLastPathComponent
        let prefix = "." + (final as NSString).lastPathComponent + marker
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            var rest = name.dropFirst(prefix.count)
            for suffix in ["-wal", "-shm", "-journal"] where rest.hasSuffix(suffix) { rest = rest.dropLast(suffix.count) }
            guard let pid = Int32(rest), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }       // still running: its build, not ours
            unlink((folder.isEmpty ? "" : folder + "/") + name)
        }
    }

    static func removeWithSideFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    /// The closed temporary file: no side files may be left (SQLite removes them when the last connection of a
    /// WAL database closes after a full checkpoint), and its bytes are synced before the rename publishes them.
    static func finish(_ temporary: String) throws(WorkflowError) {
        for suffix in ["-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: temporary + suffix) {
            var info = stat()
            if suffix == "-wal", stat(temporary + suffix, &info) == 0, info.st_size > 0 {
                throw .storage("the new site was not fully checkpointed (\(temporary)-wal is not empty)")
            }
            unlink(temporary + suffix)
        }
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .storage("cannot open \(temporary): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .storage("cannot sync \(temporary): \(String(cString: strerror(errno)))") }
    }

    /// Whether another process has the WAL database `final` open: every open connection holds a shared lock on
    /// the "dead man switch" byte of its `-shm` (SQLite's unix VFS: offset 128), which F_GETLK sees without
    /// taking anything. Replacing a city under a running console would lose its writes into the old file, and its
    /// last close would remove the new city's `-wal` by name.
    static func refuseIfOpenElsewhere(_ final: String, path: String) throws(WorkflowError) {
        if isOpenElsewhere(final) {
            throw .storage("\(path) is open in another process (a console or the Open311 service); close it and try again (it was not replaced)")
        }
    }

    /// (The descriptor is closed again, which would drop this process's own locks on the `-shm`: a build never
    /// runs while this process has the old city open.)
    static func isOpenElsewhere(_ final: String) -> Bool {
        let fd = open(final + "-shm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 128
        lock.l_len = 1
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }

    /// Folds the old city's WAL into its file and empties it, so that a crash between the rename and the removal
    /// of the old `-wal` leaves nothing SQLite would replay onto the new file. The old city's content is the same
    /// before and after. Refused when another process keeps the old city busy.
    static func foldWAL(of final: String) throws(WorkflowError) {
        var info = stat()
        guard stat(final + "-wal", &info) == 0, info.st_size > 0 else { return }
        do {
            var config = Configuration()
            config.busyMode = .timeout(CityStore.busyTimeout)
            let queue = try DatabaseQueue(path: final, configuration: config)
            let row = try queue.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
            if let busy: Int = row?[0], busy != 0 {
                throw WorkflowError.storage("\(final) is in use by another process; close its consoles and try again (it was not replaced)")
            }
        } catch let error as WorkflowError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return      // not a database (being replaced with --force): its side files mean nothing to SQLite either
        } catch {
            throw .storage("cannot replace \(final): the old file's WAL cannot be checkpointed: \(error)")
        }
    }

    /// A replaced site keeps its owner, group (when this process may set them) and mode, so a site shared
    /// between accounts through its group stays shared.
    static func keepOwnerAndMode(of final: String, on temporary: String) {
        var old = stat()
        guard stat(final, &old) == 0 else { return }
        if old.st_uid != geteuid() || old.st_gid != getegid() { _ = chown(temporary, old.st_uid, old.st_gid) }
        _ = chmod(temporary, old.st_mode & 0o7777)
    }

    static func syncFolder(of final: String) {
        let folder = (final as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }
}

extension CityStore {
    /// Ends every connection, checkpointing a WAL database into its file (the last connection's close removes
    /// `-wal` and `-shm`). The store cannot be used afterwards.
    func closeForRename() throws(WorkflowError) {
        do {
            try writer.writeWithoutTransaction { db in
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" {
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            }
            try writer.close()
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }
}
