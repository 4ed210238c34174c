import Foundation
import Postgres
import TestSupport
import Testing

/// A prepared statement is prepared again after a while, so that the plan PostgreSQL keeps
/// for it follows a table that has grown since.
@Suite struct PreparedStatementTests {
    static let lookup = "SELECT count(*) FROM touches WHERE n = $1"

    static func prepared(_ connection: Connection) async throws -> [(name: String, at: Date)] {
        try await connection.query("""
            SELECT name, prepare_time FROM pg_prepared_statements WHERE statement = $1 ORDER BY prepare_time
            """, [lookup]).map { (try $0.decode(0), try $0.decode(1)) }
    }

    @Test func aStatementIsPreparedAgainAfterASecondAndTheOldOneIsGone() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE touches (n int)")
        #expect(try await connection.query(Self.lookup, [1])[0].decode(0, as: Int.self) == 0)
        let first = try await Self.prepared(connection)
        #expect(first.count == 1)

        // Used again at once, it keeps its plan.
        try await connection.query(Self.lookup, [1])
        #expect(try await Self.prepared(connection).map(\.name) == first.map(\.name))

        try await Task.sleep(for: .milliseconds(1_100))
        try await connection.query("INSERT INTO touches SELECT 1 FROM generate_series(1, 3)")
        #expect(try await connection.query(Self.lookup, [1])[0].decode(0, as: Int.self) == 3)
        let second = try await Self.prepared(connection)
        #expect(second.count == 1, "the old statement is deallocated")
        #expect(second.first?.name != first.first?.name)
        #expect((second.first?.at ?? .distantPast) > (first.first?.at ?? .distantFuture))
        await connection.close()
    }
}
