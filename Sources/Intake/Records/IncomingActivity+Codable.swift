public import Foundation

extension IncomingActivity: Codable {
    /// Decodes strictly, like ``IncomingLead``: all problems are collected and thrown together.
    public init(from decoder: any Decoder) throws {
        var reader = try StrictJSONObject(decoder, knownKeys: Self.knownKeys)
        self.init()
        for field in ActivityField.allCases {
            self[field] = reader.text(field.name, acceptsNumbers: false)
        }
        try reader.finish()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for field in ActivityField.allCases {
            try container.encodeIfPresent(self[field], forKey: JSONKey(field.name))
        }
    }

    /// Decodes one JSON object, reporting every problem at once.
    public static func decode(json: Data) throws(IntakeRejection) -> IncomingActivity {
        try StrictJSONObject.decode(IncomingActivity.self, from: json)
    }

    static let knownKeys = Set(ActivityField.allCases.map(\.name))
}
