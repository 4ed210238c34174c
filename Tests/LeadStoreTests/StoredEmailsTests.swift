import Foundation
@testable import LeadStore
import Postgres
import TestSupport
import Testing

/// A bulk writer's batches presume new every e-mail it has not stored itself; the unique
/// e-mail index catches a wrong presumption, and nothing is lost or stored twice.
@Suite struct StoredEmailsTests {
    typealias Lead = LeadUpsertTests

    @Test func theFilterRemembersWhatWasInsertedAndFewElse() {
        let filter = StoredEmails(bits: 1 << 16)
        let inserted = (0..<1_000).map { "person\($0)@acme.example" }
        filter.insert(filter.slots(of: inserted))
        #expect(filter.mightContain(filter.slots(of: inserted)).allSatisfy { $0 })
        let others = filter.mightContain(filter.slots(of: (0..<10_000).map { "other\($0)@beta.example" })).filter { !$0 }.count
        #expect(others > 9_700, "1,000 e-mails in 65,536 bits, 3 bits each in one word: well under 1% false positives, had \(10_000 - others)")
        #expect(filter.isTrusted)
    }

    @Test func aWritersOwnRepeatIsMergedWithoutBeingLookedUpFirst() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let stored = StoredEmails()
            let first = try await connection.withTransaction {
                try $0.upsertLeads(Lead.fillers(100) + [Lead.lead("ada@acme.io") { $0.title = "CTO" }], storedEmails: stored)
            }
            #expect(first.allSatisfy { $0.created })
            let second = try await connection.withTransaction {
                try $0.upsertLeads(
                    (100..<200).map { Lead.lead("f\($0)@filler\($0).example") } + [Lead.lead("ada@acme.io") { $0.phone = "+1 555 0100" }],
                    storedEmails: stored)
            }
            #expect(second.first { $0.email == "ada@acme.io" }?.created == false)
            #expect(second.filter(\.created).count == 100)
            #expect(stored.isTrusted, "nothing it presumed new was stored")
            let ada = try await connection.query("SELECT title, phone FROM leads WHERE email = 'ada@acme.io'")
            #expect(ada.count == 1)
            #expect(try ada[0].decode(0, as: String.self) == "CTO")
            #expect(try ada[0].decode(1, as: String.self) == "+1 555 0100")
            await connection.close()
        }
    }

    @Test func aLeadStoredBeforeTheImportIsMergedAndEndsThePresumption() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            _ = try await connection.withTransaction { try $0.upsertLeads([Lead.lead("ada@acme.io") { $0.firstName = "Ada" }]) }
            let stored = StoredEmails()
            let upserted = try await connection.withTransaction {
                try $0.upsertLeads(Lead.fillers(100) + [Lead.lead("ada@acme.io") { $0.title = "CTO" }], storedEmails: stored)
            }
            #expect(upserted.count == 101)
            #expect(upserted.first { $0.email == "ada@acme.io" }?.created == false)
            #expect(upserted.filter(\.created).count == 100)
            #expect(!stored.isTrusted, "a presumed-new e-mail was stored: every later e-mail is looked up")
            let ada = try await connection.query("SELECT first_name, title FROM leads WHERE email = 'ada@acme.io'")
            #expect(ada.count == 1)
            #expect(try ada[0].decode(0, as: String.self) == "Ada")
            #expect(try ada[0].decode(1, as: String.self) == "CTO")
            #expect(try await connection.query("SELECT count(*) FROM leads")[0].decode(0, as: Int.self) == 101)
            await connection.close()
        }
    }
}
