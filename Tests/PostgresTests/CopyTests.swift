import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct CopyTests {
    @Test func copiesOneHundredThousandRowsInTextFormat() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE leads (id bigint PRIMARY KEY, email text, note text)")
        let copied = try await connection.copyFrom("COPY leads (id, email, note) FROM STDIN") { writer in
            for id in 0..<100_000 {
                try writer.writeTextRow([String(id), "lead\(id)@example.com", id % 10 == 0 ? nil : "tab\there\\ and\nnewline"])
            }
        }
        #expect(copied == 100_000)
        let summary = try await connection.query("""
            SELECT count(*), count(note), sum(id), max(note) FROM leads
            """)[0]
        #expect(try summary.decode(0) == 100_000)
        #expect(try summary.decode(1) == 90_000)
        #expect(try summary.decode(2) == Int64(99_999 * 100_000 / 2))
        #expect(try summary.decode(3) == "tab\there\\ and\nnewline")
        await connection.close()
    }

    @Test func copiesInBinaryFormat() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("""
            CREATE TEMP TABLE events (id bigint, n int, score float8, hot bool, email text, payload jsonb,
                                      at timestamptz, ref uuid)
            """)
        let at = Date(timeIntervalSince1970: 1_795_000_000.25)
        let ref = UUID()
        let copied = try await connection.copyFrom(
            "COPY events FROM STDIN WITH (FORMAT binary)", format: .binary
        ) { writer in
            for id in 0..<1_000 {
                try writer.beginBinaryRow(fieldCount: 8)
                writer.binaryField(Int64(id))
                writer.binaryField(Int32(id % 7))
                writer.binaryField(Double(id) / 4)
                writer.binaryField(id.isMultiple(of: 2))
                writer.binaryField(id == 0 ? nil : "e\(id)@example.com")
                writer.binaryField(jsonb: "{\"page\": \"/pricing\", \"n\": \(id)}")
                writer.binaryField(at)
                writer.binaryField(ref)
            }
        }
        #expect(copied == 1_000)
        let row = try await connection.query("""
            SELECT count(*), sum(n), sum(score), count(*) FILTER (WHERE hot), count(email),
                   sum((payload->>'n')::int), min(at), min(ref::text)
            FROM events
            """)[0]
        #expect(try row.decode(0) == 1_000)
        #expect(try row.decode(1) == (0..<1_000).reduce(0) { $0 + $1 % 7 })
        #expect(try row.decode(2) == Double(999 * 1_000 / 2) / 4)
        #expect(try row.decode(3) == 500)
        #expect(try row.decode(4) == 999)
        #expect(try row.decode(5) == 999 * 1_000 / 2)
        #expect(try row.decode(6) == at)
        #expect(try row.decode(7) == ref.uuidString.lowercased())
        await connection.close()
    }

    /// Text of every shape arrives byte for byte: empty, short (stored inside the string),
    /// long, non-ASCII, and a value larger than the writer's chunk.
    @Test func copiesTextOfEveryShapeExactly() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE texts (n int, body text)")
        let bodies = ["", "a", "short ✓", "Zoë Ångström, Ærøskøbing — a name longer than fifteen bytes",
                      String(repeating: "long line ", count: 40_000)]
        try await connection.copyFrom("COPY texts FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
            for (n, body) in bodies.enumerated() {
                try writer.beginBinaryRow(fieldCount: 2)
                writer.binaryField(Int32(n))
                writer.binaryField(body)
            }
        }
        let stored = try await connection.query("SELECT body FROM texts ORDER BY n").map { try $0.decode(0, as: String.self) }
        #expect(stored == bodies)
        await connection.close()
    }

    @Test func copiesArraysInBinaryFormat() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE batches (names text[], lines int[], ids bigint[], cells text[])")
        try await connection.copyFrom("COPY batches FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
            try writer.beginBinaryRow(fieldCount: 4)
            writer.binaryField(["Email", "", "Ünïcode, \"quoted\""])
            writer.binaryField([Int32(2), 3, 5])
            writer.binaryField([Int64(7), nil, 9])
            writer.binaryField(rows: [["a", "b"], ["c", ""], ["e", "f"]], columns: 2)
            try writer.beginBinaryRow(fieldCount: 4)
            writer.binaryField([String]())
            writer.binaryField([Int32]())
            writer.binaryField([Int64?]())
            writer.binaryField(rows: [], columns: 2)
        }
        let rows = try await connection.query("""
            SELECT names::text, lines::text, ids::text, cells::text, array_dims(cells), cells[2][1] FROM batches ORDER BY cardinality(names) DESC
            """)
        #expect(rows.count == 2)
        #expect(try rows[0].decode(0) == #"{Email,"","Ünïcode, \"quoted\""}"#)
        #expect(try rows[0].decode(1) == "{2,3,5}")
        #expect(try rows[0].decode(2) == "{7,NULL,9}")
        #expect(try rows[0].decode(3) == #"{{a,b},{c,""},{e,f}}"#)
        #expect(try rows[0].decode(4) == "[1:3][1:2]")
        #expect(try rows[0].decode(5) == "c")
        for column in 0..<4 { #expect(try rows[1].decode(column) == "{}") }
        await connection.close()
    }

    @Test func aBadRowHalfWayFailsWithTheServersErrorAndKeepsNothing() async throws {
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE leads (id bigint PRIMARY KEY, employees int)")
        let error = await #expect(throws: PostgresError.self) {
            try await connection.copyFrom("COPY leads FROM STDIN") { writer in
                for id in 0..<50_000 {
                    try writer.writeTextRow([String(id), id == 25_000 ? "about fifty" : String(id % 500)])
                }
            }
        }
        #expect(error?.sqlState == .invalidTextRepresentation)
        #expect(try await connection.query("SELECT count(*) FROM leads")[0].decode(0) == 0)
        // The session is usable afterwards.
        try await connection.copyFrom("COPY leads FROM STDIN") { writer in try writer.writeTextRow(["1", "2"]) }
        #expect(try await connection.query("SELECT count(*) FROM leads")[0].decode(0) == 1)
        await connection.close()
    }

    @Test func aClientErrorCancelsTheCopy() async throws {
        struct SourceBroke: Error {}
        let connection = try await TestDatabase.connect()
        try await connection.execute("CREATE TEMP TABLE leads (id bigint)")
        await #expect(throws: SourceBroke.self) {
            try await connection.copyFrom("COPY leads FROM STDIN") { writer in
                for id in 0..<10_000 { try writer.writeTextRow([String(id)]) }
                throw SourceBroke()
            }
        }
        #expect(try await connection.query("SELECT count(*) FROM leads")[0].decode(0) == 0)
        await connection.close()
    }
}
