import Foundation

/// Learns from closed-loop outcomes: close rate and lift per behaviour and per fit value,
/// suggested points and MQL threshold, and backtests of candidate rule sets. Deterministic:
/// the same history and rules always give the same figures, in the same order.
public enum Calibration {
    /// Tuning of the point suggestion.
    public struct Options: Sendable, Hashable {
        /// `k`: how many leads' worth of the average close rate a value starts with. Small
        /// samples are pulled toward the average, so a value seen on 2 leads cannot claim
        /// a 100 % close rate. Default 10.
        public var priorStrength: Double
        /// Points per doubling of the close rate. Default 20.
        public var pointsPerDoubling: Double
        /// Suggestions are clamped to ±this. Default 50.
        public var maxPoints: Int

        public init(priorStrength: Double = 10, pointsPerDoubling: Double = 20, maxPoints: Int = 50) {
            self.priorStrength = priorStrength
            self.pointsPerDoubling = pointsPerDoubling
            self.maxPoints = maxPoints
        }
    }

    /// Close rates, lifts and suggested points for every behaviour rule and fit value seen.
    ///
    /// With `p̄` the average close rate (won / closed) and, for one value, `n` closed
    /// leads that had it of which `w` were won:
    ///
    ///     smoothed = (w + k·p̄) / (n + k)          k = priorStrength
    ///     lift     = smoothed / p̄
    ///     points   = round(pointsPerDoubling · log2(lift)), clamped to ±maxPoints
    ///
    /// A lead "had" a behaviour when at least one of its activities up to `evaluatedAt`
    /// matched the rule. Fit values are the lead's industry, country, region, seniority
    /// and department, its employee and revenue band, its best persona, and its e-mail
    /// kind (free-mail, disposable, competitor or business).
    public static func analyze(_ history: [HistoricalLead], rules: RuleSet, options: Options = Options()) -> CalibrationReport {
        let scorer = Scorer(rules: rules)
        let closed = history.count
        let won = history.count { $0.outcome.won }
        let average = closed == 0 ? 0 : Double(won) / Double(closed)
        var tallies: [Attribute: (leads: Int, won: Int)] = [:]
        for past in history {
            let score = scorer.score(lead: past.lead, activities: past.activities, now: past.evaluatedAt)
            for attribute in attributes(of: past.lead, score: score) {
                tallies[attribute, default: (0, 0)].leads += 1
                if past.outcome.won { tallies[attribute, default: (0, 0)].won += 1 }
            }
        }
        let stats = tallies.map { attribute, tally in
            AttributeStat(attribute: attribute, leads: tally.leads, won: tally.won, average: average,
                          currentPoints: currentPoints(of: attribute, rules: rules), options: options)
        }.sorted { ($0.attribute.kind.rawValue, $0.attribute.value) < ($1.attribute.kind.rawValue, $1.attribute.value) }
        return CalibrationReport(closedLeads: closed, wonLeads: won, averageCloseRate: average,
                                 behaviour: stats.filter { $0.attribute.kind == .behaviour },
                                 fit: stats.filter { $0.attribute.kind != .behaviour })
    }

    static func attributes(of lead: Lead, score: Score) -> [Attribute] {
        var result: [Attribute] = []
        let company = lead.company
        if let value = company.industry { result.append(Attribute(kind: .industry, value: value)) }
        if let value = company.country { result.append(Attribute(kind: .country, value: value)) }
        if let value = company.region { result.append(Attribute(kind: .region, value: value)) }
        if let value = lead.seniority { result.append(Attribute(kind: .seniority, value: value)) }
        if let value = lead.department { result.append(Attribute(kind: .department, value: value)) }
        var emailKind = "business"
        for contribution in score.breakdown.fit {
            switch contribution.reason {
            case .employeeBand(let label): result.append(Attribute(kind: .employeeBand, value: label))
            case .revenueBand(let label): result.append(Attribute(kind: .revenueBand, value: label))
            case .persona(let id): result.append(Attribute(kind: .persona, value: id))
            case .competitorDomain: emailKind = "competitor"
            case .disposableMailDomain where emailKind != "competitor": emailKind = "disposable"
            case .freeMailDomain where emailKind == "business": emailKind = "free_mail"
            default: break
            }
        }
        if lead.emailDomain != nil || lead.isFreeMail != nil { result.append(Attribute(kind: .emailKind, value: emailKind)) }
        for contribution in score.breakdown.interest {
            result.append(Attribute(kind: .behaviour, value: String(contribution.rule.dropFirst("behaviour.".count))))
        }
        return result
    }

    private static func currentPoints(of attribute: Attribute, rules: RuleSet) -> Int? {
        switch attribute.kind {
        case .behaviour: rules.behaviour.first { $0.id == attribute.value }?.points
        case .industry: rules.icp.industries[attribute.value]
        case .country: rules.icp.countries[attribute.value]
        case .region: rules.icp.regions[attribute.value]
        case .employeeBand: rules.icp.employeeBands.first { $0.label == attribute.value }?.points
        case .revenueBand: rules.icp.revenueBands.first { $0.label == attribute.value }?.points
        case .persona: rules.personas.first { $0.id == attribute.value }?.points
        case .emailKind, .seniority, .department: nil
        }
    }
}

/// A behaviour rule id or a fit value.
public struct Attribute: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case behaviour, industry, country, region, seniority, department, persona
        case employeeBand = "employee_band"
        case revenueBand = "revenue_band"
        case emailKind = "email_kind"
    }

    public let kind: Kind
    public let value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { "\(kind.rawValue)=\(value)" }
}

/// How leads with one attribute closed, against the average.
public struct AttributeStat: Sendable, Hashable {
    public let attribute: Attribute
    /// Closed leads that had it.
    public let leads: Int
    public let won: Int
    /// won / leads, unsmoothed.
    public let closeRate: Double
    /// Pulled toward the average for small samples; see `Calibration.analyze`.
    public let smoothedCloseRate: Double
    /// smoothedCloseRate / average close rate (1 when the average is 0).
    public let lift: Double
    public let suggestedPoints: Int
    /// The points the analysed rule set gives it, where it gives any.
    public let currentPoints: Int?

    init(attribute: Attribute, leads: Int, won: Int, average: Double, currentPoints: Int?, options: Calibration.Options) {
        self.attribute = attribute
        self.leads = leads
        self.won = won
        self.closeRate = leads == 0 ? 0 : Double(won) / Double(leads)
        self.smoothedCloseRate = (Double(won) + options.priorStrength * average) / (Double(leads) + options.priorStrength)
        self.lift = average > 0 ? smoothedCloseRate / average : 1
        let raw = lift > 0 ? (options.pointsPerDoubling * log2(lift)).rounded(.toNearestOrAwayFromZero) : -Double(options.maxPoints)
        self.suggestedPoints = Int(min(max(raw, -Double(options.maxPoints)), Double(options.maxPoints)))
        self.currentPoints = currentPoints
    }
}

public struct CalibrationReport: Sendable, Hashable {
    public let closedLeads: Int
    public let wonLeads: Int
    public let averageCloseRate: Double
    /// Sorted by rule id.
    public let behaviour: [AttributeStat]
    /// Sorted by kind, then value.
    public let fit: [AttributeStat]
}
