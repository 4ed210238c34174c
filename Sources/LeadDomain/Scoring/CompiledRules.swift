/// A rule set turned into lookup tables once, so that scoring a lead does no parsing,
/// no lower-casing of rule values and (almost) no allocation.
///
/// Fit contributions are built here ahead of time: scoring only looks them up and
/// appends them. Behaviour rules are found through `BehaviourPatterns`, by activity type
/// ordinal, and decay through `DecayTable`.
final class CompiledRules: Sendable {
    /// The numbers of one behaviour rule: plain values only, so the hot loop copies no
    /// references (names live in `behaviourIDs`, and interned in `behaviourRuleNames`).
    struct Behaviour: Sendable {
        let points: Int
        /// `Int.max` without a cap; never negative (a cap below 1 counts nothing).
        let capMax: Int
        /// Seconds; infinity for a lifetime cap.
        let capWindow: Double
        /// Seconds; 0 means no decay.
        let halfLife: Double
        /// Its days in `decayValues`.
        let decay: DecayTable.Span
        let fastTrack: Stage?
    }

    struct Band: Sendable {
        let range: IdealCustomerProfile.Band
        let contribution: Contribution
    }

    /// A persona's criteria as plain values: title patterns are a range in `titles`, and
    /// seniorities and departments are ranges of small ids in `personaValueIDs`.
    struct PersonaMatcher: Sendable {
        let titlePatterns: Range<Int>
        let seniorities: Range<Int>
        let departments: Range<Int>
        let points: Int
    }

    let rules: RuleSet
    let thresholds: Thresholds
    /// Industry → index into `industryHits` (its ICP and excluded-industry contributions).
    let industryTable: StringTable
    let industryHits: [(icp: Contribution?, excluded: Contribution?)]
    /// Country → index into `countryHits`; region → index into `regionHits`.
    let countryTable: StringTable
    let countryHits: [Contribution]
    let regionTable: StringTable
    let regionHits: [Contribution]
    /// E-mail domain → bit set of `DomainFlag`s.
    let domainTable: StringTable
    /// Persona seniority and department values → small ids (as in `personaValueIDs`).
    let seniorityTable: StringTable
    let departmentTable: StringTable

    enum DomainFlag {
        static let competitor = 1
        static let disposable = 2
        static let freeMail = 4
    }
    let employeeBands: [Band]
    let revenueBands: [Band]
    let freeMailContribution: Contribution?
    let disposableContribution: Contribution?
    let competitorContribution: Contribution?
    /// Persona title patterns first, then excluded-title patterns.
    let titles: TitlePatternTable.Frozen
    /// Indices into `titles`: persona patterns, in persona order.
    let personaTitlePatterns: [Int]
    let excludedTitlePatterns: Range<Int>
    let excludedTitleContributions: [Contribution]
    let personas: [PersonaMatcher]
    let personaContributions: [Contribution]
    let personaValueIDs: [Int]
    /// Behaviour rules in id order, and their names. The interest loop's tables are in
    /// storage these rules own (read through pointers, with no retain per lead).
    let behaviours: FrozenArray<Behaviour>
    let behaviourIDs: [String]
    let behaviourRuleNames: FrozenArray<UInt32>
    let behaviourPatterns: BehaviourMatcher.Tables
    /// Decayed points per whole day of age, for every rule with a half-life.
    let decayValues: FrozenArray<Int32>

