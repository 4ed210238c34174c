/// The fields of an ``IncomingActivity``, named as in JSON.
public enum ActivityField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case email
    case type
    case url
    case content
    case occurredAt = "occurred_at"
    case idempotencyKey = "idempotency_key"

    public var name: String { rawValue }
    public var description: String { rawValue }
}
