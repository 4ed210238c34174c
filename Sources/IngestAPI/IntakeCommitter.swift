import LeadStore
import Postgres

/// Group commit for intake requests. Requests that arrive while a commit is in flight wait
/// for the next one and then share it: one transaction, one intake batch, one ingest job
/// and one NOTIFY for all of them. Each request still gets its answer only after the
/// commit that holds its records. Under light load a group is a single request and
/// nothing waits; under heavy load a commit carries many requests, which is what lets
/// intake go past the server's rate of small commits.
///
/// If a group's transaction fails, each of its requests is committed again on its own, so
/// that one request's failure is only that request's.
actor IntakeCommitter {
    /// Where a request's records went: the intake batch (shared with its group) and the
    /// inbox id of each record, in the order given.
    struct Receipt: Sendable {
        let batchID: Int64
        let ids: [Int64]
    }

    private struct Submission {
        let records: [InboxRecord]
        let rejects: [Reject]
        let continuation: CheckedContinuation<Receipt?, any Error>
    }

    private let pool: ConnectionPool
    private let lanes: Int
    private var waiting: [Submission] = []
    private var committing = 0

    /// `lanes` is how many group commits may be in flight at once.
    init(pool: ConnectionPool, lanes: Int) {
        precondition(lanes > 0, "intake needs at least one commit lane")
        self.pool = pool
        self.lanes = lanes
    }

    /// Stores valid records in the inbox and invalid ones in rejects, and returns once they
    /// are committed: where this request's records went, nil when it had none.
    func commit(_ records: [InboxRecord], rejects: [Reject]) async throws -> Receipt? {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Submission(records: records, rejects: rejects, continuation: continuation))
            guard committing < lanes else { return }
            committing += 1
            Task { await self.drain() }
        }
    }

    /// Commits the waiting requests group by group until none is left.
    private func drain() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting.removeAll(keepingCapacity: true)
            do {
                let receipts = try await write(group)
                for (submission, receipt) in zip(group, receipts) { submission.continuation.resume(returning: receipt) }
            } catch {
                // A lone request has had its own transaction already.
                guard group.count > 1 else {
                    group[0].continuation.resume(throwing: error)
                    continue
                }
                for submission in group {
                    do {
                        submission.continuation.resume(returning: try await write([submission])[0])
                    } catch {
                        submission.continuation.resume(throwing: error)
                    }
                }
            }
        }
        committing -= 1
    }

    /// One transaction for the whole group; each submission's receipt carries its own ids.
    private nonisolated func write(_ group: [Submission]) async throws -> [Receipt?] {
        let records = group.flatMap(\.records)
        let rejects = group.flatMap(\.rejects)
        let receipt = try await pool.withConnection { connection in
            try await connection.withTransaction { connection -> InboxReceipt? in
                try connection.insertRejects(rejects)
                return records.isEmpty ? nil : try connection.writeInbox(records, source: "api")
            }
        }
        guard let receipt else { return group.map { _ in nil } }
        var ids = receipt.ids[...]
        return group.map { submission in
            guard !submission.records.isEmpty else { return nil }
            let own = Array(ids.prefix(submission.records.count))
            ids = ids.dropFirst(submission.records.count)
            return Receipt(batchID: receipt.batchID, ids: own)
        }
    }
}
