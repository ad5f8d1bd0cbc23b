import GRDB

/// Tells a console when anyone (another console, the CLI, an importer, the simulator, or this process)
/// has committed to the database. GRDB's observation sees only its own connection's writes, so this polls
/// `PRAGMA data_version` on one dedicated connection: it changes when another connection commits.
/// The connection opens the file the way the store did (`StoreAccess`), so a read-only console creates no
/// side files either. Whether the file is still the one opened is the store's to say (`fileProblem()`).
public final class ChangeWatcher: @unchecked Sendable {
    private let connection: DatabaseQueue
    private var last: Int64 = -1

    public init(store: CityStore) throws(WorkflowError) {
        let path = store.path ?? ":memory:"
        do {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(1)
            connection = try DatabaseQueue(path: store.file?.location ?? path, configuration: config)
            last = try connection.read { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            throw CityStore.translate(error, path: path)
        }
    }

    /// True once per change since the previous call. A busy or failing poll reports no change.
    public func changed() -> Bool {
        guard let version = try? connection.read({ db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }) else { return false }
        defer { last = version }
        return version != last
    }
}
