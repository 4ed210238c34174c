/// Splits a ``ByteChunkSource`` into lines in constant memory: LF or CRLF ends a line, and the
/// last line needs no terminator.
public struct LineReader<Source: ByteChunkSource> {
    /// One line without its terminator.
    public struct Line: Sendable, Hashable {
        /// 1-based.
        public var number: Int
        public var bytes: [UInt8]
        /// True when the line was longer than the limit; ``bytes`` is then empty.
        public var isTooLong: Bool
    }

    private var source: Source
    private var chunk: [UInt8] = []
    private var position = 0
    private var pending: [UInt8] = []
    private var pendingTooLong = false
    private var lineNumber = 0
    private var finished = false
    public let maximumLineBytes: Int

    /// - Parameter maximumLineBytes: longer lines are reported as too long, not kept. Default 1 MiB.
    public init(source: Source, maximumLineBytes: Int = 1 << 20) {
        self.source = source
        self.maximumLineBytes = maximumLineBytes
    }

    public mutating func next() throws -> Line? {
        while !finished {
            if position < chunk.count {
                if let newline = chunk[position...].firstIndex(of: UInt8(ascii: "\n")) {
                    take(chunk[position..<newline])
                    position = newline + 1
                    return completeLine()
                }
                take(chunk[position...])
                position = chunk.count
            }
            if let next = try source.nextChunk() {
                chunk = next
                position = 0
            } else {
                finished = true
                if !pending.isEmpty || pendingTooLong { return completeLine() }
            }
        }
        return nil
    }

    private mutating func take(_ bytes: ArraySlice<UInt8>) {
        guard !pendingTooLong else { return }
        if pending.count + bytes.count > maximumLineBytes {
            pendingTooLong = true
            pending = []
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func completeLine() -> Line {
        lineNumber += 1
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        let line = Line(number: lineNumber, bytes: pending, isTooLong: pendingTooLong)
        pending.removeAll(keepingCapacity: true)
        pendingTooLong = false
        return line
    }
}
