import Foundation
import Testing
@testable import LeadDomain

@Suite("Lifecycle")
struct LifecycleTests {
    let t0 = Fixtures.date("2026-11-02T10:00:00Z")
    let rules: RuleSet
    let scorer: Scorer

    init() throws {
        rules = try Fixtures.exampleRules()
        scorer = Scorer(rules: rules)
    }

    func transition(_ from: Stage, _ to: Stage, _ actor: Lifecycle.Actor, _ reason: ReasonCode) -> StageTransition {
        StageTransition(from: from, to: to, actor: actor, reason: reason)
    }

    /// A score for a lead with fit 30 and pricing views 8 days apart: 0 views → 30, 4 views → 63 (threshold 60).
    func score(pricingViews: Int, demo: Date? = nil, at now: Date) -> Score {
        var activities = (0..<pricingViews).map { index in
            Activity(type: .pageView, url: "/pricing", occurredAt: now.addingTimeInterval(-Double(index) * 8 * 86_400))
        }.reversed().map { $0 }
        if let demo { activities.append(Activity(type: .demoRequest, occurredAt: demo)) }
        let lead = Lead(title: "Data Analyst", company: Company(industry: "software"))  // fit 30
        return scorer.score(lead: lead, activities: activities.sorted { $0.occurredAt < $1.occurredAt }, now: now)
    }

    @Test func forwardFunnelBySales() throws {
        try Lifecycle.validate(transition(.mql, .sal, .sales, .salesAccepted))
        try Lifecycle.validate(transition(.sal, .sql, .sales, .salesQualified))
        try Lifecycle.validate(transition(.sql, .opportunity, .sales, .opportunityCreated))
        try Lifecycle.validate(transition(.opportunity, .customer, .sales, .closedWon))
    }

    @Test func salIsOptional() throws {
        try Lifecycle.validate(transition(.mql, .sql, .sales, .salesQualified))
    }

