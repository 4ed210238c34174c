import Foundation
import Testing
@testable import LeadDomain

/// The scorer's contributions keep their strings interned; they must read, compare and hash
/// exactly like contributions built from plain strings.
@Suite("Contributions")
struct ContributionTests {
    @Test func internedAndPlainContributionsAreTheSame() {
        let reasons: [Contribution.Reason] = [
            .industry("software"), .excludedIndustry("education"), .employeeBand("mid_market"), .revenueBand("over_100m"),
            .country("US"), .region("north_america"), .freeMailDomain, .disposableMailDomain, .competitorDomain,
            .excludedTitle("job seeker é"), .persona("analytics_leader_with_a_long_name"),
            .behaviour(occurrences: 5, counted: 3, decayed: true),
        ]
        for reason in reasons {
            let rule = "rules.a_rule_name_longer_than_fifteen_bytes.\(reason)"
            let plain = Contribution(rule: rule, points: -7, reason: reason)
            let interned = Contribution(interning: rule, points: -7, reason: reason)
            #expect(interned.rule == rule)
            #expect(interned.reason == reason)
            #expect(interned == plain && plain == interned)
            #expect(interned.hashValue == plain.hashValue)
            #expect(interned.description == plain.description)
            #expect(Contribution(interning: rule, points: -7, reason: reason) == interned)
            #expect(Contribution(interning: rule, points: 7, reason: reason) != interned)
            #expect(Contribution(interning: rule + "x", points: -7, reason: reason) != interned)
        }
        #expect(Contribution(interning: "r", points: 1, reason: .industry("a")) != Contribution(interning: "r", points: 1, reason: .industry("b")))
        #expect(Contribution(interning: "r", points: 1, reason: .industry("a")) != Contribution(interning: "r", points: 1, reason: .country("a")))
        #expect(Contribution(interning: "r", points: 1, reason: .industry("a")) != Contribution(rule: "r", points: 1, reason: .country("a")))
    }

    @Test func equalStringsGetOneNumberFromAnyThread() async {
        let numbers = await withTaskGroup(of: [UInt32?].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<200).map { InternedStrings.shared.number(for: "contribution-test-\($0)") } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(numbers.map { $0.map { $0 ?? UInt32.max } }).count == 1)
        for (index, number) in numbers[0].enumerated() {
            #expect(number.map { InternedStrings.shared.string($0) } == "contribution-test-\(index)")
        }
    }
}
