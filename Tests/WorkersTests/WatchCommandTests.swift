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
        let running = try LeadRelayCLI.start(["watch"] + arguments, config: config)
        let process = running.process
        let deadline = ContinuousClock.now + .seconds(20)
        while !running.errors.contains("listening on") {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw Timeout(description: "watch never listened: \(running.errors)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await notify(process.processIdentifier)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw Timeout(description: "watch did not exit: \(running.output) \(running.errors)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, running.output, running.errors)
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
