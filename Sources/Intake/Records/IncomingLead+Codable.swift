public import Foundation

extension IncomingLead: Codable {
    /// Decodes strictly: every unknown key and every value of the wrong type is collected, and
    /// an ``IntakeRejection`` listing all of them is thrown.
    public init(from decoder: any Decoder) throws {
        var reader = try StrictJSONObject(decoder, knownKeys: Self.knownKeys)
        self.init()
        for field in LeadField.allCases {
            self[field] = reader.text(field.name, acceptsNumbers: field.acceptsNumbers)
        }
        try reader.finish()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for field in LeadField.allCases {
            try container.encodeIfPresent(self[field], forKey: JSONKey(field.name))
        }
    }

    /// Decodes one JSON object, as the HTTP API receives it, reporting every problem at once.
    public static func decode(json: Data) throws(IntakeRejection) -> IncomingLead {
        try StrictJSONObject.decode(IncomingLead.self, from: json)
    }

    static let knownKeys = Set(LeadField.allCases.map(\.name))
}
