import ArgumentParser
import Foundation
import Intake
import JobQueue
import LeadDomain
import LeadStore
import Logging
import Postgres
import Workers

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load leads from a CSV export (Salesforce, HubSpot or a mapping file) or from JSON lines.",
        discussion: """
            The file is streamed in constant memory, in batches. A CSV export is normalized,
            deduplicated and merged by this command as it reads, each batch in one transaction
            that also keeps the raw rows in the inbox (a batch to a row), linked to their lead or reject.
            JSON lines go to the inbox with COPY, and ingest workers started by this command (and
            any others running) turn them into leads and activities. It ends with a summary:
            new leads, merged, rejected, and the most common reasons. Rows that cannot be used
            are kept in the rejects table with their reason and original text.

              leadrelay import leads.csv --mapping salesforce
              leadrelay import contacts.csv --mapping hubspot --source trade-show
              producer | leadrelay import --jsonl -
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The file to read; - reads standard input.") var file: String
    @Option(help: "salesforce, hubspot, or a YAML mapping file (CSV only).") var mapping: String?
    @Flag(help: "Read JSON lines: one lead or activity object per line.") var jsonl = false
    @Option(help: "Source recorded on every record (default: import:<mapping>).") var source: String?
    @Option(help: "Rows per batch (one transaction each); a CSV batch also ends at 64 MiB of raw rows.") var batchSize: Int = 5_000
    @Option(help: "CSV: database connections writing batches in parallel.") var writers: Int = 2
    @Option(help: "JSON lines: ingest workers to run inside this command; 0 leaves the work to other workers.") var ingestWorkers: Int = 2
    @Flag(help: "JSON lines: return once the rows are in the inbox, without waiting for ingest.") var noWait = false

    func validate() throws {
        if jsonl == (mapping != nil) { throw ValidationError("give either --mapping (for CSV) or --jsonl") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if writers < 1 { throw ValidationError("--writers must be at least 1") }
        if noWait, ingestWorkers > 0 {
            // Workers inside this command stop when it returns, so --no-wait means no local workers.
        }
    }

    /// A CSV import is ingested as it loads, so it always has its totals at the end.
    private var waits: Bool { !noWait || !jsonl }

    func run() async throws {
        let logger = Observability.bootstrap(label: "leadrelay.import")
        let config = database.config(applicationName: "leadrelay import")
        let input = try InputFile(path: file)
        let loader = try makeLoader(input: input)
        var connections = [try await Connection.connect(config)]
        if !jsonl {
            for _ in 1..<writers { connections.append(try await Connection.connect(config)) }
        }
        let connection = connections[0]
        let progress = Progress(label: "import", total: input.size)
        let started = ContinuousClock.now

        let outcome = try await withThrowingTaskGroup(of: Void.self) { group -> ImportOutcome in
            if jsonl, ingestWorkers > 0, !noWait {
                for _ in 0..<ingestWorkers {
                    let worker = JobWorker(
                        handler: IngestJobHandler(freeMailDomains: KnownEmailDomains.freeMail), database: config,
                        configuration: WorkerConfiguration(batchSize: 4, pollInterval: .milliseconds(200)), logger: logger
                    )
                    group.addTask { try await worker.run() }
                }
            }
            var outcome = try await loader.load(into: connections, batchSize: batchSize, progress: progress, input: input)
            progress.update(rows: outcome.rowsRead, fraction: 1, force: true)
            progress.finish()
            if waits {
                outcome.ingest = try await waitForIngest(of: outcome.batches, on: connection, rows: outcome.rowsRead - outcome.unreadable)
            }
            group.cancelAll()
            return outcome
        }
        for connection in connections { await connection.close() }
        print(outcome.summary(file: file, elapsed: (ContinuousClock.now - started).seconds, waited: waits))
    }

    private func makeLoader(input: InputFile) throws -> ImportLoader {
        let freeMail = KnownEmailDomains.freeMail
        if jsonl { return ImportLoader(format: .jsonl, source: source ?? "import:jsonl", freeMailDomains: freeMail) }
        let name = mapping!
        let columns: ColumnMapping
        switch name {
        case "salesforce": columns = .salesforce
        case "hubspot": columns = .hubspot
        default:
            let text: String
            do { text = try String(contentsOfFile: name, encoding: .utf8) } catch {
                throw ValidationError("cannot read the mapping file \(name)")
            }
            columns = try ColumnMapping.yaml(text, file: name)
        }
        let label = ["salesforce", "hubspot"].contains(name) ? name : URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        return ImportLoader(format: .csv(columns), source: source ?? "import:\(label)", freeMailDomains: freeMail)
    }

    /// Waits until ingest has finished every batch of this import, showing its progress.
    private func waitForIngest(of batches: [Int64], on connection: Connection, rows: Int) async throws -> IngestTotals {
        // Created at the first poll that finds work left: a CSV import writes its leads
        // itself, so its batches are already ingested, and a bar would only show a rate of
        // every row over no time at all.
        var progress: Progress?
        while true {
            let row = try await connection.query("""
                SELECT count(*) FILTER (WHERE ingested_at IS NULL), COALESCE(sum(received) FILTER (WHERE ingested_at IS NOT NULL), 0),
                       COALESCE(sum(created), 0), COALESCE(sum(merged), 0), COALESCE(sum(rejected), 0),
                       COALESCE(sum(activities), 0)
                FROM intake_batches WHERE id = ANY ($1)
                """, [batches])[0]
            let pending: Int = try row.decode(0)
            let done: Int = try row.decode(1)
            if pending > 0, progress == nil { progress = Progress(label: "ingest", total: rows) }
            progress?.update(rows: done, fraction: rows == 0 ? 1 : Double(done) / Double(rows), force: pending == 0)
            if pending == 0 {
                progress?.finish()
                let reasons = try await connection.query("""
                    SELECT reason, count(*) FROM rejects WHERE batch_id = ANY ($1)
                    GROUP BY reason ORDER BY count(*) DESC, reason LIMIT 5
                    """, [batches]).map { (try $0.decode(0, as: String.self), try $0.decode(1, as: Int.self)) }
                return IngestTotals(
                    created: try row.decode(2), merged: try row.decode(3), activities: try row.decode(5),
                    rejected: try row.decode(4), reasons: reasons
                )
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// The file to import, or standard input.
struct InputFile: @unchecked Sendable {
    // FileHandle is thread-safe for reading from one task at a time, which is how it is used.
    let handle: FileHandle
    let size: Int?

    init(path: String) throws {
        if path == "-" {
            handle = .standardInput
            size = nil
            return
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("cannot open \(path)") }
        self.handle = handle
        size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }
}
