import CLibPQ
public import Foundation

/// The wire format of a COPY: PostgreSQL's tab-separated text, or its binary format.
public enum CopyFormat: Sendable {
    case text
    case binary
}

extension Connection {
    /// Streams rows into the server with `COPY … FROM STDIN`.
    ///
    /// `sql` is the COPY statement, e.g. `COPY leads (email, name) FROM STDIN` (add
    /// `WITH (FORMAT binary)` for the binary format). `body` writes rows; the writer sends
    /// them in chunks as it goes, so memory stays flat however many rows there are. If
    /// `body` throws, the COPY is cancelled and no row stays. If the server rejects a row,
    /// its error is thrown and no row stays either. Returns the number of rows copied.
    @discardableResult
    public func copyFrom(
        _ sql: String, format: CopyFormat = .text, _ body: (inout CopyWriter) throws -> Void
    ) throws -> Int {
        let handle = try liveHandle()
        try sendUnsent()
        guard let start = PQexec(handle, sql) else { throw LibPQ.connectionError(handle) }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            try LibPQ.check(start, connection: handle)
            throw PostgresError(.copy, "the statement given to copyFrom is not a COPY FROM STDIN")
        }
        PQclear(start)

        var writer = CopyWriter(handle: handle, format: format)
        do {
            try body(&writer)
            try writer.finish()
        } catch {
            writer.abort(reason: "cancelled by the client")
            drainResults(handle)
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw LibPQ.connectionError(handle) }
        var firstError: (any Error)?
        var copied = 0
        while let result = PQgetResult(handle) {
            do {
                let rows = try LibPQ.rows(from: result, connection: handle)
                copied = rows.affectedRows
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
        return copied
    }

    private func drainResults(_ handle: OpaquePointer) {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}

/// Writes the rows of one COPY. Rows are buffered and sent in chunks of about 256 KB.
public struct CopyWriter {
    private let handle: OpaquePointer
    private let format: CopyFormat
    private let buffer = CopyBuffer(capacity: Self.chunkSize + 4096)
    private var wroteHeader = false
    private static let chunkSize = 256 * 1024
    /// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01.
    private static let postgresEpochOffset: Int64 = 946_684_800_000_000

    fileprivate init(handle: OpaquePointer, format: CopyFormat) {
        self.handle = handle
        self.format = format
    }

    /// Writes bytes as they are, for callers that produce the COPY format themselves.
    public mutating func writeRaw(_ bytes: some Sequence<UInt8>) throws {
        let buffer = buffer
        if bytes.withContiguousStorageIfAvailable({ buffer.append(contentsOf: UnsafeRawBufferPointer($0)) }) == nil {
            for byte in bytes { buffer.append(byte) }
        }
        try flushIfFull()
    }

    /// Writes one row in the text format, escaping tabs, newlines and backslashes. nil is NULL.
    public mutating func writeTextRow(_ fields: [String?]) throws {
        precondition(format == .text, "writeTextRow needs a COPY in the text format")
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(utf8Of: "\\N")
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(utf8Of: "\\\\")
                case UInt8(ascii: "\t"): buffer.append(utf8Of: "\\t")
                case UInt8(ascii: "\n"): buffer.append(utf8Of: "\\n")
                case UInt8(ascii: "\r"): buffer.append(utf8Of: "\\r")
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        try flushIfFull()
    }

    /// Starts a row in the binary format; follow with exactly `fieldCount` field calls.
    public mutating func beginBinaryRow(fieldCount: Int) throws {
        precondition(format == .binary, "beginBinaryRow needs a COPY in the binary format")
        writeBinaryHeaderOnce()
        try flushIfFull()
        appendBigEndian(Int16(fieldCount))
    }

    public mutating func binaryNull() { appendBigEndian(Int32(-1)) }

    /// A `bigint` field.
    public mutating func binaryField(_ value: Int64) {
        appendBigEndian(Int32(8))
        appendBigEndian(value)
    }

    /// An `integer` field.
    public mutating func binaryField(_ value: Int32) {
        appendBigEndian(Int32(4))
        appendBigEndian(value)
    }

    /// A `bigint` field; nil is NULL.
    public mutating func binaryField(_ value: Int64?) {
        guard let value else { return binaryNull() }
        binaryField(value)
    }

    /// An `integer` field; nil is NULL.
    public mutating func binaryField(_ value: Int32?) {
        guard let value else { return binaryNull() }
        binaryField(value)
    }

    /// A `double precision` field.
    public mutating func binaryField(_ value: Double) {
        appendBigEndian(Int32(8))
        appendBigEndian(Int64(bitPattern: value.bitPattern))
    }

    /// A `boolean` field.
    public mutating func binaryField(_ value: Bool) {
        appendBigEndian(Int32(1))
        buffer.append(value ? 1 : 0)
    }

    /// A `text` or `varchar` field; nil is NULL.
    public mutating func binaryField(_ value: String?) {
        guard let value else { return binaryNull() }
        appendBigEndian(Int32(value.utf8.count))
        buffer.append(utf8Of: value)
    }

    /// A `jsonb` field from JSON text; nil is NULL.
    public mutating func binaryField(jsonb value: String?) {
        guard let value else { return binaryNull() }
        let start = buffer.count
        appendBigEndian(Int32(0))
        buffer.append(1)  // jsonb binary format version
        buffer.append(utf8Of: value)
        patchLength(at: start)
    }

    /// A `timestamptz` field.
    public mutating func binaryField(_ value: Date) {
        appendBigEndian(Int32(8))
        appendBigEndian(Int64((value.timeIntervalSince1970 * 1_000_000).rounded()) - Self.postgresEpochOffset)
    }

    /// A `uuid` field.
    public mutating func binaryField(_ value: UUID) {
        appendBigEndian(Int32(16))
        withUnsafeBytes(of: value.uuid) { buffer.append(contentsOf: $0) }
    }

    /// A `text[]` field.
    public mutating func binaryField(_ values: [String]) {
        binaryArray(elementType: Self.textOID, dimensions: [values.count], hasNulls: false) {
            for value in values { $0.binaryField(value) }
        }
    }

    /// An `integer[]` field.
    public mutating func binaryField(_ values: [Int32]) {
        binaryArray(elementType: Self.int4OID, dimensions: [values.count], hasNulls: false) {
            for value in values { $0.binaryField(value) }
        }
    }

    /// A `bigint[]` field; nil elements are NULL.
    public mutating func binaryField(_ values: [Int64?]) {
        binaryArray(elementType: Self.int8OID, dimensions: [values.count], hasNulls: values.contains(nil)) {
            for value in values { $0.binaryField(value) }
        }
    }

    /// A two-dimensional `text[]` field, `rows` by `columns`. Every row must have exactly
    /// `columns` values: PostgreSQL arrays are rectangular.
    public mutating func binaryField(rows: [[String]], columns: Int) {
        precondition(rows.allSatisfy { $0.count == columns }, "every row of a two-dimensional array has the same length")
        binaryArray(elementType: Self.textOID, dimensions: [rows.count, columns], hasNulls: false) {
            for row in rows {
                for value in row { $0.binaryField(value) }
            }
        }
    }

    private static let textOID: Int32 = 25
    private static let int4OID: Int32 = 23
    private static let int8OID: Int32 = 20

    /// The array binary format: dimensions, a has-nulls flag, the element type, each
    /// dimension's length and lower bound (1), then the elements as fields.
    private mutating func binaryArray(elementType: Int32, dimensions: [Int], hasNulls: Bool, elements: (inout CopyWriter) -> Void) {
        let start = buffer.count
        appendBigEndian(Int32(0))
        // An empty array has no dimensions at all in PostgreSQL.
        let counts = dimensions.contains(0) ? [] : dimensions
        appendBigEndian(Int32(counts.count))
        appendBigEndian(Int32(hasNulls ? 1 : 0))
        appendBigEndian(elementType)
        for count in counts {
            appendBigEndian(Int32(count))
            appendBigEndian(Int32(1))
        }
        if !counts.isEmpty { elements(&self) }
        patchLength(at: start)
    }

    fileprivate mutating func finish() throws {
        if format == .binary {
            writeBinaryHeaderOnce()
            appendBigEndian(Int16(-1))
        }
        try flush()
    }

    fileprivate mutating func abort(reason: String) {
        buffer.removeAll()
        _ = PQputCopyEnd(handle, reason)
    }

    private mutating func writeBinaryHeaderOnce() {
        guard !wroteHeader else { return }
        // "PGCOPY\n\377\r\n\0", then a flags word and a header-extension length, both 0.
        let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]
        signature.withUnsafeBytes { buffer.append(contentsOf: $0) }
        appendBigEndian(Int32(0))
        appendBigEndian(Int32(0))
        wroteHeader = true
    }

    private mutating func patchLength(at start: Int) {
        buffer.store(bigEndian: Int32(buffer.count - start - 4), at: start)
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        buffer.append(bigEndian: value)
    }

    private mutating func flushIfFull() throws {
        if buffer.count >= Self.chunkSize { try flush() }
    }

    private mutating func flush() throws {
        guard buffer.count > 0 else { return }
        let sent = PQputCopyData(handle, buffer.bytes.assumingMemoryBound(to: CChar.self), Int32(buffer.count))
        guard sent == 1 else { throw LibPQ.connectionError(handle) }
        buffer.removeAll()
    }
}

/// A COPY's outgoing bytes. Raw storage rather than `[UInt8]`: a row of twenty fields is
/// forty-odd appends of a few bytes each, and an array's append (its capacity and
/// uniqueness checks, a generic copy for each length word) was most of the encoding's time.
private final class CopyBuffer {
    private(set) var bytes: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { bytes.deallocate() }

    func append(_ byte: UInt8) {
        reserve(1)
        bytes.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    func append<T: FixedWidthInteger>(bigEndian value: T) {
        reserve(MemoryLayout<T>.size)
        bytes.storeBytes(of: value.bigEndian, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    func append(utf8Of text: String) {
        // A native string lends its UTF-8 as it is; only another kind is copied first.
        guard text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: UnsafeRawBufferPointer($0)) }) == nil else { return }
        var copy = text
        copy.withUTF8 { append(contentsOf: UnsafeRawBufferPointer($0)) }
    }

    func append(contentsOf raw: UnsafeRawBufferPointer) {
        guard let base = raw.baseAddress, !raw.isEmpty else { return }
        reserve(raw.count)
        (bytes + count).copyMemory(from: base, byteCount: raw.count)
        count += raw.count
    }

    /// Overwrites four bytes written earlier, such as a length word left as a placeholder.
    func store(bigEndian value: Int32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= count, "a patched length lies inside what was written")
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: Int32.self)
    }

    func removeAll() { count = 0 }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var grown = capacity * 2
        while grown < count + extra { grown *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
        larger.copyMemory(from: bytes, byteCount: count)
        bytes.deallocate()
        bytes = larger
        capacity = grown
    }
}
