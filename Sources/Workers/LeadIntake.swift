import Foundation
public import Intake
import JobQueue
public import LeadStore
public import Postgres

/// Ingest for a caller that already holds typed leads, such as a CSV import: it applies the
/// ingest workers' rules (normalize, deduplicate and merge, match companies, reject with a
/// reason) in the caller's process, and writes a whole batch in one transaction.
///
/// The raw records still go to the inbox, for audit and replay, but already ingested and
/// linked to their lead or reject, a whole batch as one `inbox_csv_batches` row. That
/// skips the worker path's round trip (each record encoded to JSON, parsed by the server,
/// read back, decoded again, then every inbox row written a second time), which was most
/// of an import's cost.
public struct LeadIntake: Sendable {
    /// A record as read, with what its batch needs of the outcome: the lead's e-mail, to
    /// link it to its lead after the upsert, or why it was rejected.
    fileprivate struct RawRecord: Sendable {
        let line: Int
        /// The record's fields, for the inbox.
        let fields: [String]
        /// nil for a reject.
        let email: String?
        let rejection: String?
    }

    /// A record normalized on the caller's side, for a ``Batch``.
    public struct Prepared: Sendable {
        fileprivate let raw: RawRecord
        let lead: LeadUpsert?

        /// The bytes of the record's fields, which its batch's inbox row will hold.
        public var rawBytes: Int { raw.fields.reduce(0) { $0 + $1.utf8.count } }

        /// Which of `count` parallel writers this record belongs to: its e-mail domain
        /// decides (a free-mail lead's own address), so that the same lead and the same
        /// company always go through the same writer, in order.
        public func lane(among count: Int) -> Int {
            guard count > 1, let lead else { return 0 }
            let key = lead.isFreeMail ? lead.email : lead.emailDomain
            return Int(UInt(bitPattern: key.hashValue) % UInt(count))
        }
    }

    /// Prepared records on their way to one ``write(_:header:source:storedEmails:writtenCompanies:on:)``.
    /// The leads are kept apart from the raw records, so that they move into the upsert,
    /// which sorts them in place, instead of each being copied out of its record (a copy of
    /// a lead retains and later releases its twenty-odd strings).
    public struct Batch: Sendable {
        fileprivate var leads: [LeadUpsert] = []
        fileprivate var records: [RawRecord] = []
        /// The bytes of the records' fields, which the batch's inbox row will hold.
        public private(set) var rawBytes = 0

        public init() {}

        public var count: Int { records.count }
        public var isEmpty: Bool { records.isEmpty }

        public mutating func append(_ record: consuming Prepared) {
            rawBytes += record.rawBytes
            records.append(record.raw)
            if let lead = (consume record).lead { leads.append(lead) }
        }
    }

    private let normalizer: LeadNormalizer

    public init(freeMailDomains: Set<String>) {
        normalizer = LeadNormalizer(freeMailDomains: freeMailDomains)
    }

    /// Normalizes the lead read from the CSV record `fields` at `line` of a file. Pure work,
    /// no I/O: run it while the previous batch is being written.
    public func prepare(_ incoming: IncomingLead, fields: [String], line: Int) -> Prepared {
        switch normalizer.normalize(incoming) {
        case .accepted(let lead, _):
            // seenAt is the batch's receipt time, set when the batch is written.
            let upsert = RecordNormalizer.upsert(lead, seenAt: .distantPast)
            return Prepared(raw: RawRecord(line: line, fields: fields, email: upsert.email, rejection: nil), lead: upsert)
        case .rejected(let problems, _):
            return Prepared(raw: RawRecord(line: line, fields: fields, email: nil, rejection: RecordNormalizer.reason(problems)), lead: nil)
        }
    }

    /// Writes a batch of records read under `header` in the caller's transaction: leads and
    /// companies merged, the raw records kept in the inbox linked to their lead or reject,
    /// the batch's outcome, and one scoring job per lead. Returns the batch id.
    ///
    /// A writer that passes the same `storedEmails` with each of its batches has only the
    /// e-mails it may have stored itself looked up (``StoredEmails``); one that passes the
    /// same `writtenCompanies`, and confirms each commit to it, writes only the companies
    /// whose records differ from those it last wrote (``WrittenCompanies``).
    public func write(
        _ batch: consuming Batch, header: [String], source: String, storedEmails: StoredEmails? = nil,
        writtenCompanies: WrittenCompanies? = nil, on connection: isolated Connection
    ) throws -> Int64 {
        let intake = try connection.beginIntakeBatch()
        var leads = batch.leads
        batch.leads = []
        let records = batch.records
        for index in leads.indices { leads[index].seenAt = intake.receivedAt }
        let leadCount = leads.count
        let upserted = try connection.upsertLeads(consume leads, storedEmails: storedEmails, writtenCompanies: writtenCompanies)
        var leadIDs: [String: Int64] = [:]
        leadIDs.reserveCapacity(upserted.count)
        var outcome = BatchOutcome()
        for lead in upserted {
            leadIDs[lead.email] = lead.id
            if lead.created { outcome.created += 1 }
        }
        outcome.merged = leadCount - outcome.created
        outcome.rejected = records.count - leadCount
        try connection.storeIngestedCSV(records.map { record in
            IngestedCSVRecord(line: record.line, fields: record.fields, leadID: record.email.flatMap { leadIDs[$0] })
        }, header: header, batch: intake, source: source, outcome: outcome)
        try connection.insertRejects(records.compactMap { record in
            record.rejection.map { reason in
                Reject(batchID: intake.id, source: source, position: record.line, reason: reason,
                       payload: OriginalRecord.csv(header: header, fields: record.fields).text)
            }
        })
        try ScoreJob.enqueue(for: upserted, on: connection)
        return intake.id
    }
}