    init(_ rules: RuleSet) {
        self.rules = rules
        thresholds = rules.thresholds
        let icp = rules.icp
        let industries = icp.industries.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.industries.\(entry.key)", points: entry.value, reason: .industry(entry.key))
        }
        let countries = icp.countries.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.countries.\(entry.key)", points: entry.value, reason: .country(entry.key))
        }
        let regions = icp.regions.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.regions.\(entry.key)", points: entry.value, reason: .region(entry.key))
        }
        employeeBands = icp.employeeBands.map {
            Band(range: $0, contribution: Contribution(rule: "icp.employee_bands.\($0.label)", points: $0.points, reason: .employeeBand($0.label)))
        }
        revenueBands = icp.revenueBands.map {
            Band(range: $0, contribution: Contribution(rule: "icp.revenue_bands.\($0.label)", points: $0.points, reason: .revenueBand($0.label)))
        }

        let negative = rules.negativeFit
        let excludedIndustries = (negative.excludedIndustries?.values ?? []).reduce(into: [:]) { table, industry in
            table[industry] = Contribution(rule: "negative_fit.excluded_industries", points: negative.excludedIndustries!.points,
                                           reason: .excludedIndustry(industry))
        }
        let freeMail = Set(negative.freeMail?.domains ?? []).union(negative.freeMail?.includeStandardList == true ? KnownEmailDomains.freeMail : [])
        freeMailContribution = negative.freeMail.map { Contribution(rule: "negative_fit.free_mail", points: $0.points, reason: .freeMailDomain) }
        let disposable = Set(negative.disposableMail?.domains ?? [])
            .union(negative.disposableMail?.includeStandardList == true ? KnownEmailDomains.disposable : [])
        disposableContribution = negative.disposableMail.map {
            Contribution(rule: "negative_fit.disposable_mail", points: $0.points, reason: .disposableMailDomain)
        }
        let competitors = Set(negative.competitors?.domains ?? [])
        competitorContribution = negative.competitors.map {
            Contribution(rule: "negative_fit.competitors", points: $0.points, reason: .competitorDomain)
        }
        var titles = TitlePatternTable()
        var personaTitlePatterns: [Int] = []
        var seniorityIDs: [String: Int] = [:]
        var departmentIDs: [String: Int] = [:]
        var valueIDs: [Int] = []
        func ids(_ values: [String], _ table: inout [String: Int]) -> Range<Int> {
            let start = valueIDs.count
            for value in values {
                let id = table[value] ?? table.count
                table[value] = id
                valueIDs.append(id)
            }
            return start..<valueIDs.count
        }
        personas = rules.personas.map { persona in
            let start = personaTitlePatterns.count
            for title in persona.titles { personaTitlePatterns.append(titles.add(title)) }
            return PersonaMatcher(titlePatterns: start..<personaTitlePatterns.count,
                                  seniorities: ids(persona.seniorities, &seniorityIDs),
                                  departments: ids(persona.departments, &departmentIDs), points: persona.points)
        }
        personaContributions = rules.personas.map {
            Contribution(rule: "personas.\($0.id)", points: $0.points, reason: .persona($0.id))
        }
        let excludedStart = titles.patterns.count
        excludedTitleContributions = (negative.titles?.values ?? []).map {
            _ = titles.add($0)
            return Contribution(rule: "negative_fit.titles", points: negative.titles!.points, reason: .excludedTitle($0))
        }
        excludedTitlePatterns = excludedStart..<titles.patterns.count
        self.titles = TitlePatternTable.Frozen(titles)
        seniorityTable = StringTable(seniorityIDs.map { ($0.key, $0.value) })
        departmentTable = StringTable(departmentIDs.map { ($0.key, $0.value) })

        let industryKeys = Array(Set(industries.keys).union(excludedIndustries.keys)).sorted()
        industryTable = StringTable(industryKeys.enumerated().map { ($0.element, $0.offset) })
        industryHits = industryKeys.map { [industries, excludedIndustries] key in (industries[key], excludedIndustries[key]) }
        let countryPairs = countries.sorted { $0.key < $1.key }
        countryTable = StringTable(countryPairs.enumerated().map { ($0.element.key, $0.offset) })
        countryHits = countryPairs.map(\.value)
        let regionPairs = regions.sorted { $0.key < $1.key }
        regionTable = StringTable(regionPairs.enumerated().map { ($0.element.key, $0.offset) })
        regionHits = regionPairs.map(\.value)
        var flags: [String: Int] = [:]
        for domain in competitors { flags[domain, default: 0] |= DomainFlag.competitor }
        for domain in disposable { flags[domain, default: 0] |= DomainFlag.disposable }
        for domain in freeMail { flags[domain, default: 0] |= DomainFlag.freeMail }
        domainTable = StringTable(flags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        self.personaTitlePatterns = personaTitlePatterns
        personaValueIDs = valueIDs

        let day = 86_400.0
        var decayTable = DecayTable()
        behaviours = FrozenArray(rules.behaviour.map { rule in
            let halfLife = (rule.halfLifeDays ?? 0) * day
            return Behaviour(points: rule.points, capMax: rule.cap.map { max($0.max, 0) } ?? Int.max,
                             capWindow: rule.cap?.windowDays.map { Double($0) * day } ?? .infinity,
                             halfLife: halfLife, decay: decayTable.add(points: rule.points, halfLife: halfLife), fastTrack: rule.fastTrack)
        })
        decayValues = FrozenArray(decayTable.values)
        behaviourIDs = rules.behaviour.map(\.id)
        behaviourRuleNames = FrozenArray(rules.behaviour.map { InternedStrings.shared.number(for: "behaviour.\($0.id)") })

        behaviourPatterns = BehaviourMatcher.Tables(BehaviourPatterns(rules.behaviour))
    }
}
