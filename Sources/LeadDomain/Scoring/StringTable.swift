/// A read-only string → index table for the scorer's hot path.
///
/// `Dictionary<String, _>` hashes with SipHash through `Hasher`, which dominates fit
/// scoring when a lead needs a handful of lookups. This table is built once per rule set:
/// open addressing over a power-of-two array, a multiplicative hash of the UTF-8 bytes
/// taken eight at a time, and a comparison eight bytes at a time on hit (a byte at a time,
/// each step waited on the one before: a domain name took some 70 cycles to hash). Plain
/// values only, so a lookup copies no references and allocates nothing. (Hash flooding is not a concern: keys come from the rule file.)
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
            var slot = bytes.withUnsafeBufferPointer { Self.hash(UnsafeRawBufferPointer($0)) } & mask
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
        let key = UnsafeRawBufferPointer(key)
        let slots = slots.buffer, starts = keyStarts.buffer, bytes = UnsafeRawPointer(keyBytes.buffer.baseAddress)
        var slot = Self.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { return -1 }
            let start = starts[entry], length = starts[entry + 1] - start
            if length == key.count && Self.equal(key, bytes, at: start) { return values.buffer[entry] }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func hash(_ key: UnsafeRawBufferPointer) -> Int {
        var hash = UInt64(truncatingIfNeeded: key.count) &* 0x9E37_79B9_7F4A_7C15
        if let base = key.baseAddress {
            for index in 0..<wordCount(key.count) {
                hash = (hash ^ word(base, key.count, index)) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 29
            }
        }
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }

    /// Whether `key` equals the `key.count` bytes at `start` in `bytes`.
    @inline(__always)
    private static func equal(_ key: UnsafeRawBufferPointer, _ bytes: UnsafeRawPointer?, at start: Int) -> Bool {
        guard let base = key.baseAddress, let bytes, key.count > 0 else { return key.isEmpty }
        var equal = true
        for index in 0..<wordCount(key.count) {
            equal = equal && word(base, key.count, index) == word(bytes + start, key.count, index)
        }
        return equal
    }

    @inline(__always)
    private static func wordCount(_ count: Int) -> Int {
        count <= 8 ? (count > 0 ? 1 : 0) : (count + 7) / 8
    }

    /// The `index`th of the `wordCount(count)` words of the `count` bytes at `base`: whole
    /// words from the start, then the word that ends at the last byte (overlapping the one
    /// before it); a key under eight bytes as one word of overlapping loads. Every byte is in
    /// some word and nothing outside the key is read, so two keys of one length are equal
    /// exactly when their words are.
    @inline(__always)
    private static func word(_ base: UnsafeRawPointer, _ count: Int, _ index: Int) -> UInt64 {
        if count >= 8 {
            let offset = min(index * 8, count - 8)
            return base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        }
        if count >= 4 {
            return UInt64(base.loadUnaligned(as: UInt32.self)) | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
        }
        let first = UInt64(base.load(as: UInt8.self)), middle = UInt64(base.load(fromByteOffset: count / 2, as: UInt8.self))
        return first | middle << 8 | UInt64(base.load(fromByteOffset: count - 1, as: UInt8.self)) << 16
    }
}
