import Yams

extension ColumnMapping {
    /// Reads a custom mapping file:
    ///
    /// ```yaml
    /// columns:              # required: lead field → CSV column header
    ///   email: "E-Mail Address"
    ///   first_name: "Vorname"
    /// source: "trade-show-2026"   # optional: default for `source`
    /// defaults:                   # optional: defaults for any field
    ///   campaign: "spring-2026"
    /// ```
    ///
    /// Every mapped column must then be in the CSV header. Field names are those of
    /// ``LeadField`` (`first_name`, `annual_revenue`, …).
    ///
    /// - Parameter file: the file's name, used in every error message.
    public static func yaml(_ text: String, file: String) throws(ColumnMappingError) -> ColumnMapping {
        func invalid(_ message: String, column: String? = nil) -> ColumnMappingError {
            ColumnMappingError(.invalidFile, mapping: file, column: column, message: message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw invalid("not valid YAML")
        }
        guard let root, let top = root.mapping else { throw invalid("expected a mapping with a columns key") }
        var columns: [LeadField: String] = [:]
        var defaults: [LeadField: String] = [:]
        var sawColumns = false
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "columns":
                sawColumns = true
                columns = try fieldTable(value, section: "columns", file: file)
            case "defaults":
                defaults.merge(try fieldTable(value, section: "defaults", file: file)) { _, new in new }
            case "source":
                guard let source = value.scalar?.string else { throw invalid("source must be text") }
                defaults[.source] = source
            default:
                throw invalid("unknown key \"\(key)\" (expected columns, source, defaults)")
            }
        }
        guard sawColumns else { throw invalid("has no columns section") }
        guard columns[.email] != nil else {
            throw ColumnMappingError(.missingRequiredColumn, mapping: file, message: "columns must map email")
        }
        return ColumnMapping(name: file, columns: columns, defaults: defaults)
    }

    /// Reads `field: text` pairs, refusing unknown field names.
    private static func fieldTable(_ node: Node, section: String, file: String) throws(ColumnMappingError) -> [LeadField: String] {
        guard let mapping = node.mapping else {
            throw ColumnMappingError(.invalidFile, mapping: file, message: "\(section) must be a mapping of field: column")
        }
        var table: [LeadField: String] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard let field = LeadField(rawValue: key) else {
                let known = LeadField.allCases.map(\.name).joined(separator: ", ")
                throw ColumnMappingError(.unknownField, mapping: file, column: key,
                                         message: "\(section) names unknown field \"\(key)\" (known: \(known))")
            }
            guard let text = value.scalar?.string, !text.isEmpty else {
                throw ColumnMappingError(.invalidFile, mapping: file, column: key,
                                         message: "\(section).\(key) must be non-empty text")
            }
            table[field] = text
        }
        return table
    }
}
