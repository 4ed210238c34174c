import ArgumentParser
import Foundation
import LeadStore
import Postgres

struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Report what sales did with a lead: accepted, qualified, opportunity, won, lost, recycled, junk or unreachable.",
        discussion: """
            The same check as the feedback API: the lifecycle state machine must allow the change
            from the lead's current stage for sales, and it is recorded in the stage history with
            actor sales. A lead that leaves sales (won, lost, recycled, junk, unreachable) loses
            its open assignment; a recycled or lost one goes back to marketing nurture.

              leadrelay feedback ada@acme.io accepted --rep marcus
              leadrelay feedback ada@acme.io won --revenue 48000
              leadrelay feedback ada@acme.io lost --reason "went with a competitor"
              leadrelay feedback ada@acme.io recycled --reason bad_timing
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The lead's e-mail address (any case).") var email: String
    @Argument(help: ArgumentHelp("The outcome.", valueName: FeedbackOutcome.allCases.map(\.rawValue).joined(separator: "|")))
    var outcome: String
    @Option(help: "The deal's revenue, for won.") var revenue: String?
    @Option(help: ArgumentHelp(
        "Why: for recycled one of \(FeedbackOutcome.recycleReasons.joined(separator: ", ")); for junk junk or duplicate; for lost in your own words."
    ))
    var reason: String?
    @Option(help: "The rep reporting (recorded as who made the change).") var rep: String?
    @Option(help: "A note kept with the outcome.") var note: String?
    @Option(help: "Who reports, when no --rep is given (default: $USER).") var by: String?

    func validate() throws {
        guard FeedbackOutcome(rawValue: outcome) != nil else {
            throw ValidationError("the outcome is one of \(FeedbackOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if email.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the e-mail address must not be empty") }
        if let revenue, Decimal(string: revenue, locale: Locale(identifier: "en_US_POSIX")) == nil {
            throw ValidationError("--revenue: not a number")
        }
        let problems = feedback.problems
        if !problems.isEmpty {
            throw ValidationError(problems.map { "--" + $0.description }.joined(separator: "\n"))
        }
    }

    private var feedback: SalesFeedback {
        // validate() has checked the outcome.
        SalesFeedback(outcome: FeedbackOutcome(rawValue: outcome) ?? .accepted, reason: reason, revenue: revenue.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) },
                      rep: rep, note: note)
    }

    func run() async throws {
        let reporter = by?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            ?? ProcessInfo.processInfo.environment["USER"]?.nilIfEmpty ?? "cli"
        let feedback = feedback
        let key = LeadKey.email(email)
        let connection = try await Connection.connect(database.config(applicationName: "leadrelay feedback"))
        let receipt: FeedbackReceipt
        do {
            receipt = try await connection.withTransaction { try $0.recordFeedback(feedback, for: key, reportedBy: reporter) }
        } catch let error as FeedbackError {
            await connection.close()
            switch error {
            case .unknownLead:
                throw CommandError("no lead with the e-mail address \(LeadKey.storedEmail(email))")
            default:
                throw CommandError(error.description + "; nothing was changed")
            }
        }
        await connection.close()
        var line = "lead \(receipt.leadID): \(receipt.from) → \(receipt.to) (\(receipt.reason))"
        if let ended = receipt.endedAssignment { line += "; assignment \(ended) ended" }
        print(line)
    }
}
