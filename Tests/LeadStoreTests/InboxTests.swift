import Foundation
import JobQueue
import LeadStore
import Postgres
import TestSupport
import Testing

@Suite struct InboxTests {
    @Test func aBatchLandsInTheInboxWithItsIngestJobAndRepeatedKeysGetTheFirstID() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let first = try await connection.withTransaction { connection in
                try connection.writeInbox([
                    InboxRecord(type: .lead, payload: #"{"email": "ada@example.com"}"#, position: 0, idempotencyKey: "k1"),
                    InboxRecord(type: .activity, payload: #"{"email": "ada@example.com", "type": "page_view"}"#, position: 1),
                ], source: "api")
            }
            #expect(first.ids.count == 2)
            #expect(first.repeats == 0)
            let second = try await connection.withTransaction { connection in
                try connection.writeInbox([
                    InboxRecord(type: .lead, payload: #"{"email": "bob@example.com"}"#, idempotencyKey: "k2"),
                    InboxRecord(type: .lead, payload: #"{"email": "ada@example.com"}"#, idempotencyKey: "k1"),
                    InboxRecord(type: .lead, payload: #"{"email": "bob@example.com"}"#, idempotencyKey: "k2"),
                ], source: "api")
            }
            #expect(second.repeats == 2)
            #expect(second.ids[1] == first.ids[0])
            #expect(second.ids[0] == second.ids[2])
            let inbox: Int = try await connection.query("SELECT count(*) FROM inbox")[0].decode(0)
            #expect(inbox == 3)
            let jobs = try await connection.query("SELECT payload::text FROM jobs WHERE kind = 'ingest' ORDER BY id")
            #expect(jobs.count == 2)
            #expect(try jobs[0].decode(0, as: String.self).contains("\(first.batchID)"))
            await connection.close()
        }
    }

    @Test func copyInboxStreamsAWholeBatch() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let records = (0..<5_000).map { InboxRecord(type: .lead, payload: #"{"email": "lead\#($0)@example.com"}"#, position: $0 + 2) }
            let batch = try await connection.withTransaction { try $0.copyInbox(records, source: "import:salesforce") }
            let row = try await connection.query("SELECT count(*), min(position), max(payload->>'email') FROM inbox WHERE batch_id = $1", [batch])[0]
            #expect(try row.decode(0) == 5_000)
            #expect(try row.decode(1) == 2)
            #expect(try row.decode(2) == "lead9@example.com")  // text order: "@" sorts after digits
            #expect(try await connection.query("SELECT received FROM intake_batches WHERE id = $1", [batch])[0].decode(0) == 5_000)
            await connection.close()
        }
    }

    /// A CSV batch is one row; `inbox_records` unpacks it into records beside the per-record
    /// inbox, each with its line, its lead and its fields under the header's names.
    @Test func anIngestedCSVBatchIsOneRowAndReadsBackRecordByRecord() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let header = ["Email", "Company", "Note"]
            let records = (0..<3_000).map { index in
                IngestedCSVRecord(line: index + 2, fields: ["p\(index)@acme.io", "Acme, Inc.", index == 7 ? "" : "says \"hi\""],
                                  leadID: index == 7 ? nil : Int64(1_000 + index))
            }
            let batch = try await connection.withTransaction { connection in
                let batch = try connection.beginIntakeBatch()
                var outcome = BatchOutcome()
                outcome.created = 2_999
                outcome.rejected = 1
                try connection.storeIngestedCSV(records, header: header, batch: batch, source: "import:test", outcome: outcome)
                _ = try connection.writeInbox([InboxRecord(type: .lead, payload: #"{"email": "api@acme.io"}"#, position: 0)], source: "api")
                return batch.id
            }
            #expect(try await connection.query("SELECT count(*) FROM inbox_csv_batches")[0].decode(0) == 1)
            let summary = try await connection.query("""
                SELECT count(*), count(lead_id), min(position), max(position), count(DISTINCT payload->>'Email')
                FROM inbox_records WHERE batch_id = $1
                """, [batch])[0]
            #expect(try summary.decode(0) == 3_000)
            #expect(try summary.decode(1) == 2_999)
            #expect(try summary.decode(2) == 2)
            #expect(try summary.decode(3) == 3_001)
            #expect(try summary.decode(4) == 3_000)
            let rejected = try await connection.query("""
                SELECT position, payload::text, ingested_at IS NOT NULL FROM inbox_records WHERE batch_id = $1 AND lead_id IS NULL
                """, [batch])
            #expect(rejected.count == 1)
            #expect(try rejected.first?.decode(0) == 9)
            #expect(try rejected.first?.decode(1) == #"{"Note": "", "Email": "p7@acme.io", "Company": "Acme, Inc."}"#)
            #expect(try rejected.first?.decode(2) == true)
            let linked = try await connection.query("SELECT payload->>'Email', payload->>'Note' FROM inbox_records WHERE lead_id = 1500")
            #expect(try linked.first?.decode(0) == "p500@acme.io")
            #expect(try linked.first?.decode(1) == #"says "hi""#)
            #expect(try await connection.query("SELECT count(*) FROM inbox_records WHERE source = 'api'")[0].decode(0) == 1)
            let outcome = try await connection.query("SELECT received, created, rejected, ingested_at IS NOT NULL FROM intake_batches WHERE id = $1", [batch])[0]
            #expect(try outcome.decode(0) == 3_000)
            #expect(try outcome.decode(1) == 2_999)
            #expect(try outcome.decode(2) == 1)
            #expect(try outcome.decode(3) == true)
            await connection.close()
        }
    }
}

@Suite struct LeadUpsertTests {
    static func lead(_ email: String, seenAt: Date = Date(timeIntervalSince1970: 1_790_000_000), _ change: (inout LeadUpsert) -> Void = { _ in }) -> LeadUpsert {
        let domain = String(email.split(separator: "@")[1])
        var lead = LeadUpsert(email: email, emailDomain: domain, isFreeMail: domain == "gmail.com", seenAt: seenAt)
        change(&lead)
        return lead
    }

    /// Leads of their own companies that ride along, so that a batch is large enough to be
    /// staged by COPY (`fillers` = 100) rather than sent as arrays (0).
    static func fillers(_ count: Int) -> [LeadUpsert] {
        (0..<count).map { lead("f\($0)@filler\($0).example") { $0.employees = 10 } }
    }

    static func withoutFillers(_ leads: [UpsertedLead]) -> [UpsertedLead] {
        leads.filter { !$0.email.hasPrefix("f") }
    }

    @Test(arguments: [0, 100])
    func newerNonEmptyFieldsWinAndFirstSeenAndFirstSourceStay(fillers: Int) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let early = Date(timeIntervalSince1970: 1_780_000_000)
            let created = try await connection.withTransaction { connection in
                try connection.upsertLeads(Self.fillers(fillers) + [
                    Self.lead("ada@acme.io", seenAt: early) {
                        $0.firstName = "Ada"; $0.title = "CTO"; $0.source = "webinar"; $0.companyName = "Acme"; $0.employees = 200
                    },
                    Self.lead("sam@gmail.com") { $0.firstName = "Sam" },
                ])
            }
            #expect(Self.withoutFillers(created).map(\.created) == [true, true])
            let merged = try await connection.withTransaction { connection in
                try connection.upsertLeads(Self.fillers(fillers) + [
                    Self.lead("ada@acme.io") { $0.title = "CEO"; $0.source = "salesforce"; $0.employees = 250 },
                    Self.lead("ada@acme.io") { $0.phone = "+1 555 0100" },
                    Self.lead("lin@acme.io") { $0.firstName = "Lin" },
                ])
            }
            #expect(Self.withoutFillers(merged).count == 2)
            #expect(merged.first { $0.email == "ada@acme.io" }?.created == false)
            #expect(merged.first { $0.email == "lin@acme.io" }?.created == true)
            let ada = try await connection.query("""
                SELECT first_name, title, phone, source, first_source, first_seen_at, company_id IS NOT NULL FROM leads WHERE email = 'ada@acme.io'
                """)[0]
            #expect(try ada.decode(0) == "Ada")
            #expect(try ada.decode(1) == "CEO")
            #expect(try ada.decode(2) == "+1 555 0100")
            #expect(try ada.decode(3) == "salesforce")
            #expect(try ada.decode(4) == "webinar")
            #expect(try ada.decode(5) == early)
            #expect(try ada.decode(6) == true)
            let companies = try await connection.query("SELECT domain, employees FROM companies WHERE domain NOT LIKE 'filler%'")
            #expect(companies.count == 1, "free-mail domains make no company")
            #expect(try companies[0].decode(0) == "acme.io")
            #expect(try companies[0].decode(1) == 250)
            let sharedCompany: Int = try await connection.query("SELECT count(DISTINCT company_id) FROM leads WHERE email_domain = 'acme.io'")[0].decode(0)
            #expect(sharedCompany == 1)
            await connection.close()
        }
    }

    /// Within one batch, a company's later record wins, whatever its leads' e-mails sort as.
    @Test(arguments: [0, 100])
    func aCompanysLaterRecordInTheBatchWins(fillers: Int) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            _ = try await connection.withTransaction {
                try $0.upsertLeads(Self.fillers(fillers) + [
                    Self.lead("zed@acme.io") { $0.employees = 100; $0.industry = "software" },
                    Self.lead("amy@acme.io") { $0.employees = 200 },
                ])
            }
            let company = try await connection.query("SELECT employees, industry FROM companies WHERE domain = 'acme.io'")[0]
            #expect(try company.decode(0, as: Int.self) == 200)
            #expect(try company.decode(1, as: String.self) == "software", "a field the later record lacks is kept")
            await connection.close()
        }
    }

