import Testing
import Intake

@Suite struct CSVReaderTests {
    @Test func plainRowsWithLineNumbers() throws {
        let rows = try csvRows("a,b,c\n1,2,3\n")
        #expect(rows == [CSVRow(line: 1, fields: ["a", "b", "c"]), CSVRow(line: 2, fields: ["1", "2", "3"])])
    }

    @Test func quotedFieldsWithDelimitersDoubledQuotesAndNewlines() throws {
        let rows = try csvRows("name,note\n\"Acme, Inc.\",\"said \"\"hi\"\"\"\n\"multi\nline\",x\nlast,\"\"\n")
        #expect(rows.map(\.fields) == [["name", "note"], ["Acme, Inc.", "said \"hi\""], ["multi\nline", "x"], ["last", ""]])
        #expect(rows.map(\.line) == [1, 2, 3, 5])
    }

    @Test func crlfAndLoneCR() throws {
        #expect(try csvRows("a,b\r\n1,2\r\n").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try csvRows("a,b\r1,2\r").map(\.fields) == [["a", "b"], ["1", "2"]])
        let rows = try csvRows("a\r\n\"x\r\ny\"\r\nz")
        #expect(rows.map(\.fields) == [["a"], ["x\r\ny"], ["z"]])
        #expect(rows.map(\.line) == [1, 2, 4])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let rows = try csvRows(bytes: [0xEF, 0xBB, 0xBF] + Array("Email,Name\nx@y.com,Ann\n".utf8), chunkSize: 1)
        #expect(rows.first?.fields == ["Email", "Name"])
        #expect(try csvRows(bytes: [0xEF, 0xBB, 0xBF]).isEmpty)
    }

    @Test func missingFinalNewline() throws {
        #expect(try csvRows("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try csvRows("a,b\n1,").map(\.fields) == [["a", "b"], ["1", ""]])
        #expect(try csvRows("a,b\n\"1\"").map(\.fields) == [["a", "b"], ["1"]])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let rows = try csvRows("a\n\n\r\nb\n\n")
        #expect(rows.map(\.fields) == [["a"], ["b"]])
        #expect(rows.map(\.line) == [1, 4])
    }

    @Test func unterminatedQuoteAtEndIsAProblemAndEarlierRowsSurvive() throws {
        let rows = try csvRows("a,b\n1,2\n3,\"open\n4,5\n")
        #expect(rows.count == 3)
        #expect(rows[1] == CSVRow(line: 2, fields: ["1", "2"]))
        #expect(rows[2].line == 3)
        #expect(rows[2].problem?.code == .unterminatedQuote)
        #expect(rows[2].fields == ["3", "open\n4,5\n"])
    }

    @Test func lenientAboutStrayQuotes() throws {
        #expect(try csvRows("ab\"c,\"d\"e\n").map(\.fields) == [["ab\"c", "de"]])
    }

    @Test func otherDelimiterAndInvalidUTF8() throws {
        #expect(try csvRows("a;b\n1;2,5\n", options: CSVOptions(delimiter: UInt8(ascii: ";"))).map(\.fields) == [["a", "b"], ["1", "2,5"]])
        // "Müller" in ISO 8859-1, as old spreadsheet exports write it: a problem row, shown as read.
        let rows = try csvRows(bytes: [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x0A, 0x6F, 0x6B, 0x0A])
        #expect(rows.map(\.fields) == [["Müller"], ["ok"]])
        #expect(rows[0].problem?.code == .invalidEncoding)
        #expect(rows[1].problem == nil)
        #expect(try csvRows("Dvořák,日本\n").map(\.fields) == [["Dvořák", "日本"]])
    }

    @Test func oversizedRecordIsSkippedAndReadingGoesOn() throws {
        let big = String(repeating: "x", count: 100)
        let rows = try csvRows("a,b\n\(big),1\nc,d\n", chunkSize: 7, options: CSVOptions(maximumRecordBytes: 50))
        #expect(rows.count == 3)
        #expect(rows[1].problem?.code == .recordTooLarge)
        #expect(rows[1].fields.isEmpty)
        #expect(rows[2] == CSVRow(line: 3, fields: ["c", "d"]))
    }

    @Test func emptyInput() throws {
        #expect(try csvRows("").isEmpty)
        #expect(try csvRows("\n\n").isEmpty)
    }
}
