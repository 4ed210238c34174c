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

/// The NOTIFY channel that wakes the workers of one kind.
public enum JobChannel {
    public static func name(for kind: String) -> String { "leadrelay_jobs_" + kind }
}
