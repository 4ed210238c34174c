import CLibPQ

/// One parameterized statement, to be sent in a pipeline.
public struct Statement: Sendable {
    public var sql: String
    public var parameters: [any PostgresEncodable]

    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension Connection {
    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ statement: Statement) throws -> Rows {
        try query(statement.sql, statement.parameters)
    }

    /// Runs statements in order with one round trip for all of them (libpq's pipeline
    /// mode), and returns their rows in the same order.
    ///
    /// Meant for statements that do not need each other's results, inside a transaction
    /// whose locks others wait for: each round trip saved is a wait for the CPU saved, for
    /// this process and for the server process, while the locks are held. When a statement
    /// fails, the server skips the rest and this throws the first error; the transaction
    /// is then aborted, as after any failed statement. Keep it to a few statements of
    /// modest size: the connection is blocking, so all of them are written before any
    /// result is read.
    public func pipeline(_ statements: [Statement]) throws -> [Rows] {
        let handle = try liveHandle()
        // What the transaction has not sent yet goes first, in the same round trip.
        let unsent = takeUnsent()
        let statements = unsent + statements
        guard !statements.isEmpty else { return [] }
        // Preparing is a round trip of its own, but only on a statement's first use.
        let names = try preparedNames(for: statements.map(\.sql), handle: handle)
        guard PQenterPipelineMode(handle) == 1 else { throw LibPQ.connectionError(handle) }
        defer { PQexitPipelineMode(handle) }
        for (statement, name) in zip(statements, names) {
            let sent = LibPQ.withParameters(statement.parameters) { values, count in
                PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
            }
            guard sent == 1 else { throw LibPQ.connectionError(handle) }
        }
        guard PQpipelineSync(handle) == 1 else { throw LibPQ.connectionError(handle) }

        var results: [Rows] = []
        results.reserveCapacity(statements.count)
        var firstError: PostgresError?
        var ended = 0
        // Each statement's results end with a null; a statement after a failed one reports
        // PGRES_PIPELINE_ABORTED; the sync's own result closes the pipeline.
        while true {
            guard let result = PQgetResult(handle) else {
                ended += 1
                guard ended <= statements.count, PQstatus(handle) == CONNECTION_OK else { throw LibPQ.connectionError(handle) }
                continue
            }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC || status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                if status == PGRES_PIPELINE_SYNC { break }
                continue
            }
            do { results.append(try LibPQ.rows(from: result, connection: handle)) } catch let error as PostgresError {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return Array(results.dropFirst(unsent.count))
    }
}

/// A statement and how to read its rows, for `Connection.read`: reads that do not need
/// each other's results go to the server together.
public struct Read<Value>: Sendable {
    public let statement: Statement
    let decode: @Sendable (Rows) throws -> Value

    public init(_ statement: Statement, decode: @escaping @Sendable (Rows) throws -> Value) {
        self.statement = statement
        self.decode = decode
    }
}

extension Connection {
    /// Runs `reads` in order in one round trip (`pipeline`) and returns what each one read.
    public func read<each Value>(_ reads: repeat Read<each Value>) throws -> (repeat each Value) {
        var statements: [Statement] = []
        for read in repeat each reads { statements.append(read.statement) }
        let results = try pipeline(statements)
        var index = 0
        func next<V>(_ read: Read<V>) throws -> V {
            defer { index += 1 }
            return try read.decode(results[index])
        }
        return (repeat try next(each reads))
    }
}
