/// An activity (something a lead did) exactly as it arrived, nothing checked yet.
///
/// JSON keys: `email`, `type`, `url`, `content`, `occurred_at`, `idempotency_key`. All values
/// are strings; unknown keys are problems, as for ``IncomingLead``.
public struct IncomingActivity: Sendable, Hashable {
    /// Whose activity it is; the lead is found by this address.
    public var email: String?
    /// What happened: a canonical name such as `page_view` or an alias such as `Page View`.
    public var type: String?
    public var url: String?
    /// The content's name (a white paper, a webinar).
    public var content: String?
    /// ISO 8601 text; when absent, the caller uses the time it received the activity.
    public var occurredAt: String?
    public var idempotencyKey: String?

    public init(
        email: String? = nil, type: String? = nil, url: String? = nil, content: String? = nil,
        occurredAt: String? = nil, idempotencyKey: String? = nil
    ) {
        self.email = email
        self.type = type
        self.url = url
        self.content = content
        self.occurredAt = occurredAt
        self.idempotencyKey = idempotencyKey
    }

    public subscript(field: ActivityField) -> String? {
        get {
            switch field {
            case .email: email
            case .type: type
            case .url: url
            case .content: content
            case .occurredAt: occurredAt
            case .idempotencyKey: idempotencyKey
            }
        }
        set {
            switch field {
            case .email: email = newValue
            case .type: type = newValue
            case .url: url = newValue
            case .content: content = newValue
            case .occurredAt: occurredAt = newValue
            case .idempotencyKey: idempotencyKey = newValue
            }
        }
    }
}
