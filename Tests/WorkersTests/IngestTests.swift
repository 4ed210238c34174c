import Foundation
import JobQueue
import LeadStore
import Logging
import Postgres
import TestSupport
import Testing
import Workers

@Suite struct IngestTests {
    /// Writes the records to the inbox, runs one ingest worker until the inbox is empty.
    static func ingest(_ batches: [[InboxRecord]], config: PostgresConfig) async throws {
        let connection = try await Connection.connect(config)
        for records in batches {
            _ = try await connection.withTransaction { try $0.writeInbox(records, source: "api") }
        }
        let worker = JobWorker(
            handler: IngestJobHandler(freeMailDomains: ["gmail.com"]), database: config,
            configuration: WorkerConfiguration(pollInterval: .milliseconds(50)), logger: Logger(label: "ingest-tests")
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            while try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'ingest'")[0].decode(0, as: Int.self) > 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        await connection.close()
    }

    static func lead(_ json: String) -> InboxRecord { InboxRecord(type: .lead, payload: json) }
    static func activity(_ json: String) -> InboxRecord { InboxRecord(type: .activity, payload: json) }

    @Test func leadsAreNormalizedDeduplicatedMergedAndMatchedToCompanies() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            try await Self.ingest([
                [
                    Self.lead(#"{"email": "Ada@Acme.io", "first_name": "Ada", "title": "CTO", "country": "Deutschland", "employees": "1,000-5,000", "annual_revenue": "$10M", "source": "webinar"}"#),
                    Self.lead(#"{"email": "sam@gmail.com", "company": "Sam's Shop"}"#),
                    Self.lead(#"{"email": "not an address"}"#),
                ],
                [
                    Self.lead(#"{"email": "  ada@acme.io ", "title": "CEO", "source": "salesforce"}"#),
                    Self.lead(#"{"email": "lin@acme.io", "first_name": "Lin"}"#),
                ],
            ], config: config)
            let connection = try await Connection.connect(config)
            let ada = try await connection.query("""
                SELECT first_name, title, country, employees, annual_revenue, source, first_source, company_id
                FROM leads WHERE email = 'ada@acme.io'
                """)
            #expect(ada.count == 1)
            #expect(try ada[0].decode(0) == "Ada")
            #expect(try ada[0].decode(1) == "CEO")
            #expect(try ada[0].decode(2) == "DE")
            #expect(try ada[0].decode(3) == 1_000)
            #expect(try ada[0].decode(4) == Int64(10_000_000))
            #expect(try ada[0].decode(5) == "salesforce")
            #expect(try ada[0].decode(6) == "webinar")
            let lin: Int64? = try await connection.query("SELECT company_id FROM leads WHERE email = 'lin@acme.io'")[0].decode(0)
            let adaCompany = try ada[0].decode(7, as: Int64?.self)
            #expect(lin != nil && lin == adaCompany)
            #expect(try await connection.query("SELECT company_id FROM leads WHERE email = 'sam@gmail.com'")[0].decode(0, as: Int64?.self) == nil)
            #expect(try await connection.query("SELECT count(*) FROM companies")[0].decode(0) == 1)

            let reject = try await connection.query("SELECT reason, payload FROM rejects")
            #expect(reject.count == 1)
            #expect(try reject[0].decode(0, as: String.self).hasPrefix("email"))
            #expect(try reject[0].decode(1, as: String.self).contains("not an address"))

            let batches = try await connection.query("SELECT created, merged, rejected FROM intake_batches ORDER BY id")
            #expect(try batches.map { [try $0.decode(0, as: Int.self), try $0.decode(1), try $0.decode(2)] } == [[2, 0, 1], [1, 1, 0]])
            #expect(try await connection.query("SELECT count(*) FROM inbox WHERE ingested_at IS NULL")[0].decode(0) == 0)
            let linked: [String] = try await connection.query("""
                SELECT l.email FROM inbox i JOIN leads l ON l.id = i.lead_id ORDER BY i.id
                """).map { try $0.decode(0) }
            #expect(linked == ["ada@acme.io", "sam@gmail.com", "ada@acme.io", "lin@acme.io"], "raw records stay, linked to their lead")
            let rejectedRaw: String = try await connection.query("""
                SELECT i.payload->>'email' FROM rejects r JOIN inbox i ON i.id = r.inbox_id
                """)[0].decode(0)
            #expect(rejectedRaw == "not an address")
            let scoreJobs: [String] = try await connection.query("SELECT key FROM jobs WHERE kind = 'score' ORDER BY key").map { try $0.decode(0) }
            #expect(scoreJobs.count == 3, "one pending scoring job per touched lead")
            await connection.close()
        }
    }

    @Test func activitiesAreRecordedAgainstTheirLeadAndCreateUnknownLeads() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            try await Self.ingest([
                [Self.lead(#"{"email": "ada@acme.io"}"#)],
                [
                    Self.activity(#"{"email": "ADA@acme.io", "type": "Page View", "url": "https://leadrelay.io/pricing", "occurred_at": "2026-11-20T10:00:00Z"}"#),
                    Self.activity(#"{"email": "new@globex.com", "type": "demo_request"}"#),
                    Self.activity(#"{"email": "ada@acme.io", "type": "page_view"}"#),
                ],
            ], config: config)
            let connection = try await Connection.connect(config)
            let rows = try await connection.query("""
                SELECT l.email, a.type, a.url, a.occurred_at FROM activities a JOIN leads l ON l.id = a.lead_id ORDER BY l.email
                """)
            #expect(rows.count == 2)
            #expect(try rows[0].decode(0) == "ada@acme.io")
            #expect(try rows[0].decode(1) == "page_view")
            #expect(try rows[0].decode(3) == Date(timeIntervalSince1970: 1_795_168_800))
            #expect(try rows[1].decode(0) == "new@globex.com")
            #expect(try rows[1].decode(1) == "demo_request")
            let reasons: [String] = try await connection.query("SELECT reason FROM rejects").map { try $0.decode(0) }
            #expect(reasons.count == 1 && reasons[0].contains("url"))
            let batch = try await connection.query("SELECT activities, rejected FROM intake_batches ORDER BY id DESC LIMIT 1")[0]
            #expect(try batch.decode(0) == 2)
            #expect(try batch.decode(1) == 1)
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'score'")[0].decode(0) == 2)
            await connection.close()
        }
    }
}