    @Test func actorsAndReasonsAreChecked() {
        #expect(throws: LifecycleError(.actorNotAllowed, transition(.mql, .sal, .marketing, .salesAccepted))) {
            try Lifecycle.validate(transition(.mql, .sal, .marketing, .salesAccepted))
        }
        #expect(throws: LifecycleError(.reasonNotAllowed, transition(.mql, .sal, .sales, .junk))) {
            try Lifecycle.validate(transition(.mql, .sal, .sales, .junk))
        }
        #expect(throws: LifecycleError(.transitionNotAllowed, transition(.customer, .lead, .sales, .restored))) {
            try Lifecycle.validate(transition(.customer, .lead, .sales, .restored))
        }
        #expect(throws: LifecycleError(.sameStage, transition(.mql, .mql, .system, .scoreThreshold))) {
            try Lifecycle.validate(transition(.mql, .mql, .system, .scoreThreshold))
        }
        // The system may fast-track but may not qualify.
        #expect(Lifecycle.isAllowed(transition(.lead, .sal, .system, .fastTrack)))
        #expect(!Lifecycle.isAllowed(transition(.sal, .sql, .system, .salesQualified)))
    }

    @Test func exitsAndRecycling() {
        #expect(Lifecycle.isAllowed(transition(.sal, .recycled, .sales, .noResponse)))
        #expect(Lifecycle.isAllowed(transition(.opportunity, .recycled, .sales, .closedLost)))
        #expect(Lifecycle.isAllowed(transition(.sal, .recycled, .system, .slaWindowExpired)))
        #expect(Lifecycle.isAllowed(transition(.sql, .disqualified, .sales, .junk)))
        #expect(Lifecycle.isAllowed(transition(.sal, .unreachable, .sales, .contactFailed)))
        #expect(Lifecycle.isAllowed(transition(.unreachable, .recycled, .marketing, .backToNurture)))
        #expect(!Lifecycle.isAllowed(transition(.disqualified, .mql, .system, .scoreThreshold)))
        #expect(Lifecycle.allowedTransitions(from: .mql, by: .sales).keys.sorted { $0.rawValue < $1.rawValue }
            == [.disqualified, .recycled, .sal, .sql, .unreachable])
    }

    @Test func applyRejectsAStaleFromStage() {
        let state = StageState(stage: .sal, enteredAt: t0)
        #expect(throws: LifecycleError.self) {
            try Lifecycle.apply(transition(.mql, .sql, .sales, .salesQualified), to: state, at: t0)
        }
    }

    @Test func scoreCrossingThresholdProposesMQL() {
        let state = StageState.newLead(at: t0)
        let low = Lifecycle.evaluate(state, score: score(pricingViews: 0, at: t0), at: t0)
        #expect(low.transition == nil)
        let now = t0.addingTimeInterval(86_400)
        let high = scorer.proposeStage(for: state, score: score(pricingViews: 4, at: now), at: now)
        #expect(high.transition == transition(.lead, .mql, .system, .scoreThreshold))
        #expect(high.state == StageState(stage: .mql, enteredAt: now, mqlArmed: true))
    }

    @Test func fastTrackGoesToSALWhateverTheScore() {
        let state = StageState.newLead(at: t0)
        let now = t0.addingTimeInterval(3600)
        let demoOnly = scorer.score(lead: Lead(email: "x@gmail.com"), activities: [Activity(type: .demoRequest, occurredAt: now)], now: now)
        #expect(!demoOnly.meetsMQLThreshold)
        let evaluation = Lifecycle.evaluate(state, score: demoOnly, at: now)
        #expect(evaluation.transition == transition(.lead, .sal, .system, .fastTrack))
        // From MQL too.
        let mql = StageState(stage: .mql, enteredAt: t0)
        #expect(Lifecycle.evaluate(mql, score: demoOnly, at: now).transition?.to == .sal)
        // A fast-track action older than the current stage does not fire again.
        let recycledLater = StageState(stage: .recycled, enteredAt: now.addingTimeInterval(60), mqlArmed: false)
        #expect(Lifecycle.evaluate(recycledLater, score: demoOnly, at: now.addingTimeInterval(120)).transition == nil)
    }

    @Test func scoreNeverPullsBackFromSalesStages() {
        let low = score(pricingViews: 0, at: t0)
        let high = score(pricingViews: 4, demo: t0, at: t0)
        for stage in [Stage.sal, .sql, .opportunity, .customer, .disqualified, .unreachable] {
            let state = StageState(stage: stage, enteredAt: t0.addingTimeInterval(-86_400))
            #expect(Lifecycle.evaluate(state, score: low, at: t0).transition == nil)
            #expect(Lifecycle.evaluate(state, score: high, at: t0).transition == nil)
            #expect(Lifecycle.evaluate(state, score: high, at: t0).state == state)
        }
    }

    @Test func recyclingRearmsMQLOnlyAfterTheScoreDropsBelow() throws {
        var state = StageState(stage: .sal, enteredAt: t0)
        let recycledAt = t0.addingTimeInterval(86_400)
        state = try Lifecycle.apply(transition(.sal, .recycled, .sales, .notReady), to: state, at: recycledAt)
        #expect(state.mqlArmed == false)

        // Still above the threshold right after recycling: no new MQL.
        let stillHigh = Lifecycle.evaluate(state, score: score(pricingViews: 4, at: recycledAt), at: recycledAt)
        #expect(stillHigh.transition == nil)
        // The score falls below: the trigger re-arms, no transition.
        let later = recycledAt.addingTimeInterval(60 * 86_400)
        let dropped = Lifecycle.evaluate(stillHigh.state, score: score(pricingViews: 0, at: later), at: later)
        #expect(dropped.transition == nil)
        #expect(dropped.state.mqlArmed)
        // It crosses again: MQL again.
        let again = later.addingTimeInterval(86_400)
        let crossed = Lifecycle.evaluate(dropped.state, score: score(pricingViews: 4, at: again), at: again)
        #expect(crossed.transition == transition(.recycled, .mql, .system, .scoreThreshold))
    }

    @Test func errorDescriptionNamesOnlyStages() {
        let error = LifecycleError(.actorNotAllowed, transition(.mql, .sal, .marketing, .salesAccepted))
        #expect(error.description == "actor_not_allowed: mql → sal by marketing (reason sales_accepted)")
    }
}
