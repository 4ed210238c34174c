import Foundation
import Testing
@testable import LeadDomain

@Suite("Routing")
struct RoutingTests {
    let rules: RuleSet
    let router: Router
    /// Tuesday 2026-11-24, 15:00 UTC: 16:00 in Berlin, 15:00 in London, 10:00 in New York.
    let tuesdayAfternoon = Fixtures.date("2026-11-24T15:00:00Z")

    init() throws {
        rules = try Fixtures.exampleRules()
        router = Router(rules: rules)
    }

    var everyoneAvailable: [RepID: RepState] {
        Dictionary(uniqueKeysWithValues: rules.reps.map { ($0.id, RepState(rep: $0.id)) })
    }

    @Test func accountOwnerWinsFirst() {
        let lead = Lead(company: Company(country: "DE", accountOwner: "oliver.hughes@northwind.example"))
        let decision = router.route(lead, reps: everyoneAvailable, roundRobin: [:], at: tuesdayAfternoon)
        #expect(decision.rep == "oliver.hughes@northwind.example")
        #expect(decision.source == .accountOwner)
        #expect(decision.ruleID == "existing_account_owner")
        #expect(decision.skipped.isEmpty)
        #expect(decision.roundRobin == nil)
    }

    @Test func awayAccountOwnerFallsThroughToTerritory() {
        var reps = everyoneAvailable
        reps["oliver.hughes@northwind.example"]?.isOutOfOffice = true
        let lead = Lead(company: Company(employeeCount: 5000, country: "AT", accountOwner: "oliver.hughes@northwind.example"))
        let decision = router.route(lead, reps: reps, roundRobin: [:], at: tuesdayAfternoon)
        #expect(decision.skipped == [SkippedRep(rep: "oliver.hughes@northwind.example", ruleID: "existing_account_owner", reason: .outOfOffice)])
        #expect(decision.rep == "jonas.keller@northwind.example")
        #expect(decision.ruleID == "dach_enterprise")
        #expect(decision.source == .rep)
    }

