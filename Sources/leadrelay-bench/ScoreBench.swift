import Foundation
import LeadDomain
import LeadStore
import Postgres

// Scoring through the workers: `leadrelay worker --kinds score` processes drain one score
// job per lead, and each lead is loaded with its company and activities, scored against
// the active rule set, and written back (score, breakdown, history, stage), in the
// workers' own transactions. Beside it, in the same run, the domain-only rate: the same
// shape of leads through LeadDomain.Scorer alone, in this process, on one thread.
//
//   leadrelay-bench score [--leads N] [--activities 10] [--workers 1,2] [--batch-size 100]
//                         [--pool 50000] [--sample 2000] [--rules PATH] [--log-dir DIR] [--reuse]
//
// DATABASE_URL names a dedicated, migrated database (scripts/bench.d/score makes one):
// the bench fills it with companies, leads and activities, stores the rule file as the
// active rule set, and empties scores, histories and jobs between runs. LEADRELAY_BIN
// names the `leadrelay` program to start as workers (default .build/release/leadrelay).
// With --reuse, data that an earlier run left (same leads, activities and generator) is
// kept instead of generated again.

/// The benchmark's entry point, registered as "score" in main.swift.
func runScoreBench(_ arguments: [String]) async throws {
    let options = try ScoreBenchOptions(arguments)
    let database = PostgresConfig.fromEnvironment(applicationName: "leadrelay-bench score")
    try await ScoreBench(options: options, database: database).run()
}

struct ScoreBenchOptions {
    var leads = 1_000_000
    var activitiesPerLead = 10
    var workerCounts = [1, 2]
    var batchSize = 100
    var poolSize = 50_000
    var sampleSize = 2_000
    var rulesPath = "examples/rules.yaml"
    var logDirectory = ".local/bench"
    var reuse = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = rest.popFirst() else { throw BenchError("\(flag) needs a value") }
            return value
        }
        func number(_ flag: String, minimum: Int = 1) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")),
                  number >= minimum else {
                throw BenchError("\(flag) needs a whole number of at least \(minimum), not '\(text)'")
            }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--leads": leads = try number(flag)
            case "--activities": activitiesPerLead = try number(flag, minimum: 0)
            case "--batch-size": batchSize = try number(flag)
            case "--pool": poolSize = try number(flag)
            case "--sample": sampleSize = try number(flag, minimum: 0)
            case "--rules": rulesPath = try value(flag)
            case "--log-dir": logDirectory = try value(flag)
            case "--reuse": reuse = true
            case "--workers":
                let text = try value(flag)
                let counts = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !counts.isEmpty, counts.count == text.split(separator: ",").count else {
                    throw BenchError("--workers needs a list such as 1,2, not '\(text)'")
                }
                workerCounts = counts
            default:
                throw BenchError("unknown option '\(flag)'; options: --leads N --activities N --workers 1,2 --batch-size N "
                    + "--pool N --sample N --rules PATH --log-dir DIR --reuse")
            }
        }
        poolSize = min(poolSize, leads)
        sampleSize = min(sampleSize, leads)
    }
}

struct ScoreBench {
    let options: ScoreBenchOptions
    let database: PostgresConfig

    /// Bumped whenever the generator changes, so that --reuse never keeps data of another shape.
    static let generatorVersion = 1

