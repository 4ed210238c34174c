import Foundation
import Testing
import Intake

@Suite struct ActivityNormalizerTests {
    let normalizer = ActivityNormalizer()

    @Test func normalizesAnAliasAndATimestamp() throws {
        let outcome = normalizer.normalize(IncomingActivity(
            email: " Lead@Example.com", type: "Page View", url: " https://example.com/pricing ", content: "",
            occurredAt: "2026-03-01T10:30:00+01:00", idempotencyKey: "evt-1"))
        let activity = try #require(outcome.record)
        #expect(activity == NormalizedActivity(
            email: "lead@example.com", type: "page_view", url: "https://example.com/pricing", content: nil,
            occurredAt: Date(timeIntervalSince1970: 1_772_357_400), idempotencyKey: "evt-1"))
    }

    @Test func missingTimestampIsNil() throws {
        let outcome = normalizer.normalize(IncomingActivity(email: "a@example.com", type: "demo request", occurredAt: " "))
        let activity = try #require(outcome.record)
        #expect(activity.type == "demo_request")
        #expect(activity.occurredAt == nil)
    }

    @Test func unknownTypeIsRejected() {
        let outcome = normalizer.normalize(IncomingActivity(email: "a@example.com", type: "purchase"))
        #expect(outcome.problems.map(\.description) == ["type: not a known activity type"])
        #expect(outcome.problems.map(\.code) == [.unknownActivityType])
    }

    @Test func pageViewNeedsAURL() {
        let outcome = normalizer.normalize(IncomingActivity(email: "a@example.com", type: "pageview", url: "  "))
        #expect(outcome.problems.map(\.description) == ["url: required for page_view"])
        #expect(normalizer.normalize(IncomingActivity(email: "a@example.com", type: "download")).isAccepted)
    }

    @Test func everyProblemIsReported() {
        let outcome = normalizer.normalize(IncomingActivity(email: "nobody", type: nil, occurredAt: "last tuesday"))
        #expect(outcome.problems.map(\.description) == [
            "email: not a valid e-mail address",
            "type: required",
            "occurred_at: not an ISO 8601 timestamp",
        ])
        let pageView = normalizer.normalize(IncomingActivity(type: "page_view", occurredAt: "2026-02-30T00:00:00Z"))
        #expect(pageView.problems.map(\.field) == ["email", "url", "occurred_at"])
    }
}
