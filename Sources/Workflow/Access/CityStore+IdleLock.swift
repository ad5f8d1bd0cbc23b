import GRDB

/// What a console's idle lock needs to know of its operator.
extension CityStore {
    /// Whether operator `id` has a password: a console signed in some other way (a bound Unix account, an SSH key)
    /// can be resumed from its idle lock only with one.
    public func hasPassword(_ id: Int64) throws(WorkflowError) -> Bool {
        try read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM operator WHERE id = ?", arguments: [id]) != nil
        }
    }
}
