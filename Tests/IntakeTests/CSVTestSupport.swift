import Intake

/// Reads all rows of a CSV text, served in chunks of the given size.
func csvRows(_ text: String, chunkSize: Int = 1 << 20, options: CSVOptions = CSVOptions()) throws -> [CSVRow] {
    try csvRows(bytes: Array(text.utf8), chunkSize: chunkSize, options: options)
}

func csvRows(bytes: [UInt8], chunkSize: Int = 1 << 20, options: CSVOptions = CSVOptions()) throws -> [CSVRow] {
    var reader = CSVReader(source: BytesChunkSource(bytes, chunkSize: chunkSize), options: options)
    var rows: [CSVRow] = []
    while let row = try reader.next() { rows.append(row) }
    return rows
}

/// Serves chunks whose sizes cycle through a list, so boundaries fall everywhere.
struct VaryingChunkSource: ByteChunkSource {
    let bytes: [UInt8]
    let sizes: [Int]
    var position = 0
    var turn = 0

    mutating func nextChunk() throws -> [UInt8]? {
        guard position < bytes.count else { return nil }
        let end = min(bytes.count, position + sizes[turn % sizes.count])
        defer { position = end; turn += 1 }
        return Array(bytes[position..<end])
    }
}
