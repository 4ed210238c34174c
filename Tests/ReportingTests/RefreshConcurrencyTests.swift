import Foundation
import JobQueue
import Postgres
import Reporting
import TestSupport
import Testing
import Workers

/// A refresh of the reporting views never makes a reader wait, and the periodic job
/// refreshes them and schedules itself again.
@Suite struct RefreshConcurrencyTests {
    static func count(_ connection: Connection) async throws -> Int {
        try await connection.query("SELECT count(*) FROM reporting.funnel")[0].decode(0)
    }

    @Test func refreshingWhileAReaderIsInsideATransactionBlocksNobody() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let reader = try await Connection.connect(config)
            let refresher = try await Connection.connect(config)
            // A wait longer than this is an error rather than a hang; nothing here should wait at all.
            try await reader.execute("SET lock_timeout = '20s'")
            try await refresher.execute("SET lock_timeout = '20s'")
            try await ReportingSeed.load(on: refresher)

            // The reader holds its snapshot and its lock on the views while the refresh runs and commits.
            try await reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            #expect(try await Self.count(reader) == 0, "nothing refreshed yet")
            _ = try await refresher.withTransaction { try $0.refreshReportingViews() }
            #expect(try await Self.count(reader) == 0, "the reader keeps its snapshot")
            try await reader.execute("COMMIT")
            let refreshed = try await Self.count(reader)
            #expect(refreshed > 0)

            // A refresh still open (it holds its locks until commit) does not stop a new reader.
            try await refresher.execute("BEGIN")
            try await refresher.refreshReportingViews()
            #expect(try await Self.count(reader) == refreshed)
            try await reader.execute("BEGIN")
            #expect(try await Self.count(reader) == refreshed)
            try await reader.execute("COMMIT")
            try await refresher.execute("COMMIT")

            // Control: a plain (not concurrent) refresh would block the same reader.
            try await refresher.execute("BEGIN")
            try await refresher.execute("REFRESH MATERIALIZED VIEW reporting.funnel_cohorts")
            try await reader.execute("SET lock_timeout = '100ms'")
            await #expect(throws: PostgresError.self) { _ = try await Self.count(reader) }
            try await refresher.execute("ROLLBACK")
            await reader.close()
            await refresher.close()
        }
    }

    @Test func theRefreshJobRefreshesAndSchedulesItsNextRun() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await ReportingSeed.load(on: connection)
            #expect(WorkerKinds.all.contains(ReportingRefreshJob.kind))
            #expect(WorkerKinds.startupJobs(for: ReportingRefreshJob.kind).map(\.kind) == [ReportingRefreshJob.kind])
            let handler = try #require(WorkerKinds.handler(named: ReportingRefreshJob.kind))
            try await connection.withTransaction { try handler.handle([], on: $0) }
            #expect(try await connection.query("SELECT count(*) FROM reporting.refreshed_at")[0].decode(0, as: Int.self)
                    == ReportingRefresh.materializedViews.count)
            #expect(try await connection.query("SELECT leads FROM reporting.funnel WHERE grain = 'quarter' AND dimension = 'all'")[0]
                    .decode(0, as: Int.self) == 4)
            let next = try await connection.query("SELECT key, run_at > now() + interval '5 minutes' FROM jobs WHERE kind = $1",
                                                  [ReportingRefreshJob.kind])
            #expect(next.count == 1)
            #expect(try next[0].decode(0, as: String.self) == ReportingRefreshJob.kind)
            #expect(try next[0].decode(1, as: Bool.self))
            await connection.close()
        }
    }
}
