/// Which CSV column fills which ``IncomingLead`` field.
///
/// Header names match ignoring case and surrounding white space. The e-mail column is always
/// required. Other columns are required too unless listed in ``optionalFields``: the built-in
/// mappings make them optional because real exports include only the properties someone
/// ticked, while a custom mapping file says exactly what its file contains.
public struct ColumnMapping: Sendable, Hashable {
    /// Names the mapping in errors: the file it was read from, or `salesforce` / `hubspot`.
    public var name: String
    /// Field → column header.
    public var columns: [LeadField: String]
    /// Values for fields whose column is absent or empty (a file's `source: trade-show-2026`).
    public var defaults: [LeadField: String]
    /// Mapped fields whose column may be missing from the header.
    public var optionalFields: Set<LeadField>

    public init(name: String, columns: [LeadField: String], defaults: [LeadField: String] = [:],
                optionalFields: Set<LeadField> = []) {
        self.name = name
        self.columns = columns
        self.defaults = defaults
        self.optionalFields = optionalFields.subtracting([.email])
    }

    /// Matches the mapping against a header row, once, before any data row is read.
    ///
    /// - Throws: ``ColumnMappingError`` when the e-mail column or a required column is missing,
    ///   naming the column and the mapping.
    public func bind(header: [String]) throws(ColumnMappingError) -> BoundColumnMapping {
        var positions: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let key = Self.headerKey(name)
            if positions[key] == nil { positions[key] = index }
        }
        guard let email = columns[.email] else {
            throw ColumnMappingError(.missingRequiredColumn, mapping: name, message: "maps no column to email")
        }
        var bound: [(field: LeadField, index: Int)] = []
        for field in LeadField.allCases {
            guard let column = columns[field] else { continue }
            if let index = positions[Self.headerKey(column)] {
                bound.append((field, index))
            } else if field == .email {
                throw ColumnMappingError(.missingRequiredColumn, mapping: name, column: email,
                                         message: "the header has no column \"\(email)\" for the required field email")
            } else if !optionalFields.contains(field) {
                throw ColumnMappingError(.missingColumn, mapping: name, column: column,
                                         message: "the header has no column \"\(column)\" (mapped to \(field.name))")
            }
        }
        return BoundColumnMapping(header: header, columns: bound, defaults: defaults)
    }

    static func headerKey(_ name: String) -> String {
        (FieldText.cleaned(name) ?? "").lowercased()
    }
}
