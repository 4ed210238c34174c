public import Foundation

/// Where and how to connect.
///
/// `conninfo` is anything libpq accepts: a `postgres://` or `postgresql://` URL, or
/// `key=value` pairs. An empty `conninfo` leaves everything to libpq's own `PG*`
/// environment variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, …).
public struct PostgresConfig: Sendable {
    public var conninfo: String
    /// Shown in `pg_stat_activity.application_name`. Default: "leadrelay".
    public var applicationName: String
    /// Seconds libpq waits for a connection before it gives up. Default: 10.
    public var connectTimeout: Int

    public init(conninfo: String = "", applicationName: String = "leadrelay", connectTimeout: Int = 10) {
        self.conninfo = conninfo
        self.applicationName = applicationName
        self.connectTimeout = connectTimeout
    }

    /// `DATABASE_URL` when it is set and not empty, else libpq's `PG*` variables.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        applicationName: String = "leadrelay"
    ) -> PostgresConfig {
        PostgresConfig(conninfo: environment["DATABASE_URL"] ?? "", applicationName: applicationName)
    }

    /// Keyword/value pairs for PQconnectdbParams, with `dbname` first so that libpq
    /// expands a URL or conninfo string in it.
    var connectParameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if !conninfo.isEmpty { parameters.append(("dbname", conninfo)) }
        parameters.append(("fallback_application_name", applicationName))
        parameters.append(("connect_timeout", String(connectTimeout)))
        return parameters
    }
}
