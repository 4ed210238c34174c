import Foundation
import Yams

/// A parsed JSON value that keeps what the CLI's rule-set views need: booleans apart from
/// numbers, numbers as written, and object keys in a stable (sorted) order.
///
/// JSONSerialization is not used: it hands back numbers and booleans as NSNumber, and on
/// Linux both `as? Bool` and `as? Int` succeed on either, so `true` and `1` blur together.
indirect enum JSONNode: Equatable, Decodable {
    case null
    case bool(Bool)
    /// The number's text, e.g. `60` or `0.5`.
    case number(String)
    case string(String)
    case array([JSONNode])
    /// Sorted by key.
    case object([(key: String, value: JSONNode)])

    init(parsing data: Data) throws {
        self = try JSONDecoder().decode(JSONNode.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            self = .object(try object.allKeys.map(\.stringValue).sorted().map { key in
                (key, try object.decode(JSONNode.self, forKey: Key(key)))
            })
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONNode] = []
            while !array.isAtEnd { items.append(try array.decode(JSONNode.self)) }
            self = .array(items)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let bool = try? single.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? single.decode(Int64.self) {
                self = .number(String(integer))
            } else if let number = try? single.decode(Double.self) {
                self = .number(number.description)
            } else {
                self = .string(try single.decode(String.self))
            }
        }
    }

    static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b || (Double(a) != nil && Double(a) == Double(b))
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    subscript(key: String) -> JSONNode? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// On one line, as JSON.
    var compact: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text
        case .string(let text): Self.quoted(text)
        case .array(let items): "[" + items.map(\.compact).joined(separator: ", ") + "]"
        case .object(let pairs): "{" + pairs.map { Self.quoted($0.key) + ": " + $0.value.compact }.joined(separator: ", ") + "}"
        }
    }

    /// Indented by two spaces per level, as JSON.
    func pretty(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let pairs) where !pairs.isEmpty:
            return "{\n" + pairs.map { inner + Self.quoted($0.key) + ": " + $0.value.pretty(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        default:
            return compact
        }
    }

    /// As YAML. Strings that YAML would read as another type (`"09:00"`, `"yes"`) are quoted,
    /// so that the output applied again gives the same rule set.
    func yaml() throws -> String {
        try Yams.serialize(node: yamlNode, width: -1, allowUnicode: true)
    }

    private var yamlNode: Node {
        switch self {
        case .null: Node("null", Tag(.null))
        case .bool(let value): Node(value ? "true" : "false", Tag(.bool))
        case .number(let text): Node(text, Tag(text.contains(where: { ".eE".contains($0) }) ? .float : .int))
        case .string(let text): .scalar(text.represented())
        case .array(let items): Node(items.map(\.yamlNode), Tag(.seq))
        case .object(let pairs): Node(pairs.map { (.scalar($0.key.represented()), $0.value.yamlNode) }, Tag(.map))
        }
    }

    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\(text)\""
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
