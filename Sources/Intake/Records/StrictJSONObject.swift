import Foundation

/// A coding key for any JSON object key, so decoding can see keys it does not know.
struct JSONKey: CodingKey, Hashable {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// Reads a flat JSON object of string fields strictly, collecting every problem instead of
/// stopping at the first, so that one rejection tells the client everything that is wrong.
struct StrictJSONObject {
    private let container: KeyedDecodingContainer<JSONKey>
    private var problems: [IntakeProblem] = []

    static let notAnObject = IntakeProblem(field: nil, code: .invalidJSON, reason: "not a JSON object")
    static let notJSON = IntakeProblem(field: nil, code: .invalidJSON, reason: "not valid JSON")

    init(_ decoder: any Decoder, knownKeys: Set<String>) throws {
        do {
            container = try decoder.container(keyedBy: JSONKey.self)
        } catch {
            throw IntakeRejection([Self.notAnObject])
        }
        let unknown = container.allKeys.map(\.stringValue).filter { !knownKeys.contains($0) }.sorted()
        for key in unknown {
            problems.append(IntakeProblem(field: Self.printable(key), code: .unknownField,
                                          reason: "not a field of this API"))
        }
    }

    /// The field's text: a string, or for number fields a number rendered as decimal text.
    /// `null` and an absent key are both nil.
    mutating func text(_ key: String, acceptsNumbers: Bool) -> String? {
        let codingKey = JSONKey(key)
        guard container.contains(codingKey), (try? container.decodeNil(forKey: codingKey)) == false else {
            return nil
        }
        if let string = try? container.decode(String.self, forKey: codingKey) { return string }
        if acceptsNumbers {
            if let integer = try? container.decode(Int64.self, forKey: codingKey) { return String(integer) }
            if let double = try? container.decode(Double.self, forKey: codingKey), double.isFinite {
                return Self.decimalText(double)
            }
        }
        let expected = acceptsNumbers ? "expected a string or a number" : "expected a string"
        problems.append(IntakeProblem(field: key, code: .wrongType, reason: expected))
        return nil
    }

    /// Throws every collected problem, if any.
    func finish() throws {
        if !problems.isEmpty { throw IntakeRejection(problems) }
    }

    /// Decodes a whole JSON text, turning syntax errors into one clear problem.
    static func decode<Value: Decodable>(_ type: Value.Type, from json: Data) throws(IntakeRejection) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: json)
        } catch let rejection as IntakeRejection {
            throw rejection
        } catch {
            throw IntakeRejection([notJSON])
        }
    }

    private static func decimalText(_ value: Double) -> String {
        if value == value.rounded(.towardZero), abs(value) < 9e18 { return String(Int64(value)) }
        return String(value)
    }

    /// Unknown keys come from the client; keep them short and printable in problem texts.
    private static func printable(_ key: String) -> String {
        let cleaned = String(key.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(64))
        return cleaned.isEmpty ? "(empty key)" : cleaned
    }
}
