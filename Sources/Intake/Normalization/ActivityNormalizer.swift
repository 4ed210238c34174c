/// Turns an ``IncomingActivity`` into a ``NormalizedActivity``, or into every reason it cannot
/// be used.
///
/// Rejections: a missing or invalid e-mail, a missing or unknown type, an `occurred_at` that
/// is present but not ISO 8601, a `page_view` without a URL, and over-long fields. An activity
/// is scored by type, URL and time, so a wrong one of those would score wrongly; it is better
/// rejected with a reason than guessed.
public struct ActivityNormalizer: Sendable {
    /// Longest accepted text in any field but the URL, in Unicode scalars. Default 1000.
    public var maximumFieldLength: Int
    /// Longest accepted URL. Default 4096.
    public var maximumURLLength: Int

    public init(maximumFieldLength: Int = 1000, maximumURLLength: Int = 4096) {
        self.maximumFieldLength = maximumFieldLength
        self.maximumURLLength = maximumURLLength
    }

    public func normalize(_ activity: IncomingActivity) -> IntakeOutcome<NormalizedActivity> {
        var check = ProblemCollector(maximumLength: maximumFieldLength)
        let email = check.email(activity.email, ActivityField.email.name)
        let typeField = ActivityField.type.name
        var type: String?
        if let raw = check.text(activity.type, typeField) {
            type = ActivityTypes.canonicalName(for: raw)
            if type == nil { check.reject(typeField, .unknownActivityType, "not a known activity type") }
        } else {
            check.reject(typeField, .missing, "required")
        }
        let url = check.text(activity.url, ActivityField.url.name, maximumLength: maximumURLLength)
        if type == "page_view", url == nil {
            check.reject(ActivityField.url.name, .missing, "required for page_view")
        }
        let content = check.text(activity.content, ActivityField.content.name)
        let occurredAt = check.text(activity.occurredAt, ActivityField.occurredAt.name).flatMap { raw in
            let date = TimestampParser.date(from: raw)
            if date == nil {
                check.reject(ActivityField.occurredAt.name, .invalidTimestamp, "not an ISO 8601 timestamp")
            }
            return date
        }
        let key = check.text(activity.idempotencyKey, ActivityField.idempotencyKey.name)
        return IntakeOutcome(record: {
            NormalizedActivity(email: email!.address, type: type!, url: url, content: content,
                               occurredAt: occurredAt, idempotencyKey: key)
        }, problems: check.problems, warnings: check.warnings)
    }
}
