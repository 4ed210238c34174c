import Testing
@testable import LeadDomain

@Suite("Compiled string table")
struct StringTableTests {
    @Test func findsEveryKeyAndRejectsOthers() {
        var generator = SplitMix64(seed: 3)
        let keys = (0..<500).map { index in "k\(index)-" + String(repeating: "x", count: Int.random(in: 0...30, using: &generator)) }
        let table = StringTable(keys.enumerated().map { ($0.element, $0.offset) })
        for (index, key) in keys.enumerated() { #expect(table.value(for: key) == index) }
        #expect(table.value(for: "missing") == -1)
        #expect(table.value(for: "") == -1)
        #expect(table.value(for: keys[0] + "y") == -1)
        #expect(StringTable([]).value(for: "a") == -1)
        // A repeated key keeps its first value.
        #expect(StringTable([("a", 1), ("a", 2)]).value(for: "a") == 1)
    }
}

extension StringTableTests {
    @Test func keysOfEveryLengthDifferingInAnyByte() {
        // Keys are read a word at a time, with overlapping loads at the end: a key must not
        // match another of its length that differs in any one byte, nor a prefix of it.
        let keys = (0...20).map { String(repeating: "ab", count: 20).prefix($0) }.map(String.init)
        let table = StringTable(keys.enumerated().map { ($0.element, $0.offset) })
        for (index, key) in keys.enumerated() {
            #expect(table.value(for: key) == index)
            for position in 0..<key.count {
                var bytes = Array(key.utf8)
                bytes[position] = UInt8(ascii: "z")
                #expect(table.value(for: String(decoding: bytes, as: UTF8.self)) == -1)
            }
        }
        #expect(StringTable([("", 4)]).value(for: "") == 4)
        #expect(StringTable([("", 4)]).value(for: "a") == -1)
        #expect(StringTable([("é", 5), ("e", 6)]).value(for: "é") == 5)
    }
}
