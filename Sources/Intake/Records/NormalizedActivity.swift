public import Foundation

/// An activity that passed intake.
public struct NormalizedActivity: Sendable, Hashable, Codable {
    /// Lower case and validated; links the activity to its lead.
    public var email: String
    /// One of ``ActivityTypes/canonical`` (`page_view`, `demo_request`, …); the same strings as
    /// `LeadDomain.ActivityType`'s raw values.
    public var type: String
    /// Present for every `page_view`.
    public var url: String?
    public var content: String?
    /// When it happened; nil when the sender did not say, and the caller uses the receive time.
    public var occurredAt: Date?
    public var idempotencyKey: String?

    public init(email: String, type: String, url: String? = nil, content: String? = nil,
                occurredAt: Date? = nil, idempotencyKey: String? = nil) {
        self.email = email
        self.type = type
        self.url = url
        self.content = content
        self.occurredAt = occurredAt
        self.idempotencyKey = idempotencyKey
    }
}
