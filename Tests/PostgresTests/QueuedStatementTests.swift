import Foundation
import Postgres
import TestSupport
import Testing

/// A transaction sends its BEGIN with its first statement, and statements queued with
/// `queue(_:)` with its next round trip or its COMMIT: fewer round trips, the same
/// transaction.
@Suite struct QueuedStatementTests {
    struct Boom: Error {}

    static func values(_ connection: Connection) async throws -> [Int] {
        try await connection.query("SELECT n FROM touches ORDER BY n").map { try $0.decode(0) }
    }

    @Test func queuedStatementsRunInOrderBeforeTheNextStatementAndCommitWithTheTransaction() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        let seen: Int = try await connection.withTransaction { connection in
            try connection.queue(Statement("INSERT INTO touches VALUES ($1)", [1]))
            try connection.queue(Statement("UPDATE touches SET n = n + 1"))
            let seen: Int = try connection.query("SELECT sum(n) FROM touches")[0].decode(0)
            // Queued last, sent only with the COMMIT.
            try connection.queue(Statement("INSERT INTO touches VALUES ($1)", [10]))
            return seen
        }
        #expect(seen == 2, "the queued insert and update ran, in order, before the read")
        #expect(try await Self.values(connection) == [2, 10])
        #expect(await connection.isInTransaction == false)
        await connection.close()
    }

    @Test func aQueuedStatementThatFailsFailsTheTransactionAndNothingStays() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        await #expect(throws: PostgresError.self) {
            try await connection.withTransaction { connection in
                try connection.query("INSERT INTO touches VALUES (1)")
                try connection.queue(Statement("INSERT INTO touches VALUES (1 / $1)", [0]))
            }
        }
        #expect(try await Self.values(connection).isEmpty)
        #expect(await connection.isInTransaction == false)
        // The session goes on.
        try await connection.withTransaction { try $0.queue(Statement("INSERT INTO touches VALUES (3)")) }
        #expect(try await Self.values(connection) == [3])
        await connection.close()
    }

    @Test func aThrowingBodyDropsWhatItQueuedAndLeavesNothingBehind() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        for sendsFirst in [false, true] {
            await #expect(throws: Boom.self) {
                try await connection.withTransaction { connection in
                    if sendsFirst { try connection.query("INSERT INTO touches VALUES (1)") }
                    try connection.queue(Statement("INSERT INTO touches VALUES (2)"))
                    throw Boom()
                }
            }
            #expect(await connection.isInTransaction == false)
        }
        try await connection.withTransaction { try $0.query("INSERT INTO touches VALUES (3)") }
        #expect(try await Self.values(connection) == [3])
        await connection.close()
    }

    @Test func aSavepointRunsWhatItsBodyQueuedOrDropsIt() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        try await connection.withTransaction { connection in
            try connection.queue(Statement("INSERT INTO touches VALUES (1)"))
            try connection.withSavepoint { try $0.queue(Statement("INSERT INTO touches VALUES (2)")) }
            #expect(throws: Boom.self) {
                try connection.withSavepoint { connection in
                    try connection.queue(Statement("INSERT INTO touches VALUES (3)"))
                    throw Boom()
                }
            }
            #expect(throws: PostgresError.self) {
                try connection.withSavepoint { try $0.queue(Statement("INSERT INTO touches VALUES (1 / 0)")) }
            }
            try connection.queue(Statement("INSERT INTO touches VALUES (4)"))
        }
        #expect(try await Self.values(connection) == [1, 2, 4])
        await connection.close()
    }

    @Test func aTransactionThatSendsNothingCommitsNothing() async throws {
        let connection = try await TestDatabase.connect()
        let value = try await connection.withTransaction { _ in 7 }
        #expect(value == 7)
        #expect(await connection.isInTransaction == false)
        // The first statement of the next transaction still opens one: its work is undone.
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        await #expect(throws: Boom.self) {
            try await connection.withTransaction { connection in
                try connection.execute("INSERT INTO touches VALUES (1)")
                throw Boom()
            }
        }
        #expect(try await Self.values(connection).isEmpty)
        await connection.close()
    }

    @Test func outsideATransactionAQueuedStatementRunsAtOnce() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        try await connection.queue(Statement("INSERT INTO touches VALUES (5)"))
        #expect(try await Self.values(connection) == [5])
        await connection.close()
    }
}
