/// A small pool of sessions for a process that serves many tasks at once.
///
/// Connections open lazily up to `maxConnections`; a task that finds none free waits in
/// line. A session that broke, or that still has a transaction open, is closed instead of
/// being handed to the next task.
public actor ConnectionPool {
    private let config: PostgresConfig
    private let maxConnections: Int
    private var idle: [Connection] = []
    private var openCount = 0
    private var waiters: [CheckedContinuation<Connection?, Never>] = []
    private var closed = false

    public init(_ config: PostgresConfig, maxConnections: Int = 8) {
        precondition(maxConnections > 0, "a pool needs at least one connection")
        self.config = config
        self.maxConnections = maxConnections
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever happens.
    public nonisolated func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await checkOut()
        do {
            let value = try await body(connection)
            await checkIn(connection)
            return value
        } catch {
            await checkIn(connection)
            throw error
        }
    }

    /// Closes idle sessions and refuses new work. Sessions on loan close when they return.
    public func close() async {
        closed = true
        for connection in idle { await connection.close() }
        idle.removeAll()
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    private func checkOut() async throws -> Connection {
        guard !closed else { throw PostgresError(.pool, "the connection pool is closed") }
        if let connection = idle.popLast() { return connection }
        if openCount < maxConnections {
            openCount += 1
            do {
                return try await Connection.connect(config)
            } catch {
                openCount -= 1
                throw error
            }
        }
        let connection = await withCheckedContinuation { waiters.append($0) }
        guard let connection else { throw PostgresError(.pool, "the connection pool is closed") }
        return connection
    }

    private func checkIn(_ connection: Connection) async {
        let healthy = await connection.isHealthy
        let inTransaction = await connection.isInTransaction
        let reusable = healthy && !inTransaction
        guard reusable, !closed else {
            await connection.close()
            openCount -= 1
            if !waiters.isEmpty, !closed, let replacement = try? await Connection.connect(config) {
                openCount += 1
                waiters.removeFirst().resume(returning: replacement)
            }
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }
}
