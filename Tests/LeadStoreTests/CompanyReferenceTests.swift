import Foundation
import LeadStore
import Postgres
import TestSupport
import Testing

/// Leads name their company by id without a foreign key (see schema/0015): the reference
/// holds because companies are never deleted or renumbered.
@Suite struct CompanyReferenceTests {
    @Test func companiesAreKeptForGoodUnderTheirIds() async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let upserted = try await connection.withTransaction { connection in
                try connection.upsertLeads([LeadUpsertTests.lead("ada@acme.io") { $0.companyName = "Acme" }])
            }
            let companyID: Int64 = try await connection.query("SELECT id FROM companies WHERE domain = 'acme.io'")[0].decode(0)
            #expect(try await connection.query("SELECT company_id FROM leads WHERE id = $1", [upserted[0].id])[0].decode(0) == companyID)
            for statement in ["DELETE FROM companies", "UPDATE companies SET id = DEFAULT", "TRUNCATE companies"] {
                do {
                    try await connection.query(statement)
                    Issue.record("\(statement) went through")
                } catch let error as PostgresError {
                    #expect(error.sqlState?.rawValue == "23001", "\(statement): \(error)")
                }
            }
            #expect(try await connection.query("SELECT id FROM companies").map { try $0.decode(0, as: Int64.self) } == [companyID])
            // A company's other columns change as before.
            try await connection.query("UPDATE companies SET owner_rep = 'rep-1' WHERE id = $1", [companyID])
            // Emptied together with the leads that name them, they may go.
            try await connection.query("TRUNCATE leads, companies CASCADE")
            #expect(try await connection.query("SELECT count(*) FROM companies")[0].decode(0) == 0)
            await connection.close()
        }
    }
}
