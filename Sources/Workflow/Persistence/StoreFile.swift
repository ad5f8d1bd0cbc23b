import Foundation
import GRDB
import GRDBSQLite
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How this process may use the database file, decided at open from the permissions it has (docs/sharing.md).
///
/// SQLite (3.40 here) creates the `-wal` and `-shm` side files whenever a connection, even one opened
/// `SQLITE_OPEN_READONLY`, finds them missing in a folder it may write, giving them the database's mode and
/// the reader as owner; a reader cannot checkpoint, so they stay, and the owner's writes then fail as
/// "read-only". Without them and without folder write access a read-only open fails altogether. So a
/// process that cannot write never lets SQLite create them: it shares the writers' side files when they
/// exist (`mode=ro&readonly_shm=1`: nothing is created, commits are seen as they happen), and otherwise reads
/// the file as it is (`immutable=1`: no side files, no locks; safe while nobody writes, and a write that
/// lands meanwhile is noticed and reported).
public enum StoreAccess: Sendable, Equatable {
    case readWrite
    /// Read-only, through the writers' `-wal` and `-shm`.
    case readOnly(ReadOnlyReason)
    /// Read-only with no side files to share: the file as it was when opened.
    case snapshot(ReadOnlyReason)

    public var readOnlyReason: ReadOnlyReason? {
        switch self {
        case .readWrite: nil
        case .readOnly(let reason), .snapshot(let reason): reason
        }
    }
}

/// Why the database is open read-only.
public enum ReadOnlyReason: Sendable, Equatable {
    /// The database file is not writable by this user (or sits on a read-only file system).
    case fileNotWritable
    /// The side files are missing and this user may not create files in the folder.
    case folderNotWritable(folder: String)
    /// A side file exists that this user may not write (another user's, not shared with the group).
    case sideFileNotWritable(file: String, owner: String)

    public var description: String {
        switch self {
        case .fileNotWritable: "the file is not writable by this user"
        case .folderNotWritable(let folder): "this user may not create the -wal and -shm files SQLite needs in \(folder)"
        case .sideFileNotWritable(let file, let owner): "\(file) belongs to \(owner) and is not writable by this user"
        }
    }

    /// The same without paths or account names, for refusals that may travel further (an Open311 client).
    public var summary: String {
        switch self {
        case .fileNotWritable: "the file is not writable by this user"
        case .folderNotWritable: "this user may not create the -wal and -shm files SQLite needs in its folder"
        case .sideFileNotWritable: "its -wal or -shm file belongs to another user and is not writable by this user"
        }
    }
}

/// Something found wrong with the database file after it was opened. Once found it stays: no write from
/// this process reaches that file again (see `CityStore.fileProblem()`).
public enum FileProblem: Sendable, Equatable {
    /// The database file, or its `-wal` or `-shm`, is gone from its path (the path of the missing file).
    case removed(String)
    /// The path now names another file (the path).
    case replaced(String)
    /// A read-only snapshot's file was written since it was opened.
    case changed(String)
    /// SQLite reported the file damaged, or a check refused it (the reason).
    case damaged(String)

    /// In the CLI's words.
    public func error(database path: String) -> WorkflowError {
        switch self {
        case .removed(let file) where file == path:
            .storage("the database file \(path) was removed since this citygrid process opened it; nothing was written; restore it or reopen the site")
        case .removed(let file):
            .storage("\(file), part of the database \(path), was removed since this citygrid process opened it, so writes would be lost; nothing was written; reopen the site")
        case .replaced(let file):
            .storage("the database file \(file) was replaced by another file since this citygrid process opened it; nothing was written; reopen the site to use the new file")
        case .changed(let file):
            .storage("\(file) was written by its owner while it was being read as a read-only snapshot; run the command again")
        case .damaged(let reason):
            .storage("\(path): \(reason); nothing more is written to it from this process")
        }
    }
}

/// A file's place on disk. A path may name another file later (`rm`, `mv` over it); the device and inode
/// tell. Size and modification time matter only for a snapshot, which a write changes.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64   // nanoseconds

    var place: FileIdentity { FileIdentity(device: device, inode: inode, size: 0, modified: 0) }

    /// The file at `path` (following a symbolic link, as SQLite does), or nil when there is none.
    static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size), modified: modified)
    }
}

