import Foundation
import LeadDomain
import Testing
@testable import Workers

/// The breakdown is written by hand for speed; it must still be JSON that reads back
/// exactly, whatever the rule names and reasons hold.
@Suite struct BreakdownJSONTests {
    @Test func readsBackExactlyWithQuotesBackslashesAndControlCharacters() throws {
        let fit = [Contribution(rule: "icp.industries.software", points: 20, reason: .industry("software")),
                   Contribution(rule: "negative_fit.titles", points: -30, reason: .excludedTitle("job \"seeker\"\\\n\t\u{1}é"))]
        let interest = [Contribution(rule: "behaviour.pricing_page_view", points: 17, reason: .behaviour(occurrences: 3, counted: 2, decayed: true))]
        let score = Score(fit: fit, interest: interest, quadrant: .hot, ruleVersion: RuleVersion(label: "test"),
                          fastTrack: nil, evaluatedAt: Date(), meetsMQLThreshold: false)
        let json = LeadScoring.breakdownJSON(score.breakdown)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[String: Any]]]
        let read = try #require(decoded)
        #expect(read.keys.sorted() == ["fit", "interest"])
        #expect(read["fit"]?.map { $0["rule"] as? String } == fit.map(\.rule))
        #expect(read["fit"]?.map { $0["reason"] as? String } == fit.map(\.reason.description))
        #expect(read["fit"]?.map { ($0["points"] as? NSNumber)?.intValue } == [20, -30])
        #expect(read["interest"]?.first?["reason"] as? String == "2 of 3 counted (cap reached), decayed")
    }
}
