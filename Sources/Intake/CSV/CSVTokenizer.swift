/// The RFC 4180 state machine under ``CSVReader``: consumes bytes in any chunking and
/// completes one record at a time.
///
/// Beyond the RFC, as real exports need: LF, CRLF and lone CR all end a record; blank lines are
/// skipped; a quote inside an unquoted field is literal; text after a closing quote is kept
/// (`"a"b` is `ab`). Fields are decoded as UTF-8; a record with bytes that are not UTF-8 (an old
/// spreadsheet export in ISO 8859-1, say) comes back with an `invalid_encoding` problem, its
/// fields read as ISO 8859-1 so that no byte is silently replaced in the reject.
struct CSVTokenizer {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote seen inside a quoted field: either a doubled quote or the closing one.
        case quoteInQuoted
    }

    private let delimiter: UInt8
    private let maximumRecordBytes: Int
    private var state = State.fieldStart
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var recordStarted = false
    private var recordHasInvalidUTF8 = false
    private var skipLineFeed = false
    private var recordBytes = 0
    private var line = 1
    private var recordLine = 1

    init(options: CSVOptions) {
        delimiter = options.delimiter
        maximumRecordBytes = options.maximumRecordBytes
        field.reserveCapacity(256)
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let quote = UInt8(ascii: "\"")

    /// Consumes bytes from `position` until a record completes (returned) or the buffer ends (nil).
    mutating func nextRow(in buffer: UnsafeBufferPointer<UInt8>, position: inout Int) -> CSVRow? {
        let end = buffer.count
        while position < end {
            switch state {
            case .fieldStart:
                let byte = buffer[position]
                if !recordStarted {
                    if skipLineFeed {
                        skipLineFeed = false
                        if byte == Self.lineFeed { position += 1; continue }
                    }
                    if byte == Self.lineFeed || byte == Self.carriageReturn {
                        line += 1
                        skipLineFeed = byte == Self.carriageReturn
                        position += 1
                        continue
                    }
                    recordStarted = true
                    recordLine = line
                }
                if byte == Self.quote {
                    state = .quoted
                    position += 1
                } else {
                    state = .unquoted
                }
            case .unquoted:
                let start = position
                while position < end {
                    let byte = buffer[position]
                    if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                    position += 1
                }
                guard position < end else {
                    append(buffer, start, position)
                    return nil
                }
                let byte = buffer[position]
                position += 1
                if field.isEmpty {
                    endField(directly: UnsafeBufferPointer(rebasing: buffer[start..<position - 1]))
                } else {
                    append(buffer, start, position - 1)
                    endField()
                }
                if byte == delimiter {
                    state = .fieldStart
                } else {
                    line += 1
                    skipLineFeed = byte == Self.carriageReturn
                    return endRecord(problem: nil)
                }
            case .quoted:
                let start = position
                while position < end {
                    let byte = buffer[position]
                    if byte == Self.quote { break }
                    if byte == Self.lineFeed { line += 1 }
                    position += 1
                }
                append(buffer, start, position)
                guard position < end else { return nil }
                position += 1
                state = .quoteInQuoted
            case .quoteInQuoted:
                if buffer[position] == Self.quote {
                    appendByte(Self.quote)
                    position += 1
                    state = .quoted
                } else {
                    state = .unquoted
                }
            }
        }
        return nil
    }

    /// Completes the last record at the end of input, if one is open.
    mutating func finish() -> CSVRow? {
        guard recordStarted else { return nil }
        let unterminated = state == .quoted
        endField()
        return endRecord(problem: unterminated ? Self.unterminatedQuote : nil)
    }

    private static let invalidUTF8 = IntakeProblem(
        field: nil, code: .invalidEncoding, reason: "the row is not valid UTF-8; save the export as UTF-8")
    private static let unterminatedQuote = IntakeProblem(
        field: nil, code: .unterminatedQuote, reason: "a quoted field is not closed before the end of the input")
    private var tooLargeProblem: IntakeProblem {
        IntakeProblem(field: nil, code: .recordTooLarge, reason: "record is larger than \(maximumRecordBytes) bytes")
    }

    private var isOverLimit: Bool { recordBytes > maximumRecordBytes }

    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard end > start else { return }
        recordBytes += end - start
        guard !isOverLimit else { return }
        field.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
    }

    private mutating func appendByte(_ byte: UInt8) {
        recordBytes += 1
        if !isOverLimit { field.append(byte) }
    }

    private mutating func endField() {
        recordBytes += 1
        if !isOverLimit { fields.append(field.withUnsafeBufferPointer { decode($0) }) }
        field.removeAll(keepingCapacity: true)
    }

    /// Ends a field whose bytes all lie in the current buffer, without copying them first:
    /// the common case, and the one that makes plain CSV fast.
    private mutating func endField(directly bytes: UnsafeBufferPointer<UInt8>) {
        recordBytes += bytes.count + 1
        if !isOverLimit { fields.append(decode(bytes)) }
    }

    private mutating func endRecord(problem: IntakeProblem?) -> CSVRow {
        let row = CSVRow(line: recordLine, fields: isOverLimit ? [] : fields,
                         problem: isOverLimit ? tooLargeProblem : problem ?? (recordHasInvalidUTF8 ? Self.invalidUTF8 : nil))
        recordHasInvalidUTF8 = false
        let capacity = fields.count
        fields = []
        fields.reserveCapacity(capacity)
        recordStarted = false
        recordBytes = 0
        state = .fieldStart
        return row
    }

    /// Decodes a field as UTF-8. Bytes that are not UTF-8 make the whole record a problem
    /// (a lead must not be stored with mangled text); the field is still read as ISO 8859-1
    /// so that the reject shows what the file held.
    private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        recordHasInvalidUTF8 = true
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return text
    }

    /// True when every byte is below 0x80; checked eight bytes at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            high |= UInt64(bytes[index])
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
