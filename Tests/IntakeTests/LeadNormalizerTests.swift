import Testing
import Intake

@Suite struct LeadNormalizerTests {
    let normalizer = LeadNormalizer(freeMailDomains: ["gmail.com", "Hotmail.com"])

    @Test func normalizesEveryField() throws {
        let lead = IncomingLead(
            email: "  Anna.Schmidt@Example.DE ", firstName: " Anna ", lastName: "Schmidt", title: "Head of IT\n",
            company: "Example AG", industry: "", employees: "1,000-5,000", annualRevenue: "€2.5B", country: "Deutschland",
            phone: " +49 89 1 ", source: "web", campaign: "   ", status: "Open", seniority: "Director",
            department: "IT", idempotencyKey: " k-1 ")
        let outcome = normalizer.normalize(lead)
        let normalized = try #require(outcome.record)
        #expect(outcome.warnings.isEmpty)
        #expect(normalized == NormalizedLead(
            email: "anna.schmidt@example.de", emailDomain: "example.de", isFreeMail: false, firstName: "Anna",
            lastName: "Schmidt", title: "Head of IT", company: "Example AG", industry: nil, employees: 1_000,
            annualRevenue: 2_500_000_000, countryCode: "DE", phone: "+49 89 1", source: "web", campaign: nil,
            status: "Open", seniority: "Director", department: "IT", idempotencyKey: "k-1"))
    }

    @Test func flagsFreeMailWithTheCallersList() throws {
        #expect(try #require(normalizer.normalize(IncomingLead(email: "x@GMAIL.com")).record).isFreeMail)
        #expect(try #require(normalizer.normalize(IncomingLead(email: "x@hotmail.com")).record).isFreeMail)
        #expect(try !#require(normalizer.normalize(IncomingLead(email: "x@example.com")).record).isFreeMail)
        let none = LeadNormalizer(freeMailDomains: [])
        #expect(try !#require(none.normalize(IncomingLead(email: "x@gmail.com")).record).isFreeMail)
    }

    @Test func missingEmailIsRejected() {
        let outcome = normalizer.normalize(IncomingLead(email: "   ", firstName: "Anna"))
        #expect(outcome.record == nil)
        #expect(outcome.problems.map(\.description) == ["email: required"])
        #expect(outcome.problems.first?.code == .missing)
    }

    @Test func invalidEmailIsRejectedWithoutEchoingIt() {
        let outcome = normalizer.normalize(IncomingLead(email: "anna@@secret-domain.com"))
        #expect(outcome.problems.map(\.description) == ["email: not a valid e-mail address"])
        #expect(outcome.problems.first?.code == .invalidEmail)
        #expect(!outcome.problems.description.contains("secret-domain"))
    }

    @Test func unreadableValuesAreWarningsNotRejections() throws {
        let outcome = normalizer.normalize(IncomingLead(
            email: "a@example.com", employees: "lots", annualRevenue: "undisclosed", country: "Atlantis"))
        let lead = try #require(outcome.record)
        #expect(lead.employees == nil && lead.annualRevenue == nil && lead.countryCode == nil)
        #expect(outcome.warnings.map(\.description) == [
            "employees: not a readable employee count",
            "annual_revenue: not a readable revenue figure",
            "country: not a known country name or ISO code",
        ])
        #expect(outcome.warnings.map(\.code) == [.unreadableNumber, .unreadableNumber, .unknownCountry])
    }

    @Test func everyProblemIsReported() {
        let long = String(repeating: "x", count: 1_001)
        let outcome = normalizer.normalize(IncomingLead(
            email: "not an address", title: long, company: long, country: "Atlantis"))
        #expect(outcome.record == nil)
        #expect(outcome.problems.map(\.description) == [
            "email: not a valid e-mail address",
            "title: longer than 1000 characters",
            "company: longer than 1000 characters",
        ])
        #expect(outcome.warnings.map(\.field) == ["country"])
    }

    @Test func lengthLimitIsConfigurable() {
        let strict = LeadNormalizer(freeMailDomains: [], maximumFieldLength: 13)
        #expect(strict.normalize(IncomingLead(email: "a@example.com", firstName: "Annabel-Sophie")).problems.map(\.description)
            == ["first_name: longer than 13 characters"])
        #expect(strict.normalize(IncomingLead(email: "a@example.com", firstName: "Annabel")).isAccepted)
    }
}
