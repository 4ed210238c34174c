import Foundation
import HTTPTypes
import Hummingbird
import LeadStore
import NIOCore
import Postgres

/// `POST /v1/leads/{id}/feedback` and `POST /v1/leads/{id}/activities`: what sales reports
/// back. Both need the `feedback` scope and answer only once their change is committed.
struct FeedbackRoutes: Sendable {
    let pool: ConnectionPool
    let auth: APIKeyAuthenticator
    let configuration: APIConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/leads/{id}/feedback") { request, context in
            try await feedback(request: request, context: context)
        }
        router.post("/v1/leads/{id}/activities") { request, context in
            try await activity(request: request, context: context)
        }
    }

    struct FeedbackAnswer: Encodable {
        let leadId: Int64
        let outcome: String
        let from: String
        let to: String
        let reason: String
        let outcomeId: Int64
        let endedAssignment: Int64?
    }

    struct ActivityAnswer: Encodable {
        let id: Int64
        let leadId: Int64
    }

    private func feedback(request: Request, context: BasicRequestContext) async throws -> Response {
        let keyName = try await auth.require(.feedback, for: request)
        let leadID = try Self.leadID(context)
        let object = try await body(of: request)
        let feedback = try Self.feedback(from: object)
        let receipt: FeedbackReceipt
        do {
            receipt = try await pool.withConnection { connection in
                try await connection.withTransaction { try $0.recordFeedback(feedback, for: .id(leadID), reportedBy: keyName) }
            }
        } catch let error as FeedbackError {
            throw Self.answer(to: error)
        }
        return try Self.json(.ok, FeedbackAnswer(
            leadId: receipt.leadID, outcome: feedback.outcome.rawValue, from: receipt.from, to: receipt.to, reason: receipt.reason,
            outcomeId: receipt.outcomeID, endedAssignment: receipt.endedAssignment))
    }

    private func activity(request: Request, context: BasicRequestContext) async throws -> Response {
        try await auth.require(.feedback, for: request)
        let leadID = try Self.leadID(context)
        let object = try await body(of: request)
        let activity = try Self.activity(from: object)
        let id = try await pool.withConnection { connection in
            try await connection.withTransaction { try $0.logSalesActivity(activity, leadID: leadID) }
        }
        guard let id else { throw Self.answer(to: .unknownLead) }
        return try Self.json(.created, ActivityAnswer(id: id, leadId: leadID))
    }

    // MARK: Reading requests

    private static func leadID(_ context: BasicRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else {
            throw FieldErrors([FieldProblem("id", "must be a lead id (a positive integer)")])
        }
        return id
    }

    private func body(of request: Request) async throws -> [String: Any] {
        var request = request
        let body = try await request.collectBody(limit: configuration.maxBodyBytes)
        guard let json = try? JSONSerialization.jsonObject(with: body) else {
            throw APIError.badRequest("the body is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw APIError.badRequest("the body must be a JSON object") }
        return object
    }

    static func feedback(from object: [String: Any]) throws -> SalesFeedback {
        var fields = Fields(object, known: ["outcome", "reason", "revenue", "rep", "note"])
        let outcomeText = fields.string("outcome", required: true)
        let outcome = outcomeText.flatMap(FeedbackOutcome.init(rawValue:))
        if outcomeText != nil, outcome == nil {
            fields.problem("outcome", "must be one of \(FeedbackOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let reason = fields.string("reason")
        let revenue = fields.decimal("revenue")
        let rep = fields.string("rep")
        let note = fields.string("note")
        guard let outcome else { throw FieldErrors(fields.problems) }
        let feedback = SalesFeedback(outcome: outcome, reason: reason, revenue: revenue, rep: rep, note: note)
        let problems = fields.problems + feedback.problems.filter { problem in !fields.problems.contains { $0.field == problem.field } }
        guard problems.isEmpty else { throw FieldErrors(problems) }
        return feedback
    }

    static func activity(from object: [String: Any]) throws -> SalesActivity {
        var fields = Fields(object, known: ["type", "occurred_at", "rep", "note", "outcome"])
        let type = fields.string("type", required: true)
        if let type, !SalesActivity.types.contains(type) {
            fields.problem("type", "must be one of \(SalesActivity.types.joined(separator: ", "))")
        }
        let occurredAt = fields.date("occurred_at")
        let rep = fields.string("rep")
        let note = fields.string("note")
        let outcome = fields.string("outcome")
        guard let type, fields.problems.isEmpty else { throw FieldErrors(fields.problems) }
        return SalesActivity(type: type, occurredAt: occurredAt ?? Date(), rep: rep, note: note, outcome: outcome)
    }

    /// Reads typed fields of a JSON object and gathers every problem, so that one answer
    /// names all of them.
    struct Fields {
        let object: [String: Any]
        private(set) var problems: [FieldProblem] = []

        init(_ object: [String: Any], known: Set<String>) {
            self.object = object
            for key in object.keys.sorted() where !known.contains(key) { problems.append(FieldProblem(key, "is not a known field")) }
        }

        mutating func problem(_ field: String, _ message: String) { problems.append(FieldProblem(field, message)) }

        mutating func string(_ field: String, required: Bool = false) -> String? {
            guard let value = object[field], !(value is NSNull) else {
                if required { problem(field, "is required") }
                return nil
            }
            guard let text = value as? String else {
                problem(field, "must be a string")
                return nil
            }
            if text.count > 2_000 { problem(field, "is longer than 2000 characters") }
            return text
        }

        mutating func decimal(_ field: String) -> Decimal? {
            guard let value = object[field], !(value is NSNull) else { return nil }
            // JSONSerialization reads true and false as NSNumber too, of objCType "c".
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                  let decimal = Decimal(string: number.stringValue, locale: Locale(identifier: "en_US_POSIX")), !decimal.isNaN
            else {
                problem(field, "must be a number")
                return nil
            }
            return decimal
        }

        mutating func date(_ field: String) -> Date? {
            guard let text = string(field) else { return nil }
            let plain = ISO8601DateFormatter()
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
                problem(field, "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-02T09:30:00Z")
                return nil
            }
            return date
        }
    }

    // MARK: Answers

    private static func answer(to error: FeedbackError) -> any Error {
        switch error {
        case .invalid(let problems): FieldErrors(problems)
        case .unknownLead: APIError(status: .notFound, code: "not_found", message: "there is no lead with this id")
        case .notAllowed: APIError(status: .conflict, code: "transition_not_allowed", message: error.description)
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// A 400 that names every bad field:
/// `{"error": {"code": "bad_request", "message": "…", "problems": [{"field", "message"}…]}}`.
struct FieldErrors: HTTPResponseError {
    let problems: [FieldProblem]

    init(_ problems: [FieldProblem]) { self.problems = problems }

    var status: HTTPResponse.Status { .badRequest }
    var headers: HTTPFields { [.contentType: "application/json"] }

    private struct Body: Encodable {
        struct Problem: Encodable {
            let field: String
            let message: String
        }
        struct Detail: Encodable {
            let code: String
            let message: String
            let problems: [Problem]
        }
        let error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(code: "bad_request", message: problems.map(\.description).joined(separator: "; "),
                                     problems: problems.map { .init(field: $0.field, message: $0.message) }))
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(body))))
    }
}
