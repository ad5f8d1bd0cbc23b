import Foundation

/// Access: the site's access mode, who acts (sign-in, sessions, passwords, SSH keys), the idle lock and the audit.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol AccessStore: Sendable {
    // CityStore+Access.swift
    func accessMode() throws(WorkflowError) -> AccessMode
    func setAccessMode(_ mode: AccessMode, by admin: String?, at now: Date) throws(WorkflowError)
    func idleLockMinutes() throws(WorkflowError) -> Int
    func setIdleLockMinutes(_ minutes: Int, by admin: String?, at now: Date) throws(WorkflowError)
    /// Who the store acts as, once signed in: every write by anyone else is refused.
    var signedIn: SignedIn? { get }
    func signIn(_ who: SignedIn)
    func signOut()
    func identify(unixUser user: String) throws(WorkflowError) -> SignedIn?
    func actor(_ requested: String?) throws(WorkflowError) -> Operator
    func viewer(_ requested: String?) throws(WorkflowError) -> Operator?
    func requireAdminWhenSigned() throws(WorkflowError)
    func requireAdmin(_ requested: String?) throws(WorkflowError) -> Operator
    func operatorIsActive(_ id: Int64) throws(WorkflowError) -> Bool
    func setPassword(of login: String, to password: String?, by requested: String?, at now: Date) throws(WorkflowError)
    func lockedUntil(_ login: String, at now: Date) throws(WorkflowError) -> Date?
    func signIn(login: String, password: String, address: String, at now: Date) throws(WorkflowError) -> SignedIn
    func startSession(for who: SignedIn, at now: Date, ttl: TimeInterval) throws(WorkflowError) -> String
    func resumeSession(token: String, at now: Date) throws(WorkflowError) -> SignedIn
    func endSession(token: String) throws(WorkflowError)
    func audit(_ event: AuditEvent) throws(WorkflowError)
    func auditEvents(since: Date?, login: String?, limit: Int) throws(WorkflowError) -> [AuditEvent]
    func operatorsCanSignIn() throws(WorkflowError) -> Bool
    // CityStore+OperatorKeys.swift
    @discardableResult
    func addOperatorKey(login: String, algorithm: String, keyBase64: String, comment: String, by requested: String?, at now: Date) throws(WorkflowError) -> OperatorKey
    func operatorKeys(login: String?, by requested: String?) throws(WorkflowError) -> [OperatorKey]
    @discardableResult
    func removeOperatorKey(_ fingerprintOrID: String, by requested: String?, at now: Date) throws(WorkflowError) -> OperatorKey
    func operatorForKey(fingerprint: String, login: String) throws(WorkflowError) -> SignedIn?
    // CityStore+IdleLock.swift
    func hasPassword(_ id: Int64) throws(WorkflowError) -> Bool
}

extension CityStore: AccessStore {}
