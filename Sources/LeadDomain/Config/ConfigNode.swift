/// A format-neutral tree read from a rule file (YAML or JSON) or written to JSON.
///
/// Both formats go through this one tree so that the same reader validates both, and so
/// that a rule set written to JSON reads back exactly.
struct ConfigNode: Sendable {
    /// What a scalar looked like in the source, so a reader can tell `3` from `"3"`.
    enum ScalarKind: Sendable, Equatable {
        case string, integer, number, boolean, null
    }

    enum Value: Sendable {
        case scalar(String, ScalarKind)
        case sequence([ConfigNode])
        /// Keys keep their source order; duplicates are rejected when the tree is built.
        case mapping([(key: String, value: ConfigNode)])
    }

    var value: Value
    /// 1-based line in the source file, when the format knows it (YAML does).
    var line: Int?

    init(_ value: Value, line: Int? = nil) {
        self.value = value
        self.line = line
    }

    static func string(_ text: String) -> ConfigNode { ConfigNode(.scalar(text, .string)) }
    static func integer<I: BinaryInteger>(_ value: I) -> ConfigNode { ConfigNode(.scalar(String(value), .integer)) }
    static func number(_ value: Double) -> ConfigNode { ConfigNode(.scalar(value.description, .number)) }
    static func boolean(_ value: Bool) -> ConfigNode { ConfigNode(.scalar(value ? "true" : "false", .boolean)) }
    static var null: ConfigNode { ConfigNode(.scalar("null", .null)) }
    static func sequence(_ items: [ConfigNode]) -> ConfigNode { ConfigNode(.sequence(items)) }
    static func mapping(_ pairs: [(key: String, value: ConfigNode)]) -> ConfigNode { ConfigNode(.mapping(pairs)) }
    static func strings(_ items: [String]) -> ConfigNode { .sequence(items.map(ConfigNode.string)) }

    /// A short name of the node's kind, for error messages that never echo values.
    var kindName: String {
        switch value {
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .scalar(_, let kind):
            switch kind {
            case .string: "text"
            case .integer: "an integer"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "nothing (null)"
            }
        }
    }
}
