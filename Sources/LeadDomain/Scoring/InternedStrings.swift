import Synchronization

/// Strings kept for the rest of the process, each under a small number, so that a value that
/// holds one (a `Contribution`) copies and frees with no reference counting. Meant for the
/// names a rule set compiles to: they repeat from one rule version to the next and are
/// stored once however often they are interned. Up to `capacity` distinct strings (some 16
/// million; a process that reached it would be interning something other than names).
final class InternedStrings: @unchecked Sendable {
    // @unchecked: a slot of `chunks`, and a chunk's pointer in it, is written once, under the
    // lock of `numbers`, before the number that reads it is handed out; a reader gets that
    // number only through a value built after the write (so the write happens before the
    // read), and nothing is changed or freed after.
    static let shared = InternedStrings()

    private static let chunkSize = 1 << 12
    private static let chunkCount = 1 << 12
    static let capacity = chunkSize * chunkCount

    private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<String>?>
    private let numbers = Mutex<[String: UInt32]>([:])

    private init() {
        chunks = .allocate(capacity: Self.chunkCount)
        chunks.initialize(repeating: nil, count: Self.chunkCount)
    }

    /// The number of `text`, the same for equal strings.
    func number(for text: String) -> UInt32 {
        numbers.withLock { numbers in
            if let number = numbers[text] { return number }
            let number = numbers.count
            precondition(number < Self.capacity, "more than \(Self.capacity) distinct strings interned")
            let chunk = number / Self.chunkSize
            if chunks[chunk] == nil { chunks[chunk] = .allocate(capacity: Self.chunkSize) }
            (chunks[chunk]! + number % Self.chunkSize).initialize(to: text)
            numbers[text] = UInt32(number)
            return UInt32(number)
        }
    }

    /// The string of a number that `number(for:)` returned.
    func string(_ number: UInt32) -> String {
        chunks[Int(number) / Self.chunkSize]![Int(number) % Self.chunkSize]
    }
}
