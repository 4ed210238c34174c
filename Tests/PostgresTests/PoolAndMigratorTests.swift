import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ConnectionPoolTests {
    @Test func servesManyTasksWithAFewConnections() async throws {
        let pool = ConnectionPool(try TestDatabase.config(applicationName: "leadrelay-pool-test"), maxConnections: 3)
        let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await connection.query("SELECT pg_sleep(0.01)")
                        return await connection.backendPID
                    }
                }
            }
            return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
        }
        #expect(pids.count <= 3)
        #expect(!pids.isEmpty)
        await pool.close()
    }

    @Test func aBrokenConnectionIsReplaced() async throws {
        let pool = ConnectionPool(try TestDatabase.config(), maxConnections: 1)
        let killer = try await TestDatabase.connect()
        let first = try await pool.withConnection { await $0.backendPID }
        try await killer.query("SELECT pg_terminate_backend($1)", [Int(first)])
        try await Task.sleep(for: .milliseconds(50))
        _ = try? await pool.withConnection { try await $0.query("SELECT 1") }
        let second = try await pool.withConnection { connection in
            try await connection.query("SELECT 1")
            return await connection.backendPID
        }
        #expect(second != first)
        await pool.close()
        await killer.close()
    }
}

@Suite struct MigratorTests {
    static func migrations(_ files: [(String, String)]) -> Migrator {
        Migrator(migrations: files.enumerated().map { index, file in
            Migrator.Migration(version: index + 1, fileName: file.0, sql: file.1)
        })
    }

    @Test func appliesInOrderOnceAndRefusesAnEditedFile() async throws {
        try await TestDatabase.withScratchDatabase { config in
            let connection = try await Connection.connect(config)
            let first = Self.migrations([
                ("0001_a.sql", "CREATE TABLE a (id int)"),
                ("0002_b.sql", "CREATE TABLE b (a_id int); INSERT INTO a VALUES (1)"),
            ])
            #expect(try await first.migrate(connection).map(\.fileName) == ["0001_a.sql", "0002_b.sql"])
            #expect(try await first.migrate(connection).isEmpty)
            #expect(try await connection.query("SELECT count(*) FROM a")[0].decode(0) == 1)

            let edited = Self.migrations([
                ("0001_a.sql", "CREATE TABLE a (id bigint)"),
                ("0002_b.sql", "CREATE TABLE b (a_id int); INSERT INTO a VALUES (1)"),
            ])
            let error = await #expect(throws: PostgresError.self) { try await edited.migrate(connection) }
            #expect(error?.code == .migration)
            #expect(error?.message.contains("0001_a.sql") == true)
            await connection.close()
        }
    }

    @Test func aFailingMigrationLeavesNoTraceAndStopsTheRun() async throws {
        try await TestDatabase.withScratchDatabase { config in
            let connection = try await Connection.connect(config)
            let broken = Self.migrations([
                ("0001_a.sql", "CREATE TABLE a (id int)"),
                ("0002_b.sql", "CREATE TABLE b (id int); SELECT no_such_function()"),
                ("0003_c.sql", "CREATE TABLE c (id int)"),
            ])
            await #expect(throws: PostgresError.self) { try await broken.migrate(connection) }
            let tables: [String] = try await connection.query("""
                SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1
                """).map { try $0.decode(0) }
            #expect(tables == ["a", "schema_migrations"])
            await connection.close()
        }
    }

    @Test func fourMigrateProcessesAtOnceApplyEachMigrationExactlyOnce() async throws {
        try await TestDatabase.withScratchDatabase { config in
            let schema = FileManager.default.temporaryDirectory.appendingPathComponent("lr-schema-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: schema) }
            // Each migration counts its own runs, and takes a while so that the processes overlap.
            try "CREATE TABLE runs (file text); INSERT INTO runs VALUES ('0001'); SELECT pg_sleep(0.3);"
                .write(to: schema.appendingPathComponent("0001_runs.sql"), atomically: true, encoding: .utf8)
            for version in 2...5 {
                try "INSERT INTO runs VALUES ('000\(version)'); SELECT pg_sleep(0.05);"
                    .write(to: schema.appendingPathComponent("000\(version)_step.sql"), atomically: true, encoding: .utf8)
            }
            var processes: [Process] = []
            for _ in 0..<4 {
                let process = Process()
                process.executableURL = TestDatabase.leadrelayProgram
                process.arguments = ["migrate", "--schema", schema.path]
                var environment = ProcessInfo.processInfo.environment
                environment["DATABASE_URL"] = config.conninfo
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                processes.append(process)
            }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let connection = try await Connection.connect(config)
            let runs: [String] = try await connection.query("SELECT file FROM runs ORDER BY file").map { try $0.decode(0) }
            #expect(runs == ["0001", "0002", "0003", "0004", "0005"])
            let recorded: Int = try await connection.query("SELECT count(*) FROM schema_migrations")[0].decode(0)
            #expect(recorded == 5)
            await connection.close()
        }
    }
}
