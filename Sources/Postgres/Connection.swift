import CLibPQ
import Foundation

/// One PostgreSQL session.
///
/// Every libpq call blocks, so the connection runs on its own serial executor, a private
/// dispatch queue, rather than on the cooperative pool. Queries are synchronous inside
/// that isolation: `withTransaction` hands its body an `isolated Connection`, so the
/// statements of a transaction run back to back without an executor hop between them.
///
/// A connection is one session: give it to one task at a time (a `ConnectionPool` does).
/// While a statement waits on the server (a row lock, say), the whole actor waits with it:
/// even a property such as `backendPID` is out of reach until the statement returns, so
/// read what another task will need from it before the statement starts.
public actor Connection {
    private let executor: DispatchQueueExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The `PGconn*`. Only ever touched on `executor`, which is what makes it safe.
    private var handle: OpaquePointer?
    private var preparedStatements: [String: PreparedStatement] = [:]
    private var preparedCount = 0
    var savepointDepth = 0
    /// The BEGIN of the open transaction while it has not been sent: it goes to the server
    /// with the transaction's first round trip instead of taking one of its own.
    var unsentBegin: String?
    /// Statements queued by `queue(_:)`, sent with the next round trip.
    var queued: [Statement] = []
    /// True inside `withTransaction`'s body.
    var inTransactionBody = false
    private static let preparedStatementLimit = 512

    private init() {
        executor = DispatchQueueExecutor(label: "leadrelay.postgres.connection")
    }

    /// Opens a session, or throws an error that names host, port and database, never the password.
    public static func connect(_ config: PostgresConfig) async throws -> Connection {
        let connection = Connection()
        try await connection.open(config)
        return connection
    }

    private func open(_ config: PostgresConfig) throws {
        handle = try LibPQ.connect(config)
        // A fixed DateStyle and time zone keep timestamptz text in the one form we parse.
        try execute("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'")
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
    }

    /// Closes the session. Later calls throw a connection error.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// False once the server or the network dropped the session.
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// True while a transaction is open (or aborted and not yet rolled back).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        if unsentBegin != nil { return true }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// The server process id of this session, as `pg_backend_pid()` reports it.
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// Runs one parameterized statement and returns its rows.
    ///
    /// The statement is prepared once per connection and reused, which saves the server
    /// a parse and plan per call on hot paths.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Rows {
        // What the transaction has not sent yet goes in the same round trip.
        if unsentBegin != nil || !queued.isEmpty { return try pipeline([Statement(sql, parameters)])[0] }
        let handle = try liveHandle()
        let name = try preparedNames(for: [sql], handle: handle)[0]
        let result = LibPQ.withParameters(parameters) { values, count in
            PQexecPrepared(handle, name, count, values, nil, nil, 0)
        }
        return try LibPQ.rows(from: result, connection: handle)
    }

    /// Runs SQL text through the simple query protocol: several statements, no parameters.
    /// Meant for migrations and fixed session commands, never for values.
    public func execute(_ script: String) throws {
        let handle = try liveHandle()
        var script = script
        if queued.isEmpty, let begin = unsentBegin {
            // A simple query may hold several statements: the BEGIN rides along.
            unsentBegin = nil
            script = begin + "; " + script
        } else {
            try sendUnsent()
        }
        _ = try LibPQ.rows(from: PQexec(handle, script), connection: handle)
    }

    /// Runs a parameterless command as it is, without what the transaction has not sent.
    func executeAlone(_ command: String) throws {
        let handle = try liveHandle()
        _ = try LibPQ.rows(from: PQexec(handle, command), connection: handle)
    }

    /// Sends `pg_notify(channel, payload)`; it is delivered when the transaction commits.
    public func notify(_ channel: String, payload: String = "") throws {
        try query("SELECT pg_notify($1, $2)", [channel, payload])
    }

    func liveHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(.connection, "the connection is closed") }
        return handle
    }

    /// The names of `sqls`' prepared statements, preparing those not prepared yet and
    /// preparing again those due for a new plan (`PreparedStatement`). When they would pass
    /// the cache's limit, the cache is emptied first, so that every name returned is still
    /// prepared when the statements run.
    func preparedNames(for sqls: [String], handle: OpaquePointer) throws -> [String] {
        let now = ContinuousClock.now
        let unprepared = Set(sqls.filter { preparedStatements[$0] == nil })
        if preparedStatements.count + unprepared.count > Self.preparedStatementLimit {
            try executeAlone("DEALLOCATE ALL")
            preparedStatements.removeAll(keepingCapacity: true)
        }
        return try sqls.map { sql in
            var replanAfter = PreparedStatement.firstReplan
            if let prepared = preparedStatements[sql] {
                guard now >= prepared.replanAt else { return prepared.name }
                try executeAlone("DEALLOCATE " + prepared.name)
                replanAfter = min(prepared.replanAfter * 2, PreparedStatement.longestReplan)
            }
            preparedCount += 1
            let name = "lr\(preparedCount)"
            _ = try LibPQ.rows(from: PQprepare(handle, name, sql, 0, nil), connection: handle)
            preparedStatements[sql] = PreparedStatement(name: name, replanAfter: replanAfter, replanAt: now + replanAfter)
            return name
        }
    }
}

/// A statement prepared on the session, and when it is prepared again.
///
/// PostgreSQL keeps the plan of a prepared statement that it chose to plan once (a generic
/// plan) until a change to a table it reads (DDL, ANALYZE) invalidates it, not when the
/// table grows. A plan made while a table was nearly empty scans it whole, and went on doing
/// so long after the table had grown: a claim that read the whole `jobs` table to find the
/// rows it had just locked, as the table filled with delayed SLA checks. A statement is
/// therefore prepared again after a while, 1 s after its first use, then after twice as
/// long each time, up to 5 minutes: the plan follows a table that grows from empty, and a
/// settled system pays one prepare per statement every few minutes.
struct PreparedStatement {
    static let firstReplan = Duration.seconds(1)
    static let longestReplan = Duration.seconds(300)

    let name: String
    let replanAfter: Duration
    let replanAt: ContinuousClock.Instant
}
