/// One reason why a record, or one of its fields, is not quite right.
///
/// The same type serves for rejections (the record cannot be used) and warnings (the record is
/// used, but a value was dropped). Which of the two it is follows from where the problem sits in
/// an ``IntakeOutcome``, not from the problem itself, so a rule can change its severity without
/// changing its code.
///
/// `description` reads like `email: not a valid e-mail address`. It names the field and the
/// rule, never the offending value: values are personal data (names, e-mail addresses, phone
/// numbers) and problems end up in logs and reject tables.
public struct IntakeProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. Extensible: match on the constants, do not switch exhaustively.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A required field is missing or empty.
        public static let missing = Code("missing")
        /// The e-mail address is not a usable address.
        public static let invalidEmail = Code("invalid_email")
        /// The country is neither a known name, alias nor ISO code.
        public static let unknownCountry = Code("unknown_country")
        /// An employee count or revenue figure could not be read as a number.
        public static let unreadableNumber = Code("unreadable_number")
        /// The activity type is neither a canonical name nor a known alias.
        public static let unknownActivityType = Code("unknown_activity_type")
        /// A timestamp is not ISO 8601.
        public static let invalidTimestamp = Code("invalid_timestamp")
        /// A value is longer than the intake accepts.
        public static let tooLong = Code("too_long")
        /// A JSON key that the API does not define (the API accepts strict input only).
        public static let unknownField = Code("unknown_field")
        /// A JSON value of the wrong type (an object where a string belongs, and so on).
        public static let wrongType = Code("wrong_type")
        /// The text is not valid JSON, or not a JSON object.
        public static let invalidJSON = Code("invalid_json")
        /// A CSV record whose quoted field is still open at the end of the input.
        public static let unterminatedQuote = Code("unterminated_quote")
        /// Text that is not valid UTF-8.
        public static let invalidEncoding = Code("invalid_encoding")
        /// A CSV record with more or fewer fields than the header.
        public static let wrongFieldCount = Code("wrong_field_count")
        /// A CSV record or JSONL line larger than the configured limit.
        public static let recordTooLarge = Code("record_too_large")

        public var description: String { name }
    }

    /// The field the problem concerns, by its JSON name (`email`, `annual_revenue`); nil when it
    /// concerns the record as a whole (bad JSON, a malformed CSV row).
    public var field: String?
    public var code: Code
    /// A short human-readable reason that never contains the field's value.
    public var reason: String

    public init(field: String?, code: Code, reason: String) {
        self.field = field
        self.code = code
        self.reason = reason
    }

    public var description: String {
        guard let field else { return reason }
        return "\(field): \(reason)"
    }
}
