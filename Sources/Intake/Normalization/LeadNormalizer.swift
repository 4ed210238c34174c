/// Turns an ``IncomingLead`` into a ``NormalizedLead``, or into every reason it cannot be used.
///
/// Rejections: a missing or invalid e-mail address, and any field longer than
/// ``maximumFieldLength``. Warnings (the lead is kept, the value dropped): an unknown country,
/// an unreadable employee count or revenue. Values that only inform scoring should not cost a
/// lead; an address is the lead's identity and must be right.
public struct LeadNormalizer: Sendable {
    /// Lower-case domains counted as free mail (gmail.com, hotmail.com…), usually the rule set's list.
    public var freeMailDomains: Set<String>
    public var countries: CountryResolver
    /// Longest accepted text in any field, in Unicode scalars. Default 1000.
    public var maximumFieldLength: Int

    public init(freeMailDomains: Set<String>, countries: CountryResolver = .standard, maximumFieldLength: Int = 1000) {
        self.freeMailDomains = Set(freeMailDomains.map { $0.lowercased() })
        self.countries = countries
        self.maximumFieldLength = maximumFieldLength
    }

    public func normalize(_ lead: IncomingLead) -> IntakeOutcome<NormalizedLead> {
        var check = ProblemCollector(maximumLength: maximumFieldLength)
        let email = check.email(lead.email, LeadField.email.name)
        var cleaned = IncomingLead()
        for field in LeadField.allCases where field != .email {
            cleaned[field] = check.text(lead[field], field.name)
        }
        let employees = cleaned.employees.flatMap { raw -> Int? in
            if let count = QuantityParser.lowerBound(raw), let value = Int(exactly: count) { return value }
            check.warn(LeadField.employees.name, .unreadableNumber, "not a readable employee count")
            return nil
        }
        let revenue = cleaned.annualRevenue.flatMap { raw -> Int64? in
            if let value = QuantityParser.lowerBound(raw) { return value }
            check.warn(LeadField.annualRevenue.name, .unreadableNumber, "not a readable revenue figure")
            return nil
        }
        let countryCode = cleaned.country.flatMap { raw -> String? in
            if let code = countries.alpha2Code(for: raw) { return code }
            check.warn(LeadField.country.name, .unknownCountry, "not a known country name or ISO code")
            return nil
        }
        return IntakeOutcome(record: {
            NormalizedLead(
                email: email!.address, emailDomain: email!.domain, isFreeMail: freeMailDomains.contains(email!.domain),
                firstName: cleaned.firstName, lastName: cleaned.lastName, title: cleaned.title, company: cleaned.company,
                industry: cleaned.industry, employees: employees, annualRevenue: revenue, countryCode: countryCode,
                phone: cleaned.phone, source: cleaned.source, campaign: cleaned.campaign, status: cleaned.status,
                seniority: cleaned.seniority, department: cleaned.department, idempotencyKey: cleaned.idempotencyKey)
        }, problems: check.problems, warnings: check.warnings)
    }
}
