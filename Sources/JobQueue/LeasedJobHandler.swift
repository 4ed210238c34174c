public import Postgres

/// The work of one leased job kind: outside effects (a webhook POST, an e-mail) that must
/// not hold a transaction open while they wait on the outside world.
///
/// `perform` runs outside any transaction. Its outcome is then recorded in one short
/// transaction together with the job's completion (`completed`) or its failed attempt
/// (`failed`), so the handler's own bookkeeping and the queue never disagree.
/// Delivery is at least once: a worker that loses its lease (it stalled past the lease,
/// or died after the outside effect) leaves the job to another worker, which performs it
/// again, so receivers deduplicate by an id the job carries.
public protocol LeasedJobHandler: Sendable {
    associatedtype Outcome: Sendable

    var kind: String { get }
    /// Jobs one worker performs at the same time. Default: 16.
    var concurrency: Int { get }
    /// How long a claim lasts without a heartbeat; the worker renews it every third of
    /// that while `perform` runs. Default: 60 s.
    var lease: Duration { get }
    /// Backoff and dead letters for failed attempts. Default: `RetryPolicy()`.
    var retry: RetryPolicy { get }

    /// Does the outside work. Throwing records a failed attempt.
    func perform(_ job: Job, on connection: Connection) async throws -> Outcome
    /// Records a success, in the transaction that completes the job.
    func completed(_ job: Job, outcome: Outcome, on connection: isolated Connection) throws
    /// Records a failed attempt, in the transaction that schedules the retry or moves the
    /// job to the dead letters (`dead`).
    func failed(_ job: Job, error: any Error, dead: Bool, on connection: isolated Connection) throws
}

extension LeasedJobHandler {
    public var concurrency: Int { 16 }
    public var lease: Duration { .seconds(60) }
    public var retry: RetryPolicy { RetryPolicy() }
    public func completed(_ job: Job, outcome: Outcome, on connection: isolated Connection) throws {}
    public func failed(_ job: Job, error: any Error, dead: Bool, on connection: isolated Connection) throws {}
}