/// The database file as this store opened it: how (`access`), and what it was, so that a file removed or
/// replaced under a running process is noticed before anything is written into the old one.
final class StoreFile: Sendable {
    let path: String
    let access: StoreAccess
    /// What the path named when the store opened it (set once the connection is up), with the side files.
    private let opened = Mutex<(database: FileIdentity, sides: [(path: String, identity: FileIdentity)])?>(nil)
    private let found = Mutex<FileProblem?>(nil)

    /// Files found removed, replaced or damaged by any store of this process: every front end in it refuses
    /// to write to them, not only the one that noticed. A file is known by device and inode, which the system
    /// may give to a new file once the old one is closed, so an entry lasts while a store holds the file open.
    private struct Registry {
        var open: [FileIdentity: Int] = [:]
        var refused: [FileIdentity: FileProblem] = [:]
    }
    private static let registry = Mutex(Registry())

    init(path: String, access: StoreAccess) {
        self.path = path
        self.access = access
    }

    deinit {
        guard let place = opened.withLock({ $0?.database.place }) else { return }
        Self.registry.withLock { registry in
            let left = (registry.open[place] ?? 1) - 1
            registry.open[place] = left > 0 ? left : nil
            if left <= 0 { registry.refused[place] = nil }
        }
    }

    // MARK: Deciding how to open

    /// The side files SQLite keeps next to the database, named after the file it resolved (symbolic links followed).
    static func sideFiles(of path: String) -> (wal: String, shm: String) {
        let base = realPath(path) ?? path
        return (base + "-wal", base + "-shm")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether this process (its effective user and groups) may do `mode` to `path`.
    static func allowed(_ path: String, _ mode: Int32) -> Bool {
        faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0
    }

    /// How to open an existing database: read-write when this process may write the file and its side files
    /// (or create them); read-only otherwise, sharing the side files when they exist.
    static func access(path: String) -> StoreAccess {
        let (wal, shm) = sideFiles(of: path)
        let folder = ((realPath(path) ?? path) as NSString).deletingLastPathComponent
        let walExists = FileIdentity.of(wal) != nil, shmExists = FileIdentity.of(shm) != nil
        let reason: ReadOnlyReason?
        if !allowed(path, W_OK) {
            reason = .fileNotWritable
        } else if let side = [wal, shm].first(where: { FileIdentity.of($0) != nil && !allowed($0, R_OK | W_OK) }) {
            reason = .sideFileNotWritable(file: side, owner: ownerName(side))
        } else if !(walExists && shmExists) && !allowed(folder.isEmpty ? "." : folder, W_OK | X_OK) {
            reason = .folderNotWritable(folder: folder.isEmpty ? "." : folder)
        } else {
            reason = nil
        }
        guard let reason else { return .readWrite }
        return walExists ? .readOnly(reason) : .snapshot(reason)
    }

    static func ownerName(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "another user" }
        if let entry = getpwuid(st.st_uid), let name = entry.pointee.pw_name { return "user \(String(cString: name)) (uid \(st.st_uid))" }
        return "uid \(st.st_uid)"
    }

    /// What SQLite is given to open: the path, or for read-only access a URI that forbids creating side files.
    var location: String {
        switch access {
        case .readWrite: path
        case .readOnly: Self.uri(path, query: "mode=ro&readonly_shm=1")
        case .snapshot: Self.uri(path, query: "mode=ro&immutable=1")
        }
    }

    static func uri(_ path: String, query: String) -> String {
        let absolute = realPath(path) ?? path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?" + query
    }

    /// A URI filename is only a URI when SQLite was built to read them; otherwise it names a file that does
    /// not exist, which a read-only open cannot create: refused, never harmful.
    static var sqliteReadsURIs: Bool { sqlite3_compileoption_used("USE_URI") != 0 }

    // MARK: After opening