    func run() async throws {
        let dataset = Dataset(leads: options.leads, activitiesPerLead: options.activitiesPerLead,
                              anchor: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let rules = try RuleSet.load(yaml: String(contentsOfFile: options.rulesPath, encoding: .utf8), file: options.rulesPath)
        let admin = try await Connection.connect(database)
        let server = try await admin.query("SHOW server_version")[0].decode(0, as: String.self)
        let fsync = try await admin.query("SHOW fsync")[0].decode(0, as: String.self)
        guard try await admin.query("SELECT to_regclass('leads') IS NOT NULL AND to_regclass('score_history') IS NOT NULL")[0]
            .decode(0, as: Bool.self) else {
            throw BenchError("the database has no scoring schema: run `leadrelay migrate` on it first")
        }
        let leadrelay = ProcessInfo.processInfo.environment["LEADRELAY_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ".build/release/leadrelay"
        guard FileManager.default.isExecutableFile(atPath: leadrelay) else {
            throw BenchError("no leadrelay program at \(leadrelay) (set LEADRELAY_BIN)")
        }
        say("score: \(options.leads.formatted()) leads × \(options.activitiesPerLead) activities, "
            + "\(dataset.companies.formatted()) companies; workers \(options.workerCounts.map(String.init).joined(separator: ", ")) "
            + "process(es), batch \(options.batchSize); PostgreSQL \(server), fsync \(fsync)")

        // 1. The data and the active rule set.
        let version = try await storeRuleSet(rules, on: admin)
        let anchor = try await prepareData(dataset, on: admin)
        let data = Dataset(leads: dataset.leads, activitiesPerLead: dataset.activitiesPerLead, anchor: anchor)

        // 2. The domain-only rate, on the same shape of leads, before the workers run.
        let scorer = Scorer(rules: rules, version: RuleVersion(label: rules.version, number: Int64(version)))
        say("domain only: scoring \(options.leads.formatted()) leads through LeadDomain.Scorer on one thread "
            + "(a pool of \(options.poolSize.formatted()) of the same generated leads, scored round and round) …")
        let domain = measureDomainScoring(data, scorer: scorer, leads: options.leads, poolSize: options.poolSize)
        say("domain only: \(format(domain.seconds)) s = \(rate(domain.rate)) leads/s (wall clock); thread CPU \(format(domain.cpu)) s "
            + "= \(rate(Double(options.leads) / domain.cpu)) leads/s per busy core; checksum \(domain.checksum)")

        // 3. The workers.
        var results: [WorkerRun] = []
        for workers in options.workerCounts {
            try await resetScores(on: admin)
            try await enqueueScoreJobs(on: admin)
            let run = try await runWorkers(workers, program: leadrelay, on: admin)
            try await verify(run, version: version, scorer: scorer, on: admin)
            results.append(run)
        }
        await admin.close()

        // 4. Side by side.
        say()
        say("scoring \(options.leads.formatted()) leads × \(options.activitiesPerLead) activities (batch \(options.batchSize))")
        say("  \(padRight("domain only: LeadDomain.Scorer, 1 thread, in process", 58)) \(pad(rate(domain.rate), 10)) leads/s")
        for run in results {
            let label = "through the workers: \(run.workers) × leadrelay worker --kinds score"
            say("  \(padRight(label, 58)) \(pad(rate(run.rate), 10)) leads/s  "
                + "\(String(format: "%.2f", 100 * run.rate / domain.rate))% of domain-only (1/\(Int((domain.rate / run.rate).rounded())))")
        }
        for run in results {
            let per = 1_000_000 / Double(options.leads)
            say("  CPU per 1,000,000 leads, \(run.workers) worker(s): worker processes \(format(run.cpu.workers * per)) s, "
                + "their PostgreSQL backends \(run.cpu.backends.map { format($0 * per) + " s" } ?? "n/a"), "
                + "whole cluster \(run.cpu.cluster.map { format($0 * per) + " s" } ?? "n/a"); "
                + "other processes on the machine \(run.cpu.others.map { format($0) + " s" } ?? "n/a") "
                + "over \(format(run.seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores; "
                + "peak worker resident set \(run.cpu.peakResidentMB.map { "\($0) MB" } ?? "n/a")")
        }
        if let one = results.first(where: { $0.workers == 1 }), let two = results.first(where: { $0.workers == 2 }) {
            say("  2 workers / 1 worker: \(String(format: "%.2f", two.rate / one.rate))×")
        }
    }

    // MARK: - Setup

    /// Stores the rule file and activates it, unless the active rule set is the same: the
    /// storage `leadrelay rules apply` uses, without its rescore, which the bench queues itself.
    private func storeRuleSet(_ rules: RuleSet, on connection: Connection) async throws -> Int {
        let json = String(decoding: rules.encodeJSON(), as: UTF8.self)
        let source = options.rulesPath
        let (version, isNew) = try await connection.withTransaction { connection in
            try connection.applyRuleSet(json: json, createdBy: "leadrelay-bench", comment: "scripts/bench score", sourceFile: source)
        }
        if isNew { say("score: rule set \(rules.version) from \(source) stored and active as version \(version)") }
        return version
    }

    /// Generates companies, leads and activities with binary COPY (unless --reuse finds the
    /// same data already there), then vacuums and analyzes. Returns the instant the
    /// activities were generated against (their "now").
    private func prepareData(_ dataset: Dataset, on connection: Connection) async throws -> Date {
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS bench_score_data (
                leads integer NOT NULL, activities_per_lead integer NOT NULL, generator integer NOT NULL,
                anchor timestamptz NOT NULL)
            """)
        if options.reuse, let row = try await connection.query("SELECT leads, activities_per_lead, generator, anchor FROM bench_score_data").first,
           try row.decode(0, as: Int.self) == dataset.leads, try row.decode(1, as: Int.self) == dataset.activitiesPerLead,
           try row.decode(2, as: Int.self) == Self.generatorVersion {
            let counts = try await connection.query("SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM activities)")[0]
            if try counts.decode(0, as: Int.self) == dataset.leads,
               try counts.decode(1, as: Int.self) == dataset.leads * dataset.activitiesPerLead {
                let anchor: Date = try row.decode(3)
                say("score: reusing the data already in the database (generated \(anchor))")
                return anchor
            }
        }
        try await connection.execute("TRUNCATE jobs, dead_jobs, score_history, stage_history, activities, leads, companies, bench_score_data RESTART IDENTITY CASCADE")

        let started = ContinuousClock.now
        // The generated rows reference each other correctly by construction; skipping the
        // per-row foreign-key triggers makes 10M activities load in a fraction of the time.
        // It needs superuser (the private cluster's user is); elsewhere the checks run.
        let skipsTriggers = (try? await connection.execute("SET session_replication_role = replica")) != nil
        // Secondary indexes are built once after the load instead of row by row.
        var dropped: [String] = []
        for table in ["companies", "leads", "activities"] {
            for row in try await connection.query("""
                SELECT quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                """, [table]) {
                try await connection.execute("DROP INDEX \(try row.decode(0, as: String.self))")
                dropped.append(try row.decode(1))
            }
        }

        let companyCount = dataset.companies
        let copiedCompanies = try await connection.copyFrom("""
            COPY companies (domain, name, industry, employees, annual_revenue, country, owner_rep) FROM STDIN WITH (FORMAT binary)
            """, format: .binary) { writer in
            for index in 0..<companyCount {
                let company = dataset.company(index)
                try writer.beginBinaryRow(fieldCount: 7)
                writer.binaryField(company.domain)
                writer.binaryField(company.name)
                writer.binaryField(company.industry)
                writer.binaryField(int32: company.employees)
                writer.binaryField(int64: company.revenue)
                writer.binaryField(company.country)
                writer.binaryField(company.owner)
            }
        }
        let companyBase = try await identityBase(of: "companies", count: copiedCompanies, expected: companyCount, on: connection)

        let leadCount = dataset.leads
        let progressStep = max(100_000, leadCount / 10)
        let copiedLeads = try await connection.copyFrom("""
            COPY leads (email, email_domain, free_mail, company_id, first_name, last_name, title, seniority, department,
                        company_name, industry, employees, annual_revenue, country, source, first_source, campaign, stage,
                        first_seen_at, stage_entered_at, updated_at) FROM STDIN WITH (FORMAT binary)
            """, format: .binary) { writer in
            for index in 0..<leadCount {
                let lead = dataset.lead(index, withActivities: false)
                try writer.beginBinaryRow(fieldCount: 21)
                writer.binaryField(lead.email)
                writer.binaryField(lead.domain)
                writer.binaryField(lead.freeMail)
                writer.binaryField(int64: lead.company.map { Int64(companyBase + $0) })
                writer.binaryField(lead.firstName)
                writer.binaryField(lead.lastName)
                writer.binaryField(lead.title)
                writer.binaryField(lead.seniority)
                writer.binaryField(lead.department)
                writer.binaryField(lead.companyName)
                writer.binaryField(lead.industry)
                writer.binaryField(int32: lead.employees)
                writer.binaryField(int64: lead.revenue)
                writer.binaryField(lead.country)
                writer.binaryField(lead.source)
                writer.binaryField(lead.source)
                writer.binaryField(lead.campaign)
                writer.binaryField("lead")
                writer.binaryField(lead.firstSeenAt)
                writer.binaryField(lead.firstSeenAt)
                writer.binaryField(lead.firstSeenAt)
                if (index + 1) % progressStep == 0 { say("  leads: \((index + 1).formatted()) of \(leadCount.formatted()) written") }
            }
        }
        let leadBase = try await identityBase(of: "leads", count: copiedLeads, expected: leadCount, on: connection)

        // Activities in chunks, one COPY (and transaction) per chunk, with progress.
        let chunk = max(10_000, min(100_000, leadCount / 10))
        var copiedActivities = 0
        var from = 0
        while from < leadCount {
            let (start, through) = (from, min(from + chunk, leadCount))
            copiedActivities += try await connection.copyFrom("""
                COPY activities (lead_id, type, url, content, occurred_at, source) FROM STDIN WITH (FORMAT binary)
                """, format: .binary) { writer in
                for index in start..<through {
                    let leadID = Int64(leadBase + index)
                    for activity in dataset.lead(index, withActivities: true).activities {
                        try writer.beginBinaryRow(fieldCount: 6)
                        writer.binaryField(leadID)
                        writer.binaryField(activity.type)
                        writer.binaryField(activity.url)
                        writer.binaryField(activity.content)
                        writer.binaryField(activity.occurredAt)
                        writer.binaryField(activity.source)
                    }
                }
            }
            from = through
            if from % progressStep < chunk || from == leadCount {
                say("  activities: \(copiedActivities.formatted()) of \((leadCount * dataset.activitiesPerLead).formatted()) written")
            }
        }
        guard copiedActivities == leadCount * dataset.activitiesPerLead else {
            throw BenchError("COPY loaded \(copiedActivities) activities, expected \(leadCount * dataset.activitiesPerLead)")
        }
        if skipsTriggers { try await connection.execute("SET session_replication_role = DEFAULT") }
        let loaded = ContinuousClock.now - started
        say("score: loaded \(copiedCompanies.formatted()) companies, \(copiedLeads.formatted()) leads, "
            + "\(copiedActivities.formatted()) activities in \(format(loaded)) s; building \(dropped.count) indexes, VACUUM ANALYZE …")
        try await connection.execute("SET maintenance_work_mem = '256MB'")
        for definition in dropped { try await connection.execute(definition) }
        try await connection.execute("VACUUM ANALYZE companies, leads, activities")
        try await connection.query("INSERT INTO bench_score_data VALUES ($1, $2, $3, $4)",
                                   [dataset.leads, dataset.activitiesPerLead, Self.generatorVersion, dataset.anchor])
        say("score: data ready in \(format(ContinuousClock.now - started)) s")
        return dataset.anchor
    }

    /// The id of the first row a COPY into a fresh table made; the rest follow one by one.
    private func identityBase(of table: String, count: Int, expected: Int, on connection: Connection) async throws -> Int {
        guard count == expected else { throw BenchError("COPY loaded \(count) rows into \(table), expected \(expected)") }
        let row = try await connection.query("SELECT min(id), max(id) FROM \(table)")[0]
        let low: Int = try row.decode(0)
        let high: Int = try row.decode(1)
        guard high - low + 1 == expected else { throw BenchError("\(table) ids \(low)…\(high) are not consecutive") }
        return low
    }

    /// Puts every lead back to unscored (stage lead, no score), empties the histories and
    /// the queue, and compacts the leads table, so that every run starts from the same state.
    private func resetScores(on connection: Connection) async throws {
        let started = ContinuousClock.now
        // CASCADE: later tables (outcomes, assignments …) refer to the histories; in this
        // database they hold nothing of value.
        try await connection.execute("TRUNCATE jobs, dead_jobs, score_history, stage_history CASCADE")
        let reset = try await connection.query("""
            UPDATE leads SET stage = 'lead', stage_entered_at = first_seen_at, mql_armed = true, fit_score = NULL,
                interest_score = NULL, quadrant = NULL, score_breakdown = NULL, scored_at = NULL, rule_version = NULL, rescore_at = NULL
            WHERE scored_at IS NOT NULL OR stage <> 'lead' OR rescore_at IS NOT NULL
            """).affectedRows
        if reset > 0 {
            // The update leaves a dead version of every row; rewrite the table so that the
            // next run finds it as compact as a freshly loaded one.
            try await connection.execute("VACUUM FULL leads")
            try await connection.execute("VACUUM ANALYZE leads")
            say("score: reset \(reset.formatted()) scored leads in \(format(ContinuousClock.now - started)) s")
        }
    }

    /// One score job per lead, as ingest enqueues them (kind score, key = the lead id
    /// zero-padded, as `JobRequest.key(forID:)` writes it), all ready, in lead order; then
    /// the queue is vacuumed, analyzed and checkpointed.
    private func enqueueScoreJobs(on connection: Connection) async throws {
        let started = ContinuousClock.now
        let count = try await connection.query("""
            INSERT INTO jobs (kind, key, payload, run_at)
            SELECT 'score', lpad(id::text, 19, '0'), '{}'::jsonb, now() - interval '1 minute' FROM leads ORDER BY id
            """).affectedRows
        guard count == options.leads else { throw BenchError("enqueued \(count) score jobs, expected \(options.leads)") }
        try await connection.execute("VACUUM ANALYZE jobs")
        _ = try? await connection.execute("CHECKPOINT")
        say("score: \(count.formatted()) score jobs enqueued in \(format(ContinuousClock.now - started)) s")
    }

    // MARK: - The measured runs

    struct WorkerRun {
        let workers: Int
        let seconds: Double
        var rate: Double { Double(leadsScored) / seconds }
        let leadsScored: Int
        let startedAt: Date
        let cpu: CPUSplit
    }

    struct CPUSplit {
        /// The worker processes, from start to exit.
        var workers: Double
        /// The backends of the workers' connections, until just before SIGTERM.
        var backends: Double?
        /// Every process of the PostgreSQL cluster (backends, WAL writer, autovacuum, checkpointer).
        var cluster: Double?
        /// Everything else that ran on the machine meanwhile (other people's builds, say).
        var others: Double?
        /// The peak resident set of the largest worker process (VmHWM, read before SIGTERM).
        var peakResidentMB: Int?
    }

    /// Starts the worker processes, times them from their start until no score job is
    /// left, then stops them with SIGTERM; each must exit 0.
    private func runWorkers(_ count: Int, program: String, on connection: Connection) async throws -> WorkerRun {
        let logDirectory = URL(fileURLWithPath: options.logDirectory, isDirectory: true)
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let postmaster = try await postmasterPID(on: connection)
        let serverStart: Date = try await connection.query("SELECT now()")[0].decode(0)

        let machineBefore = machineBusySeconds()
        let clusterBefore = postmaster.flatMap(clusterCPUSeconds)
        let childrenBefore = childrenCPUSeconds()
        let selfBefore = ownCPUSeconds()

        say("workers \(count): starting \(count) × `leadrelay worker --kinds score --batch-size \(options.batchSize)` "
            + "(logs in \(logDirectory.path)/score-worker-\(count)-N.log) …")
        let started = ContinuousClock.now
        var processes: [(process: Process, log: URL)] = []
        var finished: ContinuousClock.Instant?
        var failure: String?
        var backends: Double?
        do {
            for number in 1...count {
                let log = logDirectory.appendingPathComponent("score-worker-\(count)-\(number).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: program)
                process.arguments = ["worker", "--kinds", "score", "--batch-size", String(options.batchSize)]
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                try? handle.close()
                processes.append((process, log))
            }

            var lastProgress = ContinuousClock.now
            var lastRemaining = options.leads
            var lastChange = ContinuousClock.now
            while finished == nil {
                try await Task.sleep(for: .milliseconds(100))
                if try await connection.query("SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE kind = 'score')")[0].decode(0, as: Bool.self) {
                    finished = .now
                    break
                }
                if let dead = processes.first(where: { !$0.process.isRunning }) {
                    failure = "a worker process exited early (status \(dead.process.terminationStatus)); see \(dead.log.path)"
                    break
                }
                if ContinuousClock.now - lastProgress >= .seconds(10) {
                    lastProgress = .now
                    let remaining: Int = try await connection.query("SELECT count(*) FROM jobs WHERE kind = 'score'")[0].decode(0)
                    let done = options.leads - remaining
                    let elapsed = (ContinuousClock.now - started).seconds
                    let resident = processes.compactMap { residentMB($0.process.processIdentifier, "VmRSS") }.map { "\($0)" }
                    say("  workers \(count): \(done.formatted()) of \(options.leads.formatted()) leads scored after \(format(elapsed)) s "
                        + "(\(rate(Double(done) / elapsed)) leads/s so far; worker RSS \(resident.joined(separator: ", ")) MB)")
                    if remaining != lastRemaining { lastRemaining = remaining; lastChange = .now }
                    if ContinuousClock.now - lastChange >= .seconds(60) {
                        failure = "no score job finished for 60 s, at \(remaining) left"
                        break
                    }
                }
            }

            // CPU of the workers' backends, read while they still exist.
            if failure == nil {
                let pids: [Int32] = try await connection.query(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = 'leadrelay worker'").map { try $0.decode(0) }
                let seconds = pids.compactMap(processCPUSeconds)
                backends = seconds.count == pids.count && !pids.isEmpty ? seconds.reduce(0, +) : nil
            }
        } catch {
            // Never leave workers running behind a failed bench.
            for entry in processes where entry.process.isRunning { entry.process.terminate() }
            throw error
        }
        let peakResident = processes.compactMap { residentMB($0.process.processIdentifier, "VmHWM") }.max()
        for entry in processes where entry.process.isRunning { entry.process.terminate() }
        let deadline = ContinuousClock.now + .seconds(60)
        while processes.contains(where: { $0.process.isRunning }) {
            if ContinuousClock.now > deadline {
                for entry in processes where entry.process.isRunning { kill(entry.process.processIdentifier, SIGKILL) }
                throw BenchError("worker processes did not exit within 60 s of SIGTERM")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if let failure {
            for entry in processes { tail(entry.log) }
            throw BenchError("workers \(count): \(failure)")
        }
        for entry in processes where entry.process.terminationReason != .exit || entry.process.terminationStatus != 0 {
            tail(entry.log)
            throw BenchError("a worker process ended with status \(entry.process.terminationStatus) after SIGTERM; see \(entry.log.path)")
        }

        let workersCPU = childrenCPUSeconds() - childrenBefore
        let cluster = difference(clusterBefore, postmaster.flatMap(clusterCPUSeconds))
        let machine = difference(machineBefore, machineBusySeconds())
        let others = machine.map { machine in max(0, machine - workersCPU - (cluster ?? 0) - (ownCPUSeconds() - selfBefore)) }
        let seconds = (finished! - started).seconds
        let run = WorkerRun(workers: count, seconds: seconds, leadsScored: options.leads, startedAt: serverStart,
                            cpu: CPUSplit(workers: workersCPU, backends: backends, cluster: cluster, others: cluster == nil ? nil : others,
                                          peakResidentMB: peakResident))
        say("workers \(count): \(options.leads.formatted()) leads in \(format(seconds)) s = \(rate(run.rate)) leads/s "
            + "(CPU: workers \(format(workersCPU)) s, their backends \(backends.map(format) ?? "n/a") s, "
            + "cluster \(cluster.map(format) ?? "n/a") s, other processes \(run.cpu.others.map(format) ?? "n/a") s; "
            + "peak worker RSS \(peakResident.map { "\($0) MB" } ?? "n/a"))")
        return run
    }

    // MARK: - Verification

    /// Every lead scored in this run with the active version, every job gone and none
    /// dead; a sample of leads scored again here gives the same fit and interest.
    private func verify(_ run: WorkerRun, version: Int, scorer: Scorer, on connection: Connection) async throws {
        let row = try await connection.query("""
            SELECT count(*), count(*) FILTER (WHERE scored_at IS NULL), count(*) FILTER (WHERE rule_version IS DISTINCT FROM $1),
                   count(*) FILTER (WHERE scored_at < $2), count(*) FILTER (WHERE score_breakdown IS NULL OR quadrant IS NULL)
            FROM leads
            """, [version, run.startedAt])[0]
        let (total, unscored, otherVersion, stale, incomplete): (Int, Int, Int, Int, Int) =
            (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3), try row.decode(4))
        let queue = try await connection.query("""
            SELECT (SELECT count(*) FROM jobs WHERE kind = 'score'), (SELECT count(*) FROM dead_jobs),
                   (SELECT count(*) FROM score_history), (SELECT count(*) FROM stage_history),
                   (SELECT count(*) FROM jobs WHERE kind = 'handoff')
            """)[0]
        let (left, dead, history, stages, handoffs): (Int, Int, Int, Int, Int) =
            (try queue.decode(0), try queue.decode(1), try queue.decode(2), try queue.decode(3), try queue.decode(4))
        var problems: [String] = []
        if total != options.leads { problems.append("\(total) leads in the table, expected \(options.leads)") }
        if unscored > 0 { problems.append("\(unscored) leads have no scored_at") }
        if otherVersion > 0 { problems.append("\(otherVersion) leads have a rule_version other than the active \(version)") }
        if stale > 0 { problems.append("\(stale) leads were scored before this run began") }
        if incomplete > 0 { problems.append("\(incomplete) leads have no breakdown or quadrant") }
        if left > 0 { problems.append("\(left) score jobs are left") }
        if dead > 0 { problems.append("\(dead) jobs went to the dead letters") }
        if history != options.leads { problems.append("\(history) score_history rows, expected one per lead (\(options.leads))") }

        // Score a sample again in this process, from what the database holds, at the
        // instant the worker scored it.
        var mismatches: [String] = []
        if options.sampleSize > 0 {
            let step = max(1, options.leads / options.sampleSize)
            let ids: [Int64] = try await connection.query("SELECT id FROM leads WHERE id % $1 = 0 ORDER BY id LIMIT $2",
                                                          [step, options.sampleSize]).map { try $0.decode(0) }
            let stored = try await loadStoredScores(ids: ids, on: connection)
            for lead in stored {
                let score = scorer.score(lead: lead.lead, activities: lead.activities, now: lead.scoredAt)
                if score.fit != lead.fit || score.interest != lead.interest || score.quadrant.rawValue != lead.quadrant {
                    mismatches.append("lead \(lead.id): stored fit \(lead.fit) interest \(lead.interest) \(lead.quadrant), "
                        + "here fit \(score.fit) interest \(score.interest) \(score.quadrant.rawValue)")
                }
            }
            if stored.count != ids.count { problems.append("the sample read \(stored.count) of \(ids.count) leads") }
            if !mismatches.isEmpty {
                problems.append("\(mismatches.count) of \(stored.count) sampled leads score differently here: "
                    + mismatches.prefix(3).joined(separator: "; "))
            }
        }
        guard problems.isEmpty else {
            throw BenchError("workers \(run.workers): the run is WRONG:\n  - " + problems.joined(separator: "\n  - "))
        }
        let quadrants = try await connection.query("SELECT quadrant, count(*) FROM leads GROUP BY 1 ORDER BY 1")
            .map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: Int.self).formatted())" }
        let stageCounts = try await connection.query("SELECT stage, count(*) FROM leads GROUP BY 1 ORDER BY 1")
            .map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: Int.self).formatted())" }
        say("workers \(run.workers): verified: all \(total.formatted()) leads scored in this run with rule version \(version), "
            + "no job left or dead, \(history.formatted()) score history rows, \(stages.formatted()) stage changes, "
            + "\(handoffs.formatted()) handoff jobs queued; \(options.sampleSize.formatted()) sampled leads score the same here")
        say("  quadrants: \(quadrants.joined(separator: ", ")); stages: \(stageCounts.joined(separator: ", "))")
    }

    private struct StoredScore {
        let id: Int64
        let lead: Lead
        var activities: [Activity]
        let fit: Int
        let interest: Int
        let quadrant: String
        let scoredAt: Date
    }

    /// The leads as the scoring worker reads them (LeadStore's leadsForScoring), with
    /// what the worker stored.
    private func loadStoredScores(ids: [Int64], on connection: Connection) async throws -> [StoredScore] {
        let rows = try await connection.query("""
            SELECT l.id, l.email, l.email_domain, l.free_mail, l.title, l.seniority, l.department,
                   COALESCE(l.industry, c.industry), COALESCE(l.employees, c.employees),
                   COALESCE(l.annual_revenue, c.annual_revenue), COALESCE(l.country, c.country), c.owner_rep,
                   l.fit_score, l.interest_score, l.quadrant, l.scored_at,
                   a.type, a.url, a.content, a.occurred_at
            FROM leads l
            LEFT JOIN companies c ON c.id = l.company_id
            LEFT JOIN activities a ON a.lead_id = l.id
            WHERE l.id = ANY($1::bigint[])
            ORDER BY l.id, a.occurred_at, a.id
            """, [ids])
        var leads: [StoredScore] = []
        for row in rows {
            let id: Int64 = try row.decode(0)
            if leads.last?.id != id {
                let lead = Dataset.domainLead(
                    email: try row.decode(1), domain: try row.decode(2), freeMail: try row.decode(3), title: try row.decode(4),
                    seniority: try row.decode(5), department: try row.decode(6), industry: try row.decode(7),
                    employees: try row.decode(8), revenue: try row.decode(9), country: try row.decode(10), owner: try row.decode(11))
                leads.append(StoredScore(id: id, lead: lead, activities: [], fit: try row.decode(12), interest: try row.decode(13),
                                         quadrant: try row.decode(14), scoredAt: try row.decode(15)))
            }
            if let type: String = try row.decode(16),
               let activity = Dataset.domainActivity(type: type, url: try row.decode(17), content: try row.decode(18),
                                                     occurredAt: try row.decode(19)) {
                leads[leads.count - 1].activities.append(activity)
            }
        }
        return leads
    }

    // MARK: - CPU accounting

    /// The postmaster's pid, from its pid file, when this user may read it.
    private func postmasterPID(on connection: Connection) async throws -> Int32? {
        guard let directory = try? await connection.query("SHOW data_directory")[0].decode(0, as: String.self),
              let text = try? String(contentsOfFile: directory + "/postmaster.pid", encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }
}

// MARK: - Domain-only rate

private struct DomainMeasurement {
    let seconds: Double
    let cpu: Double
    let checksum: Int
    let leads: Int
    var rate: Double { Double(leads) / seconds }
}

/// Scores `leads` leads through LeadDomain.Scorer alone on this thread: a pool of the same
/// generated leads (spread over the whole range), converted as the scoring worker converts
/// stored rows, scored round and round, each round at a later "now". Kept out of async
/// code: the work is synchronous, and the domain bench notes a Swift 6.3 optimizer crash
/// when such a loop sits in a coroutine.
private func measureDomainScoring(_ dataset: Dataset, scorer: Scorer, leads: Int, poolSize: Int) -> DomainMeasurement {
    let stride = max(1, dataset.leads / poolSize)
    let pool: [(lead: Lead, activities: [Activity])] = (0..<poolSize).map { number in
        let row = dataset.lead(min(number * stride, dataset.leads - 1), withActivities: true)
        let company = row.company.map(dataset.company)
        let lead = Dataset.domainLead(
            email: row.email, domain: row.domain, freeMail: row.freeMail, title: row.title, seniority: row.seniority,
            department: row.department, industry: row.industry ?? company?.industry, employees: row.employees ?? company?.employees,
            revenue: row.revenue ?? company?.revenue, country: row.country ?? company?.country, owner: company?.owner)
        return (lead, row.activities.compactMap { Dataset.domainActivity(type: $0.type, url: $0.url, content: $0.content, occurredAt: $0.occurredAt) })
    }
    let now = Date()
    var checksum = 0
    let cpuStart = threadCPUSeconds()
    let elapsed = ContinuousClock().measure {
        for number in 0..<leads {
            let sample = pool[number % poolSize]
            let at = now.addingTimeInterval(Double(number / poolSize) * 3600)
            let score = scorer.score(lead: sample.lead, activities: sample.activities, now: at)
            checksum &+= score.total &* 31 &+ score.breakdown.interest.count &+ score.quadrant.rawValue.utf8.count
        }
    }
    return DomainMeasurement(seconds: elapsed.seconds, cpu: threadCPUSeconds() - cpuStart, checksum: checksum, leads: leads)
}

// MARK: - The generated data

private struct CompanyRow {
    let domain: String
    let name: String
    let industry: String?
    let employees: Int?
    let revenue: Int64?
    let country: String?
    let owner: String?
}

private struct ActivityRow {
    let type: String
    let url: String?
    let content: String?
    let occurredAt: Date
    let source: String
}

private struct LeadRow {
    let email: String
    let domain: String
    let freeMail: Bool
    /// Index of the company (0-based), for company addresses.
    let company: Int?
    let firstName: String
    let lastName: String
    let title: String?
    let seniority: String?
    let department: String?
    let companyName: String?
    let industry: String?
    let employees: Int?
    let revenue: Int64?
    let country: String?
    let source: String
    let campaign: String?
    let firstSeenAt: Date
    var activities: [ActivityRow]
}

/// Leads, companies and activities that look like a B2B funnel's, the same on every run:
/// each lead and each company comes from its own seed, so any one of them can be made
/// again on its own (for the domain-only pool) without the others.
private struct Dataset: Sendable {
    let leads: Int
    let activitiesPerLead: Int
    /// The "now" the activities are spread back from (120 days).
    let anchor: Date

    /// One company per 20 leads, as in a typical B2B database.
    var companies: Int { max(10, leads / 20) }

    func company(_ index: Int) -> CompanyRow {
        var draw = BenchRandom(seed: 0xC0FF_EE00_0000_0000 ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let stem = Vocabulary.companyStems[draw.below(Vocabulary.companyStems.count)]
        let country = draw.chance(950) ? draw.weighted(Vocabulary.companyCountries) : nil
        let band = draw.weighted(Vocabulary.employeeBands)
        let employees = draw.chance(900) ? band.lowerBound + draw.below(band.count) : nil
        let revenue = draw.chance(750) ? Int64((employees ?? 50) * (80_000 + draw.below(220_000))) : nil
        return CompanyRow(
            domain: "\(stem)\(index).example", name: "\(stem.capitalized) \(index) \(Vocabulary.suffix(for: country))",
            industry: draw.chance(920) ? draw.weighted(Vocabulary.industries) : nil, employees: employees, revenue: revenue,
            country: country, owner: draw.chance(40) ? Vocabulary.reps[draw.below(Vocabulary.reps.count)] : nil)
    }

    func lead(_ index: Int, withActivities: Bool) -> LeadRow {
        var draw = BenchRandom(seed: 0x5C0E_BE4C_0000_0000 ^ UInt64(index) &* 0xBF58_476D_1CE4_E5B9)
        let first = Vocabulary.firstNames[draw.below(Vocabulary.firstNames.count)]
        let last = Vocabulary.lastNames[draw.below(Vocabulary.lastNames.count)]
        let kind = draw.below(1000)
        var company: Int?
        let domain: String
        var freeMail = false
        switch kind {
        case 0..<180:
            domain = draw.weighted(Vocabulary.freeMail)
            freeMail = true
        case 180..<205: domain = Vocabulary.disposable[draw.below(Vocabulary.disposable.count)]
        case 205..<210: domain = Vocabulary.competitors[draw.below(Vocabulary.competitors.count)]
        default:
            // A few companies have many leads, most have a handful.
            let pick = min(companies - 1, Int(pow(draw.unit(), 2.2) * Double(companies)))
            company = pick
            domain = self.company(pick).domain
        }
        let title = draw.weighted(Vocabulary.titles)
        let seniority = title.seniority.isEmpty || !draw.chance(700) ? nil : title.seniority
        let department = title.department.isEmpty || !draw.chance(650) ? nil : title.department
        // Self-reported on forms: free-mail leads say more about their company themselves.
        let selfReported = company == nil ? draw.chance(300) : draw.chance(50)
        let industry = selfReported ? draw.weighted(Vocabulary.industries) : nil
        let employees = selfReported && draw.chance(600) ? Vocabulary.employeeBands[draw.below(Vocabulary.employeeBands.count)].value.lowerBound + draw.below(50) : nil
        let revenue: Int64? = selfReported && draw.chance(300) ? Int64(draw.below(200_000_000)) : nil
        let country = draw.chance(600) ? draw.weighted(Vocabulary.leadCountries) : nil
        let source = draw.weighted(Vocabulary.sources)
        let campaign = draw.chance(400) ? Vocabulary.campaigns[draw.below(Vocabulary.campaigns.count)] : nil
        let firstSeenAt = anchor.addingTimeInterval(-Double(121 * 86_400 + draw.below(240 * 86_400)))
        var row = LeadRow(
            email: "\(first).\(last).\(index)@\(domain)", domain: domain, freeMail: freeMail, company: company,
            firstName: first.capitalized, lastName: last.capitalized, title: title.title, seniority: seniority, department: department,
            companyName: company == nil ? (selfReported ? "Self-reported \(index % 977)" : nil) : nil,
            industry: industry, employees: employees, revenue: revenue, country: country, source: source, campaign: campaign,
            firstSeenAt: firstSeenAt, activities: [])
        guard withActivities else { return row }

        // Some leads were busy lately, others went quiet: offsets over 120 days, skewed
        // towards now by a per-lead exponent, oldest first.
        let skew = 0.4 + 2.6 * draw.unit()
        var offsets = (0..<activitiesPerLead).map { _ in Int(pow(draw.unit(), skew) * Double(120 * 86_400)) }
        offsets.sort(by: >)
        row.activities.reserveCapacity(activitiesPerLead)
        for offset in offsets {
            let at = anchor.addingTimeInterval(-Double(offset))
            let source = draw.chance(800) ? "web" : "marketo"
            let type = draw.weighted(Vocabulary.activityTypes)
            let activity: ActivityRow
            switch type {
            case "page_view", "email_click":
                activity = ActivityRow(type: type, url: draw.weighted(Vocabulary.pages), content: nil, occurredAt: at, source: source)
            case "content_download":
                activity = ActivityRow(type: type, url: nil, content: draw.weighted(Vocabulary.downloads), occurredAt: at, source: source)
            case "email_open":
                activity = ActivityRow(type: type, url: nil, content: Vocabulary.newsletters[draw.below(Vocabulary.newsletters.count)],
                                       occurredAt: at, source: "marketo")
            case "webinar_registered", "webinar_attended":
                activity = ActivityRow(type: type, url: nil, content: Vocabulary.webinars[draw.below(Vocabulary.webinars.count)],
                                       occurredAt: at, source: source)
            case "form_submission":
                activity = ActivityRow(type: type, url: "https://northwind.example/contact", content: draw.chance(600) ? "contact-us" : "newsletter-signup",
                                       occurredAt: at, source: "web")
            case "event_attended":
                activity = ActivityRow(type: type, url: nil, content: "saastr-europa-2026", occurredAt: at, source: "salesforce")
            default:
                activity = ActivityRow(type: type, url: "https://northwind.example/\(type == "demo_request" ? "demo" : "trial")",
                                       content: nil, occurredAt: at, source: "web")
            }
            row.activities.append(activity)
        }
        return row
    }

    /// A stored lead as LeadDomain sees it: the conversion the scoring worker makes
    /// (Workers' LeadScoring.lead), with the company's values filled in where the lead has none.
    static func domainLead(email: String, domain: String, freeMail: Bool, title: String?, seniority: String?, department: String?,
                           industry: String?, employees: Int?, revenue: Int64?, country: String?, owner: String?) -> Lead {
        Lead(email: email, emailDomain: domain, isFreeMail: freeMail, title: title, seniority: seniority, department: department,
             company: Company(industry: industry, employeeCount: employees, annualRevenue: revenue, country: country,
                              accountOwner: owner.map(RepID.init(rawValue:))))
    }

    /// Activity types outside LeadDomain's list do not score (as in the worker).
    static func domainActivity(type: String, url: String?, content: String?, occurredAt: Date) -> Activity? {
        ActivityType(rawValue: type).map { Activity(type: $0, url: url, content: content, occurredAt: occurredAt) }
    }
}

/// Weighted choices, each a list of (weight, value).
private enum Vocabulary {
    static let companyStems = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell",
                               "cyberdyne", "soylent", "vandelay", "dunder", "prestige", "massive", "aperture", "oscorp",
                               "gringotts", "monarch", "sterling"]
    static let industries: Weighted<String> = Weighted([
        (18, "Software"), (14, "SaaS"), (10, "E-Commerce"), (7, "Fintech"), (9, "Financial Services"), (6, "Media"),
        (4, "Telecommunications"), (5, "Healthcare Technology"), (8, "Manufacturing"), (7, "Retail"), (4, "Education"),
        (2, "Government"), (2, "Non-Profit"), (2, "Logistics"), (2, "Consulting"),
    ])
    static let employeeBands: Weighted<Range<Int>> = Weighted([(20, 1..<10), (40, 10..<200), (25, 200..<2_000), (15, 2_000..<50_000)])
    static let companyCountries: Weighted<String> = Weighted([
        (30, "US"), (8, "GB"), (10, "DE"), (5, "FR"), (5, "CA"), (3, "AT"), (3, "CH"), (4, "NL"), (3, "SE"), (4, "JP"),
        (4, "BR"), (3, "SG"), (4, "AU"), (5, "IN"), (3, "ES"), (2, "IE"),
    ])
    static let leadCountries = companyCountries
    static func suffix(for country: String?) -> String {
        switch country {
        case "DE", "AT", "CH": "GmbH"
        case "GB", "IE": "Ltd"
        case "FR": "SAS"
        case "NL": "B.V."
        case "SE": "AB"
        default: "Inc."
        }
    }
    static let freeMail: Weighted<String> = Weighted([
        (50, "gmail.com"), (12, "outlook.com"), (10, "yahoo.com"), (8, "hotmail.com"), (6, "icloud.com"), (5, "web.de"),
        (4, "gmx.de"), (3, "proton.me"), (2, "aol.com"),
    ])
    static let disposable = ["mailinator.com", "yopmail.com", "trashmail.com", "guerrillamail.com"]
    static let competitors = ["amplitude.com", "mixpanel.com", "heap.io", "pendo.io"]
    static let firstNames = ["ada", "grace", "alan", "linus", "margaret", "ken", "barbara", "dennis", "frances", "john",
                             "katherine", "tim", "radia", "guido", "hedy", "bjarne", "sophie", "yukihiro", "anita", "edsger"]
    static let lastNames = ["lovelace", "hopper", "turing", "torvalds", "hamilton", "thompson", "liskov", "ritchie", "allen",
                            "backus", "johnson", "berners", "perlman", "rossum", "lamarr", "stroustrup", "wilson", "matsumoto",
                            "borg", "dijkstra"]
    struct Title: Sendable {
        let title: String?
        let seniority: String
        let department: String
    }
    static let titles: Weighted<Title> = Weighted([
        (2, Title(title: "VP Analytics", seniority: "VP", department: "Analytics")),
        (2, Title(title: "Head of Analytics", seniority: "Head", department: "Analytics")),
        (2, Title(title: "Director of Analytics", seniority: "Director", department: "Analytics")),
        (1, Title(title: "Chief Data Officer", seniority: "C-Level", department: "Data")),
        (2, Title(title: "Head of Data", seniority: "Head", department: "Data")),
        (2, Title(title: "VP Product", seniority: "VP", department: "Product")),
        (3, Title(title: "Head of Product", seniority: "Head", department: "Product")),
        (2, Title(title: "Director of Product", seniority: "Director", department: "Product")),
        (1, Title(title: "Chief Product Officer", seniority: "C-Level", department: "Product")),
        (4, Title(title: "Growth Marketing Manager", seniority: "Manager", department: "Marketing")),
        (3, Title(title: "Demand Generation Manager", seniority: "Manager", department: "Marketing")),
        (3, Title(title: "Marketing Operations Manager", seniority: "Manager", department: "Marketing")),
        (3, Title(title: "Head of Marketing", seniority: "Head", department: "Marketing")),
        (6, Title(title: "Data Analyst", seniority: "Individual Contributor", department: "Data")),
        (3, Title(title: "Senior Data Analyst", seniority: "Senior", department: "Data")),
        (3, Title(title: "Analytics Engineer", seniority: "Individual Contributor", department: "Engineering")),
        (4, Title(title: "Data Engineer", seniority: "Individual Contributor", department: "Engineering")),
        (3, Title(title: "Product Analyst", seniority: "Individual Contributor", department: "Product")),
        (3, Title(title: "Data Scientist", seniority: "Individual Contributor", department: "Data")),
        (8, Title(title: "Software Engineer", seniority: "Individual Contributor", department: "Engineering")),
        (4, Title(title: "Engineering Manager", seniority: "Manager", department: "Engineering")),
        (3, Title(title: "Director of Engineering", seniority: "Director", department: "Engineering")),
        (2, Title(title: "VP Engineering", seniority: "VP", department: "Engineering")),
        (2, Title(title: "CTO", seniority: "C-Level", department: "Engineering")),
        (2, Title(title: "CEO", seniority: "C-Level", department: "Executive")),
        (2, Title(title: "Founder", seniority: "C-Level", department: "Executive")),
        (4, Title(title: "Account Executive", seniority: "Individual Contributor", department: "Sales")),
        (3, Title(title: "Sales Manager", seniority: "Manager", department: "Sales")),
        (3, Title(title: "Customer Success Manager", seniority: "Manager", department: "Customer Success")),
        (2, Title(title: "Office Manager", seniority: "Manager", department: "Operations")),
        (2, Title(title: "HR Business Partner", seniority: "Individual Contributor", department: "Human Resources")),
        (3, Title(title: "Student", seniority: "", department: "")),
        (2, Title(title: "Marketing Intern", seniority: "Intern", department: "Marketing")),
        (1, Title(title: "PhD Candidate", seniority: "", department: "")),
        (3, Title(title: "Consultant", seniority: "Individual Contributor", department: "")),
        (5, Title(title: nil, seniority: "", department: "")),
    ])
    static let sources: Weighted<String> = Weighted([
        (35, "web_form"), (15, "webinar"), (20, "salesforce_import"), (10, "hubspot_import"), (12, "api"), (8, "trade_show"),
    ])
    static let campaigns = ["2026-q3-analytics-webinar", "2026-q4-pricing-launch", "2026-q4-linkedin-cdo", "2026-retention-ebook",
                            "2026-saastr-europa"]
    static let reps = ["marcus.oyelaran@northwind.example", "priya.raman@northwind.example", "lena.hoffmann@northwind.example",
                       "amelia.clarke@northwind.example", "wei.ling.tan@northwind.example"]
    /// Per mille: page views dominate, fast-track actions are rare.
    static let activityTypes: Weighted<String> = Weighted([
        (585, "page_view"), (130, "content_download"), (80, "email_open"), (80, "email_click"), (45, "webinar_registered"),
        (35, "webinar_attended"), (25, "form_submission"), (13, "event_attended"), (4, "demo_request"), (3, "free_trial_start"),
    ])
    static let pages: Weighted<String> = Weighted([
        (10, "https://northwind.example/pricing"), (3, "https://northwind.example/pricing/enterprise"),
        (2, "https://northwind.example/pricing?utm_source=linkedin&utm_medium=paid"),
        (3, "https://northwind.example/careers"), (2, "https://northwind.example/jobs/senior-data-engineer"),
        (4, "https://northwind.example/docs/integrations/segment"), (2, "https://northwind.example/docs/integrations/snowflake"),
        (3, "https://northwind.example/docs/api/events"), (8, "https://northwind.example/blog/funnel-metrics"),
        (7, "https://northwind.example/blog/retention-cohorts"), (6, "https://northwind.example/blog/north-star-metric"),
        (10, "https://northwind.example/product/dashboards"), (6, "https://northwind.example/product/experiments"),
        (11, "https://northwind.example/"), (4, "https://northwind.example/?utm_source=google&utm_medium=cpc"),
        (6, "https://northwind.example/customers"), (3, "https://northwind.example/customers/acme"),
        (5, "https://northwind.example/features/funnels"), (3, "https://northwind.example/about"),
        (3, "https://northwind.example/security"),
    ])
    static let downloads: Weighted<String> = Weighted([
        (4, "acme-case-study.pdf"), (3, "globex case study.pdf"), (3, "northwind-vs-mixpanel-comparison.pdf"),
        (2, "northwind-vs-amplitude.pdf"), (3, "buyers-guide-product-analytics.pdf"), (5, "state-of-analytics-2026.pdf"),
        (4, "funnel-metrics-ebook.pdf"), (3, "retention-playbook.pdf"),
    ])
    static let newsletters = ["newsletter-2026-09", "newsletter-2026-10", "newsletter-2026-11", "product-update-2026-10"]
    static let webinars = ["analytics-webinar-2026-09", "analytics-webinar-2026-10", "retention-masterclass-2026-11"]
}

/// A weighted list, drawn from with one random number and a binary search.
private struct Weighted<Value: Sendable>: Sendable {
    let values: [Value]
    let cumulative: [Int]
    var count: Int { values.count }

    init(_ entries: [(Int, Value)]) {
        values = entries.map(\.1)
        var sum = 0
        cumulative = entries.map { sum += $0.0; return sum }
    }

    subscript(index: Int) -> (weight: Int, value: Value) {
        (cumulative[index] - (index == 0 ? 0 : cumulative[index - 1]), values[index])
    }

    func pick(_ roll: Int) -> Value {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > roll { high = middle } else { low = middle + 1 }
        }
        return values[low]
    }
}

extension BenchRandom {
    fileprivate mutating func weighted<Value>(_ list: Weighted<Value>) -> Value { list.pick(below(list.cumulative.last!)) }
}

// MARK: - Small helpers

private extension CopyWriter {
    mutating func binaryField(int32 value: Int?) {
        if let value { binaryField(Int32(value)) } else { binaryNull() }
    }

    mutating func binaryField(int64 value: Int64?) {
        if let value { binaryField(value) } else { binaryNull() }
    }
}

private func difference(_ before: Double?, _ after: Double?) -> Double? {
    guard let before, let after else { return nil }
    return after - before
}

/// CPU seconds (user + system) of one process, from /proc; nil when it cannot be read.
private func processCPUSeconds(_ pid: Int32) -> Double? {
    procStat(pid).map { ($0[11] + $0[12]) / clockTicks }
}

/// CPU seconds of the whole PostgreSQL cluster: the postmaster with every child it has
/// reaped (cutime, cstime), plus the children alive now.
private func clusterCPUSeconds(_ postmaster: Int32) -> Double? {
    guard let own = procStat(postmaster) else { return nil }
    var total = (own[11] + own[12] + own[13] + own[14]) / clockTicks
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
        guard let pid = Int32(entry), pid != postmaster, let stat = procStat(pid), Int32(stat[1]) == postmaster else { continue }
        total += (stat[11] + stat[12]) / clockTicks
    }
    return total
}

/// The fields of /proc/PID/stat after the command name, from field 3 (state) on; the
/// state itself reads as 0.
private func procStat(_ pid: Int32) -> [Double]? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ").map { Double($0) ?? 0 }
    return fields.count > 14 ? fields : nil
}

private let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))

/// Busy CPU seconds of the whole machine so far (all cores), from /proc/stat.
private func machineBusySeconds() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
    let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard values.count >= 5 else { return nil }
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    return (values.reduce(0, +) - values[3] - values[4]) / clockTicks
}

/// CPU seconds of this process's children that have been waited for (the worker processes).
private func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_CHILDREN.rawValue), &usage)
    return usage.ru_utime.seconds + usage.ru_stime.seconds
}

/// A "VmRSS"/"VmHWM" line of /proc/PID/status, in MB. (getrusage's ru_maxrss of the
/// children is no use here: it counts the pages a child shared with this process before
/// its exec, and this process holds the domain-only pool.)
private func residentMB(_ pid: Int32, _ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
          let kilobytes = line.split(separator: " ").compactMap({ Int($0) }).first else { return nil }
    return kilobytes / 1024
}

private func ownCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_utime.seconds + usage.ru_stime.seconds
}

private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

private extension timeval {
    var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}

/// The last lines of a worker's log, to show why it failed.
private func tail(_ log: URL) {
    guard let text = try? String(contentsOf: log, encoding: .utf8) else { return }
    say("--- last lines of \(log.path):")
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).suffix(15) { say("  | \(line)") }
}

/// One line straight to standard output, unbuffered, so progress shows in a pipe.
private func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

private func rate(_ value: Double) -> String { Int(value.rounded()).formatted() }
private func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }
private func format(_ duration: Duration) -> String { format(duration.seconds) }
private func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
private func padRight(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

private extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
