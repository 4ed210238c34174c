/// A stage change the state machine refuses. The description names stages, actor and
/// reason code only: nothing about the lead.
public struct LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// From and to are the same stage.
        public static let sameStage = Code("same_stage")
        /// Nobody may make this change.
        public static let transitionNotAllowed = Code("transition_not_allowed")
        /// The change exists, but not for this actor.
        public static let actorNotAllowed = Code("actor_not_allowed")
        /// The actor may make the change, but not for this reason.
        public static let reasonNotAllowed = Code("reason_not_allowed")
        /// The transition starts from a stage the lead is no longer in.
        public static let staleState = Code("stale_state")
    }

    public let code: Code
    public let transition: StageTransition

    public init(_ code: Code, _ transition: StageTransition) {
        self.code = code
        self.transition = transition
    }

    public var description: String {
        "\(code): \(transition.from.rawValue) → \(transition.to.rawValue) by \(transition.actor.rawValue) (reason \(transition.reason))"
    }
}