    /// A bulk batch copies its new leads straight into `leads`. A lead that another writer
    /// stores between the batch's lookup and its COPY makes the COPY fail; the batch is
    /// then merged instead, and nothing is lost or stored twice.
    @Test func aLeadStoredByAnotherWriterDuringTheCopyIsMergedInstead() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let batchWriter = try await Connection.connect(config)
            let other = try await Connection.connect(config)
            let observer = try await Connection.connect(config)
            try await other.execute("BEGIN")
            _ = try await other.upsertLeads([Self.lead("ada@gmail.com") { $0.firstName = "Ada" }])
            let pid: Int32 = try await batchWriter.query("SELECT pg_backend_pid()")[0].decode(0)
            async let upserted = batchWriter.withTransaction { connection in
                try connection.upsertLeads(Self.fillers(100) + [Self.lead("ada@gmail.com") { $0.title = "CTO" }])
            }
            // The lookup cannot see the other writer's uncommitted lead, so the COPY takes it
            // as new and waits on it in the e-mail index; the other writer commits then. (A
            // free-mail lead: a company would make the batch wait earlier, in its merge.)
            while try await observer.query("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1",
                                           [pid])[0].decode(0, as: Bool?.self) != true {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await other.execute("COMMIT")
            let result = try await upserted
            #expect(result.count == 101)
            #expect(result.first { $0.email == "ada@gmail.com" }?.created == false)
            #expect(result.filter(\.created).count == 100)
            let ada = try await observer.query("SELECT first_name, title FROM leads WHERE email = 'ada@gmail.com'")
            #expect(ada.count == 1)
            #expect(try ada[0].decode(0, as: String.self) == "Ada")
            #expect(try ada[0].decode(1, as: String.self) == "CTO")
            #expect(try await observer.query("SELECT count(*) FROM leads")[0].decode(0, as: Int.self) == 101)
            for connection in [batchWriter, other, observer] { await connection.close() }
        }
    }

    @Test(arguments: [0, 100])
    func aCompanyTheBatchWouldNotChangeIsLinkedButNotRewritten(fillers: Int) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let version = "SELECT xmin::text, employees, country FROM companies WHERE domain = 'acme.io'"
            _ = try await connection.withTransaction {
                try $0.upsertLeads(Self.fillers(fillers) + [Self.lead("ada@acme.io") { $0.employees = 200; $0.country = "US" }])
            }
            let before = try await connection.query(version)[0].decode(0, as: String.self)
            // Same values, or none at all: the row stays as it was, and the new lead is linked to it.
            _ = try await connection.withTransaction {
                try $0.upsertLeads(Self.fillers(fillers) + [Self.lead("bo@acme.io") { $0.employees = 200 }, Self.lead("cy@acme.io")])
            }
            #expect(try await connection.query(version)[0].decode(0, as: String.self) == before)
            #expect(try await connection.query("SELECT count(DISTINCT company_id), count(company_id) FROM leads WHERE email_domain = 'acme.io'").map {
                [try $0.decode(0, as: Int.self), try $0.decode(1, as: Int.self)] } == [[1, 3]])
            // A new value is written.
            _ = try await connection.withTransaction {
                try $0.upsertLeads(Self.fillers(fillers) + [Self.lead("di@acme.io") { $0.employees = 250 }])
            }
            let after = try await connection.query(version)[0]
            #expect(try after.decode(0, as: String.self) != before)
            #expect(try after.decode(1, as: Int.self) == 250)
            #expect(try after.decode(2, as: String.self) == "US")
            await connection.close()
        }
    }
}
