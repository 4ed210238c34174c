import Foundation
@testable import LeadStore
import Postgres
import Testing

/// A batch's records fold into one upsert per e-mail and one company per domain before
/// they reach the server; what each keeps depends on the records' order in the batch.
@Suite struct BatchFoldTests {
    @Test func recordsOfOnePersonFoldInArrivalOrderWhereverTheySort() {
        var batch: [LeadUpsert] = []
        for round in 1...5 {
            batch.append(Self.lead("zoe@beta.io") { $0.title = "Title \(round)"; if round == 2 { $0.phone = "+1 555 0102" } })
            batch.append(Self.lead("person\(round)@acme.io") { $0.employees = round * 100 })
            batch.append(Self.lead("ada@acme.io") { if round == 3 { $0.source = "webinar" } else if round == 4 { $0.source = "salesforce" } })
        }
        let folded = Connection.foldedByEmail(batch)
        #expect(folded.map(\.email) == ["ada@acme.io"] + (1...5).map { "person\($0)@acme.io" } + ["zoe@beta.io"])
        let zoe = folded.last!
        #expect(zoe.title == "Title 5")
        #expect(zoe.phone == "+1 555 0102", "a field that later records lack is kept")
        #expect(folded[0].source == "salesforce")
        #expect(folded[0].firstSource == "webinar")

        let companies = Connection.companiesByDomain(batch)
        #expect(companies.map(\.domain) == ["acme.io", "beta.io"])
        #expect(companies[0].employees == 500, "the company's latest value, from the last of its records that has one")
    }

    static func lead(_ email: String, _ change: (inout LeadUpsert) -> Void) -> LeadUpsert {
        let domain = String(email.split(separator: "@")[1])
        var lead = LeadUpsert(email: email, emailDomain: domain, isFreeMail: false, seenAt: Date(timeIntervalSince1970: 1_790_000_000))
        change(&lead)
        return lead
    }

    @Test func anEmptyBatchFoldsToNothing() {
        #expect(Connection.foldedByEmail([]).isEmpty)
        #expect(Connection.companiesByDomain([]).isEmpty)
    }
}
