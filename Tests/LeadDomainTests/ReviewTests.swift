import Foundation
import Testing
@testable import LeadDomain

/// `Scorer.nextReview` promises that decay cannot change the quadrant or MQL eligibility
/// before the instant it returns. Checked on random leads by scoring them again at many
/// instants before it.
@Suite("Decay review")
struct ReviewTests {
    let scorer: Scorer
    let now = Fixtures.date("2026-11-23T12:00:00Z")

    init() throws {
        scorer = Scorer(rules: try Fixtures.exampleRules())
    }

    static let actions: [(ActivityType, String?, String?)] = [
        (.pageView, "/pricing", nil), (.pageView, "/careers", nil), (.pageView, "/blog/a", nil),
        (.pageView, "/docs/api/leads", nil), (.contentDownload, nil, "case-study-acme"), (.contentDownload, nil, "ebook"),
        (.webinarRegistered, nil, nil), (.webinarAttended, nil, nil), (.emailClick, nil, nil), (.formSubmission, nil, nil),
    ]
    static let titles = ["VP Analytics", "Data Analyst", "Student", "Head of Product", "Office Manager", "CTO"]
    static let industries = ["Software", "Retail", "Education", "Manufacturing", "SaaS"]

    @Test func decayCannotCrossABoundaryBeforeTheReview() {
        var random = SplitMix64(seed: 0x5EED_D3CA)
        var reviewed = 0
        for _ in 0..<400 {
            let lead = Lead(email: "x@corp.example", title: Self.titles.randomElement(using: &random),
                            company: Company(industry: Self.industries.randomElement(using: &random),
                                             employeeCount: Int.random(in: 5...20_000, using: &random), country: "US"))
            let activities = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                let (type, url, content) = Self.actions.randomElement(using: &random)!
                return Activity(type: type, url: url, content: content,
                                occurredAt: now.addingTimeInterval(-Double.random(in: 0...(90 * 86_400), using: &random)))
            }
            let score = scorer.score(lead: lead, activities: activities, now: now)
            guard let review = scorer.nextReview(of: score, minimumDelay: 0) else {
                // Nothing decays toward a boundary: the quadrant and eligibility hold forever.
                let muchLater = scorer.score(lead: lead, activities: activities, now: now.addingTimeInterval(400 * 86_400))
                #expect(muchLater.quadrant == score.quadrant && muchLater.meetsMQLThreshold == score.meetsMQLThreshold)
                continue
            }
            reviewed += 1
            #expect(scorer.nextReview(of: score)! >= now.addingTimeInterval(3600), "the default keeps a lead from being rescored over and over")
            let span = review.timeIntervalSince(now)
            for step in 1...20 {
                let at = now.addingTimeInterval(span * Double(step) / 20 - 1)
                let later = scorer.score(lead: lead, activities: activities, now: at)
                #expect(later.quadrant == score.quadrant, "quadrant changed \(at.timeIntervalSince(now) / 86_400) days in, before the review")
                #expect(later.meetsMQLThreshold == score.meetsMQLThreshold)
            }
        }
        #expect(reviewed > 100, "most random leads have something decaying toward a boundary")
    }

    @Test func aLeadWithoutActivitiesIsNeverReviewed() {
        let score = scorer.score(lead: Lead(title: "CTO"), activities: [], now: now)
        #expect(scorer.nextReview(of: score) == nil)
    }
}
