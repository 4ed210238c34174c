/// How CSV is read.
public struct CSVOptions: Sendable, Hashable {
    /// The field separator, an ASCII byte. Default `,`; exports from European spreadsheets use `;`.
    public var delimiter: UInt8
    /// The largest record kept, in bytes. A larger record (often the rest of a file after a
    /// stray quote) is skipped with a ``IntakeProblem/Code-swift.struct/recordTooLarge``
    /// problem, so memory stays bounded. Default 1 MiB.
    public var maximumRecordBytes: Int

    public init(delimiter: UInt8 = UInt8(ascii: ","), maximumRecordBytes: Int = 1 << 20) {
        self.delimiter = delimiter
        self.maximumRecordBytes = maximumRecordBytes
    }
}
