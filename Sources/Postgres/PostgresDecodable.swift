public import Foundation

/// A Swift type that can be read from a result column in PostgreSQL's text format.
///
/// NULL never reaches `init(postgresText:)`: decode as `T?` to accept it.
public protocol PostgresDecodable: Sendable {
    /// Returns nil when the text is not a valid value of this type.
    init?(postgresText bytes: UnsafeBufferPointer<UInt8>)
}

extension String: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Int64: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let digits = negative ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= 48, byte <= 57 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative
                ? shifted.subtractingReportingOverflow(Int64(byte - 48))
                : shifted.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        self = value
    }
}

extension Int: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = Int64(postgresText: bytes) else { return nil }
        self = Int(value)
    }
}

extension Int32: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = Int64(postgresText: bytes), let narrow = Int32(exactly: value) else { return nil }
        self = narrow
    }
}

extension Double: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { return nil }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 1 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: return nil
        }
    }
}

extension UUID: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        self.init(uuidString: String(decoding: bytes, as: UTF8.self))
    }
}

extension Date: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let date = PostgresTimestamp.parse(bytes) else { return nil }
        self = date
    }
}

extension JSONValue: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let value = try? decoder.decode(Value.self, from: Data(bytes)) else { return nil }
        self.value = value
    }
}

/// One-dimensional arrays such as `text[]` or `bigint[]`. A NULL element fails to decode.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init?(postgresText bytes: UnsafeBufferPointer<UInt8>) {
        guard let elements = PostgresArrayText.elements(bytes) else { return nil }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let element else { return nil }
            let decoded = element.withUnsafeBufferPointer { Element(postgresText: $0) }
            guard let decoded else { return nil }
            result.append(decoded)
        }
        self = result
    }
}

/// Splits the text form of a one-dimensional array, `{a,"b c",NULL}`, into its elements.
enum PostgresArrayText {
    static func elements(_ bytes: UnsafeBufferPointer<UInt8>) -> [[UInt8]?]? {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        var elements: [[UInt8]?] = []
        var index = 1
        let end = bytes.count - 1
        guard index < end else { return [] }
        while index <= end {
            var element: [UInt8] = []
            var quoted = false
            if bytes[index] == UInt8(ascii: "\"") {
                quoted = true
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    guard index < end else { return nil }
                    element.append(bytes[index])
                    index += 1
                }
                index += 1
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    element.append(bytes[index])
                    index += 1
                }
            }
            elements.append(!quoted && element.elementsEqual("NULL".utf8) ? nil : element)
            guard index == end || bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
        return elements
    }
}
