public import Postgres

/// The state of one job kind, for `leadrelay queue stats` and for autoscaling.
public struct QueueStats: Sendable, Equatable {
    public let kind: String
    /// Jobs whose run_at has passed and that no lease holds.
    public let ready: Int
    /// Jobs waiting for a later run_at (delayed jobs and retries in backoff).
    public let delayed: Int
    /// Leased jobs out with a worker.
    public let leased: Int
    /// Seconds since the oldest ready job became ready; 0 when none is.
    public let oldestReadySeconds: Double
    public let dead: Int
}

extension Connection {
    /// One row per kind that has live or dead jobs, ordered by kind.
    public func queueStats() throws -> [QueueStats] {
        try query("""
            WITH live AS (
                SELECT kind,
                       count(*) FILTER (WHERE run_at <= now()) AS ready,
                       count(*) FILTER (WHERE run_at > now() AND lease_token IS NULL) AS delayed,
                       count(*) FILTER (WHERE run_at > now() AND lease_token IS NOT NULL) AS leased,
                       COALESCE(extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())), 0)::float8 AS oldest
                FROM jobs GROUP BY kind
            ),
            dead AS (SELECT kind, count(*) AS dead FROM dead_jobs GROUP BY kind)
            SELECT COALESCE(live.kind, dead.kind), COALESCE(ready, 0), COALESCE(delayed, 0), COALESCE(leased, 0),
                   COALESCE(oldest, 0), COALESCE(dead, 0)
            FROM live FULL JOIN dead ON dead.kind = live.kind
            ORDER BY 1
            """).map { row in
                QueueStats(
                    kind: try row.decode(0), ready: try row.decode(1), delayed: try row.decode(2),
                    leased: try row.decode(3), oldestReadySeconds: try row.decode(4), dead: try row.decode(5)
                )
            }
    }

    /// Moves the dead letters of `kind` back into the queue, ready now, with their attempt
    /// counts reset and their error history kept. Returns how many were re-enqueued.
    public func retryDead(kind: String) throws -> Int {
        try query("""
            WITH revived AS (
                DELETE FROM dead_jobs WHERE kind = $1
                RETURNING kind, key, payload, errors, created_at
            ),
            queued AS (
                INSERT INTO jobs (kind, key, payload, errors, created_at)
                SELECT kind, key, payload, errors, created_at FROM revived
                RETURNING id
            )
            SELECT count(*), pg_notify($2, '') FROM queued
            """, [kind, JobChannel.name(for: kind)])[0].decode(0)
    }
}
