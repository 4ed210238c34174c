import Foundation
import Testing
import Intake

@Suite struct CSVChunkingTests {
    /// Every edge case at once, so chunk boundaries land inside each of them.
    static let tricky = Array((
        "\u{FEFF}Email,Company,Note\r\n"
        + "a@example.com,\"Acme, Inc.\",\"line one\r\nline two\"\r\n"
        + "b@example.com,\"She said \"\"yes\"\"\",Ünïcödé ✓ 日本\r\n"
        + "\r\n"
        + "c@example.com,,\"\"\n"
        + "d@example.com,Lone CR\rlast,\"x\"\"\"\n"
        + "e@example.com,\"unterminated,\nat the end"
    ).utf8)

    @Test func tinyChunksParseLikeOneBigChunk() throws {
        let expected = try csvRows(bytes: Self.tricky)
        #expect(expected.count == 7)
        #expect(expected.last?.problem?.code == .unterminatedQuote)
        for size in 1...7 {
            #expect(try csvRows(bytes: Self.tricky, chunkSize: size) == expected, "chunk size \(size)")
        }
        var reader = CSVReader(source: VaryingChunkSource(bytes: Self.tricky, sizes: [1, 3, 2, 7, 5, 4, 6]))
        var rows: [CSVRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows == expected)
    }

    @Test func fileHandleSource() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("intake-\(UUID().uuidString).csv")
        try Data(Self.tricky).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = CSVReader(source: FileHandleChunkSource(handle, chunkSize: 5))
        var rows: [CSVRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows == (try csvRows(bytes: Self.tricky)))
    }
}
