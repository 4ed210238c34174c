import ArgumentParser
import Foundation
import Postgres
import UnixSignals
import Workers

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show assignments live as handoff workers make them: all of them, or one rep's.",
        discussion: """
            One line per assignment: time, rep, lead e-mail, company, country, score (fit/interest)
            and the routing rule that matched. Ctrl-C or SIGTERM stops it. After a lost connection
            it listens again and first shows the assignments it missed meanwhile.

              leadrelay watch
              leadrelay watch --rep marcus.oyelaran@northwind.example
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this rep's assignments (listens on the rep's own channel).") var rep: String?
    @Option(help: ArgumentHelp("Stop after this many assignments (for scripts and tests).", visibility: .hidden))
    var exitAfter: Int?

    func validate() throws {
        if let rep, rep.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--rep must not be empty") }
        if let exitAfter, exitAfter < 1 { throw ValidationError("--exit-after must be at least 1") }
    }

    func run() async throws {
        let config = database.config(applicationName: "leadrelay watch")
        let channel = rep.map(HandoffChannel.rep) ?? HandoffChannel.assignments
        let lookup = AssignmentLookup(config: config, rep: rep)
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let rep = rep
        let exitAfter = exitAfter
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Listener.listen(config, channels: [channel]) { events in
                    try await Self.show(events, channel: channel, rep: rep, lookup: lookup, exitAfter: exitAfter)
                }
            }
            group.addTask {
                for await _ in signals { return }
            }
            // Whichever ends first (a signal, or --exit-after reached) ends the other.
            try await group.next()
            group.cancelAll()
        }
        await lookup.close()
    }

    private static func show(_ events: AsyncStream<ListenEvent>, channel: String, rep: String?, lookup: AssignmentLookup,
                             exitAfter: Int?) async throws {
        var shown = 0
        var lastID: Int64?
        var listenedBefore = false
        for await event in events {
            var lines: [WatchedAssignment] = []
            switch event {
            case .listening:
                if listenedBefore, let lastID {
                    // A NOTIFY sent while we were away is lost: show what was assigned meanwhile.
                    lines = await lookup.assignments(after: lastID)
                } else if !listenedBefore {
                    let whose = rep.map { "rep \($0)" } ?? "all reps"
                    writeError("watch: listening on \(channel) (\(whose)); Ctrl-C to stop")
                    lastID = await lookup.latestID()
                }
                listenedBefore = true
            case .disconnected(let reason):
                writeError("watch: connection lost (\(reason)); reconnecting")
            case .notification(_, let payload):
                guard let entries = HandoffChannel.entries(in: payload) else { continue }
                // Two rep ids can share a channel name: keep only our rep's entries.
                let ids = entries.filter { rep == nil || $0.repID == rep }.map(\.assignmentID)
                guard !ids.isEmpty else { continue }
                let found = await lookup.assignments(ids: ids)
                let missing = Set(ids).subtracting(found.map(\.id))
                lines = found + entries.filter { missing.contains($0.assignmentID) }
                    .map { WatchedAssignment(id: $0.assignmentID, rep: $0.repID) }
            }
            for line in lines.sorted(by: { $0.id < $1.id }) {
                writeOutput(line.rendered)
                lastID = max(lastID ?? line.id, line.id)
                shown += 1
                if let exitAfter, shown >= exitAfter { return }
            }
        }
    }

    private static func writeOutput(_ line: String) {
        // Unbuffered, so that a pipe or a file sees each assignment as it happens.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// One assignment as `watch` prints it.
struct WatchedAssignment: Sendable {
    let id: Int64
    var assignedAt: Date?
    let rep: String
    var email: String?
    var company: String?
    var country: String?
    var fit: Int?
    var interest: Int?
    /// The rule id, or how the rep was found when no rule matched (the default owner).
    var rule: String?

    init(id: Int64, rep: String) {
        self.id = id
        self.rep = rep
    }

    init(row: Row) throws {
        id = try row.decode(0)
        assignedAt = try row.decode(1)
        rep = try row.decode(2)
        email = try row.decode(3)
        company = try row.decode(4)
        country = try row.decode(5)
        fit = try row.decode(6)
        interest = try row.decode(7)
        let ruleID: String? = try row.decode(8)
        let source: String = try row.decode(9)
        rule = ruleID ?? source
    }

    var rendered: String {
        let time = assignedAt.map { Self.timeFormat.string(from: $0) } ?? "-"
        let score = fit.map { fit in "\(fit)/\(interest.map(String.init) ?? "-")" } ?? "-"
        return [time, rep, email ?? "assignment \(id)", company ?? "-", country ?? "-", "score " + score, "rule " + (rule ?? "-")]
            .joined(separator: "  ")
    }

    private static var timeFormat: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }
}

/// Looks assignments up by id on a connection of its own, opened again after a failure.
actor AssignmentLookup {
    private let config: PostgresConfig
    private let rep: String?
    private var connection: Connection?

    init(config: PostgresConfig, rep: String?) {
        self.config = config
        self.rep = rep
    }

    private static let select = """
        SELECT a.id, a.assigned_at, a.rep_id, l.email, COALESCE(l.company_name, c.name), COALESCE(l.country, c.country),
               l.fit_score, l.interest_score, a.rule_id, a.source
        FROM assignments a JOIN leads l ON l.id = a.lead_id LEFT JOIN companies c ON c.id = l.company_id
        """

    func assignments(ids: [Int64]) async -> [WatchedAssignment] {
        await run(Self.select + " WHERE a.id = ANY($1::bigint[]) ORDER BY a.id", [ids])
    }

    /// Up to 100 assignments made after `id` (of the rep, with --rep).
    func assignments(after id: Int64) async -> [WatchedAssignment] {
        await run(Self.select + " WHERE a.id > $1 AND ($2::text IS NULL OR a.rep_id = $2) ORDER BY a.id LIMIT 100", [id, rep])
    }

    func latestID() async -> Int64? {
        guard let connection = await connected() else { return nil }
        do {
            return try await connection.query("SELECT max(id) FROM assignments")[0].decode(0)
        } catch {
            await drop()
            return nil
        }
    }

    func close() async { await drop() }

    private func run(_ sql: String, _ parameters: [any PostgresEncodable]) async -> [WatchedAssignment] {
        guard let connection = await connected() else { return [] }
        do {
            return try await connection.query(sql, parameters).map(WatchedAssignment.init(row:))
        } catch {
            FileHandle.standardError.write(Data("watch: could not look assignments up: \(error)\n".utf8))
            await drop()
            return []
        }
    }

    private func connected() async -> Connection? {
        if let connection { return connection }
        do {
            connection = try await Connection.connect(config)
        } catch {
            FileHandle.standardError.write(Data("watch: could not connect for look-ups: \(error)\n".utf8))
        }
        return connection
    }

    private func drop() async {
        if let connection { await connection.close() }
        connection = nil
    }
}
