import Foundation
import LeadStore
import Postgres
import TestSupport
import Testing
import Workers

/// `leadrelay feedback`, run as the built program, and a recycled lead qualifying again
/// through the scoring step.
@Suite struct FeedbackCommandTests {
    static func values<T: PostgresDecodable & Sendable>(_ sql: String, _ config: PostgresConfig, as type: T.Type = T.self) async throws -> [T] {
        let connection = try await Connection.connect(config)
        let values = try await connection.query(sql).map { try $0.decode(0, as: T.self) }
        await connection.close()
        return values
    }

    @Test func reportsOutcomesRoundTripThroughTheCLI() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await connection.execute("INSERT INTO leads (email, email_domain, stage) VALUES ('ada@acme.io', 'acme.io', 'mql')")
            await connection.close()

            let illegal = try LeadRelayCLI.run(["feedback", "ADA@acme.io", "won", "--revenue", "1000"], config: config)
            #expect(illegal.status != 0)
            #expect(illegal.errors.contains("not allowed for a lead in stage mql"), "\(illegal.errors)")
            #expect(illegal.errors.contains("nothing was changed"))

            let missingRevenue = try LeadRelayCLI.run(["feedback", "ada@acme.io", "won"], config: config)
            #expect(missingRevenue.status != 0)
            #expect(missingRevenue.errors.contains("--revenue"), "\(missingRevenue.errors)")

            let unknown = try LeadRelayCLI.run(["feedback", "nobody@acme.io", "accepted"], config: config)
            #expect(unknown.status != 0)
            #expect(unknown.errors.contains("no lead"))

            for arguments in [["accepted", "--rep", "marcus"], ["qualified"], ["opportunity", "--by", "sales-ops"],
                              ["won", "--revenue", "48000", "--note", "three-year deal"]] {
                let result = try LeadRelayCLI.run(["feedback", "ada@acme.io"] + arguments, config: config)
                #expect(result.status == 0, "\(arguments): \(result.errors)")
                #expect(result.output.contains("→"), "\(result.output)")
            }
            let history: [String] = try await Self.values("""
                SELECT to_stage || ' ' || actor || ' ' || reason || ' ' || changed_by FROM stage_history ORDER BY id
                """, config)
            let user = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli"
            #expect(history == ["sal sales sales_accepted marcus", "sql sales sales_qualified \(user)",
                                "opportunity sales opportunity_created sales-ops", "customer sales closed_won \(user)"])
            #expect(try await Self.values("SELECT revenue::text FROM lead_outcomes WHERE outcome = 'won'", config) == ["48000.00"])
        }
    }

    /// Recycling disarms the MQL trigger: the lead stays in nurture while its score is still
    /// over the threshold, and becomes an MQL again once the score has dipped below and risen.
    @Test func aRecycledLeadQualifiesAgainAfterItsScoreDipsAndRises() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await ScoringTests.activate(try ScoringTests.rules(mql: 10), on: connection)
            let ada = "ada@datacorp.io"
            try await ScoringTests.write([ScoringTests.lead(ada), ScoringTests.activity(ada, "page_view", url: "/pricing", daysAgo: 1)],
                                         on: connection)
            try await ScoringTests.runPipeline(config: config)
            #expect(try await ScoringTests.stored(ada, on: connection).stage == "mql")

            let recycled = try LeadRelayCLI.run(["feedback", ada, "recycled", "--reason", "not_ready", "--rep", "marcus"], config: config)
            #expect(recycled.status == 0, "\(recycled.errors)")
            let id: Int64 = try await connection.query("SELECT id FROM leads WHERE email = $1", [ada])[0].decode(0)
            let scoring = LeadScoring(clock: { ScoringTests.now })
            func rescore() async throws -> String {
                _ = try await connection.withTransaction { try scoring.score(leadIDs: [id], on: $0) }
                return try await connection.query("SELECT stage || ' ' || mql_armed FROM leads WHERE id = $1", [id])[0].decode(0)
            }
            #expect(try await rescore() == "recycled false", "still over the threshold, but disarmed")
            try await ScoringTests.activate(try ScoringTests.rules(mql: 999), on: connection)
            #expect(try await rescore() == "recycled true", "a score below the threshold re-arms")
            try await ScoringTests.activate(try ScoringTests.rules(mql: 10), on: connection)
            #expect(try await rescore() == "mql true", "and rising again qualifies")

            let changes = try await ScoringTests.stageChanges(ada, on: connection).map { "\($0.from)>\($0.to) \($0.actor) \($0.reason)" }
            #expect(changes == ["lead>mql system score_threshold", "mql>recycled sales not_ready", "recycled>mql system score_threshold"])
            await connection.close()
        }
    }
}
