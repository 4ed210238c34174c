public import Foundation
public import Postgres

/// A job claimed under a lease, for work with outside effects (a webhook, an e-mail)
/// that must not hold a transaction open while it waits on the outside world.
public struct LeasedJob: Sendable {
    public let job: Job
    /// Proves that this worker still holds the lease; completing or failing needs it.
    public let leaseToken: UUID
}

extension Connection {
    /// Claims up to `limit` ready jobs of `kind` for `lease`, and commits the claim at once.
    ///
    /// The lease is the job's run_at pushed forward: if the worker dies, the lease runs out
    /// and the job is ready for another worker. Renew it with `renewLease` while working.
    public func claimLeased(kind: String, limit: Int, lease: Duration) async throws -> [LeasedJob] {
        try await withTransaction { connection in try connection.lease(kind: kind, limit: limit, for: lease) }
    }

    /// `claimLeased` inside the caller's transaction; rows are found again by `ctid`, as
    /// `claimAndDelete` does.
    func lease(kind: String, limit: Int, for lease: Duration) throws -> [LeasedJob] {
        try query("""
                WITH claimed AS MATERIALIZED (
                    SELECT ctid FROM jobs
                    WHERE kind = $1 AND run_at <= now()
                    ORDER BY run_at, id
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE jobs j
                SET run_at = now() + make_interval(secs => $3), lease_token = gen_random_uuid()
                WHERE j.ctid = ANY (ARRAY(SELECT ctid FROM claimed))
                RETURNING j.id, j.kind, j.key, j.payload::text, j.attempts, j.created_at, j.lease_token
                """, [kind, limit, lease.seconds]).map { row in
                    LeasedJob(job: try Job(row: row), leaseToken: try row.decode(6))
                }
    }

    /// Extends a lease (heartbeat). Returns false when the lease was lost: it ran out and
    /// another worker may have the job now, so stop working on it.
    public func renewLease(_ leased: LeasedJob, for lease: Duration) throws -> Bool {
        try renewLeases([leased], for: lease).contains(leased.job.id)
    }

    /// Extends every lease in hand in one statement, and returns the ids of the jobs whose
    /// leases still held; the others ran out, and another worker may have them now.
    public func renewLeases(_ leased: [LeasedJob], for lease: Duration) throws -> Set<Int64> {
        guard !leased.isEmpty else { return [] }
        return Set(try query("""
            UPDATE jobs j SET run_at = now() + make_interval(secs => $3)
            FROM unnest($1::bigint[], $2::uuid[]) AS h(id, lease_token)
            WHERE j.id = h.id AND j.lease_token = h.lease_token
            RETURNING j.id
            """, [leased.map(\.job.id), leased.map(\.leaseToken), lease.seconds]).map { try $0.decode(0, as: Int64.self) })
    }

    /// Finishes a leased job. Returns false when the lease had been lost.
    @discardableResult
    public func completeLeased(_ leased: LeasedJob) throws -> Bool {
        try query("DELETE FROM jobs WHERE id = $1 AND lease_token = $2", [leased.job.id, leased.leaseToken]).affectedRows == 1
    }

    /// Records a failed attempt: retried after a backoff, or dead after `policy.maxAttempts`.
    /// Returns true when the job went to the dead letters.
    @discardableResult
    public func failLeased(_ leased: LeasedJob, error: String, policy: RetryPolicy = RetryPolicy()) throws -> Bool {
        var generator = SystemRandomNumberGenerator()
        return try recordFailure(
            of: leased.job, error: error, retryIn: policy.delay(afterAttempt: leased.job.attempts + 1, using: &generator),
            maxAttempts: policy.maxAttempts, leaseToken: leased.leaseToken
        )
    }
}
