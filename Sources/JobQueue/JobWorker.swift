public import CoreMetrics
import Foundation
public import Logging
public import Postgres
public import ServiceLifecycle

/// Settings of a worker loop. Each has a default that suits the pipeline.
public struct WorkerConfiguration: Sendable {
    /// Jobs claimed per transaction. Default: 100.
    public var batchSize: Int
    /// Longest sleep without a NOTIFY, because a NOTIFY is lost while the listener is
    /// reconnecting. Default: 1 s (`LEADRELAY_POLL_INTERVAL_MS`).
    public var pollInterval: Duration
    /// How often queue depth and oldest-job age are sampled for metrics. Default: 5 s.
    public var metricsInterval: Duration
    public var retry: RetryPolicy

    public init(
        batchSize: Int = 100, pollInterval: Duration = .seconds(1),
        metricsInterval: Duration = .seconds(5), retry: RetryPolicy = RetryPolicy()
    ) {
        precondition(batchSize > 0, "a batch holds at least one job")
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.metricsInterval = metricsInterval
        self.retry = retry
    }
}

/// Runs one job kind: claim a batch in a transaction, hand it to the handler in that same
/// transaction, delete the jobs and commit.
///
/// A batch that throws is rolled back and its jobs are retried one by one, each under a
/// savepoint, so a failing job cannot poison its batch-mates; the one that still fails
/// gets a backoff, and goes to the dead letters after `retry.maxAttempts`. On a graceful
/// shutdown (SIGTERM, SIGINT) or task cancellation the worker finishes its current batch,
/// commits and returns.
public struct JobWorker: Service {
    private let handler: any JobHandler
    private let database: PostgresConfig
    private let configuration: WorkerConfiguration
    private let logger: Logger
    private let metrics: JobMetrics
    /// This loop's signal in the process's `WakeUps`; nil: the loop listens on its own.
    private let sharedWake: WakeSignal?

    public init(
        handler: any JobHandler, database: PostgresConfig, configuration: WorkerConfiguration = .init(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, wakeUps: WakeUps? = nil
    ) {
        self.handler = handler
        self.database = database
        var configuration = configuration
        if let cap = handler.maxJobsPerBatch { configuration.batchSize = max(1, min(configuration.batchSize, cap)) }
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "kind"] = .string(handler.kind)
        self.logger = logger
        self.metrics = JobMetrics(kind: handler.kind, factory: metricsFactory)
        sharedWake = wakeUps?.register(kind: handler.kind)
    }

    public func run() async throws {
        try await WakeSignal.runWoken(by: handler.kind, database: database, logger: logger, shared: sharedWake) { wake, stop in
            await loop(wake: wake, stop: stop)
        }
    }

    private func loop(wake: WakeSignal, stop: StopFlag) async {
        var session: Connection?
        var failures = 0
        var lastSample = ContinuousClock.now - configuration.metricsInterval
        while !stop.isSet {
            do {
                let connection: Connection
                if let session, await session.isHealthy {
                    connection = session
                } else {
                    connection = try await Connection.connect(database)
                    session = connection
                }
                let sleep = try await runBatch(on: connection)
                failures = 0
                if ContinuousClock.now - lastSample >= configuration.metricsInterval {
                    lastSample = .now
                    try await sampleDepth(on: connection)
                }
                guard let sleep else { continue }
                await wake.wait(timeout: sleep)
            } catch {
                failures += 1
                session = nil
                let backoff = WakeSignal.backoff(afterFailures: failures)
                logger.error("worker loop failed; retrying", metadata: [
                    "error": .string(String(describing: error)), "retry_in_ms": .stringConvertible(backoff.seconds * 1000),
                ])
                await wake.wait(timeout: backoff)
            }
        }
        await session?.close()
    }

    /// One claim-handle-commit cycle. Returns how long the loop may sleep after it, or nil
    /// to claim again at once: the batch was full, or more jobs are due.
    private func runBatch(on connection: Connection) async throws -> Duration? {
        let started = ContinuousClock.now
        let handler = handler
        let batchSize = configuration.batchSize
        let poll = configuration.pollInterval
        let outcome: Result<(count: Int, sleep: Duration?), any Error>
        do {
            let batch = try await connection.withTransaction { connection in
                let (jobs, idle) = try connection.claimAndDelete(kind: handler.kind, limit: batchSize, idlePoll: poll)
                if !jobs.isEmpty { try handler.handle(Self.coalesced(jobs), on: connection) }
                return (count: jobs.count, sleep: jobs.count < batchSize ? idle : nil)
            }
            outcome = .success(batch)
        } catch let error as PostgresError where error.code == .connection {
            throw error
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let batch):
            if batch.count > 0 {
                metrics.claimed.increment(by: batch.count)
                metrics.succeeded.increment(by: batch.count)
                metrics.batchDuration.recordNanoseconds(Int64((ContinuousClock.now - started).seconds * 1e9))
            }
            return batch.sleep
        case .failure(let error):
            logger.warning("batch failed; retrying its jobs one by one", metadata: ["error": .string(String(describing: error))])
            try await retryOneByOne(on: connection)
            return nil
        }
    }

    /// After a failed batch: the same claim again, but each job under its own savepoint.
    private func retryOneByOne(on connection: Connection) async throws {
        let handler = handler
        let batchSize = configuration.batchSize
        let retry = configuration.retry
        let logger = logger
        let (claimed, failed, dead) = try await connection.withTransaction { connection -> (Int, Int, Int) in
            var generator = SystemRandomNumberGenerator()
            let jobs = try connection.claimForRetry(kind: handler.kind, limit: batchSize)
            var failed = 0
            var dead = 0
            for job in jobs {
                do {
                    try connection.withSavepoint { connection in
                        try handler.handle([job], on: connection)
                        try connection.deleteJob(id: job.id)
                    }
                } catch {
                    failed += 1
                    let delay = retry.delay(afterAttempt: job.attempts + 1, using: &generator)
                    let died = try connection.recordFailure(
                        of: job, error: String(describing: error), retryIn: delay, maxAttempts: retry.maxAttempts
                    )
                    if died { dead += 1 }
                    logger.warning(died ? "job failed for the last time; moved to dead letters" : "job failed; will retry", metadata: [
                        "job_id": .stringConvertible(job.id), "attempt": .stringConvertible(job.attempts + 1),
                        "error": .string(String(describing: error)),
                    ])
                }
            }
            return (jobs.count, failed, dead)
        }
        metrics.claimed.increment(by: claimed)
        metrics.succeeded.increment(by: claimed - failed)
        metrics.failed.increment(by: failed)
        metrics.dead.increment(by: dead)
    }

    private func sampleDepth(on connection: Connection) async throws {
        let row = try await connection.query("""
            SELECT count(*) FILTER (WHERE run_at <= now()),
                   COALESCE(extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())), 0)::float8
            FROM jobs WHERE kind = $1
            """, [handler.kind])[0]
        metrics.depth.record(try row.decode(0, as: Int.self))
        metrics.oldestReady.record(try row.decode(1, as: Double.self))
    }

    /// Jobs of one key that piled up (concurrent enqueuers can race past each other) reach
    /// the handler once, with the newest payload.
    static func coalesced(_ jobs: [Job]) -> [Job] {
        var seen: [String: Int] = [:]
        var result: [Job] = []
        result.reserveCapacity(jobs.count)
        for job in jobs {
            guard let key = job.key else {
                result.append(job)
                continue
            }
            if let index = seen[key] {
                if job.id > result[index].id { result[index] = job }
            } else {
                seen[key] = result.count
                result.append(job)
            }
        }
        return result
    }
}
