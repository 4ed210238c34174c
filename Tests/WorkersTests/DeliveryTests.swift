import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import LeadStore
import Logging
import Postgres
import Synchronization
import TestSupport
import Testing
import Workers

/// Webhook delivery against a real PostgreSQL and a real HTTP receiver on loopback: the
/// handoff queues the delivery in its transaction, a leased delivery worker sends it.
@Suite struct DeliveryTests {
    static let secret = "whsec_test_0123456789abcdef"

    /// What the receiver saw, and the statuses it answers with, in turn.
    final class Receiver: Sendable {
        struct Request: Sendable {
            /// By lower-case name.
            let headers: [String: String]
            let body: Data
        }

        private let state: Mutex<(answers: [HTTPResponse.Status], requests: [Request])>

        init(answers: [HTTPResponse.Status]) {
            state = Mutex((answers, []))
        }

        var requests: [Request] { state.withLock { $0.requests } }

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.post("/hooks/leads") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
                let status = self.state.withLock { state -> HTTPResponse.Status in
                    state.requests.append(Request(headers: headers, body: Data(body.readableBytesView)))
                    return state.answers.isEmpty ? .ok : state.answers.removeFirst()
                }
                return Response(status: status)
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    struct Timeout: Error {}

    /// Hands one lead to a rep with one webhook endpoint registered, then runs a delivery
    /// worker with fast retries until no delivery job is left, and hands over to `check`.
    static func run(receiver: Receiver, maxAttempts: Int, check: @Sendable (Connection) async throws -> Void) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            try await receiver.application().test(.live) { client in
                let connection = try await Connection.connect(config)
                try await HandoffTests.setUp(try HandoffTests.rules([.init(rep: "ann")]), on: connection)
                let url = "http://127.0.0.1:\(client.port!)/hooks/leads"
                try await connection.withTransaction { try $0.addWebhookEndpoint(name: "crm", url: url, secret: secret) }
                let ids = try await HandoffTests.makeLeads(1, on: connection)
                try await connection.query("""
                    INSERT INTO activities (lead_id, type, url, occurred_at, source)
                    VALUES ($1, 'pricing_page_view', 'https://northwind.example/pricing', '2026-11-24T14:00:00Z', 'web')
                    """, [ids[0]])
                try await HandoffTests.enqueueHandoffs(ids, on: connection)
                try await HandoffTests.runHandoff(config: config)

                let handler = DeliveryJobHandler(retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(20), maxDelay: .milliseconds(40)))
                let worker = LeasedJobWorker(handler: handler, database: config, pollInterval: .milliseconds(50), logger: Logger(label: "delivery-tests"))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await worker.run() }
                    let deadline = ContinuousClock.now + .seconds(60)
                    while try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'delivery'")[0].decode(0, as: Int.self) > 0 {
                        guard ContinuousClock.now < deadline else { throw Timeout() }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    group.cancelAll()
                }
                try await check(connection)
                await connection.close()
            }
        }
    }

    @Test func aReceiverThatFailsTwiceGetsExactlyOneDeliveryRecordedDone() async throws {
        let receiver = Receiver(answers: [.internalServerError, .serviceUnavailable, .ok])
        try await Self.run(receiver: receiver, maxAttempts: 5) { connection in
            let rows = try await connection.query("SELECT id, status, attempts, last_status_code, delivered_at IS NOT NULL FROM deliveries")
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(1, as: String.self) == "delivered")
            #expect(try row.decode(2, as: Int.self) == 3)
            #expect(try row.decode(3, as: Int?.self) == 200)
            #expect(try row.decode(4, as: Bool.self))
            #expect(try await connection.query("SELECT count(*) FROM dead_jobs")[0].decode(0, as: Int.self) == 0)

            let requests = receiver.requests
            #expect(requests.count == 3, "two failures, then the one success")
            let deliveryID = String(try row.decode(0, as: Int64.self))
            #expect(requests.allSatisfy { $0.headers["leadrelay-delivery"] == deliveryID })
            #expect(Set(requests.map(\.body)).count == 1, "every retry sends the same bytes")
            let now = Int64(Date().timeIntervalSince1970)
            for request in requests {
                let header = try #require(request.headers[WebhookSignature.header.lowercased()])
                #expect(WebhookSignature.verify(headerValue: header, body: request.body, secret: Self.secret, now: now))
                #expect(!WebhookSignature.verify(headerValue: header, body: request.body, secret: Self.secret + "x", now: now))
                #expect(!WebhookSignature.verify(headerValue: header, body: request.body + Data(" ".utf8), secret: Self.secret, now: now))
            }

            let body = try JSONSerialization.jsonObject(with: requests[0].body) as! [String: Any]
            #expect(body["event"] as? String == "lead.assigned")
            let lead = try #require(body["lead"] as? [String: Any])
            #expect(lead["email"] as? String == "lead1@lead.example")
            let assignment = try #require(body["assignment"] as? [String: Any])
            #expect(assignment["rep_id"] as? String == "ann")
            let activities = try #require(body["activities"] as? [[String: Any]])
            #expect(activities.map { $0["type"] as? String } == ["pricing_page_view"])
        }
    }

    @Test func aReceiverThatNeverAnswersWellEndsInTheDeadLetters() async throws {
        let receiver = Receiver(answers: Array(repeating: .badGateway, count: 10))
        try await Self.run(receiver: receiver, maxAttempts: 3) { connection in
            let row = try await connection.query("SELECT status, attempts, last_status_code, last_error FROM deliveries")[0]
            #expect(try row.decode(0, as: String.self) == "dead")
            #expect(try row.decode(1, as: Int.self) == 3)
            #expect(try row.decode(2, as: Int?.self) == 502)
            #expect(try row.decode(3, as: String?.self) == "the endpoint answered HTTP 502")
            #expect(try await connection.query("SELECT count(*) FROM dead_jobs WHERE kind = 'delivery'")[0].decode(0, as: Int.self) == 1)
            #expect(receiver.requests.count == 3)
        }
    }

    /// The signing base is `t.body`; the expected value was computed independently with
    /// Python: `hmac.new(b"Jefe", b'1763900000.{"a":1}', hashlib.sha256).hexdigest()`.
    @Test func signaturesAreHMACSHA256OfTheTimeAndTheBody() {
        let signature = WebhookSignature(body: Data(#"{"a":1}"#.utf8), secret: "Jefe", timestamp: 1_763_900_000)
        #expect(signature.hex == "5f0e35d41937fd80f30387312d71a61a3cff628cec19b5effc34950dfd8d1fcb")
        #expect(signature.headerValue == "t=1763900000,v1=\(signature.hex)")
        #expect(WebhookSignature.verify(headerValue: signature.headerValue, body: Data(#"{"a":1}"#.utf8), secret: "Jefe", now: 1_763_900_100))
        #expect(!WebhookSignature.verify(headerValue: signature.headerValue, body: Data(#"{"a":1}"#.utf8), secret: "Jefe", now: 1_763_901_000),
                "too old: a replay")
    }
}
