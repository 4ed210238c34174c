public import Foundation

/// Applies numbered plain-SQL files, such as `schema/0001_core.sql`, in order.
///
/// Each file runs in its own transaction and is recorded in `schema_migrations` with a
/// SHA-256 of its text. A file changed after it was applied is an error that names it.
/// A session-level advisory lock lets any number of processes migrate at once: the first
/// applies, the others wait and then find nothing left to do.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let fileName: String
        public let sql: String

        public init(version: Int, fileName: String, sql: String) {
            self.version = version
            self.fileName = fileName
            self.sql = sql
        }
    }

    public let migrations: [Migration]
    /// An arbitrary constant that names this lock in `pg_locks`.
    private static let advisoryLockKey: Int64 = 0x4C52_4D49_4752  // "LRMIGR"

    /// Reads every `NNNN_name.sql` file in `directory`.
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PostgresError(.migration, "cannot read the schema folder \(directory.path)")
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard let version = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else {
                throw PostgresError(.migration, "\(name): a migration file name must start with its number, e.g. 0001_core.sql")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw PostgresError(.migration, "\(name) and \(clash.fileName) share the number \(version)")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            migrations.append(Migration(version: version, fileName: name, sql: sql))
        }
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what is not applied yet and returns it; an up-to-date database returns [].
    @discardableResult
    public func migrate(_ connection: Connection) async throws -> [Migration] {
        try await connection.query("SELECT pg_advisory_lock($1)", [Self.advisoryLockKey])
        do {
            let applied = try await applyPending(connection)
            try await connection.query("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.advisoryLockKey])
            throw error
        }
    }

    private func applyPending(_ connection: Connection) async throws -> [Migration] {
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                file_name  text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var recorded: [Int: (fileName: String, checksum: String)] = [:]
        for row in try await connection.query("SELECT version, file_name, checksum FROM schema_migrations") {
            recorded[try row.decode(0)] = (try row.decode(1), try row.decode(2))
        }
        let known = Set(migrations.map(\.version))
        if let missing = recorded.keys.sorted().first(where: { !known.contains($0) }) {
            throw PostgresError(.migration, "\(recorded[missing]!.fileName) was applied to this database but is not in the schema folder")
        }
        var applied: [Migration] = []
        for migration in migrations {
            let checksum = try await Self.checksum(of: migration.sql, on: connection)
            if let existing = recorded[migration.version] {
                guard existing.checksum == checksum else {
                    throw PostgresError(.migration, "\(migration.fileName) was edited after it was applied: its checksum no longer matches the recorded one; add a new migration instead")
                }
                continue
            }
            _ = try await connection.withTransaction { connection in
                try connection.execute(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.fileName, checksum]
                )
            }
            applied.append(migration)
        }
        return applied
    }

    private static func checksum(of sql: String, on connection: Connection) async throws -> String {
        try await connection.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [sql])[0].decode(0)
    }
}
