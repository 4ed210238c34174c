import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import IngestAPI
import LeadStore
import Logging
import Postgres
import Prometheus
import TestSupport
import Testing

@Suite struct IntakeAPITests {
    struct Setup: Sendable {
        let pool: ConnectionPool
        let ingestKey: String
        let feedbackKey: String
        let config: PostgresConfig
    }

    static func withAPI(
        configuration: APIConfiguration = APIConfiguration(maxBodyBytes: 64 * 1024, maxBatch: 10),
        _ body: @escaping @Sendable (any TestClientProtocol, Setup) async throws -> Void
    ) async throws {
        try await TestDatabase.withScratchDatabase(migrated: true) { config in
            let connection = try await Connection.connect(config)
            let ingestKey = try await connection.withTransaction { try $0.createAPIKey(name: "forms", scopes: [.ingest]) }
            let feedbackKey = try await connection.withTransaction { try $0.createAPIKey(name: "crm", scopes: [.feedback]) }
            await connection.close()
            let pool = ConnectionPool(config, maxConnections: 2)
            let setup = Setup(pool: pool, ingestKey: ingestKey, feedbackKey: feedbackKey, config: config)
            let app = IngestServer.application(
                pool: pool, configuration: configuration, registry: PrometheusCollectorRegistry(),
                freeMailDomains: ["gmail.com"], logger: Logger(label: "intake-api-tests")
            )
            try await app.test(.live) { client in try await body(client, setup) }
            await pool.close()
        }
    }

    static func headers(_ key: String?) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let key { fields[.authorization] = "Bearer \(key)" }
        return fields
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func withoutAKeyItIs401AndWithoutTheScopeItIs403() async throws {
        try await Self.withAPI { client, setup in
            let body = ByteBuffer(string: #"{"email": "ada@acme.io"}"#)
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(nil), body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers("lr_not-a-key"), body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.feedbackKey), body: body) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains(setup.feedbackKey) == false)
            }
        }
    }

    @Test func aValidLeadIsCommittedBeforeThe202() async throws {
        try await Self.withAPI { client, setup in
            let body = ByteBuffer(string: #"{"email": " Ada@Acme.io ", "first_name": "Ada", "employees": "1,000-5,000"}"#)
            let id = try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.ingestKey), body: body) { response in
                #expect(response.status == .accepted)
                let answer = try Self.json(response)
                let accepted = try #require(answer["accepted"] as? [[String: Any]])
                #expect(accepted.count == 1)
                return try #require(accepted.first?["id"] as? Int)
            }
            let connection = try await Connection.connect(setup.config)
            let row = try await connection.query("SELECT payload->>'first_name', source FROM inbox WHERE id = $1", [id])
            #expect(try row[0].decode(0) == "Ada")
            #expect(try row[0].decode(1) == "api")
            #expect(try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'ingest'")[0].decode(0) == 1)
            await connection.close()
        }
    }

    @Test func invalidRecordsGet400WithTheirProblemsWhileTheValidOnesAreAccepted() async throws {
        try await Self.withAPI { client, setup in
            let body = ByteBuffer(string: """
                [{"email": "ada@acme.io"}, {"email": "not-an-address"}, {"email": "bob@acme.io"},
                 {"first_name": "No Email"}]
                """)
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.ingestKey), body: body) { response in
                #expect(response.status == .badRequest)
                let answer = try Self.json(response)
                let accepted = try #require(answer["accepted"] as? [[String: Any]])
                #expect(accepted.compactMap { $0["index"] as? Int } == [0, 2])
                let rejected = try #require(answer["rejected"] as? [[String: Any]])
                #expect(rejected.compactMap { $0["index"] as? Int } == [1, 3])
                let problems = rejected.compactMap { $0["problems"] as? [String] }
                #expect(problems.allSatisfy { $0.contains { $0.hasPrefix("email") } })
            }
            let connection = try await Connection.connect(setup.config)
            #expect(try await connection.query("SELECT count(*) FROM inbox")[0].decode(0) == 2)
            #expect(try await connection.query("SELECT count(*) FROM rejects")[0].decode(0) == 2)
            await connection.close()
        }
    }

    @Test func activitiesAreCheckedToo() async throws {
        try await Self.withAPI { client, setup in
            let body = ByteBuffer(string: """
                [{"email": "ada@acme.io", "type": "page_view", "url": "https://leadrelay.io/pricing"},
                 {"email": "ada@acme.io", "type": "teleported"}]
                """)
            try await client.execute(uri: "/v1/activities", method: .post, headers: Self.headers(setup.ingestKey), body: body) { response in
                #expect(response.status == .badRequest)
                let answer = try Self.json(response)
                #expect((answer["accepted"] as? [[String: Any]])?.count == 1)
                let problems = (answer["rejected"] as? [[String: Any]])?.first?["problems"] as? [String]
                #expect(problems?.contains { $0.hasPrefix("type") } == true)
            }
        }
    }

    @Test func oversizedBodiesAndBatchesGet413() async throws {
        try await Self.withAPI { client, setup in
            let many = "[" + (0..<11).map { #"{"email": "lead\#($0)@acme.io"}"# }.joined(separator: ",") + "]"
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.ingestKey), body: ByteBuffer(string: many)) { response in
                #expect(response.status == .contentTooLarge)
            }
            let huge = #"{"email": "ada@acme.io", "title": ""# + String(repeating: "x", count: 70 * 1024) + #""}"#
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.ingestKey), body: ByteBuffer(string: huge)) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/leads", method: .post, headers: Self.headers(setup.ingestKey), body: ByteBuffer(string: "{oops")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aRepeatedIdempotencyKeyGetsTheFirstIDAndIsStoredOnce() async throws {
        try await Self.withAPI { client, setup in
            var headers = Self.headers(setup.ingestKey)
            headers[HTTPField.Name("Idempotency-Key")!] = "form-123"
            let body = ByteBuffer(string: #"{"email": "ada@acme.io"}"#)
            var ids: [Int] = []
            for _ in 0..<2 {
                try await client.execute(uri: "/v1/leads", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .accepted)
                    ids += try #require(try Self.json(response)["accepted"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
                }
            }
            #expect(ids.count == 2 && ids[0] == ids[1])
            let connection = try await Connection.connect(setup.config)
            #expect(try await connection.query("SELECT count(*) FROM inbox")[0].decode(0) == 1)
            await connection.close()
        }
    }

    @Test func servesItsOpenAPIDocumentAndHealth() async throws {
        try await Self.withAPI { client, _ in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("openapi: 3.1.0"))
                #expect(text.contains("/v1/leads:") && text.contains("/v1/activities:"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
