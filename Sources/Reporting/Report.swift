public import Foundation
public import Postgres

/// The reports `leadrelay report` prints: each is a reporting view, cut by period and
/// dimension, so the command shows exactly what an analyst reads in SQL.
public enum Report: String, Sendable, CaseIterable {
    case funnel, sla, sources, reps, actions

    /// The reporting view behind the report.
    public var view: String {
        switch self {
        case .funnel: "reporting.funnel"
        case .sla: "reporting.sla"
        case .sources: "reporting.source_performance"
        case .reps: "reporting.rep_performance"
        case .actions: "reporting.close_rates_between"
        }
    }

    /// The dimensions `--by` accepts; the first is the default.
    public var dimensions: [String] {
        switch self {
        case .funnel: ["all", "source", "campaign", "industry", "employee_band", "country", "persona", "rep", "team"]
        case .sla: ["all", "rep", "team"]
        case .sources: ["source", "campaign"]
        case .reps: ["rep", "team"]
        case .actions: ["all", "behaviour", "industry", "employee_band", "country", "persona", "source", "campaign"]
        }
    }

    public var isPeriodic: Bool { self != .actions }

    public static let grains = ["day", "week", "month", "quarter"]
}

/// Which rows of a report: the period grain, the dimension, and the periods (or, for
/// actions, the closing dates) from `since` through `until`, both YYYY-MM-DD and inclusive.
public struct ReportQuery: Sendable {
    public var report: Report
    public var grain: String
    public var dimension: String
    public var since: String?
    public var until: String?

    public init(report: Report, grain: String = "month", dimension: String? = nil, since: String? = nil, until: String? = nil) {
        self.report = report
        self.grain = grain
        self.dimension = dimension ?? report.dimensions[0]
        self.since = since
        self.until = until
    }

    /// The statement and its parameters. Only fixed view names are spliced in.
    var statement: (sql: String, parameters: [any PostgresEncodable]) {
        if report == .actions {
            return ("""
                SELECT * FROM reporting.close_rates_between($1::date::timestamptz, ($2::date + 1)::timestamptz)
                WHERE $3::text = 'all' OR kind = $3::text
                ORDER BY kind, close_rate DESC, closed_leads DESC, value
                """, [since, until, dimension])
        }
        return ("""
            SELECT * FROM \(report.view)
            WHERE grain = $1 AND dimension = $2
              AND ($3::date IS NULL OR period_start >= $3::date) AND ($4::date IS NULL OR period_start <= $4::date)
            ORDER BY period_start, value
            """, [grain, dimension, since, until])
    }
}

extension Connection {
    /// The rows of one report, columns as the view names them.
    public func report(_ query: ReportQuery) throws -> Rows {
        let statement = query.statement
        return try self.query(statement.sql, statement.parameters)
    }

    /// When the materialized views were last refreshed; nil before the first refresh.
    public func reportingRefreshedAt() throws -> Date? {
        try query("SELECT min(refreshed_at) FROM reporting.refreshed_at")[0].decode(0)
    }
}
