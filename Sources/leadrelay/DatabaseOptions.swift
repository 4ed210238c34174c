import ArgumentParser
import Foundation
import Postgres

/// How a command finds PostgreSQL: `--database-url`, else DATABASE_URL, else libpq's PG* variables.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URL, e.g. postgres://user@host:5432/leadrelay. Default: $DATABASE_URL, else the PG* variables.",
        valueName: "url"
    ))
    var databaseURL: String?

    func config(applicationName: String) -> PostgresConfig {
        if let databaseURL { return PostgresConfig(conninfo: databaseURL, applicationName: applicationName) }
        return PostgresConfig.fromEnvironment(applicationName: applicationName)
    }
}
