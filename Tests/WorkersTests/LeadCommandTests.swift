import Foundation
import Postgres
import TestSupport
import Testing

/// `leadrelay lead show`, run as the built program against a scratch database that the
/// test fills with plain SQL, as the scoring workers and reps would have left it.
@Suite struct LeadCommandTests {
    static let breakdown = """
        {"fit": [{"rule": "icp.industries.software", "points": 20, "reason": "industry software"},
                 {"rule": "personas.analytics_leader", "points": 30, "reason": "persona analytics_leader"},
                 {"rule": "negative_fit.titles", "points": -30, "reason": "title matches 'intern'"}],
         "interest": [{"rule": "behaviour.pricing_page_view", "points": 24, "reason": "2 of 2 counted"}]}
        """

    /// Ada, scored under rule version 1, moved lead → MQL by the score and MQL → SAL by a rep,
    /// with three activities. Returns her id.
    @discardableResult
    static func insertAda(_ config: PostgresConfig) async throws -> Int64 {
        let connection = try await Connection.connect(config)
        try await connection.query("""
            INSERT INTO rule_sets (definition, checksum, created_by, is_active, activated_at)
            VALUES ('{}', 'test', 'tests', true, now())
            """)
        let company: Int64 = try await connection.query("""
            INSERT INTO companies (domain, name, industry, owner_rep) VALUES ('acme.io', 'Acme Analytics', 'software', $1) RETURNING id
            """, ["dana.whitfield@northwind.example"])[0].decode(0)
        let lead: Int64 = try await connection.query("""
            INSERT INTO leads (email, email_domain, company_id, first_name, last_name, title, country, source, first_source,
                               stage, stage_entered_at, fit_score, interest_score, quadrant, score_breakdown, scored_at, rule_version)
            VALUES ('ada@acme.io', 'acme.io', $1, 'Ada', 'Lovelace', 'VP Analytics', 'US', 'api', 'import:salesforce',
                    'sal', '2026-11-20T11:00:00Z', 20, 24, 'hot', $2::jsonb, '2026-11-20T10:00:00Z', 1)
            RETURNING id
            """, [company, breakdown])[0].decode(0)
        try await connection.query("""
            INSERT INTO stage_history (lead_id, from_stage, to_stage, actor, reason, rule_version, changed_by, changed_at)
            VALUES ($1, 'lead', 'mql', 'system', 'score 44 reached the MQL threshold 40', 1, NULL, '2026-11-20T10:00:00Z'),
                   ($1, 'mql', 'sal', 'sales', 'accepted after a first call', NULL, 'marcus.oyelaran@northwind.example',
                    '2026-11-20T11:00:00Z')
            """, [lead])
        try await connection.query("""
            INSERT INTO activities (lead_id, type, url, content, occurred_at, source)
            VALUES ($1, 'page_view', 'https://northwind.example/pricing', NULL, '2026-11-18T09:00:00Z', 'web'),
                   ($1, 'content_download', NULL, 'case-study-globex.pdf', '2026-11-19T09:00:00Z', 'web'),
                   ($1, 'page_view', 'https://northwind.example/pricing/enterprise', NULL, '2026-11-20T09:00:00Z', 'web')
            """, [lead])
        await connection.close()
        return lead
    }

    @Test func explainsTheScoreTheHistoryAndTheActivities() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            try await Self.insertAda(config)
            let result = try LeadRelayCLI.run(["lead", "show", "  Ada@ACME.io "], config: config)
            #expect(result.status == 0, "\(result.errors)")
            let lines = result.output.split(separator: "\n").map(String.init)
            func line(_ parts: String...) -> String? { lines.first { line in parts.allSatisfy(line.contains) } }

            #expect(line("name", "Ada Lovelace") != nil, "\(result.output)")
            #expect(line("company", "Acme Analytics") != nil)
            #expect(line("stage", "sal since 2026-11-20T11:00:00Z") != nil)
            #expect(line("score:", "fit 20", "interest 24", "= 44", "hot", "rule version 1") != nil)

            #expect(line("fit", "icp.industries.software", "+20", "industry software") != nil)
            #expect(line("fit", "personas.analytics_leader", "+30", "persona analytics_leader") != nil)
            #expect(line("fit", "negative_fit.titles", "-30", "title matches 'intern'") != nil)
            #expect(line("interest", "behaviour.pricing_page_view", "+24", "2 of 2 counted") != nil)

            #expect(line("2026-11-20T10:00:00Z", "lead → mql", "system", "score 44 reached the MQL threshold 40") != nil)
            #expect(line("2026-11-20T11:00:00Z", "mql → sal", "sales", "marcus.oyelaran@northwind.example", "accepted after a first call") != nil)

            let newest = result.output.range(of: "https://northwind.example/pricing/enterprise")
            let middle = result.output.range(of: "case-study-globex.pdf")
            #expect(newest != nil && middle != nil && newest!.lowerBound < middle!.lowerBound, "activities come newest first")

            #expect(line("owner", "none yet") != nil)
            #expect(line("account owner", "dana.whitfield@northwind.example") != nil)
        }
    }

    @Test func theJSONFormCarriesTheSameFacts() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let id = try await Self.insertAda(config)
            let result = try LeadRelayCLI.run(["lead", "show", String(id), "--format", "json"], config: config)
            #expect(result.status == 0, "\(result.errors)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            #expect((document["lead"] as? [String: Any])?["email"] as? String == "ada@acme.io")
            let score = try #require(document["score"] as? [String: Any])
            #expect(score["total"] as? Int == 44)
            #expect(((score["breakdown"] as? [String: Any])?["fit"] as? [Any])?.count == 3)
            #expect((document["stage_history"] as? [Any])?.count == 2)
            #expect((document["activities"] as? [Any])?.count == 3)
            #expect(document["owner"] is NSNull)
        }
    }

    @Test func showsTheNewestFiftyActivitiesAndCountsTheRest() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let id: Int64 = try await connection.query(
                "INSERT INTO leads (email, email_domain) VALUES ('grace@initech.com', 'initech.com') RETURNING id")[0].decode(0)
            try await connection.query("""
                INSERT INTO activities (lead_id, type, url, occurred_at, source)
                SELECT $1, 'page_view', 'https://northwind.example/page/' || n, timestamptz '2026-11-01' + n * interval '1 hour', 'web'
                FROM generate_series(1, 53) n
                """, [id])
            await connection.close()
            let result = try LeadRelayCLI.run(["lead", "show", "grace@initech.com"], config: config)
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("score: not scored yet"))
            #expect(result.output.contains("stage history: no stage changes yet"))
            #expect(result.output.contains("/page/53 "), "the newest is shown")
            #expect(!result.output.contains("/page/3 "), "the oldest three are left out")
            #expect(result.output.contains("3 older, not shown"), "\(result.output.suffix(300))")
        }
    }

    @Test func anUnknownLeadIsAClearError() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            try await Self.insertAda(config)
            let byEmail = try LeadRelayCLI.run(["lead", "show", "nobody@acme.io"], config: config)
            #expect(byEmail.status != 0)
            #expect(byEmail.errors.contains("no lead with the e-mail address nobody@acme.io"), "\(byEmail.errors)")
            #expect(byEmail.output.isEmpty)

            let byID = try LeadRelayCLI.run(["lead", "show", "424242"], config: config)
            #expect(byID.status != 0)
            #expect(byID.errors.contains("no lead with id 424242"))

            let neither = try LeadRelayCLI.run(["lead", "show", "ada"], config: config)
            #expect(neither.status != 0)
            #expect(neither.errors.contains("neither an e-mail address nor a lead id"))
        }
    }
}
