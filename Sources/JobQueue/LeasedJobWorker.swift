public import CoreMetrics
public import Logging
public import Postgres
public import ServiceLifecycle
import Synchronization

/// Runs one leased job kind: claims up to `handler.concurrency` jobs under a lease
/// (committed at once), performs each outside any transaction while a heartbeat renews
/// the leases, then completes it or records the failed attempt in one short transaction.
///
/// A failed attempt is retried after the handler's backoff and goes to the dead letters
/// after `retry.maxAttempts`. On a graceful shutdown the worker stops claiming, lets the
/// jobs in hand finish and returns.
public struct LeasedJobWorker<Handler: LeasedJobHandler>: Service {
    private let handler: Handler
    private let database: PostgresConfig
    private let pollInterval: Duration
    private let logger: Logger
    private let metrics: JobMetrics
    /// This loop's signal in the process's `WakeUps`; nil: the loop listens on its own.
    private let sharedWake: WakeSignal?

    /// - Parameter pollInterval: the longest sleep without a NOTIFY. Default: 1 s.
    public init(
        handler: Handler, database: PostgresConfig, pollInterval: Duration = .seconds(1), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, wakeUps: WakeUps? = nil
    ) {
        precondition(handler.concurrency > 0, "a leased worker performs at least one job at a time")
        self.handler = handler
        self.database = database
        self.pollInterval = pollInterval
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
        let session = SharedSession(database: database)
        let inHand = InHand()
        let heartbeat = Task { await renewLeases(of: inHand, on: session) }
        await withDiscardingTaskGroup { group in
            var failures = 0
            while !stop.isSet {
                do {
                    let free = handler.concurrency - inHand.count
                    let connection = try await session.connection()
                    // With every slot taken, only a finishing job (it signals) or a NOTIFY matters.
                    var sleep: Duration? = pollInterval
                    if free > 0 {
                        let (kind, lease, poll) = (handler.kind, handler.lease, pollInterval)
                        let jobs: [LeasedJob]
                        (jobs, sleep) = try await connection.withTransaction { connection in
                            let jobs = try connection.lease(kind: kind, limit: free, for: lease)
                            return (jobs, jobs.count < free ? try connection.idleSleep(kind: kind, poll: poll) : nil)
                        }
                        metrics.claimed.increment(by: jobs.count)
                        for leased in jobs {
                            inHand.insert(leased)
                            group.addTask {
                                await work(on: leased, session: session)
                                inHand.remove(leased)
                                wake.signal()
                            }
                        }
                    }
                    failures = 0
                    guard let sleep else { continue }
                    await wake.wait(timeout: sleep)
                } catch {
                    failures += 1
                    await session.reset()
                    let backoff = WakeSignal.backoff(afterFailures: failures)
                    logger.error("leased worker loop failed; retrying", metadata: [
                        "error": .string(String(describing: error)), "retry_in_ms": .stringConvertible(backoff.seconds * 1000),
                    ])
                    await wake.wait(timeout: backoff)
                }
            }
        }
        heartbeat.cancel()
        await session.reset()
    }

    private func work(on leased: LeasedJob, session: SharedSession) async {
        let started = ContinuousClock.now
        let outcome: Handler.Outcome
        do {
            outcome = try await handler.perform(leased.job, on: try await session.connection())
        } catch {
            await recordFailure(of: leased, error: error, session: session)
            return
        }
        do {
            let handler = handler
            let held = try await session.connection().withTransaction { connection in
                let held = try connection.completeLeased(leased)
                try handler.completed(leased.job, outcome: outcome, on: connection)
                return held
            }
            if !held {
                logger.warning("lease ran out before the job completed; another worker may perform it again",
                               metadata: ["job_id": .stringConvertible(leased.job.id)])
            }
            metrics.succeeded.increment()
            metrics.batchDuration.recordNanoseconds(Int64((ContinuousClock.now - started).seconds * 1e9))
        } catch {
            // The outside effect happened but is not recorded: the lease runs out and the
            // job is performed again, which at-least-once delivery allows.
            logger.error("could not record a completed job", metadata: [
                "job_id": .stringConvertible(leased.job.id), "error": .string(String(describing: error)),
            ])
        }
    }

    private func recordFailure(of leased: LeasedJob, error: any Error, session: SharedSession) async {
        let handler = handler
        let description = String(describing: error)
        do {
            let dead = try await session.connection().withTransaction { connection in
                let dead = try connection.failLeased(leased, error: description, policy: handler.retry)
                try handler.failed(leased.job, error: error, dead: dead, on: connection)
                return dead
            }
            metrics.failed.increment()
            if dead { metrics.dead.increment() }
            logger.warning(dead ? "job failed for the last time; moved to dead letters" : "job failed; will retry", metadata: [
                "job_id": .stringConvertible(leased.job.id), "attempt": .stringConvertible(leased.job.attempts + 1),
                "error": .string(description),
            ])
        } catch {
            logger.error("could not record a failed job; its lease will run out", metadata: [
                "job_id": .stringConvertible(leased.job.id), "error": .string(String(describing: error)),
            ])
        }
    }

    /// Pushes every lease in hand forward, every third of the lease, until cancelled.
    private func renewLeases(of inHand: InHand, on session: SharedSession) async {
        let lease = handler.lease
        while !Task.isCancelled {
            try? await Task.sleep(for: lease / 3)
            let leases = inHand.all
            do {
                let held = try await session.connection().renewLeases(leases, for: lease)
                for leased in leases where !held.contains(leased.job.id) {
                    logger.warning("lease lost while working", metadata: ["job_id": .stringConvertible(leased.job.id)])
                }
            } catch {
                logger.warning("could not renew the leases", metadata: ["error": .string(String(describing: error))])
            }
        }
    }
}

/// The jobs a leased worker holds right now.
private final class InHand: Sendable {
    private let jobs = Mutex<[Int64: LeasedJob]>([:])

    var count: Int { jobs.withLock { $0.count } }
    var all: [LeasedJob] { jobs.withLock { Array($0.values) } }
    func insert(_ leased: LeasedJob) { jobs.withLock { $0[leased.job.id] = leased } }
    func remove(_ leased: LeasedJob) { jobs.withLock { _ = $0.removeValue(forKey: leased.job.id) } }
}

/// One connection shared by a leased worker's claims, heartbeats and completions. Each
/// transaction runs whole on the connection's executor, so sharing never interleaves them.
private actor SharedSession {
    private let database: PostgresConfig
    private var current: Connection?

    init(database: PostgresConfig) {
        self.database = database
    }

    /// The open connection, or a new one if the last one broke.
    func connection() async throws -> Connection {
        if let current, await current.isHealthy { return current }
        let fresh = try await Connection.connect(database)
        current = fresh
        return fresh
    }

    func reset() async {
        await current?.close()
        current = nil
    }
}
