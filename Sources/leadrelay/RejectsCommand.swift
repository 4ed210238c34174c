import ArgumentParser
import Foundation
import LeadStore
import Postgres

struct RejectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejects",
        abstract: "Show the records that could not be used, with their reasons and original text.",
        subcommands: [List.self, Export.self]
    )

    struct Filter: ParsableArguments {
        @Option(help: "Only rejects from this time on (ISO 8601, e.g. 2026-11-01 or 2026-11-01T08:00:00Z).") var since: String?
        @Option(help: "Only rejects from this source, e.g. api or import:salesforce.") var source: String?
        @Option(help: "Only rejects of this intake batch.") var batch: Int64?

        func filter() throws -> RejectFilter {
            var date: Date?
            if let since {
                let formats = ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"]
                date = formats.lazy.compactMap { format -> Date? in
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "en_US_POSIX")
                    formatter.timeZone = TimeZone(identifier: "UTC")
                    formatter.dateFormat = format
                    return formatter.date(from: since)
                }.first
                guard date != nil else { throw ValidationError("--since: not an ISO 8601 date or time") }
            }
            return RejectFilter(since: date, source: source, batchID: batch)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest rejects as a table: when, source, line, reason.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filter: Filter
        @Option(help: "How many to show.") var limit: Int = 50

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rejects"))
            let filter = try filter.filter()
            let total: Int = try await connection.query("""
                SELECT count(*) FROM rejects
                WHERE ($1::timestamptz IS NULL OR rejected_at >= $1) AND ($2::text IS NULL OR source = $2)
                  AND ($3::bigint IS NULL OR batch_id = $3)
                """, [filter.since, filter.source, filter.batchID])[0].decode(0)
            let firstID: Int64 = try await connection.query("""
                SELECT COALESCE(min(id) - 1, 0) FROM (
                    SELECT id FROM rejects
                    WHERE ($1::timestamptz IS NULL OR rejected_at >= $1) AND ($2::text IS NULL OR source = $2)
                      AND ($3::bigint IS NULL OR batch_id = $3)
                    ORDER BY id DESC LIMIT $4) latest
                """, [filter.since, filter.source, filter.batchID, limit])[0].decode(0)
            let rejects = try await connection.rejects(filter, afterID: firstID, limit: limit)
            await connection.close()
            let table = TextTable(headers: ["id", "rejected at", "source", "line", "reason"], rightAligned: [0, 3])
            for reject in rejects {
                table.add([
                    String(reject.id), ISO8601DateFormatter().string(from: reject.rejectedAt), reject.source,
                    reject.position.map(String.init) ?? "", reject.reason,
                ])
            }
            print(table.render())
            print("rejects: showing \(rejects.count) of \(total); `leadrelay rejects export` writes them all with their original text")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every matching reject as JSON lines, with its original record, to standard output.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var filter: Filter

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay rejects"))
            let filter = try filter.filter()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encoder.dateEncodingStrategy = .iso8601
            var afterID: Int64 = 0
            var written = 0
            while true {
                let page = try await connection.rejects(filter, afterID: afterID, limit: 5_000)
                guard let last = page.last else { break }
                var out = Data()
                for reject in page {
                    let line = ExportedReject(
                        id: reject.id, batch: reject.batchID, source: reject.source, line: reject.position,
                        reason: reject.reason, rejectedAt: reject.rejectedAt, original: reject.payload
                    )
                    out.append(try encoder.encode(line))
                    out.append(UInt8(ascii: "\n"))
                }
                FileHandle.standardOutput.write(out)
                written += page.count
                afterID = last.id
            }
            await connection.close()
            FileHandle.standardError.write(Data("rejects: exported \(written)\n".utf8))
        }
    }

    struct ExportedReject: Encodable {
        let id: Int64
        let batch: Int64?
        let source: String
        let line: Int?
        let reason: String
        let rejectedAt: Date
        let original: String

        enum CodingKeys: String, CodingKey {
            case id, batch, source, line, reason, original
            case rejectedAt = "rejected_at"
        }
    }
}
