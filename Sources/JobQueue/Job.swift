public import Foundation

/// A claimed job, as a handler sees it.
public struct Job: Sendable {
    public let id: Int64
    public let kind: String
    /// The coalescing key it was enqueued with, if any.
    public let key: String?
    /// The payload as JSON text.
    public let payload: String
    /// How many times it failed before this run.
    public let attempts: Int
    public let createdAt: Date

    /// Decodes the JSON payload.
    public func decodePayload<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload.utf8))
    }
}

/// A job to enqueue.
public struct JobRequest: Sendable {
    public var kind: String
    /// At most one job per (kind, key) is pending: a second one merges into the first (its
    /// payload replaces the pending one's, and the earlier run_at wins). A job that a worker
    /// is running right now is not pending, so a new one queues behind it and nothing is lost.
    public var key: String?
    /// JSON text.
    public var payload: String
    /// Not before this instant; nil means now.
    public var runAt: Date?

    public init(kind: String, key: String? = nil, payload: String = "{}", runAt: Date? = nil) {
        self.kind = kind
        self.key = key
        self.payload = payload
        self.runAt = runAt
    }

    public init(kind: String, key: String? = nil, payload: some Encodable, runAt: Date? = nil) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        self.init(kind: kind, key: key, payload: String(decoding: try encoder.encode(payload), as: UTF8.self), runAt: runAt)
    }
}

extension JobRequest {
    /// The coalescing key for a row id (a lead's, an assignment's), zero-padded to 19
    /// digits so that keys of ascending ids also ascend as text: a batch of new leads' score
    /// jobs then lands at the right edge of the coalescing index, where as plain numbers
    /// ("10" sorts before "9") it split pages all over it, and the index cost a bulk import
    /// about 1.9 µs a job instead of 1.0.
    public static func key(forID id: Int64) -> String {
        precondition(id >= 0, "row ids are not negative")
        // Written digit by digit into the string's own storage: ingest makes one per lead.
        return String(unsafeUninitializedCapacity: 19) { buffer in
            var rest = UInt64(id)
            for index in stride(from: 18, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return 19
        }
    }
}

/// The NOTIFY channel that wakes the workers of one kind.
public enum JobChannel {
    public static func name(for kind: String) -> String { "leadrelay_jobs_" + kind }
}
