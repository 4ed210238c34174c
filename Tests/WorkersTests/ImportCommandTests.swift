import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ImportCommandTests {
    static func run(_ arguments: [String], config: PostgresConfig, stdin: String? = nil) throws -> (status: Int32, output: String) {
        let result = try LeadRelayCLI.run(arguments, config: config, stdin: stdin)
        return (result.status, result.output)
    }

    @Test func importsTheSalesforceSampleAndSummarizes() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try Self.run(["import", "Tests/Fixtures/salesforce-leads.csv", "--mapping", "salesforce", "--batch-size", "7"], config: config)
            #expect(result.status == 0)
            #expect(result.output.contains("30 rows"))
            #expect(result.output.contains("accepted  27"))
            #expect(result.output.contains("rejected  3"))
            let connection = try await Connection.connect(config)
            let leads: Int = try await connection.query("SELECT count(*) FROM leads")[0].decode(0)
            let rejects: Int = try await connection.query("SELECT count(*) FROM rejects")[0].decode(0)
            #expect(leads == 26, "27 good rows, one of them a duplicate by case and spaces")
            #expect(rejects == 3)
            #expect(try await connection.query("SELECT count(*) FROM inbox_records WHERE ingested_at IS NULL")[0].decode(0) == 0)
            #expect(try await connection.query("SELECT sum(cardinality(lines)) FROM inbox_csv_batches")[0].decode(0) == 30,
                    "every row in a batch of at most 7")
            #expect(try await connection.query("SELECT max(cardinality(lines)) FROM inbox_csv_batches")[0].decode(0) <= 7)
            #expect(try await connection.query("""
                SELECT count(*) FROM inbox_records i JOIN leads l ON l.id = i.lead_id
                WHERE l.email = lower(btrim(i.payload->>'Email'))
                """)[0].decode(0) == 27, "every raw row is kept, under its header's names, linked to the lead it became")
            #expect(try await connection.query("""
                SELECT count(*) FROM rejects r JOIN inbox_records i ON i.batch_id = r.batch_id AND i.position = r.position AND i.lead_id IS NULL
                WHERE r.payload::jsonb = i.payload
                """)[0].decode(0) == 3, "and every rejected row to its reject, which holds the same record")
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'score'")[0].decode(0) == 26,
                    "one scoring job per lead")
            #expect(try await connection.query("SELECT count(DISTINCT source) FROM leads WHERE first_source IS NOT NULL")[0].decode(0, as: Int.self) >= 1)
            await connection.close()
        }
    }

    @Test func importsTheHubSpotSample() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try Self.run(["import", "Tests/Fixtures/hubspot-contacts.csv", "--mapping", "hubspot"], config: config)
            #expect(result.status == 0)
            #expect(result.output.contains("30 rows"))
            #expect(result.output.contains("accepted  26"))
            #expect(result.output.contains("rejected  4"))
            let connection = try await Connection.connect(config)
            #expect(try await connection.query("SELECT count(*) FROM rejects")[0].decode(0) == 4)
            #expect(try await connection.query("SELECT count(*) FROM inbox_records WHERE lead_id IS NOT NULL")[0].decode(0) == 26)
            await connection.close()
        }
    }

    /// A missing column, Latin-1 bytes and a quote that is never closed: each bad record is
    /// rejected with its line, its reason and its original text, and the good rows still land.
    @Test func rejectsBrokenRowsOneByOneWithTheirLines() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let result = try Self.run(["import", "Tests/Fixtures/salesforce-broken-rows.csv", "--mapping", "salesforce"], config: config)
            #expect(result.status == 0)
            #expect(result.output.contains("accepted  2"))
            #expect(result.output.contains("rejected  3"))
            let connection = try await Connection.connect(config)
            let emails: [String] = try await connection.query("SELECT email FROM leads ORDER BY email").map { try $0.decode(0) }
            #expect(emails == ["grace.hopper@initech.com", "margaret.hamilton@globex.com"])
            let rejects = try await connection.query("SELECT position, reason, payload FROM rejects ORDER BY position").map {
                (line: try $0.decode(0, as: Int.self), reason: try $0.decode(1, as: String.self), payload: try $0.decode(2, as: String.self))
            }
            #expect(rejects.map(\.line) == [3, 4, 6])
            #expect(rejects.count == 3)
            if rejects.count == 3 {
                #expect(rejects[0].reason.contains("10 fields"), "\(rejects[0].reason)")
                #expect(rejects[1].reason.contains("UTF-8"), "\(rejects[1].reason)")
                #expect(rejects[2].reason.contains("quoted field is not closed"), "\(rejects[2].reason)")
                #expect(rejects[2].payload.contains("ada.byron@analytical-example.io"),
                        "the line swallowed by the open quote is kept in the reject, not lost")
            }
            await connection.close()
        }
    }

    @Test func importsJSONLinesFromStandardInputAndRejectsTheBadLine() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let lines = """
                {"email": "ada@acme.io", "first_name": "Ada"}
                {"email": "ada@acme.io", "type": "webinar_attended", "content": "Scoring 101"}
                {"email": "oops"
                {"email": "bob@globex.com", "colour": "blue"}
                """
            let result = try Self.run(["import", "--jsonl", "-"], config: config, stdin: lines)
            #expect(result.status == 0)
            #expect(result.output.contains("rejected  2"))
            let connection = try await Connection.connect(config)
            #expect(try await connection.query("SELECT count(*) FROM activities")[0].decode(0) == 1)
            let positions: [Int] = try await connection.query("SELECT position FROM rejects ORDER BY position").map { try $0.decode(0) }
            #expect(positions == [3, 4])
            await connection.close()
        }
    }

    /// Batches of two rows, several of them queued behind each connection's write: the
    /// rows of one person still land in file order, so the last row's values win.
    @Test func queuedBatchesCommitInFileOrder() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            var csv = "FirstName,LastName,Email,Company,Title\n"
            for row in 1...60 {
                csv += "Ada,Lovelace,ada@analytical.example,Analytical,Title \(row)\n"
                csv += "Person,\(row),person\(row)@firm\(row % 7).example,Firm \(row % 7),Engineer\n"
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("order-\(UUID().uuidString).csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try Self.run(["import", file.path, "--mapping", "salesforce", "--batch-size", "2"], config: config)
            #expect(result.status == 0, "\(result.output)")
            let connection = try await Connection.connect(config)
            let title = try await connection.query("SELECT title FROM leads WHERE email = 'ada@analytical.example'").first?.decode(0, as: String.self)
            #expect(title == "Title 60")
            #expect(try await connection.query("SELECT count(*) FROM leads")[0].decode(0) == 61)
            #expect(try await connection.query("SELECT count(*) FROM intake_batches")[0].decode(0, as: Int.self) >= 60)
            await connection.close()
        }
    }

    @Test func aMissingEmailColumnIsAClearErrorBeforeAnyRow() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("no-email-\(UUID().uuidString).csv")
            try "FirstName,LastName,Company\nAda,Lovelace,Acme\n".write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try Self.run(["import", file.path, "--mapping", "salesforce"], config: config)
            #expect(result.status != 0)
            let connection = try await Connection.connect(config)
            #expect(try await connection.query("SELECT count(*) FROM inbox_records")[0].decode(0) == 0)
            await connection.close()
        }
    }
}
