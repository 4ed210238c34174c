public import Postgres

extension Connection {
    /// Enqueues jobs inside the caller's transaction, so the caller's writes and the next
    /// step's jobs commit together (or not at all).
    ///
    /// Keyed jobs go in by one statement per kind, however many jobs: rows travel as
    /// arrays through `unnest`, and the statement sends one NOTIFY for the kind, which
    /// PostgreSQL delivers at commit. Keyless jobs never merge, so they go in as fresh ones
    /// (`enqueueFresh`), without the lookup of pending jobs (an HTTP intake enqueues one
    /// keyless ingest job per request). Returns how many jobs were inserted and how many
    /// merged into pending ones.
    @discardableResult
    public func enqueue(_ requests: [JobRequest]) throws -> (inserted: Int, merged: Int) {
        let keyless = requests.filter { $0.key == nil }
        try enqueueFresh(keyless)
        var inserted = keyless.count
        var merged = 0
        for statement in Self.keyedStatements(requests) {
            let row = try query(statement)[0]
            inserted += try row.decode(0, as: Int.self)
            merged += try row.decode(1, as: Int.self)
        }
        return (inserted, merged)
    }

    /// `enqueue(_:)` for a caller that needs no counts: its statements are queued on the
    /// transaction (`queue(_:)`) and go to the server with its next round trip, often the
    /// COMMIT, instead of taking one of their own.
    public func enqueueWithNextRoundTrip(_ requests: [JobRequest]) throws {
        try enqueueFresh(requests.filter { $0.key == nil })
        for statement in Self.keyedStatements(requests) { try queue(statement) }
    }

    /// The coalescing insert of the keyed ones of `requests`: one statement per kind, in
    /// kind order.
    private static func keyedStatements(_ requests: [JobRequest]) -> [Statement] {
        let keyed = requests.filter { $0.key != nil }
        return Dictionary(grouping: keyed, by: \.kind).sorted(by: { $0.key < $1.key }).map { kind, batch in
            let jobs = coalesced(batch)
            return Statement(enqueueStatement, [kind, jobs.map(\.key), jobs.map(\.payload), jobs.map(\.runAt), JobChannel.name(for: kind)])
        }
    }

    /// Enqueues jobs that no pending job can merge with, without `enqueue`'s lookup of
    /// pending jobs, and one statement for the NOTIFYs: keyless jobs, and jobs whose keys
    /// each name a row this transaction has just created (a new lead's or assignment's id).
    /// Ingest and bulk import enqueue the scoring job of every new lead this way, a handoff
    /// its SLA checks.
    ///
    /// A bulk load goes by binary COPY; a handful of jobs by one INSERT, queued on the
    /// transaction with its NOTIFYs (`queue(_:)`) to go with its next round trip, because a
    /// COPY costs two round trips and its own start-up on the server, about a millisecond
    /// a batch in `scripts/bench e2e`, where batches hold a few jobs each.
    public func enqueueFresh(_ requests: [JobRequest]) throws {
        guard !requests.isEmpty else { return }
        guard requests.count > Self.freshInsertLimit else {
            for statement in FreshJobs.statements(requests) { try queue(statement) }
            return
        }
        try copyFresh(requests)
        try queue(FreshJobs.wake(requests))
    }

    /// Up to this many fresh jobs go by INSERT, more by COPY.
    static let freshInsertLimit = 64

    /// One binary COPY for the jobs ready now (the column default, the server's now()), one
    /// for the delayed ones, whatever their kinds.
    private func copyFresh(_ requests: [JobRequest]) throws {
        for delayed in [false, true] {
            guard requests.contains(where: { ($0.runAt != nil) == delayed }) else { continue }
            let columns = delayed ? "kind, key, payload, run_at" : "kind, key, payload"
            try copyFrom("COPY jobs (\(columns)) FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
                for job in requests where (job.runAt != nil) == delayed {
                    try writer.beginBinaryRow(fieldCount: delayed ? 4 : 3)
                    writer.binaryField(job.kind)
                    writer.binaryField(job.key)
                    writer.binaryField(jsonb: job.payload)
                    if let runAt = job.runAt { writer.binaryField(runAt) }
                }
            }
        }
    }

