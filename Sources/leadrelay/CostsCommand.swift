import ArgumentParser
import Foundation
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
            } catch let problems as CheckedCSVFile.Problems {
                problems.report(file: file, command: "costs")
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

    static func read(path: String) throws -> [CampaignCost] {
        var seen: [String: Int] = [:]
        return try CheckedCSVFile.read(path: path, noun: "costs", header: { names, line, _ in
            var position: [String: Int] = [:]
            for (index, name) in names.enumerated() where columns.contains(name) { position[name] = index }
            guard columns.allSatisfy({ position[$0] != nil }), names.count == columns.count else {
                throw CheckedCSVFile.Problems(lines: ["\(line): the columns must be exactly \(columns.joined(separator: ", ")) (in any order)"])
            }
            return position
        }, record: { row, problems in
            let campaign = row["campaign"] ?? "", day = row["date"] ?? "", amountText = row["amount"] ?? ""
            if campaign.isEmpty { problems.append("\(row.line): the campaign is empty") }
            if !ReportOptions.isDay(day) { problems.append("\(row.line): date '\(day)' is not YYYY-MM-DD") }
            let amount = amountText.wholeMatch(of: /\d+(\.\d{1,2})?/) != nil ? Decimal(string: amountText) : nil
            if amount == nil { problems.append("\(row.line): amount '\(amountText)' is not a number such as 1250.50") }
            if let first = seen["\(campaign) \(day)"] { problems.append("\(row.line): \(campaign) on \(day) is already on line \(first)") }
            seen["\(campaign) \(day)"] = row.line
            guard let amount, !campaign.isEmpty, ReportOptions.isDay(day) else { return nil }
            return CampaignCost(campaign: campaign, day: day, amount: amount)
        })
    }
}
