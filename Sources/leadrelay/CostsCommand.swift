import ArgumentParser
import Foundation
import Intake
import Postgres
import Reporting

struct CostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costs",
        abstract: "Campaign costs, for cost per lead and cost per deal in the reports.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load what each campaign cost, per day, from a CSV file.",
            discussion: """
                The first line names the columns, in any order and any case:
                  campaign  the campaign, as leads carry it (leads.campaign)
                  date      the day the money was spent, YYYY-MM-DD
                  amount    what was spent, e.g. 1250.50 (no currency sign)
                A (campaign, date) already stored gets the new amount. The file is checked
                whole first: with any problem, nothing is stored.

                  campaign,date,amount
                  spring-webinar,2026-03-01,1250.50
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let costs: [CampaignCost]
            do {
                costs = try CostFile.read(path: file)
            } catch let error as CostFile.Problems {
                FileHandle.standardError.write(Data((error.lines.map { "\(file):\($0)" } + ["costs: nothing was stored"])
                    .joined(separator: "\n").appending("\n").utf8))
                throw ExitCode.failure
            }
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay costs"))
            let counts = try await connection.withTransaction { try $0.upsertCampaignCosts(costs) }
            await connection.close()
            let total = costs.reduce(Decimal(0)) { $0 + $1.amount }
            print("costs: imported \(costs.count) from \(file): \(counts.inserted) new, \(counts.updated) replaced; \(total) in all")
        }
    }
}

/// The campaign cost CSV, read and checked whole.
enum CostFile {
    static let columns = ["campaign", "date", "amount"]

    struct Problems: Error {
        let lines: [String]
    }

    static func read(path: String) throws -> [CampaignCost] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandError("cannot open \(path)") }
        defer { try? handle.close() }
        var reader = CSVReader(source: FileHandleChunkSource(handle))
        var problems: [String] = []
        guard let header = try reader.next() else { throw Problems(lines: ["1: the file is empty; the first line must name the columns"]) }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() where columns.contains(name) { position[name] = index }
        let missing = columns.filter { position[$0] == nil }
        guard missing.isEmpty, names.count == columns.count else {
            throw Problems(lines: ["\(header.line): the columns must be exactly \(columns.joined(separator: ", ")) (in any order)"])
        }
        var costs: [CampaignCost] = []
        var seen: [String: Int] = [:]
        while let row = try reader.next() {
            if let problem = row.problem {
                problems.append("\(row.line): \(problem)")
                continue
            }
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == names.count else {
                problems.append("\(row.line): \(row.fields.count) cells, but the header names \(names.count) columns")
                continue
            }
            func cell(_ name: String) -> String { row.fields[position[name]!].trimmingCharacters(in: .whitespaces) }
            let campaign = cell("campaign"), day = cell("date"), amountText = cell("amount")
            if campaign.isEmpty { problems.append("\(row.line): the campaign is empty") }
            if !ReportOptions.isDay(day) { problems.append("\(row.line): date '\(day)' is not YYYY-MM-DD") }
            let amount = amountText.wholeMatch(of: /\d+(\.\d{1,2})?/) != nil ? Decimal(string: amountText) : nil
            if amount == nil { problems.append("\(row.line): amount '\(amountText)' is not a number such as 1250.50") }
            if let first = seen["\(campaign) \(day)"] { problems.append("\(row.line): \(campaign) on \(day) is already on line \(first)") }
            seen["\(campaign) \(day)"] = row.line
            if let amount, !campaign.isEmpty, ReportOptions.isDay(day) {
                costs.append(CampaignCost(campaign: campaign, day: day, amount: amount))
            }
        }
        if costs.isEmpty && problems.isEmpty { problems.append("\(header.line + 1): no costs after the header line") }
        guard problems.isEmpty else { throw Problems(lines: problems) }
        return costs
    }
}
