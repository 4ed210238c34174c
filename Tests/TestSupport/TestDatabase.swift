public import Foundation
public import Postgres

/// The PostgreSQL server the integration tests run against.
///
/// `scripts/test` starts a private server and sets DATABASE_URL. Without it the tests
/// fail with a pointer to that script; they never skip.
public enum TestDatabase {
    public struct MissingServer: Error, CustomStringConvertible {
        public var description: String {
            "DATABASE_URL is not set: run the tests through scripts/test, which starts a private PostgreSQL"
        }
    }

    struct ScratchNeedsURL: Error, CustomStringConvertible {
        var description: String { "DATABASE_URL must be a postgres:// URL for tests that make scratch databases" }
    }

    public static func config(applicationName: String = "leadrelay-tests") throws -> PostgresConfig {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { throw MissingServer() }
        return PostgresConfig(conninfo: url, applicationName: applicationName)
    }

    public static func connect() async throws -> Connection {
        try await Connection.connect(config())
    }

    /// Runs `body` against a new, empty database and drops it afterwards, so that tests
    /// that own whole tables or schemas cannot disturb each other.
    public static func withScratchDatabase<T: Sendable>(
        migrated: Bool = false, _ body: (PostgresConfig) async throws -> T
    ) async throws -> T {
        let admin = try await connect()
        let name = "lr_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is generated here, never taken from input, so it is safe as an identifier.
        try await admin.execute("CREATE DATABASE \(name)")
        var scratch = try config()
        guard var url = URLComponents(string: scratch.conninfo), url.scheme?.hasPrefix("postgres") == true else {
            throw ScratchNeedsURL()
        }
        url.path = "/" + name
        scratch.conninfo = url.string ?? scratch.conninfo
        do {
            if migrated {
                let connection = try await Connection.connect(scratch)
                try await Migrator(directory: repositoryRoot.appendingPathComponent("schema")).migrate(connection)
                await connection.close()
            }
            let value = try await body(scratch)
            try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
            return value
        } catch {
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
            throw error
        }
    }

    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `leadrelay` program built beside the test bundle.
    public static var leadrelayProgram: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leadrelay")
    }
}
