/// A rule set turned into lookup tables once, so that scoring a lead does no parsing,
/// no lower-casing of rule values and (almost) no allocation.
///
/// Fit contributions are built here ahead of time: scoring only looks them up and
/// appends them. Behaviour rules are indexed by activity type ordinal.
final class CompiledRules: Sendable {
    /// The numbers of one behaviour rule: plain values only, so the hot loop copies no
    /// references (names live in `behaviourIDs` / `behaviourRuleNames`).
    struct Behaviour: Sendable {
        let points: Int
        /// `Int.max` without a cap.
        let capMax: Int
        /// Seconds; infinity for a lifetime cap.
        let capWindow: Double
        /// Seconds; 0 means no decay.
        let halfLife: Double
        let fastTrack: Stage?
    }

    /// One lower-case pattern inside `patternBytes`, and the rule it belongs to.
    struct Pattern: Sendable {
        let offset: Int
        let length: Int
        let rule: Int
    }

    /// The URL (or content) patterns of one activity type, sorted by first byte.
    ///
    /// `firstBytes` and `secondBytes` hold the bytes patterns start with, and their second
    /// bytes, so most text positions are rejected with two bit tests on data that stays in
    /// registers; `bucketStarts` (257 entries from `bucketBase`) gives the patterns that
    /// start with a given byte.
    struct PatternGroup: Sendable {
        var isEmpty = true
        var bucketBase = 0
        /// The one byte every pattern starts with, when it is not a letter (so case does
        /// not matter), else -1.
        var onlyFirstByte: Int32 = -1
        var firstBytes = ByteSet()
        /// Includes every byte for one-byte patterns.
        var secondBytes = ByteSet()
    }

    /// A set of byte values as 256 bits.
    struct ByteSet: Sendable {
        private var low: (UInt64, UInt64) = (0, 0)
        private var high: (UInt64, UInt64) = (0, 0)

        mutating func insert(_ byte: UInt8) {
            let bit = UInt64(1) << UInt64(byte & 63)
            switch byte >> 6 {
            case 0: low.0 |= bit
            case 1: low.1 |= bit
            case 2: high.0 |= bit
            default: high.1 |= bit
            }
        }

        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            let bit = UInt64(1) << UInt64(byte & 63)
            let word = byte < 128 ? (byte < 64 ? low.0 : low.1) : (byte < 192 ? high.0 : high.1)
            return word & bit != 0
        }
    }

    /// Everything needed to match an activity of one type.
    struct TypeMatcher: Sendable {
        var url = PatternGroup()
        var content = PatternGroup()
        /// The rule for activities no pattern matches: the first plain rule by id, or -1.
        var fallbackRule = -1
        var hasRules = false
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
    let titles: TitlePatternTable
    /// Indices into `titles`: persona patterns, in persona order.
    let personaTitlePatterns: [Int]
    let excludedTitlePatterns: Range<Int>
    let excludedTitleContributions: [Contribution]
    let personas: [PersonaMatcher]
    let personaContributions: [Contribution]
    let personaValueIDs: [Int]
    /// Behaviour rules in id order, and their names.
    let behaviours: [Behaviour]
    let behaviourIDs: [String]
    let behaviourRuleNames: [String]
    /// All behaviour patterns, lower case, end to end.
    let patternBytes: [UInt8]
    let patterns: [Pattern]
    let bucketStarts: [Int]
    /// Indexed by `ActivityType.ordinal`.
    let typeMatchers: [TypeMatcher]

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
        self.titles = titles
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
        behaviours = rules.behaviour.map { rule in
            Behaviour(points: rule.points, capMax: rule.cap?.max ?? Int.max,
                      capWindow: rule.cap?.windowDays.map { Double($0) * day } ?? .infinity,
                      halfLife: (rule.halfLifeDays ?? 0) * day, fastTrack: rule.fastTrack)
        }
        behaviourIDs = rules.behaviour.map(\.id)
        behaviourRuleNames = rules.behaviour.map { "behaviour.\($0.id)" }

        var bytes: [UInt8] = []
        var patterns: [Pattern] = []
        var bucketStarts: [Int] = []
        var matchers = [TypeMatcher](repeating: TypeMatcher(), count: ActivityType.allCases.count)
        func group(_ texts: [(text: String, rule: Int)]) -> PatternGroup {
            let lowered = texts.map { (bytes: Array($0.text.lowercased().utf8), rule: $0.rule) }.filter { !$0.bytes.isEmpty }
            guard !lowered.isEmpty else { return PatternGroup() }
            let sorted = lowered.enumerated().sorted { ($0.element.bytes[0], $0.offset) < ($1.element.bytes[0], $1.offset) }.map(\.element)
            var result = PatternGroup(isEmpty: false, bucketBase: bucketStarts.count)
            let firstPattern = patterns.count
            for pattern in sorted {
                patterns.append(Pattern(offset: bytes.count, length: pattern.bytes.count, rule: pattern.rule))
                bytes += pattern.bytes
                result.firstBytes.insert(pattern.bytes[0])
                if pattern.bytes.count >= 2 {
                    result.secondBytes.insert(pattern.bytes[1])
                } else {
                    for second in UInt8.min...UInt8.max { result.secondBytes.insert(second) }
                }
            }
            let firsts = Set(sorted.map { $0.bytes[0] })
            if firsts.count == 1, let only = firsts.first, !(0x61...0x7A).contains(only) { result.onlyFirstByte = Int32(only) }
            for byte in 0...256 {
                bucketStarts.append(firstPattern + sorted.count { Int($0.bytes[0]) < byte })
            }
            return result
        }
        for type in ActivityType.allCases {
            var matcher = TypeMatcher()
            let ofType = rules.behaviour.indices.filter { rules.behaviour[$0].activity == type }
            matcher.hasRules = !ofType.isEmpty
            matcher.fallbackRule = ofType.first { rules.behaviour[$0].urlContains.isEmpty && rules.behaviour[$0].contentContains.isEmpty } ?? -1
            matcher.url = group(ofType.flatMap { index in rules.behaviour[index].urlContains.map { ($0, index) } })
            matcher.content = group(ofType.flatMap { index in rules.behaviour[index].contentContains.map { ($0, index) } })
            matchers[type.ordinal] = matcher
        }
        patternBytes = bytes
        self.patterns = patterns
        self.bucketStarts = bucketStarts
        typeMatchers = matchers
    }
}
