public import Foundation
public import JobQueue
public import Postgres
import Reporting

/// The periodic refresh of the reporting schema's materialized views, coalesced: however
/// many workers ask for it, one is pending.
public enum ReportingRefreshJob {
    public static let kind = "reporting_refresh"

    public static func request(runAt: Date? = nil) -> JobRequest {
        JobRequest(kind: kind, key: kind, runAt: runAt)
    }
}

/// Kind `reporting_refresh`: refresh the reporting views CONCURRENTLY (readers never wait),
/// then schedule the next refresh.
public struct ReportingRefreshJobHandler: JobHandler {
    public static let kindName = ReportingRefreshJob.kind
    public var kind: String { Self.kindName }
    public var maxJobsPerBatch: Int? { 1 }
    private let interval: TimeInterval

    /// - Parameter interval: time between refreshes.
    public init(interval: TimeInterval = 600) {
        self.interval = interval
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        try connection.refreshReportingViews()
        try connection.enqueue([ReportingRefreshJob.request(runAt: Date().addingTimeInterval(interval))])
    }
}
