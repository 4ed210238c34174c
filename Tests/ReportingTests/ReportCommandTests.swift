import Foundation
import LeadDomain
import Postgres
import TestSupport
import Testing

/// `leadrelay report`, `costs import` and `calibrate`, run as the built program.
@Suite struct ReportCommandTests {
    static func json(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(text)")
    }

    static func temporaryFile(_ contents: String, name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    @Test func reportsPrintTheRowsOfTheirViews() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await ReportingSeed.load(on: connection)

            let before = try LeadRelayCLI.run(["report", "funnel"], config: config)
            #expect(before.status == 0, "\(before.errors)")
            #expect(before.output.contains("never refreshed"), "\(before.output)")

            let refresh = try LeadRelayCLI.run(["report", "refresh"], config: config)
            #expect(refresh.status == 0, "\(refresh.errors)")
            #expect(refresh.output.contains("refreshed reporting.lead_facts"), "\(refresh.output)")

            let funnel = try LeadRelayCLI.run(["report", "funnel", "--period", "quarter", "--by", "source", "--format", "json"], config: config)
            #expect(funnel.status == 0, "\(funnel.errors)")
            let rows = try Self.json(funnel.output)
            #expect(rows.map { $0["value"] as? String } == ["import", "web"])
            #expect(rows.map { $0["leads"] as? Int } == [1, 3])
            #expect(rows.map { $0["customers"] as? Int } == [0, 2])
            #expect(rows.map { $0["mql_to_sal"] as? Double } == [nil, 0.6667])
            #expect(rows.map { $0["period_start"] as? String } == ["2024-01-01", "2024-01-01"])
            // The same numbers as the view, column for column.
            let view = try await connection.query("""
                SELECT value, revenue::text FROM reporting.funnel WHERE grain = 'quarter' AND dimension = 'source' ORDER BY value
                """).map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self))" }
            #expect(view == rows.map { "\($0["value"]!) \(String(format: "%.2f", $0["revenue"] as! Double))" })

            let window = try LeadRelayCLI.run(["report", "funnel", "--since", "2024-02-01", "--until", "2024-02-29", "--format", "csv"], config: config)
            #expect(window.status == 0, "\(window.errors)")
            let lines = window.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("period_start,value,leads,mqls,sals,sqls,opportunities,customers,revenue,") == true, "\(window.output)")
            #expect(lines.dropFirst() == ["2024-02-01,all,1,1,1,1,1,1,500.00,1.0000,1.0000,1.0000,1.0000,1.0000,1.0000"])

            let sla = try LeadRelayCLI.run(["report", "sla", "--by", "rep", "--period", "quarter"], config: config)
            #expect(sla.status == 0, "\(sla.errors)")
            let slaLines = sla.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(slaLines.contains("2024-01-01 r1 2 2 11.50 19.90 1 2 0.5000 3 4 1 2 0.5000 1"), "\(sla.output)")
            #expect(slaLines.contains("2024-01-01 r2 1 1 4.00 4.00 0 1 0.0000 1 2 0 1 0.0000 1"), "\(sla.output)")
            #expect(sla.output.contains("reporting.sla, as of "))

            let sources = try LeadRelayCLI.run(["report", "sources", "--by", "campaign", "--format", "json"], config: config)
            #expect(try Self.json(sources.output).filter { $0["value"] as? String == "spring" }.map { $0["cost_per_deal"] as? Double } == [500])

            let reps = try LeadRelayCLI.run(["report", "reps", "--format", "json"], config: config)
            #expect(try Self.json(reps.output).map { "\($0["value"]!) \($0["won"]!)" } == ["r1 1", "r2 0", "r1 1"])

            let actions = try LeadRelayCLI.run(["report", "actions", "--by", "behaviour", "--format", "json"], config: config)
            #expect(try Self.json(actions.output).map { "\($0["value"]!) \($0["lift"]!)" } == ["demo_request 1.5", "page_view 0.75"])

            let wrongDimension = try LeadRelayCLI.run(["report", "sla", "--by", "persona"], config: config)
            #expect(wrongDimension.status != 0)
            #expect(wrongDimension.errors.contains("rep, team"), "\(wrongDimension.errors)")
            await connection.close()
        }
    }

    @Test func costsImportReplacesADayAndRefusesABrokenFileWhole() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let good = try Self.temporaryFile("Campaign,Date,Amount\nspring,2024-01-10,300\nspring,2024-01-11,50.25\nsummer,2024-02-01,250\n",
                                              name: "costs.csv")
            let first = try LeadRelayCLI.run(["costs", "import", good], config: config)
            #expect(first.status == 0, "\(first.errors)")
            #expect(first.output.contains("3 new, 0 replaced; 600.25 in all"), "\(first.output)")
            let again = try Self.temporaryFile("campaign,date,amount\nspring,2024-01-10,310\n", name: "again.csv")
            #expect(try LeadRelayCLI.run(["costs", "import", again], config: config).output.contains("0 new, 1 replaced"))
            let broken = try Self.temporaryFile("campaign,date,amount\nautumn,2024-03-01,10\n,2024-03-02,5\nwinter,March,5\nwinter,2024-03-03,-4\n",
                                                name: "broken.csv")
            let refused = try LeadRelayCLI.run(["costs", "import", broken], config: config)
            #expect(refused.status != 0)
            #expect(refused.errors.contains("3: the campaign is empty"), "\(refused.errors)")
            #expect(refused.errors.contains("4: date 'March' is not YYYY-MM-DD"))
            #expect(refused.errors.contains("5: amount '-4' is not a number"))
            #expect(refused.errors.contains("nothing was stored"))

            let connection = try await Connection.connect(config)
            let stored = try await ReportingViewsTests.rows("SELECT campaign, spent_on, amount FROM campaign_costs ORDER BY 1, 2", on: connection)
            #expect(stored == ["(spring,2024-01-10,310.00)", "(spring,2024-01-11,50.25)", "(summer,2024-02-01,250.00)"])
            await connection.close()
        }
    }

    @Test func calibrateProposesARuleFileAndActivatesNothing() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            try await ReportingSeed.load(on: connection)
            let applied = try LeadRelayCLI.run(["rules", "apply", "examples/rules.yaml"], config: config)
            #expect(applied.status == 0, "\(applied.errors)")
            let activeBefore: Int = try await connection.query("SELECT version FROM rule_sets WHERE is_active")[0].decode(0)

            let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-proposed.yaml").path
            let result = try LeadRelayCLI.run(["calibrate", "--target-mql-to-sql", "0.5", "--output", output], config: config)
            #expect(result.status == 0, "\(result.errors)")
            let text = result.output
            #expect(text.contains("3 closed leads, 2 won; average close rate 66.7%"), "\(text)")
            let demo = text.split(separator: "\n").first { $0.hasPrefix("behaviour=demo_request ") }.map { $0.split(separator: " ").map(String.init) }
            #expect(demo?.prefix(4) == ["behaviour=demo_request", "2", "2", "100.0%"], "\(text)")
            #expect(text.contains("suggested MQL threshold: "))
            #expect(text.contains("current (version \(activeBefore))") && text.contains("proposed"))

            let yaml = try String(contentsOfFile: output, encoding: .utf8)
            let proposed = try RuleSet.load(yaml: yaml, file: output)
            #expect(proposed.version == "2026.11-1-calibrated")
            let suggested = try #require(demo.flatMap { Int($0[6]) })
            #expect(proposed.behaviour.first { $0.id == "demo_request" }?.points == suggested)
            #expect(try await connection.query("SELECT count(*) FROM rule_sets")[0].decode(0, as: Int.self) == 2, "nothing stored")
            #expect(try await connection.query("SELECT version FROM rule_sets WHERE is_active")[0].decode(0, as: Int.self) == activeBefore)
            await connection.close()
        }
    }
}
