extension IncomingLead {
    /// The lead as a JSON object with its keys in order, the same document the `Codable`
    /// encoding gives, written by hand: a bulk import writes one per row.
    public var jsonText: String {
        var json = "{"
        json.reserveCapacity(256)
        for field in Self.fieldsByName {
            guard let value = self[field] else { continue }
            if json.utf8.count > 1 { json += "," }
            json += "\"" + field.name + "\":"
            JSONText.appendQuoted(value, to: &json)
        }
        json += "}"
        return json
    }

    private static let fieldsByName = LeadField.allCases.sorted { $0.name < $1.name }
}
