import Foundation
import Postgres

extension Connection {
    /// Claims up to `limit` ready jobs of `kind` and deletes them, inside the current
    /// transaction: they are gone when it commits and back, untouched, if it rolls back
    /// or its process dies. Other workers skip the locked rows instead of waiting.
    ///
    /// The claimed rows are deleted by their physical address (`ctid`), which the lock keeps
    /// in place until commit: a TID scan, with no descent of the primary key per job, once
    /// the plan knows the table's size (a plan made on a nearly empty `jobs` scanned it
    /// whole instead; see `PreparedStatement` in Postgres).
    func claimAndDelete(kind: String, limit: Int) throws -> [Job] {
        try query(Self.claim(kind: kind, limit: limit)).map(Job.init(row:))
    }

    /// `claimAndDelete`, and in the same round trip `idleSleep`: the worker loop's first
    /// round trip of a batch (with the transaction's BEGIN). The sleep is then decided at
    /// the claim rather than after the batch, so a job that another transaction commits
    /// during the batch is not seen by it; its NOTIFY wakes the loop instead.
    func claimAndDelete(kind: String, limit: Int, idlePoll poll: Duration) throws -> (jobs: [Job], idleSleep: Duration?) {
        let results = try pipeline([Self.claim(kind: kind, limit: limit), Self.nextDue(kind: kind)])
        return (try results[0].map(Job.init(row:)), try Self.idleSleep(nextDue: results[1], poll: poll))
    }

    private static func claim(kind: String, limit: Int) -> Statement {
        Statement("""
            WITH claimed AS MATERIALIZED (
                SELECT ctid FROM jobs
                WHERE kind = $1 AND run_at <= now()
                ORDER BY run_at, id
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM jobs j WHERE j.ctid = ANY (ARRAY(SELECT ctid FROM claimed))
            RETURNING j.id, j.kind, j.key, j.payload::text, j.attempts, j.created_at
            """, [kind, limit])
    }

    /// Claims like `claimAndDelete` but only locks the jobs, for the one-by-one retry after
    /// a failed batch: each job is then deleted on success or marked failed, under its own
    /// savepoint, in the same transaction.
    func claimForRetry(kind: String, limit: Int) throws -> [Job] {
        try query("""
            SELECT id, kind, key, payload::text, attempts, created_at FROM jobs
            WHERE kind = $1 AND run_at <= now()
            ORDER BY run_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """, [kind, limit]).map(Job.init(row:))
    }

    func deleteJob(id: Int64) throws {
        try query("DELETE FROM jobs WHERE id = $1", [id])
    }

    /// Records a failure: the job waits `retryIn`, or goes to the dead letters once it has
    /// failed `maxAttempts` times. Returns true when it went to the dead letters.
    func recordFailure(of job: Job, error: String, retryIn: Duration, maxAttempts: Int, leaseToken: UUID? = nil) throws -> Bool {
        let entry = ["error": error]
        if job.attempts + 1 >= maxAttempts {
            let moved = try query("""
                WITH gone AS (
                    DELETE FROM jobs WHERE id = $1 AND lease_token IS NOT DISTINCT FROM $3::uuid
                    RETURNING id, kind, key, payload, attempts, errors, created_at
                )
                INSERT INTO dead_jobs (id, kind, key, payload, attempts, errors, created_at)
                SELECT id, kind, key, payload, attempts + 1,
                       errors || jsonb_build_array($2::jsonb || jsonb_build_object('at', now())), created_at
                FROM gone
                """, [job.id, JSONValue(entry), leaseToken])
            return moved.affectedRows > 0
        }
        try query("""
            UPDATE jobs
            SET attempts = attempts + 1,
                errors = errors || jsonb_build_array($2::jsonb || jsonb_build_object('at', now())),
                run_at = now() + make_interval(secs => $3),
                lease_token = NULL
            WHERE id = $1 AND lease_token IS NOT DISTINCT FROM $4::uuid
            """, [job.id, JSONValue(entry), retryIn.seconds, leaseToken])
        return false
    }

    /// How long a worker loop that found less work than it could take may sleep: until the
    /// next job of `kind` is due, and at most `poll`. Nil when one is due already: claim again.
    ///
    /// Run it in the claiming transaction, after the claim, so that `now()` is the claim's
    /// time. A job that was due then and is still here was passed over by SKIP LOCKED: another
    /// worker holds it and deletes it when it commits, so it is no reason to claim again.
    /// Counting it made every idle worker claim once a millisecond for as long as a busy one
    /// held its batch. Measured on the server's clock, so that hosts with skewed clocks agree.
    func idleSleep(kind: String, poll: Duration) throws -> Duration? {
        try Self.idleSleep(nextDue: query(Self.nextDue(kind: kind)), poll: poll)
    }

    private static func nextDue(kind: String) -> Statement {
        Statement("""
            SELECT extract(epoch FROM run_at - clock_timestamp())::float8 FROM jobs
            WHERE kind = $1 AND run_at > now()
            ORDER BY run_at LIMIT 1
            """, [kind])
    }

    private static func idleSleep(nextDue: Rows, poll: Duration) throws -> Duration? {
        let seconds: Double? = try nextDue.first?.decode(0)
        guard let seconds else { return poll }
        if seconds <= 0 { return nil }
        return min(poll, .milliseconds(max(1, Int((seconds * 1000).rounded(.up)))))
    }
}

extension Job {
    init(row: Row) throws {
        id = try row.decode(0)
        kind = try row.decode(1)
        key = try row.decode(2)
        payload = try row.decode(3)
        attempts = try row.decode(4)
        createdAt = try row.decode(5)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
