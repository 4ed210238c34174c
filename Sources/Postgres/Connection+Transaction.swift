import CLibPQ

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
    ///
    /// The BEGIN is sent with the body's first statement, and statements queued with
    /// `queue(_:)` go with the next one, or with the COMMIT: a round trip each saved. A
    /// body that sends nothing leaves nothing to commit.
    @discardableResult
    public func withTransaction<T: Sendable>(
        _ isolation: TransactionIsolation = .readCommitted,
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        precondition(!inTransactionBody && unsentBegin == nil, "withTransaction does not nest")
        unsentBegin = isolation.beginStatement
        inTransactionBody = true
        let value: T
        do {
            value = try await body(self)
        } catch {
            inTransactionBody = false
            rollBackUnsent()
            throw error
        }
        inTransactionBody = false
        try commit()
        return value
    }

    /// Queues a statement whose rows nobody reads, such as a write at the end of a
    /// transaction: it goes to the server with the transaction's next round trip (the next
    /// statement, pipeline, COPY or savepoint, or the COMMIT), in the order queued, and an
    /// error it raises is thrown there. Outside `withTransaction`, it runs at once.
    public func queue(_ statement: Statement) throws {
        guard inTransactionBody else {
            try query(statement)
            return
        }
        queued.append(statement)
    }

    /// Sends what the transaction has not sent yet, if anything.
    func sendUnsent() throws {
        guard unsentBegin != nil || !queued.isEmpty else { return }
        _ = try pipeline([])
    }

    /// The BEGIN and the queued statements not sent yet, in order, now taken.
    func takeUnsent() -> [Statement] {
        var unsent = unsentBegin.map { [Statement($0)] } ?? []
        unsentBegin = nil
        unsent.append(contentsOf: queued)
        queued.removeAll(keepingCapacity: true)
        return unsent
    }

    private func commit() throws {
        if unsentBegin != nil && queued.isEmpty {
            // Nothing was sent: there is no transaction on the server to end.
            unsentBegin = nil
            return
        }
        // An aborted transaction (a statement in the body failed and its error was
        // swallowed) would turn the COMMIT into a ROLLBACK. Nothing was written, so say so.
        if unsentBegin == nil, let handle = try? liveHandle(), PQtransactionStatus(handle) == PQTRANS_INERROR {
            try? executeAlone("ROLLBACK")
            queued.removeAll()
            throw PostgresError(.server, "the transaction was rolled back because a statement in it failed")
        }
        do {
            _ = try pipeline([Statement("COMMIT")])
        } catch {
            rollBackUnsent()
            throw error
        }
    }

    /// Ends a transaction that failed: drops what was never sent, and rolls back what was.
    private func rollBackUnsent() {
        let sentBegin = unsentBegin == nil
        unsentBegin = nil
        queued.removeAll()
        if sentBegin && isHealthy && isInTransaction { try? executeAlone("ROLLBACK") }
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
            // The statements queued in the body run before the release, inside it.
            try execute("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            // What the body queued and never sent is undone with the rest of it.
            queued.removeAll()
            if isHealthy { try? executeAlone("ROLLBACK TO SAVEPOINT \(name)") }
            throw error
        }
    }
}
