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
