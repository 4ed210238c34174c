import Foundation
@testable import LeadStore
import Postgres
import TestSupport
import Testing

/// A bulk writer does not write a company again when its record repeats the one it last
/// wrote and committed; it still writes every record that says something new, and never
/// hands out the id of a company whose transaction rolled back.
@Suite struct WrittenCompaniesTests {
    typealias Lead = LeadUpsertTests

    static func acme(_ email: String, industry: String = "Software") -> LeadUpsert {
        Lead.lead(email) {
            $0.companyName = "Acme"
            $0.industry = industry
            $0.employees = 500
        }
    }

    static func company(_ connection: Connection, _ domain: String) async throws -> (id: Int64, industry: String)? {
        try await connection.query("SELECT id, industry FROM companies WHERE domain = $1", [domain]).first.map {
            (try $0.decode(0), try $0.decode(1))
        }
    }

    static func companyOfLead(_ connection: Connection, _ email: String) async throws -> Int64? {
        try await connection.query("SELECT company_id FROM leads WHERE email = $1", [email]).first?.decode(0)
    }

    @Test(arguments: [0, 100])
    func aRepeatedRecordIsNotWrittenAgainButItsLeadsAreLinked(fillers: Int) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let written = WrittenCompanies()
            _ = try await connection.withTransaction {
                try $0.upsertLeads(Lead.fillers(fillers) + [Self.acme("ada@acme.io")], writtenCompanies: written)
            }
            written.confirm()
            let acme = try #require(try await Self.company(connection, "acme.io"))
            // Another writer changes the account after the import wrote it.
            try await connection.query("UPDATE companies SET industry = 'Retail' WHERE domain = 'acme.io'")

            _ = try await connection.withTransaction {
                try $0.upsertLeads([Self.acme("grace@acme.io")], writtenCompanies: written)
            }
            written.confirm()
            #expect(try await Self.company(connection, "acme.io")?.industry == "Retail", "a repeat of the import's own record undid a newer change")
            #expect(try await Self.companyOfLead(connection, "grace@acme.io") == acme.id)
            await connection.close()
        }
    }

    @Test func aRecordThatDiffersIsWrittenAndWins() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let written = WrittenCompanies()
            for (email, industry) in [("ada@acme.io", "Software"), ("grace@acme.io", "Manufacturing"), ("alan@acme.io", "Software")] {
                _ = try await connection.withTransaction {
                    try $0.upsertLeads([Self.acme(email, industry: industry)], writtenCompanies: written)
                }
                written.confirm()
                #expect(try await Self.company(connection, "acme.io")?.industry == industry, "after \(email)")
            }
            #expect(try await connection.query("SELECT count(*) FROM companies")[0].decode(0, as: Int.self) == 1)
            await connection.close()
        }
    }

    @Test(arguments: [0, 100])
    func aCompanyWithOneDifferingLeadIsWrittenFromAllItsLeads(fillers: Int) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let written = WrittenCompanies()
            _ = try await connection.withTransaction { try $0.upsertLeads([Self.acme("ada@acme.io")], writtenCompanies: written) }
            written.confirm()
            try await connection.query("UPDATE companies SET industry = 'Retail' WHERE domain = 'acme.io'")

            // The batch's last lead repeats the written record, an earlier one differs: the
            // company is written as the batch's records merge, the last one winning.
            _ = try await connection.withTransaction {
                try $0.upsertLeads(
                    Lead.fillers(fillers) + [Self.acme("grace@acme.io", industry: "Manufacturing"), Self.acme("alan@acme.io")],
                    writtenCompanies: written)
            }
            written.confirm()
            let acme = try #require(try await Self.company(connection, "acme.io"))
            #expect(acme.industry == "Software")
            #expect(try await Self.companyOfLead(connection, "grace@acme.io") == acme.id)
            #expect(try await Self.companyOfLead(connection, "alan@acme.io") == acme.id)
            await connection.close()
        }
    }

    @Test func aCompanyWrittenByARolledBackTransactionIsWrittenAgain() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let written = WrittenCompanies()
            struct Abandoned: Error {}
            await #expect(throws: Abandoned.self) {
                try await connection.withTransaction { connection in
                    _ = try connection.upsertLeads([Self.acme("ada@acme.io")], writtenCompanies: written)
                    throw Abandoned()
                }
            }
            #expect(try await Self.company(connection, "acme.io") == nil)

            _ = try await connection.withTransaction {
                try $0.upsertLeads([Self.acme("grace@acme.io")], writtenCompanies: written)
            }
            written.confirm()
            let acme = try #require(try await Self.company(connection, "acme.io"), "the company was presumed written")
            #expect(try await Self.companyOfLead(connection, "grace@acme.io") == acme.id)
            #expect(written.count == 1)
            await connection.close()
        }
    }

    @Test func pastItsCapacityTheWriterForgetsAndWritesAgain() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let written = WrittenCompanies(capacity: 2)
            for email in ["ada@acme.io", "bo@beta.io"] {
                _ = try await connection.withTransaction { try $0.upsertLeads([Self.acme(email)], writtenCompanies: written) }
                written.confirm()
            }
            #expect(written.count == 2)
            _ = try await connection.withTransaction { try $0.upsertLeads([Self.acme("cy@gamma.io")], writtenCompanies: written) }
            written.confirm()
            #expect(written.count == 1, "the third company made the writer forget the other two")

            try await connection.query("UPDATE companies SET industry = 'Retail' WHERE domain = 'acme.io'")
            _ = try await connection.withTransaction { try $0.upsertLeads([Self.acme("di@acme.io")], writtenCompanies: written) }
            written.confirm()
            #expect(try await Self.company(connection, "acme.io")?.industry == "Software", "a forgotten company's record is written as any other")
            await connection.close()
        }
    }
}
