import Foundation
import Postgres
import TestSupport
import Testing
import Workers

/// `leadrelay watch`, run as the built program: it prints the assignments it is told of.
@Suite struct WatchCommandTests {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `leadrelay watch` with `arguments`, waits until it listens, runs `notify`, and
    /// passes it the program's process id, and returns
    /// standard output and standard error once the program has exited by itself.
    static func watch(_ arguments: [String], config: PostgresConfig, notify: (Int32) async throws -> Void) async throws -> (status: Int32, output: String, errors: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadrelay-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("stdout")
        let errorFile = folder.appendingPathComponent("stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let output = try FileHandle(forWritingTo: outputFile)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = TestDatabase.leadrelayProgram
        process.arguments = ["watch"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = config.conninfo
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        func read(_ file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }
        let deadline = ContinuousClock.now + .seconds(20)
        while !read(errorFile).contains("listening on") {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw Timeout(description: "watch never listened: \(read(errorFile))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await notify(process.processIdentifier)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw Timeout(description: "watch did not exit: \(read(outputFile)) \(read(errorFile))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, read(outputFile), read(errorFile))
    }

    /// Writes an assignment of a new lead to `rep` and announces it as handoff workers do.
    static func assign(_ email: String, to rep: String, config: PostgresConfig) async throws {
        let connection = try await Connection.connect(config)
        try await connection.withTransaction { connection in
            try connection.query("""
                INSERT INTO rule_sets (definition, checksum, created_by) SELECT '{}', 'test', 'test'
                WHERE NOT EXISTS (SELECT 1 FROM rule_sets)
                """)
            try connection.query("INSERT INTO reps (id) VALUES ($1) ON CONFLICT DO NOTHING", [rep])
            try connection.query("INSERT INTO companies (domain, name, country) VALUES ('acme.io', 'Acme', 'DE') ON CONFLICT DO NOTHING")
            let lead: Int64 = try connection.query("""
                INSERT INTO leads (email, email_domain, company_id, stage, fit_score, interest_score)
                SELECT $1, 'acme.io', id, 'mql', 72, 41 FROM companies WHERE domain = 'acme.io' RETURNING id
                """, [email])[0].decode(0)
            let assignment: Int64 = try connection.query("""
                INSERT INTO assignments (lead_id, rep_id, source, rule_id, rule_version, assigned_at)
                SELECT $1, $2, 'rep', 'territory-dach', min(version), now() FROM rule_sets RETURNING id
                """, [lead, rep])[0].decode(0)
            let payload = #"[{"assignment_id":\#(assignment),"lead_id":\#(lead),"rep_id":"\#(rep)"}]"#
            try connection.query("SELECT pg_notify($1, $3), pg_notify($2, $3)",
                                 [HandoffChannel.assignments, HandoffChannel.rep(rep), payload])
        }
        await connection.close()
    }

    @Test func printsAnAssignmentAsItIsAnnounced() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try await Self.watch(["--exit-after", "1"], config: config) { _ in
                try await Self.assign("ada@acme.io", to: "marcus", config: config)
            }
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.errors.contains("listening on leadrelay_assignments"))
            let line = try #require(result.output.split(separator: "\n").first.map(String.init))
            for part in ["marcus", "ada@acme.io", "Acme", "DE", "score 72/41", "rule territory-dach"] {
                #expect(line.contains(part), "\(part) in \(line)")
            }
        }
    }

    @Test func withARepItShowsOnlyThatRepsAssignments() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try await Self.watch(["--rep", "marcus", "--exit-after", "1"], config: config) { _ in
                try await Self.assign("bob@acme.io", to: "nadia", config: config)
                try await Self.assign("ada@acme.io", to: "marcus", config: config)
            }
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.errors.contains("listening on leadrelay_rep_marcus"))
            #expect(result.output.contains("ada@acme.io"))
            #expect(!result.output.contains("bob@acme.io"))
        }
    }

    @Test func sigtermStopsItCleanly() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try await Self.watch([], config: config) { pid in
                // Once listening, a SIGTERM alone must end it with status 0.
                kill(pid, SIGTERM)
            }
            #expect(result.status == 0, "\(result.errors)")
        }
    }
}
