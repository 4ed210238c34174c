import Foundation
import Testing
@testable import LeadDomain

/// The scorer's interest path against `ReferenceInterest` on random rule sets and random
/// activities: patterns that overlap and differ in case, caps with and without windows,
/// fractional half-lives, activities at the same instant, after "now", and at ages where
/// a decayed value is about to round the other way.
@Suite("Interest against the reference")
struct InterestReferenceTests {
    let base: RuleSet
    let now = Fixtures.date("2026-11-23T12:00:00Z")

    init() throws {
        base = try Fixtures.exampleRules()
    }

    static let fragments = ["/pricing", "/p", "pri", "PRICING", "ing", "/", "a", "/docs/api", "/DOCS", "case-study", "case study",
                            "vs-", "comparison", "é", "guide", "x"]
    static let texts = ["https://northwind.example/pricing", "https://northwind.example/PRICING/enterprise?x=1", "/docs/api/v2",
                        "/docs/integrations", "Acme Case Study", "case-study-acme.pdf", "northwind-vs-mixpanel-COMPARISON.pdf",
                        "Buyers Guide", "é-book", "", "a", "/", "p", "https://northwind.example/careers/jobs/data-engineer-é"]
    static let types: [ActivityType] = [.pageView, .contentDownload, .demoRequest, .emailClick]

    @Test func matchesTheReferenceOnRandomRulesAndActivities() {
        var random = SplitMix64(seed: 0x1E7E_2E4C)
        for _ in 0..<300 {
            var rules = base
            rules.behaviour = randomRules(using: &random).sorted { $0.id < $1.id }
            let scorer = Scorer(rules: rules)
            for _ in 0..<10 {
                let activities = randomActivities(rules: rules.behaviour, using: &random)
                let score = scorer.score(lead: Lead(), activities: activities, now: now)
                let expected = ReferenceInterest.score(activities, rules: rules.behaviour, now: now)
                #expect(score.breakdown.interest == expected.interest)
                #expect(score.fastTrack == expected.fastTrack)
            }
        }
    }

    @Test func decayRoundsExactlyLikeTheFormulaAtEveryAge() {
        var random = SplitMix64(seed: 0xDECA_7000)
        for _ in 0..<200 {
            let rule = BehaviourRule(id: "r", activity: .webinarAttended, points: Int.random(in: -1000...1000, using: &random),
                                     halfLifeDays: [0.01, 0.5, 1, 7, 21.5, 45, 365].randomElement(using: &random)!)
            var rules = base
            rules.behaviour = [rule]
            let scorer = Scorer(rules: rules)
            let ages = (0..<40).map { _ in decayAge(for: rule, using: &random) }
            let activities = ages.sorted(by: >).map { Activity(type: .webinarAttended, occurredAt: now.addingTimeInterval(-$0)) }
            let score = scorer.score(lead: Lead(), activities: activities, now: now)
            #expect(score.breakdown.interest == ReferenceInterest.score(activities, rules: [rule], now: now).interest)
        }
    }

    /// An age near one where `points × 2^(−age / half-life)` crosses a half point, or any age.
    func decayAge(for rule: BehaviourRule, using random: inout SplitMix64) -> Double {
        let halfLife = rule.halfLifeDays! * 86_400
        let magnitude = Double(abs(rule.points))
        guard magnitude > 0, Bool.random(using: &random) else { return Double.random(in: 0...(3_000 * 86_400), using: &random) }
        let step = Double(Int.random(in: 1...max(1, abs(rule.points)), using: &random)) - 0.5
        let crossing = halfLife * log2(magnitude / step)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: return crossing
        case 1: return crossing + Double(Int.random(in: -4...4, using: &random)) * crossing.ulp
        default: return crossing + Double.random(in: -0.01...0.01, using: &random)
        }
    }

    func randomRules(using random: inout SplitMix64) -> [BehaviourRule] {
        (0..<Int.random(in: 1...10, using: &random)).map { index in
            let type = Self.types.randomElement(using: &random)!
            func patterns() -> [String] {
                Int.random(in: 0..<3, using: &random) == 0
                    ? (0..<Int.random(in: 1...3, using: &random)).map { _ in Self.fragments.randomElement(using: &random)! } : []
            }
            let cap: BehaviourRule.RepeatCap? = Bool.random(using: &random)
                ? BehaviourRule.RepeatCap(max: Int.random(in: 0...4, using: &random),
                                          windowDays: Bool.random(using: &random) ? Int.random(in: 1...30, using: &random) : nil)
                : nil
            let halfLife: Double? = Int.random(in: 0..<4, using: &random) == 0 ? nil : Double.random(in: 0.01...90, using: &random)
            return BehaviourRule(id: String(format: "r%02d", index), activity: type, urlContains: patterns(), contentContains: patterns(),
                                 points: Int.random(in: -60...60, using: &random), cap: cap, halfLifeDays: halfLife,
                                 fastTrack: Int.random(in: 0..<5, using: &random) == 0 ? .sal : nil)
        }
    }

    func randomActivities(rules: [BehaviourRule], using random: inout SplitMix64) -> [Activity] {
        var activities: [Activity] = []
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            let at: Date
            if let previous = activities.last, Int.random(in: 0..<6, using: &random) == 0 {
                at = previous.occurredAt // same instant as the one before
            } else if let rule = rules.randomElement(using: &random), rule.halfLifeDays != nil, Bool.random(using: &random) {
                at = now.addingTimeInterval(-decayAge(for: rule, using: &random))
            } else {
                at = now.addingTimeInterval(-Double.random(in: -2...200, using: &random) * 86_400)
            }
            activities.append(Activity(type: Self.types.randomElement(using: &random)!,
                                       url: Bool.random(using: &random) ? Self.texts.randomElement(using: &random)! : nil,
                                       content: Bool.random(using: &random) ? Self.texts.randomElement(using: &random)! : nil,
                                       occurredAt: at))
        }
        // Mostly oldest first, as stored; sometimes in any order.
        if Int.random(in: 0..<4, using: &random) != 0 { activities.sort { $0.occurredAt < $1.occurredAt } }
        return activities
    }
}
