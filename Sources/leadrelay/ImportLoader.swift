import Foundation
import Intake
import LeadStore
import Postgres
import Workers

/// Reads an export row by row and loads it in batches.
///
/// A CSV export is ingested here, batch by batch (``LeadIntake``): its rows are normalized
/// in this process while earlier batches are written, each batch in one transaction that
/// merges the leads and keeps the raw rows in the inbox, linked to their lead or reject.
/// Rows are spread over the connections by e-mail domain (a free-mail lead by its address),
/// so that each lead and each company is always written through the same connection, in
/// file order, while the connections write in parallel.
///
/// JSON lines (leads and activities) go to the inbox with one COPY and one ingest job per
/// batch, for the ingest workers. Rows that cannot even be parsed (a broken CSV record, a
/// line that is not JSON) go straight to the rejects table with their line and original text.
struct ImportLoader {
    enum Format {
        case csv(ColumnMapping)
        case jsonl
    }

    let format: Format
    let source: String
    let freeMailDomains: Set<String>

    func load(into connections: [Connection], batchSize: Int, progress: Progress, input: InputFile) async throws -> ImportOutcome {
        let counter = ByteCounter()
        let chunks = CountingSource(base: FileHandleChunkSource(input.handle), counter: counter)
        var outcome = ImportOutcome()
        let intake = LeadIntake(freeMailDomains: freeMailDomains)
        var lanes = connections.map(ImportLane.init(connection:))
        var header: [String] = []

        func flush(_ lane: Int) async throws {
            outcome.batches += try await lanes[lane].flush(intake: intake, header: header, source: source)
        }

        func reject(line: Int, reason: String, original: String) {
            outcome.unreadable += 1
            outcome.unreadableReasons[reason, default: 0] += 1
            lanes[0].rejects.append(Reject(batchID: nil, source: source, position: line, reason: reason, payload: original))
        }

        switch format {
        case .csv(let mapping):
            var reader = CSVReader(source: chunks)
            guard let headerRow = try reader.next() else {
                throw ImportError("the file is empty: a CSV export starts with a header row")
            }
            header = headerRow.fields
            let bound = try mapping.bind(header: header)
            while let row = try reader.next() {
                outcome.rowsRead += 1
                var lane = 0
                if let problem = row.problem ?? Self.fieldCountProblem(row, header: headerRow) {
                    reject(line: row.line, reason: problem.description, original: OriginalRecord.csv(header: header, fields: row.fields).text)
                } else {
                    let record = intake.prepare(bound.lead(from: row.fields), fields: row.fields, line: row.line)
                    lane = record.lane(among: lanes.count)
                    lanes[lane].append(record)
                }
                if lanes[lane].isFull(batchSize) { try await flush(lane) }
                progress.update(rows: outcome.rowsRead, fraction: input.size.map { Double(counter.bytes) / Double(max($0, 1)) })
            }
        case .jsonl:
            var lines = LineReader(source: chunks)
            while let line = try lines.next() {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if text.allSatisfy(\.isWhitespace) { continue }
                outcome.rowsRead += 1
                if line.isTooLong {
                    reject(line: line.number, reason: "the line is longer than the 1 MiB limit", original: String(text.prefix(1000)))
                } else {
                    do {
                        switch try IncomingRecord.decode(json: Data(line.bytes)) {
                        case .lead: lanes[0].records.append(InboxRecord(type: .lead, payload: text, position: line.number))
                        case .activity: lanes[0].records.append(InboxRecord(type: .activity, payload: text, position: line.number))
                        }
                    } catch {
                        reject(line: line.number, reason: error.description, original: text)
                    }
                }
                if lanes[0].isFull(batchSize) { try await flush(0) }
                progress.update(rows: outcome.rowsRead, fraction: input.size.map { Double(counter.bytes) / Double(max($0, 1)) })
            }
        }
        for lane in lanes.indices {
            try await flush(lane)
            outcome.batches += try await lanes[lane].finish()
        }
        try await Self.flushCommits(on: connections[0])
        return outcome
    }
}

extension ImportLoader {
    /// Makes every batch durable. Batches commit without waiting for their WAL to reach
    /// disk (each wait left a connection idle, and a bulk load commits every few thousand
    /// rows); one transaction that commits the ordinary way at the end flushes the WAL up to
    /// its own commit, so every batch before it with it. A crash before this point loses
    /// at most the last batches of an import that never reported success, and nothing
    /// that depends on them: a worker's ordinary commit after reading a batch flushes the
    /// batch's WAL first, the same way.
    static func flushCommits(on connection: Connection) async throws {
        try await connection.withTransaction { connection in
            // A transaction id makes a commit record to wait for.
            _ = try connection.query("SELECT pg_current_xact_id()")
        }
    }

    static func fieldCountProblem(_ row: CSVRow, header: CSVRow) -> IntakeProblem? {
        guard row.fields.count != header.fields.count else { return nil }
        return IntakeProblem(
            field: nil, code: .wrongFieldCount,
            reason: "the row has \(row.fields.count) fields but the header has \(header.fields.count)"
        )
    }
}

struct ImportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the ingest workers made of an import.
struct IngestTotals {
    var created = 0
    var merged = 0
    var activities = 0
    var rejected = 0
    var reasons: [(String, Int)] = []
}

struct ImportOutcome {
    var rowsRead = 0
    var batches: [Int64] = []
    /// Rows rejected before the inbox, because they could not be parsed.
    var unreadable = 0
    var unreadableReasons: [String: Int] = [:]
    var ingest: IngestTotals?

    func summary(file: String, elapsed: Double, waited: Bool) -> String {
        let rate = elapsed > 0 ? Int(Double(rowsRead) / elapsed) : rowsRead
        var lines = ["import: \(Progress.grouped(rowsRead)) rows from \(file) in \(String(format: "%.1f", elapsed)) s (\(Progress.grouped(rate)) rows/s)"]
        guard let ingest else {
            lines.append("  loaded into the inbox in \(batches.count) batches; ingest workers will process them")
            if unreadable > 0 { lines.append("  rejected before the inbox: \(unreadable)") }
            return lines.joined(separator: "\n")
        }
        let rejected = ingest.rejected + unreadable
        var accepted = "  accepted  \(Progress.grouped(ingest.created + ingest.merged + ingest.activities))  (new leads \(Progress.grouped(ingest.created)), merged into existing \(Progress.grouped(ingest.merged))"
        if ingest.activities > 0 { accepted += ", activities \(Progress.grouped(ingest.activities))" }
        lines.append(accepted + ")")
        lines.append("  rejected  \(Progress.grouped(rejected))")
        var reasons = ingest.reasons
        for (reason, count) in unreadableReasons { reasons.append((reason, count)) }
        reasons.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        if !reasons.isEmpty {
            lines.append("  first reasons (all of them are in the rejects table):")
            for (reason, count) in reasons.prefix(5) { lines.append("    \(count)× \(reason)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Counts the bytes a chunk source has handed out, for the progress bar. The readers own
/// their source, so the count lives in a shared box.
struct CountingSource<Base: ByteChunkSource>: ByteChunkSource {
    var base: Base
    let counter: ByteCounter

    mutating func nextChunk() throws -> [UInt8]? {
        let chunk = try base.nextChunk()
        counter.bytes += chunk?.count ?? 0
        return chunk
    }
}

final class ByteCounter {
    var bytes = 0
}
