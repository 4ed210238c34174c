import Foundation
import JobQueue
import Logging
import Postgres
import TestSupport

/// A migrated scratch database with an `effects` table that handlers write into, in the
/// claiming transaction, so a test can count exactly what committed.
struct QueueFixture: Sendable {
    let config: PostgresConfig
    static let logger = Logger(label: "jobqueue-tests")

    static func run<T: Sendable>(_ body: (QueueFixture) async throws -> T) async throws -> T {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await connection.execute("""
                CREATE TABLE effects (job_id bigint NOT NULL, payload text, at timestamptz NOT NULL DEFAULT clock_timestamp())
                """)
            await connection.close()
            return try await body(QueueFixture(config: config))
        }
    }

    func connect() async throws -> Connection { try await Connection.connect(config) }

    @discardableResult
    func enqueue(_ requests: [JobRequest]) async throws -> (inserted: Int, merged: Int) {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        return try await connection.withTransaction { try $0.enqueue(requests) }
    }

    func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> Int {
        let connection = try await connect()
        defer { Task { await connection.close() } }
        return try await connection.query(sql, parameters)[0].decode(0)
    }

    /// Runs `workers` for as long as `until` keeps returning false (checked every 20 ms),
    /// then cancels them and waits until they have returned.
    func runWorkers(
        _ workers: [JobWorker], timeout: Duration = .seconds(120), until done: @escaping @Sendable () async throws -> Bool
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { try await worker.run() } }
            let deadline = ContinuousClock.now + timeout
            while try await !done() {
                guard ContinuousClock.now < deadline else {
                    group.cancelAll()
                    throw TimedOut()
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
            try await group.waitForAll()
        }
    }

    struct TimedOut: Error {}
}

let recordEffects = ClosureJobHandler(kind: "effects") { jobs, connection in
    try connection.query(
        "INSERT INTO effects (job_id, payload) SELECT * FROM unnest($1::bigint[], $2::text[])",
        [jobs.map(\.id), jobs.map(\.payload)]
    )
}
