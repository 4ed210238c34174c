import Foundation
@testable import IngestAPI
import LeadStore
import Postgres
import TestSupport
import Testing

/// Group commit: concurrent requests share transactions, and each still gets exactly its
/// own records' ids, only after they are committed.
@Suite struct IntakeCommitterTests {
    static func lead(_ email: String, key: String? = nil) -> InboxRecord {
        InboxRecord(type: .lead, payload: #"{"email": "\#(email)"}"#, position: 0, idempotencyKey: key)
    }

    @Test func concurrentRequestsGetTheirOwnIdsAndRepeatedKeysAreStoredOnce() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let pool = ConnectionPool(config, maxConnections: 2)
            let committer = IntakeCommitter(pool: pool, lanes: 1)
            let receipts = try await withThrowingTaskGroup(of: (Int, IntakeCommitter.Receipt?).self) { group in
                for request in 0..<40 {
                    group.addTask {
                        // Every fourth request repeats one shared idempotency key.
                        let records = request % 4 == 0
                            ? [Self.lead("shared@acme.io", key: "form-1")]
                            : [Self.lead("r\(request)-a@acme.io"), Self.lead("r\(request)-b@acme.io")]
                        return (request, try await committer.commit(records, rejects: []))
                    }
                }
                return try await group.reduce(into: [Int: IntakeCommitter.Receipt?]()) { $0[$1.0] = $1.1 }
            }
            let connection = try await Connection.connect(config)
            var sharedIDs: Set<Int64> = []
            for (request, receipt) in receipts {
                let receipt = try #require(receipt)
                let emails: [String] = try await connection.query(
                    "SELECT payload->>'email' FROM inbox WHERE id = ANY ($1) ORDER BY id", [receipt.ids]
                ).map { try $0.decode(0) }
                if request % 4 == 0 {
                    #expect(emails == ["shared@acme.io"])
                    sharedIDs.formUnion(receipt.ids)
                } else {
                    #expect(receipt.ids.count == 2)
                    #expect(emails == ["r\(request)-a@acme.io", "r\(request)-b@acme.io"])
                }
            }
            #expect(sharedIDs.count == 1, "one idempotency key, one stored record")
            #expect(try await connection.query("SELECT count(*) FROM inbox")[0].decode(0) == 30 * 2 + 1)
            let batches: Int = try await connection.query("SELECT count(*) FROM intake_batches")[0].decode(0)
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'ingest'")[0].decode(0) == batches,
                    "one ingest job per shared transaction")
            await connection.close()
            await pool.close()
        }
    }

    /// A record the database refuses fails its own request only: the group is committed
    /// again request by request.
    @Test func aFailingRequestDoesNotFailTheOthersOfItsGroup() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let pool = ConnectionPool(config, maxConnections: 2)
            let committer = IntakeCommitter(pool: pool, lanes: 1)
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for request in 0..<12 {
                    group.addTask {
                        let record = request == 5
                            ? InboxRecord(type: .lead, payload: "not json", position: 0)
                            : Self.lead("r\(request)@acme.io")
                        return (request, (try? await committer.commit([record], rejects: [])) != nil)
                    }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(results.filter(\.value).map(\.key).sorted() == Array(0..<12).filter { $0 != 5 })
            let connection = try await Connection.connect(config)
            #expect(try await connection.query("SELECT count(*) FROM inbox")[0].decode(0) == 11)
            await connection.close()
            await pool.close()
        }
    }
}
