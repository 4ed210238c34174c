/// One problem found in a rule file: which file, where inside it, and what is wrong.
///
/// The description names the path and the kind of problem but never echoes a value from
/// the file, because rule files hold rep ids that are e-mail addresses.
public struct RuleSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An opaque, extensible problem code; compare against the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The text is not well-formed YAML or JSON.
        public static let syntax = Code("syntax")
        /// A key the format does not define (often a typo).
        public static let unknownKey = Code("unknown_key")
        /// A key that must be present is missing.
        public static let missingKey = Code("missing_key")
        /// A key appears twice in one mapping.
        public static let duplicateKey = Code("duplicate_key")
        /// A value of the wrong kind, such as text where a number belongs.
        public static let wrongType = Code("wrong_type")
        /// A number outside its allowed range.
        public static let outOfRange = Code("out_of_range")
        /// A list or mapping that must not be empty is empty.
        public static let empty = Code("empty")
        /// A value that is well-typed but not acceptable (bad time zone, unknown activity type…).
        public static let invalidValue = Code("invalid_value")
        /// An id that is defined twice.
        public static let duplicateID = Code("duplicate_id")
        /// A reference to a rep, team or calendar that is not defined.
        public static let unknownReference = Code("unknown_reference")
    }

    public let code: Code
    /// The file name given to the loader (for JSON from the database, a label such as `rule_set#12`).
    public let file: String
    /// Where in the file: `behaviour.pricing_page_view.points`, `teams[0].members[1].rep`; empty for the whole file.
    public let path: String
    /// 1-based line, when the format records it.
    public let line: Int?
    /// What is wrong, in words, without values from the file.
    public let message: String

    public init(code: Code, file: String, path: String, line: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Thrown when a rule file has problems; it carries every problem found, not only the first.
public struct RuleSetValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    /// In file order where the format records lines, otherwise in reading order.
    public let errors: [RuleSetError]

    public init(file: String, errors: [RuleSetError]) {
        self.file = file
        self.errors = errors
    }

    public var description: String {
        let noun = errors.count == 1 ? "problem" : "problems"
        return "\(file): \(errors.count) \(noun)\n" + errors.map { "  " + $0.description }.joined(separator: "\n")
    }
}
