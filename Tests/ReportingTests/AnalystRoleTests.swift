import Foundation
import Postgres
import Reporting
import TestSupport
import Testing

/// `leadrelay roles create-analyst`, and what the analyst login can and cannot do.
@Suite struct AnalystRoleTests {
    /// The SQLSTATE the statement failed with, or nil when it succeeded.
    static func sqlState(_ sql: String, on connection: Connection) async -> String? {
        do {
            try await connection.execute(sql)
            return nil
        } catch let error as PostgresError {
            return error.sqlState?.rawValue ?? "no sqlstate"
        } catch {
            return "\(error)"
        }
    }

    static func uniqueName() -> String {
        "lr_analyst_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    }

    /// Runs `body` and drops the login roles afterwards: roles outlive the scratch database.
    static func withRoles(_ names: [String], _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            try await drop(names)
            throw error
        }
        try await drop(names)
    }

    private static func drop(_ names: [String]) async throws {
        let admin = try await TestDatabase.connect()
        // Generated above from a UUID: safe as identifiers.
        for name in names { try await admin.execute("DROP ROLE IF EXISTS \(name)") }
        await admin.close()
    }

    @Test func anAnalystReadsTheReportingSchemaOnlyWithPersonalDataMasked() async throws {
        let (plain, pii) = (Self.uniqueName(), Self.uniqueName())
        try await Self.withRoles([plain, pii]) {
            try await TestDatabase.withScratchDatabase(migrated: true) { config in
                let owner = try await Connection.connect(config)
                try await ReportingSeed.load(on: owner)
                _ = try await owner.withTransaction { try $0.refreshReportingViews() }
                await owner.close()

                let created = try LeadRelayCLI.run(["roles", "create-analyst", plain], config: config)
                #expect(created.status == 0, "\(created.errors)")
                let url = created.output.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(url.hasPrefix("postgresql://\(plain):"), "\(url)")
                #expect(created.errors.contains("leadrelay_analyst"))

                let analyst = try await Connection.connect(PostgresConfig(conninfo: url))
                #expect(try await analyst.query("SELECT current_user")[0].decode(0, as: String.self) == plain)
                #expect(try await analyst.query("SELECT count(*) FROM reporting.funnel")[0].decode(0, as: Int.self) > 0)
                #expect(try await ReportingViewsTests.rows("SELECT email, first_name, last_name, phone FROM reporting.leads WHERE lead_id = 1",
                                                          on: analyst) == ["(***@acme.io,A***,L***,+***)"])
                #expect(try await ReportingViewsTests.rows("SELECT name, email FROM reporting.reps ORDER BY rep", on: analyst)
                        == ["(R***,***@seller.io)", "(R***,***@seller.io)"])

                for raw in ["SELECT * FROM leads", "SELECT * FROM activities", "SELECT * FROM jobs", "SELECT * FROM lead_outcomes",
                            "SELECT * FROM campaign_costs", "SELECT * FROM api_keys",
                            "INSERT INTO campaign_costs (campaign, spent_on, amount) VALUES ('x', '2024-01-01', 1)",
                            "UPDATE leads SET stage = 'lead'", "DELETE FROM jobs",
                            "INSERT INTO reporting.campaign_costs (campaign, spent_on, amount) VALUES ('x', '2024-01-01', 1)",
                            "UPDATE reporting.leads SET stage = 'lead'", "DELETE FROM reporting.reps",
                            "REFRESH MATERIALIZED VIEW reporting.lead_facts", "CREATE TABLE public.scratch (id int)",
                            "CREATE VIEW reporting.mine AS SELECT 1"] {
                    #expect(await Self.sqlState(raw, on: analyst) == "42501", "\(raw)")
                }
                await analyst.close()

                let withPII = try LeadRelayCLI.run(["roles", "create-analyst", pii, "--pii"], config: config)
                #expect(withPII.status == 0, "\(withPII.errors)")
                let unmasked = try await Connection.connect(PostgresConfig(conninfo: withPII.output.trimmingCharacters(in: .whitespacesAndNewlines)))
                #expect(try await ReportingViewsTests.rows("SELECT email, first_name, last_name, phone FROM reporting.leads WHERE lead_id = 1",
                                                          on: unmasked) == ["(ada@acme.io,Ada,Lovelace,\"+49 30 1234567\")"])
                #expect(await Self.sqlState("SELECT * FROM leads", on: unmasked) == "42501")
                await unmasked.close()

                let again = try LeadRelayCLI.run(["roles", "create-analyst", plain], config: config)
                #expect(again.status != 0)
                #expect(again.errors.contains("already exists"), "\(again.errors)")
                for bad in ["Robert'); DROP TABLE leads; --", "has space", "pg_reader", "UPPER", ""] {
                    let refused = try LeadRelayCLI.run(["roles", "create-analyst", bad], config: config)
                    #expect(refused.status != 0, "\(bad)")
                    #expect(refused.errors.contains("not a valid role name"), "\(bad): \(refused.errors)")
                }
            }
        }
    }

    @Test func roleNamesAreCheckedBeforeTheyReachSQL() {
        #expect(AnalystRole.isValidName("maria_bi2"))
        #expect(AnalystRole.isValidName("_x"))
        #expect(!AnalystRole.isValidName("2maria"))
        #expect(!AnalystRole.isValidName("maria\"; DROP ROLE x; --"))
        #expect(!AnalystRole.isValidName("pg_monitor"))
        #expect(!AnalystRole.isValidName(String(repeating: "a", count: 64)))
        #expect(AnalystRole.isValidName(String(repeating: "a", count: 63)))
    }
}
