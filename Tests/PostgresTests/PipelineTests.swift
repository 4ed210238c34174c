import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PipelineTests {
    @Test func statementsRunInOrderAndEachReturnsItsRows() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE notes (id int PRIMARY KEY, body text)")
        let results = try await connection.withTransaction { connection in
            try connection.pipeline([
                Statement("INSERT INTO notes SELECT * FROM unnest($1::int[], $2::text[])", [[1, 2, 3], ["a", "b", "c"]]),
                Statement("UPDATE notes SET body = upper(body) WHERE id = ANY($1::int[]) RETURNING id", [[1, 3]]),
                Statement("SELECT id, body FROM notes ORDER BY id"),
            ])
        }
        #expect(results.count == 3)
        #expect(results[0].affectedRows == 3)
        #expect(try results[1].map { try $0.decode(0, as: Int.self) }.sorted() == [1, 3])
        #expect(try results[2].map { "\(try $0.decode(0, as: Int.self))\(try $0.decode(1, as: String.self))" } == ["1A", "2b", "3C"])
        // The session is back to normal use afterwards, and a second pipeline reuses the
        // prepared statements.
        #expect(try await connection.query("SELECT count(*) FROM notes")[0].decode(0, as: Int.self) == 3)
        #expect(try await connection.pipeline([Statement("SELECT id, body FROM notes ORDER BY id")])[0].count == 3)
        await connection.close()
    }

    @Test func aFailingStatementThrowsItsErrorSkipsTheRestAndAbortsTheTransaction() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE notes (id int PRIMARY KEY, body text)")
        await #expect {
            try await connection.withTransaction { connection in
                try connection.pipeline([
                    Statement("INSERT INTO notes VALUES (1, 'first')"),
                    Statement("INSERT INTO notes VALUES (1, 'twice')"),
                    Statement("INSERT INTO notes VALUES (2, 'after')"),
                ])
            }
        } throws: { error in
            (error as? PostgresError)?.sqlState == .uniqueViolation
        }
        #expect(try await connection.query("SELECT count(*) FROM notes")[0].decode(0, as: Int.self) == 0, "rolled back, the third never ran")
        #expect(await connection.isInTransaction == false)
        try await connection.query("INSERT INTO notes VALUES (3, 'next')")
        #expect(try await connection.query("SELECT count(*) FROM notes")[0].decode(0, as: Int.self) == 1)
        await connection.close()
    }

    @Test func aPipelineThatFillsTheStatementCacheStillRunsEveryStatement() async throws {
        let connection = try await TestDatabase.connect()
        // Most of the session's cache of prepared statements taken, then a pipeline whose new
        // statements pass its limit: the cache is emptied before they are prepared, not between.
        for n in 0..<510 { _ = try await connection.query("SELECT $1::int AS filler_\(n)", [n]) }
        let results = try await connection.pipeline((0..<5).map { Statement("SELECT $1::int * $2::int AS product_\($0)", [10, $0 + 2]) })
        #expect(try results.map { try $0[0].decode(0, as: Int.self) } == [20, 30, 40, 50, 60])
        #expect(try await connection.query("SELECT $1::int + $2::int", [1, 7])[0].decode(0, as: Int.self) == 8)
        await connection.close()
    }
}
