import Foundation
import Testing
@testable import LeadDomain

@Suite("Scoring")
struct ScoringTests {
    let rules: RuleSet
    let scorer: Scorer
    let now = Fixtures.date("2026-11-23T12:00:00Z")

    init() throws {
        rules = try Fixtures.exampleRules()
        scorer = Scorer(rules: rules, version: RuleVersion(label: "2026.11-1", number: 42))
    }

    func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    func points(_ score: Score, _ rule: String) -> Int? {
        (score.breakdown.fit + score.breakdown.interest).first { $0.rule == rule }?.points
    }

    @Test func fitAddsIndustryBandsCountryAndBestPersona() {
        let lead = Lead(email: "kim@shopco.example", title: "VP Analytics", company: Company(
            industry: "E-Commerce", employeeCount: 450, annualRevenue: 40_000_000, country: "de", region: "EMEA"))
        let score = scorer.score(lead: lead, activities: [], now: now)
        #expect(points(score, "icp.industries.e_commerce") == 15)
        #expect(points(score, "icp.employee_bands.mid_market") == 15)
        #expect(points(score, "icp.revenue_bands.10m_to_100m") == 8)
        #expect(points(score, "icp.countries.DE") == 10)
        // Country wins over region: the company is counted once for where it is.
        #expect(points(score, "icp.regions.emea") == nil)
        #expect(points(score, "personas.analytics_leader") == 30)
        #expect(score.fit == 15 + 15 + 8 + 10 + 30)
        #expect(score.interest == 0)
        #expect(score.ruleVersion == RuleVersion(label: "2026.11-1", number: 42))
    }

    @Test func regionCountsWhenCountryIsNotListed() {
        let score = scorer.score(lead: Lead(company: Company(country: "PL", region: "emea")), activities: [], now: now)
        #expect(points(score, "icp.regions.emea") == 5)
    }

    @Test func negativeFitPenalties() {
        let free = scorer.score(lead: Lead(email: "someone@GMAIL.com"), activities: [], now: now)
        #expect(points(free, "negative_fit.free_mail") == -15)
        let flagged = scorer.score(lead: Lead(email: "a@unknown-isp.example", isFreeMail: true), activities: [], now: now)
        #expect(points(flagged, "negative_fit.free_mail") == -15)
        let disposable = scorer.score(lead: Lead(email: "x@mailinator.com"), activities: [], now: now)
        #expect(points(disposable, "negative_fit.disposable_mail") == -60)
        let competitor = scorer.score(lead: Lead(email: "spy@mixpanel.com"), activities: [], now: now)
        #expect(points(competitor, "negative_fit.competitors") == -100)
        let school = scorer.score(lead: Lead(company: Company(industry: "Education")), activities: [], now: now)
        #expect(points(school, "negative_fit.excluded_industries") == -25)
        let student = scorer.score(lead: Lead(title: "PhD Candidate, Data Science"), activities: [], now: now)
        #expect(points(student, "negative_fit.titles") == -30)
        let business = scorer.score(lead: Lead(email: "kim@acme.example"), activities: [], now: now)
        #expect(business.breakdown.fit.isEmpty)
    }

    @Test func titlesMatchWholeWordsOnly() {
        // "cdo" must not match inside another word, and "intern" must not match "international".
        let director = scorer.score(lead: Lead(title: "Director, International Sales"), activities: [], now: now)
        #expect(director.breakdown.fit.isEmpty)
        let cdo = scorer.score(lead: Lead(title: "CDO"), activities: [], now: now)
        #expect(points(cdo, "personas.analytics_leader") == 30)
        let prefix = scorer.score(lead: Lead(title: "Demand Generation Lead", department: "Marketing"), activities: [], now: now)
        #expect(points(prefix, "personas.growth_marketer") == 15)
        let accents = scorer.score(lead: Lead(title: "ÉTUDIANT / Student"), activities: [], now: now)
        #expect(points(accents, "negative_fit.titles") == -30)
    }

    @Test func bestOfSeveralPersonasCounts() {
        // Matches data_practitioner (10) by title and engineering_manager (12) by seniority and department.
        let lead = Lead(title: "Data Engineer", seniority: "Director", department: "Engineering")
        let score = scorer.score(lead: lead, activities: [], now: now)
        #expect(score.breakdown.fit.map(\.rule) == ["personas.engineering_manager"])
    }

