public import Foundation

/// The funnel's state machine: which stage change is allowed for which actor and reason,
/// and what the score proposes.
///
/// Pure functions over `StageState`; the caller stores the state and records every
/// transition (who, when, why, rule version).
public enum Lifecycle {
    /// Who moves a lead. (Nested so it does not shadow Swift's `Actor`.)
    public enum Actor: String, Sendable, Hashable, CaseIterable, Codable {
        case system, marketing, sales
    }

    /// Checks a transition against the table.
    public static func validate(_ transition: StageTransition) throws(LifecycleError) {
        if transition.from == transition.to { throw LifecycleError(.sameStage, transition) }
        let edges = table.filter { $0.from.contains(transition.from) && $0.to == transition.to }
        if edges.isEmpty { throw LifecycleError(.transitionNotAllowed, transition) }
        let forActor = edges.filter { $0.actor == transition.actor }
        if forActor.isEmpty { throw LifecycleError(.actorNotAllowed, transition) }
        if !forActor.contains(where: { $0.reasons.contains(transition.reason) }) {
            throw LifecycleError(.reasonNotAllowed, transition)
        }
    }

    /// Whether `validate` would accept the transition.
    public static func isAllowed(_ transition: StageTransition) -> Bool {
        (try? validate(transition)) != nil
    }

    /// Stages an actor may move a lead to from `stage`, with the reasons each accepts.
    public static func allowedTransitions(from stage: Stage, by actor: Actor) -> [Stage: Set<ReasonCode>] {
        table.filter { $0.from.contains(stage) && $0.actor == actor }
            .reduce(into: [:]) { result, edge in result[edge.to, default: []].formUnion(edge.reasons) }
    }

    /// Validates `transition` against `state` and returns the state after it.
    ///
    /// Entering `recycled` disarms the MQL trigger: the lead becomes an MQL again only
    /// after its score has been seen below the threshold and then reaches it again.
    public static func apply(_ transition: StageTransition, to state: StageState, at now: Date) throws(LifecycleError) -> StageState {
        guard transition.from == state.stage else { throw LifecycleError(.staleState, transition) }
        try validate(transition)
        return StageState(stage: transition.to, enteredAt: now, mqlArmed: transition.to != .recycled)
    }

    /// What the score proposes for a lead, and the state to store afterwards.
    ///
    /// - Sales stages (SAL, SQL, opportunity, customer) and the exits disqualified and
    ///   unreachable are never moved by a score.
    /// - A fast-track action (demo request, free trial) that happened since the lead
    ///   entered its stage moves it to the action's target (SAL) whatever the score.
    /// - Otherwise a lead, or a re-armed recycled lead, whose score meets the threshold
    ///   becomes an MQL. A score below the threshold re-arms a recycled lead.
    public static func evaluate(_ state: StageState, score: Score, at now: Date) -> StageEvaluation {
        guard state.stage.isMarketingStage else { return StageEvaluation(transition: nil, state: state) }
        var current = state
        if !score.meetsMQLThreshold { current.mqlArmed = true }

        if let fastTrack = score.fastTrack, fastTrack.occurredAt >= state.enteredAt, fastTrack.target != state.stage {
            let transition = StageTransition(from: state.stage, to: fastTrack.target, actor: .system, reason: .fastTrack)
            if let next = try? apply(transition, to: current, at: now) {
                return StageEvaluation(transition: transition, state: next)
            }
        }
        if state.stage != .mql && score.meetsMQLThreshold && current.mqlArmed {
            let transition = StageTransition(from: state.stage, to: .mql, actor: .system, reason: .scoreThreshold)
            if let next = try? apply(transition, to: current, at: now) {
                return StageEvaluation(transition: transition, state: next)
            }
        }
        return StageEvaluation(transition: nil, state: current)
    }
}

/// A stage change, as recorded.
public struct StageTransition: Sendable, Hashable, Codable {
    public var from: Stage
    public var to: Stage
    public var actor: Lifecycle.Actor
    public var reason: ReasonCode

    public init(from: Stage, to: Stage, actor: Lifecycle.Actor, reason: ReasonCode) {
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
    }
}

/// Where a lead is in the funnel, as stored with it.
public struct StageState: Sendable, Hashable, Codable {
    public var stage: Stage
    public var enteredAt: Date
    /// Whether reaching the MQL threshold makes the lead an MQL. True for new leads;
    /// false after recycling until a score below the threshold is seen.
    public var mqlArmed: Bool

    public init(stage: Stage, enteredAt: Date, mqlArmed: Bool = true) {
        self.stage = stage
        self.enteredAt = enteredAt
        self.mqlArmed = mqlArmed
    }

    /// A lead just created.
    public static func newLead(at instant: Date) -> StageState { StageState(stage: .lead, enteredAt: instant) }
}

/// The result of `Lifecycle.evaluate`: an optional proposed transition, and the state to
/// store (with the transition applied, and the MQL trigger re-armed when due).
public struct StageEvaluation: Sendable, Hashable {
    public let transition: StageTransition?
    public let state: StageState
}
