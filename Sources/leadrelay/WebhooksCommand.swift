import ArgumentParser
import Foundation
import LeadStore
import Postgres

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Manage the webhooks that receive every new assignment, signed with HMAC-SHA256.",
        discussion: """
            Workers of the kind `delivery` send them: one POST per assignment and endpoint, with the
            lead's contact data and activity history, retried with backoff and dead-lettered in the
            end. The signature scheme is in docs/webhooks.md.
            """,
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Deliveries.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an endpoint and print its signing secret.",
            discussion: """
                The secret comes from LEADRELAY_WEBHOOK_SECRET (at least 16 characters) when it is set,
                so it never shows in a process list; otherwise a new one is made and printed this once.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A name for the endpoint, e.g. crm.") var name: String
        @Argument(help: "Where to POST, http:// or https://.") var url: String

        func validate() throws {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("the URL must be an absolute http:// or https:// address")
            }
        }

        func run() async throws {
            let given = ProcessInfo.processInfo.environment["LEADRELAY_WEBHOOK_SECRET"]
            if let given, given.count < 16 { throw ValidationError("LEADRELAY_WEBHOOK_SECRET must have at least 16 characters") }
            let secret = given ?? Self.newSecret()
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay webhooks"))
            let (name, url) = (name, url)
            do {
                try await connection.withTransaction { try $0.addWebhookEndpoint(name: name, url: url, secret: secret) }
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                await connection.close()
                throw ValidationError("an endpoint named \(name) exists already")
            }
            await connection.close()
            if given == nil { print(secret) }
            FileHandle.standardError.write(Data("webhooks: added \(name); new assignments are sent to it by `worker --kinds delivery`\n".utf8))
        }

        /// 32 random bytes in hex, with a prefix that makes a leaked secret easy to recognize.
        static func newSecret() -> String {
            var generator = SystemRandomNumberGenerator()
            return "whsec_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the endpoints (never their secrets).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay webhooks"))
            let endpoints = try await connection.webhookEndpoints()
            await connection.close()
            let table = TextTable(headers: ["name", "url", "state", "since"])
            for endpoint in endpoints {
                table.add([endpoint.name, endpoint.url, endpoint.active ? "active" : "disabled", endpoint.createdAt.formatted(.iso8601)])
            }
            print(table.render())
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop sending new assignments to an endpoint; queued deliveries still go out.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() async throws { try await setActive(false, name: name, database: database) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send new assignments to a disabled endpoint again.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() async throws { try await setActive(true, name: name, database: database) }
    }

    static func setActive(_ active: Bool, name: String, database: DatabaseOptions) async throws {
        let connection = try await Connection.connect(database.config(applicationName: "leadrelay webhooks"))
        let changed = try await connection.withTransaction { try $0.setWebhookEndpoint(named: name, active: active) }
        await connection.close()
        guard changed else { throw ValidationError("no endpoint named \(name)") }
        print("webhooks: \(name) \(active ? "enabled" : "disabled")")
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest deliveries: status, attempts, the last answer.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only pending, delivered or dead.") var status: String?
        @Option(help: "How many, newest first.") var limit: Int = 50

        func validate() throws {
            if let status, !["pending", "delivered", "dead"].contains(status) {
                throw ValidationError("--status is one of pending, delivered, dead")
            }
        }

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay webhooks"))
            let records = try await connection.deliveries(status: status, limit: limit)
            await connection.close()
            let table = TextTable(headers: ["id", "assignment", "endpoint", "status", "attempts", "last answer", "created"])
            for record in records {
                let answer = record.lastError ?? record.lastStatusCode.map { "HTTP \($0)" } ?? ""
                table.add([String(record.id), String(record.assignmentID), record.endpoint, record.status, String(record.attempts), answer,
                           record.createdAt.formatted(.iso8601)])
            }
            print(table.render())
        }
    }
}