    @Test func behaviourMatchesMostSpecificRule() {
        let activities = [
            Activity(type: .pageView, url: "https://northwind.example/PRICING?plan=pro", occurredAt: now),
            Activity(type: .pageView, url: "https://northwind.example/blog/post", occurredAt: now),
            Activity(type: .pageView, url: "https://northwind.example/careers/data", occurredAt: now),
            Activity(type: .contentDownload, content: "Northwind vs-Mixpanel comparison guide", occurredAt: now),
            Activity(type: .contentDownload, content: "Acme Case Study", occurredAt: now),
            Activity(type: .contentDownload, content: "Whitepaper", occurredAt: now),
        ]
        let score = scorer.score(lead: Lead(), activities: activities, now: now)
        #expect(points(score, "behaviour.pricing_page_view") == 12)
        #expect(points(score, "behaviour.page_view") == 1)
        #expect(points(score, "behaviour.careers_page_view") == -10)
        #expect(points(score, "behaviour.comparison_guide_download") == 12)
        #expect(points(score, "behaviour.case_study_download") == 8)
        #expect(points(score, "behaviour.content_download") == 4)
        #expect(score.interest == 12 + 1 - 10 + 12 + 8 + 4)
    }

    @Test func repeatsAreCappedWithinASlidingWindow() {
        // Cap: 3 pricing views per 7 days. Days 0,1,2 count; 3 is capped; 8 counts again
        // (only days 2 and... within 7 days of day 8: day 2 is 6 days before → counted, so 2 in window).
        let days: [Double] = [10, 9, 8, 7, 2]
        let activities = days.map { Activity(type: .pageView, url: "/pricing", occurredAt: daysAgo($0)) }
        let noDecay = Scorer(rules: withoutDecay(rules))
        let score = noDecay.score(lead: Lead(), activities: activities, now: now)
        let contribution = score.breakdown.interest.first { $0.rule == "behaviour.pricing_page_view" }
        #expect(contribution?.points == 4 * 12)
        #expect(contribution?.reason == .behaviour(occurrences: 5, counted: 4, decayed: false))
    }

    @Test func lifetimeCapWithoutWindow() {
        let activities = (0..<3).map { Activity(type: .freeTrialStart, occurredAt: daysAgo(Double(30 - $0 * 10))) }
        let score = Scorer(rules: withoutDecay(rules)).score(lead: Lead(), activities: activities, now: now)
        #expect(points(score, "behaviour.free_trial_start") == 35)
    }

    @Test func pointsDecayByHalfLifeRoundedPerActivity() {
        // Pricing: 12 points, half-life 21 days. 21 days old → 6; 42 days → 3; 10.5 days → 8.49 → 8.
        let activities = [42.0, 21, 10.5].map { Activity(type: .pageView, url: "/pricing", occurredAt: daysAgo($0)) }
        let score = scorer.score(lead: Lead(), activities: activities, now: now)
        #expect(points(score, "behaviour.pricing_page_view") == 3 + 6 + 8)
        #expect(score.breakdown.interest.first?.reason == .behaviour(occurrences: 3, counted: 3, decayed: true))
        // Negative points decay toward zero too: careers -10, half-life 60, 60 days old → -5.
        let careers = scorer.score(lead: Lead(), activities: [Activity(type: .pageView, url: "/jobs", occurredAt: daysAgo(60))], now: now)
        #expect(careers.interest == -5)
    }

    @Test func decayDependsOnlyOnTheGivenNow() {
        let activities = [Activity(type: .webinarAttended, occurredAt: daysAgo(45))]
        let atNow = scorer.score(lead: Lead(), activities: activities, now: now)
        let later = scorer.score(lead: Lead(), activities: activities, now: now.addingTimeInterval(45 * 86_400))
        #expect(atNow.interest == 6)
        #expect(later.interest == 3)
        #expect(atNow == scorer.score(lead: Lead(), activities: activities, now: now))
    }

    @Test func activitiesAfterNowAreIgnored() {
        let activities = [Activity(type: .demoRequest, occurredAt: now.addingTimeInterval(60))]
        let score = scorer.score(lead: Lead(), activities: activities, now: now)
        #expect(score.interest == 0)
        #expect(score.fastTrack == nil)
    }

