/// How a transaction sees concurrent commits.
public enum TransactionIsolation: Sendable {
    case readCommitted
    case repeatableRead
    case serializable

    var beginStatement: String {
        switch self {
        case .readCommitted: "BEGIN"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}

extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    ///
    /// Serialization failures and deadlocks reach the caller as `PostgresError` with
    /// `isRetryableTransactionFailure`, so that the caller can run the whole body again.
    @discardableResult
    public func withTransaction<T: Sendable>(
        _ isolation: TransactionIsolation = .readCommitted,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try execute(isolation.beginStatement)
        let value: T
        do {
            value = try await body(self)
        } catch {
            if isHealthy { try? execute("ROLLBACK") }
            throw error
        }
        let tag = try commandTag("COMMIT")
        // COMMIT of an aborted transaction succeeds with the tag ROLLBACK: a statement in the
        // body failed and its error was swallowed. Nothing was written, so say so.
        guard tag == "COMMIT" else {
            throw PostgresError(.server, "the transaction was rolled back because a statement in it failed")
        }
        return value
    }

    /// Runs `body` under a savepoint inside the current transaction: when it throws, only
    /// its own work is undone and the transaction goes on.
    public func withSavepoint<T>(_ body: (isolated Connection) throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "lr_savepoint_\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let value = try body(self)
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            if isHealthy { try? execute("ROLLBACK TO SAVEPOINT \(name)") }
            throw error
        }
    }
}
