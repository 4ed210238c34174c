import ArgumentParser
import Foundation
import LeadStore
import Postgres

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the API keys of the HTTP API.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key and print it. It is shown this once: only its hash is stored.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A name for the key, e.g. website-forms.") var name: String
        @Option(help: "Comma-separated scopes: ingest, feedback, admin.") var scopes: String = "ingest"

        func run() async throws {
            let requested = scopes.split(separator: ",").map { APIScope(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
            let unknown = requested.filter { !APIScope.all.contains($0) }
            guard unknown.isEmpty, !requested.isEmpty else {
                throw ValidationError("unknown scope \(unknown.map(\.rawValue).joined(separator: ", ")); use ingest, feedback or admin")
            }
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay keys"))
            let name = name
            let key = try await connection.withTransaction { try $0.createAPIKey(name: name, scopes: Set(requested)) }
            await connection.close()
            print(key)
            FileHandle.standardError.write(Data("keys: created \(name) with scopes \(requested.map(\.rawValue).joined(separator: ",")); store it now, it is not shown again\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys: name, prefix, scopes, state.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay keys"))
            let keys = try await connection.apiKeys()
            await connection.close()
            let table = TextTable(headers: ["name", "prefix", "scopes", "state"])
            for key in keys {
                table.add([key.name, key.prefix + "…", key.scopes.map(\.rawValue).sorted().joined(separator: ","), key.revokedAt == nil ? "live" : "revoked"])
            }
            print(table.render())
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; servers stop accepting it within their key cache time (30 s).")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() async throws {
            let connection = try await Connection.connect(database.config(applicationName: "leadrelay keys"))
            let name = name
            let revoked = try await connection.withTransaction { try $0.revokeAPIKey(name: name) }
            await connection.close()
            guard revoked else { throw ValidationError("no live key named \(name)") }
            print("keys: revoked \(name)")
        }
    }
}
