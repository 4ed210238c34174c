/// An error from PostgreSQL or from this layer.
///
/// `code` says which kind of failure it was and stays extensible; `sqlState` carries the
/// server's five-character SQLSTATE when the server produced the error. The plain
/// `description` holds the server's primary message and never a parameter value, a
/// password or the error's detail field (which can echo row data); `debugDescription`
/// adds detail and hint for logs that may carry data.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// Connecting failed, or the connection broke.
        public static let connection = Code("connection")
        /// The server rejected a statement; see `sqlState`.
        public static let server = Code("server")
        /// A value in a result could not be decoded as the requested Swift type.
        public static let decoding = Code("decoding")
        /// COPY FROM STDIN failed on the client side.
        public static let copy = Code("copy")
        /// A migration file is wrong or was changed after it was applied.
        public static let migration = Code("migration")
        /// The connection pool was closed or ran out of time.
        public static let pool = Code("pool")

        public var description: String { name }
    }

    public var code: Code
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?

    public init(
        _ code: Code, _ message: String, sqlState: SQLState? = nil, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState.rawValue))" }
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    public var debugDescription: String {
        var text = "PostgresError(\(code)): \(description)"
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// True for the errors a caller should retry the whole transaction on.
    public var isRetryableTransactionFailure: Bool {
        sqlState == .serializationFailure || sqlState == .deadlockDetected
    }
}

/// A five-character SQLSTATE, with names for the ones LeadRelay acts on.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let badCopyFileFormat = SQLState(rawValue: "22P04")

    /// The two-character class, e.g. "23" for integrity constraint violations.
    public var errorClass: Substring { rawValue.prefix(2) }
    public var description: String { rawValue }
}
