import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct TransactionTests {
    struct Boom: Error {}

    @Test func aThrowingTransactionLeavesNothingBehind() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        await #expect(throws: Boom.self) {
            try await connection.withTransaction { connection in
                try connection.query("INSERT INTO touches VALUES (1), (2)")
                throw Boom()
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM touches")[0].decode(0) == 0)
        #expect(await connection.isInTransaction == false)

        try await connection.withTransaction { connection in
            try connection.query("INSERT INTO touches VALUES (3)")
        }
        #expect(try await connection.query("SELECT count(*) FROM touches")[0].decode(0) == 1)
        await connection.close()
    }

    @Test func aSwallowedStatementErrorMakesTheCommitFail() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try connection.query("INSERT INTO touches VALUES (1)")
                _ = try? connection.query("SELECT 1/0")
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM touches")[0].decode(0) == 0)
        await connection.close()
    }

    @Test func aSavepointUndoesOnlyItsOwnWork() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        try await connection.withTransaction { connection in
            try connection.query("INSERT INTO touches VALUES (1)")
            #expect(throws: Boom.self) {
                try connection.withSavepoint { connection in
                    try connection.query("INSERT INTO touches VALUES (2)")
                    throw Boom()
                }
            }
            #expect(throws: PostgresError.self) {
                try connection.withSavepoint { connection in try connection.query("SELECT 1/0") }
            }
            try connection.query("INSERT INTO touches VALUES (3)")
        }
        let values: [Int] = try await connection.query("SELECT n FROM touches ORDER BY n").map { try $0.decode(0) }
        #expect(values == [1, 3])
        await connection.close()
    }

    @Test func aUniqueViolationCarriesItsSQLStateAndConstraint() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
        try await connection.query("INSERT INTO people VALUES ($1)", ["ada@example.com"])
        let error = await #expect(throws: PostgresError.self) {
            try await connection.query("INSERT INTO people VALUES ($1)", ["ada@example.com"])
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(error?.code == .server)
        #expect(error?.constraint == "people_email_key")
        #expect(error?.detail?.contains("ada@example.com") == true)
        #expect(error?.description.contains("ada@example.com") == false)
        await connection.close()
    }

    @Test func aDeadlockSurfacesAsRetryable() async throws {
        let first = try await TestDatabase.connect()
        let second = try await TestDatabase.connect()
        let table = "deadlock_" + UUID().uuidString.prefix(8).lowercased()
        try await first.execute("CREATE TABLE \(table) (id int PRIMARY KEY, n int); INSERT INTO \(table) VALUES (1, 0), (2, 0)")
        try await first.execute("BEGIN; UPDATE \(table) SET n = 1 WHERE id = 1")
        try await second.execute("BEGIN; UPDATE \(table) SET n = 1 WHERE id = 2")
        async let a = Result(catching: { try await first.execute("UPDATE \(table) SET n = 2 WHERE id = 2") })
        try await Task.sleep(for: .milliseconds(100))
        async let b = Result(catching: { try await second.execute("UPDATE \(table) SET n = 2 WHERE id = 1") })
        let outcomes = await [a, b]
        let failures = outcomes.compactMap { outcome -> PostgresError? in
            if case .failure(let error) = outcome { return error as? PostgresError }
            return nil
        }
        #expect(failures.count == 1)
        #expect(failures.first?.sqlState == .deadlockDetected)
        #expect(failures.first?.isRetryableTransactionFailure == true)
        try await first.execute("ROLLBACK")
        try await second.execute("ROLLBACK")
        try await first.execute("DROP TABLE \(table)")
        await first.close()
        await second.close()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
