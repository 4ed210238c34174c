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
public final class StoredEmails: Sendable {
    private struct State {
        var bits: [UInt64]
        var trusted = true
    }

    private let state: Mutex<State>
    private let bitCount: Int
    private static let hashesPerEmail = 3

    /// - Parameter bits: the filter's size, a power of two; the default takes 2 MiB.
    public init(bits: Int = 1 << 24) {
        precondition(bits >= 64 && bits & (bits - 1) == 0, "the filter's size is a power of two, at least 64 bits")
        bitCount = bits
        state = Mutex(State(bits: [UInt64](repeating: 0, count: bits / 64)))
    }

    /// False once a presumed-new e-mail turned out to be stored: every e-mail is looked up.
    public var isTrusted: Bool { state.withLock { $0.trusted } }

    func distrust() {
        state.withLock { $0.trusted = false }
    }

    /// False when `email` was certainly never inserted; true when it may have been.
    func mightContain(_ email: String) -> Bool {
        let (hash, step) = Self.hashes(of: email)
        let mask = bitCount - 1
        return state.withLock { state in
            for round in 0..<Self.hashesPerEmail {
                let bit = Int(truncatingIfNeeded: hash &+ UInt64(round) &* step) & mask
                if state.bits[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
            }
            return true
        }
    }

    func insert(_ emails: some Sequence<String>) {
        let mask = bitCount - 1
        state.withLock { state in
            for email in emails {
                let (hash, step) = Self.hashes(of: email)
                for round in 0..<Self.hashesPerEmail {
                    let bit = Int(truncatingIfNeeded: hash &+ UInt64(round) &* step) & mask
                    state.bits[bit >> 6] |= 1 << UInt64(bit & 63)
                }
            }
        }
    }

    /// One 64-bit hash and an odd step from it: the filter's bits are `hash + i * step`.
    private static func hashes(of email: String) -> (hash: UInt64, step: UInt64) {
        let hash = UInt64(bitPattern: Int64(email.hashValue))
        return (hash, (hash >> 32) | 1)
    }
}
