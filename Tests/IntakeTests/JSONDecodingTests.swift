import Foundation
import Testing
import Intake

@Suite struct JSONDecodingTests {
    func json(_ text: String) -> Data { Data(text.utf8) }

    @Test func decodesSnakeCaseKeysAndNumbers() throws {
        let lead = try IncomingLead.decode(json: json("""
            {"email": "a@example.com", "first_name": "Anna", "last_name": null, "annual_revenue": 2500000.0,
             "employees": 1200, "idempotency_key": "k1", "country": "DE"}
            """))
        #expect(lead == IncomingLead(email: "a@example.com", firstName: "Anna", employees: "1200",
                                     annualRevenue: "2500000", country: "DE", idempotencyKey: "k1"))
        let ranged = try IncomingLead.decode(json: json(#"{"email": "a@example.com", "employees": "1,000-5,000", "annual_revenue": 1.5}"#))
        #expect(ranged.employees == "1,000-5,000")
        #expect(ranged.annualRevenue == "1.5")
    }

    @Test func rejectsEveryUnknownKeyAndWrongTypeAtOnce() {
        #expect {
            _ = try IncomingLead.decode(json: json(#"{"emial": "a@example.com", "firstName": "A", "phone": 4989123, "title": ["x"]}"#))
        } throws: { error in
            let problems = (error as? IntakeRejection)?.problems ?? []
            return problems.map(\.description) == [
                "emial: not a field of this API", "firstName: not a field of this API",
                "title: expected a string", "phone: expected a string",
            ] && problems.map(\.code) == [.unknownField, .unknownField, .wrongType, .wrongType]
        }
        #expect(throws: IntakeRejection([IntakeProblem(field: "employees", code: .wrongType, reason: "expected a string or a number")])) {
            try IncomingLead.decode(json: json(#"{"email": "a@example.com", "employees": true}"#))
        }
    }

    @Test func rejectsBadJSONWithoutEchoingIt() {
        #expect(throws: IntakeRejection([IntakeProblem(field: nil, code: .invalidJSON, reason: "not valid JSON")])) {
            try IncomingLead.decode(json: json(#"{"email": "secret@example.com""#))
        }
        #expect(throws: IntakeRejection([IntakeProblem(field: nil, code: .invalidJSON, reason: "not a JSON object")])) {
            try IncomingLead.decode(json: json(#"["a@example.com"]"#))
        }
    }

    @Test func activityDecodingAndTheTypeRule() throws {
        let activity = try IncomingActivity.decode(json: json(#"{"email": "a@example.com", "type": "page_view", "url": "/pricing", "occurred_at": "2026-03-01T09:30:00Z"}"#))
        #expect(activity == IncomingActivity(email: "a@example.com", type: "page_view", url: "/pricing", occurredAt: "2026-03-01T09:30:00Z"))
        #expect(try IncomingRecord.decode(json: json(#"{"email": "a@example.com", "type": "demo"}"#)) == .activity(IncomingActivity(email: "a@example.com", type: "demo")))
        #expect(try IncomingRecord.decode(json: json(#"{"email": "a@example.com"}"#)) == .lead(IncomingLead(email: "a@example.com")))
        #expect(throws: IntakeRejection([IntakeProblem(field: "company", code: .unknownField, reason: "not a field of this API")])) {
            try IncomingRecord.decode(json: json(#"{"email": "a@example.com", "type": "demo", "company": "Acme"}"#))
        }
    }

    @Test func encodesBackToSnakeCase() throws {
        let lead = IncomingLead(email: "a@example.com", firstName: "Anna", annualRevenue: "10M")
        let data = try JSONEncoder().encode(lead)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object == ["email": "a@example.com", "first_name": "Anna", "annual_revenue": "10M"])
        #expect(try IncomingLead.decode(json: data) == lead)
    }
}
