import Foundation
import Testing
@testable import Intake

@Suite struct TimestampParserTests {
    /// 2026-03-01T09:30:00Z
    static let reference = 1_772_357_400.0

    @Test(arguments: [
        ("2026-03-01T09:30:00Z", 0.0), ("2026-03-01T09:30:00.5Z", 0.5), ("2026-03-01T09:30:00.123456Z", 0.123456),
        ("2026-03-01T10:30:00+01:00", 0), ("2026-03-01T10:30:00+0100", 0), ("2026-03-01T10:30:00+01", 0),
        ("2026-03-01T04:30:00-05:00", 0), ("2026-03-01T09:30:00", 0), ("2026-03-01 09:30:00Z", 0),
        ("2026-03-01T09:30Z", 0), ("2026-03-01t09:30:00z", 0), ("2026-03-01T15:00:00.250+05:30", 0.25),
        ("2026-03-01", -34_200),
    ])
    func parses(input: String, offsetFromReference: Double) throws {
        let date = try #require(TimestampParser.date(from: input))
        #expect(abs(date.timeIntervalSince1970 - (Self.reference + offsetFromReference)) < 1e-5)
    }

    @Test func knownEpochs() {
        #expect(TimestampParser.date(from: "1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(TimestampParser.date(from: "2000-02-29T00:00:00Z")?.timeIntervalSince1970 == 951_782_400)
        #expect(TimestampParser.date(from: "1969-12-31T23:59:59Z")?.timeIntervalSince1970 == -1)
    }

    @Test(arguments: [
        "", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2025-02-29", "2026-03-01T24:00:00Z",
        "2026-03-01T09:60:00Z", "2026-03-01T09:30:00+25:00", "2026-03-01T09:30:00ZZ", "03/01/2026",
        "2026-3-1", "2026-03-01T09:30:00.Z", "1772357400", "2026-03-01T09", "2026-03-01T09:30:00 +01:00",
    ])
    func rejects(input: String) {
        #expect(TimestampParser.date(from: input) == nil)
    }
}