    /// Records what the path names now, once the connection is open and SQLite has made its side files, and
    /// checks that the file SQLite holds open is that one (`SQLITE_FCNTL_HAS_MOVED` compares the inode of
    /// its open descriptor with the path's).
    func opened(by writer: any DatabaseWriter) throws(WorkflowError) {
        do {
            let moved = try writer.read { db -> Bool in
                var moved: Int32 = 0
                let code = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_HAS_MOVED, &moved)
                return code == SQLITE_OK && moved != 0
            }
            if moved { throw WorkflowError.storage("\(path) was removed or replaced while it was being opened; try again") }
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw CityStore.translate(error, path: path)
        }
        guard let database = FileIdentity.of(path) else { throw .storage("\(path) was removed while it was being opened") }
        var sides: [(path: String, identity: FileIdentity)] = []
        if case .snapshot = access {} else {
            let (wal, shm) = Self.sideFiles(of: path)
            if case .readWrite = access { Self.share(sideFiles: [wal, shm], like: path) }
            for side in [wal, shm] { if let identity = FileIdentity.of(side) { sides.append((side, identity)) } }
        }
        opened.withLock { $0 = (database, sides) }
        Self.registry.withLock { $0.open[database.place, default: 0] += 1 }
    }

    /// Side files this process made get the database's group and mode, so that every user who may write the
    /// database may write them (SQLite copies the mode, and the group only when running as root or in a
    /// setgid folder). Opened without following links: a planted link never redirects the change.
    static func share(sideFiles: [String], like path: String) {
        var db = stat()
        guard geteuid() != 0, stat(path, &db) == 0 else { return }
        for side in sideFiles {
            let fd = open(side, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid() else { continue }
            if st.st_gid != db.st_gid { _ = fchown(fd, uid_t.max, db.st_gid) }
            if (st.st_mode & 0o777) != (db.st_mode & 0o777) { _ = fchmod(fd, db.st_mode & 0o777) }
        }
    }

    /// The problem with the file, checked now (a few `stat` calls); once found it is kept.
    func problem() -> FileProblem? {
        if let known = found.withLock({ $0 }) { return known }
        guard let opened = opened.withLock({ $0 }) else { return nil }
        if let shared = Self.registry.withLock({ $0.refused[opened.database.place] }) { return remember(shared, opened.database) }
        let now = FileIdentity.of(path)
        var problem: FileProblem?
        if now == nil {
            problem = .removed(path)
        } else if now?.place != opened.database.place {
            problem = .replaced(path)
        } else if case .snapshot = access, now != opened.database {
            problem = .changed(path)
        } else {
            for side in opened.sides {
                guard let current = FileIdentity.of(side.path) else { problem = .removed(side.path); break }
                if current.place != side.identity.place { problem = .replaced(side.path); break }
            }
        }
        guard let problem else { return nil }
        return remember(problem, opened.database)
    }

    /// Marks the file refused for every store of this process.
    func refuse(_ problem: FileProblem) {
        _ = remember(problem, opened.withLock { $0?.database })
    }

    private func remember(_ problem: FileProblem, _ database: FileIdentity?) -> FileProblem {
        let kept = found.withLock { found -> FileProblem in
            if found == nil { found = problem }
            return found!
        }
        // A snapshot gone stale is this reader's affair; a removed, replaced or damaged file is everyone's.
        if let database, !kept.isChange { Self.registry.withLock { if $0.refused[database.place] == nil { $0.refused[database.place] = kept } } }
        return kept
    }
}

extension FileProblem {
    var isChange: Bool { if case .changed = self { true } else { false } }
}

/// Checks the file just before every commit, whatever the path that writes (`CityStore.write`, bulk actions,
/// imports, the demo's simulator): a file found removed or replaced rolls the transaction back.
final class CommitGuard: TransactionObserver, Sendable {
    let file: StoreFile
    let path: String

    init(file: StoreFile) {
        self.file = file
        self.path = file.path
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseWillCommit() throws {
        if let problem = file.problem() { throw problem.error(database: path) }
    }
    func databaseDidCommit(_ db: Database) {}
    func databaseDidRollback(_ db: Database) {}
}
