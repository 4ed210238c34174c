/// A rule set turned into lookup tables once, so that scoring a lead does no parsing,
/// no lower-casing of rule values and (almost) no allocation.
///
/// Fit contributions are built here ahead of time: scoring only looks them up and
/// appends them. Behaviour rules are indexed by activity type ordinal.
final class CompiledRules: Sendable {
    struct Behaviour: Sendable {
        let id: String
        let ruleName: String
        let urlPatterns: [[UInt8]]
        let contentPatterns: [[UInt8]]
        let points: Int
        /// `Int.max` without a cap.
        let capMax: Int
        /// Seconds; infinity for a lifetime cap.
        let capWindow: Double
        /// Seconds; 0 means no decay.
        let halfLife: Double
        let fastTrack: Stage?
        var hasPatterns: Bool { !urlPatterns.isEmpty || !contentPatterns.isEmpty }
    }

    struct Band: Sendable {
        let range: IdealCustomerProfile.Band
        let contribution: Contribution
    }

    struct PersonaMatcher: Sendable {
        let titles: [TitlePattern]
        let seniorities: Set<String>
        let departments: Set<String>
        let contribution: Contribution
    }

    let thresholds: Thresholds
    let industries: [String: Contribution]
    let excludedIndustries: [String: Contribution]
    let employeeBands: [Band]
    let revenueBands: [Band]
    let countries: [String: Contribution]
    let regions: [String: Contribution]
    let freeMail: Set<String>
    let freeMailContribution: Contribution?
    let disposable: Set<String>
    let disposableContribution: Contribution?
    let competitors: Set<String>
    let competitorContribution: Contribution?
    let excludedTitles: [(pattern: TitlePattern, contribution: Contribution)]
    let personas: [PersonaMatcher]
    let behaviours: [Behaviour]
    /// Behaviour indices per `ActivityType.ordinal`, in id order.
    let behavioursByType: [[Int]]

    init(_ rules: RuleSet) {
        thresholds = rules.thresholds
        let icp = rules.icp
        industries = icp.industries.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.industries.\(entry.key)", points: entry.value, reason: .industry(entry.key))
        }
        countries = icp.countries.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.countries.\(entry.key)", points: entry.value, reason: .country(entry.key))
        }
        regions = icp.regions.reduce(into: [:]) { table, entry in
            table[entry.key] = Contribution(rule: "icp.regions.\(entry.key)", points: entry.value, reason: .region(entry.key))
        }
        employeeBands = icp.employeeBands.map {
            Band(range: $0, contribution: Contribution(rule: "icp.employee_bands.\($0.label)", points: $0.points, reason: .employeeBand($0.label)))
        }
        revenueBands = icp.revenueBands.map {
            Band(range: $0, contribution: Contribution(rule: "icp.revenue_bands.\($0.label)", points: $0.points, reason: .revenueBand($0.label)))
        }

        let negative = rules.negativeFit
        excludedIndustries = (negative.excludedIndustries?.values ?? []).reduce(into: [:]) { table, industry in
            table[industry] = Contribution(rule: "negative_fit.excluded_industries", points: negative.excludedIndustries!.points,
                                           reason: .excludedIndustry(industry))
        }
        freeMail = Set(negative.freeMail?.domains ?? []).union(negative.freeMail?.includeStandardList == true ? KnownEmailDomains.freeMail : [])
        freeMailContribution = negative.freeMail.map { Contribution(rule: "negative_fit.free_mail", points: $0.points, reason: .freeMailDomain) }
        disposable = Set(negative.disposableMail?.domains ?? [])
            .union(negative.disposableMail?.includeStandardList == true ? KnownEmailDomains.disposable : [])
        disposableContribution = negative.disposableMail.map {
            Contribution(rule: "negative_fit.disposable_mail", points: $0.points, reason: .disposableMailDomain)
        }
        competitors = Set(negative.competitors?.domains ?? [])
        competitorContribution = negative.competitors.map {
            Contribution(rule: "negative_fit.competitors", points: $0.points, reason: .competitorDomain)
        }
        excludedTitles = (negative.titles?.values ?? []).map {
            (TitlePattern($0), Contribution(rule: "negative_fit.titles", points: negative.titles!.points, reason: .excludedTitle($0)))
        }
        personas = rules.personas.map {
            PersonaMatcher(titles: $0.titles.map(TitlePattern.init), seniorities: Set($0.seniorities), departments: Set($0.departments),
                           contribution: Contribution(rule: "personas.\($0.id)", points: $0.points, reason: .persona($0.id)))
        }

        let day = 86_400.0
        behaviours = rules.behaviour.map { rule in
            Behaviour(id: rule.id, ruleName: "behaviour.\(rule.id)",
                      urlPatterns: rule.urlContains.map { Array($0.lowercased().utf8) },
                      contentPatterns: rule.contentContains.map { Array($0.lowercased().utf8) },
                      points: rule.points, capMax: rule.cap?.max ?? Int.max,
                      capWindow: rule.cap?.windowDays.map { Double($0) * day } ?? .infinity,
                      halfLife: (rule.halfLifeDays ?? 0) * day, fastTrack: rule.fastTrack)
        }
        var byType = [[Int]](repeating: [], count: ActivityType.allCases.count)
        for (index, rule) in rules.behaviour.enumerated() { byType[rule.activity.ordinal].append(index) }
        behavioursByType = byType
    }
}
