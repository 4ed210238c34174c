import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import LeadStore
import Postgres

/// `POST /v1/leads` and `POST /v1/activities`.
///
/// A body is one JSON object or an array of them. Every valid record is committed to the
/// inbox before the answer goes out; the answer lists the inbox id of each accepted
/// record and the problems of each rejected one (which is also kept in `rejects`).
/// All valid: 202. Any invalid: 400, with the valid ones still accepted. Concurrent requests
/// share their commits (``IntakeCommitter``).
struct IntakeRoutes: Sendable {
    let committer: IntakeCommitter
    let auth: APIKeyAuthenticator
    let configuration: APIConfiguration
    let checker: RecordChecker

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/leads") { request, context in
            try await intake(.lead, request: request, context: context)
        }
        router.post("/v1/activities") { request, context in
            try await intake(.activity, request: request, context: context)
        }
    }

    struct Accepted: Encodable {
        let index: Int
        let id: Int64
    }

    struct Rejected: Encodable {
        let index: Int
        let problems: [String]
    }

    struct Answer: Encodable {
        let batch: Int64?
        let accepted: [Accepted]
        let rejected: [Rejected]
    }

    private func intake(_ type: InboxRecord.RecordType, request: Request, context: BasicRequestContext) async throws -> Response {
        try await auth.require(.ingest, for: request)
        var request = request
        let items = try Self.records(in: try await request.collectBody(limit: configuration.maxBodyBytes))
        guard items.count <= configuration.maxBatch else {
            throw APIError.tooLarge("a request holds at most \(configuration.maxBatch) records; this one holds \(items.count)")
        }
        let headerKey = items.count == 1 ? HTTPField.Name("Idempotency-Key").flatMap { request.headers[$0] } : nil

        var valid: [(index: Int, record: InboxRecord)] = []
        var rejected: [Rejected] = []
        var rejects: [Reject] = []
        for (index, item) in items.enumerated() {
            let check = checker.check(type, json: item.data)
            if !check.isJSON { throw Self.notJSON }
            if check.problems.isEmpty {
                let record = InboxRecord(type: type, payload: item.text, position: index, idempotencyKey: check.idempotencyKey ?? headerKey)
                valid.append((index, record))
            } else {
                rejected.append(Rejected(index: index, problems: check.problems))
                rejects.append(Reject(batchID: nil, source: "api", position: index, reason: check.problems.joined(separator: "; "), payload: item.text))
            }
        }
        let receipt = try await committer.commit(valid.map(\.record), rejects: rejects)
        let accepted = zip(valid, receipt?.ids ?? []).map { Accepted(index: $0.index, id: $1) }
        let answer = Answer(batch: receipt?.batchID, accepted: accepted, rejected: rejected)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(answer)
        return Response(
            status: rejected.isEmpty ? .accepted : .badRequest,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    struct Item {
        let data: Data
        let text: String
    }

    static let notJSON = APIError.badRequest("the body is not valid JSON")

    /// Splits a body into its records, each re-serialized on its own for the inbox. A body
    /// that is one object is the record as it stands (the common case, and the record
    /// checker's strict decoding tells a broken body from a bad record).
    static func records(in body: Data) throws -> [Item] {
        if body.first(where: { !Self.isWhitespace($0) }) == UInt8(ascii: "{") {
            return [Item(data: body, text: String(decoding: body, as: UTF8.self))]
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw notJSON
        }
        let objects: [Any]
        if json is [String: Any] { objects = [json] }
        else if let array = json as? [Any] { objects = array }
        else { throw APIError.badRequest("the body must be a JSON object or an array of objects") }
        return try objects.map { object in
            guard object is [String: Any] else { throw APIError.badRequest("every record must be a JSON object") }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return Item(data: data, text: String(decoding: data, as: UTF8.self))
        }
    }

    /// JSON's insignificant white space.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
