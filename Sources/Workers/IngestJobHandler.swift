import Foundation
public import JobQueue
import LeadStore
public import Postgres

/// Turns inbox batches into leads, companies and activities, records the unusable records
/// as rejects, and enqueues one scoring job per touched lead: all in the claiming
/// transaction, in a handful of set-based statements per batch of jobs.
public struct IngestJobHandler: JobHandler {
    public static let kindName = IngestJob.kind
    public var kind: String { Self.kindName }
    private let records: RecordNormalizer

    public init(freeMailDomains: Set<String>) {
        records = RecordNormalizer(freeMailDomains: freeMailDomains)
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        let batches = try jobs.map { try $0.decodePayload(IngestJob.Payload.self).batch }
        let entries = try connection.inboxEntries(batches: batches)

        var outcomes = Dictionary(uniqueKeysWithValues: batches.map { ($0, BatchOutcome()) })
        var leads: [LeadUpsert] = []
        var activities: [ActivityInsert] = []
        var rejects: [Reject] = []
        /// The batch whose record first named each lead, and whether that was a lead record.
        var firstMention: [String: (batch: Int64, isLead: Bool)] = [:]
        var repeatMentions: [Int64: Int] = [:]
        /// Each inbox record and the e-mail of the lead it names (nil for a reject).
        var links: [(inboxID: Int64, email: String?)] = []
        links.reserveCapacity(entries.count)

        for entry in entries {
            switch records.normalize(entry) {
            case .lead(let lead):
                links.append((entry.id, lead.email))
                leads.append(lead)
                if firstMention[lead.email] == nil { firstMention[lead.email] = (entry.batchID, true) }
                else { repeatMentions[entry.batchID, default: 0] += 1 }
            case .activity(let activity, let lead):
                links.append((entry.id, lead.email))
                activities.append(activity)
                leads.append(lead)
                if firstMention[lead.email] == nil { firstMention[lead.email] = (entry.batchID, false) }
                outcomes[entry.batchID]?.activities += 1
            case .rejected(let reason):
                links.append((entry.id, nil))
                rejects.append(Reject(batchID: entry.batchID, inboxID: entry.id, source: entry.source, position: entry.position, reason: reason, payload: entry.payload))
                outcomes[entry.batchID]?.rejected += 1
            }
        }

        let upserted = try connection.upsertLeads(leads)
        var leadIDs: [String: Int64] = [:]
        for lead in upserted {
            leadIDs[lead.email] = lead.id
            guard let mention = firstMention[lead.email], mention.isLead else { continue }
            if lead.created { outcomes[mention.batch]?.created += 1 } else { outcomes[mention.batch]?.merged += 1 }
        }
        for (batch, count) in repeatMentions { outcomes[batch]?.merged += count }

        try connection.insertActivities(activities, leadIDs: leadIDs)
        try connection.insertRejects(rejects)
        try connection.finishIntakeBatches(outcomes, leadOfRecord: links.map { ($0.inboxID, $0.email.flatMap { leadIDs[$0] }) })
        try ScoreJob.enqueue(for: upserted, on: connection)
    }
}

/// The job that (re)scores one lead. Its key is the lead id, so that pending scoring of a
/// lead coalesces into one job however many events arrive; the key is all the job says, so
/// its payload stays empty (a JSON object per job was parsed by the server at every enqueue
/// and decoded again by the worker).
public enum ScoreJob {
    public static let kind = "score"

    /// The job for one lead: ingest enqueues one per lead.
    public static func request(leadID: Int64) -> JobRequest {
        JobRequest(kind: kind, key: JobRequest.key(forID: leadID), payload: "{}")
    }

    /// The lead that `job` scores, named by its key.
    static func leadID(of job: Job) throws -> Int64 {
        guard let key = job.key, let id = Int64(key) else {
            throw UnreadableKey(jobID: job.id, key: job.key)
        }
        return id
    }

    struct UnreadableKey: Error, CustomStringConvertible {
        let jobID: Int64
        let key: String?
        var description: String { "score job \(jobID) names no lead: its key is \(key.map { "\"\($0)\"" } ?? "missing")" }
    }

    /// Scoring for every lead a batch wrote: a new lead's job by COPY, since no pending
    /// job can hold its key yet; a merged lead's through the usual coalescing enqueue.
    static func enqueue(for upserted: [UpsertedLead], on connection: isolated Connection) throws {
        try connection.enqueueFresh(upserted.filter(\.created).map { request(leadID: $0.id) })
        try connection.enqueueWithNextRoundTrip(upserted.filter { !$0.created }.map { request(leadID: $0.id) })
    }
}
