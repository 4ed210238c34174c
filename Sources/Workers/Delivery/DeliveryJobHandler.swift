public import Foundation
public import JobQueue
import LeadStore
public import Postgres

/// Kind `delivery`, leased: sends one assignment to one webhook endpoint, signed (see
/// `WebhookSignature`), with the headers `LeadRelay-Delivery` (the delivery id, the same
/// on every retry, for the receiver to deduplicate on) and `LeadRelay-Event`.
///
/// Anything but a 2xx within the timeout is a failed attempt, retried with backoff
/// (by default 12 attempts, 2.5–5 s doubling up to an hour between them: 1.2 to 2.4 hours
/// in all) and then dead-lettered; the delivery row records every attempt's outcome.
public struct DeliveryJobHandler: LeasedJobHandler {
    public static let kindName = DeliveryJob.kind
    public var kind: String { Self.kindName }
    public let retry: RetryPolicy
    public let concurrency: Int
    private let sender: WebhookSender
    private let clock: @Sendable () -> Date

    public init(
        retry: RetryPolicy = RetryPolicy(maxAttempts: 12, baseDelay: .seconds(5), maxDelay: .seconds(3600)),
        timeout: Duration = .seconds(10), concurrency: Int = 16, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.retry = retry
        self.concurrency = concurrency
        self.sender = WebhookSender(timeout: timeout)
        self.clock = clock
    }

    /// The status the endpoint answered with; nil when the delivery no longer exists.
    public func perform(_ job: Job, on connection: Connection) async throws -> Int? {
        let id = try job.decodePayload(DeliveryJob.Payload.self).deliveryID
        guard let attempt = try await connection.prepareDelivery(id: id) else { return nil }
        let signature = WebhookSignature(body: Data(attempt.body.utf8), secret: attempt.secret, timestamp: Int64(clock().timeIntervalSince1970))
        return try await sender.post(attempt.body, to: attempt.url, headers: [
            WebhookSignature.header: signature.headerValue,
            "LeadRelay-Delivery": String(attempt.id),
            "LeadRelay-Event": "lead.assigned",
        ])
    }

    public func completed(_ job: Job, outcome: Int?, on connection: isolated Connection) throws {
        guard let status = outcome else { return }
        try connection.recordDelivered(id: try job.decodePayload(DeliveryJob.Payload.self).deliveryID, statusCode: status)
    }

    public func failed(_ job: Job, error: any Error, dead: Bool, on connection: isolated Connection) throws {
        guard let id = try? job.decodePayload(DeliveryJob.Payload.self).deliveryID else { return }
        try connection.recordDeliveryFailure(id: id, statusCode: (error as? WebhookError)?.statusCode, error: String(describing: error), dead: dead)
    }
}

/// The outbox side of deliveries: one leased job per delivery, queued in the handoff's
/// transaction (`FreshJobs.perRow`).
public enum DeliveryJob {
    public static let kind = "delivery"

    public struct Payload: Codable, Sendable {
        public let deliveryID: Int64
        enum CodingKeys: String, CodingKey {
            case deliveryID = "delivery_id"
        }
    }
}
