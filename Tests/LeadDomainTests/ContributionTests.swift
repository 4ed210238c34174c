import Foundation
import Testing
@testable import LeadDomain

/// Contributions keep their strings interned: they must read back the strings they were
/// built from, and compare and hash by them.
@Suite("Contributions")
struct ContributionTests {
    @Test func readCompareAndHashByTheirStrings() {
        let reasons: [Contribution.Reason] = [
            .industry("software"), .excludedIndustry("education"), .employeeBand("mid_market"), .revenueBand("over_100m"),
            .country("US"), .region("north_america"), .freeMailDomain, .disposableMailDomain, .competitorDomain,
            .excludedTitle("job seeker é"), .persona("analytics_leader_with_a_long_name"),
            .behaviour(occurrences: 5, counted: 3, decayed: true),
        ]
        for reason in reasons {
            let rule = "rules.a_rule_name_longer_than_fifteen_bytes.\(reason)"
            let contribution = Contribution(rule: rule, points: -7, reason: reason)
            // Built from other String instances of the same text.
            let again = Contribution(rule: String(decoding: Array(rule.utf8), as: UTF8.self), points: -7, reason: reason)
            #expect(contribution.rule == rule)
            #expect(contribution.reason == reason)
            #expect(contribution.description == "\(rule) -7: \(reason)")
            #expect(again == contribution && again.hashValue == contribution.hashValue)
            #expect(Contribution(rule: rule, points: 7, reason: reason) != contribution)
            #expect(Contribution(rule: rule + "x", points: -7, reason: reason) != contribution)
        }
        #expect(Contribution(rule: "r", points: 1, reason: .industry("a")) != Contribution(rule: "r", points: 1, reason: .industry("b")))
        #expect(Contribution(rule: "r", points: 1, reason: .industry("a")) != Contribution(rule: "r", points: 1, reason: .country("a")))
        #expect(Contribution(rule: "r", points: 1, reason: .behaviour(occurrences: 2, counted: 1, decayed: false))
            != Contribution(rule: "r", points: 1, reason: .behaviour(occurrences: 2, counted: 2, decayed: false)))
    }

    @Test func equalStringsGetOneNumberFromAnyThread() async {
        let numbers = await withTaskGroup(of: [UInt32].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).map { InternedStrings.shared.number(for: "contribution-test-\($0)") } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(numbers).count == 1)
        for (index, number) in numbers[0].enumerated() {
            #expect(InternedStrings.shared.string(number) == "contribution-test-\(index)")
        }
    }
}
