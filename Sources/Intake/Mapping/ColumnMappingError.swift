/// Why a column mapping cannot be used: a bad mapping file, or a header that lacks columns.
///
/// Raised before any row is read, so a wrong file never produces a flood of per-row rejects.
/// The description names the mapping (a file name, or `salesforce`) and the columns involved,
/// which are header text, never row data.
public struct ColumnMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The mapping file is not YAML, or not shaped as a mapping file.
        public static let invalidFile = Code("invalid_file")
        /// The file maps or defaults a field that leads do not have.
        public static let unknownField = Code("unknown_field")
        /// The e-mail field is not mapped, or its column is not in the header.
        public static let missingRequiredColumn = Code("missing_required_column")
        /// A column the mapping names is not in the header.
        public static let missingColumn = Code("missing_column")
        /// The input has no header row.
        public static let missingHeader = Code("missing_header")

        public var description: String { name }
    }

    public var code: Code
    /// The mapping's name: the file it came from, or the built-in mapping's name.
    public var mapping: String
    /// The column involved, as written in the mapping.
    public var column: String?
    public var message: String

    public init(_ code: Code, mapping: String, column: String? = nil, message: String) {
        self.code = code
        self.mapping = mapping
        self.column = column
        self.message = message
    }

    public var description: String { "\(mapping): \(message)" }
}
