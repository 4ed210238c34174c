public import Foundation
public import Postgres

/// The materialized views behind the reporting schema, refreshed CONCURRENTLY: readers keep
/// reading the previous contents while a refresh runs, and never wait for it.
public enum ReportingRefresh {
    /// In dependency order: later views read earlier ones.
    public static let materializedViews = [
        "reporting.lead_facts", "reporting.assignment_facts", "reporting.closed_lead_attributes",
        "reporting.funnel_cohorts", "reporting.lead_activity",
    ]

    public struct Refreshed: Sendable {
        public let view: String
        public let refreshedAt: Date
        public let milliseconds: Int
    }
}

extension Connection {
    /// Refreshes every reporting materialized view, in order, and records when in
    /// `reporting.refreshed_at`. Run it in a transaction so the views change together.
    @discardableResult
    public func refreshReportingViews() throws -> [ReportingRefresh.Refreshed] {
        try ReportingRefresh.materializedViews.map { view in
            let started = try query("SELECT clock_timestamp()")[0].decode(0, as: Date.self)
            // The names are the fixed list above, never input.
            try execute("REFRESH MATERIALIZED VIEW CONCURRENTLY \(view)")
            let row = try query("""
                INSERT INTO reporting_refreshes (view_name, refreshed_at, duration_ms)
                VALUES ($1, $2, round(extract(epoch FROM clock_timestamp() - $2::timestamptz) * 1000)::integer)
                ON CONFLICT (view_name) DO UPDATE SET refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms
                RETURNING refreshed_at, duration_ms
                """, [view, started])[0]
            return ReportingRefresh.Refreshed(view: view, refreshedAt: try row.decode(0), milliseconds: try row.decode(1))
        }
    }
}
