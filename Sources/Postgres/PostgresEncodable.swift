public import Foundation

/// A Swift value that can be bound as a query parameter.
///
/// Parameters travel in PostgreSQL's text format, typed by the server from the
/// statement (write `$1::uuid` where the server cannot infer a type). `nil` is NULL.
public protocol PostgresEncodable: Sendable {
    var postgresText: String? { get }
}

extension String: PostgresEncodable {
    public var postgresText: String? { self }
}

extension Substring: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Double: PostgresEncodable {
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
}

extension Bool: PostgresEncodable {
    public var postgresText: String? { self ? "t" : "f" }
}

extension UUID: PostgresEncodable {
    public var postgresText: String? { uuidString }
}

extension Date: PostgresEncodable {
    public var postgresText: String? { PostgresTimestamp.format(self) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? {
        switch self {
        case .none: nil
        case .some(let value): value.postgresText
        }
    }
}

/// Arrays bind as PostgreSQL array literals, e.g. `$1::text[]`, which lets one
/// statement write a whole batch through `unnest`.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String? {
        var literal = "{"
        literal.reserveCapacity(count * 8 + 2)
        for (index, element) in enumerated() {
            if index > 0 { literal.append(",") }
            guard let text = element.postgresText else {
                literal.append("NULL")
                continue
            }
            literal.append("\"")
            for character in text.unicodeScalars {
                if character == "\"" || character == "\\" { literal.append("\\") }
                literal.unicodeScalars.append(character)
            }
            literal.append("\"")
        }
        literal.append("}")
        return literal
    }
}

/// A `Codable` value stored in a `json` or `jsonb` column.
public struct JSONValue<Value: Codable & Sendable>: Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }
}

extension JSONValue: PostgresEncodable {
    public var postgresText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