    /// Within one batch of keyed jobs, jobs with the same key fold the same way as against
    /// the table: the last payload wins and the earliest run_at is kept. Sorting by key
    /// makes concurrent enqueuers lock pending rows in the same order.
    private static func coalesced(_ jobs: [JobRequest]) -> [JobRequest] {
        var keyed: [String: JobRequest] = [:]
        for job in jobs {
            let key = job.key!
            if var earlier = keyed[key] {
                earlier.payload = job.payload
                if let runAt = job.runAt, let before = earlier.runAt { earlier.runAt = min(runAt, before) }
                else { earlier.runAt = nil }
                keyed[key] = earlier
            } else {
                keyed[key] = job
            }
        }
        return keyed.values.sorted { $0.key! < $1.key! }
    }

    // Pending rows are locked with SKIP LOCKED: a row that a worker holds is in flight, not
    // pending, so the new job is inserted beside it instead of merging into work that may
    // already have read its inputs. A leased job out with a worker (lease_token set) is in
    // flight the same way. A pending job that the new one would not change (a lead touched
    // again before its scoring ran) is locked but not rewritten: an UPDATE writes a new row
    // version and, as run_at is indexed, an entry in each of the table's indexes. The
    // update runs whether or not the final SELECT reads it, as every data-modifying WITH does.
    private static let enqueueStatement = """
        WITH input AS (
            SELECT * FROM unnest($2::text[], $3::jsonb[], $4::timestamptz[]) AS i(key, payload, run_at)
        ),
        pending AS MATERIALIZED (
            SELECT j.id, j.key FROM jobs j
            WHERE j.kind = $1 AND j.key = ANY ($2::text[]) AND j.lease_token IS NULL
            ORDER BY j.key
            FOR UPDATE SKIP LOCKED
        ),
        merged AS (
            UPDATE jobs j
            SET payload = i.payload, run_at = LEAST(j.run_at, COALESCE(i.run_at, now()))
            FROM pending p JOIN input i ON i.key = p.key
            WHERE j.id = p.id
              AND (j.payload, j.run_at) IS DISTINCT FROM (i.payload, LEAST(j.run_at, COALESCE(i.run_at, now())))
        ),
        inserted AS (
            INSERT INTO jobs (kind, key, payload, run_at)
            SELECT $1, i.key, i.payload, COALESCE(i.run_at, now()) FROM input i
            WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.key = i.key)
            RETURNING id
        )
        SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM pending), pg_notify($5, '')
        """
}

/// `enqueueFresh` as statements, for a pipeline (`Connection.pipeline`): one INSERT and
/// one statement for the NOTIFYs.
public enum FreshJobs {
    public static func statements(_ requests: [JobRequest]) -> [Statement] {
        guard !requests.isEmpty else { return [] }
        // Jobs ready now take the server's now(), so that hosts with skewed clocks agree.
        return [
            Statement("""
                INSERT INTO jobs (kind, key, payload, run_at)
                SELECT kind, key, payload, COALESCE(run_at, now())
                FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) AS j(kind, key, payload, run_at)
                """, [requests.map(\.kind), requests.map(\.key), requests.map(\.payload), requests.map(\.runAt)]),
            wake(requests),
        ]
    }

    /// `returningIDs`, a statement whose rows are ids (`… RETURNING id`), followed by one
    /// fresh job of `kind` per id, with the payload `{"<field>": id}`, and the kind's NOTIFY
    /// when there is one: a single statement whose rows nobody reads, so that it can be
    /// queued (`Connection.queue(_:)`) instead of the ids coming back to be enqueued.
    public static func perRow(of returningIDs: Statement, kind: String, payloadField field: String) -> Statement {
        let next = returningIDs.parameters.count
        return Statement("""
            WITH source AS (\(returningIDs.sql)),
            job AS (
                INSERT INTO jobs (kind, payload)
                SELECT $\(next + 1), jsonb_build_object($\(next + 2)::text, id) FROM source ORDER BY id
                RETURNING 1
            )
            SELECT pg_notify($\(next + 3), '') WHERE EXISTS (SELECT 1 FROM job)
            """, returningIDs.parameters + [kind, field, JobChannel.name(for: kind)])
    }

    static func wake(_ requests: [JobRequest]) -> Statement {
        Statement("SELECT pg_notify(c, '') FROM unnest($1::text[]) AS c", [Set(requests.map(\.kind)).sorted().map(JobChannel.name(for:))])
    }
}
