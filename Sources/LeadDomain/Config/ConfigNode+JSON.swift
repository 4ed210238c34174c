import Foundation

extension ConfigNode: Decodable {
    /// Reads any JSON value. Object keys are sorted: JSON objects carry no order, and every
    /// keyed collection in a rule set is order-independent by design.
    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            let pairs = try object.allKeys
                .sorted { $0.stringValue < $1.stringValue }
                .map { (key: $0.stringValue, value: try object.decode(ConfigNode.self, forKey: $0)) }
            self.init(.mapping(pairs))
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [ConfigNode] = []
            while !array.isAtEnd { items.append(try array.decode(ConfigNode.self)) }
            self.init(.sequence(items))
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self.init(.scalar("null", .null))
            } else if let bool = try? single.decode(Bool.self) {
                self.init(.scalar(bool ? "true" : "false", .boolean))
            } else if let integer = try? single.decode(Int64.self) {
                self.init(.scalar(String(integer), .integer))
            } else if let number = try? single.decode(Double.self) {
                self.init(.scalar(number.description, .number))
            } else {
                self.init(.scalar(try single.decode(String.self), .string))
            }
        }
    }
}

extension ConfigNode: Encodable {
    func encode(to encoder: any Encoder) throws {
        switch value {
        case .mapping(let pairs):
            var object = encoder.container(keyedBy: AnyKey.self)
            for pair in pairs { try object.encode(pair.value, forKey: AnyKey(pair.key)) }
        case .sequence(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(item) }
        case .scalar(let text, let kind):
            var single = encoder.singleValueContainer()
            switch kind {
            case .string: try single.encode(text)
            case .integer: try single.encode(Int64(text) ?? 0)
            case .number: try single.encode(Double(text) ?? 0)
            case .boolean: try single.encode(text == "true")
            case .null: try single.encodeNil()
            }
        }
    }
}

/// A coding key for objects whose keys are data.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
