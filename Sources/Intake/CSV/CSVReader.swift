/// Streams CSV records from a ``ByteChunkSource``, one at a time, in constant memory.
///
/// A UTF-8 byte order mark at the start is skipped. Malformed records come back as rows with a
/// ``CSVRow/problem``, and reading goes on after them. Header handling is left to the caller
/// (see ``CSVLeadReader``), so the reader also serves for files without one.
public struct CSVReader<Source: ByteChunkSource> {
    private var source: Source
    private var tokenizer: CSVTokenizer
    private var chunk: [UInt8] = []
    private var position = 0
    private var started = false
    private var finished = false

    public init(source: Source, options: CSVOptions = CSVOptions()) {
        self.source = source
        self.tokenizer = CSVTokenizer(options: options)
    }

    /// The next record, or nil at the end of input. Throws only what the source throws.
    public mutating func next() throws -> CSVRow? {
        if !started { try start() }
        while !finished {
            if position < chunk.count {
                let row = chunk.withUnsafeBufferPointer { buffer in
                    tokenizer.nextRow(in: buffer, position: &position)
                }
                if let row { return row }
            }
            if let next = try source.nextChunk() {
                chunk = next
                position = 0
            } else {
                finished = true
                chunk = []
                return tokenizer.finish()
            }
        }
        return nil
    }

    /// Reads enough of the input to see whether it starts with a byte order mark, and skips it.
    private mutating func start() throws {
        started = true
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        while chunk.count < byteOrderMark.count, let next = try source.nextChunk() {
            chunk += next
        }
        if chunk.starts(with: byteOrderMark) { position = byteOrderMark.count }
    }
}
