import ArgumentParser
import Foundation
import LeadDomain
import Postgres
import Reporting

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports from the reporting schema: the same rows analysts read in SQL.",
        discussion: """
            Each report reads one view of the reporting schema (docs/reporting.md), as of
            the last refresh of its materialized views: `leadrelay report refresh` refreshes
            them now; the workers' reporting_refresh job does so every 10 minutes.

              leadrelay report funnel --period week --by source --since 2026-01-01
              leadrelay report sla --by rep --format csv
              leadrelay report actions --by behaviour --format json
            """,
        subcommands: [Funnel.self, SLA.self, Sources.self, Reps.self, Actions.self, Refresh.self]
    )

    struct Funnel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leads by the period they were created in, how many reached each stage, and the conversion of each step (reporting.funnel).")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.print(.funnel) }
    }

    struct SLA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sla",
            abstract: "Follow-up time (median, p90), first touch on time, contacts made against required (reporting.sla).")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.print(.sla) }
    }

    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leads, deals and revenue per source or campaign, with cost per lead and per deal (reporting.source_performance).")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.print(.sources) }
    }

    struct Reps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per rep or team: leads passed, what became of them, follow-up and SLA (reporting.rep_performance).")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.print(.reps) }
    }

    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close rate and lift per behaviour type and fit attribute (reporting.close_rates_between).",
            discussion: "--since and --until select the leads closed on those days; --period does not apply.")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.print(.actions) }
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refresh the reporting materialized views now (CONCURRENTLY: readers are not blocked).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay report"))
            let refreshed = try await connection.withTransaction { try $0.refreshReportingViews() }
            await connection.close()
            for view in refreshed {
                print("report: refreshed \(view.view) in \(view.milliseconds) ms")
            }
        }
    }
}

/// What every report takes.
struct ReportOptions: ParsableArguments {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("The first period (or closing day, for actions) to show.", valueName: "YYYY-MM-DD"))
    var since: String?
    @Option(help: ArgumentHelp("The last period (or closing day, for actions) to show, inclusive.", valueName: "YYYY-MM-DD"))
    var until: String?
    @Option(help: ArgumentHelp("The dimension to cut by; each report lists its own (default: its first).", valueName: "field"))
    var by: String?
    @Option(help: "day, week, month or quarter.") var period: String = "month"
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, !ReportOptions.isDay(value) { throw ValidationError("\(name): '\(value)' is not a date; write YYYY-MM-DD") }
        }
        guard Report.grains.contains(period) else {
            throw ValidationError("--period: '\(period)' is not one of \(Report.grains.joined(separator: ", "))")
        }
    }

    /// A real calendar day written YYYY-MM-DD (2026-02-30 is not one).
    static func isDay(_ text: String) -> Bool {
        LocalDate(text) != nil
    }

    func print(_ report: Report) async throws {
        if let by, !report.dimensions.contains(by) {
            throw ValidationError("--by: '\(by)' is not one of \(report.dimensions.joined(separator: ", "))")
        }
        let query = ReportQuery(report: report, grain: period, dimension: by, since: since, until: until)
        let connection = try await Connection.connect(database.config(applicationName: "leadrelay report"))
        let rows = try await connection.report(query)
        let refreshed = try await connection.reportingRefreshedAt()
        await connection.close()
        let output = ReportOutput(rows: rows, hiddenColumns: report.isPeriodic ? ["grain", "dimension"] : [])
        switch format {
        case .table:
            Swift.print(output.table())
            let asOf = refreshed.map { "as of \(Format.timestamp($0))" } ?? "never refreshed: run `leadrelay report refresh`"
            Swift.print("(\(rows.count) row\(rows.count == 1 ? "" : "s"); \(report.view), \(asOf))")
        case .csv: Swift.print(output.csv(), terminator: "")
        case .json: Swift.print(output.json())
        }
    }
}