    @Test func territoryTeamRoundRobinAndReturnedState() {
        let lead = Lead(company: Company(employeeCount: 300, country: "DE"))
        var state: [String: RoundRobinState] = [:]
        var picks: [RepID] = []
        for _ in 0..<6 {
            let decision = router.route(lead, reps: everyoneAvailable, roundRobin: state, at: tuesdayAfternoon)
            #expect(decision.source == .team("dach_inbound"))
            #expect(decision.ruleID == "dach")
            state["dach_inbound"] = decision.roundRobin
            picks.append(decision.rep)
        }
        // Weights 2 : 1, spread out rather than bunched.
        #expect(picks == ["lena.hoffmann@northwind.example", "felix.brandt@northwind.example", "lena.hoffmann@northwind.example",
                          "lena.hoffmann@northwind.example", "felix.brandt@northwind.example", "lena.hoffmann@northwind.example"])
    }

    @Test func excludedRepsArePassedOverAsAccountOwnerNamedRepAndTeamMember() {
        let owner: RepID = "oliver.hughes@northwind.example"
        let lead = Lead(company: Company(employeeCount: 5000, country: "AT", accountOwner: owner))
        let decision = router.route(lead, reps: everyoneAvailable, roundRobin: [:], at: tuesdayAfternoon,
                                    excluding: [owner, "jonas.keller@northwind.example", "lena.hoffmann@northwind.example"])
        #expect(decision.skipped == [
            SkippedRep(rep: owner, ruleID: "existing_account_owner", reason: .excluded),
            SkippedRep(rep: "jonas.keller@northwind.example", ruleID: "dach_enterprise", reason: .excluded),
            SkippedRep(rep: "lena.hoffmann@northwind.example", ruleID: "dach", reason: .excluded),
        ])
        #expect(decision.rep == "felix.brandt@northwind.example")
        #expect(decision.source == .team("dach_inbound"))
    }

    @Test func anExcludedDefaultOwnerStillTakesWhatNobodyElseCan() {
        let lead = Lead(company: Company(country: "BR"))
        let decision = router.route(lead, reps: [:], roundRobin: [:], at: tuesdayAfternoon, excluding: [rules.defaultOwner])
        #expect(decision.source == .defaultOwner)
        #expect(decision.rep == rules.defaultOwner)
    }

    @Test func roundRobinSkipsInactiveAwayAndFullReps() {
        let lead = Lead(company: Company(country: "US"))
        var reps = everyoneAvailable
        reps["marcus.oyelaran@northwind.example"]?.isActive = false
        reps["priya.raman@northwind.example"]?.openLoad = 45
        reps["tom.becker@northwind.example"] = nil
        let decision = router.route(lead, reps: reps, roundRobin: [:], at: tuesdayAfternoon)
        #expect(decision.skipped.map(\.reason) == [.inactive, .atCapacity, .noState])
        #expect(decision.rep == "sales.desk@northwind.example")
        #expect(decision.source == .defaultOwner)
        #expect(decision.ruleID == nil)

        // A live capacity override lifts the cap.
        reps["priya.raman@northwind.example"]?.capacity = 100
        #expect(router.route(lead, reps: reps, roundRobin: [:], at: tuesdayAfternoon).rep == "priya.raman@northwind.example")
    }

    @Test func outsideWorkingHoursIsSkipped() {
        // 03:00 UTC Wednesday: 04:00 in Berlin, 03:00 in London.
        let night = Fixtures.date("2026-11-25T03:00:00Z")
        let lead = Lead(company: Company(employeeCount: 50, country: "CH", region: "emea"))
        let decision = router.route(lead, reps: everyoneAvailable, roundRobin: [:], at: night)
        #expect(decision.skipped.allSatisfy { $0.reason == .outsideWorkingHours })
        #expect(decision.skipped.map(\.ruleID) == ["dach", "dach", "rest_of_emea", "rest_of_emea"])
        #expect(decision.rep == rules.defaultOwner)
    }

    @Test func outOfOfficeDaysFromTheRuleFile() {
        // Tom is away 2026-12-21 through 2027-01-01 (New York days).
        let lead = Lead(company: Company(country: "US"))
        let away = Fixtures.date("2026-12-22T16:00:00Z")
        var state: [String: RoundRobinState] = [:]
        var chosen = Set<RepID>()
        for _ in 0..<12 {
            let decision = router.route(lead, reps: everyoneAvailable, roundRobin: state, at: away)
            #expect(decision.skipped.contains(SkippedRep(rep: "tom.becker@northwind.example", ruleID: "north_america", reason: .outOfOffice)))
            state["na_inbound"] = decision.roundRobin
            chosen.insert(decision.rep)
        }
        #expect(!chosen.contains("tom.becker@northwind.example"))
    }

    @Test func noMatchingRuleGoesToDefaultOwner() {
        let decision = router.route(Lead(company: Company(country: "BR")), reps: everyoneAvailable, roundRobin: [:], at: tuesdayAfternoon)
        #expect(decision.rep == rules.defaultOwner)
        #expect(decision.source == .defaultOwner)
    }

    @Test func segmentComesFromEmployeeBandsUnlessGiven() {
        #expect(router.segment(of: Company(employeeCount: 2500)) == "enterprise")
        #expect(router.segment(of: Company(employeeCount: 2500, segment: "Strategic")) == "strategic")
        #expect(router.segment(of: Company()) == nil)
    }

    @Test func roundRobinStateIsCodableForStorage() throws {
        var state = RoundRobinState(team: "t")
        _ = state.pick(from: [("a", 3), ("b", 1)])
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(RoundRobinState.self, from: data) == state)
    }

    @Test func weightedRoundRobinStaysWithinOneOfItsShare() {
        var generator = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<300 {
            let repCount = Int.random(in: 1...8, using: &generator)
            let members = (0..<repCount).map { (rep: RepID("rep\($0)"), weight: Int.random(in: 1...10, using: &generator)) }
            let totalWeight = members.reduce(0) { $0 + $1.weight }
            var state = RoundRobinState(team: "t")
            var counts: [RepID: Int] = [:]
            let steps = Int.random(in: 1...400, using: &generator)
            for step in 1...steps {
                let chosen = state.pick(from: members)!
                counts[chosen, default: 0] += 1
                for member in members {
                    // |count − step·w/W| ≤ 1, in integers.
                    let deviation = counts[member.rep, default: 0] * totalWeight - step * member.weight
                    #expect(abs(deviation) <= totalWeight, "weights \(members.map(\.weight)) step \(step)")
                }
            }
        }
    }

    @Test func roundRobinThroughTheRouterStaysExactOverRandomSequences() {
        // Decisions through `route`, threading the returned state, with every rep eligible.
        var generator = SplitMix64(seed: 42)
        let lead = Lead(company: Company(country: "US"))
        let members = rules.team(id: "na_inbound")!.members
        let totalWeight = members.reduce(0) { $0 + $1.weight }
        var state: [String: RoundRobinState] = [:]
        var counts: [RepID: Int] = [:]
        let weekday = Fixtures.date("2026-11-24T16:00:00Z")
        for step in 1...Int.random(in: 200...300, using: &generator) {
            let decision = router.route(lead, reps: everyoneAvailable, roundRobin: state, at: weekday)
            state["na_inbound"] = decision.roundRobin
            counts[decision.rep, default: 0] += 1
            for member in members {
                #expect(abs(counts[member.rep, default: 0] * totalWeight - step * member.weight) <= totalWeight)
            }
        }
    }
}
