import Foundation
import Postgres
import TestSupport
import Testing

/// `leadrelay rules`, run as the built program against a scratch database.
@Suite struct RulesCommandTests {
    static let example = "examples/rules.yaml"

    /// The example rule file with some of its text replaced, written to a temporary file.
    static func variant(_ replacements: [(String, String)]) throws -> URL {
        var yaml = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent(example), encoding: .utf8)
        for (old, new) in replacements {
            #expect(yaml.contains(old), "the example no longer contains \(old)")
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static func count(_ sql: String, _ config: PostgresConfig) async throws -> Int {
        let connection = try await Connection.connect(config)
        let value: Int = try await connection.query(sql)[0].decode(0)
        await connection.close()
        return value
    }

    static func execute(_ sql: String, _ config: PostgresConfig) async throws {
        let connection = try await Connection.connect(config)
        try await connection.execute(sql)
        await connection.close()
    }

    static func activeVersion(_ config: PostgresConfig) async throws -> Int? {
        let connection = try await Connection.connect(config)
        let version: Int? = try await connection.query("SELECT version FROM rule_sets WHERE is_active").first?.decode(0)
        await connection.close()
        return version
    }

    @Test func appliesTheExampleOnceAndListsIt() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let applied = try LeadRelayCLI.run(["rules", "apply", Self.example, "--by", "marketing-ops", "--comment", "first cut"], config: config)
            #expect(applied.status == 0, "\(applied.errors)")
            #expect(applied.output.contains("version 1 is active"), "\(applied.output)")
            #expect(try await Self.activeVersion(config) == 1)

            let list = try LeadRelayCLI.run(["rules", "list"], config: config)
            #expect(list.status == 0)
            let row = list.output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 ") }
            #expect(row?.contains("*") == true, "\(list.output)")
            #expect(row?.contains("marketing-ops") == true)
            #expect(row?.contains("first cut") == true)
            #expect(row?.contains(Self.example) == true)

            let again = try LeadRelayCLI.run(["rules", "apply", Self.example], config: config)
            #expect(again.status == 0)
            #expect(again.output.contains("unchanged"), "\(again.output)")
            #expect(try await Self.count("SELECT count(*) FROM rule_sets", config) == 1, "an unchanged file makes no new version")
        }
    }

    @Test func aBrokenFileIsRefusedWithEveryProblemAndNothingStored() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let file = try Self.variant([("  mql: 60 ", "  mql: sixty\n  colour: blue\n ")])
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try LeadRelayCLI.run(["rules", "apply", file.path], config: config)
            #expect(result.status != 0)
            let problems = result.errors.split(separator: "\n").filter { $0.hasPrefix(file.path + ":") }
            #expect(problems.count == 2, "one line per problem, each naming the file: \(result.errors)")
            #expect(problems.contains { $0.contains("thresholds.mql") }, "the wrong type, by path")
            #expect(problems.contains { $0.contains("thresholds.colour") }, "the unknown key, by path")
            #expect(result.errors.contains("nothing was stored"))
            #expect(try await Self.count("SELECT count(*) FROM rule_sets", config) == 0)
            #expect(try await Self.count("SELECT count(*) FROM jobs", config) == 0)
        }
    }

    @Test func diffShowsTheChangedThresholdAndActivateRollsBack() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let stricter = try Self.variant([("  mql: 60 ", "  mql: 70 ")])
            defer { try? FileManager.default.removeItem(at: stricter) }
            #expect(try LeadRelayCLI.run(["rules", "apply", Self.example], config: config).status == 0)
            #expect(try LeadRelayCLI.run(["rules", "apply", stricter.path, "--comment", "fewer, better MQLs"], config: config).status == 0)
            #expect(try await Self.activeVersion(config) == 2)

            let diff = try LeadRelayCLI.run(["rules", "diff", "1", "2"], config: config)
            #expect(diff.status == 0)
            let changes = diff.output.split(separator: "\n").filter { ["~", "+", "-"].contains($0.first.map(String.init)) }
            #expect(changes == ["~ thresholds.mql: 60 → 70"], "\(diff.output)")

            let same = try LeadRelayCLI.run(["rules", "diff", "2", "2"], config: config)
            #expect(same.status == 0)
            #expect(same.output.contains("no differences"))

            let missing = try LeadRelayCLI.run(["rules", "diff", "1", "9"], config: config)
            #expect(missing.status != 0)
            #expect(missing.errors.contains("no rule set version 9"), "\(missing.errors)")

            let rollback = try LeadRelayCLI.run(["rules", "activate", "1"], config: config)
            #expect(rollback.status == 0, "\(rollback.errors)")
            #expect(try await Self.activeVersion(config) == 1)
            #expect(try await Self.count("SELECT count(*) FROM rule_sets", config) == 2, "a rollback makes no new version")

            let shown = try LeadRelayCLI.run(["rules", "show"], config: config)
            #expect(shown.status == 0)
            #expect(shown.output.hasPrefix("# version: 1 (active)"), "\(shown.output.prefix(200))")
            #expect(shown.output.contains("mql: 60"))
        }
    }

    /// The YAML that `rules show` prints is a rule file: applied again, it is the same rule set.
    @Test func shownYAMLAndJSONAreTheStoredRuleSet() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            #expect(try LeadRelayCLI.run(["rules", "apply", Self.example], config: config).status == 0)
            let shown = try LeadRelayCLI.run(["rules", "show", "1"], config: config)
            #expect(shown.status == 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("shown-\(UUID().uuidString).yaml")
            try shown.output.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let reapplied = try LeadRelayCLI.run(["rules", "apply", file.path], config: config)
            #expect(reapplied.status == 0, "\(reapplied.errors)")
            #expect(reapplied.output.contains("unchanged"), "\(reapplied.output)")

            let json = try LeadRelayCLI.run(["rules", "show", "--format", "json"], config: config)
            #expect(json.status == 0)
            let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            #expect((object?["thresholds"] as? [String: Any])?["mql"] as? Int == 60)
            #expect(json.errors.contains("version: 1"), "the details go to standard error")
        }
    }

    @Test func applyingWithLeadsQueuesTheirRescoreInTheSameStep() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            // 600 leads: two slices of 500 ids, so two rescore jobs.
            try await Self.execute("""
                INSERT INTO leads (email, email_domain)
                SELECT 'lead' || n || '@acme.io', 'acme.io' FROM generate_series(1, 600) n
                """, config)

            let applied = try LeadRelayCLI.run(["rules", "apply", Self.example], config: config)
            #expect(applied.status == 0, "\(applied.errors)")
            #expect(applied.output.contains("queued 2 rescore jobs"), "\(applied.output)")
            #expect(try await Self.count("SELECT count(*) FROM jobs WHERE kind = 'rescore'", config) == 2)

            let unchanged = try LeadRelayCLI.run(["rules", "apply", Self.example], config: config)
            #expect(unchanged.output.contains("nothing queued"))

            try await Self.execute("DELETE FROM jobs", config)
            let stricter = try Self.variant([("  mql: 60 ", "  mql: 70 ")])
            defer { try? FileManager.default.removeItem(at: stricter) }
            #expect(try LeadRelayCLI.run(["rules", "apply", stricter.path], config: config).status == 0)
            try await Self.execute("DELETE FROM jobs", config)
            let rollback = try LeadRelayCLI.run(["rules", "activate", "1"], config: config)
            #expect(rollback.status == 0)
            #expect(rollback.output.contains("queued 2 rescore jobs"), "\(rollback.output)")
            #expect(try await Self.count("SELECT count(*) FROM jobs WHERE kind = 'rescore'", config) == 2)
        }
    }

    @Test func ruleVersionsAreKeptForGood() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let version: Int = try await connection.query("""
                INSERT INTO rule_sets (definition, checksum, created_by) VALUES ('{}', 'x', 'test') RETURNING version
                """)[0].decode(0)
            for statement in ["DELETE FROM rule_sets", "TRUNCATE rule_sets CASCADE", "UPDATE rule_sets SET version = DEFAULT"] {
                do {
                    try await connection.query(statement)
                    Issue.record("\(statement) went through")
                } catch let error as PostgresError {
                    #expect(error.sqlState?.rawValue == "23001", "\(statement): \(error)")
                }
            }
            #expect(try await connection.query("SELECT version FROM rule_sets").map { try $0.decode(0, as: Int.self) } == [version])
            // Other columns change as before: activating a version is an update.
            try await connection.query("UPDATE rule_sets SET activated_at = now() WHERE version = $1", [version])
            await connection.close()
        }
    }
}
