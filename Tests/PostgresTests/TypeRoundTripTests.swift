import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct TypeRoundTripTests {
    struct Profile: Codable, Equatable, Sendable {
        var title: String
        var tags: [String]
    }

    @Test func everyTypeRoundTripsWithValuesAndNull() async throws {
        let connection = try await TestDatabase.connect()
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let profile = Profile(title: "VP \"Sales\"", tags: ["a,b", "c\\d", "{e}"])
        let row = try await connection.query("""
            SELECT $1::int AS small, $2::bigint AS big, $3::float8 AS ratio, $4::bool AS flag,
                   $5::text AS name, $6::timestamptz AS at, $7::uuid AS id, $8::jsonb AS profile,
                   $9::text[] AS labels, $10::bigint[] AS counts
            """, [
                Int(-42), Int64.max, 0.1 + 0.2, true, "Zoë ☃", when, id, JSONValue(profile),
                ["x", "y z", "\"q\"", ""], [Int64(1), -2, 3],
            ])[0]
        #expect(try row.decode("small") == -42)
        #expect(try row.decode("big") == Int64.max)
        #expect(try row.decode("ratio") == 0.1 + 0.2)
        #expect(try row.decode("flag") == true)
        #expect(try row.decode("name") == "Zoë ☃")
        let at: Date = try row.decode("at")
        #expect(abs(at.timeIntervalSince(when)) < 0.000_001)
        #expect(try row.decode("id") == id)
        #expect(try row.decode("profile", as: JSONValue<Profile>.self).value == profile)
        #expect(try row.decode("labels") == ["x", "y z", "\"q\"", ""])
        #expect(try row.decode("counts") == [Int64(1), -2, 3])

        let nulls = try await connection.query("""
            SELECT $1::int AS small, $2::bigint AS big, $3::float8 AS ratio, $4::bool AS flag,
                   $5::text AS name, $6::timestamptz AS at, $7::uuid AS id, $8::jsonb AS profile,
                   $9::text[] AS labels
            """, [Int?.none, Int64?.none, Double?.none, Bool?.none, String?.none, Date?.none, UUID?.none,
                  JSONValue<Profile>?.none, [String]?.none])[0]
        #expect(try nulls.decode("small", as: Int?.self) == nil)
        #expect(try nulls.decode("big", as: Int64?.self) == nil)
        #expect(try nulls.decode("ratio", as: Double?.self) == nil)
        #expect(try nulls.decode("flag", as: Bool?.self) == nil)
        #expect(try nulls.decode("name", as: String?.self) == nil)
        #expect(try nulls.decode("at", as: Date?.self) == nil)
        #expect(try nulls.decode("id", as: UUID?.self) == nil)
        #expect(try nulls.decode("profile", as: JSONValue<Profile>?.self) == nil)
        #expect(try nulls.decode("labels", as: [String]?.self) == nil)
        await connection.close()
    }

    @Test func timestampsFromOtherZonesAndPrecisionsDecodeToTheSameInstant() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("SET TimeZone = 'Asia/Kolkata'")
        let rows = try await connection.query("""
            SELECT '2026-03-29 01:30:00.5+00'::timestamptz AS a, '2026-03-29'::date AS b,
                   'infinity'::timestamptz AS c
            """)
        #expect(try rows[0].decode("a") == Date(timeIntervalSince1970: 1_774_747_800.5))
        #expect(try rows[0].decode("b") == Date(timeIntervalSince1970: 1_774_742_400))
        #expect(try rows[0].decode("c") == Date.distantFuture)
        await connection.close()
    }

    @Test func decodingErrorsNameTheColumnAndTheType() async throws {
        let connection = try await TestDatabase.connect()
        let row = try await connection.query("SELECT 'not a number'::text AS revenue, NULL::int AS employees")[0]
        let wrongType = #expect(throws: PostgresError.self) { try row.decode("revenue", as: Int.self) }
        #expect(wrongType?.code == .decoding)
        #expect(wrongType?.message.contains("\"revenue\"") == true)
        #expect(wrongType?.message.contains("Int") == true)
        #expect(wrongType?.message.contains("not a number") == false)
        let null = #expect(throws: PostgresError.self) { try row.decode("employees", as: Int.self) }
        #expect(null?.message.contains("\"employees\"") == true)
        #expect(null?.message.contains("NULL") == true)
        await connection.close()
    }

    @Test func hostileTextIsStoredAndReadBackUnchanged() async throws {
        let connection = try await TestDatabase.connect()
        let hostile = "'; DROP TABLE leads; --"
        let stored: String = try await connection.withTransaction { connection in
            try connection.execute("CREATE TEMP TABLE leads (name text) ON COMMIT DROP")
            try connection.query("INSERT INTO leads (name) VALUES ($1)", [hostile])
            let count: Int = try connection.query("SELECT count(*) FROM leads")[0].decode(0)
            #expect(count == 1)
            return try connection.query("SELECT name FROM leads WHERE name = $1", [hostile])[0].decode(0)
        }
        #expect(stored == hostile)
        await connection.close()
    }
}
