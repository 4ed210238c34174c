import Synchronization

/// The e-mails that one bulk writer has stored, remembered approximately (a Bloom filter of
/// fixed size), so that its later batches look up only the e-mails it may have stored
/// itself and presume the rest new.
///
/// A presumption is all it is: `leads`' unique e-mail index refuses any e-mail that is
/// stored after all (by another writer, or before the import began), and the batch is then
/// written again with every e-mail looked up. From then on the writer looks up every
/// e-mail, as it would without the filter: an import into a table that already holds its
/// leads pays one refused COPY, not one per batch. A false positive only costs a lookup.
/// Memory stays the same whatever the number of e-mails; past a few million per writer
/// most e-mails test positive, and the lookups return to what they were without it.
///
/// Each e-mail sets three bits of one 64-bit word (a blocked filter): one memory access per
/// e-mail instead of three scattered ones, for a few more false positives.
public final class StoredEmails: Sendable {
    /// Where one e-mail's bits are: a word of the filter and three bits in it.
    struct Slot {
        let word: Int
        let bits: UInt64
    }

    private struct State {
        var words: [UInt64]
        var trusted = true
    }

    private let state: Mutex<State>
    private let wordMask: Int

    /// - Parameter bits: the filter's size, a power of two; the default takes 2 MiB.
    public init(bits: Int = 1 << 24) {
        precondition(bits >= 64 && bits & (bits - 1) == 0, "the filter's size is a power of two, at least 64 bits")
        wordMask = bits / 64 - 1
        state = Mutex(State(words: [UInt64](repeating: 0, count: bits / 64)))
    }

    /// False once a presumed-new e-mail turned out to be stored: every e-mail is looked up.
    public var isTrusted: Bool { state.withLock { $0.trusted } }

    func distrust() {
        state.withLock { $0.trusted = false }
    }

    func slots(of emails: [String]) -> [Slot] {
        emails.map { email in
            let hash = UInt64(bitPattern: Int64(email.hashValue))
            // The word from the low bits, the three bit positions from high ones.
            let bits: UInt64 = 1 << ((hash >> 40) & 63) | 1 << ((hash >> 46) & 63) | 1 << ((hash >> 52) & 63)
            return Slot(word: Int(truncatingIfNeeded: hash) & wordMask, bits: bits)
        }
    }

    /// For each slot, false when its e-mail was certainly never inserted, true when it may
    /// have been.
    func mightContain(_ slots: [Slot]) -> [Bool] {
        state.withLock { state in slots.map { state.words[$0.word] & $0.bits == $0.bits } }
    }

    func insert(_ slots: [Slot]) {
        state.withLock { state in
            for slot in slots { state.words[slot.word] |= slot.bits }
        }
    }
}