    @Test func orderOfActivitiesDoesNotMatter() {
        var generator = SplitMix64(seed: 7)
        let activities = randomActivities(count: 30, using: &generator)
        let shuffled = activities.shuffled(using: &generator)
        let sorted = activities.sorted { $0.occurredAt < $1.occurredAt }
        #expect(scorer.score(lead: Lead(), activities: shuffled, now: now) == scorer.score(lead: Lead(), activities: sorted, now: now))
    }

    @Test func fastTrackAndQuadrants() {
        let demo = scorer.score(lead: Lead(), activities: [Activity(type: .demoRequest, occurredAt: daysAgo(1))], now: now)
        #expect(demo.fastTrack?.rule == "demo_request")
        #expect(demo.fastTrack?.target == .sal)

        let thresholds = rules.thresholds
        #expect(Quadrant(fit: thresholds.fitCutoff, interest: thresholds.interestCutoff, thresholds: thresholds) == .hot)
        #expect(Quadrant(fit: thresholds.fitCutoff, interest: thresholds.interestCutoff - 1, thresholds: thresholds) == .nurture)
        #expect(Quadrant(fit: thresholds.fitCutoff - 1, interest: thresholds.interestCutoff, thresholds: thresholds) == .lowCostApproach)
        #expect(Quadrant(fit: -50, interest: -5, thresholds: thresholds) == .discard)

        let hotLead = Lead(title: "Head of Data", company: Company(industry: "software", employeeCount: 3000, country: "US"))
        let hot = scorer.score(lead: hotLead, activities: [Activity(type: .demoRequest, occurredAt: daysAgo(1))], now: now)
        #expect(hot.quadrant == .hot)
        #expect(hot.meetsMQLThreshold)
    }

    @Test func breakdownAlwaysSumsToTotal() {
        var generator = SplitMix64(seed: 0xB4EA_CD0A)
        let industries = ["software", "education", "media", "mining", "saas"]
        let titles = ["VP Analytics", "Student", "Data Engineer", "Head of Product", "CEO", "intern", ""]
        for _ in 0..<500 {
            let lead = Lead(email: ["a@gmail.com", "b@acme.example", "c@mailinator.com", "d@heap.io"].randomElement(using: &generator),
                            title: titles.randomElement(using: &generator),
                            seniority: ["vp", "director", nil].randomElement(using: &generator) ?? nil,
                            department: ["engineering", "marketing", nil].randomElement(using: &generator) ?? nil,
                            company: Company(industry: industries.randomElement(using: &generator),
                                             employeeCount: Int.random(in: 1...20_000, using: &generator),
                                             annualRevenue: Int64.random(in: 0...500_000_000, using: &generator),
                                             country: ["US", "DE", "PL", "JP"].randomElement(using: &generator),
                                             region: ["emea", "apac"].randomElement(using: &generator)))
            let activities = randomActivities(count: Int.random(in: 0...40, using: &generator), using: &generator)
            let score = scorer.score(lead: lead, activities: activities, now: now)
            #expect(score.breakdown.fit.reduce(0) { $0 + $1.points } == score.fit)
            #expect(score.breakdown.interest.reduce(0) { $0 + $1.points } == score.interest)
            #expect(score.total == score.fit + score.interest)
            #expect(score.meetsMQLThreshold == (score.total >= rules.thresholds.mql))
        }
    }

    func randomActivities(count: Int, using generator: inout SplitMix64) -> [Activity] {
        let urls = ["/pricing", "/careers", "/blog/a", "/docs/api/v2", "/PRICING/enterprise", "/jobs/1"]
        let contents = ["case study", "comparison guide", "ebook", "buyers-guide"]
        return (0..<count).map { _ in
            let type = ActivityType.allCases.randomElement(using: &generator)!
            return Activity(type: type, url: urls.randomElement(using: &generator), content: contents.randomElement(using: &generator),
                            occurredAt: daysAgo(Double.random(in: -2...200, using: &generator)))
        }
    }

    func withoutDecay(_ rules: RuleSet) -> RuleSet {
        var copy = rules
        copy.behaviour = copy.behaviour.map { rule in
            var rule = rule
            rule.halfLifeDays = nil
            return rule
        }
        return copy
    }
}
