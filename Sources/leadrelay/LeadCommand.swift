import ArgumentParser
import Foundation
import LeadStore
import Postgres

struct LeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lead",
        abstract: "Look up one lead.",
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain a lead: who it is, its score rule by rule, its stage history, its activities and its owner.",
            discussion: """
                  leadrelay lead show ada.lovelace@acme.io
                  leadrelay lead show 4711 --format json
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        /// Activities shown, newest first; the rest are counted.
        static let activityLimit = 50

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The lead's e-mail address (any case) or its id.") var lead: String
        @Option(help: "text or json.") var format: OutputFormat = .text

        func validate() throws {
            _ = try key()
        }

        func run() async throws {
            let key = try key()
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay lead"))
            // Several reads, one snapshot: the score, the history and the activities agree.
            let report = try await connection.withTransaction(.repeatableRead) { connection in
                try connection.leadReport(key, activityLimit: Self.activityLimit)
            }
            await connection.close()
            guard let report else {
                switch key {
                case .id(let id): throw CommandError("no lead with id \(id)")
                case .email(let email):
                    throw CommandError("no lead with the e-mail address \(LeadKey.storedEmail(email))")
                }
            }
            switch format {
            case .text: print(LeadText.render(report))
            case .json: print(try LeadJSON.render(report))
            }
        }

        private func key() throws -> LeadKey {
            let text = lead.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int64(text) { return .id(id) }
            guard text.contains("@") else { throw ValidationError("'\(lead)' is neither an e-mail address nor a lead id") }
            return .email(text)
        }
    }
}

/// The text explanation, in the order sales reads it: who, how good, how it moved, what it did.
enum LeadText {
    static func render(_ report: LeadReport) -> String {
        let lead = report.lead
        var sections: [String] = []

        let name = [lead.firstName, lead.lastName].compactMap { $0 }.joined(separator: " ")
        var facts: [(String, String)] = [
            ("name", name.isEmpty ? "—" : name),
            ("e-mail", lead.email),
            ("title", lead.title ?? "—"),
        ]
        if let seniority = lead.seniority { facts.append(("seniority", seniority)) }
        if let department = lead.department { facts.append(("department", department)) }
        if let phone = lead.phone { facts.append(("phone", phone)) }
        facts.append(("company", lead.company ?? "—"))
        facts.append(("industry", lead.industry ?? "—"))
        if let employees = lead.employees { facts.append(("employees", String(employees))) }
        if let revenue = lead.annualRevenue { facts.append(("annual revenue", String(revenue))) }
        facts.append(("country", lead.country ?? "—"))
        var source = lead.source ?? "—"
        if let first = lead.firstSource, first != lead.source { source += " (first: \(first))" }
        facts.append(("source", source))
        if let campaign = lead.campaign { facts.append(("campaign", campaign)) }
        facts.append(("first seen", Format.timestamp(lead.firstSeenAt)))
        facts.append(("stage", "\(lead.stage) since \(Format.timestamp(lead.stageEnteredAt))"))
        if let owner = lead.owner {
            let since = lead.assignedAt.map { " since \(Format.timestamp($0))" } ?? ""
            facts.append(("owner", owner + since + (lead.ownerRule.map { " (rule \($0))" } ?? "")))
        } else {
            facts.append(("owner", "none yet"))
        }
        if let owner = lead.accountOwner { facts.append(("account owner", owner)) }
        sections.append("lead \(lead.id)\n" + aligned(facts))

        if let score = report.score {
            let header = "score: fit \(score.fit) + interest \(score.interest) = \(score.fit + score.interest), quadrant \(score.quadrant)"
                + " (rule version \(score.ruleVersion), scored at \(Format.timestamp(score.scoredAt)))"
            let lines = score.fitRules.map { ("fit", $0) } + score.interestRules.map { ("interest", $0) }
            if lines.isEmpty {
                sections.append(header + "\nno rule gave or took points")
            } else {
                let table = TextTable(headers: ["part", "rule", "points", "reason"], rightAligned: [2])
                for (part, line) in lines {
                    table.add([part, line.rule, (line.points > 0 ? "+" : "") + String(line.points), line.reason])
                }
                sections.append(header + "\n" + table.render())
            }
        } else {
            sections.append("score: not scored yet")
        }

        if report.stageHistory.isEmpty {
            sections.append("stage history: no stage changes yet")
        } else {
            let table = TextTable(headers: ["changed at", "from → to", "actor", "by", "reason", "rule version"], rightAligned: [5])
            for change in report.stageHistory {
                table.add([
                    Format.timestamp(change.changedAt), "\(change.from) → \(change.to)", change.actor, change.changedBy ?? "",
                    Format.oneLine(change.reason), change.ruleVersion.map(String.init) ?? "",
                ])
            }
            sections.append("stage history, oldest first:\n" + table.render())
        }

        if report.activities.isEmpty {
            sections.append("activities: none")
        } else {
            let table = TextTable(headers: ["occurred at", "type", "detail", "source"])
            for activity in report.activities {
                let detail = [activity.url, activity.content].compactMap { $0 }.map(Format.oneLine).joined(separator: " · ")
                table.add([Format.timestamp(activity.occurredAt), activity.type, detail, activity.source])
            }
            var text = "activities, newest first:\n" + table.render()
            if report.activityCount > report.activities.count {
                text += "\n… and \(report.activityCount - report.activities.count) older, not shown"
                    + " (\(report.activities.count) of \(report.activityCount))"
            }
            sections.append(text)
        }
        return sections.joined(separator: "\n\n")
    }

    private static func aligned(_ facts: [(String, String)]) -> String {
        let width = facts.map(\.0.count).max() ?? 0
        return facts.map { label, value in
            "  " + label + String(repeating: " ", count: width - label.count) + "  " + value
        }.joined(separator: "\n")
    }
}

/// The same explanation as JSON, for scripts. Absent values are left out, except the owner:
/// its null says that the lead has no open assignment.
enum LeadJSON {
    static func render(_ report: LeadReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(Document(report)), as: UTF8.self)
    }

    private struct Document: Encodable {
        let report: LeadReport
        init(_ report: LeadReport) { self.report = report }

        enum CodingKeys: String, CodingKey {
            case lead, score, stageHistory, activities, activitiesTotal, owner
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report.lead, forKey: .lead)
            try container.encodeIfPresent(report.score.map(Score.init), forKey: .score)
            try container.encode(report.stageHistory, forKey: .stageHistory)
            try container.encode(report.activities, forKey: .activities)
            try container.encode(report.activityCount, forKey: .activitiesTotal)
            if let owner = report.lead.owner { try container.encode(owner, forKey: .owner) } else { try container.encodeNil(forKey: .owner) }
        }
    }

    /// The stored breakdown's own shape, `{"fit": […], "interest": […]}`, with the total.
    private struct Score: Encodable {
        let fit: Int
        let interest: Int
        let total: Int
        let quadrant: String
        let ruleVersion: Int
        let scoredAt: Date
        let breakdown: [String: [ScoreLine]]

        init(_ score: LeadScoreDetail) {
            fit = score.fit
            interest = score.interest
            total = score.fit + score.interest
            quadrant = score.quadrant
            ruleVersion = score.ruleVersion
            scoredAt = score.scoredAt
            breakdown = ["fit": score.fitRules, "interest": score.interestRules]
        }
    }
}
