/// A read-only string → index table for the scorer's hot path.
///
/// `Dictionary<String, _>` hashes with SipHash through `Hasher`, which dominates fit
/// scoring when a lead needs a handful of lookups. This table is built once per rule set:
/// open addressing over a power-of-two array, an FNV-1a hash of the UTF-8 bytes, and a
/// byte comparison on hit. Plain values only, so a lookup copies no references and
/// allocates nothing. (Hash flooding is not a concern: keys come from the rule file.)
/// The tables are in storage of their own (`FrozenArray`), read through pointers.
struct StringTable: Sendable {
    private let slots: FrozenArray<Int>
    /// Start of each key in `keyBytes`, plus the end of the last one.
    private let keyStarts: FrozenArray<Int>
    private let keyBytes: FrozenArray<UInt8>
    private let values: FrozenArray<Int>
    private let mask: Int

    init(_ entries: [(key: String, value: Int)]) {
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var slots = [Int](repeating: -1, count: capacity)
        var keyStarts = [0]
        var keyBytes: [UInt8] = []
        var values: [Int] = []
        var seen: Set<[UInt8]> = []
        for entry in entries {
            let bytes = Array(entry.key.utf8)
            // A repeated key keeps its first value.
            guard seen.insert(bytes).inserted else { continue }
            var slot = Self.hash(bytes) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = values.count
            keyBytes += bytes
            keyStarts.append(keyBytes.count)
            values.append(entry.value)
        }
        self.slots = FrozenArray(slots)
        self.keyStarts = FrozenArray(keyStarts)
        self.keyBytes = FrozenArray(keyBytes)
        self.values = FrozenArray(values)
    }

    var isEmpty: Bool { values.buffer.isEmpty }

    /// The value for `key`, or -1.
    @inline(__always)
    func value(for key: String) -> Int {
        if values.buffer.isEmpty { return -1 }
        if let found = key.utf8.withContiguousStorageIfAvailable({ find($0) }) { return found }
        var copy = key
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { find($0) } ?? -1
    }

    private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let slots = slots.buffer, starts = keyStarts.buffer, bytes = keyBytes.buffer
        var slot = Self.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return -1 }
            let start = starts[entry], length = starts[entry + 1] - start
            if length == key.count {
                var equal = true
                for offset in 0..<length where bytes[start + offset] != key[offset] {
                    equal = false
                    break
                }
                if equal { return values.buffer[entry] }
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func hash(_ bytes: some Sequence<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
