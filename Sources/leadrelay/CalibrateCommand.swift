import ArgumentParser
import Foundation
import LeadDomain
import LeadStore
import Postgres
import Reporting

struct CalibrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Learn from closed-loop outcomes: close rate, lift and suggested points per action, an MQL threshold, and a backtest.",
        discussion: """
            Reads every closed lead (won, lost, recycled, junk, unreachable) with what it did
            before it was handed to sales, after refreshing the reporting views. The proposal
            takes the suggested points for each behaviour rule seen in the outcomes, and the
            MQL threshold that meets --target-mql-to-sql (without it: the highest threshold
            that still gives sales as many MQLs as the current rules did). It is written to
            --output for review; nothing changes until `leadrelay rules apply FILE`.

              leadrelay calibrate --since 2026-01-01 --target-mql-to-sql 0.4 --output proposed.yaml
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Only leads closed on or after this day.", valueName: "YYYY-MM-DD")) var since: String?
    @Option(name: .customLong("target-mql-to-sql"), help: ArgumentHelp("The share of MQLs that should reach SQL, 0…1.", valueName: "rate"))
    var targetRate: Double?
    @Option(help: ArgumentHelp("Where to write the proposed rule file.", valueName: "file")) var output = "calibrated-rules.yaml"

    func validate() throws {
        if let since, !ReportOptions.isDay(since) { throw ValidationError("--since: '\(since)' is not a date; write YYYY-MM-DD") }
        if let targetRate, !(targetRate > 0 && targetRate <= 1) { throw ValidationError("--target-mql-to-sql must be above 0 and at most 1") }
    }

    func run() async throws {
        let sinceDate = try since.map { day in
            guard let date = ISO8601DateFormatter().date(from: day + "T00:00:00Z") else { throw ValidationError("--since: '\(day)' is not a date") }
            return date
        }
        let connection = try await Connection.connect(database.config(applicationName: "leadrelay calibrate"))
        let (stored, history) = try await connection.withTransaction { connection in
            try connection.refreshReportingViews()
            return (try connection.activeRuleSet(), try connection.closedLoopHistory(since: sinceDate))
        }
        await connection.close()
        guard let stored else { throw CommandError("no rule set is active: store one with `leadrelay rules apply FILE.yaml`") }
        let current = try RuleSet(json: Data(stored.definition.utf8), file: "rule set version \(stored.version)")
        guard !history.isEmpty else {
            throw CommandError("calibrate: no closed leads\(since.map { " since \($0)" } ?? ""); report outcomes with `leadrelay feedback` first")
        }

        let analysis = Calibration.analyze(history, rules: current)
        var proposed = current
        proposed.version = current.version + "-calibrated"
        let suggested = Dictionary(analysis.behaviour.map { ($0.attribute.value, $0.suggestedPoints) }, uniquingKeysWith: { first, _ in first })
        for index in proposed.behaviour.indices {
            if let points = suggested[proposed.behaviour[index].id] { proposed.behaviour[index].points = points }
        }
        let before = Calibration.backtest(history, rules: current)
        let target: Calibration.ThresholdTarget = targetRate.map { .conversionRate($0) } ?? .mqlVolume(before.mqls)
        let threshold = Calibration.suggestMQLThreshold(history, rules: proposed, target: target)
        if let threshold { proposed.thresholds.mql = threshold.threshold }
        let after = Calibration.backtest(history, rules: proposed)

        print("calibrate: \(analysis.closedLeads) closed leads, \(analysis.wonLeads) won; average close rate \(Self.percent(analysis.averageCloseRate))")
        print("\nactions (behaviour rules)")
        print(Self.table(analysis.behaviour))
        print("\nfit attributes (suggestions only: the proposal changes behaviour points and the threshold)")
        print(Self.table(analysis.fit))
        let targetText = targetRate.map { "MQL → SQL at least \(Self.percent($0))" } ?? "at least \(before.mqls) MQLs, as now"
        if let threshold {
            print("\nsuggested MQL threshold: \(threshold.threshold) (now \(current.thresholds.mql)), for \(targetText)")
        } else {
            print("\nsuggested MQL threshold: none meets \(targetText); the proposal keeps \(current.thresholds.mql)")
        }
        print("\nbacktest on the closed leads")
        let backtest = TextTable(headers: ["rules", "threshold", "MQLs", "SQLs", "wins", "MQL→SQL", "MQL→won", "wins missed"],
                                 rightAligned: [1, 2, 3, 4, 5, 6, 7])
        for (name, result) in [("current (version \(stored.version))", before), ("proposed", after)] {
            backtest.add([name, String(result.threshold), String(result.mqls), String(result.mqlsReachedSQL), String(result.mqlsWon),
                          Self.percent(result.conversionRate), Self.percent(result.winRate), String(result.missedWon)])
        }
        print(backtest.render())

        let yaml = try JSONNode(parsing: proposed.encodeJSON()).yaml()
        let header = """
            # Proposed by `leadrelay calibrate` from \(analysis.closedLeads) closed leads\(since.map { " (closed since \($0))" } ?? "")
            # on rule set version \(stored.version). Review it, then: leadrelay rules apply \(output)

            """
        do {
            _ = try RuleSet.load(yaml: header + yaml, file: output)
        } catch {
            throw CommandError("calibrate: the proposed rule set does not validate (\(error.errors.map(\.description).joined(separator: "; "))); nothing was written")
        }
        try Data((header + yaml).utf8).write(to: URL(fileURLWithPath: output))
        print("\ncalibrate: wrote the proposed rule set to \(output); nothing is active until `leadrelay rules apply \(output)`")
    }

    static func table(_ stats: [AttributeStat]) -> String {
        let table = TextTable(headers: ["attribute", "closed", "won", "close rate", "lift", "points now", "suggested"],
                              rightAligned: [1, 2, 3, 4, 5, 6])
        for stat in stats {
            table.add([stat.attribute.description, String(stat.leads), String(stat.won), percent(stat.closeRate),
                       String(format: "%.2f", stat.lift), stat.currentPoints.map(String.init) ?? "", String(stat.suggestedPoints)])
        }
        return table.render()
    }

    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }
}
