import Foundation
import GRDB

/// Who is acting (docs/security.md). On an `open` site any caller names any operator; on a `signed` site the front end
/// signs the process in (a bound Unix account, a password, a session a server started) and every actor the store
/// resolves must be that operator. This is the one place the rule is checked: the CLI, the console, the SSH exec path
/// and bulk actions all reach a write through `actingOperator`.
extension CityStore {

    // MARK: Access mode

    public func accessMode() throws(WorkflowError) -> AccessMode { try read { db in try Self.accessMode(db) } }

    static func accessMode(_ db: Database) throws -> AccessMode {
        guard try db.tableExists("signin_session") else { return .open }
        let text = try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = 'access'")
        // A missing or unknown value is read as `signed`: a damaged setting never opens a site.
        return text.flatMap(AccessMode.init(rawValue:)) ?? .signed
    }

    /// Sets the access mode; `by` must be an admin. Recorded in the audit.
    public func setAccessMode(_ mode: AccessMode, by admin: String?, at now: Date) throws(WorkflowError) {
        try write { db in
            let actor = try self.actingAdmin(db, admin)
            let before = try Self.accessMode(db)
            if mode == .signed, !(try Self.adminCanSignIn(db)) {
                throw WorkflowError.wrongState("no enabled admin can sign in (bind one to a Unix account, or give one a password or SSH key): a signed site would lock everyone out")
            }
            try db.execute(sql: "INSERT INTO site(key, value) VALUES ('access', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [mode.rawValue])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .accessChanged, login: actor.login, via: actor.identifiedBy?.text,
                                                detail: "\(before.rawValue) → \(mode.rawValue)"))
        }
    }

    /// Minutes of no keys after which a console locks to its sign-in screen (`session.idle_lock_minutes`, default 15;
    /// 0 turns the lock off).
    public func idleLockMinutes() throws(WorkflowError) -> Int {
        try read { db in
            Int(try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = 'session.idle_lock_minutes'") ?? "") ?? 15
        }
    }

    public func setIdleLockMinutes(_ minutes: Int, by admin: String?, at now: Date) throws(WorkflowError) {
        guard (0...1440).contains(minutes) else { throw .invalidInput("idle lock minutes must be 0 (off) to 1440, not \(minutes)") }
        try write { db in
            let actor = try self.actingAdmin(db, admin)
            try db.execute(sql: """
                INSERT INTO site(key, value) VALUES ('session.idle_lock_minutes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [String(minutes)])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: actor.login, via: actor.identifiedBy?.text,
                                                detail: "session.idle_lock_minutes = \(minutes)"))
        }
    }

    // MARK: Signed in

    /// The operator this store acts as, once signed in.
    public var signedIn: SignedIn? { signedInState.withLock { $0 } }

    /// Makes `who` the operator every action of this store is done as (checked again at every write: a disabled
    /// operator is refused from the next action on).
    public func signIn(_ who: SignedIn) { signedInState.withLock { $0 = who } }

    public func signOut() { signedInState.withLock { $0 = nil } }

    /// The operator bound to Unix account `user`, as signed in by it; nil when no operator is bound to it.
    /// A disabled one is refused.
    public func identify(unixUser user: String) throws(WorkflowError) -> SignedIn? {
        try read { db in
            guard try db.tableExists("signin_session"),
                  let record = try OperatorRecord.filter(OperatorRecord.Columns.unixUser == user).fetchOne(db) else { return nil }
            let op = try record.operatorValue()
            if op.disabled { throw WorkflowError.forbidden("operator \(op.login) (Unix account \(user)) is disabled") }
            return SignedIn(operatorID: op.id, login: op.login, via: .unix(user))
        }
    }

    /// How the acting operator of this process is identified: the signed-in one's way, else `demo` on an open site.
    /// A signed site with nobody signed in is refused.
    func currentVia(_ db: Database) throws -> Via {
        if let signedIn { return signedIn.via }
        guard try Self.accessMode(db) == .open else { throw WorkflowError.forbidden(Self.nobodySignedIn) }
        return .demo
    }

    static let nobodySignedIn = "this site signs operators in, and nobody is signed in here: use an operator's bound Unix account, the console's sign-in screen or SSH"

    /// The operator named `requested` as the one acting now: on a signed site it must be the signed-in operator
    /// (refused otherwise, naming who is signed in); disabled operators are refused. The result carries how it was
    /// identified (`identifiedBy`), which its history rows record.
    func actingOperator(_ db: Database, _ requested: String) throws -> Operator {
        if let signedIn {
            var op = try Self.findOperatorEvenDisabled(db, requested)
            guard op.id == signedIn.operatorID else {
                throw WorkflowError.forbidden("signed in as \(signedIn.login); acting as \(op.login) is not allowed")
            }
            if op.disabled { throw WorkflowError.forbidden("operator \(op.login) is disabled") }
            op.identifiedBy = signedIn.via
            return op
        }
        guard try Self.accessMode(db) == .open else { throw WorkflowError.forbidden(Self.nobodySignedIn) }
        var op = try Self.findOperator(db, requested)
        op.identifiedBy = .demo
        return op
    }

    /// The operator acting now, named or not: `requested` when given (checked as in `actingOperator`), else the
    /// signed-in one. On an open site one must be named.
    public func actor(_ requested: String?) throws(WorkflowError) -> Operator {
        try read { db in try self.actor(db, requested) }
    }

    func actor(_ db: Database, _ requested: String?) throws -> Operator {
        if let requested, !requested.isEmpty { return try actingOperator(db, requested) }
        if let signedIn { return try actingOperator(db, String(signedIn.operatorID)) }
        if try Self.accessMode(db) == .open {
            throw WorkflowError.refusal(.actorNotNamed)
        }
        throw WorkflowError.forbidden(Self.nobodySignedIn)
    }

    /// Whose view a listing takes: on an open site the operator named (nil: everything); on a signed site always the
    /// signed-in operator, and naming anyone else is refused.
    public func viewer(_ requested: String?) throws(WorkflowError) -> Operator? {
        try read { db in
            if signedIn == nil, try Self.accessMode(db) == .open {
                return try requested.map { try Self.findOperator(db, $0) }
            }
            return try self.actor(db, requested)
        }
    }

    /// The acting operator, who must be an admin.
    func actingAdmin(_ db: Database, _ requested: String?) throws -> Operator {
        let op = try actor(db, requested)
        guard op.role == .admin else { throw WorkflowError.forbidden("only an admin may do this; \(op.login) is a \(op.role.rawValue)") }
        return op
    }

    /// The site's configuration (calendar, time window, grid, components, api keys, history guards) is an admin's on a
    /// signed site; an open (demo) site keeps taking it from anyone, as before sign-in existed.
    public func requireAdminWhenSigned() throws(WorkflowError) {
        try read { db in try self.requireAdminWhenSigned(db) }
    }

    func requireAdminWhenSigned(_ db: Database) throws {
        if signedIn == nil, try Self.accessMode(db) == .open { return }
        _ = try actingAdmin(db, nil)
    }

    public func requireAdmin(_ requested: String?) throws(WorkflowError) -> Operator {
        try read { db in try self.actingAdmin(db, requested) }
    }

    /// Whether operator `id` may still act: false once disabled or removed. Cheap, for consoles and servers to poll.
    public func operatorIsActive(_ id: Int64) throws(WorkflowError) -> Bool {
        try read { db in try Int64.fetchOne(db, sql: "SELECT active FROM operator WHERE id = ?", arguments: [id]) == 1 }
    }

    // MARK: Passwords

    /// How many failures in a row lock a login, and for how long.
    public static let failuresBeforeLock = 5
    public static let lockSeconds: Int64 = 60

    /// Sets (or, with nil, removes) an operator's password. An admin sets anyone's; an operator their own.
    public func setPassword(of login: String, to password: String?, by requested: String?, at now: Date) throws(WorkflowError) {
        let hash = try password.map { p throws(WorkflowError) in try PasswordHash.make(p) }
        try write { db in
            let actor = try self.actor(db, requested)
            let target = try Self.findOperatorEvenDisabled(db, login)
            guard actor.role == .admin || actor.id == target.id else {
                throw WorkflowError.forbidden("only an admin may set another operator's password")
            }
            try db.execute(sql: "UPDATE operator SET password_hash = ? WHERE id = ?", arguments: [hash?.stored, target.id])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .passwordSet, login: target.login, via: actor.identifiedBy?.text,
                                                by: actor.login, detail: hash == nil ? "removed" : "set"))
        }
    }

    /// Until when `login` is locked after too many failures in a row, or nil.
    public func lockedUntil(_ login: String, at now: Date) throws(WorkflowError) -> Date? {
        try read { db in try Self.lockedUntil(db, login, at: now) }
    }

    /// A lock lasts `lockSeconds` from its `locked` audit event; tries while locked neither extend it nor count
    /// towards the next one.
    static func lockedUntil(_ db: Database, _ login: String, at now: Date) throws -> Date? {
        guard let at = try AuditRecord.select(AuditRecord.Columns.at, as: Int64.self)
            .filter(AuditRecord.Columns.login == login && AuditRecord.Columns.event == AuditEvent.Kind.locked.rawValue)
            .order(AuditRecord.Columns.id.desc).fetchOne(db) else { return nil }
        let until = at + lockSeconds
        return until > now.storageSeconds ? Date(storageSeconds: until) : nil
    }

    /// Failed sign-ins of `login` since its last success or lock, not counting tries refused while locked.
    static func failuresInARow(_ db: Database, _ login: String) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT count(*) FROM audit WHERE login = ?1 AND event = 'sign-in-failed' AND detail NOT LIKE 'locked%'
            AND id > ifnull((SELECT max(id) FROM audit WHERE login = ?1 AND event IN ('sign-in', 'locked')), 0)
            """, arguments: [login]) ?? 0
    }

    /// Signs in with a login and password (the console's sign-in screen, SSH password authentication). Unknown logins,
    /// wrong passwords, operators without a password, disabled operators and locked logins are all refused the same
    /// way to the caller ("login or password not accepted"), and recorded in the audit with the real reason. The hash
    /// is computed even for an unknown login, so the time taken does not tell which logins exist.
    public func signIn(login: String, password: String, address: String, at now: Date) throws(WorkflowError) -> SignedIn {
        let key = login.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, key.utf8.count <= 64 else { throw .forbidden(Self.notAccepted) }
        let found: (op: Operator, hash: PasswordHash?)? = try read { db in
            guard let record = try OperatorRecord.filter(OperatorRecord.Columns.login == key).fetchOne(db) else { return nil }
            return (try record.operatorValue(), record.passwordHash.flatMap(PasswordHash.init(stored:)))
        }
        let hash = found?.hash ?? Self.decoyHash
        let matches = hash.matches(password)
        return try write { db in
            let reason: String?
            if found == nil { reason = "no such operator" }
            else if let until = try Self.lockedUntil(db, key, at: now) { reason = "locked until \(Self.auditTime(until))" }
            else if found?.op.disabled == true { reason = "operator disabled" }
            else if found?.hash == nil { reason = "no password set" }
            else if !matches { reason = "wrong password" }
            else { reason = nil }
            guard let op = found?.op, reason == nil else {
                try Self.appendAudit(db, AuditEvent(at: now, kind: .signInFailed, login: key, via: Via.password.text, address: address,
                                                    detail: reason ?? ""))
                if found != nil, !(reason ?? "").hasPrefix("locked"), try Self.failuresInARow(db, key) >= Self.failuresBeforeLock {
                    try Self.appendAudit(db, AuditEvent(at: now, kind: .locked, login: key, address: address,
                                                        detail: "\(Self.failuresBeforeLock) failures in a row: locked for \(Self.lockSeconds) s"))
                }
                return Result<SignedIn, WorkflowError>.failure(.forbidden(Self.notAccepted))
            }
            try Self.appendAudit(db, AuditEvent(at: now, kind: .signIn, login: op.login, via: Via.password.text, address: address))
            return .success(SignedIn(operatorID: op.id, login: op.login, via: .password))
        }.get()
    }

    /// What a refused sign-in tells the one trying: the same for every reason.
    public static let notAccepted = "login or password not accepted"

    /// A hash no password matches, computed for unknown logins with the same parameters as real ones.
    static let decoyHash = PasswordHash(rounds: PasswordHash.defaultRounds, blockSize: PasswordHash.defaultBlockSize,
                                        parallelism: PasswordHash.defaultParallelism, salt: Array(repeating: 0x5a, count: 16),
                                        hash: Array(repeating: 0, count: 32))

    // MARK: Sessions a server starts

    /// Starts a session for a program a server runs on behalf of `who` (serve-ssh's console and exec children): returns
    /// the token to hand to that program (`resumeSession`), of which only a SHA-256 is stored. `ttl` bounds it should the
    /// server die without ending it.
    public func startSession(for who: SignedIn, at now: Date, ttl: TimeInterval = 86_400) throws(WorkflowError) -> String {
        let token = Hex.random(bytes: 32)
        try write { db in
            try SigninSessionRecord.filter(SigninSessionRecord.Columns.expiresAt < now.storageSeconds).deleteAll(db)
            try SigninSessionRecord(tokenSHA256: Hashing.sha256Hex(Array(token.utf8)), operatorID: who.operatorID, via: who.via.text,
                                    startedAt: now.storageSeconds, expiresAt: now.storageSeconds + Int64(ttl)).insert(db)
        }
        return token
    }

    /// The operator a server's session token stands for; refused when unknown, expired or the operator disabled.
    public func resumeSession(token: String, at now: Date) throws(WorkflowError) -> SignedIn {
        try read { db in
            guard let session = try SigninSessionRecord.fetchOne(db, key: Hashing.sha256Hex(Array(token.utf8))),
                  session.expiresAt >= now.storageSeconds,
                  let via = Via(text: session.via) else {
                throw WorkflowError.forbidden("this session is not (or no longer) signed in; connect again")
            }
            let op = try Self.findOperatorEvenDisabled(db, String(session.operatorID))
            if op.disabled { throw WorkflowError.forbidden("operator \(op.login) is disabled") }
            return SignedIn(operatorID: op.id, login: op.login, via: via)
        }
    }

    public func endSession(token: String) throws(WorkflowError) {
        try write { db in _ = try SigninSessionRecord.deleteOne(db, key: Hashing.sha256Hex(Array(token.utf8))) }
    }

    // MARK: Audit

    /// Appends one event to the audit.
    public func audit(_ event: AuditEvent) throws(WorkflowError) {
        try write { db in try Self.appendAudit(db, event) }
    }

    static func appendAudit(_ db: Database, _ e: AuditEvent) throws {
        var record = AuditRecord(e)
        try record.insert(db)
    }

    /// The audit from `since` on (oldest first), at most `limit` events (the newest ones).
    public func auditEvents(since: Date? = nil, login: String? = nil, limit: Int = 10_000) throws(WorkflowError) -> [AuditEvent] {
        try read { db in
            var rows = AuditRecord.filter(AuditRecord.Columns.at >= since?.storageSeconds ?? Int64.min)
            if let login { rows = rows.filter(AuditRecord.Columns.login == login) }
            return try rows.order(AuditRecord.Columns.id.desc).limit(limit).fetchAll(db).reversed().map { try $0.auditEvent() }
        }
    }

    static func auditTime(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: date)
    }
}

extension CityStore {
    /// Whether some enabled admin has a way to sign in (a bound Unix account, a password or an SSH key): a site must
    /// not be switched to `signed` without one.
    public func operatorsCanSignIn() throws(WorkflowError) -> Bool {
        try read { db in try Self.adminCanSignIn(db) }
    }

    static func adminCanSignIn(_ db: Database) throws -> Bool {
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM operator o WHERE o.role = 'admin' AND o.active = 1
                               AND (o.unix_user IS NOT NULL OR o.password_hash IS NOT NULL
                                    OR EXISTS (SELECT 1 FROM operator_key k WHERE k.operator_id = o.id)))
                """) ?? false
    }
}
