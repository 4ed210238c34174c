public import Postgres

/// The work of one job kind, done inside the transaction that claimed the jobs.
///
/// Whatever `handle` writes commits together with the deletion of its jobs and with the
/// next step's jobs it enqueues (`connection.enqueue`). If it throws, none of it stays.
public protocol JobHandler: Sendable {
    var kind: String { get }
    /// Handles a batch. Jobs with the same coalescing key arrive once per batch.
    func handle(_ jobs: [Job], on connection: isolated Connection) throws
    /// The most jobs of this kind one transaction should take, for kinds whose single job
    /// is already big work; nil (the default) leaves it to the worker's batch size.
    var maxJobsPerBatch: Int? { get }
}

extension JobHandler {
    public var maxJobsPerBatch: Int? { nil }
}

/// A handler from a closure, for small kinds and tests.
public struct ClosureJobHandler: JobHandler {
    public let kind: String
    private let body: @Sendable ([Job], isolated Connection) throws -> Void

    public init(kind: String, _ body: @escaping @Sendable ([Job], isolated Connection) throws -> Void) {
        self.kind = kind
        self.body = body
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        try body(jobs, connection)
    }
}
