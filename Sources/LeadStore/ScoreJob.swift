public import JobQueue
public import Postgres

/// The job that (re)scores one lead. Its key is the lead id, so that pending scoring of a
/// lead coalesces into one job however many events arrive.
public enum ScoreJob {
    public static let kind = "score"

    public struct Payload: Codable, Sendable {
        public let leadID: Int64
        public init(leadID: Int64) { self.leadID = leadID }
        enum CodingKeys: String, CodingKey { case leadID = "lead_id" }
    }

    /// The job for one lead, its payload written by hand: ingest enqueues one per lead.
    public static func request(leadID: Int64) -> JobRequest {
        JobRequest(kind: kind, key: String(leadID), payload: "{\"lead_id\":\(leadID)}")
    }

    /// Scoring for every lead a batch wrote: a new lead's job by COPY, since no pending
    /// job can hold its key yet; a merged lead's through the usual coalescing enqueue.
    public static func enqueue(for upserted: [UpsertedLead], on connection: isolated Connection) throws {
        try connection.enqueueFresh(upserted.filter(\.created).map { request(leadID: $0.id) })
        try connection.enqueue(upserted.filter { !$0.created }.map { request(leadID: $0.id) })
    }
}
