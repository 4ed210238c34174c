/// The rows of a result, copied out of libpq so that they are `Sendable` and outlive it.
///
/// All cells share one byte buffer; a row is an index into it, so reading a result
/// allocates per result, not per cell.
public struct Rows: Sendable, RandomAccessCollection {
    public struct Column: Sendable {
        public let name: String
        /// The type's OID, e.g. 20 for bigint, 25 for text.
        public let typeOID: UInt32
    }

    public let columns: [Column]
    /// For a command such as INSERT or DELETE: how many rows it touched.
    public let affectedRows: Int
    let storage: [UInt8]
    /// Start offset of each cell, row-major; -1 marks NULL.
    let offsets: [Int32]
    let lengths: [Int32]

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : offsets.count / columns.count }
    public subscript(position: Int) -> Row { Row(rows: self, index: position) }

    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }
}

/// One row of `Rows`. Decode a column by position or by name.
public struct Row: Sendable {
    let rows: Rows
    let index: Int

    public var columnCount: Int { rows.columns.count }

    /// Whether the cell is NULL.
    public func isNull(_ column: Int) -> Bool {
        rows.offsets[index * rows.columns.count + column] < 0
    }

    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard let value = try decode(column, as: T?.self) else {
            throw decodingError(column, T.self, reason: "is NULL")
        }
        return value
    }

    public func decode<T: PostgresDecodable>(_ column: Int, as type: T?.Type = T?.self) throws -> T? {
        guard column >= 0, column < rows.columns.count else {
            throw PostgresError(.decoding, "column \(column) is out of range: the result has \(rows.columns.count)")
        }
        let cell = index * rows.columns.count + column
        let offset = Int(rows.offsets[cell])
        if offset < 0 { return nil }
        let length = Int(rows.lengths[cell])
        let value = rows.storage.withUnsafeBufferPointer { buffer in
            T(postgresText: UnsafeBufferPointer(rebasing: buffer[offset..<offset + length]))
        }
        guard let value else { throw decodingError(column, T.self, reason: "does not hold a valid value") }
        return value
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try decode(try position(of: name), as: T.self)
    }

    public func decode<T: PostgresDecodable>(_ name: String, as type: T?.Type = T?.self) throws -> T? {
        try decode(try position(of: name), as: T?.self)
    }

    private func position(of name: String) throws -> Int {
        guard let position = rows.columnIndex(name) else {
            throw PostgresError(.decoding, "the result has no column \"\(name)\"")
        }
        return position
    }

    private func decodingError(_ column: Int, _ type: Any.Type, reason: String) -> PostgresError {
        let name = rows.columns[column].name
        return PostgresError(
            .decoding,
            "column \"\(name)\" (type OID \(rows.columns[column].typeOID)) cannot be decoded as \(type): it \(reason)",
            column: name
        )
    }
}
