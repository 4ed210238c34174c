import Foundation
import JobQueue
import Postgres
import Testing

@Suite struct EnqueueFreshTests {
    /// A few jobs go by INSERT and many by COPY; both must store the same thing.
    @Test(arguments: [3, 200])
    func freshJobsKeepTheirKindKeyPayloadAndRunAt(count: Int) async throws {
        try await QueueFixture.run { fixture in
            let later = Date(timeIntervalSince1970: 1_900_000_000)
            let requests = (0..<count).map { i in
                JobRequest(kind: i % 2 == 0 ? "score" : "sla", key: "k\(i)", payload: #"{"n": \#(i)}"#, runAt: i % 3 == 0 ? later : nil)
            }
            let connection = try await fixture.connect()
            let committedAt: Date = try await connection.withTransaction { connection in
                try connection.enqueueFresh(requests)
                return try connection.query("SELECT now()")[0].decode(0)
            }
            let rows = try await connection.query(
                "SELECT kind, key, payload->>'n', run_at FROM jobs ORDER BY substr(key, 2)::int"
            )
            #expect(rows.count == count)
            for (i, row) in rows.enumerated() {
                #expect(try row.decode(0, as: String.self) == requests[i].kind)
                #expect(try row.decode(1, as: String.self) == "k\(i)")
                #expect(try row.decode(2, as: String.self) == "\(i)")
                #expect(try row.decode(3, as: Date.self) == (i % 3 == 0 ? later : committedAt), "ready jobs take the server's now()")
            }
            await connection.close()
        }
    }

    /// Keyless jobs never merge, so `enqueue` inserts them with a plain INSERT; they must
    /// be stored as the coalescing path stores them, and wake the kind's workers at commit.
    @Test func keylessJobsAreInsertedAndWakeTheirKind() async throws {
        try await QueueFixture.run { fixture in
            let later = Date(timeIntervalSince1970: 1_900_000_000)
            let requests = (0..<5).map { i in JobRequest(kind: "ingest", payload: #"{"n": \#(i)}"#, runAt: i == 4 ? later : nil) }
            let connection = try await fixture.connect()
            let heard = try await Listener.listen(fixture.config, channels: [JobChannel.name(for: "ingest")]) { events in
                var iterator = events.makeAsyncIterator()
                #expect(await iterator.next() == .listening)
                let (result, committedAt): ((inserted: Int, merged: Int), Date) = try await connection.withTransaction { connection in
                    (try connection.enqueue(requests), try connection.query("SELECT now()")[0].decode(0))
                }
                #expect(result == (inserted: 5, merged: 0))
                let rows = try await connection.query("SELECT key, payload->>'n', run_at FROM jobs ORDER BY (payload->>'n')::int")
                #expect(rows.count == 5)
                for (i, row) in rows.enumerated() {
                    #expect(try row.decode(0, as: String?.self) == nil)
                    #expect(try row.decode(1, as: String.self) == "\(i)")
                    #expect(try row.decode(2, as: Date.self) == (i == 4 ? later : committedAt))
                }
                // The same jobs again are new jobs, not merged into the first ones.
                #expect(try await fixture.enqueue(requests) == (inserted: 5, merged: 0))
                return await iterator.next()
            }
            #expect(heard == .notification(channel: JobChannel.name(for: "ingest"), payload: ""))
            await connection.close()
        }
    }
}

@Suite struct JobKeyTests {
    /// Keys of ascending ids ascend as text too, so the coalescing index grows at its edge.
    @Test func keysOfRowIDsSortAsTheirIDsDo() {
        let ids: [Int64] = [0, 1, 9, 10, 99, 100, 123_456, 9_999_999, 10_000_000, Int64.max]
        let keys = ids.map(JobRequest.key(forID:))
        #expect(keys.sorted() == keys)
        #expect(keys.allSatisfy { $0.utf8.count == 19 })
        #expect(JobRequest.key(forID: 42) == "0000000000000000042")
        #expect(keys.map { Int64($0)! } == ids)
    }
}
