/// Whether a store may write and whether its file is still the one it opened (a database deleted, replaced or
/// made read-only under a running console). The console asks before every write.
public protocol StoreFileStatus: Sendable {
    var access: StoreAccess { get }
    func fileProblem() -> FileProblem?
}

extension CityStore: StoreFileStatus {}
